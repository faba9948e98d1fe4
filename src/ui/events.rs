//! The Events view: the timeline as a list.

use super::ViewCtx;
use super::table::{TableColumn, TableSource, TableState, filter_box_ui, item_table_ui};
use super::{Action, AppCommand};
use crate::model::{Event, ItemKind};

struct Events<'a>(&'a [Event]);

impl TableSource for Events<'_> {
    fn kind(&self) -> ItemKind {
        ItemKind::Event
    }
    fn len(&self) -> usize {
        self.0.len()
    }
    fn id(&self, row: usize) -> &str {
        self.0.get(row).map_or("", |e| e.id.as_str())
    }
    fn cell(&self, row: usize, column: usize) -> String {
        let Some(e) = self.0.get(row) else {
            return String::new();
        };
        match column {
            0 => e.title.clone(),
            1 => match e.end {
                Some(end) => format!("{} – {end}", e.date),
                None => e.date.to_string(),
            },
            2 => e.kind.label().into(),
            3 => e.sensitivity.label().into(),
            _ => e.source.clone(),
        }
    }
    fn haystack(&self, row: usize) -> String {
        self.0.get(row).map_or_else(String::new, |e| {
            let date = e.date.to_string();
            [
                e.id.as_str(),
                &e.title,
                &date,
                e.kind.label(),
                &e.source,
                &e.notes,
                e.sensitivity.label(),
            ]
            .join("\n")
        })
    }
}

const COLUMNS: &[TableColumn] = &[
    TableColumn {
        title: "Event",
        width: 300.0,
    },
    TableColumn {
        title: "Date",
        width: 150.0,
    },
    TableColumn {
        title: "Kind",
        width: 130.0,
    },
    TableColumn {
        title: "Sensitivity",
        width: 110.0,
    },
    TableColumn {
        title: "Source",
        width: 120.0,
    },
];

pub fn events_ui(ui: &mut egui::Ui, state: &mut TableState, ctx: &mut ViewCtx<'_>) {
    ui.horizontal(|ui| {
        ui.heading("Events");
        ui.separator();
        filter_box_ui(ui, state, "Filter events");
        if !ctx.read_only && ui.button("+ Add event").clicked() {
            ctx.push(Action::Command(AppCommand::AddItem));
        }
    });
    item_table_ui(ui, state, ctx, COLUMNS, &Events(&ctx.situation.events));
}
