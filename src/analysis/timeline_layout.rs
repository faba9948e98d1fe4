//! The timeline view's layout: which events it shows, where each falls in time, the lanes they
//! are sorted into, the rows that keep overlapping spans apart, the connectors from warnings to
//! the actions answering them, and what lies in a range of days.
//!
//! Times are day numbers as `f64` ([`axis::day_number`]): an entry covers `[start, end)`, so
//! the view maps them straight onto its time axis. Lists are sorted by start so that what is in
//! view is found by binary search, whatever the number of events.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::ops::Range;

use super::axis;
use super::timeline::{Continuum, continuum};
use crate::model::{Event, EventKind, PartialDate, Precision, Sensitivity, Situation};

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
    /// Every mode, in toolbar order.
    pub const ALL: [LaneMode; 4] = [
        LaneMode::Kind,
        LaneMode::Actor,
        LaneMode::Partner,
        LaneMode::Line,
    ];

    /// The mode's name in the toolbar.
    pub fn label(self) -> &'static str {
        match self {
            LaneMode::Kind => "Kind",
            LaneMode::Actor => "Actor",
            LaneMode::Partner => "Partner",
            LaneMode::Line => "Line of effort",
        }
    }

    /// The label of the lane of events that name none of the mode's items.
    fn none_label(self) -> &'static str {
        match self {
            LaneMode::Kind => "",
            LaneMode::Actor => "(no actor)",
            LaneMode::Partner => "(no partner)",
            LaneMode::Line => "(no line of effort)",
        }
    }
}

/// Which events the timeline shows.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct TimelineFilters {
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

impl TimelineFilters {
    /// Whether the timeline shows `e`.
    pub fn keeps(&self, e: &Event) -> bool {
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
pub enum Shape {
    /// A day-precision moment: a marker.
    Point,
    /// A moment known only to the month or year: a faint band across it.
    Band,
    /// A span with an end date: a bar.
    Span,
}

/// One shown event, placed in time.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// Index into `situation.events`.
    pub event: usize,
    /// First day (day number) covered.
    pub start: f64,
    /// The day after the last day covered (at least `start + 1`).
    pub end: f64,
    pub kind: EventKind,
    pub shape: Shape,
    /// An unanswered warning before the as-of date.
    pub flagged: bool,
}

impl Entry {
    /// Where a marker or connector attaches: the middle of a day, or the start of a band or
    /// span.
    pub fn anchor_x(&self) -> f64 {
        match self.shape {
            Shape::Point => self.start + 0.5,
            Shape::Band | Shape::Span => self.start,
        }
    }

    /// Places `e` (the event at `index`) in time.
    fn of(index: usize, e: &Event, flagged: bool) -> Self {
        let start = e.date.first_day_number() as f64;
        let (end, shape) = match e.end {
            Some(end) => ((axis::day_number(end.last_day()) + 1) as f64, Shape::Span),
            None if e.date.precision() == Precision::Day => (start + 1.0, Shape::Point),
            None => (
                (axis::day_number(e.date.last_day()) + 1) as f64,
                Shape::Band,
            ),
        };
        Self {
            event: index,
            start,
            end: end.max(start + 1.0),
            kind: e.kind,
            shape,
            flagged,
        }
    }
}

/// One lane: its label and its entries sorted by start.
#[derive(Clone, Debug, PartialEq)]
pub struct Lane {
    pub label: String,
    /// Indices into [`TimelineLayout::entries`], sorted by start day.
    pub items: Vec<usize>,
    /// The longest entry in the lane, in days: how far back a visible one can start.
    pub max_len: f64,
    /// For each item, the row its bar is drawn in when it is a span: spans that overlap in
    /// time go to different rows so that none hides another (see [`span_rows`]).
    pub span_rows: Vec<u16>,
}

impl Lane {
    fn new(label: String) -> Self {
        Self {
            label,
            items: Vec::new(),
            max_len: 0.0,
            span_rows: Vec::new(),
        }
    }

    fn push(&mut self, ei: usize, entry: &Entry) {
        self.items.push(ei);
        self.max_len = self.max_len.max(entry.end - entry.start);
    }

    /// The range of `items` that may overlap `[min, max]`: every item that does, and a few
    /// that start earlier and end before `min`.
    pub fn visible(&self, entries: &[Entry], min: f64, max: f64) -> Range<usize> {
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
#[derive(Clone, Debug, PartialEq)]
pub struct Connector {
    /// Entry index of the warning.
    pub warning: usize,
    /// Entry index of the action.
    pub action: usize,
    /// The span of days the connector covers.
    pub min_x: f64,
    pub max_x: f64,
    /// Days from the warning's start to the action's, never negative.
    pub lag_days: i64,
    /// Whether either end is a band or a span, so that the lag counts from a first day.
    pub approximate: bool,
    /// The lane boundary its horizontal run lies along (boundary `b` is the top edge of lane
    /// `b`): next to the action's lane, on the warning's side (see [`channel`]).
    pub channel: usize,
    /// Its place among the runs along that boundary: two connectors whose runs overlap in time
    /// never share a track (see [`assign_tracks`]).
    pub track: u16,
}

/// The lane boundary a connector's horizontal run lies along, from the home lanes of its
/// warning and its action: the top edge of the action's lane when the warning is above it or in
/// it, its bottom edge (the top edge of the next lane) when the warning is below.
pub fn channel(warning_lane: usize, action_lane: usize) -> usize {
    if action_lane < warning_lane {
        action_lane + 1
    } else {
        action_lane
    }
}

/// Days kept free between two runs on one track, so that one does not seem to continue the
/// other.
const TRACK_GAP_DAYS: f64 = 3.0;

/// Sets each connector's channel (from the home lanes of its ends) and track, one of at most
/// `max_tracks` (at least one): along each boundary, in order of their first day, each run
/// takes the first track free over its days, so runs that overlap in time (those from one
/// warning among them) share one only when more than `max_tracks` overlap; then the run takes
/// the track freed first.
pub fn assign_tracks(connectors: &mut [Connector], home_lane: &[usize], max_tracks: u16) {
    let max_tracks = usize::from(max_tracks.max(1));
    for c in connectors.iter_mut() {
        let lane_of = |entry: usize| home_lane.get(entry).copied().unwrap_or(0);
        c.channel = channel(lane_of(c.warning), lane_of(c.action));
    }
    let mut order: Vec<usize> = (0..connectors.len()).collect();
    let key = |i: &usize| {
        connectors
            .get(*i)
            .map_or((0, 0.0), |c| (c.channel, c.min_x))
    };
    order.sort_by(|a, b| {
        let (ka, kb) = (key(a), key(b));
        ka.0.cmp(&kb.0).then(ka.1.total_cmp(&kb.1))
    });
    let mut track_ends: Vec<f64> = Vec::new();
    let mut current_channel = None;
    for i in order {
        let Some(c) = connectors.get_mut(i) else {
            continue;
        };
        if current_channel != Some(c.channel) {
            current_channel = Some(c.channel);
            track_ends.clear();
        }
        let free = track_ends
            .iter()
            .position(|&end| end + TRACK_GAP_DAYS < c.min_x);
        let track = match free {
            Some(t) => t,
            None if track_ends.len() < max_tracks => {
                track_ends.push(f64::NEG_INFINITY);
                track_ends.len() - 1
            }
            None => track_ends
                .iter()
                .enumerate()
                .min_by(|a, b| a.1.total_cmp(b.1))
                .map_or(0, |(t, _)| t),
        };
        if let Some(end) = track_ends.get_mut(track) {
            *end = c.max_x;
        }
        c.track = u16::try_from(track).unwrap_or(u16::MAX);
    }
}

/// What the timeline derives from the situation, the lane mode and the filters.
#[derive(Clone, Debug)]
pub struct TimelineLayout {
    /// The shown events, in file order.
    pub entries: Vec<Entry>,
    /// All entries sorted by start (each event once).
    pub by_start: Vec<usize>,
    /// Entry index of each event, by event index (`None`: filtered out).
    pub entry_of_event: Vec<Option<usize>>,
    /// The lanes that have entries, in the situation's order; the lane of events naming no
    /// item of the mode last.
    pub lanes: Vec<Lane>,
    /// The lane each entry is drawn in first (for connectors), by entry.
    pub home_lane: Vec<usize>,
    pub connectors: Vec<Connector>,
    /// Thresholds' entry indices sorted by start.
    pub thresholds: Vec<usize>,
    /// Start days of incidents, sorted.
    pub incidents: Vec<f64>,
    /// First and last day covered by the entries.
    pub extent: Option<(f64, f64)>,
    /// The whole situation's continuum (filters do not change it).
    pub continuum: Continuum,
    /// Ids of the warnings no action answers.
    pub unanswered: HashSet<String>,
    /// Event indices sorted by id: lookups by binary search instead of scanning 20,000
    /// events, without copying their ids.
    events_by_id: Vec<usize>,
    /// The most tracks the connectors' runs take along one boundary (see [`Self::limit_tracks`]).
    track_limit: u16,
}

impl TimelineLayout {
    /// Lays out the events of `situation` that `filters` keeps, in lanes by `mode`.
    pub fn build(situation: &Situation, mode: LaneMode, filters: &TimelineFilters) -> Self {
        let continuum = continuum(situation);
        let unanswered: HashSet<String> = continuum.unanswered.iter().cloned().collect();
        let mut events_by_id: Vec<usize> = (0..situation.events.len()).collect();
        let id_of = |i: &usize| situation.events.get(*i).map_or("", |e| e.id.as_str());
        events_by_id.sort_unstable_by(|a, b| id_of(a).cmp(id_of(b)));
        let mut entries = Vec::new();
        let mut entry_of_event = vec![None; situation.events.len()];
        for (i, e) in situation.events.iter().enumerate() {
            if !filters.keeps(e) {
                continue;
            }
            if let Some(slot) = entry_of_event.get_mut(i) {
                *slot = Some(entries.len());
            }
            entries.push(Entry::of(i, e, unanswered.contains(e.id.as_str())));
        }
        let mut by_start: Vec<usize> = (0..entries.len()).collect();
        let start_of = |i: &usize| entries.get(*i).map_or(0.0, |e| e.start);
        by_start.sort_by(|a, b| start_of(a).total_cmp(&start_of(b)));
        let (lanes, home_lane) = assign_lanes(situation, mode, &entries, &by_start);
        let mut connectors = connect(situation, &entries, &entry_of_event);
        assign_tracks(&mut connectors, &home_lane, u16::MAX);
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
        Self {
            entries,
            by_start,
            entry_of_event,
            lanes,
            home_lane,
            connectors,
            thresholds,
            incidents,
            extent,
            continuum,
            unanswered,
            events_by_id,
            track_limit: u16::MAX,
        }
    }

    /// Gives the connectors' runs at most `max_tracks` tracks along each lane boundary (as
    /// many as the lanes drawn have room for); nothing to do when the limit is unchanged.
    pub fn limit_tracks(&mut self, max_tracks: u16) {
        if self.track_limit != max_tracks {
            self.track_limit = max_tracks;
            assign_tracks(&mut self.connectors, &self.home_lane, max_tracks);
        }
    }

    /// The event with this id (the layout is rebuilt with every change, so the index holds).
    pub fn event<'s>(&self, situation: &'s Situation, id: &str) -> Option<&'s Event> {
        let index = self.event_index(situation, id)?;
        situation.events.get(index)
    }

    /// The index of the event with this id in `situation.events`.
    pub fn event_index(&self, situation: &Situation, id: &str) -> Option<usize> {
        let id_of = |i: &usize| situation.events.get(*i).map_or("", |e| e.id.as_str());
        let at = self
            .events_by_id
            .binary_search_by(|i| id_of(i).cmp(id))
            .ok()?;
        self.events_by_id.get(at).copied()
    }

    /// The title of the event with this id, or the id when it is missing.
    pub fn title<'s>(&self, situation: &'s Situation, id: &'s str) -> &'s str {
        self.event(situation, id).map_or(id, |e| e.title.as_str())
    }

    /// The entry of the event with this id and the lane it is drawn in first, when shown.
    pub fn placed(&self, situation: &Situation, id: &str) -> Option<(&Entry, usize)> {
        let event = self.event_index(situation, id)?;
        let entry_index = (*self.entry_of_event.get(event)?)?;
        let entry = self.entries.get(entry_index)?;
        Some((entry, *self.home_lane.get(entry_index)?))
    }

    /// The entries overlapping `[min, max]`, each event once, by start (see [`InView`]).
    pub fn in_view(&self, min: f64, max: f64) -> InView<'_> {
        let max_len = self.lanes.iter().fold(0.0_f64, |m, l| m.max(l.max_len));
        let start_of = |i: &usize| self.entries.get(*i).map_or(f64::NEG_INFINITY, |e| e.start);
        let lo = self
            .by_start
            .partition_point(|i| start_of(i) < min - max_len);
        let mid = self.by_start.partition_point(|i| start_of(i) < min);
        let hi = self.by_start.partition_point(|i| start_of(i) <= max);
        let earlier = self
            .by_start
            .get(lo..mid.max(lo))
            .unwrap_or_default()
            .iter()
            .copied()
            .filter(|&i| self.entries.get(i).is_some_and(|e| e.end >= min))
            .collect();
        InView {
            earlier,
            inside: self.by_start.get(mid..hi.max(mid)).unwrap_or_default(),
        }
    }

    /// Every entry, by start.
    pub fn all(&self) -> InView<'_> {
        InView {
            earlier: Vec::new(),
            inside: &self.by_start,
        }
    }

    /// The threshold moments (entry indices, by start) that reach into `[min, max]`.
    pub fn thresholds_in(&self, min: f64, max: f64) -> &[usize] {
        let lo = self
            .thresholds
            .partition_point(|&i| self.entries.get(i).is_some_and(|e| e.end < min));
        let hi = self
            .thresholds
            .partition_point(|&i| self.entries.get(i).is_some_and(|e| e.start <= max));
        self.thresholds.get(lo..hi.max(lo)).unwrap_or_default()
    }

    /// The connectors that cross `[min, max]`.
    pub fn connectors_in(&self, min: f64, max: f64) -> impl Iterator<Item = &Connector> {
        self.connectors
            .iter()
            .filter(move |c| c.max_x >= min && c.min_x <= max)
    }

    /// The range of days that shows every entry (or the date filter's range, or half a year
    /// each side of `as_of` when nothing is shown), at least 30 days, with a 3 % margin.
    pub fn fit_range(&self, filters: &TimelineFilters, as_of: f64) -> (f64, f64) {
        let (mut lo, mut hi) = self.extent.unwrap_or((as_of - 180.0, as_of + 180.0));
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
}

/// Sorts the entries into the lanes of `mode`: an event goes into the lane of every item it
/// names (once each), or into the last lane when it names none. Lanes left empty are dropped;
/// an entry's home lane is the first it went into. Returns the lanes, and the home lane of each
/// entry.
fn assign_lanes(
    situation: &Situation,
    mode: LaneMode,
    entries: &[Entry],
    by_start: &[usize],
) -> (Vec<Lane>, Vec<usize>) {
    let lanes_def = lane_definitions(situation, mode);
    let lane_index: HashMap<&str, usize> = lanes_def
        .iter()
        .enumerate()
        .map(|(i, (key, _))| (key.as_str(), i))
        .collect();
    let mut lanes: Vec<Lane> = lanes_def
        .iter()
        .map(|(_, label)| Lane::new(label.clone()))
        .collect();
    let mut none_lane = Lane::new(mode.none_label().into());
    let mut home_lane = vec![usize::MAX; entries.len()];
    for &ei in by_start {
        let Some(entry) = entries.get(ei) else {
            continue;
        };
        let Some(event) = situation.events.get(entry.event) else {
            continue;
        };
        let mut placed = false;
        let mut place = |li: usize| {
            if let Some(lane) = lanes.get_mut(li) {
                lane.push(ei, entry);
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
            none_lane.push(ei, entry);
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
        lane.span_rows = span_rows(entries, &lane.items);
    }
    (kept, home_lane)
}

/// The lanes of a mode: `(key, label)`, in the situation's order; labels cut to 28 characters.
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

/// A connector from each shown warning sign to each shown event that names it as answered.
fn connect(
    situation: &Situation,
    entries: &[Entry],
    entry_of_event: &[Option<usize>],
) -> Vec<Connector> {
    let event_index: HashMap<&str, usize> = situation
        .events
        .iter()
        .enumerate()
        .map(|(i, e)| (e.id.as_str(), i))
        .collect();
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
                lag_days: (entry.start - warning.start).max(0.0) as i64,
                approximate: entry.shape != Shape::Point || warning.shape != Shape::Point,
                channel: 0,
                track: 0,
            });
        }
    }
    connectors
}

/// The entries (each event once) overlapping a range of days, by start.
///
/// Entries starting inside the range are a slice of `by_start`, used in place; only those that
/// start earlier and reach into it are collected, so the cost does not follow the 20,000
/// events a zoomed-out timeline shows.
pub struct InView<'c> {
    /// Entries that start before the range and end inside it.
    earlier: Vec<usize>,
    /// Entries that start inside the range.
    inside: &'c [usize],
}

impl InView<'_> {
    /// How many entries are in view.
    pub fn len(&self) -> usize {
        self.earlier.len() + self.inside.len()
    }

    /// Whether no entry is in view.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The entry index shown at `row` of the list.
    pub fn get(&self, row: usize) -> Option<usize> {
        match row.checked_sub(self.earlier.len()) {
            None => self.earlier.get(row).copied(),
            Some(i) => self.inside.get(i).copied(),
        }
    }
}

/// The row of each of `items` (sorted by start) when drawn as bars: each span takes the first
/// row free at its start, so spans that overlap in time never share a row. Other shapes get 0.
pub fn span_rows(entries: &[Entry], items: &[usize]) -> Vec<u16> {
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
pub fn bucket_counts(
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

/// Incident counts per calendar week (from Monday) or month, or year when zoomed far out,
/// over `[xmin, xmax]` drawn `width_px` wide: `(first day, day after, count)` and the unit's
/// name. `incidents` are start days, sorted.
pub fn activity_bins(
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
    if span / axis::WEEK <= width_px / 6.0 {
        // Day number 1 (1 January of year 1) is a Monday.
        let mut from = ((xmin - 1.0) / axis::WEEK).floor() * axis::WEEK + 1.0;
        while from < xmax {
            out.push((from, from + axis::WEEK, count(from, from + axis::WEEK)));
            from += axis::WEEK;
        }
        return (out, "week");
    }
    let monthly = span / axis::MONTH <= width_px / 4.0;
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

    use crate::model::create::new_item;
    use crate::model::{Event, Item, ItemKind};

    fn date(text: &str) -> PartialDate {
        text.parse().unwrap()
    }

    fn day(text: &str) -> f64 {
        date(text).first_day_number() as f64
    }

    /// An event of `kind` on `when` (with `end` when a span), naming `actors`.
    fn event(id: &str, kind: EventKind, when: &str, end: Option<&str>, actors: &[&str]) -> Event {
        Event {
            id: id.into(),
            title: format!("Event {id}"),
            kind,
            date: date(when),
            end: end.map(date),
            actors: actors.iter().map(|a| (*a).to_owned()).collect(),
            partners: Vec::new(),
            lines: Vec::new(),
            answers: Vec::new(),
            source: String::new(),
            notes: String::new(),
            sensitivity: Sensitivity::Unclassified,
            fatalities: None,
            place: None,
            description: String::new(),
        }
    }

    fn answering(mut e: Event, warnings: &[&str]) -> Event {
        e.answers = warnings.iter().map(|w| (*w).to_owned()).collect();
        e
    }

    fn situation(events: Vec<Event>) -> Situation {
        let mut s = Situation::new("Guinea", date("2009-12-31"));
        for (id, name) in [
            ("cndd", "CNDD"),
            ("forces-vives", "Forces vives"),
            ("unused", "Unused"),
            ("long", "A very long name for an actor of this crisis"),
        ] {
            if let Item::Actor(mut a) = new_item(&s, ItemKind::Actor) {
                a.id = id.into();
                a.name = name.into();
                s.actors.push(a);
            }
        }
        s.events = events;
        s
    }

    fn ids_in(layout: &TimelineLayout, s: &Situation, items: &[usize]) -> Vec<String> {
        items
            .iter()
            .map(|&ei| s.events[layout.entries[ei].event].id.clone())
            .collect()
    }

    fn build(s: &Situation, mode: LaneMode) -> TimelineLayout {
        TimelineLayout::build(s, mode, &TimelineFilters::default())
    }

    #[test]
    fn events_are_placed_as_points_bands_and_spans() {
        let s = situation(vec![
            event("d", EventKind::Incident, "2009-09-28", None, &[]),
            event("m", EventKind::Incident, "2009-09", None, &[]),
            event("y", EventKind::Incident, "2009", None, &[]),
            event("s", EventKind::Incident, "2009-09-28", Some("2009-10"), &[]),
            event(
                "back",
                EventKind::Incident,
                "2009-09-28",
                Some("2009-09-01"),
                &[],
            ),
        ]);
        let layout = build(&s, LaneMode::Kind);
        let placed: Vec<(Shape, f64, f64, f64)> = layout
            .entries
            .iter()
            .map(|e| (e.shape, e.start, e.end, e.anchor_x()))
            .collect();
        let d = day("2009-09-28");
        assert_eq!(
            placed,
            [
                (Shape::Point, d, d + 1.0, d + 0.5),
                (
                    Shape::Band,
                    day("2009-09-01"),
                    day("2009-10-01"),
                    day("2009-09-01")
                ),
                (
                    Shape::Band,
                    day("2009-01-01"),
                    day("2010-01-01"),
                    day("2009-01-01")
                ),
                (Shape::Span, d, day("2009-11-01"), d),
                (Shape::Span, d, d + 1.0, d),
            ]
        );
        assert_eq!(layout.extent, Some((day("2009-01-01"), day("2010-01-01"))));
    }

    #[test]
    fn lanes_by_kind_follow_the_order_of_kinds_and_leave_out_empty_ones() {
        let s = situation(vec![
            event("i2", EventKind::Incident, "2009-10-02", None, &[]),
            event("w", EventKind::WarningSign, "2009-09-01", None, &[]),
            event("i1", EventKind::Incident, "2009-09-28", None, &[]),
        ]);
        let layout = build(&s, LaneMode::Kind);
        let labels: Vec<&str> = layout.lanes.iter().map(|l| l.label.as_str()).collect();
        assert_eq!(labels, ["Warning sign", "Incident"]);
        assert_eq!(
            ids_in(&layout, &s, &layout.lanes[1].items),
            ["i1", "i2"],
            "by start"
        );
        assert_eq!(ids_in(&layout, &s, &layout.by_start), ["w", "i1", "i2"]);
        // home_lane is by entry, and entries are in file order.
        assert_eq!(layout.home_lane, [1, 0, 1]);
        assert_eq!(layout.incidents, [day("2009-09-28"), day("2009-10-02")]);
    }

    #[test]
    fn an_event_goes_into_the_lane_of_each_actor_it_names_once() {
        let s = situation(vec![
            event(
                "both",
                EventKind::Incident,
                "2009-09-28",
                None,
                &["forces-vives", "cndd", "forces-vives"],
            ),
            event("none", EventKind::Incident, "2009-09-29", None, &[]),
            event(
                "ghost",
                EventKind::Incident,
                "2009-09-30",
                None,
                &["nobody"],
            ),
            event("long", EventKind::Incident, "2009-10-01", None, &["long"]),
        ]);
        let layout = build(&s, LaneMode::Actor);
        let lanes: Vec<(&str, Vec<String>)> = layout
            .lanes
            .iter()
            .map(|l| (l.label.as_str(), ids_in(&layout, &s, &l.items)))
            .collect();
        assert_eq!(
            lanes,
            [
                ("CNDD", vec!["both".to_owned()]),
                ("Forces vives", vec!["both".to_owned()]),
                ("A very long name for an act…", vec!["long".to_owned()]),
                ("(no actor)", vec!["none".to_owned(), "ghost".to_owned()]),
            ]
        );
        // The home lane is the first the event names (Forces vives), renumbered without the
        // empty "Unused" lane.
        assert_eq!(layout.home_lane, [1, 3, 3, 2]);
        let (entry, lane) = layout.placed(&s, "long").unwrap();
        assert_eq!((entry.event, lane), (3, 2));
        assert_eq!(layout.placed(&s, "nothing"), None);
        let partners = build(&s, LaneMode::Partner);
        assert_eq!(partners.lanes.len(), 1);
        assert_eq!(partners.lanes[0].label, "(no partner)");
    }

    #[test]
    fn filters_keep_events_by_kind_sensitivity_names_and_dates() {
        let mut e = event(
            "s",
            EventKind::Incident,
            "2009-09-15",
            Some("2009-09-30"),
            &["cndd"],
        );
        e.partners = vec!["ecowas".into()];
        e.sensitivity = Sensitivity::Confidential;
        let keeps = |f: TimelineFilters| f.keeps(&e);
        assert!(keeps(TimelineFilters::default()));
        assert!(!keeps(TimelineFilters {
            hidden_kinds: [EventKind::Incident].into(),
            ..Default::default()
        }));
        assert!(keeps(TimelineFilters {
            hidden_kinds: [EventKind::WarningSign].into(),
            ..Default::default()
        }));
        assert!(!keeps(TimelineFilters {
            hidden_sensitivities: [Sensitivity::Confidential].into(),
            ..Default::default()
        }));
        assert!(keeps(TimelineFilters {
            actor: Some("cndd".into()),
            partner: Some("ecowas".into()),
            ..Default::default()
        }));
        assert!(!keeps(TimelineFilters {
            actor: Some("forces-vives".into()),
            ..Default::default()
        }));
        assert!(!keeps(TimelineFilters {
            partner: Some("au".into()),
            ..Default::default()
        }));
        // A span is kept while any of it is in the range; partial dates cover their month.
        let range = |from: Option<&str>, to: Option<&str>| TimelineFilters {
            from: from.map(date),
            to: to.map(date),
            ..Default::default()
        };
        assert!(keeps(range(Some("2009-09-30"), None)));
        assert!(keeps(range(Some("2009-09"), Some("2009-09"))));
        assert!(!keeps(range(Some("2009-10-01"), None)));
        assert!(keeps(range(None, Some("2009-09-15"))));
        assert!(!keeps(range(None, Some("2009-09-14"))));
        // Left out events have no entry.
        let s = situation(vec![
            e.clone(),
            event("w", EventKind::WarningSign, "2009-09-01", None, &[]),
        ]);
        let layout = TimelineLayout::build(&s, LaneMode::Kind, &range(Some("2009-09-10"), None));
        assert_eq!(layout.entry_of_event, [Some(0), None]);
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
    fn spans_that_overlap_in_a_lane_never_share_a_row() {
        let mut x = 5u64;
        let mut next = |n: u64| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (x >> 33) % n
        };
        let base = date("2009-01-01").first_day();
        let text = |offset: u64| {
            (base + chrono::Days::new(offset))
                .format("%Y-%m-%d")
                .to_string()
        };
        let events: Vec<Event> = (0..300)
            .map(|i| {
                let start = next(365);
                let len = next(60);
                let end = (i % 4 != 0).then(|| text(start + len));
                event(
                    &format!("e{i}"),
                    EventKind::DiplomaticAction,
                    &text(start),
                    end.as_deref(),
                    &[],
                )
            })
            .collect();
        let layout = build(&situation(events), LaneMode::Kind);
        let lane = &layout.lanes[0];
        assert_eq!(lane.items.len(), 300);
        let spans: Vec<(&Entry, u16)> = lane
            .items
            .iter()
            .zip(&lane.span_rows)
            .map(|(&ei, &row)| (&layout.entries[ei], row))
            .filter(|(e, _)| e.shape == Shape::Span)
            .collect();
        assert!(
            spans.iter().any(|(_, row)| *row > 2),
            "the test makes deep overlaps"
        );
        for (i, (a, row_a)) in spans.iter().enumerate() {
            for (b, row_b) in &spans[i + 1..] {
                let overlap = a.start < b.end && b.start < a.end;
                assert!(
                    !(overlap && row_a == row_b),
                    "{a:?} and {b:?} share row {row_a}"
                );
            }
        }
    }

    #[test]
    fn connectors_join_shown_warnings_to_their_answers_with_the_lag() {
        let s = situation(vec![
            event("w", EventKind::WarningSign, "2009-09-01", None, &[]),
            answering(
                event("a", EventKind::DiplomaticAction, "2009-09-11", None, &[]),
                &["w"],
            ),
            answering(
                event("m", EventKind::Agreement, "2009-10", None, &[]),
                &["w"],
            ),
            answering(
                event(
                    "early",
                    EventKind::DiplomaticAction,
                    "2009-08-20",
                    None,
                    &[],
                ),
                &["w"],
            ),
            event("i", EventKind::Incident, "2009-09-05", None, &[]),
            answering(
                event("x", EventKind::DiplomaticAction, "2009-09-06", None, &[]),
                &["i", "gone"],
            ),
            event("late", EventKind::WarningSign, "2009-11-01", None, &[]),
        ]);
        let layout = build(&s, LaneMode::Kind);
        let lags: Vec<(String, String, i64, bool)> = layout
            .connectors
            .iter()
            .map(|c| {
                let id = |ei: usize| s.events[layout.entries[ei].event].id.clone();
                (id(c.warning), id(c.action), c.lag_days, c.approximate)
            })
            .collect();
        assert_eq!(
            lags,
            [
                ("w".into(), "a".into(), 10, false),
                ("w".into(), "m".into(), 30, true),
                ("w".into(), "early".into(), 0, false),
            ],
            "only warnings are joined; an answer dated before its warning shows 0"
        );
        let first = &layout.connectors[0];
        assert_eq!(
            (first.min_x, first.max_x),
            (day("2009-09-01") + 0.5, day("2009-09-11") + 0.5)
        );
        // The lag to the first answer is the continuum's.
        let w = layout
            .continuum
            .warnings
            .iter()
            .find(|w| w.id == "w")
            .unwrap();
        assert_eq!(w.lag_days, Some(first.lag_days));
        // "late" has no answer but is flagged: the as-of date is after it. "w" is answered.
        let flagged: Vec<bool> = layout.entries.iter().map(|e| e.flagged).collect();
        assert_eq!(flagged, [false, false, false, false, false, false, true]);
        assert!(layout.unanswered.contains("late"));
        // Hiding warnings hides their connectors.
        let hidden = TimelineLayout::build(
            &s,
            LaneMode::Kind,
            &TimelineFilters {
                hidden_kinds: [EventKind::WarningSign].into(),
                ..Default::default()
            },
        );
        assert!(hidden.connectors.is_empty());
        assert_eq!(
            layout
                .connectors_in(day("2009-09-12"), day("2009-09-20"))
                .count(),
            1,
            "m's crosses"
        );
        assert_eq!(
            layout
                .connectors_in(day("2009-12-01"), day("2009-12-31"))
                .count(),
            0
        );
    }

    #[test]
    fn runs_along_one_boundary_that_overlap_in_time_never_share_a_track() {
        let s = situation(vec![
            event("w", EventKind::WarningSign, "2009-01-01", None, &[]),
            answering(
                event("a1", EventKind::DiplomaticAction, "2009-01-20", None, &[]),
                &["w"],
            ),
            answering(
                event("a2", EventKind::DiplomaticAction, "2009-02-10", None, &[]),
                &["w"],
            ),
            answering(
                event("a3", EventKind::DiplomaticAction, "2009-01-10", None, &[]),
                &["w"],
            ),
            // After the first three ended: back on the first track.
            event("w2", EventKind::WarningSign, "2009-06-01", None, &[]),
            answering(
                event("b", EventKind::DiplomaticAction, "2009-06-15", None, &[]),
                &["w2"],
            ),
            // An agreement answers too: its run lies along another boundary.
            answering(
                event("m", EventKind::Agreement, "2009-01-05", None, &[]),
                &["w"],
            ),
        ]);
        let layout = build(&s, LaneMode::Kind);
        let id = |ei: usize| s.events[layout.entries[ei].event].id.as_str();
        let mut tracks: Vec<(&str, usize, u16)> = layout
            .connectors
            .iter()
            .map(|c| (id(c.action), c.channel, c.track))
            .collect();
        tracks.sort();
        // Lanes (kinds shown): 0 warning signs, 1 diplomatic actions, 2 agreements.
        assert_eq!(
            tracks,
            [
                ("a1", 1, 0),
                ("a2", 1, 1),
                ("a3", 1, 2),
                ("b", 1, 0),
                ("m", 2, 0)
            ]
        );
        // With room for two tracks only, the third run takes the track freed first (a1's).
        let mut narrow = layout.clone();
        narrow.limit_tracks(2);
        let a3 = narrow
            .connectors
            .iter()
            .find(|c| id(c.action) == "a3")
            .unwrap();
        assert_eq!(a3.track, 0);
        assert!(narrow.connectors.iter().all(|c| c.track < 2));
        assert_eq!(channel(0, 3), 3, "action below: its lane's top edge");
        assert_eq!(channel(3, 1), 2, "action above: its lane's bottom edge");
        assert_eq!(channel(2, 2), 2, "same lane: its top edge");
    }

    #[test]
    fn no_two_connectors_of_the_guinea_sample_share_a_run() {
        let s = crate::io::parse_situation(crate::samples::GUINEA)
            .unwrap()
            .situation;
        for mode in LaneMode::ALL {
            let layout = build(&s, mode);
            assert!(layout.connectors.len() >= 5, "{mode:?}");
            for (i, a) in layout.connectors.iter().enumerate() {
                for b in layout.connectors.iter().skip(i + 1) {
                    let overlap = a.min_x <= b.max_x && b.min_x <= a.max_x;
                    assert!(
                        !(overlap && a.channel == b.channel && a.track == b.track),
                        "{mode:?}: {a:?} and {b:?} share a run"
                    );
                }
            }
        }
    }

    #[test]
    fn in_view_lists_each_event_once_with_spans_that_began_earlier() {
        let s = situation(vec![
            event(
                "long",
                EventKind::DiplomaticAction,
                "2009-01-01",
                Some("2009-12-31"),
                &["cndd", "forces-vives"],
            ),
            event("before", EventKind::Incident, "2009-03-01", None, &["cndd"]),
            event(
                "short",
                EventKind::DiplomaticAction,
                "2009-05-01",
                Some("2009-05-10"),
                &[],
            ),
            event("in", EventKind::Incident, "2009-06-02", None, &["cndd"]),
            event("in2", EventKind::Incident, "2009-06-01", None, &[]),
            event("after", EventKind::Incident, "2009-08-01", None, &[]),
        ]);
        let layout = build(&s, LaneMode::Actor);
        let view = layout.in_view(day("2009-06-01"), day("2009-06-30"));
        let listed: Vec<usize> = (0..view.len()).filter_map(|r| view.get(r)).collect();
        assert_eq!(ids_in(&layout, &s, &listed), ["long", "in2", "in"]);
        assert_eq!(view.get(3), None);
        assert!(
            layout
                .in_view(day("2010-02-01"), day("2010-03-01"))
                .is_empty()
        );
        assert_eq!(layout.all().len(), 6);
    }

    #[test]
    fn a_lane_in_view_holds_every_item_that_overlaps_the_range() {
        let mut x = 11u64;
        let mut next = |n: u64| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (x >> 33) % n
        };
        let base = date("2009-01-01").first_day();
        let text = |offset: u64| {
            (base + chrono::Days::new(offset))
                .format("%Y-%m-%d")
                .to_string()
        };
        let events: Vec<Event> = (0..200)
            .map(|i| {
                let start = next(365);
                let end = (i % 3 == 0).then(|| text(start + next(90)));
                event(
                    &format!("e{i}"),
                    EventKind::Incident,
                    &text(start),
                    end.as_deref(),
                    &[],
                )
            })
            .collect();
        let layout = build(&situation(events), LaneMode::Kind);
        let lane = &layout.lanes[0];
        for _ in 0..50 {
            let min = day("2009-01-01") + next(400) as f64;
            let max = min + next(60) as f64;
            let range = lane.visible(&layout.entries, min, max);
            for (k, &ei) in lane.items.iter().enumerate() {
                let e = &layout.entries[ei];
                if e.end >= min && e.start <= max {
                    assert!(
                        range.contains(&k),
                        "{e:?} overlaps {min}..{max} but is not in {range:?}"
                    );
                }
            }
            let view = layout.in_view(min, max);
            let expected = layout
                .entries
                .iter()
                .filter(|e| e.end >= min && e.start <= max)
                .count();
            assert_eq!(view.len(), expected, "{min}..{max}");
        }
    }

    #[test]
    fn thresholds_in_view_include_those_still_running() {
        let s = situation(vec![
            event("t1", EventKind::ThresholdMoment, "2009-10", None, &[]),
            event("t2", EventKind::ThresholdMoment, "2009-12-01", None, &[]),
            event("t0", EventKind::ThresholdMoment, "2009-01-05", None, &[]),
        ]);
        let layout = build(&s, LaneMode::Kind);
        assert_eq!(ids_in(&layout, &s, &layout.thresholds), ["t0", "t1", "t2"]);
        let shown = layout.thresholds_in(day("2009-10-15"), day("2009-12-01"));
        assert_eq!(ids_in(&layout, &s, shown), ["t1", "t2"]);
        assert!(
            layout
                .thresholds_in(day("2009-02-01"), day("2009-09-30"))
                .is_empty()
        );
    }

    #[test]
    fn the_fitted_range_shows_every_entry_or_the_date_filter_with_a_margin() {
        let s = situation(vec![
            event("a", EventKind::Incident, "2009-01-01", None, &[]),
            event("b", EventKind::Incident, "2009-12-31", None, &[]),
        ]);
        let layout = build(&s, LaneMode::Kind);
        let (lo, hi) = (day("2009-01-01"), day("2010-01-01"));
        let margin = (hi - lo) * 0.03;
        let none = TimelineFilters::default();
        assert_eq!(layout.fit_range(&none, 0.0), (lo - margin, hi + margin));
        let filtered = TimelineFilters {
            from: Some(date("2009-06")),
            to: Some(date("2009-07")),
            ..Default::default()
        };
        let (lo, hi) = (day("2009-06-01"), day("2009-08-01"));
        let margin = (hi - lo) * 0.03;
        assert_eq!(layout.fit_range(&filtered, 0.0), (lo - margin, hi + margin));
        // One day, or nothing at all, still shows a month.
        let one = build(
            &situation(vec![event(
                "a",
                EventKind::Incident,
                "2009-09-28",
                None,
                &[],
            )]),
            LaneMode::Kind,
        );
        let (lo, hi) = one.fit_range(&none, 0.0);
        assert!((hi - lo - 30.0 * 1.06).abs() < 1e-9);
        let empty = build(&situation(Vec::new()), LaneMode::Kind);
        let (lo, hi) = empty.fit_range(&none, 1000.0);
        assert_eq!((lo + hi) / 2.0, 1000.0);
        assert!((hi - lo - 360.0 * 1.06).abs() < 1e-9);
    }

    #[test]
    fn events_are_found_by_id() {
        let s = situation(vec![
            event("zeta", EventKind::Incident, "2009-09-28", None, &[]),
            event("alpha", EventKind::Incident, "2009-09-29", None, &[]),
        ]);
        let layout = build(&s, LaneMode::Kind);
        assert_eq!(layout.event_index(&s, "alpha"), Some(1));
        assert_eq!(layout.event_index(&s, "zeta"), Some(0));
        assert_eq!(layout.event_index(&s, "beta"), None);
        assert_eq!(layout.title(&s, "alpha"), "Event alpha");
        assert_eq!(layout.title(&s, "beta"), "beta");
    }

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
