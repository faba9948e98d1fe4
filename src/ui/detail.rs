//! The detail pane: every field of the selected item.

use super::ViewCtx;
use crate::app::{Action, AppCommand};
use crate::model::edit::Edit;
use crate::model::{
    Actor, ActorKind, Event, EventKind, Influence, Instrument, Item, ItemKind, ItemRef,
    LineOfEffort, Partner, PartnerCategory, Situation, Stance, Status, Track, ids,
};

/// State of the detail pane that outlives a frame.
#[derive(Default)]
pub struct DetailState {}

/// The edit that adds a new item of `kind` with a fresh id, and a reference to it.
pub fn new_item_edit(situation: &Situation, kind: ItemKind) -> Option<(Edit, ItemRef)> {
    let sensitivity = situation.sensitivity;
    let (name, fallback) = match kind {
        ItemKind::Actor => ("New actor", "actor"),
        ItemKind::Partner => ("New partner", "partner"),
        ItemKind::Line => ("New line of effort", "line"),
        ItemKind::Event => ("New event", "event"),
    };
    let id = ids::fresh_id(situation, name, fallback);
    let item = match kind {
        ItemKind::Actor => Item::Actor(Actor {
            id: id.clone(),
            name: name.into(),
            kind: ActorKind::Other,
            stance: Stance::Unknown,
            influence: Influence::Medium,
            interests: String::new(),
            notes: String::new(),
            sensitivity,
        }),
        ItemKind::Partner => Item::Partner(Partner {
            id: id.clone(),
            name: name.into(),
            acronym: String::new(),
            category: PartnerCategory::UnSystem,
            instruments: Vec::new(),
            notes: String::new(),
            sensitivity,
        }),
        ItemKind::Line => Item::Line(LineOfEffort {
            id: id.clone(),
            title: name.into(),
            instrument: Instrument::GoodOffices,
            track: Track::I,
            status: Status::Planned,
            start: None,
            end: None,
            actors: Vec::new(),
            notes: String::new(),
            sensitivity,
        }),
        ItemKind::Event => Item::Event(Event {
            id: id.clone(),
            title: name.into(),
            kind: EventKind::DiplomaticAction,
            date: situation.as_of,
            end: None,
            actors: Vec::new(),
            partners: Vec::new(),
            lines: Vec::new(),
            answers: Vec::new(),
            source: String::new(),
            notes: String::new(),
            sensitivity,
        }),
    };
    let index = match kind {
        ItemKind::Actor => situation.actors.len(),
        ItemKind::Partner => situation.partners.len(),
        ItemKind::Line => situation.lines.len(),
        ItemKind::Event => situation.events.len(),
    };
    Some((Edit::Insert { index, item }, ItemRef::new(kind, id)))
}

fn field_ui(ui: &mut egui::Ui, label: &str, value: &str) {
    ui.label(egui::RichText::new(label).weak());
    if value.is_empty() {
        ui.label(egui::RichText::new("—").weak());
    } else {
        ui.label(value);
    }
    ui.end_row();
}

fn names(situation: &Situation, kind: ItemKind, ids: &[String]) -> String {
    ids.iter()
        .map(|id| {
            let name = match kind {
                ItemKind::Actor => situation.actor(id).map(|a| a.name.as_str()),
                ItemKind::Partner => situation.partner(id).map(|p| p.short_name()),
                ItemKind::Line => situation.line(id).map(|l| l.title.as_str()),
                ItemKind::Event => situation.event(id).map(|e| e.title.as_str()),
            };
            name.map_or_else(|| format!("{id} (missing)"), str::to_owned)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Draws the selected item's fields, or a hint when nothing is selected.
pub fn detail_ui(ui: &mut egui::Ui, _state: &mut DetailState, ctx: &mut ViewCtx<'_>) {
    let Some(selection) = ctx.selection.clone() else {
        ui.add_space(8.0);
        ui.label(egui::RichText::new("Select an item to see its details.").weak());
        return;
    };
    let situation = ctx.situation;
    egui::ScrollArea::vertical()
        .id_salt("detail_scroll")
        .show(ui, |ui| {
            let grid = |ui: &mut egui::Ui, add: &mut dyn FnMut(&mut egui::Ui)| {
                egui::Grid::new("detail_grid")
                    .num_columns(2)
                    .striped(false)
                    .spacing([10.0, 6.0])
                    .show(ui, |ui| add(ui));
            };
            match selection.kind {
                ItemKind::Actor => {
                    let Some(a) = situation.actor(&selection.id) else {
                        return;
                    };
                    ui.heading(&a.name);
                    grid(ui, &mut |ui| {
                        field_ui(ui, "Id", &a.id);
                        field_ui(ui, "Kind", a.kind.label());
                        field_ui(ui, "Stance", a.stance.label());
                        field_ui(ui, "Influence", a.influence.label());
                        field_ui(ui, "Sensitivity", a.sensitivity.label());
                        field_ui(ui, "Interests", &a.interests);
                        field_ui(ui, "Notes", &a.notes);
                    });
                }
                ItemKind::Partner => {
                    let Some(p) = situation.partner(&selection.id) else {
                        return;
                    };
                    ui.heading(&p.name);
                    let instruments = p
                        .instruments
                        .iter()
                        .map(|i| i.label())
                        .collect::<Vec<_>>()
                        .join(", ");
                    let roles: Vec<String> = situation
                        .assignments
                        .iter()
                        .filter(|a| a.partner == p.id)
                        .map(|a| {
                            let line = situation
                                .line(&a.line)
                                .map_or(a.line.as_str(), |l| l.title.as_str());
                            format!("{}: {line}", a.role.describe())
                        })
                        .collect();
                    grid(ui, &mut |ui| {
                        field_ui(ui, "Id", &p.id);
                        field_ui(ui, "Acronym", &p.acronym);
                        field_ui(ui, "Category", p.category.label());
                        field_ui(ui, "Instruments", &instruments);
                        field_ui(ui, "Sensitivity", p.sensitivity.label());
                        field_ui(ui, "Roles", &roles.join("\n"));
                        field_ui(ui, "Notes", &p.notes);
                    });
                }
                ItemKind::Line => {
                    let Some(l) = situation.line(&selection.id) else {
                        return;
                    };
                    ui.heading(&l.title);
                    let partners: Vec<String> = situation
                        .assignments
                        .iter()
                        .filter(|a| a.line == l.id)
                        .map(|a| {
                            let name = situation
                                .partner(&a.partner)
                                .map_or(a.partner.as_str(), |p| p.short_name());
                            format!("{name}: {}", a.role.describe())
                        })
                        .collect();
                    grid(ui, &mut |ui| {
                        field_ui(ui, "Id", &l.id);
                        field_ui(ui, "Instrument", l.instrument.label());
                        field_ui(ui, "Track", l.track.label());
                        field_ui(ui, "Status", l.status.label());
                        field_ui(
                            ui,
                            "Start",
                            &l.start.map(|d| d.to_string()).unwrap_or_default(),
                        );
                        field_ui(ui, "End", &l.end.map(|d| d.to_string()).unwrap_or_default());
                        field_ui(
                            ui,
                            "Actors engaged",
                            &names(situation, ItemKind::Actor, &l.actors),
                        );
                        field_ui(ui, "Partners", &partners.join("\n"));
                        field_ui(ui, "Sensitivity", l.sensitivity.label());
                        field_ui(ui, "Notes", &l.notes);
                    });
                }
                ItemKind::Event => {
                    let Some(e) = situation.event(&selection.id) else {
                        return;
                    };
                    ui.heading(&e.title);
                    grid(ui, &mut |ui| {
                        field_ui(ui, "Id", &e.id);
                        field_ui(ui, "Kind", e.kind.label());
                        field_ui(ui, "Date", &e.date.to_string());
                        field_ui(ui, "End", &e.end.map(|d| d.to_string()).unwrap_or_default());
                        field_ui(ui, "Actors", &names(situation, ItemKind::Actor, &e.actors));
                        field_ui(
                            ui,
                            "Partners",
                            &names(situation, ItemKind::Partner, &e.partners),
                        );
                        field_ui(
                            ui,
                            "Lines of effort",
                            &names(situation, ItemKind::Line, &e.lines),
                        );
                        field_ui(
                            ui,
                            "Answers warnings",
                            &names(situation, ItemKind::Event, &e.answers),
                        );
                        field_ui(ui, "Source", &e.source);
                        field_ui(ui, "Sensitivity", e.sensitivity.label());
                        field_ui(ui, "Notes", &e.notes);
                    });
                }
            }
            if !ctx.read_only {
                ui.separator();
                ui.horizontal(|ui| {
                    if ui.button("Duplicate").clicked() {
                        ctx.push(Action::Command(AppCommand::Duplicate));
                    }
                    if ui.button("🗑 Delete").clicked() {
                        ctx.push(Action::Command(AppCommand::Delete));
                    }
                });
            }
        });
}
