//! The map: where events happen, over an offline base map of country outlines (Natural
//! Earth), drawn with `walkers` (pan by dragging or scrolling, zoom with Ctrl+scroll, + and −).
//!
//! What it shows follows the timeline: the same filters, and the timeline's visible range
//! unless the map's own range slider is moved. Projection, clustering and the base map's
//! geometry are egui-free, in `analysis::geo`.

use egui::{Color32, Mesh, Pos2, Rect, Shape, Stroke, pos2, vec2};
use walkers::{MapMemory, Projector, lon_lat};

use super::ViewCtx;
use super::command::MapCommand;
use super::marker::paint_event_marker;
use super::timeline::TimelineState;
use super::{Action, theme};
use crate::analysis::axis;
use crate::analysis::geo::layer::{self, ScreenLine};
use crate::analysis::geo::places::{self, EventPoint, Locator};
use crate::analysis::geo::{
    BaseMap, Cluster, GeoBox, LonLat, Viewport, World, cluster, cluster_zoom, project, unproject,
};
use crate::analysis::timeline_layout::TimelineFilters;
use crate::model::{EventKind, GeoPrecision, ItemKind, ItemRef};

/// The deepest zoom a fit goes to: a town and its surroundings.
const FIT_MAX_ZOOM: f64 = 11.0;

/// Markers closer than this (in pixels) are drawn as one, with a count.
const CLUSTER_RADIUS_PX: f64 = 22.0;

/// The radius of an event marker (an incident's grows with its fatalities).
const MARKER_RADIUS: f32 = 6.0;

/// From this zoom on, the admin-1 areas the data locate are named.
const ADMIN1_LABEL_ZOOM: f64 = 6.5;

/// Which days the map shows.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum MapRange {
    /// The timeline's visible range (every day while the timeline has not been drawn).
    FollowTimeline,
    /// The map's own range, first and last day as day numbers.
    Own(i64, i64),
}

/// What the map derives from the situation, the filters and the range.
struct MarkerCache {
    key: (u64, TimelineFilters, Option<(i64, i64)>),
    points: Vec<EventPoint>,
    /// Events kept by the filters and the range that have no place to draw.
    unplaced: usize,
    /// Names of the admin-1 areas the data locate, at their centres.
    admin1: Vec<(String, LonLat)>,
    /// The events on the map by date, for the side list (sorted once, not every frame).
    by_date: Vec<usize>,
    /// The first and last day of the situation's events, for the range sliders.
    days_extent: Option<(i64, i64)>,
    /// The clusters at a cluster zoom, computed when the zoom changes.
    clusters: Option<(f64, Vec<Cluster>)>,
}

/// Something drawn that a click can hit.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Hit {
    /// An event drawn alone (index into `situation.events`).
    Event(usize),
    /// A cluster (index into the cache's clusters).
    Cluster(usize),
}

/// The runtime state of the map view.
pub struct MapState {
    memory: MapMemory,
    /// Fit the view to what is shown at the next frame.
    fit_requested: bool,
    /// Tile server requests are made only while this is on (off by default).
    pub online_tiles: bool,
    tiles: Option<walkers::HttpTiles>,
    /// The view in the last frame: where the map was on screen, and what it showed.
    pub last_view: Option<(Rect, Viewport)>,
    /// Keyboard commands for the next frame.
    pending: Vec<MapCommand>,
    /// Whether the map's keys are live: the pointer was over the map last frame.
    pub keys_active: bool,
    pub range: MapRange,
    cache: Option<MarkerCache>,
    /// What the last frame drew where, topmost last.
    drawn: Vec<(Pos2, f32, Hit)>,
    /// The cluster whose events the side list shows, by its first member's event index.
    focused: Option<usize>,
    /// The selection the view last reacted to (a newly selected line of effort is fitted).
    seen_selection: Option<ItemRef>,
    /// The places marked for the selected line of effort or actor, and the revision and
    /// selection they were found for (found again only when either changes).
    marked: Vec<(places::Located, String)>,
    marked_for: Option<(u64, ItemRef)>,
}

impl Default for MapState {
    fn default() -> Self {
        Self {
            memory: MapMemory::default(),
            fit_requested: true,
            online_tiles: false,
            tiles: None,
            last_view: None,
            pending: Vec::new(),
            keys_active: false,
            range: MapRange::FollowTimeline,
            cache: None,
            drawn: Vec::new(),
            focused: None,
            seen_selection: None,
            marked: Vec::new(),
            marked_for: None,
        }
    }
}

impl MapState {
    /// Queues a keyboard command for the next frame.
    pub fn run_command(&mut self, command: MapCommand) {
        self.pending.push(command);
    }

    /// Asks the next frame to fit what is shown.
    pub fn fit(&mut self) {
        self.fit_requested = true;
    }

    /// The zoom level of the map.
    pub fn zoom(&self) -> f64 {
        self.memory.zoom()
    }

    /// Whether the event is on the map (alone or in a cluster), as of the last frame.
    pub fn shows(&self, event_index: usize) -> bool {
        self.cache
            .as_ref()
            .is_some_and(|c| c.points.iter().any(|p| p.event == event_index))
    }

    /// Where the event's own marker was drawn in the last frame (not inside a cluster).
    pub fn screen_pos(&self, event_index: usize) -> Option<Pos2> {
        self.drawn
            .iter()
            .rev()
            .find(|(_, _, hit)| *hit == Hit::Event(event_index))
            .map(|(pos, _, _)| *pos)
    }

    /// The places marked in the last frame for the selected line of effort (where its work
    /// happens) or actor (where it is based), by their labels.
    pub fn marked_places(&self) -> Vec<String> {
        self.marked.iter().map(|(_, label)| label.clone()).collect()
    }

    /// How many events the map shows, and how many it cannot place.
    pub fn counts(&self) -> (usize, usize) {
        self.cache
            .as_ref()
            .map_or((0, 0), |c| (c.points.len(), c.unplaced))
    }

    fn run_pending(&mut self) {
        for command in std::mem::take(&mut self.pending) {
            match command {
                // At the deepest or shallowest zoom there is nothing more to do.
                MapCommand::ZoomIn => _ = self.memory.zoom_in(),
                MapCommand::ZoomOut => _ = self.memory.zoom_out(),
                MapCommand::Fit => self.fit_requested = true,
            }
        }
    }
}

/// Draws the map view.
pub fn map_ui(
    ui: &mut egui::Ui,
    state: &mut MapState,
    timeline: &mut TimelineState,
    ctx: &mut ViewCtx<'_>,
) {
    toolbar_ui(ui, state, timeline, ctx);
    let days = match state.range {
        MapRange::FollowTimeline => timeline
            .visible_days()
            .map(|(a, b)| (a.floor() as i64, b.ceil() as i64)),
        MapRange::Own(a, b) => Some((a, b)),
    };
    update_cache(state, &timeline.filters, days, ctx);
    range_ui(ui, state, timeline, days);
    egui::Panel::right("map_events")
        .resizable(true)
        .default_size(240.0)
        .min_size(180.0)
        .max_size(420.0)
        .show(ui, |ui| {
            ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Truncate);
            side_list_ui(ui, state, ctx);
        });
    egui::CentralPanel::default().show(ui, |ui| canvas_ui(ui, state, ctx));
}

/// Rebuilds the markers when the situation, the filters or the range changed.
fn update_cache(
    state: &mut MapState,
    filters: &TimelineFilters,
    days: Option<(i64, i64)>,
    ctx: &ViewCtx<'_>,
) {
    let key = (ctx.revision, filters.clone(), days);
    if state.cache.as_ref().is_some_and(|c| c.key == key) {
        return;
    }
    let locator = Locator::new(ctx.situation, BaseMap::world());
    let in_range = |e: &crate::model::Event| {
        days.is_none_or(|(from, to)| {
            let (first, last) = places::event_days(e);
            first <= to && last >= from
        })
    };
    let (points, unplaced) =
        places::event_points(ctx.situation, &locator, |e| filters.keeps(e) && in_range(e));
    let by_date = by_date(ctx.situation, points.iter().map(|p| p.event).collect());
    state.cache = Some(MarkerCache {
        key,
        points,
        unplaced,
        by_date,
        days_extent: places::days_extent(ctx.situation),
        admin1: locator.admin1_centers(),
        clusters: None,
    });
    state.focused = None;
}

fn toolbar_ui(
    ui: &mut egui::Ui,
    state: &mut MapState,
    timeline: &mut TimelineState,
    ctx: &mut ViewCtx<'_>,
) {
    ui.horizontal_wrapped(|ui| {
        ui.heading("Map");
        ui.separator();
        if ui
            .button("Fit")
            .on_hover_text("Show every place on the map (F or Home)")
            .clicked()
        {
            state.fit_requested = true;
        }
        ui.separator();
        super::timeline::filters_ui(ui, &mut timeline.filters, ctx.situation);
        ui.separator();
        ui.checkbox(&mut state.online_tiles, "Online tiles")
            .on_hover_text(
                "Draw OpenStreetMap's map under the outlines. Off by default: every tile \
                 requested tells OpenStreetMap's servers which area you are looking at.",
            );
        if state.online_tiles {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                "Online: OpenStreetMap sees the area you look at",
            );
        }
    });
}

/// Event indices sorted by date, then id.
fn by_date(situation: &crate::model::Situation, mut events: Vec<usize>) -> Vec<usize> {
    events.sort_by_key(|&i| situation.events.get(i).map(|e| (e.date, e.id.as_str())));
    events
}

/// The dates the map shows: follow the timeline, or its own range with two sliders.
fn range_ui(
    ui: &mut egui::Ui,
    state: &mut MapState,
    timeline: &TimelineState,
    days: Option<(i64, i64)>,
) {
    let Some((min, max)) = state.cache.as_ref().and_then(|c| c.days_extent) else {
        return;
    };
    ui.horizontal_wrapped(|ui| {
        let mut follow = state.range == MapRange::FollowTimeline;
        if ui
            .checkbox(&mut follow, "Follow the timeline")
            .on_hover_text("Show the events of the timeline's visible range")
            .changed()
        {
            state.range = if follow {
                MapRange::FollowTimeline
            } else {
                MapRange::Own(min, max)
            };
        }
        let (mut from, mut to) = days.unwrap_or((min, max));
        from = from.clamp(min, max);
        to = to.clamp(min, max);
        let date = |d: f64, _| axis::long_date(d as i64);
        let from_label = ui.label("From");
        let from_changed = ui
            .add(egui::Slider::new(&mut from, min..=max).custom_formatter(date))
            .labelled_by(from_label.id)
            .changed();
        let to_label = ui.label("to");
        let to_changed = ui
            .add(egui::Slider::new(&mut to, min..=max).custom_formatter(date))
            .labelled_by(to_label.id)
            .changed();
        if from_changed || to_changed {
            state.range = MapRange::Own(from.min(to), to.max(from));
        }
        let (shown, unplaced) = state.counts();
        ui.separator();
        ui.label(crate::text::counted(shown, "event", "events"));
        if unplaced > 0 {
            ui.weak(format!("({unplaced} without a place)"));
        }
        if timeline.visible_days().is_none() && state.range == MapRange::FollowTimeline {
            ui.weak("· every date (the timeline has not been shown yet)");
        }
    });
}

/// The side list: the focused cluster's events, or every event on the map, by date; clicking
/// one selects it.
fn side_list_ui(ui: &mut egui::Ui, state: &mut MapState, ctx: &mut ViewCtx<'_>) {
    let Some(cache) = &state.cache else {
        return;
    };
    let focused = state.focused.and_then(|first| {
        let (_, clusters) = cache.clusters.as_ref()?;
        clusters.iter().find(|c| {
            c.members
                .first()
                .and_then(|&m| cache.points.get(m))
                .map(|p| p.event)
                == Some(first)
        })
    });
    let situation = ctx.situation;
    let focused_events;
    let events: &[usize] = match focused {
        Some(c) => {
            let members = c.members.iter().filter_map(|&m| cache.points.get(m));
            focused_events = by_date(situation, members.map(|p| p.event).collect());
            &focused_events
        }
        None => &cache.by_date,
    };
    ui.add_space(4.0);
    ui.horizontal(|ui| {
        ui.heading(if focused.is_some() {
            "Here"
        } else {
            "On the map"
        });
        if focused.is_some() && ui.small_button("Show all").clicked() {
            state.focused = None;
        }
    });
    ui.label(crate::text::counted(events.len(), "event", "events"));
    let row_h = ui.text_style_height(&egui::TextStyle::Body) + ui.spacing().item_spacing.y;
    egui::ScrollArea::vertical()
        .id_salt("map_events_list")
        .auto_shrink([false, false])
        .show_rows(ui, row_h, events.len(), |ui, rows| {
            for &i in events.get(rows).unwrap_or_default() {
                let Some(e) = situation.events.get(i) else {
                    continue;
                };
                let selected = ctx.is_selected(ItemKind::Event, &e.id);
                ui.horizontal(|ui| {
                    let (rect, _) = ui.allocate_exact_size(vec2(10.0, 10.0), egui::Sense::hover());
                    paint_event_marker(ui.painter(), rect.center(), 4.0, e.kind, None);
                    let text = format!("{}  {}", e.date, e.title);
                    if ui.selectable_label(selected, text).clicked() {
                        ctx.push(Action::Select(Some(ItemRef::new(ItemKind::Event, &e.id))));
                    }
                });
            }
        });
}

/// The area to fit: the places on the map, else the situation's countries.
fn fit_area(state: &MapState, ctx: &ViewCtx<'_>) -> Option<GeoBox> {
    let map = BaseMap::world();
    let points = state
        .cache
        .as_ref()
        .and_then(|c| GeoBox::around(c.points.iter().map(|p| p.located.at)));
    let countries = map.extent_of(ctx.situation.countries.iter().map(String::as_str));
    match (points, countries) {
        (Some(p), Some(c)) => Some(p.union(c)),
        (p, c) => p.or(c),
    }
}

/// Where the selected line of effort's work happens, or where the selected actor is based.
fn selected_places(ctx: &ViewCtx<'_>) -> Vec<(places::Located, String)> {
    let Some(item) = ctx.selection else {
        return Vec::new();
    };
    let locator = Locator::new(ctx.situation, BaseMap::world());
    match item.kind {
        ItemKind::Line => places::line_places(ctx.situation, &item.id, &locator),
        ItemKind::Actor => ctx
            .situation
            .actor(&item.id)
            .and_then(|a| a.place.as_ref())
            .and_then(|p| Some((locator.locate(p)?, p.describe())))
            .into_iter()
            .collect(),
        _ => Vec::new(),
    }
}

fn canvas_ui(ui: &mut egui::Ui, state: &mut MapState, ctx: &mut ViewCtx<'_>) {
    state.run_pending();
    let marked_for = ctx.selection.clone().map(|item| (ctx.revision, item));
    if state.marked_for != marked_for {
        state.marked = selected_places(ctx);
        state.marked_for = marked_for;
    }
    let line_places = state.marked.clone();
    if state.seen_selection.as_ref() != ctx.selection.as_ref() {
        state.seen_selection = ctx.selection.clone();
        if let Some(area) = GeoBox::around(line_places.iter().map(|(l, _)| l.at)) {
            fit_to(state, area, ui.available_size());
        }
    }
    if std::mem::take(&mut state.fit_requested) {
        let area = fit_area(state, ctx).unwrap_or(GeoBox {
            min: LonLat::new(-20.0, -35.0),
            max: LonLat::new(52.0, 37.0),
        });
        fit_to(state, area, ui.available_size());
    }
    let tiles = if state.online_tiles {
        Some(state.tiles.get_or_insert_with(|| online_tiles(ui.ctx())))
    } else {
        None
    };
    let tiles = tiles.map(|t| t as &mut dyn walkers::Tiles);
    let online = tiles.is_some();
    let home = lon_lat(0.0, 0.0);
    let cache = state.cache.as_mut();
    let mut drawn = Vec::new();
    let response = walkers::Map::new(tiles, &mut state.memory, home)
        .double_click_to_zoom(true)
        .show(ui, |ui, response, projector, _memory| {
            let view = viewport(response.rect, projector);
            let painter = ui.painter().with_clip_rect(response.rect);
            paint_base(&painter, response.rect, &view, ctx, online);
            if let Some(cache) = cache {
                paint_admin1(&painter, response.rect, &view, cache);
                drawn = paint_markers(&painter, response.rect, &view, cache, ctx);
            }
            paint_line_places(&painter, response.rect, &view, &line_places);
            view
        });
    let view = response.inner;
    let response = response.response;
    state.drawn = drawn;
    state.keys_active = response.contains_pointer();
    state.last_view = Some((response.rect, view));
    let hit_at = |pos: Pos2| {
        state
            .drawn
            .iter()
            .rev()
            .find(|(c, r, _)| c.distance(pos) <= r + 3.0)
            .map(|(_, _, hit)| *hit)
    };
    if response.clicked()
        && let Some(pos) = response.interact_pointer_pos()
    {
        match hit_at(pos) {
            Some(Hit::Event(i)) => {
                if let Some(e) = ctx.situation.events.get(i) {
                    ctx.push(Action::Select(Some(ItemRef::new(ItemKind::Event, &e.id))));
                }
            }
            Some(Hit::Cluster(c)) => state.focused = first_event_of(state, c),
            None => state.focused = None,
        }
    }
    if let Some(pos) = response.hover_pos()
        && let Some(hit) = hit_at(pos)
    {
        let text = hover_text(state, hit, ctx);
        response.on_hover_text_at_pointer(text);
    }
}

fn fit_to(state: &mut MapState, area: GeoBox, size: egui::Vec2) {
    let view = Viewport::fit(area, size.x as f64, size.y as f64, 40.0, FIT_MAX_ZOOM);
    let center = unproject(view.center);
    state.memory.center_at(lon_lat(center.lon, center.lat));
    // The fit is within the zoom levels walkers accepts.
    _ = state.memory.set_zoom(view.zoom);
}

/// The event index of a cluster's first member (what `focused` remembers it by).
fn first_event_of(state: &MapState, cluster: usize) -> Option<usize> {
    let cache = state.cache.as_ref()?;
    let (_, clusters) = cache.clusters.as_ref()?;
    let first = *clusters.get(cluster)?.members.first()?;
    cache.points.get(first).map(|p| p.event)
}

fn hover_text(state: &MapState, hit: Hit, ctx: &ViewCtx<'_>) -> String {
    let situation = ctx.situation;
    let describe = |i: usize| {
        situation.events.get(i).map_or(String::new(), |e| {
            let place = e.place.as_ref().map(|p| p.describe()).unwrap_or_default();
            let deaths = match e.fatalities {
                Some(n) if e.kind == EventKind::Incident => format!(" · {n} killed"),
                _ => String::new(),
            };
            format!(
                "{} · {}\n{}{deaths}\n{place}",
                e.date,
                e.kind.label(),
                e.title
            )
        })
    };
    match hit {
        Hit::Event(i) => describe(i),
        Hit::Cluster(c) => {
            let Some(cache) = state.cache.as_ref() else {
                return String::new();
            };
            let Some(cluster) = cache.clusters.as_ref().and_then(|(_, all)| all.get(c)) else {
                return String::new();
            };
            let events = crate::text::counted(cluster.members.len(), "event", "events");
            let known = if region_only(cache, cluster) {
                " (known only to their region or country)"
            } else {
                ""
            };
            format!("{events} here{known}: click to list them, double-click to zoom in")
        }
    }
}

/// Paints the events as markers, nearby ones as clusters with a count; returns what was
/// drawn where, for clicks.
fn paint_markers(
    painter: &egui::Painter,
    rect: Rect,
    view: &Viewport,
    cache: &mut MarkerCache,
    ctx: &ViewCtx<'_>,
) -> Vec<(Pos2, f32, Hit)> {
    let zoom = cluster_zoom(view.zoom);
    if cache.clusters.as_ref().is_none_or(|(z, _)| *z != zoom) {
        let worlds: Vec<World> = cache.points.iter().map(|p| p.located.world).collect();
        cache.clusters = Some((zoom, cluster(&worlds, zoom, CLUSTER_RADIUS_PX)));
    }
    let Some((_, clusters)) = &cache.clusters else {
        return Vec::new();
    };
    let situation = ctx.situation;
    let visible = rect.expand(30.0);
    let to_screen = |w: World| {
        let (x, y) = view.to_screen(w);
        rect.min + vec2(x as f32, y as f32)
    };
    let mut drawn = Vec::new();
    let mut selected = None;
    for (index, c) in clusters.iter().enumerate() {
        let pos = to_screen(c.center);
        if !visible.contains(pos) {
            continue;
        }
        if let [only] = c.members[..] {
            let Some(point) = cache.points.get(only) else {
                continue;
            };
            let Some(e) = situation.events.get(point.event) else {
                continue;
            };
            if ctx.is_selected(ItemKind::Event, &e.id) {
                selected = Some((pos, point));
                continue;
            }
            let r = paint_event(painter, pos, point, e, None);
            drawn.push((pos, r, Hit::Event(point.event)));
        } else {
            let r = paint_cluster(painter, pos, c.members.len(), region_only(cache, c));
            drawn.push((pos, r, Hit::Cluster(index)));
            // The selected event stays visible inside its cluster.
            for point in c.members.iter().filter_map(|&m| cache.points.get(m)) {
                if situation
                    .events
                    .get(point.event)
                    .is_some_and(|e| ctx.is_selected(ItemKind::Event, &e.id))
                {
                    selected = Some((to_screen(point.located.world), point));
                }
            }
        }
    }
    if let Some((pos, point)) = selected
        && let Some(e) = situation.events.get(point.event)
    {
        let outline = Stroke::new(2.5, painter.ctx().global_style().visuals.text_color());
        let r = paint_event(painter, pos, point, e, Some(outline));
        drawn.push((pos, r, Hit::Event(point.event)));
    }
    drawn
}

/// One event's marker: its kind's symbol, larger for a deadlier incident; a ring around it
/// when its place is only near, and a ring alone (with a small symbol) when only the region
/// is known. Returns the radius a click hits.
fn paint_event(
    painter: &egui::Painter,
    pos: Pos2,
    point: &EventPoint,
    e: &crate::model::Event,
    outline: Option<Stroke>,
) -> f32 {
    let color = theme::event_color(e.kind);
    let scale = if e.kind == EventKind::Incident {
        places::fatality_scale(e.fatalities) as f32
    } else {
        1.0
    };
    let r = MARKER_RADIUS * scale;
    match point.located.precision {
        GeoPrecision::Exact => {
            paint_event_marker(painter, pos, r, e.kind, outline);
            r
        }
        GeoPrecision::Near => {
            painter.circle_stroke(pos, r + 4.0, Stroke::new(1.0, color.gamma_multiply(0.7)));
            paint_event_marker(painter, pos, r, e.kind, outline);
            r + 4.0
        }
        GeoPrecision::Region => {
            let ring = r + 9.0;
            painter.circle_filled(pos, ring, color.gamma_multiply(0.12));
            painter.circle_stroke(pos, ring, Stroke::new(2.0, color.gamma_multiply(0.8)));
            paint_event_marker(painter, pos, 3.5, e.kind, outline);
            ring
        }
    }
}

/// Whether every member of the cluster is known only to its region or country.
fn region_only(cache: &MarkerCache, cluster: &Cluster) -> bool {
    cluster.members.iter().all(|&m| {
        cache
            .points
            .get(m)
            .is_some_and(|p| p.located.precision == GeoPrecision::Region)
    })
}

/// A cluster: a disc sized by its count, with the count. When every member is known only to
/// its region or country, the disc sits in a wide ring, as a single such event does.
/// Returns the radius a click hits.
fn paint_cluster(painter: &egui::Painter, pos: Pos2, count: usize, region_only: bool) -> f32 {
    let r = (10.0 + 2.0 * (count as f32).log2()).min(26.0);
    let fill = Color32::from_rgb(0x3b, 0x46, 0x55);
    let outer = if region_only {
        let ring = r + 9.0;
        let edge = Color32::from_rgb(0x9a, 0xa8, 0xb8);
        painter.circle_filled(pos, ring, edge.gamma_multiply(0.15));
        painter.circle_stroke(pos, ring, Stroke::new(2.0, edge));
        ring
    } else {
        painter.circle_filled(pos, r + 3.0, fill.gamma_multiply(0.3));
        r
    };
    painter.circle(pos, r, fill, Stroke::new(1.5, Color32::WHITE));
    painter.text(
        pos,
        egui::Align2::CENTER_CENTER,
        count.to_string(),
        egui::FontId::proportional(12.0),
        Color32::WHITE,
    );
    outer
}

/// Names the admin-1 areas the data locate, once zoomed in enough.
fn paint_admin1(painter: &egui::Painter, rect: Rect, view: &Viewport, cache: &MarkerCache) {
    if view.zoom < ADMIN1_LABEL_ZOOM {
        return;
    }
    let color = painter.ctx().global_style().visuals.weak_text_color();
    for (name, at) in &cache.admin1 {
        let (x, y) = view.to_screen(project(*at));
        let pos = rect.min + vec2(x as f32, y as f32);
        if rect.contains(pos) {
            painter.text(
                pos + vec2(0.0, 16.0),
                egui::Align2::CENTER_TOP,
                name,
                egui::FontId::proportional(11.5),
                color,
            );
        }
    }
}

/// Where the selected line of effort's work happens (or the selected actor is based): a
/// labelled square at each place.
fn paint_line_places(
    painter: &egui::Painter,
    rect: Rect,
    view: &Viewport,
    line_places: &[(places::Located, String)],
) {
    let color = theme::role_color(crate::model::Role::Lead);
    for (located, label) in line_places {
        let (x, y) = view.to_screen(located.world);
        let pos = rect.min + vec2(x as f32, y as f32);
        let size = if located.precision == GeoPrecision::Region {
            22.0
        } else {
            12.0
        };
        let square = Rect::from_center_size(pos, egui::Vec2::splat(size));
        painter.rect_filled(square, 3.0, color.gamma_multiply(0.25));
        painter.rect_stroke(
            square,
            3.0,
            Stroke::new(2.0, color),
            egui::StrokeKind::Middle,
        );
        painter.text(
            pos + vec2(size / 2.0 + 4.0, 0.0),
            egui::Align2::LEFT_CENTER,
            label,
            egui::FontId::proportional(12.0),
            color,
        );
    }
}

/// The map's view as `analysis::geo` sees it.
fn viewport(rect: Rect, projector: &Projector) -> Viewport {
    let center = projector.unproject(rect.center().to_vec2());
    Viewport {
        center: project(LonLat::new(center.x(), center.y())),
        zoom: projector.zoom(),
        width: rect.width() as f64,
        height: rect.height() as f64,
    }
}

/// Colours of the base map in the current theme.
struct BaseColors {
    sea: Color32,
    land: Color32,
    highlight: Color32,
    coast: Color32,
    border: Color32,
    highlight_outline: Color32,
}

impl BaseColors {
    fn new(dark: bool) -> Self {
        if dark {
            Self {
                sea: Color32::from_rgb(0x1b, 0x24, 0x2e),
                land: Color32::from_rgb(0x33, 0x36, 0x3a),
                highlight: Color32::from_rgb(0x4a, 0x45, 0x33),
                coast: Color32::from_rgb(0x5d, 0x6d, 0x7e),
                border: Color32::from_rgb(0x6a, 0x6a, 0x6a),
                highlight_outline: Color32::from_rgb(0xc9, 0xa2, 0x4a),
            }
        } else {
            Self {
                sea: Color32::from_rgb(0xdc, 0xe9, 0xf2),
                land: Color32::from_rgb(0xf4, 0xf1, 0xea),
                highlight: Color32::from_rgb(0xfb, 0xec, 0xc4),
                coast: Color32::from_rgb(0x8b, 0xa7, 0xbd),
                border: Color32::from_rgb(0xb0, 0xa8, 0x9a),
                highlight_outline: Color32::from_rgb(0xa8, 0x7a, 0x1c),
            }
        }
    }
}

/// Paints the offline base map: sea, land, the situation's countries highlighted, borders,
/// coastlines and the highlighted countries' names. Over online tiles, only the highlighted
/// countries' outlines.
fn paint_base(
    painter: &egui::Painter,
    rect: Rect,
    view: &Viewport,
    ctx: &ViewCtx<'_>,
    online: bool,
) {
    let map = BaseMap::world();
    let colors = BaseColors::new(painter.ctx().global_style().visuals.dark_mode);
    let highlighted = |code: &str| {
        !code.is_empty()
            && ctx
                .situation
                .countries
                .iter()
                .any(|c| c.trim().eq_ignore_ascii_case(code))
    };
    let origin = rect.min.to_vec2();
    let to_pos = |p: [f32; 2]| pos2(p[0], p[1]) + origin;
    if !online {
        painter.rect_filled(rect, 0.0, colors.sea);
        let mut land = Mesh::default();
        let mut marked = Mesh::default();
        let fills = map.fills();
        for (index, country) in layer::countries_in_view(map, view) {
            let Some(fill) = fills.get(index) else {
                continue;
            };
            let (mesh, color) = if highlighted(&country.code) {
                (&mut marked, colors.highlight)
            } else {
                (&mut land, colors.land)
            };
            add_fill(mesh, fill, view, origin, color);
        }
        painter.add(Shape::mesh(land));
        painter.add(Shape::mesh(marked));
        let outlines = layer::outlines(map, view, 0.8);
        add_lines(
            painter,
            &outlines.borders,
            Stroke::new(0.8, colors.border),
            to_pos,
        );
        add_lines(
            painter,
            &outlines.coasts,
            Stroke::new(1.0, colors.coast),
            to_pos,
        );
    }
    let outline = Stroke::new(1.6, colors.highlight_outline);
    for (_, country) in layer::countries_in_view(map, view).filter(|(_, c)| highlighted(&c.code)) {
        let rings = layer::country_rings(map, country, view, 0.8);
        add_lines(painter, &rings, outline, to_pos);
    }
    paint_country_names(painter, rect, view, &highlighted, &colors);
}

/// Names the countries whose centre is in view: the situation's in their outline's colour,
/// their neighbours smaller and fainter once zoomed in enough to read them.
fn paint_country_names(
    painter: &egui::Painter,
    rect: Rect,
    view: &Viewport,
    highlighted: &dyn Fn(&str) -> bool,
    colors: &BaseColors,
) {
    let map = BaseMap::world();
    for (_, country) in layer::countries_in_view(map, view) {
        let (x, y) = view.to_screen(project(country.center));
        let pos = rect.min + vec2(x as f32, y as f32);
        if !rect.shrink(20.0).contains(pos) {
            continue;
        }
        let (size, color) = if highlighted(&country.code) {
            (14.0, colors.highlight_outline)
        } else if view.zoom >= 4.0 {
            (11.0, colors.border)
        } else {
            continue;
        };
        painter.text(
            pos - vec2(0.0, 22.0),
            egui::Align2::CENTER_BOTTOM,
            &country.name,
            egui::FontId::proportional(size),
            color,
        );
    }
}

/// Adds a country's triangles, placed on screen, to a mesh.
fn add_fill(
    mesh: &mut Mesh,
    fill: &crate::analysis::geo::basemap::Fill,
    view: &Viewport,
    origin: egui::Vec2,
    color: Color32,
) {
    let base = mesh.vertices.len() as u32;
    mesh.vertices.extend(fill.vertices.iter().map(|w: &World| {
        let (x, y) = view.to_screen(*w);
        egui::epaint::Vertex {
            pos: pos2(x as f32, y as f32) + origin,
            uv: egui::epaint::WHITE_UV,
            color,
        }
    }));
    mesh.indices.extend(fill.indices.iter().map(|i| base + i));
}

fn add_lines(
    painter: &egui::Painter,
    lines: &[ScreenLine],
    stroke: Stroke,
    to_pos: impl Fn([f32; 2]) -> Pos2,
) {
    for line in lines {
        let points: Vec<Pos2> = line.iter().map(|p| to_pos(*p)).collect();
        painter.add(Shape::line(points, stroke));
    }
}

/// OpenStreetMap's tiles, fetched over HTTPS once the user turns them on.
fn online_tiles(ctx: &egui::Context) -> walkers::HttpTiles {
    // reqwest is built without a TLS provider of its own (walkers' default one, aws-lc, needs
    // a long C build); ring's is installed here, once. A second install is refused, harmlessly.
    _ = rustls::crypto::ring::default_provider().install_default();
    walkers::HttpTiles::new(walkers::sources::OpenStreetMap, ctx.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn turning_online_tiles_on_builds_a_client_without_fetching_anything() {
        // reqwest panics when no TLS provider is installed; online_tiles installs ring's.
        let tiles = online_tiles(&egui::Context::default());
        assert_eq!(walkers::Tiles::tile_size(&tiles), 256);
        let again = online_tiles(&egui::Context::default());
        assert!(
            walkers::Tiles::attribution(&again)
                .text
                .contains("OpenStreetMap")
        );
    }

    #[test]
    fn the_viewport_matches_walkers_projection() {
        let mut memory = MapMemory::default();
        memory.center_at(lon_lat(-11.0, 10.0));
        _ = memory.set_zoom(6.3);
        let rect = Rect::from_min_size(pos2(100.0, 50.0), vec2(800.0, 600.0));
        let projector = Projector::new(
            rect,
            &walkers::MercatorProjection,
            &memory,
            lon_lat(0.0, 0.0),
        );
        let view = viewport(rect, &projector);
        for (lon, lat) in [(-13.68, 9.54), (-8.82, 7.75), (-11.0, 10.0)] {
            let theirs = projector.project(lon_lat(lon, lat));
            let (x, y) = view.to_screen(project(LonLat::new(lon, lat)));
            let ours = vec2(x as f32, y as f32) + rect.min.to_vec2();
            assert!((theirs - ours).length() < 0.01, "{theirs:?} vs {ours:?}");
        }
    }
}
