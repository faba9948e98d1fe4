//! The Partners view: the organizations that can respond, by category.

use super::ViewCtx;
use super::table::{TableColumn, TableSource, TableState, filter_box_ui, item_table_ui};
use super::{Action, AppCommand};
use crate::model::{ItemKind, Partner, PartnerCategory};

/// The table, plus the category filter.
#[derive(Default)]
pub struct PartnersState {
    pub table: TableState,
    pub category: Option<PartnerCategory>,
}

struct Partners<'a> {
    partners: &'a [Partner],
    category: Option<PartnerCategory>,
}

impl TableSource for Partners<'_> {
    fn kind(&self) -> ItemKind {
        ItemKind::Partner
    }
    fn len(&self) -> usize {
        self.partners.len()
    }
    fn id(&self, row: usize) -> &str {
        self.partners.get(row).map_or("", |p| p.id.as_str())
    }
    fn cell(&self, row: usize, column: usize) -> String {
        let Some(p) = self.partners.get(row) else {
            return String::new();
        };
        match column {
            0 => p.name.clone(),
            1 => p.acronym.clone(),
            2 => p.category.label().into(),
            3 => p.sensitivity.label().into(),
            _ => p
                .instruments
                .iter()
                .map(|i| i.label())
                .collect::<Vec<_>>()
                .join(", "),
        }
    }
    fn haystack(&self, row: usize) -> String {
        self.partners.get(row).map_or_else(String::new, |p| {
            [
                p.id.as_str(),
                &p.name,
                &p.acronym,
                p.category.label(),
                &p.notes,
                p.sensitivity.label(),
            ]
            .join("\n")
        })
    }
    fn passes(&self, row: usize) -> bool {
        self.category
            .is_none_or(|c| self.partners.get(row).is_some_and(|p| p.category == c))
    }
    fn filter_key(&self) -> u64 {
        self.category.map_or(0, |c| c as u64 + 1)
    }
}

const COLUMNS: &[TableColumn] = &[
    TableColumn {
        title: "Name",
        width: 260.0,
    },
    TableColumn {
        title: "Acronym",
        width: 90.0,
    },
    TableColumn {
        title: "Category",
        width: 200.0,
    },
    TableColumn {
        title: "Sensitivity",
        width: 110.0,
    },
    TableColumn {
        title: "Instruments",
        width: 120.0,
    },
];

pub fn partners_ui(ui: &mut egui::Ui, state: &mut PartnersState, ctx: &mut ViewCtx<'_>) {
    ui.horizontal(|ui| {
        ui.heading("Partners");
        ui.label(egui::RichText::new("organizations that can respond").weak());
        ui.separator();
        filter_box_ui(ui, &mut state.table, "Filter partners");
        if !ctx.read_only && ui.button("+ Add partner").clicked() {
            ctx.push(Action::Command(AppCommand::AddItem));
        }
    });
    ui.horizontal_wrapped(|ui| {
        ui.label("Category:");
        ui.selectable_value(&mut state.category, None, "All");
        for &category in PartnerCategory::ALL {
            let count = ctx
                .situation
                .partners
                .iter()
                .filter(|p| p.category == category)
                .count();
            ui.selectable_value(
                &mut state.category,
                Some(category),
                format!("{} ({count})", category.label()),
            );
        }
    });
    let source = Partners {
        partners: &ctx.situation.partners,
        category: state.category,
    };
    item_table_ui(ui, &mut state.table, ctx, COLUMNS, &source);
}
