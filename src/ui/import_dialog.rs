//! File → Import…: a modal window that previews an import before it happens.
//!
//! The app opens an [`ImportDialog`] for the file (CSV or workbook) the user picked, calls
//! [`import_dialog_ui`] every frame while it is open, and acts on the [`ImportOutcome`]
//! it returns: an [`Edit`] to apply to the open situation (one undoable step), a new
//! situation to open as an untitled document, or a cancel.

use crate::text::capitalised;
use std::path::{Path, PathBuf};

use crate::import::{Format, ImportPlan, Tally};
use crate::model::Situation;
use crate::model::edit::Edit;

/// Where the imported items go.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ImportTarget {
    /// Into the open situation, as one undoable edit.
    #[default]
    IntoOpen,
    /// Into a new, empty situation.
    NewSituation,
}

/// What the user decided.
#[derive(Clone, Debug, PartialEq)]
#[allow(clippy::large_enum_variant)]
pub enum ImportOutcome {
    /// Apply this edit to the open situation.
    Edit(Edit),
    /// Open this new situation (untitled, unsaved).
    NewSituation(Box<Situation>),
    /// Close the dialog without importing.
    Cancelled,
}

/// The state of an open import dialog.
pub struct ImportDialog {
    /// The file being imported (CSV or workbook).
    pub path: PathBuf,
    pub format: Format,
    pub target: ImportTarget,
    /// The workbook sheet to read; `None`: the first one in the format.
    pub sheet: Option<String>,
    /// A workbook's sheets, to choose from; `None` for a text file.
    sheets: Option<Vec<String>>,
    bytes: Result<Vec<u8>, String>,
    plan: Option<Result<ImportPlan, String>>,
    planned_for: Option<(Format, ImportTarget, Option<String>)>,
    planned_against: Option<Situation>,
    /// The new situation the plan makes, titled and dated from its data (that target only).
    new_situation: Option<Situation>,
}

impl ImportDialog {
    /// Opens the dialog for a file: reads it and guesses its format from its first line.
    pub fn open(path: PathBuf) -> Self {
        let bytes = crate::io::read_capped(&path).map_err(|d| d.message);
        Self::with_bytes(path, bytes)
    }

    /// Opens the dialog for bytes already read (or a read error), e.g. in tests.
    pub fn with_bytes(path: PathBuf, bytes: Result<Vec<u8>, String>) -> Self {
        let format = bytes.as_deref().map_or(Format::Hxl, guess_format);
        let sheets = bytes.as_deref().ok().and_then(crate::import::sheet_names);
        Self {
            path,
            format,
            target: ImportTarget::IntoOpen,
            sheet: None,
            sheets,
            bytes,
            plan: None,
            planned_for: None,
            planned_against: None,
            new_situation: None,
        }
    }

    /// The plan for the current format and target, or why there is none (after a frame).
    pub fn plan(&self) -> Option<&Result<ImportPlan, String>> {
        self.plan.as_ref()
    }

    /// Works the plan out again when the format, the target or the situation changed.
    pub fn refresh(&mut self, situation: &Situation) {
        let key = (self.format, self.target, self.sheet.clone());
        let against_same = match self.target {
            ImportTarget::IntoOpen => self.planned_against.as_ref() == Some(situation),
            ImportTarget::NewSituation => true,
        };
        if self.planned_for.as_ref() == Some(&key) && against_same && self.plan.is_some() {
            return;
        }
        let base = match self.target {
            ImportTarget::IntoOpen => Ok(situation.clone()),
            ImportTarget::NewSituation => blank_situation(&self.path),
        };
        self.plan = Some(match (&self.bytes, &base) {
            (Err(err), _) => Err(format!("{}: {err}", file_name(&self.path))),
            (_, Err(err)) => Err(err.clone()),
            (Ok(bytes), Ok(base)) => self
                .format
                .plan_sheet(bytes, base, self.sheet.as_deref())
                .map_err(|err| format!("{}: {err}", file_name(&self.path))),
        });
        self.new_situation = match (&self.plan, &base, self.target) {
            (Some(Ok(plan)), Ok(base), ImportTarget::NewSituation) => {
                plan.new_situation(base, &file_name(&self.path)).ok()
            }
            _ => None,
        };
        self.planned_for = Some(key);
        self.planned_against = match self.target {
            ImportTarget::IntoOpen => Some(situation.clone()),
            ImportTarget::NewSituation => None,
        };
    }

    /// What pressing Import gives: `None` when there is nothing to import.
    pub fn outcome(&self) -> Option<ImportOutcome> {
        let Some(Ok(plan)) = &self.plan else {
            return None;
        };
        match self.target {
            ImportTarget::IntoOpen => {
                (!plan.is_noop()).then(|| ImportOutcome::Edit(plan.edit.clone()))
            }
            ImportTarget::NewSituation => self
                .new_situation
                .clone()
                .map(|s| ImportOutcome::NewSituation(Box::new(s))),
        }
    }
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// The empty situation File → New starts from, titled after the imported file.
pub fn blank_situation(path: &Path) -> Result<Situation, String> {
    let mut situation = crate::samples::blank();
    situation.title = format!("Imported from {}", file_name(path));
    Ok(situation)
}

/// ACLED when the first non-blank line names ACLED's id column, else HXL.
fn guess_format(bytes: &[u8]) -> Format {
    let head = bytes.get(..4096).unwrap_or(bytes);
    let head = match encoding_rs::Encoding::for_bom(head) {
        Some((encoding, _)) => encoding.decode(head).0,
        None => String::from_utf8_lossy(head),
    }
    .to_ascii_lowercase();
    let first = head.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    if first.contains("event_id_cnty") {
        Format::Acled
    } else {
        Format::Hxl
    }
}

/// Draws the import dialog; returns what the user decided, `None` while it stays open.
pub fn import_dialog_ui(
    ctx: &egui::Context,
    dialog: &mut ImportDialog,
    situation: &Situation,
) -> Option<ImportOutcome> {
    dialog.refresh(situation);
    let modal = egui::Modal::new(egui::Id::unique("import_dialog")).show(ctx, |ui| {
        ui.set_max_width(560.0);
        ui.heading("Import");
        ui.label(format!("File: {}", dialog.path.display()));
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            ui.label("Format:");
            for format in Format::ALL {
                ui.radio_value(&mut dialog.format, format, format.label());
            }
        });
        if let Some(sheets) = &dialog.sheets {
            sheet_choice_ui(ui, &mut dialog.sheet, sheets);
        }
        ui.horizontal(|ui| {
            ui.label("Into:");
            ui.radio_value(
                &mut dialog.target,
                ImportTarget::IntoOpen,
                format!("the open situation (“{}”)", situation.title),
            );
            ui.radio_value(
                &mut dialog.target,
                ImportTarget::NewSituation,
                "a new situation",
            );
        });
        ui.separator();
        preview_ui(ui, dialog.plan.as_ref());
        if let Some(new) = &dialog.new_situation {
            ui.label(format!(
                "The new situation: “{}”, as of {}.",
                new.title, new.as_of
            ));
        }
        ui.separator();
        let can_import = dialog.outcome().is_some();
        ui.horizontal(|ui| {
            let import = ui
                .add_enabled(can_import, egui::Button::new("Import"))
                .on_disabled_hover_text("Nothing to import");
            if import.clicked() {
                return dialog.outcome();
            }
            if ui.button("Cancel").clicked() {
                return Some(ImportOutcome::Cancelled);
            }
            None
        })
        .inner
    });
    // Re-plan at once if a radio button changed, so the next frame shows the new preview.
    dialog.refresh(situation);
    let closed = modal.should_close();
    modal.inner.or(closed.then_some(ImportOutcome::Cancelled))
}

/// The workbook sheet to read: the first one in the format, or one by name.
fn sheet_choice_ui(ui: &mut egui::Ui, sheet: &mut Option<String>, sheets: &[String]) {
    ui.horizontal(|ui| {
        let label = ui.label("Sheet:");
        egui::ComboBox::from_id_salt("import_sheet")
            .selected_text(sheet.as_deref().unwrap_or("the first with data"))
            .show_ui(ui, |ui| {
                ui.selectable_value(sheet, None, "the first with data");
                for name in sheets {
                    ui.selectable_value(sheet, Some(name.clone()), name.as_str());
                }
            })
            .response
            .labelled_by(label.id);
    });
}

fn preview_ui(ui: &mut egui::Ui, plan: Option<&Result<ImportPlan, String>>) {
    let plan = match plan {
        None => {
            ui.label("Reading…");
            return;
        }
        Some(Err(message)) => {
            ui.colored_label(ui.visuals().error_fg_color, message);
            return;
        }
        Some(Ok(plan)) => plan,
    };
    ui.label(format!("Read as {}.", plan.source));
    ui.label(format!("{}.", plan.row_summary()));
    let rows: Vec<(&str, Tally)> = plan
        .counts
        .rows()
        .into_iter()
        .filter(|(_, t)| t.created + t.merged + t.skipped > 0)
        .collect();
    if plan.is_noop() {
        ui.label("Nothing to change: everything in the file is already in the situation.");
    }
    if !rows.is_empty() {
        egui::Grid::new("import_counts")
            .striped(true)
            .num_columns(4)
            .show(ui, |ui| {
                ui.strong("");
                ui.strong("Created");
                ui.strong("Merged");
                ui.strong("Skipped");
                ui.end_row();
                for (name, tally) in rows {
                    ui.label(capitalised(name));
                    ui.label(tally.created.to_string());
                    ui.label(tally.merged.to_string());
                    ui.label(tally.skipped.to_string());
                    ui.end_row();
                }
            });
    }
    if plan.skipped.is_empty() && plan.notices.is_empty() {
        return;
    }
    ui.add_space(4.0);
    egui::ScrollArea::vertical()
        .id_salt("import_issues")
        .max_height(200.0)
        .show(ui, |ui| {
            if !plan.skipped.is_empty() {
                ui.strong("Not imported");
                for issue in &plan.skipped {
                    ui.colored_label(ui.visuals().warn_fg_color, issue.to_string());
                }
            }
            if !plan.notices.is_empty() {
                ui.strong("Notes");
                for issue in &plan.notices {
                    ui.label(issue.to_string());
                }
            }
        });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::samples::guinea;

    const SHEET: &[u8] = b"#org+name,#activity+code,#activity+name\nECOWAS,loe-1,Mediation\n";

    #[test]
    fn guesses_acled_from_its_header() {
        assert_eq!(guess_format(b"event_id_cnty,event_date\n"), Format::Acled);
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(
                "event_id_cnty\tevent_date\n"
                    .encode_utf16()
                    .flat_map(u16::to_le_bytes),
            )
            .collect();
        assert_eq!(guess_format(&utf16), Format::Acled);
        assert_eq!(guess_format(SHEET), Format::Hxl);
    }

    #[test]
    fn import_into_the_open_situation_gives_its_edit() {
        let situation = guinea();
        let mut dialog = ImportDialog::with_bytes("3w.csv".into(), Ok(SHEET.to_vec()));
        dialog.refresh(&situation);
        let Some(ImportOutcome::Edit(edit)) = dialog.outcome() else {
            panic!("expected an edit");
        };
        let mut after = situation.clone();
        crate::model::edit::apply(&mut after, edit).unwrap();
        assert!(after.line("loe-1").is_some());
    }

    #[test]
    fn import_into_a_new_situation_leaves_the_open_one_out() {
        let situation = guinea();
        let mut dialog = ImportDialog::with_bytes("3w.csv".into(), Ok(SHEET.to_vec()));
        dialog.target = ImportTarget::NewSituation;
        dialog.refresh(&situation);
        let Some(ImportOutcome::NewSituation(new)) = dialog.outcome() else {
            panic!("expected a new situation");
        };
        assert_eq!(new.partners.len(), 1);
        assert_eq!(new.lines.len(), 1);
        assert_eq!(new.title, "Imported from 3w.csv");
    }

    #[test]
    fn unreadable_file_offers_no_import() {
        let mut dialog = ImportDialog::with_bytes("x.csv".into(), Err("cannot read".into()));
        dialog.refresh(&guinea());
        assert!(matches!(dialog.plan(), Some(Err(m)) if m.contains("cannot read")));
        assert_eq!(dialog.outcome(), None);
    }

    #[test]
    fn dialog_draws_the_preview_and_cancels() {
        use egui_kittest::kittest::Queryable as _;
        let situation = guinea();
        let dialog = ImportDialog::with_bytes(
            "3w.csv".into(),
            Ok(
                b"#org+name,#activity+code,#date+start\nECOWAS,loe-1,2019-13\nAU,loe-2,2010\n"
                    .to_vec(),
            ),
        );
        let mut harness = egui_kittest::Harness::new_ui_state(
            |ui, state: &mut (ImportDialog, Option<ImportOutcome>)| {
                if let Some(outcome) = import_dialog_ui(ui.ctx(), &mut state.0, &situation) {
                    state.1 = Some(outcome);
                }
            },
            (dialog, None),
        );
        harness.run();
        assert!(
            harness
                .query_by_label_contains("line 2: start date \"2019-13\" is not a date")
                .is_some()
        );
        assert!(
            harness
                .query_by_label("Read as UTF-8 text, comma-separated.")
                .is_some()
        );
        harness.get_by_label("Cancel").click();
        harness.run();
        assert_eq!(harness.state().1, Some(ImportOutcome::Cancelled));
    }

    #[test]
    fn a_workbook_offers_its_sheets() {
        let xlsx = include_bytes!("../../tests/data/3w-lebanon.xlsx");
        let mut dialog = ImportDialog::with_bytes("3w.xlsx".into(), Ok(xlsx.to_vec()));
        dialog.refresh(&guinea());
        let read = |d: &ImportDialog| match d.plan() {
            Some(Ok(plan)) => plan.source.to_string(),
            Some(Err(err)) => err.clone(),
            None => String::new(),
        };
        assert_eq!(read(&dialog), "Excel (.xlsx) workbook, sheet \"3W\"");
        dialog.sheet = Some("ReadMe".into());
        dialog.refresh(&guinea());
        assert!(
            read(&dialog).contains("no HXL hashtag row"),
            "{}",
            read(&dialog)
        );
        assert_eq!(dialog.outcome(), None);
        let mut harness = egui_kittest::Harness::new_ui_state(
            |ui, dialog: &mut ImportDialog| {
                import_dialog_ui(ui.ctx(), dialog, &guinea());
            },
            dialog,
        );
        harness.run();
        use egui_kittest::kittest::Queryable as _;
        assert!(harness.query_by_label("Sheet:").is_some());
    }

    #[test]
    fn a_new_situation_is_named_from_its_data_in_the_preview() {
        use egui_kittest::kittest::Queryable as _;
        let acled = include_bytes!("../../tests/data/acled-guinea-assoc.csv");
        let mut dialog = ImportDialog::with_bytes("acled.csv".into(), Ok(acled.to_vec()));
        assert_eq!(dialog.format, Format::Acled);
        dialog.target = ImportTarget::NewSituation;
        let situation = guinea();
        let mut harness = egui_kittest::Harness::new_ui_state(
            |ui, dialog: &mut ImportDialog| {
                import_dialog_ui(ui.ctx(), dialog, &situation);
            },
            dialog,
        );
        harness.run();
        assert!(
            harness
                .query_by_label(
                    "The new situation: “Guinea and Sierra Leone: incidents, September 2009 – January 2010 (ACLED)”, as of 2010-01-15."
                )
                .is_some()
        );
        let Some(ImportOutcome::NewSituation(new)) = harness.state().outcome() else {
            panic!("expected a new situation");
        };
        assert_eq!(new.events.len(), 5);
    }
}
