//! The sortable, filterable item table shared by the Actors, Partners, Lines and Events views.
//! Only the rows in view are laid out, so 10,000 rows scroll as smoothly as ten.

use egui_extras::{Column, TableBuilder};

use super::Action;
use super::ViewCtx;
use crate::model::{ItemKind, ItemRef};

/// Filter text, sort order and the cached row order of one table.
#[derive(Default)]
pub struct TableState {
    pub filter: String,
    /// Column index and ascending?
    pub sort: Option<(usize, bool)>,
    /// Set by Find (Ctrl+F): focus the filter box next frame.
    pub focus_filter: bool,
    cache: Option<RowCache>,
    scroll_to_selection: bool,
}

struct RowCache {
    key: (u64, String, Option<(usize, bool)>, u64),
    rows: Vec<usize>,
}

/// A column of an item table.
pub struct TableColumn {
    pub title: &'static str,
    pub width: f32,
}

/// What a view tells the table about its items.
#[allow(clippy::len_without_is_empty)]
pub trait TableSource {
    fn kind(&self) -> ItemKind;
    fn len(&self) -> usize;
    fn id(&self, row: usize) -> &str;
    /// The text of one cell; also what sorting compares.
    fn cell(&self, row: usize, column: usize) -> String;
    /// Every text field of the item, for the filter box.
    fn haystack(&self, row: usize) -> String;
    /// Whether the row passes the view's own filters (e.g. a category).
    fn passes(&self, _row: usize) -> bool {
        true
    }
    /// Changes when the view's own filters change.
    fn filter_key(&self) -> u64 {
        0
    }
}

impl TableState {
    /// The rows to show, in order: filtered and sorted, recomputed only when something changed.
    pub fn rows(&mut self, revision: u64, columns: usize, source: &dyn TableSource) -> &[usize] {
        let key = (
            revision,
            self.filter.clone(),
            self.sort,
            source.filter_key(),
        );
        if self.cache.as_ref().is_none_or(|c| c.key != key) {
            let needle = self.filter.trim().to_lowercase();
            let mut rows: Vec<usize> = (0..source.len())
                .filter(|&r| source.passes(r))
                .filter(|&r| {
                    needle.is_empty() || source.haystack(r).to_lowercase().contains(&needle)
                })
                .collect();
            if let Some((column, ascending)) = self.sort.filter(|(c, _)| *c < columns) {
                let mut keyed: Vec<(String, usize)> = rows
                    .iter()
                    .map(|&r| (source.cell(r, column).to_lowercase(), r))
                    .collect();
                keyed.sort();
                if !ascending {
                    keyed.reverse();
                }
                rows = keyed.into_iter().map(|(_, r)| r).collect();
            }
            self.cache = Some(RowCache { key, rows });
        }
        self.cache
            .as_ref()
            .map(|c| c.rows.as_slice())
            .unwrap_or_default()
    }

    /// Asks the table to bring the selected row into view on the next frame.
    pub fn reveal_selection(&mut self) {
        self.scroll_to_selection = true;
    }
}

/// The filter box: matches any text field of an item.
pub fn filter_box_ui(ui: &mut egui::Ui, state: &mut TableState, hint: &str) {
    let response = ui
        .add(
            egui::TextEdit::singleline(&mut state.filter)
                .hint_text(hint)
                .desired_width(220.0),
        )
        .on_hover_text("Filter: matches any text field (Ctrl+F)");
    if state.focus_filter {
        response.request_focus();
        state.focus_filter = false;
    }
    if !state.filter.is_empty()
        && ui
            .small_button("×")
            .on_hover_text("Clear the filter")
            .clicked()
    {
        state.filter.clear();
    }
}

/// Draws the table of `source`, sorted by a click on a header, selecting on a click on a row.
pub fn item_table_ui(
    ui: &mut egui::Ui,
    state: &mut TableState,
    ctx: &mut ViewCtx<'_>,
    columns: &[TableColumn],
    source: &dyn TableSource,
) {
    let rows = state.rows(ctx.revision, columns.len(), source).to_vec();
    let kind = source.kind();
    let selected_row = ctx
        .selection
        .as_ref()
        .filter(|s| s.kind == kind)
        .and_then(|s| rows.iter().position(|&r| source.id(r) == s.id));
    ui.label(
        egui::RichText::new(format!("{} of {} shown", rows.len(), source.len()))
            .small()
            .weak(),
    );
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
    let scroll_to = std::mem::take(&mut state.scroll_to_selection)
        .then_some(selected_row)
        .flatten();
    let builder = table_builder(ui, kind, columns, scroll_to);
    let mut clicked_sort = None;
    let mut clicked_row = None;
    builder
        .header(row_height + 2.0, |mut header| {
            for (i, column) in columns.iter().enumerate() {
                header.col(|ui| {
                    let arrow = match state.sort {
                        Some((c, true)) if c == i => " ⏶",
                        Some((c, false)) if c == i => " ⏷",
                        _ => "",
                    };
                    let text = egui::RichText::new(format!("{}{arrow}", column.title)).strong();
                    if ui
                        .add(egui::Button::new(text).frame(false))
                        .on_hover_text("Sort")
                        .clicked()
                    {
                        clicked_sort = Some(i);
                    }
                });
            }
        })
        .body(|body| {
            body.rows(row_height, rows.len(), |mut row| {
                let Some(&item) = rows.get(row.index()) else {
                    return;
                };
                let is_selected = Some(row.index()) == selected_row;
                row.set_selected(is_selected);
                for column in 0..columns.len() {
                    row.col(|ui| {
                        let text = source.cell(item, column);
                        if column == 0 {
                            if ui
                                .add(egui::Button::selectable(is_selected, text).frame(false))
                                .clicked()
                            {
                                clicked_row = Some(item);
                            }
                        } else {
                            ui.add(egui::Label::new(text).truncate());
                        }
                    });
                }
                if row.response().clicked() {
                    clicked_row = Some(item);
                }
            });
        });
    if let Some(column) = clicked_sort {
        state.sort = next_sort(state.sort, column);
    }
    if let Some(item) = clicked_row {
        ctx.push(Action::Select(Some(ItemRef::new(kind, source.id(item)))));
    }
}

/// A striped, resizable table of `columns` (the last one takes the remaining width),
/// scrolled to `scroll_to` when given.
fn table_builder<'a>(
    ui: &'a mut egui::Ui,
    kind: ItemKind,
    columns: &[TableColumn],
    scroll_to: Option<usize>,
) -> TableBuilder<'a> {
    let mut builder = TableBuilder::new(ui)
        .id_salt(kind.label())
        .striped(true)
        .resizable(true)
        .sense(egui::Sense::click())
        .auto_shrink([false, false])
        .cell_layout(egui::Layout::left_to_right(egui::Align::Center));
    if let Some(row) = scroll_to {
        builder = builder.scroll_to_row(row, Some(egui::Align::Center));
    }
    for (i, column) in columns.iter().enumerate() {
        let c = if i + 1 == columns.len() {
            Column::remainder().at_least(column.width)
        } else {
            Column::initial(column.width).at_least(40.0).clip(true)
        };
        builder = builder.column(c);
    }
    builder
}

/// The sort after a click on the header of `column`: ascending, then descending, then none.
fn next_sort(sort: Option<(usize, bool)>, column: usize) -> Option<(usize, bool)> {
    match sort {
        Some((c, true)) if c == column => Some((c, false)),
        Some((c, false)) if c == column => None,
        _ => Some((column, true)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_header_click_sorts_up_then_down_then_not_and_another_column_starts_up() {
        assert_eq!(next_sort(None, 2), Some((2, true)));
        assert_eq!(next_sort(Some((2, true)), 2), Some((2, false)));
        assert_eq!(next_sort(Some((2, false)), 2), None);
        assert_eq!(next_sort(Some((2, false)), 0), Some((0, true)));
        assert_eq!(next_sort(Some((2, true)), 1), Some((1, true)));
    }
}
