//! The Overview, the situation room's first screen: what needs attention today, the continuum
//! at a glance, who carries the load, and a strip of the timeline around the as-of date.

use std::sync::Arc;

use egui::{Align, Color32, Layout, RichText, Sense, Stroke, vec2};

use super::detail::{DetailState, situation_form_ui};
use super::theme::{FLAG_COLOR, event_color, severity_color};
use super::{Action, View, ViewCtx};
use crate::analysis::attention::{
    AnsweredWarning, Attention, AttentionItem, Concern, DEFAULT_HORIZON_DAYS, days, in_days_text,
};
use crate::analysis::axis;
use crate::analysis::summary::Counts;
use crate::model::{EventKind, ItemKind, ItemRef, Situation};

/// Days of the timeline strip before and after the as-of date.
const STRIP_DAYS_BEFORE: i64 = 90;
const STRIP_DAYS_AFTER: i64 = 30;
/// The widest the "Needs attention" list's column grows before the figures beside it.
const FIGURES_WIDTH: f32 = 420.0;

/// The Overview's own state: the horizon for threshold moments, whether the situation's
/// details are open in the inspector, and what was read from the situation last.
pub struct OverviewState {
    /// Threshold moments this many days ahead need attention.
    pub horizon_days: i64,
    /// Whether the inspector shows the situation's own fields.
    pub details_open: bool,
    read: Option<Read>,
}

impl Default for OverviewState {
    fn default() -> Self {
        Self {
            horizon_days: DEFAULT_HORIZON_DAYS,
            details_open: false,
            read: None,
        }
    }
}

/// What the Overview read from one revision of the situation with one horizon.
struct Read {
    revision: u64,
    horizon_days: i64,
    attention: Arc<Attention>,
    rows: Arc<Vec<Row>>,
    strip: Arc<Vec<StripMark>>,
}

impl OverviewState {
    /// Closes the situation's details; says whether they were open (Escape closes them first).
    pub fn close_details(&mut self) -> bool {
        std::mem::replace(&mut self.details_open, false)
    }

    fn read(&mut self, ctx: &ViewCtx<'_>) -> (Arc<Attention>, Arc<Vec<Row>>, Arc<Vec<StripMark>>) {
        let fresh = self
            .read
            .as_ref()
            .is_some_and(|r| r.revision == ctx.revision && r.horizon_days == self.horizon_days);
        if !fresh {
            let attention = Attention::of(ctx.situation, ctx.diagnostics, self.horizon_days);
            self.read = Some(Read {
                revision: ctx.revision,
                horizon_days: self.horizon_days,
                rows: Arc::new(rows_of(&attention, self.horizon_days)),
                strip: Arc::new(strip_marks(ctx.situation)),
                attention: Arc::new(attention),
            });
        }
        match &self.read {
            Some(r) => (r.attention.clone(), r.rows.clone(), r.strip.clone()),
            None => Default::default(),
        }
    }
}

/// The Overview: a header, the timeline strip, then "Needs attention" beside the figures.
pub fn overview_ui(ui: &mut egui::Ui, state: &mut OverviewState, ctx: &mut ViewCtx<'_>) {
    let (attention, rows, strip) = state.read(ctx);
    header_ui(ui, state, ctx);
    strip_ui(ui, &strip, ctx);
    ui.add_space(6.0);
    let figures_w = (ui.available_width() * 0.38).clamp(260.0, FIGURES_WIDTH);
    let list_w = ui.available_width() - figures_w - ui.spacing().item_spacing.x * 3.0;
    let height = ui.available_height();
    ui.horizontal_top(|ui| {
        ui.allocate_ui_with_layout(vec2(list_w, height), Layout::top_down(Align::Min), |ui| {
            needs_attention_ui(ui, state, &rows, ctx);
        });
        ui.separator();
        ui.allocate_ui_with_layout(
            vec2(figures_w, height),
            Layout::top_down(Align::Min),
            |ui| {
                egui::ScrollArea::vertical()
                    .id_salt("overview_figures")
                    .show(ui, |ui| {
                        pace_ui(ui, &attention, ctx.situation);
                        ui.add_space(10.0);
                        load_ui(ui, &attention, ctx);
                    });
            },
        );
    });
}

/// The title, the situation's facts in one line, its counts, the summary, and "Details…".
fn header_ui(ui: &mut egui::Ui, state: &mut OverviewState, ctx: &mut ViewCtx<'_>) {
    let s = ctx.situation;
    ui.add_space(4.0);
    ui.horizontal(|ui| {
        ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
            let label = if state.details_open {
                "Hide details"
            } else {
                "Details…"
            };
            if ui
                .button(label)
                .on_hover_text("The situation's own fields: title, countries, as-of date, summary…")
                .clicked()
            {
                state.details_open = !state.details_open;
            }
            ui.with_layout(Layout::left_to_right(Align::Center), |ui| {
                ui.add(egui::Label::new(RichText::new(&s.title).size(22.0).strong()).truncate());
            });
        });
    });
    ui.horizontal_wrapped(|ui| {
        ui.label(
            RichText::new(format!("As of {}", long_date(s.as_of.first_day_number()))).strong(),
        );
        for fact in facts(s) {
            ui.separator();
            ui.label(fact);
        }
    });
    if !s.summary.trim().is_empty() {
        ui.add(egui::Label::new(RichText::new(&s.summary).weak()).truncate())
            .on_hover_text(&s.summary);
    }
}

/// Countries, region, sensitivity and the counts, as short phrases.
fn facts(s: &Situation) -> Vec<String> {
    let mut out = Vec::new();
    if !s.countries.is_empty() {
        out.push(s.countries.join(", "));
    }
    if !s.region.is_empty() {
        out.push(s.region.clone());
    }
    out.push(format!("Default sensitivity: {}", s.sensitivity.label()));
    let c = Counts::of(s);
    let text = crate::text::counted;
    out.push(
        [
            text(c.actors, "actor", "actors"),
            text(c.partners, "partner", "partners"),
            text(c.lines, "line of effort", "lines of effort"),
            text(c.events, "event", "events"),
        ]
        .join(" · "),
    );
    out
}

fn long_date(day_number: i64) -> String {
    axis::long_date(day_number)
}

/// One line of "Needs attention": an item to reveal, a tag, its title and why.
struct Row {
    item: ItemRef,
    view: View,
    tag: &'static str,
    color: Color32,
    title: String,
    reason: String,
}

fn rows_of(attention: &Attention, horizon_days: i64) -> Vec<Row> {
    let mut rows: Vec<Row> = attention.items.iter().map(row_of).collect();
    rows.extend(
        attention
            .later_thresholds
            .iter()
            .map(|(item, title, in_days)| Row {
                item: item.clone(),
                view: View::Timeline,
                tag: "Further ahead",
                color: event_color(EventKind::ThresholdMoment),
                title: title.clone(),
                reason: format!(
                    "Threshold moment {}, beyond the next {}",
                    in_days_text(*in_days),
                    days(horizon_days)
                ),
            }),
    );
    rows
}

fn row_of(item: &AttentionItem) -> Row {
    let (view, color) = match &item.concern {
        Concern::Unanswered { .. } => (View::Timeline, FLAG_COLOR),
        Concern::ThresholdAhead { .. } => (View::Timeline, event_color(EventKind::ThresholdMoment)),
        Concern::AnswerPlanned { .. } => (View::Timeline, event_color(EventKind::DiplomaticAction)),
        Concern::Matrix { severity, .. } => (View::Matrix, severity_color(*severity)),
    };
    let view = match item.item.kind {
        ItemKind::Actor => View::Actors,
        _ => view,
    };
    Row {
        item: item.item.clone(),
        view,
        tag: item.heading(),
        color,
        title: item.title.clone(),
        reason: item.reason(),
    }
}

/// The list, most urgent first; each line reveals its item in its view.
fn needs_attention_ui(
    ui: &mut egui::Ui,
    state: &mut OverviewState,
    rows: &[Row],
    ctx: &mut ViewCtx<'_>,
) {
    ui.horizontal(|ui| {
        ui.heading("Needs attention");
        ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
            ui.label("days ahead");
            ui.add(
                egui::DragValue::new(&mut state.horizon_days)
                    .range(1..=365)
                    .speed(1.0),
            )
            .on_hover_text("Threshold moments this many days after the as-of date need attention");
            ui.label("Threshold moments within");
        });
    });
    other_problems_ui(ui, ctx);
    if rows.is_empty() {
        ui.label(format!(
            "Nothing needs attention as of {}.",
            long_date(ctx.situation.as_of.first_day_number())
        ));
        return;
    }
    let row_h = ui.text_style_height(&egui::TextStyle::Body) * 2.0 + 10.0;
    egui::ScrollArea::vertical()
        .id_salt("overview_attention")
        .auto_shrink([false, false])
        .show_rows(ui, row_h, rows.len(), |ui, range| {
            for row in &rows[range] {
                if attention_row_ui(ui, row, row_h) {
                    ctx.push(Action::RevealIn(row.item.clone(), row.view));
                }
            }
        });
}

/// Checks other than the matrix's and the continuum's (ids, references, dates): counted here,
/// listed in the Problems panel.
fn other_problems_ui(ui: &mut egui::Ui, ctx: &mut ViewCtx<'_>) {
    let others = ctx
        .diagnostics
        .iter()
        .filter(|d| !d.code.starts_with("matrix.") && !d.code.starts_with("timeline."))
        .count();
    if others == 0 {
        return;
    }
    ui.horizontal_wrapped(|ui| {
        ui.label(
            RichText::new(format!(
                "⚠ {} in the file (ids, references, dates).",
                crate::text::counted(others, "other problem", "other problems")
            ))
            .color(FLAG_COLOR),
        );
        if ui.link("Show the Problems panel").clicked() {
            ctx.push(Action::ShowProblems);
        }
    });
}

/// One clickable line: tag and title above, the reason below; both elided with the whole text
/// on hover. Says whether it was clicked.
fn attention_row_ui(ui: &mut egui::Ui, row: &Row, row_h: f32) -> bool {
    let width = ui.available_width();
    let response = ui
        .scope_builder(egui::UiBuilder::new().sense(Sense::click()), |ui| {
            ui.set_width(width);
            ui.set_min_height(row_h - ui.spacing().item_spacing.y);
            ui.horizontal(|ui| {
                ui.add(
                    egui::Label::new(RichText::new(row.tag).size(12.0).strong().color(row.color))
                        .selectable(false),
                );
                ui.add(
                    egui::Label::new(RichText::new(&row.title).strong())
                        .truncate()
                        .selectable(false),
                );
            });
            ui.add(
                egui::Label::new(RichText::new(&row.reason).weak())
                    .truncate()
                    .selectable(false),
            );
        })
        .response;
    let response = response.on_hover_cursor(egui::CursorIcon::PointingHand);
    response.widget_info(|| {
        egui::WidgetInfo::labeled(
            egui::Role::Button,
            true,
            format!("{}: {}", row.tag, row.title),
        )
    });
    if response.hovered() {
        ui.painter().rect_stroke(
            response.rect,
            3.0,
            Stroke::new(1.0, ui.visuals().widgets.hovered.bg_stroke.color),
            egui::StrokeKind::Inside,
        );
    }
    response.clicked()
}

/// Median and longest lag, answers within 7 and 30 days, and a chart of lags over time.
fn pace_ui(ui: &mut egui::Ui, attention: &Attention, situation: &Situation) {
    let pace = &attention.pace;
    ui.heading("The continuum at a glance");
    if pace.warnings == 0 {
        ui.label("No warning sign dated by the as-of date.");
        return;
    }
    let median = pace
        .median_lag_days
        .map_or_else(|| "no answer yet".to_owned(), |d| days(d.round() as i64));
    ui.label(format!("Median wait for a first answer: {median}"));
    if let Some((lag, title)) = &pace.longest {
        ui.add(egui::Label::new(format!("Longest: {} (“{title}”)", days(*lag))).truncate());
    }
    ui.label(format!(
        "Answered within 7 days: {} of {} · within 30 days: {}",
        pace.within_7_days, pace.warnings, pace.within_30_days
    ));
    ui.label(format!(
        "Not answered by {}: {}",
        long_date(situation.as_of.first_day_number()),
        pace.warnings - pace.answered
    ));
    if !pace.lags.is_empty() {
        lag_chart_ui(ui, &pace.lags);
    }
}

/// Each answered warning at its date, as high as it waited: lower is faster.
fn lag_chart_ui(ui: &mut egui::Ui, lags: &[AnsweredWarning]) {
    use egui_plot::{AxisHints, HoverPosition, Plot, Points};
    let points: Vec<[f64; 2]> = lags
        .iter()
        .map(|w| [w.day as f64, w.lag_days as f64])
        .collect();
    let y_max = lags.iter().map(|w| w.lag_days).max().unwrap_or(1).max(7) as f64 * 1.15;
    Plot::new("overview_lags")
        .height(120.0)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .allow_double_click_reset(false)
        .show_grid([false, true])
        .x_grid_spacer(|input| {
            axis::date_ticks(input.bounds.0, input.bounds.1, input.base_step_size)
                .into_iter()
                .map(|(day, step)| egui_plot::GridMark {
                    value: day as f64,
                    step_size: step,
                })
                .collect()
        })
        .custom_x_axes(vec![AxisHints::new_x().formatter(|mark, _| {
            axis::axis_label(mark.value.round() as i64, mark.step_size)
        })])
        .custom_y_axes(vec![AxisHints::new_y().label("days")])
        .label_formatter(|hover| {
            let HoverPosition::NearDataPoint { index, .. } = hover else {
                return None;
            };
            let w = lags.get(*index)?;
            Some(format!(
                "{}\n{}: answered after {}",
                w.title,
                long_date(w.day),
                days(w.lag_days)
            ))
        })
        .include_y(0.0)
        .include_y(y_max)
        .show(ui, |plot_ui| {
            plot_ui.points(
                Points::new("days to a first answer", points)
                    .radius(3.5)
                    .color(event_color(EventKind::WarningSign)),
            );
        });
    ui.label(
        RichText::new(
            "Each dot: a warning sign, at its date, by days to its first answer. Lower is faster.",
        )
        .small()
        .weak(),
    );
}

/// The partners leading the most active lines, against the lead limit, and lines by status.
fn load_ui(ui: &mut egui::Ui, attention: &Attention, ctx: &mut ViewCtx<'_>) {
    ui.heading("Who carries the load");
    let limit = ctx.situation.lead_limit as usize;
    if attention.load.is_empty() {
        ui.label("No partner leads an active line of effort.");
    }
    egui::Grid::new("overview_load")
        .num_columns(2)
        .striped(true)
        .show(ui, |ui| {
            for load in &attention.load {
                let over = load.active_leads > limit;
                let name = RichText::new(&load.name);
                let name = if over { name.color(FLAG_COLOR) } else { name };
                if ui.link(name).on_hover_text("Show in the matrix").clicked() {
                    ctx.push(Action::RevealIn(
                        ItemRef::new(ItemKind::Partner, &load.id),
                        View::Matrix,
                    ));
                }
                let led = format!("leads {} of {limit}", load.active_leads);
                ui.label(if over { format!("⚠ {led}") } else { led });
                ui.end_row();
            }
        });
    ui.label(
        RichText::new(format!(
            "Lead limit: {} active lines of effort per partner{}",
            limit,
            match attention.overloaded {
                0 => String::new(),
                n => format!(
                    "; {} over it",
                    crate::text::counted(n, "partner is", "partners are")
                ),
            }
        ))
        .small()
        .weak(),
    );
    ui.add_space(6.0);
    let statuses: Vec<String> = attention
        .lines_by_status
        .iter()
        .map(|(status, n)| format!("{n} {}", status.label().to_lowercase()))
        .collect();
    if statuses.is_empty() {
        ui.label("No line of effort yet.");
    } else {
        ui.label(format!("Lines of effort: {}", statuses.join(" · ")));
    }
}

/// An event on the strip: where it is and in which row.
struct StripMark {
    id: String,
    title: String,
    kind: EventKind,
    day: i64,
}

/// The events from 90 days before to 30 days after the as-of date, incidents left out.
fn strip_marks(situation: &Situation) -> Vec<StripMark> {
    let as_of = situation.as_of.first_day_number();
    let range = (as_of - STRIP_DAYS_BEFORE)..=(as_of + STRIP_DAYS_AFTER);
    situation
        .events
        .iter()
        .filter(|e| crate::analysis::attention::on_strip(e.kind))
        .filter(|e| range.contains(&e.date.first_day_number()))
        .map(|e| StripMark {
            id: e.id.clone(),
            title: e.title.clone(),
            kind: e.kind,
            day: e.date.first_day_number(),
        })
        .collect()
}

fn strip_row(kind: EventKind) -> usize {
    match kind {
        EventKind::WarningSign => 0,
        EventKind::ThresholdMoment | EventKind::Milestone => 2,
        _ => 1,
    }
}

const STRIP_ROWS: [&str; 3] = ["Warnings", "Actions", "Thresholds"];

/// The last 90 days and the next 30 around the as-of date; hover names an event, a click
/// reveals it in the timeline.
fn strip_ui(ui: &mut egui::Ui, marks: &[StripMark], ctx: &mut ViewCtx<'_>) {
    let as_of = ctx.situation.as_of.first_day_number();
    let (rect, response) = ui.allocate_exact_size(vec2(ui.available_width(), 78.0), Sense::click());
    let painter = ui.painter_at(rect);
    let visuals = ui.visuals();
    painter.rect_filled(rect, 4.0, visuals.faint_bg_color);
    let label_w = 78.0;
    let plot = egui::Rect::from_min_max(rect.min + vec2(label_w, 6.0), rect.max - vec2(8.0, 18.0));
    let (lo, hi) = (as_of - STRIP_DAYS_BEFORE, as_of + STRIP_DAYS_AFTER);
    let x_of = |day: i64| plot.left() + (day - lo) as f32 / (hi - lo) as f32 * plot.width();
    let row_y = |row: usize| plot.top() + plot.height() * (row as f32 + 0.5) / 3.0;
    let small = egui::FontId::proportional(11.0);
    for (row, label) in STRIP_ROWS.iter().enumerate() {
        painter.text(
            egui::pos2(rect.left() + 6.0, row_y(row)),
            egui::Align2::LEFT_CENTER,
            *label,
            small.clone(),
            visuals.weak_text_color(),
        );
    }
    for (day, step) in axis::date_ticks(lo as f64, hi as f64, 28.0) {
        let x = x_of(day);
        painter.text(
            egui::pos2(x, rect.bottom() - 3.0),
            egui::Align2::CENTER_BOTTOM,
            axis::axis_label(day, step),
            small.clone(),
            visuals.weak_text_color(),
        );
    }
    let x = x_of(as_of);
    painter.line_segment(
        [
            egui::pos2(x, plot.top() - 4.0),
            egui::pos2(x, plot.bottom()),
        ],
        Stroke::new(1.5, super::theme::AS_OF_COLOR),
    );
    painter.text(
        egui::pos2(x + 4.0, plot.top() - 4.0),
        egui::Align2::LEFT_TOP,
        "As of",
        small.clone(),
        super::theme::AS_OF_COLOR,
    );
    let hover = response.hover_pos();
    let mut nearest: Option<(f32, &StripMark)> = None;
    for mark in marks {
        let at = egui::pos2(x_of(mark.day), row_y(strip_row(mark.kind)));
        painter.circle_filled(at, 4.5, event_color(mark.kind));
        if let Some(pointer) = hover {
            let d = pointer.distance(at);
            if d < 9.0 && nearest.is_none_or(|(best, _)| d < best) {
                nearest = Some((d, mark));
            }
        }
    }
    let Some((_, mark)) = nearest else {
        return;
    };
    let at = egui::pos2(x_of(mark.day), row_y(strip_row(mark.kind)));
    painter.circle_stroke(at, 7.0, Stroke::new(2.0, visuals.selection.stroke.color));
    let clicked = response.clicked();
    response.on_hover_ui_at_pointer(|ui| {
        ui.strong(&mark.title);
        ui.label(format!("{} · {}", long_date(mark.day), mark.kind.label()));
        ui.label(RichText::new("Click to show it in the timeline").weak());
    });
    if clicked {
        ctx.push(Action::RevealIn(
            ItemRef::new(ItemKind::Event, &mark.id),
            View::Timeline,
        ));
    }
}

/// The situation's own fields in the inspector, with a button to close them.
pub fn details_ui(
    ui: &mut egui::Ui,
    state: &mut OverviewState,
    detail: &mut DetailState,
    ctx: &mut ViewCtx<'_>,
) {
    ui.horizontal(|ui| {
        ui.label(RichText::new("Situation").weak());
        ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
            if ui
                .small_button("✕")
                .on_hover_text("Close the situation's details (Esc)")
                .clicked()
            {
                state.details_open = false;
            }
        });
    });
    ui.separator();
    egui::ScrollArea::vertical()
        .id_salt("situation_details_scroll")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            ui.set_max_width(ui.available_width());
            situation_form_ui(ui, detail, ctx);
        });
}
