//! SVG figures in the PDF paper (the map of where events happened): the figure read with
//! usvg as the PNG export reads it (bundled fonts, no images), then turned into page ops —
//! filled and stroked outlines as vector paths, labels as text in the paper's own font, so
//! that they stay sharp at any zoom and can be searched and copied.

use resvg::usvg::{self, Node, Paint, TextAnchor, tiny_skia_path};

use super::layout::Op;
use crate::export::fonts::{Metrics, Weight};
use crate::palette::Rgb;

/// One segment of an outline, in figure units.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Segment {
    Move(f32, f32),
    Line(f32, f32),
    Quad(f32, f32, f32, f32),
    Cubic(f32, f32, f32, f32, f32, f32),
    Close,
}

/// How an outline is filled: colour, opacity 0–1, and the even-odd rule (else non-zero).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct ShapeFill {
    pub color: Rgb,
    pub opacity: f32,
    pub even_odd: bool,
}

/// How an outline is stroked: colour, width in figure units, opacity 0–1.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct ShapeStroke {
    pub color: Rgb,
    pub width: f32,
    pub opacity: f32,
}

/// A filled and/or stroked outline.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Shape {
    pub segments: Vec<Segment>,
    pub fill: Option<ShapeFill>,
    pub stroke: Option<ShapeStroke>,
}

/// A figure ready to place on a page: its size and what it draws, in its own units (origin
/// top left, y down), clipped to its size when drawn.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Figure {
    pub width: f32,
    pub height: f32,
    pub(super) ops: Vec<Op>,
}

impl Figure {
    /// Reads `svg` (one of Tandem's own figures). An error means it is not well-formed.
    pub fn from_svg(svg: &str, metrics: &Metrics) -> Result<Self, String> {
        let tree = crate::export::png::parse(svg)?;
        let size = tree.size();
        let mut ops = Vec::new();
        group_ops(tree.root(), metrics, &mut ops);
        Ok(Self {
            width: size.width(),
            height: size.height(),
            ops,
        })
    }
}

fn group_ops(group: &usvg::Group, metrics: &Metrics, out: &mut Vec<Op>) {
    for node in group.children() {
        match node {
            Node::Group(g) => group_ops(g, metrics, out),
            Node::Path(p) => out.extend(shape(p).map(Op::Shape)),
            Node::Text(t) => out.extend(text_ops(t, metrics)),
            // Figures never carry images (and the reader loads none).
            Node::Image(_) => {}
        }
    }
}

fn color(paint: &Paint) -> Option<Rgb> {
    match paint {
        Paint::Color(c) => Some(Rgb(c.red, c.green, c.blue)),
        // Tandem's figures use flat colours only.
        _ => None,
    }
}

fn shape(path: &usvg::Path) -> Option<Shape> {
    if !path.is_visible() {
        return None;
    }
    let t = path.abs_transform();
    let map = |p: tiny_skia_path::Point| {
        (
            t.sx * p.x + t.kx * p.y + t.tx,
            t.ky * p.x + t.sy * p.y + t.ty,
        )
    };
    let scale = (t.sx * t.sy - t.kx * t.ky).abs().sqrt();
    let segments = path
        .data()
        .segments()
        .map(|segment| match segment {
            tiny_skia_path::PathSegment::MoveTo(p) => {
                let (x, y) = map(p);
                Segment::Move(x, y)
            }
            tiny_skia_path::PathSegment::LineTo(p) => {
                let (x, y) = map(p);
                Segment::Line(x, y)
            }
            tiny_skia_path::PathSegment::QuadTo(a, p) => {
                let ((ax, ay), (x, y)) = (map(a), map(p));
                Segment::Quad(ax, ay, x, y)
            }
            tiny_skia_path::PathSegment::CubicTo(a, b, p) => {
                let ((ax, ay), (bx, by), (x, y)) = (map(a), map(b), map(p));
                Segment::Cubic(ax, ay, bx, by, x, y)
            }
            tiny_skia_path::PathSegment::Close => Segment::Close,
        })
        .collect();
    let fill = path.fill().and_then(|f| {
        Some(ShapeFill {
            color: color(f.paint())?,
            opacity: f.opacity().get(),
            even_odd: f.rule() == usvg::FillRule::EvenOdd,
        })
    });
    let stroke = path.stroke().and_then(|s| {
        Some(ShapeStroke {
            color: color(s.paint())?,
            width: s.width().get() * scale,
            opacity: s.opacity().get(),
        })
    });
    (fill.is_some() || stroke.is_some()).then_some(Shape {
        segments,
        fill,
        stroke,
    })
}

/// A text element's chunks as text ops, anchored as the figure says (the figures' labels are
/// single lines in the regular weight, unrotated).
fn text_ops(text: &usvg::Text, metrics: &Metrics) -> Vec<Op> {
    let t = text.abs_transform();
    let scale = (t.sx * t.sy - t.kx * t.ky).abs().sqrt();
    let mut out = Vec::new();
    for chunk in text.chunks() {
        let Some(span) = chunk.spans().first() else {
            continue;
        };
        let Some(fill) = span.fill().and_then(|f| color(f.paint())) else {
            continue;
        };
        let label = chunk.text().trim();
        let (x, y) = (chunk.x().unwrap_or(0.0), chunk.y().unwrap_or(0.0));
        let (x, y) = (t.sx * x + t.kx * y + t.tx, t.ky * x + t.sy * y + t.ty);
        let size = span.font_size().get() * scale;
        let width = metrics.width(label, Weight::Regular, size);
        let x = match chunk.anchor() {
            TextAnchor::Start => x,
            TextAnchor::Middle => x - width / 2.0,
            TextAnchor::End => x - width,
        };
        out.push(Op::Text {
            x,
            y,
            size,
            weight: Weight::Regular,
            color: fill,
            text: label.to_owned(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outlines_become_shapes_and_labels_text_where_the_svg_puts_them() {
        let metrics = Metrics::load().unwrap_or_else(|| unreachable!("bundled fonts load"));
        let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 200 100\" \
                   width=\"200\" height=\"100\">\
                   <rect width=\"100%\" height=\"100%\" fill=\"#dce9f2\"/>\
                   <path d=\"M10 10L50 10L50 40Z\" fill=\"#fbecc4\" fill-rule=\"evenodd\" \
                   stroke=\"#a87a1c\" stroke-width=\"1.4\"/>\
                   <circle cx=\"100\" cy=\"50\" r=\"8\" fill=\"#c0392b\" fill-opacity=\"0.12\"/>\
                   <text x=\"100\" y=\"80\" font-size=\"10\" fill=\"#a87a1c\" \
                   text-anchor=\"middle\" font-family=\"DejaVu Sans\">Guinea</text></svg>";
        let figure = Figure::from_svg(svg, &metrics).expect("a figure");
        assert_eq!((figure.width, figure.height), (200.0, 100.0));
        let shapes: Vec<&Shape> = figure
            .ops
            .iter()
            .filter_map(|op| match op {
                Op::Shape(s) => Some(s),
                _ => None,
            })
            .collect();
        assert_eq!(shapes.len(), 3);
        let outline = shapes[1];
        assert_eq!(outline.segments[0], Segment::Move(10.0, 10.0));
        assert_eq!(outline.segments.last(), Some(&Segment::Close));
        let fill = outline.fill.expect("filled");
        assert_eq!((fill.color, fill.even_odd), (Rgb(0xfb, 0xec, 0xc4), true));
        assert_eq!(outline.stroke.map(|s| s.width), Some(1.4));
        let disc = shapes[2].fill.expect("filled");
        assert!((disc.opacity - 0.12).abs() < 1e-3);
        assert!(shapes[2].stroke.is_none());
        let label = figure.ops.iter().find_map(|op| match op {
            Op::Text { x, y, text, .. } => Some((*x, *y, text.as_str())),
            _ => None,
        });
        let (x, y, text) = label.expect("the label");
        assert_eq!((y, text), (80.0, "Guinea"));
        let half = metrics.width("Guinea", Weight::Regular, 10.0) / 2.0;
        assert!((x - (100.0 - half)).abs() < 0.01, "centred: {x}");
    }

    #[test]
    fn a_broken_figure_is_an_error() {
        let metrics = Metrics::load().unwrap_or_else(|| unreachable!("bundled fonts load"));
        assert!(Figure::from_svg("<svg", &metrics).is_err());
    }
}
