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
use super::timeline::TimelineState;
use crate::analysis::geo::layer::{self, ScreenLine};
use crate::analysis::geo::{BaseMap, GeoBox, LonLat, Viewport, World, project, unproject};

/// The deepest zoom a fit goes to: a town and its surroundings.
const FIT_MAX_ZOOM: f64 = 11.0;

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
    egui::CentralPanel::default().show(ui, |ui| canvas_ui(ui, state, ctx));
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

/// The area to fit: the situation's countries.
fn fit_area(ctx: &ViewCtx<'_>) -> Option<GeoBox> {
    let map = BaseMap::world();
    map.extent_of(ctx.situation.countries.iter().map(String::as_str))
}

fn canvas_ui(ui: &mut egui::Ui, state: &mut MapState, ctx: &mut ViewCtx<'_>) {
    state.run_pending();
    let size = ui.available_size();
    if std::mem::take(&mut state.fit_requested) {
        let area = fit_area(ctx).unwrap_or(GeoBox {
            min: LonLat::new(-20.0, -35.0),
            max: LonLat::new(52.0, 37.0),
        });
        let view = Viewport::fit(area, size.x as f64, size.y as f64, 30.0, FIT_MAX_ZOOM);
        let center = unproject(view.center);
        state.memory.center_at(lon_lat(center.lon, center.lat));
        // The fit is within the zoom levels walkers accepts.
        _ = state.memory.set_zoom(view.zoom);
    }
    let tiles = if state.online_tiles {
        Some(state.tiles.get_or_insert_with(|| online_tiles(ui.ctx())))
    } else {
        None
    };
    let tiles = tiles.map(|t| t as &mut dyn walkers::Tiles);
    let online = tiles.is_some();
    let home = lon_lat(0.0, 0.0);
    let response = walkers::Map::new(tiles, &mut state.memory, home).show(
        ui,
        |ui, response, projector, _memory| {
            let view = viewport(response.rect, projector);
            let painter = ui.painter().with_clip_rect(response.rect);
            paint_base(&painter, response.rect, &view, ctx, online);
            view
        },
    );
    let view = response.inner;
    state.keys_active = response.response.contains_pointer();
    state.last_view = Some((response.response.rect, view));
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
            pos,
            egui::Align2::CENTER_CENTER,
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
