//! The division-of-labour matrix: lines of effort × partners, one role per cell (S/2011/552 ¶51–52).
//!
//! Only the visible cells are drawn. Row and column orders, the (line, partner) index and the
//! flags are cached and rebuilt only when the situation's revision or a filter changes.

use egui::{Align2, Color32, FontId, Id, Rect, Sense, Stroke, Vec2, pos2, vec2};

use super::ViewCtx;
use super::action::Action;
use super::command::{Direction, MatrixCommand, RoleKey};
use super::theme::{FLAG_COLOR, role_color};
use crate::analysis::matrix::{
    MatrixFilters, MatrixIndex, MatrixOrder, RowEntry, RowGrouping, cell_step, role_edit,
};
use crate::model::create::new_item_edit;
use crate::model::{
    Instrument, ItemKind, ItemRef, PartnerCategory, Role, Situation, Status, Track,
};

const CELL_W: f32 = 44.0;
const ROW_H: f32 = 24.0;
const MARK_W: f32 = 20.0;
const TITLE_W: f32 = 210.0;
const STATUS_W: f32 = 70.0;
const SUMMARY_W: f32 = 104.0;
const FIRST_W: f32 = MARK_W + TITLE_W + STATUS_W + SUMMARY_W;
const BAND_H: f32 = 20.0;
const NAME_H: f32 = 112.0;
const COUNT_H: f32 = 22.0;
const HEADER_H: f32 = BAND_H + NAME_H + COUNT_H;

/// The open role menu of one cell.
struct CellMenu {
    line: String,
    partner: String,
    anchor: Rect,
    step: u32,
}

/// State of the matrix view.
#[derive(Default)]
pub struct MatrixState {
    pub filters: MatrixFilters,
    /// The focused cell as (line id, partner id).
    pub focus: Option<(String, String)>,
    menu: Option<CellMenu>,
    index: Option<MatrixIndex>,
    /// The revision `index` was built for.
    index_revision: u64,
    order: Option<MatrixOrder>,
    /// The revision and filters `order` was built for.
    order_key: Option<(u64, MatrixFilters)>,
    scroll_to: Option<Vec2>,
    last_offset: Vec2,
    last_body: Vec2,
    /// Where the focused cell was drawn last frame (anchors the menu opened with Enter).
    focus_rect: Option<Rect>,
    /// Whether the matrix's keys are live: the grid has focus or the pointer, or a cell menu
    /// is open (set as the grid draws).
    pub keys_active: bool,
}

impl MatrixState {
    /// Closes the cell menu if open; says whether it was.
    pub fn close_menu(&mut self) -> bool {
        self.menu.take().is_some()
    }

    /// Rebuilds the index when the situation changed, and the orders when it or the filters did.
    fn refresh(&mut self, ctx: &ViewCtx<'_>) {
        if self.index.is_none() || self.index_revision != ctx.revision {
            self.index = Some(MatrixIndex::build(ctx.situation, ctx.diagnostics));
            self.index_revision = ctx.revision;
            self.order = None;
        }
        let key = (ctx.revision, self.filters);
        if (self.order.is_none() || self.order_key != Some(key))
            && let Some(index) = &self.index
        {
            self.order = Some(MatrixOrder::build(ctx.situation, index, &self.filters));
            self.order_key = Some(key);
        }
    }
}

/// The accessible label of a cell: `LINE × PARTNER: ROLE`.
pub fn cell_label(line_title: &str, partner: &str, role: Option<Role>) -> String {
    let role = role.map_or_else(|| "empty".to_owned(), Role::describe);
    format!("{line_title} × {partner}: {role}")
}

/// The accessible label of the ⚠ marker of a flagged row or column.
pub fn flag_label(name: &str) -> String {
    format!("Flagged: {name}")
}

/// Pushes the edit that sets (or clears) the role of `partner` on `line`, keeping its note.
fn set_role(ctx: &mut ViewCtx<'_>, line: &str, partner: &str, role: Option<Role>) {
    if let Some(edit) = role_edit(ctx.situation, line, partner, role) {
        ctx.push(Action::Edit(edit));
    }
}

/// Draws the matrix view: toolbar, problem list and grid.
pub fn matrix_ui(ui: &mut egui::Ui, state: &mut MatrixState, ctx: &mut ViewCtx<'_>) {
    state.refresh(ctx);
    toolbar_ui(ui, state, ctx);
    if state.order.is_some() {
        state.refresh(ctx);
    }
    egui::CentralPanel::default()
        .frame(egui::Frame::NONE)
        .show(ui, |ui| grid_ui(ui, state, ctx));
    menu_ui(ui, state, ctx);
}

fn toolbar_ui(ui: &mut egui::Ui, state: &mut MatrixState, ctx: &mut ViewCtx<'_>) {
    ui.horizontal_wrapped(|ui| {
        let f = &mut state.filters;
        ui.heading("Division of labour");
        ui.separator();
        let label = ui.label("Group rows by");
        egui::ComboBox::from_id_salt("matrix_group_by")
            .selected_text(f.group_by.label())
            .show_ui(ui, |ui| {
                for g in RowGrouping::ALL {
                    ui.selectable_value(&mut f.group_by, g, g.label());
                }
            })
            .response
            .labelled_by(label.id);
        choice_filter_ui(
            ui,
            "matrix_status",
            "Any status",
            Status::ALL,
            &mut f.status,
        );
        choice_filter_ui(ui, "matrix_track", "Any track", Track::ALL, &mut f.track);
        choice_filter_ui(
            ui,
            "matrix_instrument",
            "Any instrument",
            Instrument::ALL,
            &mut f.instrument,
        );
        choice_filter_ui(
            ui,
            "matrix_category",
            "All partner categories",
            PartnerCategory::ALL,
            &mut f.category,
        );
        ui.checkbox(&mut f.hide_empty_columns, "Hide empty columns");
        ui.separator();
        if !ctx.read_only {
            for (kind, label) in [
                (ItemKind::Line, "+ Line of effort"),
                (ItemKind::Partner, "+ Partner"),
            ] {
                if ui.button(label).clicked()
                    && let Some((edit, item)) = new_item_edit(ctx.situation, kind)
                {
                    ctx.push(Action::Edit(edit));
                    ctx.push(Action::Reveal(item));
                }
            }
        }
        problems_menu_ui(ui, state, ctx);
    });
    // One row that never wraps: the chips fit in the narrowest matrix the inspector leaves.
    ui.horizontal(|ui| {
        for role in [
            Role::Lead,
            Role::Support,
            Role::BurdenSharing,
            Role::Sequential(1),
            Role::Joint,
        ] {
            legend_chip_ui(ui, role);
        }
        // Cut to the room left (the whole hint on hover) rather than a second line that moves
        // the grid when the inspector opens.
        ui.add(
            egui::Label::new(
                egui::RichText::new(
                    "Click a cell or press Enter to choose a role; arrows move; \
                     L S B Q J set a role; Backspace clears.",
                )
                .weak()
                .small(),
            )
            .truncate(),
        );
    });
}

/// One role of the legend: its chip, as in the cells, and its name. The chip is as wide as its
/// text; the sequential role says its steps in words beside its chip.
fn legend_chip_ui(ui: &mut egui::Ui, role: Role) {
    let galley =
        ui.painter()
            .layout_no_wrap(role.short(), FontId::proportional(12.0), Color32::WHITE);
    let width = (galley.size().x + 12.0).max(30.0);
    let (rect, _) = ui.allocate_exact_size(vec2(width, 18.0), Sense::hover());
    ui.painter().rect_filled(rect, 3.0, role_color(role));
    ui.painter()
        .galley(rect.center() - galley.size() / 2.0, galley, Color32::WHITE);
    match role {
        Role::Sequential(_) => ui.label("Sequential (Q1 → Q2)"),
        other => ui.label(other.label()),
    };
}

fn choice_filter_ui<T: Copy + PartialEq + std::fmt::Display>(
    ui: &mut egui::Ui,
    id: &str,
    any: &str,
    all: &[T],
    value: &mut Option<T>,
) {
    let text = value.map_or_else(|| any.to_owned(), |v| v.to_string());
    let response = egui::ComboBox::from_id_salt(id)
        .selected_text(text)
        .show_ui(ui, |ui| {
            ui.selectable_value(value, None, any);
            for &choice in all {
                ui.selectable_value(value, Some(choice), choice.to_string());
            }
        })
        .response;
    let name = any.to_owned();
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, &name));
}

/// The matrix problems, in a menu under the toolbar's "⚠ N matrix problems" button: a stable
/// place that takes nothing from the grid. Picking one selects its row (or column) and
/// scrolls to it.
fn problems_menu_ui(ui: &mut egui::Ui, state: &mut MatrixState, ctx: &mut ViewCtx<'_>) {
    let Some(index) = &state.index else { return };
    if index.problems.is_empty() {
        ui.add_enabled(false, egui::Button::new("✔ No open problems"))
            .on_disabled_hover_text("No line of effort lacks a lead or has two, no sequence has a hole, no partner leads too much");
        return;
    }
    let text = format!(
        "⚠ {}",
        crate::text::counted(index.problems.len(), "matrix problem", "matrix problems")
    );
    let mut reveal: Option<ItemRef> = None;
    ui.menu_button(text, |ui| {
        ui.set_max_width(520.0);
        egui::ScrollArea::vertical()
            .id_salt("matrix_problems_scroll")
            .max_height(420.0)
            .show(ui, |ui| {
                for (message, item) in &index.problems {
                    let selected = item.is_some() && *item == *ctx.selection;
                    let button = egui::Button::selectable(selected, format!("⚠ {message}"))
                        .wrap_mode(egui::TextWrapMode::Wrap);
                    if ui.add(button).clicked() {
                        reveal.clone_from(item);
                        ui.close();
                    }
                }
            });
    })
    .response
    .on_hover_text("The problems of this plan: click one to go to its row");
    if let Some(item) = reveal {
        scroll_to_item(state, &item);
        ctx.push(Action::Select(Some(item)));
    }
}

/// Asks the grid to scroll so the row (or column) of `item` is in view.
fn scroll_to_item(state: &mut MatrixState, item: &ItemRef) {
    let (Some(order), Some(index)) = (&state.order, &state.index) else {
        return;
    };
    let mut offset = state.last_offset;
    match item.kind {
        ItemKind::Line => {
            if let Some(r) = order.row_of_line(index, &item.id) {
                offset.y = ((r as f32 - 2.0) * ROW_H).max(0.0);
            }
        }
        ItemKind::Partner => {
            if let Some(c) = order.col_of_partner(index, &item.id) {
                offset.x = ((c as f32 - 1.0) * CELL_W).max(0.0);
            }
        }
        _ => return,
    }
    state.scroll_to = Some(offset);
}

/// Moves the focused cell by (dx, dy) within the visible order, scrolling it into view.
fn move_focus(state: &mut MatrixState, dx: i32, dy: i32) {
    let (Some(order), Some(index)) = (&state.order, &state.index) else {
        return;
    };
    let focus = state.focus.as_ref().map(|(l, p)| (l.as_str(), p.as_str()));
    let Some(cell) = order.step_focus(index, focus, dx, dy) else {
        return;
    };
    state.focus = Some((cell.line, cell.partner));
    // Keep the focused cell inside the scrolled body.
    let mut offset = state.last_offset;
    let (x, y) = (cell.col as f32 * CELL_W, cell.row as f32 * ROW_H);
    let body = state.last_body;
    if x < offset.x {
        offset.x = x;
    } else if body.x > CELL_W && x + CELL_W > offset.x + body.x {
        offset.x = x + CELL_W - body.x;
    }
    if y < offset.y {
        offset.y = y;
    } else if body.y > ROW_H && y + ROW_H > offset.y + body.y {
        offset.y = y + ROW_H - body.y;
    }
    if offset != state.last_offset {
        state.scroll_to = Some(offset);
    }
}

/// Runs one of the matrix's keyboard commands on the focused cell (see
/// [`crate::ui::command::MatrixCommand`]). `screen` anchors the cell menu when the focused
/// cell has not been drawn yet.
pub fn run_command(
    state: &mut MatrixState,
    command: MatrixCommand,
    screen: Rect,
    ctx: &mut ViewCtx<'_>,
) {
    if let MatrixCommand::Move(direction) = command {
        let (dx, dy) = match direction {
            Direction::Left => (-1, 0),
            Direction::Right => (1, 0),
            Direction::Up => (0, -1),
            Direction::Down => (0, 1),
        };
        state.menu = None;
        move_focus(state, dx, dy);
        return;
    }
    let Some((line, partner)) = state.focus.clone() else {
        return;
    };
    if ctx.read_only {
        return;
    }
    let step = cell_step(ctx.situation, &line, &partner);
    let role = match command {
        MatrixCommand::SetRole(RoleKey::Lead) => Some(Role::Lead),
        MatrixCommand::SetRole(RoleKey::Support) => Some(Role::Support),
        MatrixCommand::SetRole(RoleKey::BurdenSharing) => Some(Role::BurdenSharing),
        MatrixCommand::SetRole(RoleKey::Sequential) => Some(Role::Sequential(step)),
        MatrixCommand::SetRole(RoleKey::Joint) => Some(Role::Joint),
        MatrixCommand::ClearRole => None,
        MatrixCommand::CellMenu => {
            if state.menu.is_none() {
                let anchor = state
                    .focus_rect
                    .unwrap_or_else(|| Rect::from_center_size(screen.center(), Vec2::ZERO));
                state.menu = Some(CellMenu {
                    line,
                    partner,
                    anchor,
                    step,
                });
                state.scroll_to = None;
            }
            return;
        }
        MatrixCommand::Move(_) => return,
    };
    set_role(ctx, &line, &partner, role);
    state.menu = None;
}

fn grid_ui(ui: &mut egui::Ui, state: &mut MatrixState, ctx: &mut ViewCtx<'_>) {
    let grid_id = Id::unique("matrix_grid");
    let (Some(order), Some(_)) = (&state.order, &state.index) else {
        return;
    };
    if order.rows.is_empty() && order.cols.is_empty() {
        ui.add_space(12.0);
        ui.label("No lines of effort or partners to show. Add some with the buttons above, or loosen the filters.");
        return;
    }
    let has_focus = ui.memory(|m| m.has_focus(grid_id));
    let hovered = ui.ui_contains_pointer();
    state.keys_active = has_focus || hovered || state.menu.is_some();
    let mut area = egui::ScrollArea::both()
        .id_salt("matrix_scroll")
        .auto_shrink([false, false])
        .content_margin(0.0);
    if let Some(offset) = state.scroll_to.take() {
        area = area.scroll_offset(offset);
    }
    let output = area.show_viewport(ui, |ui, viewport| {
        grid_contents_ui(ui, viewport, grid_id, state, ctx);
    });
    state.last_offset = output.state.clamped_offset();
    state.last_body = output.inner_rect.size() - vec2(FIRST_W, HEADER_H);
}

/// Everything the painting of one frame needs, resolved once.
struct Paint<'a> {
    situation: &'a Situation,
    index: &'a MatrixIndex,
    order: &'a MatrixOrder,
    focus: Option<(usize, usize)>,
    selected_line: Option<usize>,
    selected_partner: Option<usize>,
    /// The top left corner of the whole (scrolled) grid.
    origin: egui::Pos2,
    /// The part of the grid on screen.
    clip: Rect,
    /// The rows and columns (of the order) in view.
    rows: std::ops::Range<usize>,
    cols: std::ops::Range<usize>,
    grid_line: Stroke,
}

impl Paint<'_> {
    /// The top of row `r`.
    fn row_y(&self, r: usize) -> f32 {
        self.origin.y + HEADER_H + r as f32 * ROW_H
    }

    /// The left of column `c`.
    fn col_x(&self, c: usize) -> f32 {
        self.origin.x + FIRST_W + c as f32 * CELL_W
    }

    /// The stroke between two category bands.
    fn band_stroke(visuals: &egui::Visuals) -> Stroke {
        Stroke::new(
            2.0,
            visuals
                .widgets
                .noninteractive
                .fg_stroke
                .color
                .gamma_multiply(0.5),
        )
    }
}

/// The grid in `viewport`: the cells in view, the frozen first column and header row, the
/// corner; then what a click asked for (focus, selection, the role menu).
fn grid_contents_ui(
    ui: &mut egui::Ui,
    viewport: Rect,
    grid_id: Id,
    state: &mut MatrixState,
    ctx: &mut ViewCtx<'_>,
) {
    let (Some(order), Some(index)) = (&state.order, &state.index) else {
        return;
    };
    let n_rows = order.rows.len();
    let n_cols = order.cols.len();
    let total = vec2(
        FIRST_W + n_cols as f32 * CELL_W + 8.0,
        HEADER_H + n_rows as f32 * ROW_H + 8.0,
    );
    let origin = ui.max_rect().min;
    ui.set_min_size(total);
    let clip = ui.clip_rect();
    let resolve_line = |id: &str| index.line_ids.get(id).copied();
    let resolve_partner = |id: &str| index.partner_ids.get(id).copied();
    let selected = |kind: ItemKind| ctx.selection.as_ref().filter(|s| s.kind == kind);
    let frame = Paint {
        situation: ctx.situation,
        index,
        order,
        focus: state
            .focus
            .as_ref()
            .and_then(|(l, p)| Some((resolve_line(l)?, resolve_partner(p)?))),
        selected_line: selected(ItemKind::Line).and_then(|s| resolve_line(&s.id)),
        selected_partner: selected(ItemKind::Partner).and_then(|s| resolve_partner(&s.id)),
        origin,
        clip,
        rows: ((viewport.min.y / ROW_H).floor().max(0.0) as usize).min(n_rows)
            ..(((viewport.max.y - HEADER_H) / ROW_H).ceil().max(0.0) as usize + 1).min(n_rows),
        cols: ((viewport.min.x / CELL_W).floor().max(0.0) as usize).min(n_cols)
            ..(((viewport.max.x - FIRST_W) / CELL_W).ceil().max(0.0) as usize + 1).min(n_cols),
        grid_line: Stroke::new(1.0, ui.visuals().widgets.noninteractive.bg_stroke.color),
    };

    let grid_response = grid_widget_ui(ui, clip, grid_id);
    let (clicked, focus_rect) = body_ui(ui, &frame);
    let mut select = first_column_ui(ui, &frame);
    if let Some(item) = header_row_ui(ui, &frame) {
        select = Some(item);
    }
    corner_ui(ui, &frame);

    state.focus_rect = focus_rect;
    if let Some((li, pi, rect)) = clicked {
        let (Some(line), Some(partner)) =
            (ctx.situation.lines.get(li), ctx.situation.partners.get(pi))
        else {
            return;
        };
        state.focus = Some((line.id.clone(), partner.id.clone()));
        ui.memory_mut(|m| m.request_focus(grid_id));
        if !ctx.is_selected(ItemKind::Line, &line.id) {
            select = Some(ItemRef::new(ItemKind::Line, &line.id));
        }
        if !ctx.read_only {
            state.menu = Some(CellMenu {
                line: line.id.clone(),
                partner: partner.id.clone(),
                anchor: rect,
                step: cell_step(ctx.situation, &line.id, &partner.id),
            });
        }
    } else if grid_response.clicked() {
        ui.memory_mut(|m| m.request_focus(grid_id));
    }
    if let Some(item) = select {
        ctx.push(Action::Select(Some(item)));
    }
}

/// The whole grid as one focusable widget (the cells on top of it take the clicks); while it
/// has focus, the arrow keys stay with it.
fn grid_widget_ui(ui: &mut egui::Ui, clip: Rect, grid_id: Id) -> egui::Response {
    let grid_response = ui.interact(clip, grid_id, Sense::click());
    grid_response.widget_info(|| {
        egui::WidgetInfo::labeled(egui::Role::Unknown, true, "Division-of-labour matrix")
    });
    if grid_response.has_focus() {
        ui.memory_mut(|m| {
            m.set_focus_lock_filter(
                grid_id,
                egui::EventFilter {
                    horizontal_arrows: true,
                    vertical_arrows: true,
                    tab: false,
                    escape: false,
                },
            );
        });
    }
    grid_response
}

/// The body: row bands, column lines, then the cells in view. Returns the cell clicked (line,
/// partner, rect) and where the focused cell was drawn.
#[allow(clippy::type_complexity)]
fn body_ui(ui: &egui::Ui, frame: &Paint<'_>) -> (Option<(usize, usize, Rect)>, Option<Rect>) {
    let clip = frame.clip;
    let visuals = ui.visuals();
    let order = frame.order;
    let n_rows = order.rows.len();
    let n_cols = order.cols.len();
    let body = Rect::from_min_max(pos2(clip.left() + FIRST_W, clip.top() + HEADER_H), clip.max);
    let painter = ui.painter().with_clip_rect(body);
    for r in frame.rows.clone() {
        let y = frame.row_y(r);
        let row_rect =
            Rect::from_min_max(pos2(body.left(), y), pos2(frame.col_x(n_cols), y + ROW_H));
        match order.rows.get(r) {
            Some(RowEntry::Group { .. }) => {
                painter.rect_filled(row_rect, 0.0, visuals.faint_bg_color);
            }
            Some(RowEntry::Line(li)) if frame.selected_line == Some(*li) => {
                painter.rect_filled(
                    row_rect,
                    0.0,
                    visuals.selection.bg_fill.gamma_multiply(0.25),
                );
            }
            _ => {}
        }
        painter.hline(row_rect.x_range(), y + ROW_H, frame.grid_line);
    }
    for c in frame.cols.clone() {
        let x = frame.col_x(c);
        let top = frame.row_y(0).max(body.top());
        let bottom = frame.row_y(n_rows);
        if order.cols.get(c).copied() == frame.selected_partner && frame.selected_partner.is_some()
        {
            painter.rect_filled(
                Rect::from_min_max(pos2(x, top), pos2(x + CELL_W, bottom)),
                0.0,
                visuals.selection.bg_fill.gamma_multiply(0.25),
            );
        }
        painter.vline(x + CELL_W, top..=bottom, frame.grid_line);
    }
    for (_, range) in &order.bands {
        painter.vline(
            frame.col_x(range.start),
            frame.row_y(0).max(body.top())..=frame.row_y(n_rows),
            Paint::band_stroke(visuals),
        );
    }
    let mut clicked = None;
    let mut focus_rect = None;
    for r in frame.rows.clone() {
        let Some(RowEntry::Line(li)) = order.rows.get(r) else {
            continue;
        };
        let y = frame.row_y(r);
        for c in frame.cols.clone() {
            let Some(&pi) = order.cols.get(c) else {
                continue;
            };
            let rect = Rect::from_min_size(pos2(frame.col_x(c), y), vec2(CELL_W, ROW_H));
            let hit = rect.intersect(body);
            if !hit.is_positive() {
                continue;
            }
            if frame.focus == Some((*li, pi)) {
                focus_rect = Some(rect);
            }
            if let Some(done) = cell_ui(ui, &painter, frame, *li, pi, rect, hit) {
                clicked = Some((*li, pi, done));
            }
        }
    }
    (clicked, focus_rect)
}

/// The frozen first column (line titles, status, partners and lead); returns the line clicked.
fn first_column_ui(ui: &egui::Ui, frame: &Paint<'_>) -> Option<ItemRef> {
    let clip = frame.clip;
    let column = Rect::from_min_max(
        pos2(clip.left(), clip.top() + HEADER_H),
        pos2(clip.left() + FIRST_W, clip.bottom()),
    );
    let painter = ui.painter().with_clip_rect(column);
    painter.rect_filled(column, 0.0, ui.visuals().panel_fill);
    let mut select = None;
    for r in frame.rows.clone() {
        let rect = Rect::from_min_size(pos2(clip.left(), frame.row_y(r)), vec2(FIRST_W, ROW_H));
        if let Some(item) = row_header_ui(ui, &painter, frame, r, rect, column) {
            select = Some(item);
        }
    }
    painter.vline(column.right(), column.y_range(), frame.grid_line);
    select
}

/// The frozen header row (category bands, partner names and counts); returns the partner
/// clicked.
fn header_row_ui(ui: &egui::Ui, frame: &Paint<'_>) -> Option<ItemRef> {
    let clip = frame.clip;
    let visuals = ui.visuals();
    let header = Rect::from_min_max(
        pos2(clip.left() + FIRST_W, clip.top()),
        pos2(clip.right(), clip.top() + HEADER_H),
    );
    let painter = ui.painter().with_clip_rect(header);
    painter.rect_filled(header, 0.0, visuals.panel_fill);
    for (category, range) in &frame.order.bands {
        let x0 = frame.col_x(range.start).max(header.left());
        let x1 = frame.col_x(range.end);
        if x1 <= x0 {
            continue;
        }
        let band = Rect::from_min_max(pos2(x0, header.top()), pos2(x1, header.top() + BAND_H));
        painter.rect_filled(band.shrink2(vec2(1.0, 1.0)), 2.0, visuals.faint_bg_color);
        let text = elided(ui, category.label(), band.width() - 6.0, 12.0, true);
        let cut = text.elided;
        painter.galley(
            pos2(band.left() + 4.0, band.center().y - text.size().y / 2.0),
            text,
            visuals.text_color(),
        );
        // The group's whole name, cut or not, for the pointer and for screen readers.
        let response = ui.interact(
            band.intersect(header),
            Id::unique(("matrix_band", category.label())),
            Sense::hover(),
        );
        response
            .widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, category.label()));
        let partners = crate::text::counted(range.len(), "partner", "partners");
        response.on_hover_text(if cut {
            format!("{}: {partners}", category.label())
        } else {
            format!("{partners} in this group")
        });
        painter.vline(
            frame.col_x(range.start),
            header.y_range(),
            Paint::band_stroke(visuals),
        );
    }
    let mut select = None;
    for c in frame.cols.clone() {
        let rect = Rect::from_min_size(
            pos2(frame.col_x(c), header.top() + BAND_H),
            vec2(CELL_W, NAME_H + COUNT_H),
        );
        if let Some(item) = column_header_ui(ui, &painter, frame, c, rect, header) {
            select = Some(item);
        }
    }
    painter.hline(header.x_range(), header.bottom(), frame.grid_line);
    select
}

/// The corner above the first column: the column titles.
fn corner_ui(ui: &egui::Ui, frame: &Paint<'_>) {
    let visuals = ui.visuals();
    let corner = Rect::from_min_size(frame.clip.min, vec2(FIRST_W, HEADER_H));
    let painter = ui.painter().with_clip_rect(corner);
    painter.rect_filled(corner, 0.0, visuals.panel_fill);
    let weak = visuals.weak_text_color();
    let font = FontId::proportional(12.0);
    let base = corner.bottom() - COUNT_H / 2.0;
    for (x, title) in [
        (MARK_W, "Line of effort"),
        (MARK_W + TITLE_W, "Status"),
        (MARK_W + TITLE_W + STATUS_W, "Partners · lead"),
    ] {
        painter.text(
            pos2(corner.left() + x, base),
            Align2::LEFT_CENTER,
            title,
            font.clone(),
            weak,
        );
    }
    painter.text(
        pos2(corner.right() - 6.0, base - COUNT_H),
        Align2::RIGHT_CENTER,
        "leads / roles →",
        font,
        weak,
    );
    painter.hline(corner.x_range(), corner.bottom(), frame.grid_line);
    painter.vline(corner.right(), corner.y_range(), frame.grid_line);
}

/// Lays out `text` on one line, cut with `…` to fit `width`.
fn elided(
    ui: &egui::Ui,
    text: &str,
    width: f32,
    size: f32,
    strong: bool,
) -> std::sync::Arc<egui::Galley> {
    let mut job = egui::text::LayoutJob::single_section(
        text.to_owned(),
        egui::TextFormat {
            font_id: FontId::proportional(size),
            color: if strong {
                ui.visuals().strong_text_color()
            } else {
                ui.visuals().text_color()
            },
            ..Default::default()
        },
    );
    job.wrap = egui::text::TextWrapping::truncate_at_width(width.max(8.0));
    ui.painter().layout_job(job)
}

/// Draws one body cell; returns its rect when it was clicked.
fn cell_ui(
    ui: &egui::Ui,
    painter: &egui::Painter,
    frame: &Paint<'_>,
    li: usize,
    pi: usize,
    rect: Rect,
    hit: Rect,
) -> Option<Rect> {
    let assignment = frame.index.assignment(frame.situation, li, pi);
    let role = assignment.map(|a| a.role);
    let flagged = frame.index.cell_flags.contains(&(li, pi));
    paint_cell(ui, painter, frame, (li, pi), rect, assignment, flagged);
    let id = Id::unique(("matrix_cell", li, pi));
    let response = ui.interact(hit, id, Sense::CLICK);
    let line = frame.situation.lines.get(li);
    let partner = frame.situation.partners.get(pi);
    let title = line.map_or("", |l| l.title.as_str());
    let partner_name = partner.map_or("", |p| p.short_name());
    response.widget_info(|| {
        egui::WidgetInfo::labeled(
            egui::Role::Button,
            true,
            cell_label(title, partner_name, role),
        )
    });
    if response.hovered() {
        painter.rect_stroke(
            rect.shrink(1.0),
            2.0,
            ui.visuals().widgets.hovered.fg_stroke,
            egui::StrokeKind::Inside,
        );
        let flags = frame.index.row_flags.get(&li).filter(|_| flagged);
        let column_flags = frame.index.col_flags.get(&pi).filter(|_| flagged);
        response.clone().on_hover_ui(|ui| {
            ui.strong(format!(
                "{title} × {}",
                partner.map_or("", |p| p.name.as_str())
            ));
            match assignment {
                Some(a) => {
                    ui.label(a.role.describe());
                    if !a.note.trim().is_empty() {
                        ui.label(egui::RichText::new(&a.note).italics());
                    }
                }
                None => {
                    ui.weak("No role. Click to assign one.");
                }
            }
            for message in flags.into_iter().chain(column_flags).flatten() {
                ui.colored_label(FLAG_COLOR, format!("⚠ {message}"));
            }
        });
    }
    response.clicked().then_some(rect)
}

/// Paints a cell: its role (with a corner mark when it has a note), the flag of a problem
/// naming it, the focus ring.
fn paint_cell(
    ui: &egui::Ui,
    painter: &egui::Painter,
    frame: &Paint<'_>,
    cell: (usize, usize),
    rect: Rect,
    assignment: Option<&crate::model::Assignment>,
    flagged: bool,
) {
    let inner = rect.shrink(2.0);
    if let Some(a) = assignment {
        painter.rect_filled(inner, 3.0, role_color(a.role));
        painter.text(
            inner.center(),
            Align2::CENTER_CENTER,
            a.role.short(),
            FontId::proportional(13.0),
            Color32::WHITE,
        );
        if !a.note.trim().is_empty() {
            let c = inner.left_top() + vec2(1.0, 1.0);
            painter.add(egui::Shape::convex_polygon(
                vec![c, c + vec2(7.0, 0.0), c + vec2(0.0, 7.0)],
                Color32::WHITE,
                Stroke::NONE,
            ));
        }
    }
    if flagged {
        painter.rect_stroke(
            inner,
            3.0,
            Stroke::new(2.0, FLAG_COLOR),
            egui::StrokeKind::Inside,
        );
        let badge = Rect::from_min_size(
            pos2(inner.right() - 13.0, inner.top() - 1.0),
            vec2(13.0, 12.0),
        );
        painter.rect_filled(badge, 2.0, Color32::WHITE);
        painter.text(
            badge.center(),
            Align2::CENTER_CENTER,
            "⚠",
            FontId::proportional(10.0),
            FLAG_COLOR,
        );
    }
    if frame.focus == Some(cell) {
        painter.rect_stroke(
            rect.shrink(0.5),
            2.0,
            Stroke::new(2.0, ui.visuals().strong_text_color()),
            egui::StrokeKind::Inside,
        );
    }
}

/// Draws one row of the frozen first column; returns the line to select when clicked.
fn row_header_ui(
    ui: &egui::Ui,
    painter: &egui::Painter,
    frame: &Paint<'_>,
    r: usize,
    rect: Rect,
    column: Rect,
) -> Option<ItemRef> {
    let visuals = ui.visuals();
    match frame.order.rows.get(r)? {
        RowEntry::Group { label, count } => {
            painter.rect_filled(rect, 0.0, visuals.faint_bg_color);
            painter.text(
                pos2(rect.left() + 6.0, rect.center().y),
                Align2::LEFT_CENTER,
                format!("{label} ({count})"),
                FontId::proportional(13.0),
                visuals.strong_text_color(),
            );
            None
        }
        RowEntry::Line(li) => line_header_ui(ui, painter, frame, *li, rect, column),
    }
}

/// The first-column row of one line of effort: title, status, partners and lead, and the ⚠
/// of its problems; returns the line when it (or its ⚠) was clicked.
fn line_header_ui(
    ui: &egui::Ui,
    painter: &egui::Painter,
    frame: &Paint<'_>,
    li: usize,
    rect: Rect,
    column: Rect,
) -> Option<ItemRef> {
    let visuals = ui.visuals();
    let line = frame.situation.lines.get(li)?;
    let selected = frame.selected_line == Some(li);
    if selected {
        painter.rect_filled(rect, 0.0, visuals.selection.bg_fill.gamma_multiply(0.5));
    }
    let hit = rect.intersect(column);
    let response = ui.interact(hit, Id::unique(("matrix_row", li)), Sense::CLICK);
    response.widget_info(|| {
        egui::WidgetInfo::selected(egui::Role::Button, true, selected, &line.title)
    });
    if response.hovered() {
        painter.rect_stroke(
            rect.shrink(0.5),
            0.0,
            visuals.widgets.hovered.bg_stroke,
            egui::StrokeKind::Inside,
        );
    }
    let title = elided(ui, &line.title, TITLE_W - 6.0, 13.0, selected);
    painter.galley(
        pos2(rect.left() + MARK_W, rect.center().y - title.size().y / 2.0),
        title,
        visuals.text_color(),
    );
    painter.text(
        pos2(rect.left() + MARK_W + TITLE_W, rect.center().y),
        Align2::LEFT_CENTER,
        line.status.label(),
        FontId::proportional(12.0),
        status_color(line.status, visuals),
    );
    let (count, leads) = frame.index.row_summary.get(li).cloned().unwrap_or_default();
    let summary = if leads.is_empty() {
        format!("{count} · no lead")
    } else {
        format!("{count} · {leads}")
    };
    let summary_whole = match crate::text::counted(count, "partner", "partners") {
        partners if leads.is_empty() => format!("{partners}, no lead"),
        partners => format!("{partners}; led by {leads}"),
    };
    let summary = elided(ui, &summary, SUMMARY_W - 6.0, 12.0, false);
    painter.galley(
        pos2(
            rect.left() + MARK_W + TITLE_W + STATUS_W,
            rect.center().y - summary.size().y / 2.0,
        ),
        summary,
        visuals.text_color(),
    );
    let mut clicked = response.clicked();
    response.on_hover_ui(|ui| {
        ui.strong(&line.title);
        ui.label(format!(
            "{} · {} · {}",
            line.instrument, line.track, line.status
        ));
        ui.label(&summary_whole);
        if !line.notes.trim().is_empty() {
            ui.label(&line.notes);
        }
    });
    if let Some(messages) = frame.index.row_flags.get(&li) {
        let mark = Rect::from_min_size(rect.min, vec2(MARK_W, ROW_H)).intersect(column);
        painter.text(
            mark.center(),
            Align2::CENTER_CENTER,
            "⚠",
            FontId::proportional(14.0),
            FLAG_COLOR,
        );
        let id = Id::unique(("matrix_row_flag", li));
        clicked |= flag_marker_ui(ui, mark, id, &line.title, messages);
    }
    clicked.then(|| ItemRef::new(ItemKind::Line, &line.id))
}

/// The ⚠ marker of a flagged row or column: named for screen readers, its problems in the
/// tooltip; returns whether it was clicked.
fn flag_marker_ui(ui: &egui::Ui, rect: Rect, id: Id, name: &str, messages: &[String]) -> bool {
    let marker = ui.interact(rect, id, Sense::CLICK);
    marker.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, flag_label(name)));
    let clicked = marker.clicked();
    marker.on_hover_ui(|ui| {
        for m in messages {
            ui.colored_label(FLAG_COLOR, format!("⚠ {m}"));
        }
    });
    clicked
}

fn status_color(status: Status, visuals: &egui::Visuals) -> Color32 {
    match status {
        Status::Active => visuals.strong_text_color(),
        Status::Planned => visuals.text_color(),
        _ => visuals.weak_text_color(),
    }
}

/// Draws the header of one column (name and counts); returns the partner to select when clicked.
fn column_header_ui(
    ui: &egui::Ui,
    painter: &egui::Painter,
    frame: &Paint<'_>,
    c: usize,
    rect: Rect,
    header: Rect,
) -> Option<ItemRef> {
    let visuals = ui.visuals();
    let pi = *frame.order.cols.get(c)?;
    let partner = frame.situation.partners.get(pi)?;
    let selected = frame.selected_partner == Some(pi);
    if selected {
        painter.rect_filled(rect, 0.0, visuals.selection.bg_fill.gamma_multiply(0.5));
    }
    let response = ui.interact(
        rect.intersect(header),
        Id::unique(("matrix_col", pi)),
        Sense::CLICK,
    );
    response.widget_info(|| {
        egui::WidgetInfo::selected(egui::Role::Button, true, selected, partner.short_name())
    });
    if response.hovered() {
        painter.rect_stroke(
            rect.shrink(0.5),
            0.0,
            visuals.widgets.hovered.bg_stroke,
            egui::StrokeKind::Inside,
        );
    }
    let name = elided(ui, partner.short_name(), NAME_H - 8.0, 13.0, selected);
    let pos = pos2(
        rect.center().x - name.size().y / 2.0,
        rect.top() + NAME_H - 4.0,
    );
    painter.add(
        egui::epaint::TextShape::new(pos, name, visuals.text_color())
            .with_angle(-std::f32::consts::FRAC_PI_2),
    );
    let (leads, roles) = frame.index.col_summary.get(pi).copied().unwrap_or_default();
    let counts = Rect::from_min_size(
        pos2(rect.left(), rect.top() + NAME_H),
        vec2(CELL_W, COUNT_H),
    );
    let flags = frame.index.col_flags.get(&pi);
    let text = if flags.is_some() {
        format!("⚠{leads}/{roles}")
    } else {
        format!("{leads}/{roles}")
    };
    painter.text(
        counts.center(),
        Align2::CENTER_CENTER,
        text,
        FontId::proportional(11.0),
        if flags.is_some() {
            FLAG_COLOR
        } else {
            visuals.weak_text_color()
        },
    );
    painter.vline(
        rect.right(),
        rect.top() + 0.0..=rect.bottom(),
        Stroke::new(1.0, visuals.widgets.noninteractive.bg_stroke.color),
    );
    let mut clicked = response.clicked();
    response.on_hover_ui(|ui| {
        ui.strong(&partner.name);
        ui.label(partner.category.label());
        ui.label(format!(
            "Leads {leads} lines of effort; {roles} roles in all"
        ));
    });
    if let Some(messages) = flags {
        let id = Id::unique(("matrix_col_flag", pi));
        let rect = counts.intersect(header);
        clicked |= flag_marker_ui(ui, rect, id, partner.short_name(), messages);
    }
    clicked.then(|| ItemRef::new(ItemKind::Partner, &partner.id))
}

/// The small role menu of the cell last clicked (or Entered).
fn menu_ui(ui: &mut egui::Ui, state: &mut MatrixState, ctx: &mut ViewCtx<'_>) {
    let Some(menu) = &mut state.menu else { return };
    let mut open = true;
    let situation = ctx.situation;
    let line_title = situation
        .line(&menu.line)
        .map_or(menu.line.as_str(), |l| l.title.as_str());
    let partner_name = situation
        .partner(&menu.partner)
        .map_or(menu.partner.as_str(), |p| p.short_name());
    let existing = situation.assignment(&menu.line, &menu.partner);
    let current = existing.map(|a| a.role);
    let mut chosen: Option<Option<Role>> = None;
    egui::Popup::new(
        Id::unique("matrix_cell_menu"),
        ui.ctx().clone(),
        egui::PopupAnchor::ParentRect(menu.anchor),
        ui.layer_id(),
    )
    .open_bool(&mut open)
    .close_behavior(egui::PopupCloseBehavior::CloseOnClickOutside)
    .show(|ui| {
        ui.set_min_width(220.0);
        ui.strong(format!("{line_title} × {partner_name}"));
        if let Some(a) = existing
            && !a.note.trim().is_empty()
        {
            ui.label(egui::RichText::new(&a.note).italics().weak());
        }
        ui.separator();
        for role in [Role::Lead, Role::Support, Role::BurdenSharing] {
            let button = egui::Button::selectable(current == Some(role), role.label())
                .shortcut_text(role.short());
            if ui.add(button).clicked() {
                chosen = Some(Some(role));
            }
        }
        ui.horizontal(|ui| {
            let is_seq = matches!(current, Some(Role::Sequential(_)));
            let button = egui::Button::selectable(is_seq, "Sequential").shortcut_text("Q");
            if ui.add(button).clicked() {
                chosen = Some(Some(Role::Sequential(menu.step)));
            }
            ui.label("step");
            let drag = ui.add(egui::DragValue::new(&mut menu.step).range(1..=99));
            drag.widget_info(|| {
                egui::WidgetInfo::labeled(egui::Role::SpinButton, true, "Sequential step")
            });
            if drag.changed() && is_seq {
                chosen = Some(Some(Role::Sequential(menu.step)));
            }
        });
        let joint =
            egui::Button::selectable(current == Some(Role::Joint), "Joint").shortcut_text("J");
        if ui.add(joint).clicked() {
            chosen = Some(Some(Role::Joint));
        }
        ui.separator();
        if ui
            .add_enabled(
                current.is_some(),
                egui::Button::new("Clear").shortcut_text("Backspace"),
            )
            .clicked()
        {
            chosen = Some(None);
        }
    });
    let (line, partner) = (menu.line.clone(), menu.partner.clone());
    let keep_open = matches!(chosen, Some(Some(Role::Sequential(_))));
    if let Some(role) = chosen {
        set_role(ctx, &line, &partner, role);
        if !keep_open {
            open = false;
        }
    }
    if !open {
        state.menu = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_name_line_partner_and_role() {
        assert_eq!(
            cell_label("Mediation", "ECOWAS", Some(Role::Lead)),
            "Mediation × ECOWAS: Lead"
        );
        assert_eq!(
            cell_label("Mediation", "AU", Some(Role::Sequential(2))),
            "Mediation × AU: Sequential (step 2)"
        );
        assert_eq!(cell_label("Mediation", "AU", None), "Mediation × AU: empty");
    }
}
