//! The timeline: events in lanes over time, warning-to-action connectors, the activity chart
//! and the continuum panel (S/2011/552 ¶47).
//!
//! Events are painted over an `egui_plot` frame (axes, zoom, pan, linked activity chart).
//! What is drawn comes from a [`TimelineLayout`] (lanes, entries sorted by start day, spans'
//! rows, connectors), rebuilt only when the document revision, the lane mode or the filters
//! change. Only what falls in the visible time range is drawn, found by binary search; a lane
//! with too many visible events draws counts per bucket.

use std::collections::BTreeSet;
use std::ops::Range;

use egui::{Color32, Pos2, Rect, Stroke, pos2, vec2};
use egui_plot::{AxisHints, Bar, BarChart, GridInput, GridMark, Plot, PlotTransform};

use super::Action;
use super::ViewCtx;
use super::command::TimelineCommand;
use super::marker::paint_event_marker as paint_marker;
use super::theme::event_color;
use crate::analysis::axis::{self, DAY, MONTH, WEEK, YEAR};
use crate::analysis::timeline_layout::{
    Entry, Lane, LaneMode, Shape, TimelineFilters, TimelineLayout, activity_bins, bucket_counts,
};
use crate::model::{EventKind, ItemKind, ItemRef, PartialDate, Precision, Sensitivity, Situation};

/// The runtime state of the timeline view.
pub struct TimelineState {
    pub lane_mode: LaneMode,
    pub filters: TimelineFilters,
    from_text: String,
    to_text: String,
    fit_requested: bool,
    /// The first lane shown when the lanes do not all fit.
    top_lane: f64,
    layout: Option<TimelineLayout>,
    /// The revision, lane mode and filters `layout` was built for.
    layout_key: Option<(u64, LaneMode, TimelineFilters)>,
    /// The timeline's plot transform in the last frame.
    pub last_transform: Option<PlotTransform>,
    /// How many markers and buckets the last frame drew.
    pub last_drawn: usize,
    /// Keyboard commands (pan, zoom, fit) for the next frame's plot.
    pending: Vec<TimelineCommand>,
    /// Whether the timeline's keys are live: the pointer was over the plot last frame.
    pub keys_active: bool,
}

impl Default for TimelineState {
    fn default() -> Self {
        Self {
            lane_mode: LaneMode::default(),
            filters: TimelineFilters::default(),
            from_text: String::new(),
            to_text: String::new(),
            fit_requested: true,
            top_lane: 0.0,
            layout: None,
            layout_key: None,
            last_transform: None,
            last_drawn: 0,
            pending: Vec::new(),
            keys_active: false,
        }
    }
}

impl TimelineState {
    /// Where the event's marker was drawn in the last frame (in its first lane), if on screen.
    pub fn screen_pos(&self, situation: &Situation, event_id: &str) -> Option<Pos2> {
        let (entry, lane) = self.layout.as_ref()?.placed(situation, event_id)?;
        let transform = self.last_transform?;
        let pos = pos2(
            transform.position_from_point_x(entry.anchor_x()),
            transform.position_from_point_y(lane_y(lane)),
        );
        transform.frame().contains(pos).then_some(pos)
    }

    /// The days shown on the plot in the last frame (first and last, as day numbers), if the
    /// timeline has been drawn.
    pub fn visible_days(&self) -> Option<(f64, f64)> {
        let transform = self.last_transform?;
        let b = transform.bounds();
        Some((b.min()[0], b.max()[0]))
    }

    /// Asks the next frame to fit every shown event.
    pub fn fit_all(&mut self) {
        self.fit_requested = true;
    }

    /// Queues a keyboard command (pan, zoom, fit) for the next frame's plot.
    pub fn run_command(&mut self, command: TimelineCommand) {
        self.pending.push(command);
    }

    /// Rebuilds the layout when the situation, the lane mode or the filters changed; the first
    /// layout is fitted into view.
    fn refresh(&mut self, situation: &Situation, revision: u64) {
        let fresh = self.layout.is_some()
            && self.layout_key.as_ref().is_some_and(|(r, mode, filters)| {
                *r == revision && *mode == self.lane_mode && *filters == self.filters
            });
        if fresh {
            return;
        }
        if self.layout.is_none() {
            self.fit_requested = true;
        }
        self.layout = Some(TimelineLayout::build(
            situation,
            self.lane_mode,
            &self.filters,
        ));
        self.layout_key = Some((revision, self.lane_mode, self.filters.clone()));
    }
}

/// The y coordinate of a lane's centre.
fn lane_y(lane: usize) -> f64 {
    -(lane as f64)
}

/// The lane under a y coordinate.
fn lane_at(y: f64) -> Option<usize> {
    let lane = (-y).round();
    (lane >= 0.0).then_some(lane as usize)
}

/// Above this many visible markers in all, lanes draw counts per bucket instead.
const MAX_MARKERS_TOTAL: usize = 6000;
/// Above this many threshold moments in view, they are ticks on the top edge, not lines.
const MAX_THRESHOLD_LINES: usize = 80;

/// Draws the timeline view: toolbar, continuum panel, timeline and activity chart.
pub fn timeline_ui(ui: &mut egui::Ui, state: &mut TimelineState, ctx: &mut ViewCtx<'_>) {
    state.refresh(ctx.situation, ctx.revision);
    toolbar_ui(ui, state, ctx.situation);
    egui::Panel::right("timeline_continuum")
        .resizable(true)
        .default_size(250.0)
        .min_size(200.0)
        .show(ui, |ui| continuum_ui(ui, state, ctx));
    egui::CentralPanel::default().show(ui, |ui| plots_ui(ui, state, ctx));
}

fn toolbar_ui(ui: &mut egui::Ui, state: &mut TimelineState, situation: &Situation) {
    ui.horizontal_wrapped(|ui| {
        ui.heading("Timeline");
        ui.separator();
        ui.label("Lanes:");
        for mode in LaneMode::ALL {
            if ui
                .selectable_label(state.lane_mode == mode, mode.label())
                .clicked()
            {
                state.lane_mode = mode;
                state.top_lane = 0.0;
            }
        }
        ui.separator();
        if ui
            .button("Fit all")
            .on_hover_text("Show every event (F or Home)")
            .clicked()
        {
            state.fit_requested = true;
        }
        ui.separator();
        let from_changed = date_field_ui(ui, "From", &mut state.from_text, &mut state.filters.from);
        let to_changed = date_field_ui(ui, "To", &mut state.to_text, &mut state.filters.to);
        if from_changed || to_changed {
            state.fit_requested = true;
        }
        ui.separator();
        filters_ui(ui, &mut state.filters, situation);
    });
    ui.horizontal_wrapped(|ui| {
        legend_ui(ui);
        if let Some(t) = state.last_transform {
            let b = t.bounds();
            ui.separator();
            ui.weak(format!(
                "Showing {} – {}",
                axis::long_date(b.min()[0].floor() as i64),
                axis::long_date(b.max()[0].floor() as i64)
            ));
        }
    });
}

/// The kind, actor, partner and sensitivity filters, shared by the timeline and the map.
pub fn filters_ui(ui: &mut egui::Ui, filters: &mut TimelineFilters, situation: &Situation) {
    ui.menu_button(
        filter_label(
            "Kinds",
            EventKind::ALL.len() - filters.hidden_kinds.len(),
            EventKind::ALL.len(),
        ),
        |ui| {
            for kind in EventKind::ALL {
                let mut shown = !filters.hidden_kinds.contains(kind);
                if ui.checkbox(&mut shown, kind.label()).changed() {
                    toggle(&mut filters.hidden_kinds, *kind, shown);
                }
            }
        },
    );
    id_filter_ui(
        ui,
        "Actor",
        &mut filters.actor,
        situation
            .actors
            .iter()
            .map(|a| (a.id.as_str(), a.name.as_str())),
    );
    id_filter_ui(
        ui,
        "Partner",
        &mut filters.partner,
        situation
            .partners
            .iter()
            .map(|p| (p.id.as_str(), p.short_name())),
    );
    ui.menu_button(
        filter_label(
            "Sensitivity",
            Sensitivity::ALL.len() - filters.hidden_sensitivities.len(),
            Sensitivity::ALL.len(),
        ),
        |ui| {
            for s in Sensitivity::ALL {
                let mut shown = !filters.hidden_sensitivities.contains(s);
                if ui.checkbox(&mut shown, s.label()).changed() {
                    toggle(&mut filters.hidden_sensitivities, *s, shown);
                }
            }
        },
    );
}

fn filter_label(name: &str, shown: usize, all: usize) -> String {
    if shown == all {
        format!("{name}: all")
    } else {
        format!("{name}: {shown} of {all}")
    }
}

fn toggle<T: Ord>(hidden: &mut BTreeSet<T>, value: T, shown: bool) {
    if shown {
        hidden.remove(&value);
    } else {
        hidden.insert(value);
    }
}

/// A date text field that sets `value` when the text parses; returns whether `value` changed.
fn date_field_ui(
    ui: &mut egui::Ui,
    label: &str,
    text: &mut String,
    value: &mut Option<PartialDate>,
) -> bool {
    let label_response = ui.label(label);
    let parsed = if text.trim().is_empty() {
        Ok(None)
    } else {
        text.trim().parse::<PartialDate>().map(Some)
    };
    let mut edit = egui::TextEdit::singleline(text)
        .desired_width(86.0)
        .hint_text("YYYY-MM-DD");
    if parsed.is_err() {
        edit = edit.text_color(ui.visuals().error_fg_color);
    }
    let response = ui.add(edit).labelled_by(label_response.id);
    match &parsed {
        Err(err) => response.on_hover_text(err.to_string()),
        Ok(_) => response.on_hover_text(format!(
            "{label} date: a year (2009), a month (2009-09) or a day (2009-09-28); empty for no limit"
        )),
    };
    match parsed {
        Ok(new) if new != *value => {
            *value = new;
            true
        }
        _ => false,
    }
}

fn id_filter_ui<'a>(
    ui: &mut egui::Ui,
    what: &str,
    value: &mut Option<String>,
    choices: impl Iterator<Item = (&'a str, &'a str)>,
) {
    let choices: Vec<(&str, &str)> = choices.collect();
    let current = value
        .as_deref()
        .and_then(|id| choices.iter().find(|(i, _)| *i == id))
        .map_or("all", |(_, name)| *name);
    egui::ComboBox::from_label(what)
        .selected_text(current)
        .width(120.0)
        .show_ui(ui, |ui| {
            ui.selectable_value(value, None, "all");
            for (id, name) in choices {
                ui.selectable_value(value, Some(id.to_owned()), name);
            }
        });
}

fn legend_ui(ui: &mut egui::Ui) {
    for kind in EventKind::ALL {
        let (rect, _) = ui.allocate_exact_size(vec2(12.0, 12.0), egui::Sense::hover());
        paint_marker(ui.painter(), rect.center(), 5.0, *kind, None);
        ui.label(kind.label());
    }
    let (rect, _) = ui.allocate_exact_size(vec2(18.0, 12.0), egui::Sense::hover());
    ui.painter().rect_filled(
        rect.shrink2(vec2(0.0, 2.0)),
        1.0,
        Color32::from_gray(128).gamma_multiply(0.3),
    );
    ui.label("month / year only");
}

/// The side panel: each warning with its lag, the median, the unanswered ones, the threshold
/// moments ahead and the events in view. Clicking a name selects the event.
fn continuum_ui(ui: &mut egui::Ui, state: &TimelineState, ctx: &mut ViewCtx<'_>) {
    let Some(layout) = &state.layout else {
        return;
    };
    let row_h = ui.text_style_height(&egui::TextStyle::Body) + ui.spacing().item_spacing.y + 2.0;
    ui.add_space(4.0);
    let warning = warnings_ui(ui, layout, ctx, row_h);
    let threshold = thresholds_ahead_ui(ui, layout, ctx, row_h);
    ui.separator();
    let in_view = in_view_list_ui(ui, layout, state.last_transform.as_ref(), ctx, row_h);
    if let Some(id) = in_view.or(threshold).or(warning) {
        ctx.push(Action::Select(Some(ItemRef::new(ItemKind::Event, id))));
    }
}

/// Each warning sign with the lag to its first answer, the median lag and how many are left
/// unanswered; returns the warning clicked.
fn warnings_ui(
    ui: &mut egui::Ui,
    layout: &TimelineLayout,
    ctx: &ViewCtx<'_>,
    row_h: f32,
) -> Option<String> {
    let c = &layout.continuum;
    ui.heading("Warnings and first actions");
    ui.label(match c.median_lag_days {
        Some(m) => format!(
            "Median lag: {} ({} of {} warnings answered)",
            days_text(m),
            c.warnings.iter().filter(|w| w.lag_days.is_some()).count(),
            c.warnings.len()
        ),
        None if c.warnings.is_empty() => "No warning signs recorded.".into(),
        None => "Median lag: no warning answered yet".into(),
    });
    let mut clicked: Option<String> = None;
    egui::ScrollArea::vertical()
        .id_salt("timeline_warnings")
        .max_height((ui.available_height() * 0.4).max(80.0))
        .auto_shrink([false, true])
        .show_rows(ui, row_h, c.warnings.len(), |ui, rows| {
            for w in c.warnings.get(rows).unwrap_or_default() {
                if warning_row_ui(ui, layout, ctx, w) {
                    clicked = Some(w.id.clone());
                }
            }
        });
    if !c.unanswered.is_empty() {
        ui.separator();
        ui.label(
            egui::RichText::new(format!(
                "! Unanswered warning signs: {}",
                c.unanswered.len()
            ))
            .color(super::theme::FLAG_COLOR)
            .strong(),
        );
    }
    clicked
}

/// One warning: its lag (explained in the tooltip) and its title; returns whether the title
/// was clicked.
fn warning_row_ui(
    ui: &mut egui::Ui,
    layout: &TimelineLayout,
    ctx: &ViewCtx<'_>,
    w: &crate::analysis::timeline::WarningLag,
) -> bool {
    let situation = ctx.situation;
    let title = layout.title(situation, &w.id);
    let flagged = layout.unanswered.contains(&w.id);
    ui.horizontal(|ui| {
        let lag = match w.lag_days {
            Some(d) if w.approximate => format!("≈{d} d"),
            Some(d) => format!("{d} d"),
            None if flagged => "! none".into(),
            None => "— not yet".into(),
        };
        let lag_text = egui::RichText::new(format!("{lag:>8}")).monospace();
        let lag_text = if flagged {
            lag_text.color(super::theme::FLAG_COLOR)
        } else {
            lag_text
        };
        ui.label(lag_text).on_hover_text(match (&w.answered_by, w.lag_days) {
            (Some(a), Some(d)) => {
                let action = layout.title(situation, a);
                let note = if w.approximate {
                    " (approximate: a date is known only to the month or year; counted from its first day)"
                } else {
                    ""
                };
                format!("First answered by “{action}” after {}{note}", whole_days(d))
            }
            _ if flagged => "No action answers this warning sign".into(),
            _ => "Dated on or after the as-of date; no answer yet".into(),
        });
        let selected = ctx.is_selected(ItemKind::Event, &w.id);
        ui.selectable_label(selected, elide(title, 40))
            .on_hover_text(format!("{title} ({})", w.date))
            .clicked()
    })
    .inner
}

/// The threshold moments after the as-of date; returns the one clicked.
fn thresholds_ahead_ui(
    ui: &mut egui::Ui,
    layout: &TimelineLayout,
    ctx: &ViewCtx<'_>,
    row_h: f32,
) -> Option<String> {
    let situation = ctx.situation;
    let c = &layout.continuum;
    ui.separator();
    ui.strong("Threshold moments ahead");
    if c.upcoming_thresholds.is_empty() {
        ui.weak("None after the as-of date.");
    }
    let as_of = situation.as_of.first_day_number();
    let mut clicked = None;
    egui::ScrollArea::vertical()
        .id_salt("timeline_thresholds")
        .max_height(row_h * 5.0)
        .auto_shrink([false, true])
        .show_rows(ui, row_h, c.upcoming_thresholds.len(), |ui, rows| {
            for t in c.upcoming_thresholds.get(rows).unwrap_or_default() {
                let title = layout.title(situation, &t.id);
                ui.horizontal(|ui| {
                    let days = t.date.first_day_number() - as_of;
                    ui.monospace(format!("{:>10}", t.date.to_string()))
                        .on_hover_text(if days > 0 {
                            format!("in {}", whole_days(days))
                        } else {
                            "this month or year".into()
                        });
                    let selected = ctx.is_selected(ItemKind::Event, &t.id);
                    if ui.selectable_label(selected, elide(title, 36)).clicked() {
                        clicked = Some(t.id.clone());
                    }
                });
            }
        });
    clicked
}

/// The events in the last frame's visible range (all of them before the first frame), by date;
/// returns the one clicked.
fn in_view_list_ui(
    ui: &mut egui::Ui,
    layout: &TimelineLayout,
    transform: Option<&PlotTransform>,
    ctx: &ViewCtx<'_>,
    row_h: f32,
) -> Option<String> {
    let situation = ctx.situation;
    let in_view = match transform {
        Some(t) => layout.in_view(t.bounds().min()[0], t.bounds().max()[0]),
        None => layout.all(),
    };
    ui.strong(format!(
        "In view: {}",
        crate::text::counted(in_view.len(), "event", "events")
    ));
    let mut clicked = None;
    egui::ScrollArea::vertical()
        .id_salt("timeline_in_view")
        .auto_shrink([false, false])
        .show_rows(ui, row_h, in_view.len(), |ui, rows| {
            for ei in rows.filter_map(|row| in_view.get(row)) {
                let Some(entry) = layout.entries.get(ei) else {
                    continue;
                };
                let Some(e) = situation.events.get(entry.event) else {
                    continue;
                };
                ui.horizontal(|ui| {
                    let (rect, _) = ui.allocate_exact_size(vec2(12.0, 12.0), egui::Sense::hover());
                    paint_marker(ui.painter(), rect.center(), 4.5, e.kind, None);
                    ui.monospace(format!("{:>10}", e.date.to_string()));
                    let selected = ctx.is_selected(ItemKind::Event, &e.id);
                    if ui
                        .selectable_label(selected, elide(&e.title, 34))
                        .on_hover_text(format!("{} — {} ({})", e.title, e.kind, e.date))
                        .clicked()
                    {
                        clicked = Some(e.id.clone());
                    }
                });
            }
        });
    clicked
}

/// "1 day", "34 days".
fn whole_days(days: i64) -> String {
    if days == 1 {
        "1 day".into()
    } else {
        format!("{days} days")
    }
}

fn days_text(days: f64) -> String {
    if days == 1.0 {
        "1 day".into()
    } else if days.fract() == 0.0 {
        format!("{days:.0} days")
    } else {
        format!("{days:.1} days")
    }
}

/// `text` cut to `max` characters with an ellipsis.
fn elide(text: &str, max: usize) -> String {
    if text.chars().count() > max {
        format!(
            "{}…",
            text.chars().take(max.saturating_sub(1)).collect::<String>()
        )
    } else {
        text.to_owned()
    }
}

/// Grid marks on calendar boundaries (years, months, days) for the time axis.
fn date_grid(input: GridInput) -> Vec<GridMark> {
    axis::date_ticks(input.bounds.0, input.bounds.1, input.base_step_size)
        .into_iter()
        .map(|(day, step)| GridMark {
            value: day as f64,
            step_size: step,
        })
        .collect()
}

/// The time axis: calendar labels that fit the zoom.
fn time_axis() -> AxisHints<'static> {
    AxisHints::new_x()
        .formatter(|mark, _| axis::axis_label(mark.value.round() as i64, mark.step_size))
        .label_spacing(30.0..=44.0)
}

/// What the pointer is over in the timeline.
enum Hit {
    Entry(usize),
    Bucket { count: usize, from: f64, to: f64 },
}

/// How a lane is drawn this frame.
struct LaneDraw {
    lane: usize,
    range: Range<usize>,
    /// Bucket width in days when the lane shows counts instead of markers.
    bucket: Option<f64>,
}

fn plots_ui(ui: &mut egui::Ui, state: &mut TimelineState, ctx: &mut ViewCtx<'_>) {
    let Some(layout) = state.layout.take() else {
        return;
    };
    plots_with_layout_ui(ui, state, &layout, ctx);
    state.layout = Some(layout);
}

/// The sizes of the lane plot this frame.
struct PlotSize {
    height: f32,
    /// Lanes in all (at least one).
    lanes: usize,
    /// Lanes that fit in the height.
    shown_lanes: usize,
    /// Width of the lane labels' axis.
    axis_w: f32,
}

impl PlotSize {
    fn of(ui: &egui::Ui, layout: &TimelineLayout, activity_h: f32) -> Self {
        let height = (ui.available_height() - activity_h - ui.spacing().item_spacing.y).max(120.0);
        let lanes = layout.lanes.len().max(1);
        let body = ui.text_style_height(&egui::TextStyle::Body);
        let usable = (height - body - 12.0).max(20.0);
        let shown_lanes = ((usable / 24.0).floor() as usize).clamp(1, lanes);
        let label_w = layout
            .lanes
            .iter()
            .map(|l| l.label.chars().count())
            .max()
            .unwrap_or(4) as f32
            * body
            * 0.55
            + 12.0;
        Self {
            height,
            lanes,
            shown_lanes,
            axis_w: label_w.clamp(40.0, 220.0),
        }
    }
}

/// The lane plot and, under it, the activity chart; the pointer's tooltip and click.
fn plots_with_layout_ui(
    ui: &mut egui::Ui,
    state: &mut TimelineState,
    layout: &TimelineLayout,
    ctx: &mut ViewCtx<'_>,
) {
    let situation = ctx.situation;
    let as_of = situation.as_of.first_day_number() as f64;
    let group = egui::Id::unique("timeline_time_axis");
    let activity_h = 120.0;
    let size = PlotSize::of(ui, layout, activity_h);
    let labels: Vec<String> = layout.lanes.iter().map(|l| l.label.clone()).collect();
    let fit =
        std::mem::take(&mut state.fit_requested).then(|| layout.fit_range(&state.filters, as_of));
    let text_focused = ui.ctx().text_edit_focused();
    let response = lane_plot(&size, labels, group).show(ui, |plot_ui| {
        let bounds = plot_ui.plot_bounds();
        scroll_lanes(plot_ui, &mut state.top_lane, &size);
        if let Some((lo, hi)) = fit {
            plot_ui.set_plot_bounds_x(lo..=hi);
        }
        let hovered = plot_ui.response().hovered();
        state.keys_active = hovered;
        run_commands(plot_ui, state, layout, bounds, as_of);
        if hovered && !text_focused {
            let wheel = plot_ui.ctx().input(|i| i.smooth_scroll_delta.y);
            if wheel != 0.0 && size.shown_lanes >= size.lanes {
                plot_ui.zoom_bounds_around_hovered(vec2((wheel * 0.004).exp(), 1.0));
            }
        }
    });
    let transform = response.transform;
    state.last_transform = Some(transform);
    let hit = paint_timeline(
        ui,
        state,
        layout,
        ctx,
        &transform,
        response.response.hover_pos(),
    );
    let plot_response = response.response;
    if let Some(hit) = &hit {
        plot_response
            .ctx
            .set_cursor_icon(egui::CursorIcon::PointingHand);
        egui::Tooltip::always_open(
            ui.ctx().clone(),
            ui.layer_id(),
            plot_response.id,
            egui::PopupAnchor::Pointer,
        )
        .gap(12.0)
        .show(|ui| hit_tooltip_ui(ui, hit, layout, situation));
    }
    if plot_response.clicked()
        && let Some(Hit::Entry(ei)) = hit
        && let Some(e) = layout
            .entries
            .get(ei)
            .and_then(|en| situation.events.get(en.event))
    {
        ctx.push(Action::Select(Some(ItemRef::new(
            ItemKind::Event,
            e.id.clone(),
        ))));
    }
    activity_ui(ui, layout, &transform, group, activity_h, size.axis_w);
}

/// The plot the lanes are painted over: a calendar time axis linked to the activity chart,
/// one labelled grid line per lane, zoom and pan in time only (and up and down through the
/// lanes when they do not all fit).
fn lane_plot(size: &PlotSize, labels: Vec<String>, group: egui::Id) -> Plot<'static> {
    Plot::new("timeline_plot")
        .height(size.height)
        .link_axis(group, [true, false])
        .allow_zoom([true, false])
        .allow_scroll([true, false])
        .allow_drag([true, size.shown_lanes < size.lanes])
        .allow_boxed_zoom(false)
        .allow_double_click_reset(false)
        .allow_axis_zoom_drag([true, false])
        .show_x(false)
        .show_y(false)
        .show_grid([true, false])
        .x_grid_spacer(date_grid)
        .custom_x_axes(vec![time_axis()])
        .y_grid_spacer(move |input: GridInput| {
            let (lo, hi) = input.bounds;
            let first = (-hi).ceil().max(0.0) as usize;
            let last = (-lo).floor().max(0.0) as usize;
            (first..=last)
                .map(|i| GridMark {
                    value: lane_y(i),
                    step_size: 1.0,
                })
                .collect()
        })
        .custom_y_axes(vec![
            AxisHints::new_y()
                .formatter(move |mark, _| {
                    lane_at(mark.value)
                        .and_then(|i| labels.get(i))
                        .cloned()
                        .unwrap_or_default()
                })
                .label_spacing(10.0..=14.0)
                .min_thickness(size.axis_w),
        ])
}

/// Keeps whole lanes in view: `top_lane` follows a vertical drag when the lanes do not all
/// fit, and the y bounds show `shown_lanes` lanes from it.
fn scroll_lanes(plot_ui: &mut egui_plot::PlotUi<'_>, top_lane: &mut f64, size: &PlotSize) {
    let bounds = plot_ui.plot_bounds();
    let (lanes, shown) = (size.lanes, size.shown_lanes);
    if shown < lanes && bounds.is_valid_y() {
        *top_lane = -bounds.max()[1] - 0.5;
    }
    *top_lane = top_lane.clamp(0.0, (lanes - shown) as f64);
    if shown >= lanes {
        *top_lane = 0.0;
    }
    plot_ui.set_plot_bounds_y((-(*top_lane + shown as f64 - 1.0) - 0.5)..=(-*top_lane + 0.5));
}

/// Runs the keyboard commands queued since the last frame: pan, zoom, fit.
fn run_commands(
    plot_ui: &mut egui_plot::PlotUi<'_>,
    state: &mut TimelineState,
    layout: &TimelineLayout,
    bounds: egui_plot::PlotBounds,
    as_of: f64,
) {
    let width = bounds.width();
    let center = bounds.center();
    for command in std::mem::take(&mut state.pending) {
        match command {
            TimelineCommand::PanLeft => plot_ui.translate_bounds(vec2(-(width * 0.15) as f32, 0.0)),
            TimelineCommand::PanRight => plot_ui.translate_bounds(vec2((width * 0.15) as f32, 0.0)),
            TimelineCommand::ZoomIn => plot_ui.zoom_bounds(vec2(1.5, 1.0), center),
            TimelineCommand::ZoomOut => plot_ui.zoom_bounds(vec2(1.0 / 1.5, 1.0), center),
            TimelineCommand::FitAll => {
                let (lo, hi) = layout.fit_range(&state.filters, as_of);
                plot_ui.set_plot_bounds_x(lo..=hi);
            }
        }
    }
}

fn hit_tooltip_ui(ui: &mut egui::Ui, hit: &Hit, layout: &TimelineLayout, situation: &Situation) {
    match hit {
        Hit::Entry(ei) => {
            let Some(e) = layout
                .entries
                .get(*ei)
                .and_then(|en| situation.events.get(en.event))
            else {
                return;
            };
            ui.strong(&e.title);
            let when = match e.end {
                Some(end) => format!("{} – {end}", e.date),
                None => e.date.to_string(),
            };
            let precision = match e.date.precision() {
                Precision::Day => "",
                Precision::Month => " (known to the month)",
                Precision::Year => " (known to the year)",
            };
            ui.label(format!("{when}{precision}"));
            ui.label(e.kind.label());
            if let Some(w) = layout.continuum.warnings.iter().find(|w| w.id == e.id) {
                ui.label(match (w.lag_days, layout.unanswered.contains(&w.id)) {
                    (Some(d), _) if w.approximate => {
                        format!("First answered after ≈{}", whole_days(d))
                    }
                    (Some(d), _) => format!("First answered after {}", whole_days(d)),
                    (None, true) => "No action answers this warning".into(),
                    (None, false) => "No answer yet".into(),
                });
            }
        }
        Hit::Bucket { count, from, to } => {
            ui.strong(crate::text::counted(*count, "event", "events"));
            ui.label(format!(
                "{} – {}",
                axis::long_date(from.floor() as i64),
                axis::long_date((to - 1.0).floor() as i64)
            ));
            ui.weak("Zoom in to see them one by one");
        }
    }
}

/// What painting one frame of the timeline reads, resolved once.
struct Canvas<'a> {
    painter: egui::Painter,
    t: &'a PlotTransform,
    /// The plot's frame on screen.
    frame: Rect,
    /// The days in view.
    xmin: f64,
    xmax: f64,
    /// The height of one lane on screen.
    lane_px: f32,
    visuals: &'a egui::Visuals,
    font: egui::FontId,
    situation: &'a Situation,
    layout: &'a TimelineLayout,
    /// The index of the selected event, if one is.
    selected: Option<usize>,
}

impl Canvas<'_> {
    fn x_of(&self, x: f64) -> f32 {
        self.t.position_from_point_x(x)
    }

    fn y_of(&self, lane: usize) -> f32 {
        self.t.position_from_point_y(lane_y(lane))
    }

    fn text_color(&self) -> Color32 {
        self.visuals.text_color()
    }
}

/// The best hit under the pointer so far: a marker nearest the pointer wins over any bar, and
/// among bars the shortest.
struct HitSearch {
    hit: Option<Hit>,
    best_dist: f32,
    best_len: f64,
}

/// Paints lanes, bands, spans, markers, connectors, threshold and as-of lines over the plot;
/// returns what the pointer is over.
fn paint_timeline(
    ui: &egui::Ui,
    state: &mut TimelineState,
    layout: &TimelineLayout,
    ctx: &ViewCtx<'_>,
    t: &PlotTransform,
    pointer: Option<Pos2>,
) -> Option<Hit> {
    let situation = ctx.situation;
    let frame = *t.frame();
    let canvas = Canvas {
        painter: ui.painter_at(frame),
        t,
        frame,
        xmin: t.bounds().min()[0],
        xmax: t.bounds().max()[0],
        lane_px: (t.position_from_point_y(-1.0) - t.position_from_point_y(0.0)).abs(),
        visuals: ui.visuals(),
        font: egui::TextStyle::Small.resolve(ui.style()),
        situation,
        layout,
        selected: ctx
            .selection
            .as_ref()
            .filter(|s| s.kind == ItemKind::Event)
            .and_then(|s| layout.event_index(situation, &s.id)),
    };
    let draws = lane_draws(&canvas);
    paint_lane_stripes(&canvas, &draws);
    paint_as_of(&canvas);
    paint_thresholds(&canvas);
    paint_connectors(&canvas);

    // Events, lane by lane.
    let mut search = HitSearch {
        hit: None,
        best_dist: f32::INFINITY,
        best_len: f64::INFINITY,
    };
    let pointer_lane = pointer
        .filter(|p| frame.contains(*p))
        .and_then(|p| lane_at(t.value_from_position(p).y));
    let mut drawn = 0;
    for d in &draws {
        let Some(lane) = layout.lanes.get(d.lane) else {
            continue;
        };
        let pointer = pointer.filter(|_| pointer_lane == Some(d.lane));
        let items = lane.items.get(d.range.clone()).unwrap_or_default();
        if let Some(bucket) = d.bucket {
            drawn += paint_buckets(
                &canvas,
                items,
                bucket,
                canvas.y_of(d.lane),
                state.lane_mode,
                pointer,
                &mut search.hit,
            );
            continue;
        }
        // Bands and spans first, then markers on top.
        drawn += paint_bars(&canvas, d, lane, pointer, &mut search);
        drawn += paint_markers(&canvas, d, items, pointer, &mut search);
    }
    state.last_drawn = drawn;
    search.hit
}

/// The lanes on screen, the range of their items in view, and whether each draws counts per
/// bucket instead (when more than [`MAX_MARKERS_TOTAL`] items are in view in all).
fn lane_draws(canvas: &Canvas<'_>) -> Vec<LaneDraw> {
    let (t, layout) = (canvas.t, canvas.layout);
    let first_lane = lane_at(t.bounds().max()[1]).unwrap_or(0);
    let last_lane = lane_at(t.bounds().min()[1]).unwrap_or(0);
    let mut draws: Vec<LaneDraw> = (first_lane..=last_lane)
        .filter_map(|li| {
            let lane = layout.lanes.get(li)?;
            Some(LaneDraw {
                lane: li,
                range: lane.visible(&layout.entries, canvas.xmin, canvas.xmax),
                bucket: None,
            })
        })
        .collect();
    let total: usize = draws.iter().map(|d| d.range.len()).sum();
    if total > MAX_MARKERS_TOTAL {
        let px_per_day = canvas.frame.width() as f64 / (canvas.xmax - canvas.xmin).max(1e-9);
        let per_lane = MAX_MARKERS_TOTAL / draws.len().max(1);
        let bucket = [DAY, WEEK, MONTH, YEAR]
            .into_iter()
            .find(|b| b * px_per_day >= 4.0)
            .unwrap_or(YEAR * 10.0);
        for d in &mut draws {
            if d.range.len() > per_lane {
                d.bucket = Some(bucket);
            }
        }
    }
    draws
}

/// A faint stripe behind every other lane.
fn paint_lane_stripes(canvas: &Canvas<'_>, draws: &[LaneDraw]) {
    let lane_px = canvas.lane_px;
    for d in draws {
        if d.lane % 2 == 1 {
            let y = canvas.y_of(d.lane);
            canvas.painter.rect_filled(
                Rect::from_x_y_ranges(
                    canvas.frame.x_range(),
                    (y - lane_px / 2.0)..=(y + lane_px / 2.0),
                ),
                0.0,
                canvas.text_color().gamma_multiply(0.035),
            );
        }
    }
}

/// The as-of date: a dashed line across all lanes, labelled at the bottom.
fn paint_as_of(canvas: &Canvas<'_>) {
    let (frame, situation) = (canvas.frame, canvas.situation);
    let text_color = canvas.text_color();
    let as_of = situation.as_of.first_day_number() as f64;
    if (canvas.xmin..=canvas.xmax).contains(&as_of) {
        let x = canvas.x_of(as_of);
        let stroke = Stroke::new(1.5, text_color.gamma_multiply(0.7));
        canvas.painter.add(egui::Shape::dashed_line(
            &[pos2(x, frame.top()), pos2(x, frame.bottom())],
            stroke,
            6.0,
            4.0,
        ));
        canvas.painter.text(
            pos2(x + 4.0, frame.bottom() - 4.0),
            egui::Align2::LEFT_BOTTOM,
            format!("As of {}", situation.as_of),
            canvas.font.clone(),
            text_color,
        );
    }
}

/// Threshold moments: a line across all lanes with their label (ticks on the top edge when
/// there are too many).
fn paint_thresholds(canvas: &Canvas<'_>) {
    let (painter, frame) = (&canvas.painter, canvas.frame);
    let threshold_color = event_color(EventKind::ThresholdMoment);
    let mut label_right = f32::NEG_INFINITY;
    let threshold_slice = canvas.layout.thresholds_in(canvas.xmin, canvas.xmax);
    let label_thresholds = threshold_slice.len() <= 200;
    // Hundreds of full-height lines would hide the lanes (and cost a software renderer dearly):
    // past that, each threshold is a short tick along the top edge.
    let full_lines = threshold_slice.len() <= MAX_THRESHOLD_LINES;
    let threshold_stroke = Stroke::new(1.2, threshold_color.gamma_multiply(0.55));
    for &ei in threshold_slice {
        let Some(entry) = canvas.layout.entries.get(ei) else {
            continue;
        };
        let x = canvas.x_of(entry.anchor_x());
        if full_lines {
            painter.vline(x, frame.y_range(), threshold_stroke);
        } else {
            painter.vline(x, frame.top()..=frame.top() + 8.0, threshold_stroke);
        }
        if label_thresholds
            && x > label_right
            && let Some(e) = canvas.situation.events.get(entry.event)
        {
            let galley =
                painter.layout_no_wrap(elide(&e.title, 36), canvas.font.clone(), threshold_color);
            let y = frame.top() + 2.0;
            let rect = Rect::from_min_size(pos2(x + 3.0, y), galley.size()).expand(2.0);
            painter.rect_filled(
                rect,
                2.0,
                canvas.visuals.extreme_bg_color.gamma_multiply(0.85),
            );
            painter.galley(pos2(x + 3.0, y), galley, threshold_color);
            label_right = rect.right() + 6.0;
        }
    }
}

/// Connectors from each warning to the actions answering it, with their lag when few are in
/// view; past 2,000, only those of the selected event.
fn paint_connectors(canvas: &Canvas<'_>) {
    let layout = canvas.layout;
    let connectors: Vec<_> = layout.connectors_in(canvas.xmin, canvas.xmax).collect();
    let all_connectors = connectors.len() <= 2000;
    let label_lags = connectors.len() <= 60;
    // Lag labels sit just before their arrow; one that would cover another is left out
    // (the tooltip and the side list still give it).
    let mut placed_lags: Vec<Rect> = Vec::new();
    for c in connectors {
        let (Some(w), Some(a)) = (layout.entries.get(c.warning), layout.entries.get(c.action))
        else {
            continue;
        };
        let touches_selection = canvas
            .selected
            .is_some_and(|s| s == w.event || s == a.event);
        if !all_connectors && !touches_selection {
            continue;
        }
        let (Some(&wl), Some(&al)) = (
            layout.home_lane.get(c.warning),
            layout.home_lane.get(c.action),
        ) else {
            continue;
        };
        let p0 = pos2(canvas.x_of(w.anchor_x()), canvas.y_of(wl));
        let p1 = pos2(canvas.x_of(a.anchor_x()), canvas.y_of(al));
        let color = if touches_selection {
            canvas.visuals.selection.stroke.color
        } else {
            event_color(EventKind::WarningSign).gamma_multiply(0.55)
        };
        let mid_y = paint_connector(canvas, p0, p1, wl == al, touches_selection, color);
        if label_lags && (p1.x - p0.x).abs() > 40.0 {
            let text = if c.approximate {
                format!("≈{} d", c.lag_days)
            } else {
                format!("{} d", c.lag_days)
            };
            let galley = canvas
                .painter
                .layout_no_wrap(text, canvas.font.clone(), color);
            let size = galley.size();
            let left = if p1.x >= p0.x {
                p1.x - 4.0 - size.x
            } else {
                p1.x + 4.0
            };
            let rect = Rect::from_min_size(pos2(left, mid_y - 2.0 - size.y), size);
            if !placed_lags.iter().any(|r| r.intersects(rect)) {
                canvas.painter.galley(rect.min, galley, color);
                placed_lags.push(rect.expand(2.0));
            }
        }
    }
}

/// One connector from `p0` (the warning) to `p1` (the action): up (or across to the middle
/// between lanes), along, and down into an arrow head. Returns the y of its horizontal part.
fn paint_connector(
    canvas: &Canvas<'_>,
    p0: Pos2,
    p1: Pos2,
    same_lane: bool,
    touches_selection: bool,
    color: Color32,
) -> f32 {
    let width = if touches_selection { 2.2 } else { 1.2 };
    let mid_y = if same_lane {
        p0.y - canvas.lane_px * 0.35
    } else {
        (p0.y + p1.y) / 2.0
    };
    let points = [p0, pos2(p0.x, mid_y), pos2(p1.x, mid_y), p1];
    canvas.painter.add(egui::Shape::line(
        points.to_vec(),
        Stroke::new(width, color),
    ));
    let dir = if p1.y >= mid_y { 1.0 } else { -1.0 };
    canvas.painter.add(egui::Shape::convex_polygon(
        vec![
            pos2(p1.x, p1.y - dir * 5.0),
            pos2(p1.x - 3.5, p1.y - dir * 11.0),
            pos2(p1.x + 3.5, p1.y - dir * 11.0),
        ],
        color,
        Stroke::NONE,
    ));
    mid_y
}

/// A lane's bands (month or year moments) and spans in view; spans are thin bars in rows under
/// the line of markers, as many rows as the lane has room for. Returns how many were drawn.
fn paint_bars(
    canvas: &Canvas<'_>,
    d: &LaneDraw,
    lane: &Lane,
    pointer: Option<Pos2>,
    search: &mut HitSearch,
) -> usize {
    let (painter, lane_px) = (&canvas.painter, canvas.lane_px);
    let y = canvas.y_of(d.lane);
    let items = lane.items.get(d.range.clone()).unwrap_or_default();
    let rows = lane.span_rows.get(d.range.clone()).unwrap_or_default();
    let row_gap = 7.0;
    let rows_fit = (((lane_px * 0.46 - 6.0) / row_gap).floor() as usize).max(1);
    let span_y = |row: u16| y + 6.0 + (usize::from(row) % rows_fit) as f32 * row_gap;
    let mut drawn = 0;
    for (k, &ei) in items.iter().enumerate() {
        let Some(entry) = canvas.layout.entries.get(ei) else {
            continue;
        };
        if entry.shape == Shape::Point || entry.end < canvas.xmin {
            continue;
        }
        let color = event_color(entry.kind);
        let (x0, x1) = (
            canvas.x_of(entry.start),
            canvas.x_of(entry.end).max(canvas.x_of(entry.start) + 2.0),
        );
        let rect = if entry.shape == Shape::Band {
            let half = (lane_px * 0.32).min(11.0);
            Rect::from_x_y_ranges(x0..=x1, (y - half)..=(y + half))
        } else {
            let row_y = span_y(rows.get(k).copied().unwrap_or(0));
            Rect::from_x_y_ranges(x0..=x1, (row_y - 2.5)..=(row_y + 2.5))
        };
        if entry.shape == Shape::Band {
            painter.rect_filled(rect, 2.0, color.gamma_multiply(0.16));
            painter.rect_stroke(
                rect,
                2.0,
                Stroke::new(1.0, color.gamma_multiply(0.45)),
                egui::StrokeKind::Inside,
            );
        } else {
            painter.rect_filled(rect, 2.0, color.gamma_multiply(0.8));
            // A tick joins the bar to the line of markers, where its title is.
            if x0 >= canvas.frame.left() {
                painter.vline(
                    x0 + 0.5,
                    (y - 3.0)..=rect.top(),
                    Stroke::new(1.5, color.gamma_multiply(0.8)),
                );
            }
        }
        if canvas.selected == Some(entry.event) {
            painter.rect_stroke(
                rect.expand(2.0),
                3.0,
                Stroke::new(2.0, canvas.visuals.selection.stroke.color),
                egui::StrokeKind::Outside,
            );
        }
        drawn += 1;
        if let Some(p) = pointer
            && rect.expand2(vec2(2.0, 3.0)).contains(p)
            && search.best_dist.is_infinite()
            && entry.end - entry.start < search.best_len
        {
            search.best_len = entry.end - entry.start;
            search.hit = Some(Hit::Entry(ei));
        }
    }
    drawn
}

/// A lane's markers in view, the flags of unanswered warnings, and titles where there is room
/// before the next marker. Returns how many markers were drawn.
fn paint_markers(
    canvas: &Canvas<'_>,
    d: &LaneDraw,
    items: &[usize],
    pointer: Option<Pos2>,
    search: &mut HitSearch,
) -> usize {
    let (painter, font) = (&canvas.painter, &canvas.font);
    let y = canvas.y_of(d.lane);
    let r = (canvas.lane_px * 0.2).clamp(3.0, 6.5);
    let label_titles = items.len() <= 150 && canvas.lane_px >= 16.0;
    let mut next_free_x = f32::NEG_INFINITY;
    let mut drawn = 0;
    for (k, &ei) in items.iter().enumerate() {
        let Some(entry) = canvas.layout.entries.get(ei) else {
            continue;
        };
        if entry.end < canvas.xmin {
            continue;
        }
        let x = canvas.x_of(entry.anchor_x());
        let c = pos2(
            if entry.shape == Shape::Point {
                x
            } else {
                x.max(canvas.frame.left())
            },
            y,
        );
        if entry.shape == Shape::Point {
            let outline = (canvas.selected == Some(entry.event))
                .then(|| Stroke::new(2.5, canvas.visuals.selection.stroke.color));
            paint_marker(painter, c, r, entry.kind, outline);
            drawn += 1;
        }
        if entry.flagged {
            painter.circle_stroke(c, r + 3.5, Stroke::new(1.5, super::theme::FLAG_COLOR));
            painter.text(
                pos2(c.x, c.y - r - 4.0),
                egui::Align2::CENTER_BOTTOM,
                "!",
                font.clone(),
                super::theme::FLAG_COLOR,
            );
        }
        if entry.shape == Shape::Point
            && let Some(p) = pointer
        {
            let dist = p.distance(c);
            if dist <= r + 5.0 && dist < search.best_dist {
                search.best_dist = dist;
                search.hit = Some(Hit::Entry(ei));
            }
        }
        if label_titles && x > next_free_x {
            let next = items.get(k + 1..).unwrap_or_default();
            if let Some(right) = paint_title(canvas, entry, next, x, y, r) {
                next_free_x = right;
            }
        }
    }
    drawn
}

/// The title of `entry`, right of its marker at `x`, when there is room before the next marker
/// among `next`; returns where the free space starts after it.
fn paint_title(
    canvas: &Canvas<'_>,
    entry: &Entry,
    next: &[usize],
    x: f32,
    y: f32,
    r: f32,
) -> Option<f32> {
    let next_x = next
        .iter()
        .filter_map(|&j| canvas.layout.entries.get(j))
        .find(|n| n.shape == Shape::Point)
        .map_or(canvas.frame.right(), |n| canvas.x_of(n.anchor_x()));
    let room = (next_x - x - r - 10.0).min(260.0);
    let e = canvas
        .situation
        .events
        .get(entry.event)
        .filter(|_| room > 40.0)?;
    let font = &canvas.font;
    let text_color = canvas.text_color();
    let max_chars = ((room / (font.size * 0.55)) as usize).max(4);
    let galley = canvas.painter.layout_no_wrap(
        elide(&e.title, max_chars),
        font.clone(),
        text_color.gamma_multiply(0.85),
    );
    let pos = pos2(x + r + 4.0, y - galley.size().y / 2.0);
    let right = pos.x + galley.size().x + 4.0;
    canvas.painter.galley(pos, galley, text_color);
    Some(right)
}

/// Draws a lane's visible items as counts per bucket; returns how many buckets were drawn.
fn paint_buckets(
    canvas: &Canvas<'_>,
    items: &[usize],
    bucket: f64,
    y: f32,
    mode: LaneMode,
    pointer: Option<Pos2>,
    hit: &mut Option<Hit>,
) -> usize {
    let (xmin, xmax, lane_px) = (canvas.xmin, canvas.xmax, canvas.lane_px);
    let origin = (xmin / bucket).floor() * bucket;
    let n = (((xmax - origin) / bucket).ceil() as usize).clamp(1, 20_000);
    let (counts, kinds) = bucket_counts(&canvas.layout.entries, items, origin, bucket, n);
    let max = counts.iter().copied().max().unwrap_or(1).max(1) as f32;
    let pointer_day = pointer.map(|p| canvas.t.value_from_position(p).x);
    let mut drawn = 0;
    for (i, &count) in counts.iter().enumerate() {
        if count == 0 {
            continue;
        }
        let from = origin + i as f64 * bucket;
        let to = from + bucket;
        let h = (lane_px * 0.8) * (count as f32 / max).sqrt().max(0.12);
        let color = match (mode, kinds.get(i).copied().flatten()) {
            (LaneMode::Kind, Some(k)) => event_color(k),
            _ => Color32::from_rgb(0x55, 0x6b, 0x8a),
        };
        let (x0, x1) = (canvas.x_of(from), canvas.x_of(to));
        let rect = Rect::from_x_y_ranges(
            x0..=(x1 - 1.0).max(x0 + 1.0),
            (y + lane_px * 0.4 - h)..=(y + lane_px * 0.4),
        );
        canvas
            .painter
            .rect_filled(rect, 0.0, color.gamma_multiply(0.8));
        drawn += 1;
        if pointer_day.is_some_and(|d| d >= from && d < to) {
            *hit = Some(Hit::Bucket { count, from, to });
        }
    }
    drawn
}

/// Incidents per week or month, under the timeline, sharing its time axis.
fn activity_ui(
    ui: &mut egui::Ui,
    layout: &TimelineLayout,
    t: &PlotTransform,
    group: egui::Id,
    height: f32,
    axis_w: f32,
) {
    let (xmin, xmax) = (t.bounds().min()[0], t.bounds().max()[0]);
    let width_px = t.frame().width().max(1.0) as f64;
    let (bins, unit) = activity_bins(&layout.incidents, xmin, xmax, width_px);
    let max = bins.iter().map(|b| b.2).max().unwrap_or(0);
    let color = event_color(EventKind::Incident);
    let bars: Vec<Bar> = bins
        .iter()
        .filter(|b| b.2 > 0)
        .map(|&(from, to, count)| {
            Bar::new((from + to) / 2.0, count as f64)
                .width((to - from) * 0.9)
                .fill(color.gamma_multiply(0.8))
                .name(format!(
                    "{count} incidents, {} {}",
                    unit,
                    axis::long_date(from as i64)
                ))
        })
        .collect();
    let response = Plot::new("timeline_activity")
        .height(height)
        .link_axis(group, [true, false])
        .allow_zoom([true, false])
        .allow_scroll([true, false])
        .allow_drag([true, false])
        .allow_boxed_zoom(false)
        .allow_double_click_reset(false)
        .show_x(false)
        .show_y(false)
        .x_grid_spacer(date_grid)
        .custom_x_axes(vec![time_axis()])
        .custom_y_axes(vec![AxisHints::new_y().min_thickness(axis_w)])
        .show(ui, |plot_ui| {
            plot_ui.set_plot_bounds_y(0.0..=(max.max(1) as f64 * 1.25));
            plot_ui.bar_chart(BarChart::new("incidents", bars).color(color));
        });
    let frame = *response.transform.frame();
    ui.painter_at(frame).text(
        frame.left_top() + vec2(6.0, 4.0),
        egui::Align2::LEFT_TOP,
        format!("Incidents per {unit}"),
        egui::TextStyle::Small.resolve(ui.style()),
        ui.visuals().weak_text_color(),
    );
}
