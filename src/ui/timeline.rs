//! The timeline: events in lanes over time, warning-to-action connectors, the activity chart
//! and the continuum panel (S/2011/552 ¶47).
//!
//! Events are painted over an `egui_plot` frame (axes, zoom, pan, linked activity chart).
//! Only what falls in the visible time range is drawn: each lane keeps its events sorted by
//! start day in a cache keyed by the document revision and the filters, and the visible range
//! is found by binary search. A lane with too many visible events draws counts per bucket.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::ops::Range;

use egui::{Color32, Pos2, Rect, Stroke, Vec2, pos2, vec2};
use egui_plot::{AxisHints, Bar, BarChart, GridInput, GridMark, Plot, PlotTransform};

use super::Action;
use super::ViewCtx;
use super::command::TimelineCommand;
use super::theme::event_color;
use crate::analysis::axis::{self, DAY, MONTH, WEEK, YEAR};
use crate::analysis::timeline::{Continuum, continuum};
use crate::model::{
    Event, EventKind, ItemKind, ItemRef, PartialDate, Precision, Sensitivity, Situation,
};

/// How events are sorted into lanes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum LaneMode {
    #[default]
    Kind,
    Actor,
    Partner,
    Line,
}

impl LaneMode {
    const ALL: [LaneMode; 4] = [
        LaneMode::Kind,
        LaneMode::Actor,
        LaneMode::Partner,
        LaneMode::Line,
    ];

    fn label(self) -> &'static str {
        match self {
            LaneMode::Kind => "Kind",
            LaneMode::Actor => "Actor",
            LaneMode::Partner => "Partner",
            LaneMode::Line => "Line of effort",
        }
    }
}

/// Which events the timeline shows.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Filters {
    /// Kinds left out.
    pub hidden_kinds: BTreeSet<EventKind>,
    /// Only events naming this actor.
    pub actor: Option<String>,
    /// Only events naming this partner.
    pub partner: Option<String>,
    /// Sensitivities left out.
    pub hidden_sensitivities: BTreeSet<Sensitivity>,
    /// Only events that reach on or after this date.
    pub from: Option<PartialDate>,
    /// Only events that start on or before this date.
    pub to: Option<PartialDate>,
}

impl Filters {
    fn keeps(&self, e: &Event) -> bool {
        let last = e.end.unwrap_or(e.date).last_day();
        !self.hidden_kinds.contains(&e.kind)
            && !self.hidden_sensitivities.contains(&e.sensitivity)
            && self.actor.as_ref().is_none_or(|a| e.actors.contains(a))
            && self.partner.as_ref().is_none_or(|p| e.partners.contains(p))
            && self.from.is_none_or(|from| last >= from.first_day())
            && self.to.is_none_or(|to| e.date.first_day() <= to.last_day())
    }
}

/// How an event is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    /// A day-precision moment: a marker.
    Point,
    /// A moment known only to the month or year: a faint band across it.
    Band,
    /// A span with an end date: a bar.
    Span,
}

/// One visible event, placed in time.
#[derive(Clone, Debug)]
struct Entry {
    /// Index into `situation.events`.
    event: usize,
    /// First day (day number) covered.
    start: f64,
    /// The day after the last day covered.
    end: f64,
    kind: EventKind,
    shape: Shape,
    /// An unanswered warning before the as-of date.
    flagged: bool,
}

impl Entry {
    /// Where a marker or connector attaches.
    fn anchor_x(&self) -> f64 {
        match self.shape {
            Shape::Point => self.start + 0.5,
            Shape::Band | Shape::Span => self.start,
        }
    }
}

/// One lane: its label and its entries sorted by start.
#[derive(Clone, Debug)]
struct Lane {
    label: String,
    /// Indices into `Cache::entries`, sorted by start day.
    items: Vec<usize>,
    /// The longest entry in the lane, in days: how far back a visible one can start.
    max_len: f64,
    /// For each item, the row its bar is drawn in when it is a span: spans that overlap in
    /// time go to different rows so that none hides another.
    span_rows: Vec<u16>,
}

impl Lane {
    /// The items that may overlap `[min, max]`.
    fn visible(&self, entries: &[Entry], min: f64, max: f64) -> Range<usize> {
        let lo = self
            .items
            .partition_point(|&i| entries.get(i).is_some_and(|e| e.start < min - self.max_len));
        let hi = self
            .items
            .partition_point(|&i| entries.get(i).is_some_and(|e| e.start <= max));
        lo..hi.max(lo)
    }
}

/// A line from a warning to an action that answers it.
#[derive(Clone, Debug)]
struct Connector {
    warning: usize,
    action: usize,
    min_x: f64,
    max_x: f64,
}

/// What the timeline derives from the situation and the filters.
struct Cache {
    key: (u64, LaneMode, Filters),
    entries: Vec<Entry>,
    /// All entries sorted by start (each event once).
    by_start: Vec<usize>,
    /// Entry index of each event, by event index.
    entry_of_event: Vec<Option<usize>>,
    lanes: Vec<Lane>,
    /// The lane each entry is drawn in first (for connectors), by entry.
    home_lane: Vec<usize>,
    connectors: Vec<Connector>,
    /// Thresholds' entry indices sorted by start.
    thresholds: Vec<usize>,
    /// Start days of incidents, sorted.
    incidents: Vec<f64>,
    /// First and last day covered by the entries.
    extent: Option<(f64, f64)>,
    continuum: Continuum,
    /// Event indices sorted by id: per-frame lookups by binary search instead of scanning
    /// 20,000 events, without copying their ids.
    events_by_id: Vec<usize>,
    /// Ids of the warnings no action answers.
    unanswered: HashSet<String>,
}

impl Cache {
    /// The event with this id (the cache is rebuilt with every revision, so the index holds).
    fn event<'s>(&self, situation: &'s Situation, id: &str) -> Option<&'s Event> {
        let index = self.event_index(situation, id)?;
        situation.events.get(index)
    }

    /// The index of the event with this id in `situation.events`.
    fn event_index(&self, situation: &Situation, id: &str) -> Option<usize> {
        let id_of = |i: &usize| situation.events.get(*i).map_or("", |e| e.id.as_str());
        let at = self
            .events_by_id
            .binary_search_by(|i| id_of(i).cmp(id))
            .ok()?;
        self.events_by_id.get(at).copied()
    }

    /// The title of the event with this id, or the id when it is missing.
    fn title<'s>(&self, situation: &'s Situation, id: &'s str) -> &'s str {
        self.event(situation, id).map_or(id, |e| e.title.as_str())
    }
}

/// The runtime state of the timeline view.
pub struct TimelineState {
    pub lane_mode: LaneMode,
    pub filters: Filters,
    from_text: String,
    to_text: String,
    fit_requested: bool,
    /// The first lane shown when the lanes do not all fit.
    top_lane: f64,
    cache: Option<Cache>,
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
            filters: Filters::default(),
            from_text: String::new(),
            to_text: String::new(),
            fit_requested: true,
            top_lane: 0.0,
            cache: None,
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
        let cache = self.cache.as_ref()?;
        let transform = self.last_transform?;
        let event = cache.event_index(situation, event_id)?;
        let entry_index = (*cache.entry_of_event.get(event)?)?;
        let entry = cache.entries.get(entry_index)?;
        let lane = *cache.home_lane.get(entry_index)?;
        let pos = pos2(
            transform.position_from_point_x(entry.anchor_x()),
            transform.position_from_point_y(lane_y(lane)),
        );
        transform.frame().contains(pos).then_some(pos)
    }

    /// Asks the next frame to fit every shown event.
    pub fn fit_all(&mut self) {
        self.fit_requested = true;
    }

    /// Queues a keyboard command (pan, zoom, fit) for the next frame's plot.
    pub fn run_command(&mut self, command: TimelineCommand) {
        self.pending.push(command);
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

fn build_cache(situation: &Situation, mode: LaneMode, filters: &Filters, revision: u64) -> Cache {
    let continuum = continuum(situation);
    let unanswered: HashSet<String> = continuum.unanswered.iter().cloned().collect();
    let event_index: HashMap<&str, usize> = situation
        .events
        .iter()
        .enumerate()
        .map(|(i, e)| (e.id.as_str(), i))
        .collect();
    let mut events_by_id: Vec<usize> = (0..situation.events.len()).collect();
    let id_of = |i: &usize| situation.events.get(*i).map_or("", |e| e.id.as_str());
    events_by_id.sort_unstable_by(|a, b| id_of(a).cmp(id_of(b)));
    let mut entries = Vec::new();
    let mut entry_of_event = vec![None; situation.events.len()];
    for (i, e) in situation.events.iter().enumerate() {
        if !filters.keeps(e) {
            continue;
        }
        let start = e.date.first_day_number() as f64;
        let (end, shape) = match e.end {
            Some(end) => ((axis::day_number(end.last_day()) + 1) as f64, Shape::Span),
            None if e.date.precision() == Precision::Day => (start + 1.0, Shape::Point),
            None => (
                (axis::day_number(e.date.last_day()) + 1) as f64,
                Shape::Band,
            ),
        };
        if let Some(slot) = entry_of_event.get_mut(i) {
            *slot = Some(entries.len());
        }
        entries.push(Entry {
            event: i,
            start,
            end: end.max(start + 1.0),
            kind: e.kind,
            shape,
            flagged: unanswered.contains(e.id.as_str()),
        });
    }
    let mut by_start: Vec<usize> = (0..entries.len()).collect();
    let start_of = |i: &usize| entries.get(*i).map_or(0.0, |e| e.start);
    by_start.sort_by(|a, b| start_of(a).total_cmp(&start_of(b)));

    let lanes_def = lane_definitions(situation, mode);
    let lane_index: HashMap<&str, usize> = lanes_def
        .iter()
        .enumerate()
        .map(|(i, (key, _))| (key.as_str(), i))
        .collect();
    let mut lanes: Vec<Lane> = lanes_def
        .iter()
        .map(|(_, label)| Lane {
            label: label.clone(),
            items: Vec::new(),
            max_len: 0.0,
            span_rows: Vec::new(),
        })
        .collect();
    let mut none_lane = Lane {
        label: match mode {
            LaneMode::Kind => String::new(),
            LaneMode::Actor => "(no actor)".into(),
            LaneMode::Partner => "(no partner)".into(),
            LaneMode::Line => "(no line of effort)".into(),
        },
        items: Vec::new(),
        max_len: 0.0,
        span_rows: Vec::new(),
    };
    let mut home_lane = vec![usize::MAX; entries.len()];
    for &ei in &by_start {
        let Some(entry) = entries.get(ei) else {
            continue;
        };
        let Some(event) = situation.events.get(entry.event) else {
            continue;
        };
        let mut placed = false;
        let mut place = |li: usize| {
            if let Some(lane) = lanes.get_mut(li) {
                lane.items.push(ei);
                lane.max_len = lane.max_len.max(entry.end - entry.start);
                if !placed && let Some(h) = home_lane.get_mut(ei) {
                    *h = li;
                }
                placed = true;
            }
        };
        match mode {
            LaneMode::Kind => {
                if let Some(li) = EventKind::ALL.iter().position(|k| *k == event.kind) {
                    place(li);
                }
            }
            LaneMode::Actor | LaneMode::Partner | LaneMode::Line => {
                let names = match mode {
                    LaneMode::Actor => &event.actors,
                    LaneMode::Partner => &event.partners,
                    _ => &event.lines,
                };
                let mut seen: Vec<usize> = Vec::new();
                for name in names {
                    if let Some(&li) = lane_index.get(name.as_str())
                        && !seen.contains(&li)
                    {
                        seen.push(li);
                        place(li);
                    }
                }
            }
        }
        if !placed {
            none_lane.items.push(ei);
            none_lane.max_len = none_lane.max_len.max(entry.end - entry.start);
        }
    }
    // Drop empty lanes, renumbering the home lanes.
    let mut renumber = vec![usize::MAX; lanes.len()];
    let mut kept = Vec::new();
    for (i, lane) in lanes.into_iter().enumerate() {
        if !lane.items.is_empty() {
            if let Some(r) = renumber.get_mut(i) {
                *r = kept.len();
            }
            kept.push(lane);
        }
    }
    let none_index = kept.len();
    if !none_lane.items.is_empty() {
        kept.push(none_lane);
    }
    for h in &mut home_lane {
        *h = renumber.get(*h).copied().unwrap_or(none_index);
    }
    for lane in &mut kept {
        lane.span_rows = span_rows(&entries, &lane.items);
    }

    let mut connectors = Vec::new();
    for (ai, entry) in entries.iter().enumerate() {
        let Some(event) = situation.events.get(entry.event) else {
            continue;
        };
        for w in &event.answers {
            let Some(&wi) = event_index.get(w.as_str()) else {
                continue;
            };
            let Some(Some(we)) = entry_of_event.get(wi) else {
                continue;
            };
            let Some(warning) = entries.get(*we) else {
                continue;
            };
            if warning.kind != EventKind::WarningSign {
                continue;
            }
            connectors.push(Connector {
                warning: *we,
                action: ai,
                min_x: warning.anchor_x().min(entry.anchor_x()),
                max_x: warning.anchor_x().max(entry.anchor_x()),
            });
        }
    }
    let thresholds: Vec<usize> = by_start
        .iter()
        .copied()
        .filter(|&i| {
            entries
                .get(i)
                .is_some_and(|e| e.kind == EventKind::ThresholdMoment)
        })
        .collect();
    let incidents: Vec<f64> = by_start
        .iter()
        .filter_map(|&i| entries.get(i))
        .filter(|e| e.kind == EventKind::Incident)
        .map(|e| e.start)
        .collect();
    let extent = entries.iter().fold(None, |acc: Option<(f64, f64)>, e| {
        Some(match acc {
            None => (e.start, e.end),
            Some((a, b)) => (a.min(e.start), b.max(e.end)),
        })
    });
    Cache {
        key: (revision, mode, filters.clone()),
        entries,
        by_start,
        entry_of_event,
        lanes: kept,
        home_lane,
        connectors,
        thresholds,
        incidents,
        extent,
        continuum,
        events_by_id,
        unanswered,
    }
}

/// The lanes of a mode: `(key, label)`, in the situation's order.
fn lane_definitions(situation: &Situation, mode: LaneMode) -> Vec<(String, String)> {
    let shorten = |s: &str| -> String {
        if s.chars().count() > 28 {
            format!("{}…", s.chars().take(27).collect::<String>())
        } else {
            s.to_owned()
        }
    };
    match mode {
        LaneMode::Kind => EventKind::ALL
            .iter()
            .map(|k| (format!("{k:?}"), k.label().to_owned()))
            .collect(),
        LaneMode::Actor => situation
            .actors
            .iter()
            .map(|a| (a.id.clone(), shorten(&a.name)))
            .collect(),
        LaneMode::Partner => situation
            .partners
            .iter()
            .map(|p| (p.id.clone(), shorten(p.short_name())))
            .collect(),
        LaneMode::Line => situation
            .lines
            .iter()
            .map(|l| (l.id.clone(), shorten(&l.title)))
            .collect(),
    }
}

/// Draws the timeline view: toolbar, continuum panel, timeline and activity chart.
pub fn timeline_ui(ui: &mut egui::Ui, state: &mut TimelineState, ctx: &mut ViewCtx<'_>) {
    let key = (ctx.revision, state.lane_mode, state.filters.clone());
    if state.cache.as_ref().is_none_or(|c| c.key != key) {
        let had = state.cache.is_some();
        state.cache = Some(build_cache(
            ctx.situation,
            state.lane_mode,
            &state.filters,
            ctx.revision,
        ));
        if !had {
            state.fit_requested = true;
        }
    }
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
        let filters = &mut state.filters;
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

/// Paints an event marker: a shape per kind, so colour is not the only clue.
fn paint_marker(
    painter: &egui::Painter,
    c: Pos2,
    r: f32,
    kind: EventKind,
    outline: Option<Stroke>,
) {
    let fill = event_color(kind);
    let stroke = outline.unwrap_or(Stroke::new(1.0, fill.gamma_multiply(0.6)));
    let poly = |points: Vec<Pos2>| egui::Shape::convex_polygon(points, fill, stroke);
    let shape = match kind {
        EventKind::WarningSign => poly(vec![
            pos2(c.x, c.y - r * 1.15),
            pos2(c.x + r, c.y + r * 0.75),
            pos2(c.x - r, c.y + r * 0.75),
        ]),
        EventKind::ThresholdMoment => poly(vec![
            pos2(c.x, c.y - r * 1.2),
            pos2(c.x + r * 1.2, c.y),
            pos2(c.x, c.y + r * 1.2),
            pos2(c.x - r * 1.2, c.y),
        ]),
        EventKind::DiplomaticAction => {
            egui::Shape::rect_filled(Rect::from_center_size(c, Vec2::splat(r * 1.7)), 1.0, fill)
        }
        EventKind::Agreement => poly(vec![
            pos2(c.x - r, c.y - r * 0.6),
            pos2(c.x + r, c.y - r * 0.6),
            pos2(c.x + r, c.y + r * 0.6),
            pos2(c.x - r, c.y + r * 0.6),
        ]),
        EventKind::Incident => egui::Shape::circle_filled(c, r, fill),
        EventKind::Milestone => egui::Shape::circle_filled(c, r * 0.7, fill),
    };
    painter.add(shape);
    if let Some(o) = outline
        && matches!(
            kind,
            EventKind::DiplomaticAction | EventKind::Incident | EventKind::Milestone
        )
    {
        painter.circle_stroke(c, r + 1.5, o);
    }
}

/// The side panel: each warning with its lag, the median, the unanswered ones, the threshold
/// moments ahead and the events in view. Clicking a name selects the event.
fn continuum_ui(ui: &mut egui::Ui, state: &TimelineState, ctx: &mut ViewCtx<'_>) {
    let Some(cache) = &state.cache else {
        return;
    };
    let situation = ctx.situation;
    let c = &cache.continuum;
    let row_h = ui.text_style_height(&egui::TextStyle::Body) + ui.spacing().item_spacing.y + 2.0;
    ui.add_space(4.0);
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
                let title = cache.title(situation, &w.id);
                let flagged = cache.unanswered.contains(&w.id);
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
                            let action = cache.title(situation, a);
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
                    if ui
                        .selectable_label(selected, elide(title, 40))
                        .on_hover_text(format!("{title} ({})", w.date))
                        .clicked()
                    {
                        clicked = Some(w.id.clone());
                    }
                });
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
    ui.separator();
    ui.strong("Threshold moments ahead");
    if c.upcoming_thresholds.is_empty() {
        ui.weak("None after the as-of date.");
    }
    let as_of = situation.as_of.first_day_number();
    egui::ScrollArea::vertical()
        .id_salt("timeline_thresholds")
        .max_height(row_h * 5.0)
        .auto_shrink([false, true])
        .show_rows(ui, row_h, c.upcoming_thresholds.len(), |ui, rows| {
            for t in c.upcoming_thresholds.get(rows).unwrap_or_default() {
                let title = cache.title(situation, &t.id);
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
    ui.separator();
    let in_view = in_view(cache, state.last_transform.as_ref());
    ui.strong(format!(
        "In view: {}",
        crate::text::counted(in_view.len(), "event", "events")
    ));
    egui::ScrollArea::vertical()
        .id_salt("timeline_in_view")
        .auto_shrink([false, false])
        .show_rows(ui, row_h, in_view.len(), |ui, rows| {
            for ei in rows.filter_map(|row| in_view.get(row)) {
                let Some(entry) = cache.entries.get(ei) else {
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
    if let Some(id) = clicked {
        ctx.push(Action::Select(Some(ItemRef::new(ItemKind::Event, id))));
    }
}

/// The entries (each event once) overlapping the last frame's visible range, by date.
///
/// Entries starting inside the range are a slice of `by_start`, used in place; only those that
/// start earlier and reach into it are collected, so the cost does not follow the 20,000
/// events a zoomed-out timeline shows.
struct InView<'c> {
    /// Entries that start before the range and end inside it.
    earlier: Vec<usize>,
    /// Entries that start inside the range.
    inside: &'c [usize],
}

impl InView<'_> {
    fn len(&self) -> usize {
        self.earlier.len() + self.inside.len()
    }

    fn get(&self, row: usize) -> Option<usize> {
        match row.checked_sub(self.earlier.len()) {
            None => self.earlier.get(row).copied(),
            Some(i) => self.inside.get(i).copied(),
        }
    }
}

fn in_view<'c>(cache: &'c Cache, transform: Option<&PlotTransform>) -> InView<'c> {
    let Some(t) = transform else {
        return InView {
            earlier: Vec::new(),
            inside: &cache.by_start,
        };
    };
    let (min, max) = (t.bounds().min()[0], t.bounds().max()[0]);
    let max_len = cache.lanes.iter().fold(0.0_f64, |m, l| m.max(l.max_len));
    let start_of = |i: &usize| cache.entries.get(*i).map_or(f64::NEG_INFINITY, |e| e.start);
    let lo = cache
        .by_start
        .partition_point(|i| start_of(i) < min - max_len);
    let mid = cache.by_start.partition_point(|i| start_of(i) < min);
    let hi = cache.by_start.partition_point(|i| start_of(i) <= max);
    let earlier = cache
        .by_start
        .get(lo..mid.max(lo))
        .unwrap_or_default()
        .iter()
        .copied()
        .filter(|&i| cache.entries.get(i).is_some_and(|e| e.end >= min))
        .collect();
    InView {
        earlier,
        inside: cache.by_start.get(mid..hi.max(mid)).unwrap_or_default(),
    }
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

/// The x range that shows every entry (or the date filter's range), with a margin.
fn fit_range(cache: &Cache, filters: &Filters, as_of: f64) -> (f64, f64) {
    let (mut lo, mut hi) = cache.extent.unwrap_or((as_of - 180.0, as_of + 180.0));
    if let Some(from) = filters.from {
        lo = from.first_day_number() as f64;
    }
    if let Some(to) = filters.to {
        hi = (axis::day_number(to.last_day()) + 1) as f64;
    }
    if hi - lo < 30.0 {
        let mid = (lo + hi) / 2.0;
        lo = mid - 15.0;
        hi = mid + 15.0;
    }
    let margin = (hi - lo) * 0.03;
    (lo - margin, hi + margin)
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
    let Some(cache) = state.cache.take() else {
        return;
    };
    plots_with_cache_ui(ui, state, &cache, ctx);
    state.cache = Some(cache);
}

fn plots_with_cache_ui(
    ui: &mut egui::Ui,
    state: &mut TimelineState,
    cache: &Cache,
    ctx: &mut ViewCtx<'_>,
) {
    let situation = ctx.situation;
    let as_of = situation.as_of.first_day_number() as f64;
    let group = egui::Id::unique("timeline_time_axis");
    let activity_h = 120.0;
    let plot_h = (ui.available_height() - activity_h - ui.spacing().item_spacing.y).max(120.0);
    let n_lanes = cache.lanes.len().max(1);
    let body = ui.text_style_height(&egui::TextStyle::Body);
    let usable = (plot_h - body - 12.0).max(20.0);
    let shown_lanes = ((usable / 24.0).floor() as usize).clamp(1, n_lanes);
    let label_w = cache
        .lanes
        .iter()
        .map(|l| l.label.chars().count())
        .max()
        .unwrap_or(4) as f32
        * body
        * 0.55
        + 12.0;
    let axis_w = label_w.clamp(40.0, 220.0);
    let labels: Vec<String> = cache.lanes.iter().map(|l| l.label.clone()).collect();
    let fit =
        std::mem::take(&mut state.fit_requested).then(|| fit_range(cache, &state.filters, as_of));
    let text_focused = ui.ctx().text_edit_focused();
    let mut top_lane = state.top_lane;

    let response = Plot::new("timeline_plot")
        .height(plot_h)
        .link_axis(group, [true, false])
        .allow_zoom([true, false])
        .allow_scroll([true, false])
        .allow_drag([true, shown_lanes < n_lanes])
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
                .min_thickness(axis_w),
        ])
        .show(ui, |plot_ui| {
            let bounds = plot_ui.plot_bounds();
            if shown_lanes < n_lanes && bounds.is_valid_y() {
                top_lane = -bounds.max()[1] - 0.5;
            }
            top_lane = top_lane.clamp(0.0, (n_lanes - shown_lanes) as f64);
            if shown_lanes >= n_lanes {
                top_lane = 0.0;
            }
            plot_ui.set_plot_bounds_y(
                (-(top_lane + shown_lanes as f64 - 1.0) - 0.5)..=(-top_lane + 0.5),
            );
            if let Some((lo, hi)) = fit {
                plot_ui.set_plot_bounds_x(lo..=hi);
            }
            let hovered = plot_ui.response().hovered();
            state.keys_active = hovered;
            let width = bounds.width();
            let center = bounds.center();
            for command in std::mem::take(&mut state.pending) {
                match command {
                    TimelineCommand::PanLeft => {
                        plot_ui.translate_bounds(vec2(-(width * 0.15) as f32, 0.0))
                    }
                    TimelineCommand::PanRight => {
                        plot_ui.translate_bounds(vec2((width * 0.15) as f32, 0.0))
                    }
                    TimelineCommand::ZoomIn => plot_ui.zoom_bounds(vec2(1.5, 1.0), center),
                    TimelineCommand::ZoomOut => plot_ui.zoom_bounds(vec2(1.0 / 1.5, 1.0), center),
                    TimelineCommand::FitAll => {
                        let (lo, hi) = fit_range(cache, &state.filters, as_of);
                        plot_ui.set_plot_bounds_x(lo..=hi);
                    }
                }
            }
            if hovered && !text_focused {
                let wheel = plot_ui.ctx().input(|i| i.smooth_scroll_delta.y);
                if wheel != 0.0 && shown_lanes >= n_lanes {
                    plot_ui.zoom_bounds_around_hovered(vec2((wheel * 0.004).exp(), 1.0));
                }
            }
        });
    state.top_lane = top_lane;
    let transform = response.transform;
    state.last_transform = Some(transform);
    let hit = paint_timeline(
        ui,
        state,
        cache,
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
        .show(|ui| hit_tooltip_ui(ui, hit, cache, situation));
    }
    if plot_response.clicked()
        && let Some(Hit::Entry(ei)) = hit
        && let Some(e) = cache
            .entries
            .get(ei)
            .and_then(|en| situation.events.get(en.event))
    {
        ctx.push(Action::Select(Some(ItemRef::new(
            ItemKind::Event,
            e.id.clone(),
        ))));
    }
    activity_ui(ui, cache, &transform, group, activity_h, axis_w);
}

fn hit_tooltip_ui(ui: &mut egui::Ui, hit: &Hit, cache: &Cache, situation: &Situation) {
    match hit {
        Hit::Entry(ei) => {
            let Some(e) = cache
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
            if let Some(w) = cache.continuum.warnings.iter().find(|w| w.id == e.id) {
                ui.label(match (w.lag_days, cache.unanswered.contains(&w.id)) {
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

/// Paints lanes, bands, spans, markers, connectors, threshold and as-of lines over the plot;
/// returns what the pointer is over.
fn paint_timeline(
    ui: &egui::Ui,
    state: &mut TimelineState,
    cache: &Cache,
    ctx: &ViewCtx<'_>,
    t: &PlotTransform,
    pointer: Option<Pos2>,
) -> Option<Hit> {
    let situation = ctx.situation;
    let frame = *t.frame();
    let painter = ui.painter_at(frame);
    let (xmin, xmax) = (t.bounds().min()[0], t.bounds().max()[0]);
    let px_per_day = frame.width() as f64 / (xmax - xmin).max(1e-9);
    let lane_px = (t.position_from_point_y(-1.0) - t.position_from_point_y(0.0)).abs();
    let visuals = ui.visuals();
    let text_color = visuals.text_color();
    let font = egui::TextStyle::Small.resolve(ui.style());
    let x_of = |x: f64| t.position_from_point_x(x);
    let y_of = |lane: usize| t.position_from_point_y(lane_y(lane));
    let selected = ctx
        .selection
        .as_ref()
        .filter(|s| s.kind == ItemKind::Event)
        .and_then(|s| cache.event_index(situation, &s.id));

    // Lanes on screen, their visible items, and whether to aggregate.
    let first_lane = lane_at(t.bounds().max()[1]).unwrap_or(0);
    let last_lane = lane_at(t.bounds().min()[1]).unwrap_or(0);
    let mut draws: Vec<LaneDraw> = (first_lane..=last_lane)
        .filter_map(|li| {
            let lane = cache.lanes.get(li)?;
            Some(LaneDraw {
                lane: li,
                range: lane.visible(&cache.entries, xmin, xmax),
                bucket: None,
            })
        })
        .collect();
    let total: usize = draws.iter().map(|d| d.range.len()).sum();
    if total > MAX_MARKERS_TOTAL {
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

    // Lane stripes.
    for d in &draws {
        if d.lane % 2 == 1 {
            let y = y_of(d.lane);
            painter.rect_filled(
                Rect::from_x_y_ranges(frame.x_range(), (y - lane_px / 2.0)..=(y + lane_px / 2.0)),
                0.0,
                text_color.gamma_multiply(0.035),
            );
        }
    }

    // The as-of date.
    let as_of = situation.as_of.first_day_number() as f64;
    if (xmin..=xmax).contains(&as_of) {
        let x = x_of(as_of);
        let stroke = Stroke::new(1.5, text_color.gamma_multiply(0.7));
        painter.add(egui::Shape::dashed_line(
            &[pos2(x, frame.top()), pos2(x, frame.bottom())],
            stroke,
            6.0,
            4.0,
        ));
        painter.text(
            pos2(x + 4.0, frame.bottom() - 4.0),
            egui::Align2::LEFT_BOTTOM,
            format!("As of {}", situation.as_of),
            font.clone(),
            text_color,
        );
    }

    // Threshold moments: a line across all lanes with their label.
    let th_lo = cache
        .thresholds
        .partition_point(|&i| cache.entries.get(i).is_some_and(|e| e.end < xmin));
    let th_hi = cache
        .thresholds
        .partition_point(|&i| cache.entries.get(i).is_some_and(|e| e.start <= xmax));
    let threshold_color = event_color(EventKind::ThresholdMoment);
    let mut label_right = f32::NEG_INFINITY;
    let threshold_slice = cache
        .thresholds
        .get(th_lo..th_hi.max(th_lo))
        .unwrap_or_default();
    let label_thresholds = threshold_slice.len() <= 200;
    // Hundreds of full-height lines would hide the lanes (and cost a software renderer dearly):
    // past that, each threshold is a short tick along the top edge.
    let full_lines = threshold_slice.len() <= MAX_THRESHOLD_LINES;
    let threshold_stroke = Stroke::new(1.2, threshold_color.gamma_multiply(0.55));
    for &ei in threshold_slice {
        let Some(entry) = cache.entries.get(ei) else {
            continue;
        };
        let x = x_of(entry.anchor_x());
        if full_lines {
            painter.vline(x, frame.y_range(), threshold_stroke);
        } else {
            painter.vline(x, frame.top()..=frame.top() + 8.0, threshold_stroke);
        }
        if label_thresholds
            && x > label_right
            && let Some(e) = situation.events.get(entry.event)
        {
            let galley = painter.layout_no_wrap(elide(&e.title, 36), font.clone(), threshold_color);
            let y = frame.top() + 2.0;
            let rect = Rect::from_min_size(pos2(x + 3.0, y), galley.size()).expand(2.0);
            painter.rect_filled(rect, 2.0, visuals.extreme_bg_color.gamma_multiply(0.85));
            painter.galley(pos2(x + 3.0, y), galley, threshold_color);
            label_right = rect.right() + 6.0;
        }
    }

    // Connectors from each warning to the actions answering it.
    let connectors: Vec<&Connector> = cache
        .connectors
        .iter()
        .filter(|c| c.max_x >= xmin && c.min_x <= xmax)
        .collect();
    let all_connectors = connectors.len() <= 2000;
    let label_lags = connectors.len() <= 60;
    // Lag labels sit just before their arrow; one that would cover another is left out
    // (the tooltip and the side list still give it).
    let mut placed_lags: Vec<Rect> = Vec::new();
    for c in connectors {
        let (Some(w), Some(a)) = (cache.entries.get(c.warning), cache.entries.get(c.action)) else {
            continue;
        };
        let touches_selection = selected.is_some_and(|s| s == w.event || s == a.event);
        if !all_connectors && !touches_selection {
            continue;
        }
        let (Some(&wl), Some(&al)) = (
            cache.home_lane.get(c.warning),
            cache.home_lane.get(c.action),
        ) else {
            continue;
        };
        let p0 = pos2(x_of(w.anchor_x()), y_of(wl));
        let p1 = pos2(x_of(a.anchor_x()), y_of(al));
        let color = if touches_selection {
            visuals.selection.stroke.color
        } else {
            event_color(EventKind::WarningSign).gamma_multiply(0.55)
        };
        let width = if touches_selection { 2.2 } else { 1.2 };
        let mid_y = if wl == al {
            p0.y - lane_px * 0.35
        } else {
            (p0.y + p1.y) / 2.0
        };
        let points = [p0, pos2(p0.x, mid_y), pos2(p1.x, mid_y), p1];
        painter.add(egui::Shape::line(
            points.to_vec(),
            Stroke::new(width, color),
        ));
        let dir = if p1.y >= mid_y { 1.0 } else { -1.0 };
        painter.add(egui::Shape::convex_polygon(
            vec![
                pos2(p1.x, p1.y - dir * 5.0),
                pos2(p1.x - 3.5, p1.y - dir * 11.0),
                pos2(p1.x + 3.5, p1.y - dir * 11.0),
            ],
            color,
            Stroke::NONE,
        ));
        if label_lags && (p1.x - p0.x).abs() > 40.0 {
            let days = (a.start - w.start).max(0.0) as i64;
            let approx = a.shape != Shape::Point || w.shape != Shape::Point;
            let text = if approx {
                format!("≈{days} d")
            } else {
                format!("{days} d")
            };
            let galley = painter.layout_no_wrap(text, font.clone(), color);
            let size = galley.size();
            let left = if p1.x >= p0.x {
                p1.x - 4.0 - size.x
            } else {
                p1.x + 4.0
            };
            let rect = Rect::from_min_size(pos2(left, mid_y - 2.0 - size.y), size);
            if !placed_lags.iter().any(|r| r.intersects(rect)) {
                painter.galley(rect.min, galley, color);
                placed_lags.push(rect.expand(2.0));
            }
        }
    }

    // Events, lane by lane.
    let r = (lane_px * 0.2).clamp(3.0, 6.5);
    let mut hit: Option<Hit> = None;
    let mut best_dist = f32::INFINITY;
    let mut best_len = f64::INFINITY;
    let pointer_lane = pointer
        .filter(|p| frame.contains(*p))
        .and_then(|p| lane_at(t.value_from_position(p).y));
    let mut drawn = 0;
    for d in &draws {
        let Some(lane) = cache.lanes.get(d.lane) else {
            continue;
        };
        let y = y_of(d.lane);
        let items = lane.items.get(d.range.clone()).unwrap_or_default();
        if let Some(bucket) = d.bucket {
            drawn += paint_buckets(
                &painter,
                cache,
                items,
                bucket,
                (xmin, xmax),
                y,
                lane_px,
                x_of,
                state.lane_mode,
                pointer.filter(|_| pointer_lane == Some(d.lane)),
                t,
                &mut hit,
            );
            continue;
        }
        // Bands and spans first, then markers on top. Spans are thin bars in rows under the
        // line of markers, as many rows as the lane has room for.
        let rows = lane.span_rows.get(d.range.clone()).unwrap_or_default();
        let row_gap = 7.0;
        let rows_fit = (((lane_px * 0.46 - 6.0) / row_gap).floor() as usize).max(1);
        let span_y = |row: u16| y + 6.0 + (usize::from(row) % rows_fit) as f32 * row_gap;
        for (k, &ei) in items.iter().enumerate() {
            let Some(entry) = cache.entries.get(ei) else {
                continue;
            };
            if entry.shape == Shape::Point || entry.end < xmin {
                continue;
            }
            let color = event_color(entry.kind);
            let (x0, x1) = (
                x_of(entry.start),
                x_of(entry.end).max(x_of(entry.start) + 2.0),
            );
            let rect = if entry.shape == Shape::Band {
                let half = (lane_px * 0.32).min(11.0);
                Rect::from_x_y_ranges(x0..=x1, (y - half)..=(y + half))
            } else {
                let row_y = span_y(rows.get(k).copied().unwrap_or(0));
                Rect::from_x_y_ranges(x0..=x1, (row_y - 2.5)..=(row_y + 2.5))
            };
            let is_selected = selected == Some(entry.event);
            match entry.shape {
                Shape::Band => {
                    painter.rect_filled(rect, 2.0, color.gamma_multiply(0.16));
                    painter.rect_stroke(
                        rect,
                        2.0,
                        Stroke::new(1.0, color.gamma_multiply(0.45)),
                        egui::StrokeKind::Inside,
                    );
                }
                _ => {
                    painter.rect_filled(rect, 2.0, color.gamma_multiply(0.8));
                    // A tick joins the bar to the line of markers, where its title is.
                    if x0 >= frame.left() {
                        painter.vline(
                            x0 + 0.5,
                            (y - 3.0)..=rect.top(),
                            Stroke::new(1.5, color.gamma_multiply(0.8)),
                        );
                    }
                }
            }
            if is_selected {
                painter.rect_stroke(
                    rect.expand(2.0),
                    3.0,
                    Stroke::new(2.0, visuals.selection.stroke.color),
                    egui::StrokeKind::Outside,
                );
            }
            drawn += 1;
            if let Some(p) = pointer
                && pointer_lane == Some(d.lane)
                && rect.expand2(vec2(2.0, 3.0)).contains(p)
                && best_dist.is_infinite()
                && entry.end - entry.start < best_len
            {
                best_len = entry.end - entry.start;
                hit = Some(Hit::Entry(ei));
            }
        }
        let label_titles = items.len() <= 150 && lane_px >= 16.0;
        let mut next_free_x = f32::NEG_INFINITY;
        for (k, &ei) in items.iter().enumerate() {
            let Some(entry) = cache.entries.get(ei) else {
                continue;
            };
            if entry.end < xmin {
                continue;
            }
            let x = x_of(entry.anchor_x());
            let c = pos2(
                if entry.shape == Shape::Point {
                    x
                } else {
                    x.max(frame.left())
                },
                y,
            );
            if entry.shape == Shape::Point {
                let outline = if selected == Some(entry.event) {
                    Some(Stroke::new(2.5, visuals.selection.stroke.color))
                } else {
                    None
                };
                paint_marker(&painter, c, r, entry.kind, outline);
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
                && pointer_lane == Some(d.lane)
            {
                let dist = p.distance(c);
                if dist <= r + 5.0 && dist < best_dist {
                    best_dist = dist;
                    hit = Some(Hit::Entry(ei));
                }
            }
            if label_titles && x > next_free_x {
                let next_x = items
                    .get(k + 1..)
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|&j| cache.entries.get(j))
                    .find(|n| n.shape == Shape::Point)
                    .map_or(frame.right(), |n| x_of(n.anchor_x()));
                let room = (next_x - x - r - 10.0).min(260.0);
                if room > 40.0
                    && let Some(e) = situation.events.get(entry.event)
                {
                    let max_chars = ((room / (font.size * 0.55)) as usize).max(4);
                    let galley = painter.layout_no_wrap(
                        elide(&e.title, max_chars),
                        font.clone(),
                        text_color.gamma_multiply(0.85),
                    );
                    let pos = pos2(x + r + 4.0, y - galley.size().y / 2.0);
                    next_free_x = pos.x + galley.size().x + 4.0;
                    painter.galley(pos, galley, text_color);
                }
            }
        }
    }
    state.last_drawn = drawn;
    hit
}

/// The row of each of `items` (sorted by start) when drawn as bars: each span takes the first
/// row free at its start, so spans that overlap in time never share a row. Other shapes get 0.
fn span_rows(entries: &[Entry], items: &[usize]) -> Vec<u16> {
    let mut row_ends: Vec<f64> = Vec::new();
    items
        .iter()
        .map(|&ei| {
            let Some(entry) = entries.get(ei).filter(|e| e.shape == Shape::Span) else {
                return 0;
            };
            let row = match row_ends.iter().position(|&end| end <= entry.start) {
                Some(row) => row,
                None => {
                    row_ends.push(f64::NEG_INFINITY);
                    row_ends.len() - 1
                }
            };
            if let Some(end) = row_ends.get_mut(row) {
                *end = entry.end;
            }
            u16::try_from(row).unwrap_or(u16::MAX)
        })
        .collect()
}

/// How many of `items` (sorted by start) start in each of `n` buckets of `bucket` days from
/// `origin`, and the kind of the last one in each.
///
/// Each bucket is found by binary search, so the cost follows the number of buckets on screen,
/// not the thousands of events they stand for.
fn bucket_counts(
    entries: &[Entry],
    items: &[usize],
    origin: f64,
    bucket: f64,
    n: usize,
) -> (Vec<usize>, Vec<Option<EventKind>>) {
    let start_of = |ei: &usize| entries.get(*ei).map_or(f64::NEG_INFINITY, |e| e.start);
    let mut lo = items.partition_point(|ei| start_of(ei) < origin);
    let mut counts = vec![0usize; n];
    let mut kinds: Vec<Option<EventKind>> = vec![None; n];
    for (i, (count, kind)) in counts.iter_mut().zip(kinds.iter_mut()).enumerate() {
        let to = origin + (i + 1) as f64 * bucket;
        let rest = items.get(lo..).unwrap_or_default();
        let hi = lo + rest.partition_point(|ei| start_of(ei) < to);
        *count = hi - lo;
        if hi > lo {
            *kind = items
                .get(hi - 1)
                .and_then(|&ei| entries.get(ei))
                .map(|e| e.kind);
        }
        lo = hi;
    }
    (counts, kinds)
}

/// Draws a lane's visible items as counts per bucket; returns how many buckets were drawn.
#[allow(clippy::too_many_arguments)]
fn paint_buckets(
    painter: &egui::Painter,
    cache: &Cache,
    items: &[usize],
    bucket: f64,
    (xmin, xmax): (f64, f64),
    y: f32,
    lane_px: f32,
    x_of: impl Fn(f64) -> f32,
    mode: LaneMode,
    pointer: Option<Pos2>,
    t: &PlotTransform,
    hit: &mut Option<Hit>,
) -> usize {
    let origin = (xmin / bucket).floor() * bucket;
    let n = (((xmax - origin) / bucket).ceil() as usize).clamp(1, 20_000);
    let (counts, kinds) = bucket_counts(&cache.entries, items, origin, bucket, n);
    let max = counts.iter().copied().max().unwrap_or(1).max(1) as f32;
    let pointer_day = pointer.map(|p| t.value_from_position(p).x);
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
        let rect = Rect::from_x_y_ranges(
            x_of(from)..=(x_of(to) - 1.0).max(x_of(from) + 1.0),
            (y + lane_px * 0.4 - h)..=(y + lane_px * 0.4),
        );
        painter.rect_filled(rect, 0.0, color.gamma_multiply(0.8));
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
    cache: &Cache,
    t: &PlotTransform,
    group: egui::Id,
    height: f32,
    axis_w: f32,
) {
    let (xmin, xmax) = (t.bounds().min()[0], t.bounds().max()[0]);
    let width_px = t.frame().width().max(1.0) as f64;
    let (bins, unit) = activity_bins(&cache.incidents, xmin, xmax, width_px);
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

/// Incident counts per calendar week (from Monday) or month, or year when zoomed far out,
/// over `[xmin, xmax]`: `(first day, day after, count)` and the unit's name.
fn activity_bins(
    incidents: &[f64],
    xmin: f64,
    xmax: f64,
    width_px: f64,
) -> (Vec<(f64, f64, usize)>, &'static str) {
    let span = (xmax - xmin).max(1.0);
    // Bins come in order: each boundary is searched once and the previous one reused.
    let mut previous: Option<(f64, usize)> = None;
    let mut count = |a: f64, b: f64| {
        let below_a = match previous {
            Some((edge, index)) if edge == a => index,
            _ => incidents.partition_point(|&d| d < a),
        };
        let below_b = below_a
            + incidents
                .get(below_a..)
                .unwrap_or_default()
                .partition_point(|&d| d < b);
        previous = Some((b, below_b));
        below_b - below_a
    };
    let mut out = Vec::new();
    if span / WEEK <= width_px / 6.0 {
        // Day number 1 (1 January of year 1) is a Monday.
        let mut from = ((xmin - 1.0) / WEEK).floor() * WEEK + 1.0;
        while from < xmax {
            out.push((from, from + WEEK, count(from, from + WEEK)));
            from += WEEK;
        }
        return (out, "week");
    }
    let monthly = span / MONTH <= width_px / 4.0;
    let (Some(first), Some(_)) = (axis::date_of(xmin as i64), axis::date_of(xmax as i64)) else {
        return (out, "month");
    };
    use chrono::Datelike as _;
    let step = if monthly { 1 } else { 12 };
    let mut date =
        chrono::NaiveDate::from_ymd_opt(first.year(), if monthly { first.month() } else { 1 }, 1);
    while let Some(d) = date {
        let from = axis::day_number(d) as f64;
        if from > xmax || out.len() > 5000 {
            break;
        }
        let next = d.checked_add_months(chrono::Months::new(step));
        let to = next.map_or(from + 31.0, |n| axis::day_number(n) as f64);
        out.push((from, to, count(from, to)));
        date = next;
    }
    (out, if monthly { "month" } else { "year" })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(start: f64, kind: EventKind) -> Entry {
        Entry {
            event: 0,
            start,
            end: start + 1.0,
            kind,
            shape: Shape::Point,
            flagged: false,
        }
    }

    /// A deterministic spread of start days, some on bucket edges, some before the origin.
    fn starts() -> Vec<f64> {
        let mut x = 17u64;
        let mut out: Vec<f64> = (0..2_000)
            .map(|_| {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                730_000.0 + ((x >> 33) % 900) as f64
            })
            .collect();
        out.extend([730_000.0, 730_007.0, 730_014.0, 729_990.0]);
        out.sort_by(f64::total_cmp);
        out
    }

    #[test]
    fn bucket_counts_match_counting_one_by_one() {
        let kinds = [
            EventKind::Incident,
            EventKind::WarningSign,
            EventKind::DiplomaticAction,
        ];
        let entries: Vec<Entry> = starts()
            .iter()
            .enumerate()
            .map(|(i, &s)| entry(s, kinds[i % 3]))
            .collect();
        let items: Vec<usize> = (0..entries.len()).collect();
        for (origin, bucket, n) in [
            (730_000.0, 7.0, 130),
            (730_003.0, 30.0, 31),
            (730_000.0, 1.0, 400),
        ] {
            let (counts, last_kinds) = bucket_counts(&entries, &items, origin, bucket, n);
            for b in 0..n {
                let from = origin + b as f64 * bucket;
                let to = from + bucket;
                let inside: Vec<&Entry> = entries
                    .iter()
                    .filter(|e| e.start >= from && e.start < to)
                    .collect();
                assert_eq!(counts[b], inside.len(), "bucket {b} of {bucket} days");
                assert_eq!(last_kinds[b], inside.last().map(|e| e.kind));
            }
        }
    }

    #[test]
    fn overlapping_spans_take_different_rows_and_later_ones_reuse_free_rows() {
        let span = |start: f64, end: f64| Entry {
            shape: Shape::Span,
            end,
            ..entry(start, EventKind::DiplomaticAction)
        };
        let entries = vec![
            span(0.0, 100.0),
            span(10.0, 20.0),
            entry(15.0, EventKind::Incident),
            span(12.0, 30.0),
            span(25.0, 40.0),
            span(100.0, 120.0),
        ];
        let items: Vec<usize> = (0..entries.len()).collect();
        assert_eq!(span_rows(&entries, &items), vec![0, 1, 0, 2, 1, 0]);
    }

    #[test]
    fn activity_bins_match_counting_one_by_one() {
        let incidents = starts();
        for (xmin, xmax, width) in [
            (730_000.0, 730_200.0, 1_200.0),
            (729_000.0, 731_000.0, 600.0),
            (700_000.0, 740_000.0, 300.0),
        ] {
            let (bins, _) = activity_bins(&incidents, xmin, xmax, width);
            assert!(!bins.is_empty());
            for &(from, to, count) in &bins {
                let expected = incidents.iter().filter(|&&d| d >= from && d < to).count();
                assert_eq!(count, expected, "bin {from}..{to}");
            }
        }
    }
}
