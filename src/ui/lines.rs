//! The Lines of effort view: what must be done, with which instrument, on which track.

use super::ViewCtx;
use super::table::{TableColumn, TableSource, TableState, filter_box_ui, item_table_ui};
use super::{Action, AppCommand};
use crate::model::{ItemKind, LineOfEffort};

struct Lines<'a>(&'a [LineOfEffort]);

fn date_text(date: Option<crate::model::PartialDate>) -> String {
    date.map(|d| d.to_string()).unwrap_or_default()
}

impl TableSource for Lines<'_> {
    fn kind(&self) -> ItemKind {
        ItemKind::Line
    }
    fn len(&self) -> usize {
        self.0.len()
    }
    fn id(&self, row: usize) -> &str {
        self.0.get(row).map_or("", |l| l.id.as_str())
    }
    fn cell(&self, row: usize, column: usize) -> String {
        let Some(l) = self.0.get(row) else {
            return String::new();
        };
        match column {
            0 => l.title.clone(),
            1 => l.instrument.label().into(),
            2 => l.track.label().into(),
            3 => l.status.label().into(),
            4 => date_text(l.start),
            5 => date_text(l.end),
            _ => l.sensitivity.label().into(),
        }
    }
    fn haystack(&self, row: usize) -> String {
        self.0.get(row).map_or_else(String::new, |l| {
            [
                l.id.as_str(),
                &l.title,
                l.instrument.label(),
                l.track.label(),
                l.status.label(),
                &l.notes,
                l.sensitivity.label(),
            ]
            .join("\n")
        })
    }
}

const COLUMNS: &[TableColumn] = &[
    TableColumn {
        title: "Line of effort",
        width: 260.0,
    },
    TableColumn {
        title: "Instrument",
        width: 170.0,
    },
    TableColumn {
        title: "Track",
        width: 140.0,
    },
    TableColumn {
        title: "Status",
        width: 80.0,
    },
    TableColumn {
        title: "Start",
        width: 80.0,
    },
    TableColumn {
        title: "End",
        width: 80.0,
    },
    TableColumn {
        title: "Sensitivity",
        width: 100.0,
    },
];

pub fn lines_ui(ui: &mut egui::Ui, state: &mut TableState, ctx: &mut ViewCtx<'_>) {
    ui.horizontal(|ui| {
        ui.heading("Lines of effort");
        ui.separator();
        filter_box_ui(ui, state, "Filter lines of effort");
        if !ctx.read_only && ui.button("+ Add line of effort").clicked() {
            ctx.push(Action::Command(AppCommand::AddItem));
        }
    });
    item_table_ui(ui, state, ctx, COLUMNS, &Lines(&ctx.situation.lines));
}
