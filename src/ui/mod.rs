//! Views, panels and dialogs. Each reads the situation and pushes [`Action`]s; none changes
//! it. The app (`crate::app`) applies the actions after drawing; nothing here imports it.

pub mod action;
pub mod actors;
pub mod briefing;
mod briefing_map;
pub mod briefing_setup;
pub mod command;
pub mod day_picker;
pub mod detail;
pub mod events;
pub mod export_dialog;
pub mod history;
pub mod import_dialog;
pub mod lines;
pub mod map;
pub mod marker;
pub mod marks;
pub mod matrix;
pub mod menu;
pub mod modals;
pub mod overview;
pub mod palette;
pub mod partners;
pub mod problems;
pub mod safety;
pub mod share_dialog;
pub mod table;
pub mod theme;
pub mod timeline;

use crate::model::{Diagnostic, ItemKind, ItemRef, Situation};
pub use action::{Action, PathPrompt, PathPurpose, UnsavedChoice, View};
pub use command::AppCommand;

/// What every view gets to read, and where it puts what the user asked for.
pub struct ViewCtx<'a> {
    pub situation: &'a Situation,
    /// Changes whenever the situation changes: a key for caches.
    pub revision: u64,
    /// When each part of the situation last changed: a key for caches that read only some.
    pub stamps: crate::model::touched::ChangeStamps,
    pub diagnostics: &'a [Diagnostic],
    pub selection: &'a Option<ItemRef>,
    pub read_only: bool,
    pub actions: &'a mut Vec<Action>,
}

impl ViewCtx<'_> {
    pub fn push(&mut self, action: Action) {
        self.actions.push(action);
    }

    pub fn is_selected(&self, kind: ItemKind, id: &str) -> bool {
        self.selection
            .as_ref()
            .is_some_and(|s| s.kind == kind && s.id == id)
    }
}

/// The runtime state of every view (filters, sort orders, scroll, zoom).
#[derive(Default)]
pub struct ViewStates {
    pub actors: table::TableState,
    pub partners: partners::PartnersState,
    pub lines: table::TableState,
    pub events: table::TableState,
    pub detail: detail::DetailState,
    pub overview: overview::OverviewState,
    pub timeline: timeline::TimelineState,
    pub matrix: matrix::MatrixState,
    pub map: map::MapState,
}

/// The inspector's share of the window at most: the view beside it keeps the rest.
const INSPECTOR_MAX_SHARE: f32 = 0.4;
/// The inspector's width when first opened, and its narrowest.
const INSPECTOR_DEFAULT_WIDTH: f32 = 340.0;
const INSPECTOR_MIN_WIDTH: f32 = 260.0;

/// Draws the current view in the remaining space, with the inspector of the selected item on
/// the right. The inspector's width is remembered, and kept within a share of the window.
pub fn views_ui(ui: &mut egui::Ui, view: View, states: &mut ViewStates, ctx: &mut ViewCtx<'_>) {
    let selected = ctx
        .selection
        .as_ref()
        .is_some_and(|s| ctx.situation.has_id(&s.id));
    let details = view == View::Overview && states.overview.details_open;
    if details || (selected && view != View::Overview) {
        let widest = (ui.available_width() * INSPECTOR_MAX_SHARE).max(INSPECTOR_MIN_WIDTH);
        egui::Panel::right("inspector")
            .resizable(true)
            .default_size(INSPECTOR_DEFAULT_WIDTH)
            .size_range(INSPECTOR_MIN_WIDTH..=widest)
            .show(ui, |ui| {
                if details {
                    overview::details_ui(ui, &mut states.overview, &mut states.detail, ctx);
                } else {
                    detail::detail_ui(ui, &mut states.detail, ctx);
                }
            });
    }
    egui::CentralPanel::default().show(ui, |ui| match view {
        View::Overview => overview::overview_ui(ui, &mut states.overview, ctx),
        View::Actors => actors::actors_ui(ui, &mut states.actors, ctx),
        View::Partners => partners::partners_ui(ui, &mut states.partners, ctx),
        View::Lines => lines::lines_ui(ui, &mut states.lines, ctx),
        View::Events => events::events_ui(ui, &mut states.events, ctx),
        View::Timeline => timeline::timeline_ui(ui, &mut states.timeline, ctx),
        View::Matrix => matrix::matrix_ui(ui, &mut states.matrix, ctx),
        View::Map => map::map_ui(ui, &mut states.map, &mut states.timeline, ctx),
    });
}

/// The view that lists items of `kind` (the current one if it shows them too).
pub fn view_for(kind: ItemKind, current: View) -> View {
    match (kind, current) {
        (ItemKind::Event, View::Timeline) => View::Timeline,
        (ItemKind::Line | ItemKind::Partner, View::Matrix) => View::Matrix,
        (ItemKind::Event | ItemKind::Line | ItemKind::Actor, View::Map) => View::Map,
        (ItemKind::Actor, _) => View::Actors,
        (ItemKind::Partner, _) => View::Partners,
        (ItemKind::Line, _) => View::Lines,
        (ItemKind::Event, _) => View::Events,
    }
}

impl ViewStates {
    /// Closes a menu the view has open (the matrix's cell menu); says whether there was one.
    /// Escape closes the innermost thing first: a menu (or the Overview's details), then the
    /// selection.
    pub fn close_menu(&mut self, view: View) -> bool {
        match view {
            View::Matrix => self.matrix.close_menu(),
            View::Overview => self.overview.close_details(),
            _ => false,
        }
    }

    /// Whether `view`'s own keys are live (its canvas has the pointer or focus), as it said
    /// when it last drew. Views without keys of their own say yes.
    pub fn keys_active(&self, view: View) -> bool {
        match view {
            View::Matrix => self.matrix.keys_active,
            View::Timeline => self.timeline.keys_active,
            View::Map => self.map.keys_active,
            _ => true,
        }
    }
}

/// Commands whose meaning depends on the current view: Find, Add…, and the matrix's and the
/// timeline's own keys.
pub fn handle_view_command(
    command: AppCommand,
    view: View,
    states: &mut ViewStates,
    screen: egui::Rect,
    ctx: &mut ViewCtx<'_>,
) {
    match command {
        AppCommand::Find => match view {
            View::Actors => states.actors.focus_filter = true,
            View::Partners => states.partners.table.focus_filter = true,
            View::Lines => states.lines.focus_filter = true,
            View::Events => states.events.focus_filter = true,
            _ => {}
        },
        AppCommand::AddItem => {
            let kind = match view {
                View::Actors => ItemKind::Actor,
                View::Partners => ItemKind::Partner,
                View::Lines | View::Matrix => ItemKind::Line,
                _ => ItemKind::Event,
            };
            if let Some((edit, item)) = detail::new_item_edit(ctx.situation, kind) {
                ctx.push(Action::Edit(edit));
                ctx.push(Action::Reveal(item));
            }
        }
        AppCommand::Matrix(command) => {
            matrix::run_command(&mut states.matrix, command, screen, ctx)
        }
        AppCommand::Timeline(command) => states.timeline.run_command(command),
        AppCommand::Map(command) => states.map.run_command(command),
        _ => {}
    }
}
