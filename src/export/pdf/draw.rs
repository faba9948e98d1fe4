//! Drawing laid-out pages with krilla: the marking and page number on every page, then the
//! body's text, fills and rules. Text is shaped with faces parsed once per document.

use std::collections::HashMap;

use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect, Transform};
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule, Stroke};
use krilla::text::{Font, KrillaGlyph};

use super::figure::{Segment, Shape};
use super::layout::{MARGIN_X, MUTED, Op, PAGE_H, PAGE_W, RULE, TEXT};
use crate::export::fonts::{BOLD_TTF, Metrics, REGULAR_TTF, Weight};
use crate::palette::{self, Rgb};

const MARKING_SIZE: f32 = 9.0;

/// The TLP label's colours (TLP 2.0: coloured text on black).
fn tlp_color(label: &str) -> Rgb {
    label
        .parse::<crate::export::Tlp>()
        .map_or(palette::WHITE, palette::tlp)
}

/// The marking line centred at baseline `y`: the TLP label in its colours, then the rest.
fn marking_ops(metrics: &Metrics, marking: &str, y: f32) -> Vec<Op> {
    let marking = marking.trim();
    let (label, rest) = match marking.split_once(char::is_whitespace) {
        Some((first, rest)) if first.starts_with("TLP:") => (first, rest.trim_start()),
        _ if marking.starts_with("TLP:") => (marking, ""),
        _ => ("", marking),
    };
    let gap = if label.is_empty() || rest.is_empty() {
        0.0
    } else {
        8.0
    };
    let label_w = metrics.width(label, Weight::Bold, MARKING_SIZE);
    let rest_w = metrics.width(rest, Weight::Bold, MARKING_SIZE);
    let pad = 3.0;
    let total = label_w + if label.is_empty() { 0.0 } else { 2.0 * pad } + gap + rest_w;
    let mut x = (PAGE_W - total) / 2.0;
    let mut ops = Vec::new();
    if !label.is_empty() {
        ops.push(Op::Rect {
            x,
            y: y - MARKING_SIZE - 1.0,
            w: label_w + 2.0 * pad,
            h: MARKING_SIZE + 4.5,
            fill: palette::BLACK,
        });
        ops.push(Op::Text {
            x: x + pad,
            y,
            size: MARKING_SIZE,
            weight: Weight::Bold,
            color: tlp_color(label),
            text: label.to_owned(),
        });
        x += label_w + 2.0 * pad + gap;
    }
    if !rest.is_empty() {
        ops.push(Op::Text {
            x,
            y,
            size: MARKING_SIZE,
            weight: Weight::Bold,
            color: TEXT,
            text: rest.to_owned(),
        });
    }
    ops
}

/// The marking at top and bottom, rules and the page number.
fn frame_ops(metrics: &Metrics, marking: &str, page: usize, pages: usize) -> Vec<Op> {
    let mut ops = marking_ops(metrics, marking, 34.0);
    ops.push(Op::Line {
        x1: MARGIN_X,
        y1: 46.0,
        x2: PAGE_W - MARGIN_X,
        y2: 46.0,
        color: RULE,
    });
    ops.push(Op::Line {
        x1: MARGIN_X,
        y1: PAGE_H - 52.0,
        x2: PAGE_W - MARGIN_X,
        y2: PAGE_H - 52.0,
        color: RULE,
    });
    ops.extend(marking_ops(metrics, marking, PAGE_H - 36.0));
    let number = format!("Page {page} of {pages}");
    let w = metrics.width(&number, Weight::Regular, 8.0);
    ops.push(Op::Text {
        x: (PAGE_W - w) / 2.0,
        y: PAGE_H - 22.0,
        size: 8.0,
        weight: Weight::Regular,
        color: MUTED,
        text: number,
    });
    ops
}

fn fill(color: Rgb) -> Fill {
    Fill {
        paint: rgb::Color::new(color.0, color.1, color.2).into(),
        opacity: NormalizedF32::ONE,
        rule: Default::default(),
    }
}

/// A shaping plan is made for a font, a script and a direction.
type PlanKey = (Weight, rustybuzz::Script, rustybuzz::Direction);

/// Shapes text with one parsed face per font for the whole document. krilla's `draw_text`
/// parses the font's tables again for every line (most of a large PDF's time); the shaping
/// here is the same (rustybuzz, direction and script guessed from the text), done on faces
/// parsed once with plans made once.
struct Shaper<'f> {
    regular: (rustybuzz::Face<'f>, f32),
    bold: (rustybuzz::Face<'f>, f32),
    /// Shaping plans by font and script: compiling one is most of the cost of a short line.
    plans: std::cell::RefCell<HashMap<PlanKey, rustybuzz::ShapePlan>>,
}

impl Shaper<'static> {
    fn load() -> Option<Self> {
        let face = |data: &'static [u8]| {
            let face = rustybuzz::Face::from_slice(data, 0)?;
            let units = (face.units_per_em() as f32).max(1.0);
            Some((face, units))
        };
        Some(Self {
            regular: face(REGULAR_TTF)?,
            bold: face(BOLD_TTF)?,
            plans: std::cell::RefCell::new(HashMap::new()),
        })
    }
}

impl Shaper<'_> {
    /// The glyphs of one line of `text`, with advances and offsets in ems.
    fn shape(&self, text: &str, weight: Weight) -> Vec<KrillaGlyph> {
        let (face, units) = match weight {
            Weight::Regular => &self.regular,
            Weight::Bold => &self.bold,
        };
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.guess_segment_properties();
        let script = buffer.script();
        let direction = buffer.direction();
        let output = if buffer.language().is_some() {
            rustybuzz::shape(face, &[], buffer)
        } else {
            let mut plans = self.plans.borrow_mut();
            let plan = plans.entry((weight, script, direction)).or_insert_with(|| {
                rustybuzz::ShapePlan::new(face, direction, Some(script), None, &[])
            });
            rustybuzz::shape_with_plan(face, plan, buffer)
        };
        let forward = matches!(
            direction,
            rustybuzz::Direction::LeftToRight | rustybuzz::Direction::TopToBottom
        );
        let infos = output.glyph_infos();
        let positions = output.glyph_positions();
        infos
            .iter()
            .zip(positions)
            .enumerate()
            .map(|(i, (info, pos))| {
                let start = info.cluster as usize;
                // A cluster's text runs to the next cluster in reading order: the next glyph
                // with another cluster, or (right to left) the previous one.
                let other = |next: &&rustybuzz::GlyphInfo| next.cluster != info.cluster;
                let next_cluster = if forward {
                    infos.get(i + 1..).unwrap_or_default().iter().find(other)
                } else {
                    infos.get(..i).unwrap_or_default().iter().rev().find(other)
                };
                let end = next_cluster.map_or(text.len(), |next| next.cluster as usize);
                KrillaGlyph::new(
                    krilla::text::GlyphId::new(info.glyph_id),
                    pos.x_advance as f32 / units,
                    pos.x_offset as f32 / units,
                    pos.y_offset as f32 / units,
                    pos.y_advance as f32 / units,
                    start..end.max(start),
                    None,
                )
            })
            .collect()
    }
}

/// The two bundled faces as krilla fonts, and their shaper.
struct Fonts {
    regular: Font,
    bold: Font,
    shaper: Shaper<'static>,
}

/// Writes laid-out `pages` as a PDF with `marking`, rules and the page number on each.
pub(super) fn render(
    metrics: &Metrics,
    pages: &[Vec<Op>],
    marking: &str,
    title: &str,
) -> Result<Vec<u8>, String> {
    let fonts = Fonts {
        regular: Font::new(REGULAR_TTF.into(), 0).ok_or("the bundled font cannot be read")?,
        bold: Font::new(BOLD_TTF.into(), 0).ok_or("the bundled bold font cannot be read")?,
        shaper: Shaper::load().ok_or("the bundled font cannot be shaped")?,
    };
    let mut document = Document::new();
    document.set_metadata(Metadata::new().title(title.to_owned()));
    let settings = PageSettings::from_wh(PAGE_W, PAGE_H).ok_or("bad page size")?;
    let count = pages.len();
    for (n, body) in pages.iter().enumerate() {
        let mut page = document.start_page_with(settings.clone());
        let mut surface = page.surface();
        let frame = frame_ops(metrics, marking, n + 1, count);
        for op in frame.iter().chain(body) {
            draw(&mut surface, &fonts, op);
        }
        surface.finish();
        page.finish();
    }
    document
        .finish()
        .map_err(|e| format!("the PDF cannot be written: {e:?}"))
}

/// Draws one op on a page.
fn draw(surface: &mut krilla::surface::Surface, fonts: &Fonts, op: &Op) {
    match op {
        Op::Text {
            x,
            y,
            size,
            weight,
            color,
            text,
        } => {
            surface.set_fill(Some(fill(*color)));
            let font = match weight {
                Weight::Regular => fonts.regular.clone(),
                Weight::Bold => fonts.bold.clone(),
            };
            let glyphs = fonts.shaper.shape(text, *weight);
            surface.draw_glyphs(Point::from_xy(*x, *y), &glyphs, font, text, *size, false);
        }
        Op::Rect {
            x,
            y,
            w,
            h,
            fill: color,
        } => {
            let Some(rect) = Rect::from_xywh(*x, *y, *w, *h) else {
                return;
            };
            let mut path = PathBuilder::new();
            path.push_rect(rect);
            if let Some(path) = path.finish() {
                surface.set_stroke(None);
                surface.set_fill(Some(fill(*color)));
                surface.draw_path(&path);
            }
        }
        Op::Line {
            x1,
            y1,
            x2,
            y2,
            color,
        } => {
            let mut path = PathBuilder::new();
            path.move_to(*x1, *y1);
            path.line_to(*x2, *y2);
            if let Some(path) = path.finish() {
                surface.set_fill(None);
                surface.set_stroke(Some(Stroke {
                    paint: rgb::Color::new(color.0, color.1, color.2).into(),
                    width: 0.6,
                    ..Default::default()
                }));
                surface.draw_path(&path);
                surface.set_stroke(None);
            }
        }
        Op::Shape(shape) => draw_shape(surface, shape),
        Op::Figure {
            x,
            y,
            scale,
            figure,
        } => {
            let clip = Rect::from_xywh(*x, *y, figure.width * scale, figure.height * scale);
            let mut path = PathBuilder::new();
            if let Some(clip) = clip {
                path.push_rect(clip);
            }
            let Some(clip) = path.finish() else {
                return;
            };
            surface.push_clip_path(&clip, &FillRule::NonZero);
            surface.push_transform(&Transform::from_row(*scale, 0.0, 0.0, *scale, *x, *y));
            for op in &figure.ops {
                draw(surface, fonts, op);
            }
            surface.pop();
            surface.pop();
        }
    }
}

/// A figure's outline, filled then stroked.
fn draw_shape(surface: &mut krilla::surface::Surface, shape: &Shape) {
    let mut path = PathBuilder::new();
    for segment in &shape.segments {
        match *segment {
            Segment::Move(x, y) => path.move_to(x, y),
            Segment::Line(x, y) => path.line_to(x, y),
            Segment::Quad(x1, y1, x, y) => path.quad_to(x1, y1, x, y),
            Segment::Cubic(x1, y1, x2, y2, x, y) => path.cubic_to(x1, y1, x2, y2, x, y),
            Segment::Close => path.close(),
        }
    }
    let Some(path) = path.finish() else {
        return;
    };
    let opacity = |o: f32| NormalizedF32::new(o.clamp(0.0, 1.0)).unwrap_or(NormalizedF32::ONE);
    surface.set_fill(shape.fill.map(|f| Fill {
        paint: rgb::Color::new(f.color.0, f.color.1, f.color.2).into(),
        opacity: opacity(f.opacity),
        rule: if f.even_odd {
            FillRule::EvenOdd
        } else {
            FillRule::NonZero
        },
    }));
    surface.set_stroke(shape.stroke.map(|s| Stroke {
        paint: rgb::Color::new(s.color.0, s.color.1, s.color.2).into(),
        width: s.width,
        opacity: opacity(s.opacity),
        ..Default::default()
    }));
    surface.draw_path(&path);
    surface.set_stroke(None);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shaper's cached plans give the glyphs a fresh shaping gives (what krilla's
    /// `draw_text` did), for Latin with accents and ligature candidates, Cyrillic and Arabic.
    #[test]
    fn shaping_with_cached_plans_matches_shaping_from_scratch() {
        let shaper = Shaper::load().unwrap_or_else(|| unreachable!("bundled fonts load"));
        let texts = [
            "Côte d'Ivoire — ECOWAS “office” ﬁnal",
            "Security Council, S/2011/552 ¶37",
            "Совет Безопасности",
            "مجلس الأمن",
            "Côte d'Ivoire again, after the other scripts",
        ];
        for weight in [Weight::Regular, Weight::Bold] {
            for text in texts {
                let cached = shaper.shape(text, weight);
                let (face, units) = match weight {
                    Weight::Regular => &shaper.regular,
                    Weight::Bold => &shaper.bold,
                };
                let mut buffer = rustybuzz::UnicodeBuffer::new();
                buffer.push_str(text);
                buffer.guess_segment_properties();
                let fresh = rustybuzz::shape(face, &[], buffer);
                assert_eq!(cached.len(), fresh.len(), "{text}");
                for (glyph, (info, pos)) in cached
                    .iter()
                    .zip(fresh.glyph_infos().iter().zip(fresh.glyph_positions()))
                {
                    use krilla::text::Glyph as _;
                    assert_eq!(glyph.glyph_id(), krilla::text::GlyphId::new(info.glyph_id));
                    assert_eq!(glyph.x_advance(1.0), pos.x_advance as f32 / units, "{text}");
                }
            }
        }
    }
}
