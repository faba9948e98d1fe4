//! Web Mercator, the projection of slippy maps (and of `walkers`, which draws the map view),
//! and the viewport arithmetic the map view and the papers' map figure share.
//!
//! A [`World`] point is on the unit square: x from 0 (180° W) to 1 (180° E), y from 0 (the
//! top, ≈85° N) to 1 (≈85° S). At zoom `z` the square is [`world_pixels`]`(z)` pixels wide.

use std::f64::consts::PI;

/// The latitude at which Web Mercator's square ends (its top and bottom edges).
pub const MAX_LATITUDE: f64 = 85.051_128_779_806_59;

/// A point on the globe in degrees: longitude east, latitude north.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LonLat {
    pub lon: f64,
    pub lat: f64,
}

impl LonLat {
    pub fn new(lon: f64, lat: f64) -> Self {
        Self { lon, lat }
    }
}

/// A point on the unit Web Mercator square.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct World {
    pub x: f64,
    pub y: f64,
}

impl World {
    pub fn new(x: f64, y: f64) -> Self {
        Self { x, y }
    }
}

/// Projects a longitude and latitude onto the unit square. Latitudes beyond
/// [`MAX_LATITUDE`] land on its edge, as on every slippy map.
pub fn project(p: LonLat) -> World {
    let lat = p.lat.clamp(-MAX_LATITUDE, MAX_LATITUDE).to_radians();
    World {
        x: (p.lon + 180.0) / 360.0,
        y: (1.0 - lat.tan().asinh() / PI) / 2.0,
    }
}

/// The longitude and latitude of a point of the unit square.
pub fn unproject(w: World) -> LonLat {
    LonLat {
        lon: w.x * 360.0 - 180.0,
        lat: (PI * (1.0 - 2.0 * w.y)).sinh().atan().to_degrees(),
    }
}

/// How many pixels wide the whole world is at `zoom`: 256 × 2^zoom, so that zoom 0 is one
/// 256-pixel tile, as on every slippy map.
pub fn world_pixels(zoom: f64) -> f64 {
    256.0 * zoom.exp2()
}

/// An area of the globe, in degrees.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GeoBox {
    pub min: LonLat,
    pub max: LonLat,
}

impl GeoBox {
    /// The box around one point.
    pub fn point(p: LonLat) -> Self {
        Self { min: p, max: p }
    }

    /// The smallest box holding every point, or `None` for no point.
    pub fn around(points: impl IntoIterator<Item = LonLat>) -> Option<Self> {
        let mut points = points.into_iter();
        let first = points.next()?;
        Some(points.fold(Self::point(first), |b, p| b.with(p)))
    }

    /// This box grown to hold `p`.
    pub fn with(self, p: LonLat) -> Self {
        Self {
            min: LonLat::new(self.min.lon.min(p.lon), self.min.lat.min(p.lat)),
            max: LonLat::new(self.max.lon.max(p.lon), self.max.lat.max(p.lat)),
        }
    }

    /// The smallest box holding both.
    pub fn union(self, other: Self) -> Self {
        self.with(other.min).with(other.max)
    }

    pub fn center(&self) -> LonLat {
        LonLat::new(
            (self.min.lon + self.max.lon) / 2.0,
            (self.min.lat + self.max.lat) / 2.0,
        )
    }

    /// Whether the two boxes share any point.
    pub fn intersects(&self, other: &Self) -> bool {
        self.min.lon <= other.max.lon
            && other.min.lon <= self.max.lon
            && self.min.lat <= other.max.lat
            && other.min.lat <= self.max.lat
    }

    pub fn contains(&self, p: LonLat) -> bool {
        (self.min.lon..=self.max.lon).contains(&p.lon)
            && (self.min.lat..=self.max.lat).contains(&p.lat)
    }
}

/// A rectangular view onto the map: its centre, zoom and size in pixels. Screen positions are
/// relative to the view's top-left corner.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Viewport {
    pub center: World,
    pub zoom: f64,
    pub width: f64,
    pub height: f64,
}

impl Viewport {
    /// The view of `width` × `height` pixels that shows `area` whole, as large as it fits with
    /// `margin` pixels to spare on every side, zoomed in no further than `max_zoom`.
    pub fn fit(area: GeoBox, width: f64, height: f64, margin: f64, max_zoom: f64) -> Self {
        let a = project(LonLat::new(area.min.lon, area.max.lat));
        let b = project(LonLat::new(area.max.lon, area.min.lat));
        let span_x = (b.x - a.x).abs().max(1e-9);
        let span_y = (b.y - a.y).abs().max(1e-9);
        let usable_w = (width - 2.0 * margin).max(1.0);
        let usable_h = (height - 2.0 * margin).max(1.0);
        // The world width (in pixels) at which the area just fits, as a zoom level.
        let fit_pixels = (usable_w / span_x).min(usable_h / span_y);
        let zoom = (fit_pixels / 256.0).log2().clamp(0.0, max_zoom);
        Self {
            center: World::new((a.x + b.x) / 2.0, (a.y + b.y) / 2.0),
            zoom,
            width,
            height,
        }
    }

    /// Pixels per unit of the world square at this zoom.
    pub fn scale(&self) -> f64 {
        world_pixels(self.zoom)
    }

    /// Where a point of the world square is drawn, from the view's top-left corner.
    pub fn to_screen(&self, w: World) -> (f64, f64) {
        let s = self.scale();
        (
            self.width / 2.0 + (w.x - self.center.x) * s,
            self.height / 2.0 + (w.y - self.center.y) * s,
        )
    }

    /// The point of the world square under a screen position.
    pub fn to_world(&self, x: f64, y: f64) -> World {
        let s = self.scale();
        World::new(
            self.center.x + (x - self.width / 2.0) / s,
            self.center.y + (y - self.height / 2.0) / s,
        )
    }

    /// The part of the globe in view (clamped to the Mercator square).
    pub fn visible(&self) -> GeoBox {
        let top_left = self.to_world(0.0, 0.0);
        let bottom_right = self.to_world(self.width, self.height);
        let clamp = |w: World| World::new(w.x.clamp(0.0, 1.0), w.y.clamp(0.0, 1.0));
        let a = unproject(clamp(top_left));
        let b = unproject(clamp(bottom_right));
        GeoBox {
            min: LonLat::new(a.lon, b.lat),
            max: LonLat::new(b.lon, a.lat),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tolerance: f64) -> bool {
        (a - b).abs() <= tolerance
    }

    #[test]
    fn known_points_land_where_slippy_maps_put_them() {
        let origin = project(LonLat::new(0.0, 0.0));
        assert!(close(origin.x, 0.5, 1e-12) && close(origin.y, 0.5, 1e-12));
        let top_left = project(LonLat::new(-180.0, MAX_LATITUDE));
        assert!(close(top_left.x, 0.0, 1e-12) && close(top_left.y, 0.0, 1e-9));
        // Conakry (9.54° N, 13.68° W): tile 7/59/60, as OpenStreetMap numbers it.
        let conakry = project(LonLat::new(-13.6773, 9.5370));
        assert_eq!((conakry.x * 128.0) as u32, 59);
        assert_eq!((conakry.y * 128.0) as u32, 60);
        // North is up: a northern point has a smaller y.
        assert!(project(LonLat::new(0.0, 10.0)).y < project(LonLat::new(0.0, -10.0)).y);
    }

    #[test]
    fn unproject_undoes_project() {
        for (lon, lat) in [
            (-13.68, 9.54),
            (36.82, -1.29),
            (29.22, -1.68),
            (179.9, -84.0),
        ] {
            let back = unproject(project(LonLat::new(lon, lat)));
            assert!(close(back.lon, lon, 1e-9), "{lon} → {}", back.lon);
            assert!(close(back.lat, lat, 1e-9), "{lat} → {}", back.lat);
        }
    }

    #[test]
    fn poles_land_on_the_square_s_edges() {
        assert!(close(project(LonLat::new(0.0, 90.0)).y, 0.0, 1e-9));
        assert!(close(project(LonLat::new(0.0, -90.0)).y, 1.0, 1e-9));
    }

    #[test]
    fn a_fitted_view_shows_the_whole_area_with_its_margin() {
        // Guinea's extent.
        let guinea = GeoBox {
            min: LonLat::new(-15.08, 7.19),
            max: LonLat::new(-7.64, 12.68),
        };
        let view = Viewport::fit(guinea, 800.0, 500.0, 20.0, 18.0);
        for corner in [guinea.min, guinea.max] {
            let (x, y) = view.to_screen(project(corner));
            assert!((19.9..=780.1).contains(&x), "x {x}");
            assert!((19.9..=480.1).contains(&y), "y {y}");
        }
        // It fits tightly on one axis: the area spans the usable width or height.
        let (x0, y0) = view.to_screen(project(LonLat::new(guinea.min.lon, guinea.max.lat)));
        let (x1, y1) = view.to_screen(project(LonLat::new(guinea.max.lon, guinea.min.lat)));
        assert!(close(x1 - x0, 760.0, 0.5) || close(y1 - y0, 460.0, 0.5));
        assert!(view.visible().contains(guinea.center()));
    }

    #[test]
    fn a_single_point_is_fitted_at_the_zoom_limit() {
        let view = Viewport::fit(
            GeoBox::point(LonLat::new(-13.68, 9.54)),
            400.0,
            300.0,
            10.0,
            9.0,
        );
        assert_eq!(view.zoom, 9.0);
        let (x, y) = view.to_screen(project(LonLat::new(-13.68, 9.54)));
        assert!(close(x, 200.0, 1e-6) && close(y, 150.0, 1e-6));
    }

    #[test]
    fn screen_and_world_positions_convert_both_ways() {
        let view = Viewport {
            center: World::new(0.46, 0.47),
            zoom: 6.5,
            width: 640.0,
            height: 480.0,
        };
        let w = view.to_world(123.0, 456.0);
        let (x, y) = view.to_screen(w);
        assert!(close(x, 123.0, 1e-6) && close(y, 456.0, 1e-6));
        // One zoom level doubles distances on screen.
        let (ax, _) = view.to_screen(World::new(0.5, 0.47));
        let zoomed = Viewport { zoom: 7.5, ..view };
        let (bx, _) = zoomed.to_screen(World::new(0.5, 0.47));
        assert!(close(bx - 320.0, 2.0 * (ax - 320.0), 1e-6));
    }
}
