//! The papers' map figure: where the situation's events happened, over the offline base map,
//! as an SVG. Drawn from the situation the audience may see (already redacted), so a
//! left-out event leaves no marker.

use std::fmt::Write as _;

use crate::analysis::geo::layer::{self, ScreenLine};
use crate::analysis::geo::places::{self, EventPoint, Locator};
use crate::analysis::geo::{BaseMap, GeoBox, Viewport, World, cluster, project};
use crate::model::{EventKind, GeoPrecision, Situation};
use crate::palette;

/// Markers closer than this on the figure are drawn as one, with a count.
const CLUSTER_RADIUS_PX: f64 = 16.0;

/// The figure, `width` × `height` pixels, or `None` when no event has a place to draw.
pub fn map_svg(situation: &Situation, width: f64, height: f64) -> Option<String> {
    let map = BaseMap::world();
    let locator = Locator::new(situation, map);
    let (points, _) = places::event_points(situation, &locator, |_| true);
    let area = GeoBox::around(points.iter().map(|p| p.located.at))?;
    let area = map
        .extent_of(situation.countries.iter().map(String::as_str))
        .map_or(area, |c| c.union(area));
    let view = Viewport::fit(area, width, height, 24.0, 10.0);
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" \
         width=\"{width}\" height=\"{height}\" style=\"max-width:100%;height:auto\" \
         role=\"img\" \
         aria-label=\"Map of where the events happened\">"
    );
    base(&mut svg, map, &view, situation);
    markers(&mut svg, situation, &points, &view);
    svg.push_str("</svg>");
    Some(svg)
}

fn path_data(lines: &[ScreenLine], close: bool) -> String {
    let mut d = String::new();
    for line in lines {
        for (i, [x, y]) in line.iter().enumerate() {
            let _ = write!(d, "{}{x:.1} {y:.1}", if i == 0 { "M" } else { "L" });
        }
        if close {
            d.push('Z');
        }
    }
    d
}

fn base(svg: &mut String, map: &BaseMap, view: &Viewport, situation: &Situation) {
    let _ = write!(
        svg,
        "<rect width=\"100%\" height=\"100%\" fill=\"#dce9f2\"/>"
    );
    let highlighted = |code: &str| {
        !code.is_empty()
            && situation
                .countries
                .iter()
                .any(|c| c.trim().eq_ignore_ascii_case(code))
    };
    let mut labels = String::new();
    for (_, country) in layer::countries_in_view(map, view) {
        let rings = layer::country_rings(map, country, view, 0.6);
        if rings.is_empty() {
            continue;
        }
        let (fill, stroke, width) = if highlighted(&country.code) {
            ("#fbecc4", "#a87a1c", 1.4)
        } else {
            ("#f4f1ea", "#b0a89a", 0.6)
        };
        let _ = write!(
            svg,
            "<path d=\"{}\" fill=\"{fill}\" fill-rule=\"evenodd\" stroke=\"{stroke}\" \
             stroke-width=\"{width}\"/>",
            path_data(&rings, true)
        );
        let (x, y) = view.to_screen(project(country.center));
        let (size, color) = if highlighted(&country.code) {
            (13, "#a87a1c")
        } else {
            (10, "#8d8578")
        };
        // A name near an edge moves in so that it shows whole (DejaVu Sans averages under
        // 0.62 em a letter).
        let half = 0.31 * f64::from(size) * country.name.chars().count() as f64;
        if (0.0..=view.width).contains(&x) && (24.0..=view.height).contains(&y) {
            let x = x.clamp(half + 2.0, (view.width - half - 2.0).max(half + 2.0));
            let _ = write!(
                labels,
                "<text x=\"{x:.1}\" y=\"{:.1}\" font-size=\"{size}\" fill=\"{color}\" \
                 text-anchor=\"middle\" font-family=\"DejaVu Sans, sans-serif\">{}</text>",
                y - 20.0,
                escape(&country.name)
            );
        }
    }
    let coasts = layer::outlines(map, view, 0.6).coasts;
    let _ = write!(
        svg,
        "<path d=\"{}\" fill=\"none\" stroke=\"#8ba7bd\" stroke-width=\"0.8\"/>",
        path_data(&coasts, false)
    );
    svg.push_str(&labels);
}

fn markers(svg: &mut String, situation: &Situation, points: &[EventPoint], view: &Viewport) {
    let worlds: Vec<World> = points.iter().map(|p| p.located.world).collect();
    for c in cluster(&worlds, view.zoom, CLUSTER_RADIUS_PX) {
        let (x, y) = view.to_screen(c.center);
        if let [only] = c.members[..] {
            let Some(point) = points.get(only) else {
                continue;
            };
            let Some(e) = situation.events.get(point.event) else {
                continue;
            };
            let scale = if e.kind == EventKind::Incident {
                places::fatality_scale(e.fatalities)
            } else {
                1.0
            };
            marker(svg, x, y, 5.0 * scale, e.kind, point.located.precision);
        } else {
            let region_only = c.members.iter().all(|&m| {
                points
                    .get(m)
                    .is_some_and(|p| p.located.precision == GeoPrecision::Region)
            });
            if region_only {
                // Known only to their region or country: in a ring, as a single such event.
                let _ = write!(
                    svg,
                    "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"17\" fill=\"#3b4655\" \
                     fill-opacity=\"0.12\" stroke=\"#3b4655\" stroke-width=\"2\"/>"
                );
            }
            let _ = write!(
                svg,
                "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"10\" fill=\"#3b4655\" stroke=\"#ffffff\" \
                 stroke-width=\"1.5\"/><text x=\"{x:.1}\" y=\"{:.1}\" font-size=\"10\" \
                 fill=\"#ffffff\" text-anchor=\"middle\" \
                 font-family=\"DejaVu Sans, sans-serif\">{}</text>",
                y + 3.5,
                c.members.len()
            );
        }
    }
}

/// One event's symbol as on screen: a shape per kind; a ring when only its region is known.
fn marker(svg: &mut String, x: f64, y: f64, r: f64, kind: EventKind, precision: GeoPrecision) {
    let color = palette::event(kind).hex();
    if precision == GeoPrecision::Region {
        let _ = write!(
            svg,
            "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{:.1}\" fill=\"{color}\" fill-opacity=\"0.12\" \
             stroke=\"{color}\" stroke-width=\"2\"/>",
            r + 8.0
        );
        return shape(svg, x, y, 3.0, kind, &color);
    }
    if precision == GeoPrecision::Near {
        let _ = write!(
            svg,
            "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{:.1}\" fill=\"none\" stroke=\"{color}\" \
             stroke-width=\"1\"/>",
            r + 4.0
        );
    }
    shape(svg, x, y, r, kind, &color);
}

fn shape(svg: &mut String, x: f64, y: f64, r: f64, kind: EventKind, color: &str) {
    let poly = |points: &[(f64, f64)]| {
        points
            .iter()
            .map(|(dx, dy)| format!("{:.1},{:.1}", x + dx * r, y + dy * r))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let _ = match kind {
        EventKind::WarningSign => write!(
            svg,
            "<polygon points=\"{}\" fill=\"{color}\"/>",
            poly(&[(0.0, -1.15), (1.0, 0.75), (-1.0, 0.75)])
        ),
        EventKind::ThresholdMoment => write!(
            svg,
            "<polygon points=\"{}\" fill=\"{color}\"/>",
            poly(&[(0.0, -1.2), (1.2, 0.0), (0.0, 1.2), (-1.2, 0.0)])
        ),
        EventKind::DiplomaticAction => write!(
            svg,
            "<polygon points=\"{}\" fill=\"{color}\"/>",
            poly(&[(-0.85, -0.85), (0.85, -0.85), (0.85, 0.85), (-0.85, 0.85)])
        ),
        EventKind::Agreement => write!(
            svg,
            "<polygon points=\"{}\" fill=\"{color}\"/>",
            poly(&[(-1.0, -0.6), (1.0, -0.6), (1.0, 0.6), (-1.0, 0.6)])
        ),
        EventKind::Incident => write!(
            svg,
            "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{r:.1}\" fill=\"{color}\"/>"
        ),
        EventKind::Milestone => write!(
            svg,
            "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{:.1}\" fill=\"{color}\"/>",
            r * 0.7
        ),
    };
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Coordinates, Event, PartialDate, Place, Sensitivity};

    fn at(name: &str, lat: f64, lon: f64) -> Option<Place> {
        Some(Place {
            name: name.into(),
            coordinates: Coordinates::new(lat, lon).ok(),
            ..Place::default()
        })
    }

    #[test]
    fn a_left_out_event_leaves_no_marker() {
        let day = PartialDate::day(2009, 9, 28).expect("a date");
        let mut s = Situation::new("Guinea", day);
        s.countries = vec!["GIN".into()];
        s.events = vec![
            Event {
                place: at("Conakry", 9.537, -13.6773),
                ..Event::new("a", "Stadium", EventKind::Incident, day)
            },
            Event {
                place: at("Ouagadougou", 12.3714, -1.5197),
                sensitivity: Sensitivity::StrictlyConfidential,
                ..Event::new("b", "Talks", EventKind::DiplomaticAction, day)
            },
        ];
        let markers = |svg: &str| svg.matches("<polygon").count() + svg.matches("<circle").count();
        let all = map_svg(&s, 600.0, 400.0).expect("a figure");
        let (redacted, _) = crate::export::redact(&s, Sensitivity::Unclassified);
        let shown = map_svg(&redacted, 600.0, 400.0).expect("a figure");
        assert_eq!(markers(&all), 2);
        assert_eq!(markers(&shown), 1);
        assert!(shown.contains("Guinea") && shown.starts_with("<svg"));
        // Nothing placed: no figure.
        redacted_without_places(&s);
    }

    fn redacted_without_places(s: &Situation) {
        let mut none = s.clone();
        for e in &mut none.events {
            e.place = None;
        }
        assert_eq!(map_svg(&none, 600.0, 400.0), None);
    }
}
