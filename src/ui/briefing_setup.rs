//! Before the first slide (F5): who the briefing is for. The presenter picks the audience
//! (what it may see, and the sharing label shown on every slide), sees what will be left out,
//! and is warned when text that stays still names a left-out item.

use egui::RichText;

use super::Action;
use crate::export::{Audience, ExportOptions, RedactionReport, Tlp, prepare};
use crate::io::marks::Mark;
use crate::model::{Sensitivity, Situation};

/// How many texts naming left-out items the question lists by name.
const MENTIONS_LISTED: usize = 8;

/// The audience being chosen, and what it leaves out of the current situation.
pub struct BriefingSetup {
    pub audience: Audience,
    /// Whether the presenter picked a label; until then it follows the ceiling.
    tlp_chosen: bool,
    /// The redaction report for (document revision, ceiling).
    report: Option<(u64, Sensitivity, RedactionReport)>,
    /// The situation's briefing marks, newest first.
    pub marks: Vec<Mark>,
    /// The mark a "Since …" slide reports the changes since; `None`: no such slide.
    pub since: Option<Mark>,
}

impl BriefingSetup {
    /// The question with `last` preselected (the last briefing's audience, or the export's).
    pub fn new(last: Audience) -> Self {
        Self {
            audience: last,
            tlp_chosen: last.tlp != Tlp::for_ceiling(last.ceiling),
            report: None,
            marks: Vec::new(),
            since: None,
        }
    }

    /// The same, offering a "Since …" slide on one of `marks` (newest first).
    pub fn with_marks(mut self, marks: Vec<Mark>) -> Self {
        self.marks = marks;
        self
    }

    /// Changes the ceiling; the label follows it until the presenter picks one.
    pub fn set_ceiling(&mut self, ceiling: Sensitivity) {
        self.audience.ceiling = ceiling;
        if !self.tlp_chosen {
            self.audience.tlp = Tlp::for_ceiling(ceiling);
        }
    }

    /// Picks the sharing label.
    pub fn set_tlp(&mut self, tlp: Tlp) {
        if tlp != self.audience.tlp {
            self.audience.tlp = tlp;
            self.tlp_chosen = true;
        }
    }

    /// What the chosen audience leaves out, computed once per revision and ceiling.
    fn report(&mut self, situation: &Situation, revision: u64) -> Option<&RedactionReport> {
        let ceiling = self.audience.ceiling;
        let stale = !matches!(&self.report, Some((r, c, _)) if *r == revision && *c == ceiling);
        if stale {
            let (_, report) = prepare(situation, &ExportOptions::new(Audience::new(ceiling)));
            self.report = Some((revision, ceiling, report));
        }
        self.report.as_ref().map(|(_, _, report)| report)
    }
}

/// The "Start briefing" question; returns `StartBriefing` or `CancelBriefing` once answered.
pub fn briefing_setup_ui(
    ctx: &egui::Context,
    setup: &mut BriefingSetup,
    situation: &Situation,
    revision: u64,
) -> Option<Action> {
    let modal = egui::Modal::new(egui::Id::unique("briefing_setup")).show(ctx, |ui| {
        ui.set_max_width(560.0);
        ui.heading("Start briefing");
        ui.label("Who is in the room? Items above what they may see are left out of every slide.");
        ui.add_space(6.0);
        audience_grid_ui(ui, setup);
        ui.add_space(6.0);
        if let Some(report) = setup.report(situation, revision) {
            left_out_ui(ui, report);
        }
        ui.add_space(8.0);
        let enter = ui.input(|i| i.key_pressed(egui::Key::Enter));
        ui.horizontal(|ui| {
            if ui.button("Start").clicked() || enter {
                Some(Action::StartBriefing(setup.audience))
            } else if ui.button("Cancel").clicked() {
                Some(Action::CancelBriefing)
            } else {
                None
            }
        })
        .inner
    });
    let closed = modal.should_close();
    modal.inner.or(closed.then_some(Action::CancelBriefing))
}

/// The two choices: what the audience may see, and the sharing label.
fn audience_grid_ui(ui: &mut egui::Ui, setup: &mut BriefingSetup) {
    egui::Grid::new("briefing_audience")
        .num_columns(2)
        .spacing([12.0, 8.0])
        .show(ui, |ui| {
            let mut ceiling = setup.audience.ceiling;
            combo_ui(
                ui,
                "Audience may see",
                &mut ceiling,
                Sensitivity::ALL,
                |s| s.label(),
            );
            setup.set_ceiling(ceiling);
            let mut tlp = setup.audience.tlp;
            combo_ui(ui, "Sharing label", &mut tlp, &Tlp::ALL, Tlp::label);
            setup.set_tlp(tlp);
            ui.label("");
            ui.label(RichText::new(setup.audience.tlp.meaning()).weak());
            ui.end_row();
            if !setup.marks.is_empty() {
                since_ui(ui, setup);
            }
        });
}

/// The picker's first choice: no "Since …" slide.
const NO_SINCE_SLIDE: &str = "None";

/// "Since slide": none, or the changes since one of the situation's marks, for the audience.
fn since_ui(ui: &mut egui::Ui, setup: &mut BriefingSetup) {
    let label = ui.label("Since slide");
    let selected = setup
        .since
        .as_ref()
        .map_or_else(|| NO_SINCE_SLIDE.to_owned(), Mark::label);
    let mut chosen = setup.since.clone();
    egui::ComboBox::from_id_salt(label.id)
        .selected_text(selected)
        .width(260.0)
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut chosen, None, NO_SINCE_SLIDE);
            for mark in &setup.marks {
                ui.selectable_value(&mut chosen, Some(mark.clone()), mark.label());
            }
        })
        .response
        .labelled_by(label.id)
        .on_hover_text("A slide after the title: what changed since the mark, for this audience");
    ui.end_row();
    setup.since = chosen;
}

/// A labelled combo box on a row of a grid.
fn combo_ui<T: PartialEq + Copy>(
    ui: &mut egui::Ui,
    label: &str,
    value: &mut T,
    choices: &[T],
    name: impl Fn(T) -> &'static str,
) {
    let label = ui.label(label);
    egui::ComboBox::from_id_salt(label.id)
        .selected_text(name(*value))
        .width(260.0)
        .show_ui(ui, |ui| {
            for &choice in choices {
                ui.selectable_value(value, choice, name(choice));
            }
        })
        .response
        .labelled_by(label.id);
    ui.end_row();
}

/// What the audience will not see, and the text that still names it.
fn left_out_ui(ui: &mut egui::Ui, report: &RedactionReport) {
    if report.total() == 0 {
        ui.label(format!(
            "Nothing is left out: every item is {} or below.",
            report.ceiling.label().to_lowercase()
        ));
    } else {
        let mut parts = Vec::new();
        for (n, one, many) in [
            (report.actors.len(), "actor", "actors"),
            (report.partners.len(), "partner", "partners"),
            (report.lines.len(), "line of effort", "lines of effort"),
            (report.assignments.len(), "assignment", "assignments"),
            (report.events.len(), "event", "events"),
        ] {
            if n > 0 {
                parts.push(crate::text::counted(n, one, many));
            }
        }
        ui.label(format!("Left out of the slides: {}.", parts.join(", ")));
    }
    if report.mentions.is_empty() {
        return;
    }
    ui.colored_label(
        ui.visuals().warn_fg_color,
        format!(
            "⚠ Text on the slides still names left-out items ({}). Check these before you \
             present:",
            report.mentions.len()
        ),
    );
    for mention in report.mentions.iter().take(MENTIONS_LISTED) {
        ui.label(format!("{} names “{}”", mention.place, mention.name));
    }
    if report.mentions.len() > MENTIONS_LISTED {
        let more = report.mentions.len() - MENTIONS_LISTED;
        ui.label(RichText::new(format!("… and {more} more")).weak());
    }
}
