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
    Connector, Entry, Lane, LaneMode, Shape, TimelineFilters, TimelineLayout, activity_bins,
    bucket_counts,
};
use crate::model::touched::ChangeStamps;
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
    /// What `layout` was built from (see [`LayoutKey`]).
    layout_key: Option<LayoutKey>,
    /// How many layouts were built.
    builds: u64,
    /// The timeline's plot transform in the last frame.
    pub last_transform: Option<PlotTransform>,
    /// How many markers and buckets the last frame drew.
    pub last_drawn: usize,
    /// Keyboard commands (pan, zoom, fit) for the next frame's plot.
    pending: Vec<TimelineCommand>,
    /// A day to scroll into view in the next frame (an event revealed from elsewhere).
    bring_day: Option<f64>,
    /// Whether the timeline's keys are live: the pointer was over the plot last frame.
    pub keys_active: bool,
    /// The connectors drawn in the last frame.
    drawn_connectors: Vec<DrawnConnector>,
    /// The event titles drawn in the last frame.
    drawn_labels: Vec<DrawnLabel>,
}

/// What a [`TimelineLayout`] reads: the events, the as-of date (unanswered warnings), the items
/// the lanes are named after, the lane mode and the filters. An edit elsewhere (an actor
/// renamed while the lanes are by kind) keeps the layout: rebuilding it for 20,000 events
/// takes most of a frame.
#[derive(Clone, PartialEq)]
struct LayoutKey {
    events: u64,
    meta: u64,
    /// The stamp of the lanes' items (none when the lanes are by kind).
    lanes: Option<u64>,
    mode: LaneMode,
    filters: TimelineFilters,
}

impl LayoutKey {
    fn of(stamps: &ChangeStamps, mode: LaneMode, filters: &TimelineFilters) -> Self {
        Self {
            events: stamps.events,
            meta: stamps.meta,
            lanes: match mode {
                LaneMode::Kind => None,
                LaneMode::Actor => Some(stamps.actors),
                LaneMode::Partner => Some(stamps.partners),
                LaneMode::Line => Some(stamps.lines),
            },
            mode,
            filters: filters.clone(),
        }
    }
}

/// A warning-to-action connector as drawn in the last frame.
#[derive(Clone, Debug)]
pub struct DrawnConnector {
    /// The warning's index in `situation.events`.
    pub warning: usize,
    /// The action's index in `situation.events`.
    pub action: usize,
    /// The left and right ends of its horizontal run, on screen.
    pub run: (Pos2, Pos2),
    /// Where its lag label was drawn, when it was.
    pub lag_label: Option<Rect>,
    /// Whether it was drawn highlighted, with its two ends ringed: the pointer was on it.
    pub highlighted: bool,
    /// Whether the action is dated after the as-of date, an answer only planned: drawn dashed.
    pub planned: bool,
}

impl DrawnConnector {
    /// A point in the middle of its horizontal run: hovering there picks this connector.
    pub fn run_middle(&self) -> Pos2 {
        self.run.0.lerp(self.run.1, 0.5)
    }
}

/// An event's title as drawn beside its marker in the last frame.
#[derive(Clone, Debug)]
pub struct DrawnLabel {
    /// The lane it was drawn in.
    pub lane: usize,
    /// The event's index in `situation.events`.
    pub event: usize,
    /// Where the text was drawn.
    pub rect: Rect,
    /// Whether the title was cut short (its tooltip gives it whole).
    pub elided: bool,
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
            builds: 0,
            last_transform: None,
            last_drawn: 0,
            pending: Vec::new(),
            bring_day: None,
            keys_active: false,
            drawn_connectors: Vec::new(),
            drawn_labels: Vec::new(),
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

    /// The connectors drawn in the last frame, with where their runs and lag labels were.
    pub fn drawn_connectors(&self) -> &[DrawnConnector] {
        &self.drawn_connectors
    }

    /// The event titles drawn in the last frame and where.
    pub fn drawn_labels(&self) -> &[DrawnLabel] {
        &self.drawn_labels
    }

    /// Asks the next frame to fit every shown event.
    pub fn fit_all(&mut self) {
        self.fit_requested = true;
    }

    /// Asks the next frame to scroll `day` into view when it is outside, at the same zoom.
    pub fn bring_into_view(&mut self, day: f64) {
        self.bring_day = Some(day);
    }

    /// Queues a keyboard command (pan, zoom, fit) for the next frame's plot.
    pub fn run_command(&mut self, command: TimelineCommand) {
        self.pending.push(command);
    }

    /// Rebuilds the layout when the situation, the lane mode or the filters changed; the first
    /// layout is fitted into view.
    fn refresh(&mut self, situation: &Situation, stamps: &ChangeStamps) {
        let key = LayoutKey::of(stamps, self.lane_mode, &self.filters);
        if self.layout.is_some() && self.layout_key.as_ref() == Some(&key) {
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
        self.layout_key = Some(key);
        self.builds += 1;
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
/// The strip above the first lane where threshold moments are labelled, clear of the lanes'
/// own titles.
const HEADER_PX: f32 = 18.0;
/// Above this many threshold moments in view, they are ticks on the top edge, not lines.
const MAX_THRESHOLD_LINES: usize = 80;

/// Draws the timeline view: toolbar, continuum panel, timeline and activity chart.
pub fn timeline_ui(ui: &mut egui::Ui, state: &mut TimelineState, ctx: &mut ViewCtx<'_>) {
    state.refresh(ctx.situation, &ctx.stamps);
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
    // The label stands before its control, as every other field's does.
    let label = ui.label(what);
    egui::ComboBox::from_id_salt(what)
        .selected_text(current)
        .width(120.0)
        .show_ui(ui, |ui| {
            ui.selectable_value(value, None, "all");
            for (id, name) in choices {
                ui.selectable_value(value, Some(id.to_owned()), name);
            }
        })
        .response
        .labelled_by(label.id)
        .on_hover_text(format!(
            "{what}: {current}. Shows only the events that name this {}.",
            what.to_lowercase()
        ));
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
        let lag = match (w.lag_days, &w.planned_answer) {
            (Some(d), _) if w.approximate => format!("≈{d} d"),
            (Some(d), _) => format!("{d} d"),
            (None, Some(_)) => "planned".into(),
            (None, None) if flagged => "! none".into(),
            (None, None) => "— not yet".into(),
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
            (_, None) if w.planned_answer.is_some() => {
                let planned = w.planned_answer.as_deref().unwrap_or_default();
                format!(
                    "Answer planned: “{}”, dated after the as-of date, so not given yet",
                    layout.title(situation, planned)
                )
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
    /// A connector (index into [`TimelineLayout::connectors`]).
    Connector(usize),
    Bucket {
        count: usize,
        from: f64,
        to: f64,
    },
}

/// How a lane is drawn this frame.
struct LaneDraw {
    lane: usize,
    range: Range<usize>,
    /// Bucket width in days when the lane shows counts instead of markers.
    bucket: Option<f64>,
}

fn plots_ui(ui: &mut egui::Ui, state: &mut TimelineState, ctx: &mut ViewCtx<'_>) {
    let Some(mut layout) = state.layout.take() else {
        return;
    };
    plots_with_layout_ui(ui, state, &mut layout, ctx);
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
        let usable = (height - body - 12.0 - HEADER_PX).max(20.0);
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
    layout: &mut TimelineLayout,
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
        if let Some(day) = state.bring_day.take() {
            let (lo, hi) = fit.unwrap_or((bounds.min()[0], bounds.max()[0]));
            if day < lo || day > hi {
                let half = (hi - lo) / 2.0;
                plot_ui.set_plot_bounds_x(day - half..=day + half);
            }
        }
        if hovered && !text_focused {
            let wheel = plot_ui.ctx().input(|i| i.smooth_scroll_delta.y);
            if wheel != 0.0 && size.shown_lanes >= size.lanes {
                plot_ui.zoom_bounds_around_hovered(vec2((wheel * 0.004).exp(), 1.0));
            }
        }
    });
    let transform = response.transform;
    state.last_transform = Some(transform);
    layout.limit_tracks(track_room(lane_px_of(&transform)));
    let layout = &*layout;
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

/// Keeps whole lanes in view under a strip [`HEADER_PX`] high for the threshold labels:
/// `top_lane` follows a vertical drag when the lanes do not all fit, and the y bounds show
/// `shown_lanes` lanes from it.
fn scroll_lanes(plot_ui: &mut egui_plot::PlotUi<'_>, top_lane: &mut f64, size: &PlotSize) {
    let bounds = plot_ui.plot_bounds();
    let (lanes, shown) = (size.lanes, size.shown_lanes);
    let frame_h = plot_ui.transform().frame().height();
    let lane_px = ((frame_h - HEADER_PX) / shown as f32).max(1.0);
    let header = f64::from(HEADER_PX / lane_px);
    if shown < lanes && bounds.is_valid_y() {
        *top_lane = 0.5 + header - bounds.max()[1];
    }
    *top_lane = top_lane.clamp(0.0, (lanes - shown) as f64);
    if shown >= lanes {
        *top_lane = 0.0;
    }
    plot_ui
        .set_plot_bounds_y((-(*top_lane + shown as f64 - 1.0) - 0.5)..=(-*top_lane + 0.5 + header));
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
                    (None, _) if w.planned_answer.is_some() => {
                        "Answer planned, not given by the as-of date".into()
                    }
                    (None, true) => "No action answers this warning".into(),
                    (None, false) => "No answer yet".into(),
                });
            }
        }
        Hit::Connector(ci) => connector_tooltip_ui(ui, *ci, layout, situation),
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

/// A connector's two events, by title and date, and the lag between them.
fn connector_tooltip_ui(
    ui: &mut egui::Ui,
    index: usize,
    layout: &TimelineLayout,
    situation: &Situation,
) {
    let Some(c) = layout.connectors.get(index) else {
        return;
    };
    let event = |ei: usize| {
        layout
            .entries
            .get(ei)
            .and_then(|en| situation.events.get(en.event))
    };
    let (Some(w), Some(a)) = (event(c.warning), event(c.action)) else {
        return;
    };
    ui.label(format!("Warning: {} ({})", w.title, w.date));
    if a.date.first_day() > situation.as_of.first_day() {
        ui.label(format!("Answer planned: {} ({})", a.title, a.date));
        ui.weak(format!("Dated after the as-of date, {}", situation.as_of));
    } else {
        ui.label(format!("Answered by: {} ({})", a.title, a.date));
    }
    ui.strong(if c.approximate {
        format!("Lag: ≈{}", whole_days(c.lag_days))
    } else {
        format!("Lag: {}", whole_days(c.lag_days))
    });
    if c.approximate {
        ui.weak(
            "Approximate: a date is known only to the month or year; counted from its first day",
        );
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
    /// Event titles and threshold labels.
    font: egui::FontId,
    /// Connectors' lag labels: the body font, to be read at a glance.
    lag_font: egui::FontId,
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
        lane_px: lane_px_of(t),
        visuals: ui.visuals(),
        font: egui::TextStyle::Small.resolve(ui.style()),
        lag_font: egui::TextStyle::Body.resolve(ui.style()),
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
    let threshold_labels = paint_thresholds(&canvas);
    let paths = connector_paths(&canvas);
    let under = canvas.painter.add(egui::Shape::Noop);

    // Events, lane by lane.
    let mut labels = std::mem::take(&mut state.drawn_labels);
    labels.clear();
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
        drawn += paint_markers(&canvas, d, items, pointer, &mut search, &mut labels);
    }
    state.last_drawn = drawn;
    state.drawn_labels = labels;
    // A threshold's label, in the strip above the lanes, picks it; a connector is picked only
    // where no event is (its ends are markers).
    let threshold_hit = pointer.and_then(|p| {
        threshold_labels
            .iter()
            .find(|(rect, _)| rect.contains(p))
            .map(|&(_, ei)| Hit::Entry(ei))
    });
    let hit = search.hit.or(threshold_hit).or_else(|| {
        pointer
            .filter(|p| frame.contains(*p))
            .and_then(|p| hovered_connector(&paths, p))
            .map(Hit::Connector)
    });
    let hovered = match hit {
        Some(Hit::Connector(i)) => Some(i),
        _ => None,
    };
    let over = canvas.painter.add(egui::Shape::Noop);
    state.drawn_connectors = paint_connectors(&canvas, &paths, hovered, (under, over));
    hit
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

/// Threshold moments: a line across all lanes (a tick on the top edge when there are too
/// many) and a label in the strip above the lanes, cut to the room before the next one.
/// Returns where each label was drawn, with its entry.
fn paint_thresholds(canvas: &Canvas<'_>) -> Vec<(Rect, usize)> {
    let (painter, frame) = (&canvas.painter, canvas.frame);
    let threshold_color = event_color(EventKind::ThresholdMoment);
    let mut label_right = f32::NEG_INFINITY;
    let threshold_slice = canvas.layout.thresholds_in(canvas.xmin, canvas.xmax);
    let label_thresholds = threshold_slice.len() <= 200;
    // Hundreds of full-height lines would hide the lanes (and cost a software renderer dearly):
    // past that, each threshold is a short tick along the top edge.
    let full_lines = threshold_slice.len() <= MAX_THRESHOLD_LINES;
    let threshold_stroke = Stroke::new(1.2, threshold_color.gamma_multiply(0.55));
    let x_at = |k: usize| {
        threshold_slice
            .get(k)
            .and_then(|&ei| canvas.layout.entries.get(ei))
            .map(|e| canvas.x_of(e.anchor_x()))
    };
    let mut labels = Vec::new();
    for (k, &ei) in threshold_slice.iter().enumerate() {
        let Some(x) = x_at(k) else {
            continue;
        };
        if full_lines {
            painter.vline(x, frame.y_range(), threshold_stroke);
        } else {
            painter.vline(x, frame.top()..=frame.top() + 8.0, threshold_stroke);
        }
        let next_x = (k + 1..threshold_slice.len())
            .filter_map(x_at)
            .find(|&nx| nx > x + 1.0)
            .unwrap_or(frame.right());
        let room = (next_x.min(frame.right()) - x - 10.0).min(240.0);
        if !label_thresholds || x <= label_right || room < 40.0 {
            continue;
        }
        let Some(e) = canvas
            .layout
            .entries
            .get(ei)
            .and_then(|entry| canvas.situation.events.get(entry.event))
        else {
            continue;
        };
        let mut job = egui::text::LayoutJob::simple_singleline(
            e.title.clone(),
            canvas.font.clone(),
            threshold_color,
        );
        job.wrap = egui::text::TextWrapping::truncate_at_width(room);
        let galley = painter.layout_job(job);
        let pos = pos2(x + 3.0, frame.top() + 2.0);
        let rect = Rect::from_min_size(pos, galley.size()).expand(2.0);
        painter.rect_filled(
            rect,
            2.0,
            canvas.visuals.extreme_bg_color.gamma_multiply(0.85),
        );
        painter.galley(pos, galley, threshold_color);
        label_right = rect.right() + 6.0;
        labels.push((rect, ei));
    }
    labels
}

/// Pixels between two tracks of connector runs along one lane boundary.
const TRACK_PX: f32 = 3.5;
/// How near (in pixels) the pointer must be to a connector to pick it.
const CONNECTOR_HOVER_PX: f32 = 5.0;

/// Where one connector is drawn this frame: from the warning up or down to its run, along it,
/// and down or up into the action.
struct ConnectorPath {
    /// Index into [`TimelineLayout::connectors`].
    index: usize,
    /// The warning's marker, the two corners of the run, the action's marker.
    points: [Pos2; 4],
    /// Whether the selected event is one of its ends.
    touches_selection: bool,
}

impl ConnectorPath {
    /// The distance from `p` to the nearest of its three segments.
    fn distance(&self, p: Pos2) -> f32 {
        self.points
            .windows(2)
            .map(|w| match w {
                [a, b] => distance_to_segment(p, *a, *b),
                _ => f32::INFINITY,
            })
            .fold(f32::INFINITY, f32::min)
    }
}

/// The distance from `p` to the segment from `a` to `b`.
fn distance_to_segment(p: Pos2, a: Pos2, b: Pos2) -> f32 {
    let ab = b - a;
    let len2 = ab.length_sq();
    if len2 <= f32::EPSILON {
        return p.distance(a);
    }
    let t = ((p - a).dot(ab) / len2).clamp(0.0, 1.0);
    p.distance(a + ab * t)
}

/// The height of one lane on screen.
fn lane_px_of(t: &PlotTransform) -> f32 {
    (t.position_from_point_y(-1.0) - t.position_from_point_y(0.0)).abs()
}

/// The radius of an event's marker in lanes `lane_px` high.
fn marker_radius(lane_px: f32) -> f32 {
    (lane_px * 0.2).clamp(3.0, 6.5)
}

/// How many connector runs fit side by side between a lane's top edge and its markers.
fn track_room(lane_px: f32) -> u16 {
    let room = lane_px * 0.5 - marker_radius(lane_px) - 6.0;
    ((room / TRACK_PX).floor() + 1.0).clamp(1.0, 64.0) as u16
}

/// The y of a connector's run: along its lane boundary, on its track, stacked down from the
/// boundary into the lane under it, above its markers.
fn run_y(canvas: &Canvas<'_>, c: &Connector) -> f32 {
    let boundary = canvas.y_of(c.channel) - canvas.lane_px / 2.0;
    let track = c.track.min(track_room(canvas.lane_px) - 1);
    boundary + 3.0 + f32::from(track) * TRACK_PX
}

/// The connectors to draw this frame: every one that crosses the view, or past 2,000 only
/// those of the selected event.
fn connector_paths(canvas: &Canvas<'_>) -> Vec<ConnectorPath> {
    let layout = canvas.layout;
    let in_view: Vec<(usize, &Connector)> = layout
        .connectors
        .iter()
        .enumerate()
        .filter(|(_, c)| c.max_x >= canvas.xmin && c.min_x <= canvas.xmax)
        .collect();
    let all_connectors = in_view.len() <= 2000;
    in_view
        .into_iter()
        .filter_map(|(index, c)| {
            let (w, a) = (
                layout.entries.get(c.warning)?,
                layout.entries.get(c.action)?,
            );
            let touches_selection = canvas
                .selected
                .is_some_and(|s| s == w.event || s == a.event);
            if !all_connectors && !touches_selection {
                return None;
            }
            let wl = *layout.home_lane.get(c.warning)?;
            let al = *layout.home_lane.get(c.action)?;
            let p0 = pos2(canvas.x_of(w.anchor_x()), canvas.y_of(wl));
            let p1 = pos2(canvas.x_of(a.anchor_x()), canvas.y_of(al));
            let y = run_y(canvas, c);
            Some(ConnectorPath {
                index,
                points: [p0, pos2(p0.x, y), pos2(p1.x, y), p1],
                touches_selection,
            })
        })
        .collect()
}

/// The connector nearest `pointer`, when it is within reach of one.
fn hovered_connector(paths: &[ConnectorPath], pointer: Pos2) -> Option<usize> {
    paths
        .iter()
        .map(|p| (p.index, p.distance(pointer)))
        .filter(|(_, d)| *d <= CONNECTOR_HOVER_PX)
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(index, _)| index)
}

/// Paints the connectors into `under` (a slot beneath the events), the others dimmed when one
/// is hovered, and into `over` (above the events) the hovered one, with rings around its two
/// ends, and the lag labels: in the body font on a backing, on their run just before the
/// arrow, when few are in view (one that would cover another is left out, unless hovered: the
/// tooltip and the side list still give it). Returns what was drawn.
fn paint_connectors(
    canvas: &Canvas<'_>,
    paths: &[ConnectorPath],
    hovered: Option<usize>,
    (under, over): (egui::layers::ShapeIdx, egui::layers::ShapeIdx),
) -> Vec<DrawnConnector> {
    let layout = canvas.layout;
    let label_lags = paths.len() <= 60;
    let mut placed_lags: Vec<Rect> = Vec::new();
    let mut below = Vec::with_capacity(paths.len() * 2);
    let mut above = Vec::new();
    let mut drawn = Vec::with_capacity(paths.len());
    for path in paths {
        let Some(c) = layout.connectors.get(path.index) else {
            continue;
        };
        let is_hovered = hovered == Some(path.index);
        let color = if is_hovered || path.touches_selection {
            canvas.visuals.selection.stroke.color
        } else if hovered.is_some() {
            event_color(EventKind::WarningSign).gamma_multiply(0.25)
        } else {
            event_color(EventKind::WarningSign).gamma_multiply(0.7)
        };
        let width = match (is_hovered, path.touches_selection) {
            (true, _) => 3.0,
            (false, true) => 2.2,
            (false, false) => 1.2,
        };
        let event_of = |ei: usize| layout.entries.get(ei).map_or(usize::MAX, |e| e.event);
        let planned = planned_answer(canvas.situation, event_of(c.action));
        connector_shapes(
            if is_hovered { &mut above } else { &mut below },
            path,
            Stroke::new(width, color),
            planned,
        );
        if is_hovered {
            let r = marker_radius(canvas.lane_px) + 5.0;
            for end in [path.points[0], path.points[3]] {
                above.push(egui::Shape::circle_stroke(end, r, Stroke::new(2.0, color)));
            }
        }
        let [_, q0, q1, _] = path.points;
        let lag_label = (is_hovered || (label_lags && (q1.x - q0.x).abs() > 40.0))
            .then(|| {
                // The hovered connector's lag shows even over another's.
                let placed = if is_hovered {
                    &[][..]
                } else {
                    &placed_lags[..]
                };
                lag_label(canvas, c, path, color, placed)
            })
            .flatten()
            .map(|(rect, label)| {
                // Over the events: a year-long band must not hide the lag.
                above.extend(label);
                placed_lags.push(rect.expand(2.0));
                rect
            });
        drawn.push(DrawnConnector {
            warning: event_of(c.warning),
            action: event_of(c.action),
            run: (pos2(q0.x.min(q1.x), q0.y), pos2(q0.x.max(q1.x), q1.y)),
            lag_label,
            highlighted: is_hovered,
            planned,
        });
    }
    canvas.painter.set(under, egui::Shape::Vec(below));
    canvas.painter.set(over, egui::Shape::Vec(above));
    drawn
}

/// Whether the event at `index` in `situation.events` is dated after the as-of date: as the
/// continuum counts it, an answer to a warning it names is then only planned.
fn planned_answer(situation: &Situation, index: usize) -> bool {
    situation
        .events
        .get(index)
        .is_some_and(|e| e.date.first_day() > situation.as_of.first_day())
}

/// The line and arrow head of one connector; the line dashed when its answer is only planned.
fn connector_shapes(
    out: &mut Vec<egui::Shape>,
    path: &ConnectorPath,
    stroke: Stroke,
    dashed: bool,
) {
    let [_, _, corner, p1] = path.points;
    let color = stroke.color;
    if dashed {
        out.extend(egui::Shape::dashed_line(&path.points, stroke, 6.0, 4.0));
    } else {
        out.push(egui::Shape::line(path.points.to_vec(), stroke));
    }
    let dir = if p1.y >= corner.y { 1.0 } else { -1.0 };
    out.push(egui::Shape::convex_polygon(
        vec![
            pos2(p1.x, p1.y - dir * 5.0),
            pos2(p1.x - 3.5, p1.y - dir * 11.0),
            pos2(p1.x + 3.5, p1.y - dir * 11.0),
        ],
        color,
        Stroke::NONE,
    ));
}

/// The lag of `c` ("18 d", "≈95 d") centred on its run just before the arrow, on a backing;
/// `None` when it would cover a label already placed.
fn lag_label(
    canvas: &Canvas<'_>,
    c: &Connector,
    path: &ConnectorPath,
    color: Color32,
    placed: &[Rect],
) -> Option<(Rect, [egui::Shape; 2])> {
    let [_, q0, q1, _] = path.points;
    let text = if c.approximate {
        format!("≈{} d", c.lag_days)
    } else {
        format!("{} d", c.lag_days)
    };
    let text_color = canvas.text_color();
    let galley = canvas
        .painter
        .layout_no_wrap(text, canvas.lag_font.clone(), text_color);
    let size = galley.size();
    let left = if q1.x >= q0.x {
        q1.x - 8.0 - size.x
    } else {
        q1.x + 8.0
    };
    let rect = Rect::from_min_size(pos2(left, q1.y - size.y / 2.0), size);
    if placed.iter().any(|r| r.intersects(rect)) {
        return None;
    }
    let backing = egui::Shape::rect_filled(
        rect.expand2(vec2(3.0, 0.0)),
        3.0,
        canvas.visuals.extreme_bg_color.gamma_multiply(0.92),
    );
    let border = egui::Shape::rect_stroke(
        rect.expand2(vec2(3.0, 0.0)),
        3.0,
        Stroke::new(1.0, color),
        egui::StrokeKind::Outside,
    );
    let text = egui::Shape::galley(rect.min, galley, text_color);
    Some((rect, [egui::Shape::Vec(vec![backing, border]), text]))
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
    // Dozens of events known only to the same year would stack their faint bands into an
    // opaque one that hides the markers of the lane: each month or year is filled once.
    let mut bands_filled: Vec<(f64, f64)> = Vec::new();
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
        let range = (entry.start, entry.end);
        if entry.shape == Shape::Band && bands_filled.contains(&range) {
            // Already filled; it is still found under the pointer below.
        } else if entry.shape == Shape::Band {
            bands_filled.push(range);
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
    labels: &mut Vec<DrawnLabel>,
) -> usize {
    let (painter, font) = (&canvas.painter, &canvas.font);
    let y = canvas.y_of(d.lane);
    let r = marker_radius(canvas.lane_px);
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
        if label_titles && x + r + 4.0 >= next_free_x {
            let next = items.get(k + 1..).unwrap_or_default();
            if let Some((rect, elided)) = paint_title(canvas, entry, next, x, y, r) {
                next_free_x = rect.right() + 6.0;
                labels.push(DrawnLabel {
                    lane: d.lane,
                    event: entry.event,
                    rect,
                    elided,
                });
                // Over its title, the pointer picks the event (the tooltip gives the whole
                // title), unless a marker is nearer.
                if pointer.is_some_and(|p| rect.contains(p)) && search.best_dist > r + 5.5 {
                    search.best_dist = r + 5.5;
                    search.hit = Some(Hit::Entry(ei));
                }
            }
        }
    }
    drawn
}

/// The title of `entry`, right of its marker at `x`, cut with an ellipsis to the room before
/// the next item of the lane among `next` (its marker, bar or band starts there, and so may
/// its title); nothing when the room is too small. Returns where the text was drawn and
/// whether it was cut.
fn paint_title(
    canvas: &Canvas<'_>,
    entry: &Entry,
    next: &[usize],
    x: f32,
    y: f32,
    r: f32,
) -> Option<(Rect, bool)> {
    let left = x + r + 4.0;
    let next_x = next
        .iter()
        .filter_map(|&j| canvas.layout.entries.get(j))
        .map(|n| canvas.x_of(n.anchor_x()))
        .find(|&nx| nx > x + 1.0)
        .map_or(canvas.frame.right(), |nx| nx - r - 2.0);
    let room = (next_x.min(canvas.frame.right()) - left).min(260.0);
    let e = canvas
        .situation
        .events
        .get(entry.event)
        .filter(|_| room > 40.0)?;
    let color = canvas.text_color().gamma_multiply(0.85);
    let mut job =
        egui::text::LayoutJob::simple_singleline(e.title.clone(), canvas.font.clone(), color);
    job.wrap = egui::text::TextWrapping::truncate_at_width(room);
    let galley = canvas.painter.layout_job(job);
    let elided = galley.elided;
    let rect = Rect::from_min_size(pos2(left, y - galley.size().y / 2.0), galley.size());
    canvas.painter.galley(rect.min, galley, color);
    Some((rect, elided))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::touched::Touched;

    #[test]
    fn the_layout_is_rebuilt_only_when_what_it_reads_changed() {
        let situation = crate::io::parse_situation(crate::samples::GUINEA)
            .map(|l| l.situation)
            .unwrap_or_else(|e| panic!("{e:?}"));
        let mut stamps = ChangeStamps::fresh();
        let mut state = TimelineState::default();
        state.refresh(&situation, &stamps);
        assert_eq!(state.builds, 1);
        let touch = |kind: Option<ItemKind>, stamps: &mut ChangeStamps| {
            let mut touched = Touched::default();
            match kind {
                Some(kind) => touched.add_item(ItemRef::new(kind, "x")),
                None => touched.meta = true,
            }
            stamps.record(&touched);
        };
        // Lanes by kind read neither actors nor partners nor lines.
        for kind in [ItemKind::Actor, ItemKind::Partner, ItemKind::Line] {
            touch(Some(kind), &mut stamps);
            state.refresh(&situation, &stamps);
        }
        assert_eq!(state.builds, 1);
        // Events and the as-of date are read whatever the lanes.
        touch(Some(ItemKind::Event), &mut stamps);
        state.refresh(&situation, &stamps);
        touch(None, &mut stamps);
        state.refresh(&situation, &stamps);
        assert_eq!(state.builds, 3);
        // By actor, the lanes are named after the actors.
        state.lane_mode = LaneMode::Actor;
        state.refresh(&situation, &stamps);
        touch(Some(ItemKind::Partner), &mut stamps);
        state.refresh(&situation, &stamps);
        assert_eq!(state.builds, 4);
        touch(Some(ItemKind::Actor), &mut stamps);
        state.refresh(&situation, &stamps);
        assert_eq!(state.builds, 5);
    }
}
