//! File → Export…: the format, the audience (ceiling and TLP label), whether internal notes
//! go in, a preview of what will be left out, and a spinner while the export job
//! ([`crate::export::job`]) writes the file.

use std::time::Duration;

use egui::RichText;

use crate::export::job::{ExportJob, ExportResult};
use crate::export::{Audience, ExportOptions, Figure, Format, RedactionReport, Tlp, prepare};
use crate::io::marks::Mark;
use crate::model::{Partner, Sensitivity, Situation};

/// What the user asked for when pressing "Export…"; the caller then asks for the path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportRequest {
    pub format: Format,
    pub options: ExportOptions,
    /// The briefing mark whose changes since go in a "Since …" section; the app reads it and
    /// adds it to the options before writing.
    pub since: Option<Mark>,
}

impl ExportRequest {
    /// A file name to suggest: the situation's title as a slug, the partner it is for, the
    /// ceiling, the extension: `guinea-2009-for-au-confidential.pdf`.
    pub fn file_name(&self, situation: &Situation) -> String {
        let stem = crate::model::ids::slug(&situation.title, "situation");
        let level = match self.options.audience.ceiling {
            Sensitivity::Unclassified => "unclassified",
            Sensitivity::Confidential => "confidential",
            Sensitivity::StrictlyConfidential => "strictly-confidential",
        };
        let for_whom = self
            .options
            .partner
            .as_deref()
            .and_then(|id| situation.partner(id))
            .map(|p| {
                let short = crate::export::long_text::prefix(p.short_name(), 40);
                format!("-for-{}", crate::model::ids::slug(short, "partner"))
            })
            .unwrap_or_default();
        format!("{stem}{for_whom}-{level}.{}", self.format.extension())
    }
}

/// The state of the Export dialog.
pub struct ExportDialog {
    /// Whether the dialog is shown.
    pub open: bool,
    pub format: Format,
    /// The figure a PNG or SVG export draws.
    pub figure: Figure,
    pub ceiling: Sensitivity,
    pub tlp: Tlp,
    /// Whether the user picked a label; until then it follows the ceiling.
    tlp_chosen: bool,
    /// Whether internal notes go into the export (off until the user ticks it).
    pub notes: bool,
    /// The id of the partner the export is for; `None` for no partner in particular.
    pub partner: Option<String>,
    /// The situation's briefing marks, newest first (set by the app when it opens the dialog).
    pub marks: Vec<Mark>,
    /// The mark a "Since …" section reports the changes since; `None` for no such section.
    pub since: Option<Mark>,
    preview: Option<RedactionReport>,
    job: Option<ExportJob>,
}

impl Default for ExportDialog {
    fn default() -> Self {
        Self {
            open: false,
            format: Format::Pdf,
            figure: Figure::Matrix,
            ceiling: Sensitivity::Unclassified,
            tlp: Tlp::for_ceiling(Sensitivity::Unclassified),
            tlp_chosen: false,
            notes: false,
            partner: None,
            marks: Vec::new(),
            since: None,
            preview: None,
            job: None,
        }
    }
}

impl ExportDialog {
    /// Opens the dialog, keeping the last choices; the preview is recomputed.
    pub fn show(&mut self) {
        self.open = true;
        self.preview = None;
    }

    /// The situation's marks to offer; a chosen mark no longer among them is unpicked.
    pub fn set_marks(&mut self, marks: Vec<Mark>) {
        if let Some(since) = &self.since
            && !marks.iter().any(|m| m.path == since.path)
        {
            self.since = None;
        }
        self.marks = marks;
    }

    /// The mark whose changes the export reports, when its format has a "Since …" section.
    pub fn since_for_format(&self) -> Option<Mark> {
        self.since
            .clone()
            .filter(|_| has_since_section(self.format))
    }

    /// The audience currently chosen.
    pub fn audience(&self) -> Audience {
        Audience {
            ceiling: self.ceiling,
            tlp: self.tlp,
        }
    }

    /// Everything chosen: the audience and whether notes go in.
    pub fn options(&self) -> ExportOptions {
        ExportOptions::new(self.audience())
            .with_notes(self.notes)
            .with_figure(self.figure)
            .for_partner(self.partner.clone())
    }

    /// Makes the export for the partner with this id, or for no partner in particular.
    pub fn set_partner(&mut self, partner: Option<String>) {
        if partner != self.partner {
            self.partner = partner;
            self.preview = None;
        }
    }

    /// Includes internal notes or leaves them out.
    pub fn set_notes(&mut self, notes: bool) {
        if notes != self.notes {
            self.notes = notes;
            self.preview = None;
        }
    }

    /// Changes the ceiling; the label follows it until the user picks one.
    pub fn set_ceiling(&mut self, ceiling: Sensitivity) {
        if ceiling == self.ceiling {
            return;
        }
        self.ceiling = ceiling;
        self.preview = None;
        if !self.tlp_chosen {
            self.tlp = Tlp::for_ceiling(ceiling);
        }
    }

    /// Sets the sharing label chosen by the user.
    pub fn set_tlp(&mut self, tlp: Tlp) {
        if tlp != self.tlp {
            self.tlp = tlp;
            self.tlp_chosen = true;
        }
    }

    /// Starts writing in the background; the dialog shows a spinner until it is done.
    pub fn start(&mut self, job: ExportJob) {
        self.open = true;
        self.job = Some(job);
    }

    /// Whether an export is being written.
    pub fn busy(&self) -> bool {
        self.job.is_some()
    }

    /// Call every frame: the outcome of a finished job (what was written, or a message for
    /// the user), once. The dialog closes when a job succeeds.
    pub fn poll_job(&mut self) -> Option<ExportResult> {
        let job = self.job.as_mut()?;
        let done = job.poll()?;
        self.job = None;
        if done.is_ok() {
            self.open = false;
        }
        Some(done)
    }
}

/// Draws the Export dialog when open. Returns a request when the user pressed "Export…":
/// the caller asks for a path (`FileDialogs::save_export(request.file_name(..), extension)`)
/// and, for a file, starts an [`ExportJob`] with [`ExportDialog::start`].
pub fn export_dialog_ui(
    ctx: &egui::Context,
    dialog: &mut ExportDialog,
    situation: &Situation,
) -> Option<ExportRequest> {
    if !dialog.open {
        return None;
    }
    let mut request = None;
    let modal = egui::Modal::new(egui::Id::unique("export_dialog")).show(ctx, |ui| {
        ui.set_width(520.0);
        ui.heading("Export");
        if let Some(job) = &dialog.job {
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(format!(
                    "Writing the {} to {}…",
                    job.label.to_lowercase(),
                    job.path.display()
                ));
            });
            ctx.request_repaint_after(Duration::from_millis(100));
            return;
        }
        ui.add_space(4.0);
        choices_ui(ui, dialog, situation);
        ui.add_space(8.0);
        ui.separator();
        let options = dialog.options();
        let report = dialog
            .preview
            .get_or_insert_with(|| prepare(situation, &options).1);
        preview_ui(ui, report);
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if ui.button("Export…").clicked() {
                request = Some(ExportRequest {
                    format: dialog.format,
                    options: dialog.options(),
                    since: dialog.since_for_format(),
                });
            }
            if ui.button("Cancel").clicked() {
                dialog.open = false;
            }
        });
    });
    if modal.should_close() && dialog.job.is_none() {
        dialog.open = false;
    }
    request
}

/// A combo box of `choices` labelled `label`, on a row of the dialog's grid.
fn choice_ui<T: PartialEq + Copy>(
    ui: &mut egui::Ui,
    label: &str,
    value: &mut T,
    choices: &[T],
    name: impl Fn(T) -> &'static str,
) {
    let label = ui.label(label);
    egui::ComboBox::from_id_salt(label.id)
        .selected_text(name(*value))
        .width(300.0)
        .show_ui(ui, |ui| {
            for &choice in choices {
                ui.selectable_value(value, choice, name(choice));
            }
        })
        .response
        .labelled_by(label.id);
    ui.end_row();
}

/// The height of the partner picker's list (about twenty partners; more scroll).
const PICKER_HEIGHT: f32 = 440.0;

/// How many characters of a partner's name the picker shows.
const PICKER_NAME_CHARS: usize = 60;

/// The partners an export for `ceiling` may be made for: those the audience may see.
fn visible_partners(situation: &Situation, ceiling: Sensitivity) -> Vec<&Partner> {
    situation
        .partners
        .iter()
        .filter(|p| p.sensitivity <= ceiling)
        .collect()
}

/// A partner as the picker names it: `African Union (AU)`, long names shortened.
fn partner_label(p: &Partner) -> String {
    let name = crate::export::long_text::prefix(&p.name, PICKER_NAME_CHARS);
    let name = if name.len() < p.name.len() {
        format!("{name}…")
    } else {
        name.to_owned()
    };
    if p.acronym.trim().is_empty() || p.acronym == p.name {
        name
    } else {
        format!(
            "{name} ({})",
            crate::export::long_text::prefix(&p.acronym, 20)
        )
    }
}

/// The partner picker: no partner in particular, or one the audience may see. A partner
/// left out by a lower ceiling is unpicked.
fn partner_ui(ui: &mut egui::Ui, dialog: &mut ExportDialog, situation: &Situation) {
    let partners = visible_partners(situation, dialog.ceiling);
    let mut chosen = dialog
        .partner
        .clone()
        .filter(|id| partners.iter().any(|p| &p.id == id));
    if partners.is_empty() {
        dialog.set_partner(None);
        return;
    }
    let label = ui.label("For");
    let selected = chosen
        .as_deref()
        .and_then(|id| partners.iter().find(|p| p.id == id))
        .map_or_else(|| NO_PARTNER.to_owned(), |p| partner_label(p));
    egui::ComboBox::from_id_salt(label.id)
        .selected_text(selected)
        .width(300.0)
        .height(PICKER_HEIGHT)
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut chosen, None, NO_PARTNER);
            for p in &partners {
                ui.selectable_value(&mut chosen, Some(p.id.clone()), partner_label(p));
            }
        })
        .response
        .labelled_by(label.id);
    ui.end_row();
    dialog.set_partner(chosen);
}

/// The picker's first choice: an export for the ceiling only.
const NO_PARTNER: &str = "Any partner (the ceiling only)";

/// The format (and figure), the audience, the partner, the label and the choice about notes.
fn choices_ui(ui: &mut egui::Ui, dialog: &mut ExportDialog, situation: &Situation) {
    egui::Grid::new("export_choices")
        .num_columns(2)
        .spacing([12.0, 8.0])
        .show(ui, |ui| {
            choice_ui(
                ui,
                "Format",
                &mut dialog.format,
                &Format::ALL,
                Format::label,
            );
            if matches!(dialog.format, Format::Png | Format::Svg) {
                choice_ui(
                    ui,
                    "Figure",
                    &mut dialog.figure,
                    &Figure::ALL,
                    Figure::label,
                );
            }
            let mut ceiling = dialog.ceiling;
            choice_ui(
                ui,
                "Audience may see",
                &mut ceiling,
                Sensitivity::ALL,
                |s| s.label(),
            );
            dialog.set_ceiling(ceiling);
            partner_ui(ui, dialog, situation);
            let mut tlp = dialog.tlp;
            choice_ui(ui, "Sharing label", &mut tlp, &Tlp::ALL, Tlp::label);
            dialog.set_tlp(tlp);
            ui.label("");
            ui.label(RichText::new(dialog.tlp.meaning()).weak());
            ui.end_row();
            ui.label("Internal notes");
            let mut notes = dialog.notes;
            ui.checkbox(
                &mut notes,
                "Include the notes of actors, partners, lines and events",
            );
            dialog.set_notes(notes);
            ui.end_row();
            if has_since_section(dialog.format) && !dialog.marks.is_empty() {
                since_ui(ui, dialog);
            }
        });
}

/// Whether a format's paper or workbook can hold a "Since …" section.
fn has_since_section(format: Format) -> bool {
    matches!(
        format,
        Format::Markdown | Format::Html | Format::Pdf | Format::Docx | Format::Xlsx
    )
}

/// The picker's first choice: no "Since …" section.
const NO_MARK: &str = "None";

/// "Since": no section, or the changes since one of the situation's briefing marks (a row
/// shown only when the situation has marks).
fn since_ui(ui: &mut egui::Ui, dialog: &mut ExportDialog) {
    let label = ui.label("Since");
    let selected = dialog
        .since
        .as_ref()
        .map_or_else(|| NO_MARK.to_owned(), Mark::label);
    let mut chosen = dialog.since.clone();
    egui::ComboBox::from_id_salt(label.id)
        .selected_text(selected)
        .width(300.0)
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut chosen, None, NO_MARK);
            for mark in &dialog.marks {
                ui.selectable_value(&mut chosen, Some(mark.clone()), mark.label());
            }
        })
        .response
        .labelled_by(label.id)
        .on_hover_text("Adds a section on what changed since the mark, for this audience");
    ui.end_row();
    dialog.since = chosen;
}

/// How many texts naming left-out items the preview lists by name.
const MAX_MENTIONS_LISTED: usize = 50;

/// What will be left out: counts and names per kind.
fn preview_ui(ui: &mut egui::Ui, report: &RedactionReport) {
    ui.strong("Left out of this export");
    match report.notes_left_out {
        Some(0) | None => {}
        Some(n) => {
            ui.label(crate::text::counted(n, "internal note", "internal notes"));
        }
    }
    if report.is_empty() {
        ui.label(format!(
            "Nothing: every item is {} or below.",
            report.ceiling.label().to_lowercase()
        ));
        return;
    }
    egui::ScrollArea::vertical()
        .max_height(220.0)
        .id_salt("export_preview")
        .show(ui, |ui| {
            for (what, names) in [
                ("Actors", &report.actors),
                ("Partners", &report.partners),
                ("Lines of effort", &report.lines),
                ("Assignments", &report.assignments),
                ("Events", &report.events),
            ] {
                if names.is_empty() {
                    continue;
                }
                egui::CollapsingHeader::new(format!("{what}: {}", names.len()))
                    .id_salt(what)
                    .show(ui, |ui| {
                        for name in names {
                            ui.label(name);
                        }
                    });
            }
            if report.references > 0 {
                ui.label(format!(
                    "References to left-out items removed from what remains: {}",
                    report.references
                ));
            }
            if !report.mentions.is_empty() {
                ui.add_space(6.0);
                ui.colored_label(
                    ui.visuals().warn_fg_color,
                    format!(
                        "⚠ Text that stays in the export still names left-out items ({}). \
                         Redaction does not rewrite prose: edit these before sharing.",
                        report.mentions.len()
                    ),
                );
                for mention in report.mentions.iter().take(MAX_MENTIONS_LISTED) {
                    ui.label(format!("{} names “{}”", mention.place, mention.name));
                }
                if let Some(more) = report.mentions.len().checked_sub(MAX_MENTIONS_LISTED)
                    && more > 0
                {
                    ui.label(RichText::new(format!("… and {more} more")).weak());
                }
            }
        });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_label_follows_the_ceiling_until_chosen() {
        let mut dialog = ExportDialog::default();
        assert_eq!(dialog.tlp, Tlp::Clear);
        dialog.set_ceiling(Sensitivity::Confidential);
        assert_eq!(dialog.tlp, Tlp::Amber);
        dialog.set_tlp(Tlp::Green);
        dialog.set_ceiling(Sensitivity::StrictlyConfidential);
        assert_eq!(dialog.tlp, Tlp::Green, "a chosen label is kept");
    }

    #[test]
    fn the_picker_offers_only_partners_the_audience_may_see() {
        let mut s = Situation::new("Guinea", "2009-10-01".parse().unwrap());
        let mut au = Partner {
            id: "au".into(),
            name: "African Union".into(),
            acronym: "AU".into(),
            category: crate::model::PartnerCategory::Regional,
            instruments: Vec::new(),
            notes: String::new(),
            sensitivity: Sensitivity::Unclassified,
        };
        assert_eq!(partner_label(&au), "African Union (AU)");
        s.partners.push(au.clone());
        au.id = "quiet".into();
        au.sensitivity = Sensitivity::Confidential;
        s.partners.push(au);
        let ids = |c| -> Vec<String> {
            visible_partners(&s, c)
                .iter()
                .map(|p| p.id.clone())
                .collect()
        };
        assert_eq!(ids(Sensitivity::Unclassified), ["au"]);
        assert_eq!(ids(Sensitivity::Confidential), ["au", "quiet"]);
        let mut dialog = ExportDialog::default();
        dialog.set_partner(Some("au".into()));
        let request = ExportRequest {
            format: Format::Docx,
            options: dialog.options(),
            since: None,
        };
        assert_eq!(request.options.partner.as_deref(), Some("au"));
        assert_eq!(request.file_name(&s), "guinea-for-au-unclassified.docx");
    }

    #[test]
    fn the_suggested_file_name_names_the_ceiling() {
        let mut dialog = ExportDialog::default();
        dialog.set_ceiling(Sensitivity::Confidential);
        assert_eq!(
            ExportRequest {
                format: Format::Pdf,
                options: dialog.options(),
                since: None,
            }
            .file_name(&Situation::new(
                "Guinea 2009",
                "2009-10-01".parse().unwrap()
            )),
            "guinea-2009-confidential.pdf"
        );
    }
}
