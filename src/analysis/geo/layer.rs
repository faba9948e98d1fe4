//! The base map as seen through a [`Viewport`]: what is in view, in screen coordinates, with
//! points closer than a pixel dropped. The map view turns it into egui shapes, the papers'
//! map figure into SVG paths.

use super::basemap::{BaseMap, Country};
use super::projection::{GeoBox, Viewport, World, project};

/// A polyline or ring on screen, from the viewport's top-left corner.
pub type ScreenLine = Vec<[f32; 2]>;

/// The coastlines and borders in view.
#[derive(Clone, Debug, Default)]
pub struct Outlines {
    pub coasts: Vec<ScreenLine>,
    pub borders: Vec<ScreenLine>,
}

/// The visible part of the globe with a margin, so that lines leaving the view are kept.
fn padded_visible(view: &Viewport) -> GeoBox {
    let v = view.visible();
    let pad_lon = (v.max.lon - v.min.lon) * 0.05;
    let pad_lat = (v.max.lat - v.min.lat) * 0.05;
    GeoBox {
        min: super::LonLat::new(v.min.lon - pad_lon, v.min.lat - pad_lat),
        max: super::LonLat::new(v.max.lon + pad_lon, v.max.lat + pad_lat),
    }
}

/// Projects points onto the screen, dropping each within `min_px` of the last one kept (the
/// last point is always kept, so rings stay closed).
pub fn screen_line(view: &Viewport, points: &[World], min_px: f32) -> ScreenLine {
    let mut out: ScreenLine = Vec::with_capacity(points.len().min(4096));
    let last = points.len().saturating_sub(1);
    for (i, w) in points.iter().enumerate() {
        let (x, y) = view.to_screen(*w);
        let p = [x as f32, y as f32];
        if let Some(prev) = out.last()
            && i != last
            && (p[0] - prev[0]).abs() < min_px
            && (p[1] - prev[1]).abs() < min_px
        {
            continue;
        }
        out.push(p);
    }
    out
}

/// Every coastline and border that crosses the view.
pub fn outlines(map: &BaseMap, view: &Viewport, min_px: f32) -> Outlines {
    let visible = padded_visible(view);
    let mut out = Outlines::default();
    for arc in map.arcs.iter().filter(|a| a.bounds.intersects(&visible)) {
        let line = screen_line(view, &arc.world, min_px);
        if line.len() < 2 {
            continue;
        }
        if arc.border {
            out.borders.push(line);
        } else {
            out.coasts.push(line);
        }
    }
    out
}

/// The countries that cross the view, by index into `map.countries`.
pub fn countries_in_view<'a>(
    map: &'a BaseMap,
    view: &Viewport,
) -> impl Iterator<Item = (usize, &'a Country)> {
    let visible = padded_visible(view);
    map.countries
        .iter()
        .enumerate()
        .filter(move |(_, c)| c.bounds.intersects(&visible))
}

/// A country's rings (outlines, then holes, piece by piece) on screen.
pub fn country_rings(
    map: &BaseMap,
    country: &Country,
    view: &Viewport,
    min_px: f32,
) -> Vec<ScreenLine> {
    country
        .polygons
        .iter()
        .flat_map(|p| p.rings.iter())
        .map(|ring| {
            let world: Vec<World> = map.ring_points(ring).into_iter().map(project).collect();
            screen_line(view, &world, min_px)
        })
        .filter(|ring| ring.len() >= 3)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::geo::LonLat;

    fn guinea_view() -> Viewport {
        let map = BaseMap::world();
        let extent = map.extent_of(["GIN"]).expect("Guinea");
        Viewport::fit(extent, 800.0, 600.0, 20.0, 12.0)
    }

    #[test]
    fn a_country_view_keeps_its_neighbourhood_only() {
        let map = BaseMap::world();
        let view = guinea_view();
        let names: Vec<&str> = countries_in_view(map, &view)
            .map(|(_, c)| c.name.as_str())
            .collect();
        for neighbour in ["Guinea", "Sierra Leone", "Liberia", "Mali", "Senegal"] {
            assert!(
                names.contains(&neighbour),
                "{neighbour} missing from {names:?}"
            );
        }
        // (France is in: French Guiana and Réunion put its extent around West Africa.)
        assert!(!names.contains(&"Kenya") && !names.contains(&"Japan"));
        let lines = outlines(map, &view, 0.5);
        assert!(!lines.coasts.is_empty() && !lines.borders.is_empty());
        // Far fewer arcs than the whole world's.
        assert!(lines.coasts.len() + lines.borders.len() < map.arcs.len() / 5);
    }

    #[test]
    fn lines_are_thinned_to_the_pixel_but_keep_their_ends() {
        let map = BaseMap::world();
        let world_view = Viewport::fit(
            GeoBox {
                min: LonLat::new(-180.0, -60.0),
                max: LonLat::new(180.0, 80.0),
            },
            800.0,
            500.0,
            0.0,
            4.0,
        );
        let gin = map.countries_with_code("GIN").next().expect("Guinea");
        let near = country_rings(map, gin, &guinea_view(), 0.5);
        let far = country_rings(map, gin, &world_view, 0.5);
        let count = |rings: &[ScreenLine]| rings.iter().map(Vec::len).sum::<usize>();
        assert!(
            count(&far) < count(&near) / 4,
            "{} vs {}",
            count(&far),
            count(&near)
        );
        for ring in near.iter().chain(&far) {
            let (first, last) = (ring[0], ring[ring.len() - 1]);
            assert!((first[0] - last[0]).abs() < 1e-3 && (first[1] - last[1]).abs() < 1e-3);
        }
        // Guinea's outline lies inside the fitted view.
        for p in near.iter().flatten() {
            assert!(
                (19.0..=781.0).contains(&p[0]) && (19.0..=581.0).contains(&p[1]),
                "{p:?}"
            );
        }
    }
}
