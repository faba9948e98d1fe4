//! The Actors view: the parties to the crisis.

use super::ViewCtx;
use super::table::{TableColumn, TableSource, TableState, filter_box_ui, item_table_ui};
use super::{Action, AppCommand};
use crate::model::{Actor, ItemKind};

struct Actors<'a>(&'a [Actor]);

impl TableSource for Actors<'_> {
    fn kind(&self) -> ItemKind {
        ItemKind::Actor
    }
    fn len(&self) -> usize {
        self.0.len()
    }
    fn id(&self, row: usize) -> &str {
        self.0.get(row).map_or("", |a| a.id.as_str())
    }
    fn cell(&self, row: usize, column: usize) -> String {
        let Some(a) = self.0.get(row) else {
            return String::new();
        };
        match column {
            0 => a.name.clone(),
            1 => a.kind.label().into(),
            2 => a.stance.label().into(),
            3 => a.influence.label().into(),
            4 => a.sensitivity.label().into(),
            _ => a.interests.clone(),
        }
    }
    fn haystack(&self, row: usize) -> String {
        self.0.get(row).map_or_else(String::new, |a| {
            [
                a.id.as_str(),
                &a.name,
                a.kind.label(),
                a.stance.label(),
                a.influence.label(),
                a.sensitivity.label(),
                &a.interests,
                &a.notes,
            ]
            .join("\n")
        })
    }
}

const COLUMNS: &[TableColumn] = &[
    TableColumn {
        title: "Name",
        width: 220.0,
    },
    TableColumn {
        title: "Kind",
        width: 170.0,
    },
    TableColumn {
        title: "Stance",
        width: 90.0,
    },
    TableColumn {
        title: "Influence",
        width: 80.0,
    },
    TableColumn {
        title: "Sensitivity",
        width: 110.0,
    },
    TableColumn {
        title: "Interests",
        width: 120.0,
    },
];

pub fn actors_ui(ui: &mut egui::Ui, state: &mut TableState, ctx: &mut ViewCtx<'_>) {
    ui.horizontal(|ui| {
        ui.heading("Actors");
        ui.label(egui::RichText::new("parties to the crisis").weak());
        ui.separator();
        filter_box_ui(ui, state, "Filter actors");
        if !ctx.read_only && ui.button("+ Add actor").clicked() {
            ctx.push(Action::Command(AppCommand::AddItem));
        }
    });
    item_table_ui(ui, state, ctx, COLUMNS, &Actors(&ctx.situation.actors));
}
