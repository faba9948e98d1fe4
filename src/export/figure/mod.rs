//! Figures for slides and papers: the who-does-what matrix or the timeline, drawn as SVG from
//! the situation as the audience may see it (already redacted), then rasterised to PNG by
//! [`super::png`].
//!
//! A figure is a picture, not a document: its size is bounded (at most [`matrix::MAX_ROWS`]
//! rows and [`matrix::MAX_COLS`] columns, one marker per pixel of the timeline), names are
//! shortened to fit with an ellipsis, and a footnote says what the paper gives in full. The
//! TLP marking stands at the top and the bottom, as on every page of a paper.

mod matrix;
mod timeline;

use std::fmt::{self, Write as _};
use std::str::FromStr;

use super::fonts::{Metrics, Weight};
use crate::model::Situation;
use crate::palette::{self, Rgb};

/// Which figure to draw.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Figure {
    /// Lines of effort × partners, role letters in the roles' colours.
    #[default]
    Matrix,
    /// Events on a time axis, one lane per kind, with the as-of date.
    Timeline,
}

impl Figure {
    /// Every figure, in menu order.
    pub const ALL: [Figure; 2] = [Figure::Matrix, Figure::Timeline];

    /// The name shown in menus.
    pub fn label(self) -> &'static str {
        match self {
            Figure::Matrix => "The matrix: who does what",
            Figure::Timeline => "The timeline: events by kind",
        }
    }

    /// The name as typed on the command line: `matrix`, `timeline`.
    pub fn code(self) -> &'static str {
        match self {
            Figure::Matrix => "matrix",
            Figure::Timeline => "timeline",
        }
    }
}

impl fmt::Display for Figure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Figure {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let lower = text.trim().to_ascii_lowercase();
        Figure::ALL
            .into_iter()
            .find(|f| f.code() == lower)
            .ok_or_else(|| format!("unknown figure \"{text}\" (expected matrix or timeline)"))
    }
}

/// The SVG of `figure` for a situation already prepared for its audience, with `marking` at
/// the top and the bottom.
pub fn svg(situation: &Situation, figure: Figure, marking: &str) -> Result<String, String> {
    let metrics = Metrics::load().ok_or("the bundled font cannot be read")?;
    let mut canvas = Canvas::new(&metrics);
    match figure {
        Figure::Matrix => matrix::draw(&mut canvas, situation, marking),
        Figure::Timeline => timeline::draw(&mut canvas, situation, marking),
    }
    Ok(canvas.finish())
}

/// The font family of every text: the bundled DejaVu Sans, which the rasteriser is given.
pub(crate) const FONT_FAMILY: &str = "DejaVu Sans";

const MARGIN: f32 = 24.0;
const TEXT: Rgb = Rgb(0x1a, 0x1a, 0x1a);
const MUTED: Rgb = Rgb(0x5b, 0x64, 0x72);
const RULE: Rgb = Rgb(0xc9, 0xce, 0xd6);
const BAND: Rgb = Rgb(0xf1, 0xf3, 0xf6);
const MARKING_SIZE: f32 = 12.0;
/// The room under a figure's content for `notes` footnotes (one more for shortened names) and
/// the marking.
fn foot_height(notes: usize) -> f32 {
    16.0 * (notes as f32 + 1.0) + 24.0 + MARGIN + MARKING_SIZE
}

/// Where a text stands relative to its x.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Anchor {
    Start,
    Middle,
}

/// Text made safe for XML: markup characters escaped, characters XML 1.0 forbids dropped.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(' '),
            '\u{fffe}' | '\u{ffff}' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// An SVG drawing in progress: its elements and its size so far.
pub(crate) struct Canvas<'m> {
    metrics: &'m Metrics,
    body: String,
    width: f32,
    height: f32,
    /// Whether a text had to be shortened (the footnote says so).
    shortened: bool,
}

impl<'m> Canvas<'m> {
    fn new(metrics: &'m Metrics) -> Self {
        Self {
            metrics,
            body: String::new(),
            width: 0.0,
            height: 0.0,
            shortened: false,
        }
    }

    fn size(&mut self, width: f32, height: f32) {
        self.width = width;
        self.height = height;
    }

    fn rect(&mut self, x: f32, y: f32, w: f32, h: f32, fill: Rgb) {
        let _ = writeln!(
            self.body,
            r#"<rect x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}" fill="{}"/>"#,
            fill.hex()
        );
    }

    fn line(&mut self, (x1, y1): (f32, f32), (x2, y2): (f32, f32), color: Rgb, width: f32) {
        let _ = writeln!(
            self.body,
            r#"<line x1="{x1:.1}" y1="{y1:.1}" x2="{x2:.1}" y2="{y2:.1}" stroke="{}" stroke-width="{width:.1}"/>"#,
            color.hex()
        );
    }

    fn circle(&mut self, cx: f32, cy: f32, r: f32, fill: Rgb) {
        let _ = writeln!(
            self.body,
            r#"<circle cx="{cx:.1}" cy="{cy:.1}" r="{r:.1}" fill="{}"/>"#,
            fill.hex()
        );
    }

    /// `text` on one line, shortened with an ellipsis to `max_width` when longer.
    #[allow(clippy::too_many_arguments)]
    fn text(
        &mut self,
        (x, y): (f32, f32),
        size: f32,
        weight: Weight,
        color: Rgb,
        anchor: Anchor,
        max_width: f32,
        text: &str,
    ) {
        self.text_turned((x, y), 0.0, size, weight, color, anchor, max_width, text);
    }

    /// [`Canvas::text`] turned by `degrees` (negative: counterclockwise) about its anchor.
    #[allow(clippy::too_many_arguments)]
    fn text_turned(
        &mut self,
        (x, y): (f32, f32),
        degrees: f32,
        size: f32,
        weight: Weight,
        color: Rgb,
        anchor: Anchor,
        max_width: f32,
        text: &str,
    ) {
        let shown = self.metrics.elide(text, weight, size, max_width);
        if shown.is_empty() {
            return;
        }
        if shown.ends_with(super::fonts::ELLIPSIS)
            && !text.trim_end().ends_with(super::fonts::ELLIPSIS)
        {
            self.shortened = true;
        }
        let anchor = match anchor {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
        };
        let weight = match weight {
            Weight::Regular => "normal",
            Weight::Bold => "bold",
        };
        let turn = if degrees == 0.0 {
            String::new()
        } else {
            format!(r#" transform="rotate({degrees:.1} {x:.1} {y:.1})""#)
        };
        let _ = writeln!(
            self.body,
            r#"<text x="{x:.1}" y="{y:.1}" font-size="{size:.1}" font-weight="{weight}" fill="{}" text-anchor="{anchor}"{turn}>{}</text>"#,
            color.hex(),
            xml_escape(&shown)
        );
    }

    fn width_of(&self, text: &str, weight: Weight, size: f32) -> f32 {
        self.metrics.width(text, weight, size)
    }

    /// The marking centred at baseline `y`: the TLP label in its colours on black, then the rest.
    fn marking(&mut self, y: f32, marking: &str) {
        let marking = marking.trim();
        let (label, rest) = match marking.split_once(char::is_whitespace) {
            Some((first, rest)) if first.starts_with("TLP:") => (first, rest.trim_start()),
            _ if marking.starts_with("TLP:") => (marking, ""),
            _ => ("", marking),
        };
        let pad = 4.0;
        let label_w = self.width_of(label, Weight::Bold, MARKING_SIZE);
        let rest_w = self.width_of(rest, Weight::Bold, MARKING_SIZE);
        let gap = if label.is_empty() {
            0.0
        } else {
            2.0 * pad + 10.0
        };
        let mut x = ((self.width - label_w - gap - rest_w) / 2.0).max(MARGIN);
        if !label.is_empty() {
            self.rect(
                x,
                y - MARKING_SIZE - 2.0,
                label_w + 2.0 * pad,
                MARKING_SIZE + 6.0,
                palette::BLACK,
            );
            let color = label
                .parse::<super::Tlp>()
                .map_or(palette::WHITE, palette::tlp);
            let room = self.width;
            self.text(
                (x + pad, y),
                MARKING_SIZE,
                Weight::Bold,
                color,
                Anchor::Start,
                room,
                label,
            );
            x += label_w + gap;
        }
        let room = self.width - x - MARGIN;
        self.text(
            (x, y),
            MARKING_SIZE,
            Weight::Bold,
            TEXT,
            Anchor::Start,
            room,
            rest,
        );
    }

    /// The heading of a figure: the marking, the title and a line under it. Returns the y
    /// where the figure's content starts.
    fn heading(&mut self, marking: &str, title: &str, subtitle: &str) -> f32 {
        self.marking(MARGIN + MARKING_SIZE, marking);
        let room = self.width - 2.0 * MARGIN;
        self.text(
            (MARGIN, 78.0),
            20.0,
            Weight::Bold,
            TEXT,
            Anchor::Start,
            room,
            title,
        );
        self.text(
            (MARGIN, 100.0),
            13.0,
            Weight::Regular,
            MUTED,
            Anchor::Start,
            room,
            subtitle,
        );
        120.0
    }

    /// The footnotes from `y` down (and one more when a name was shortened), then the marking
    /// at the bottom. A figure's height leaves [`foot_height`] for them.
    fn footing(&mut self, y: f32, notes: &[String], marking: &str) {
        let mut notes = notes.to_vec();
        if self.shortened {
            notes.push("Names shortened to fit; the briefing paper gives them whole.".to_owned());
        }
        let room = self.width - 2.0 * MARGIN;
        for (i, note) in notes.iter().enumerate() {
            let at = (MARGIN, y + 16.0 * (i as f32 + 1.0));
            self.text(at, 11.0, Weight::Regular, MUTED, Anchor::Start, room, note);
        }
        self.marking(self.height - MARGIN, marking);
    }

    /// The whole SVG document.
    fn finish(self) -> String {
        let (w, h) = (self.width.ceil(), self.height.ceil());
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" font-family=\"{FONT_FAMILY}\">\n<rect width=\"{w}\" height=\"{h}\" fill=\"#ffffff\"/>\n{}</svg>\n",
            self.body
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_text_is_escaped_and_forbidden_characters_dropped() {
        assert_eq!(
            xml_escape("<b>\"A\" & 'B'</b>\u{0}\u{7}\u{ffff}\nC"),
            "&lt;b&gt;&quot;A&quot; &amp; &#39;B&#39;&lt;/b&gt; C"
        );
    }

    #[test]
    fn figures_parse_from_their_codes() {
        for f in Figure::ALL {
            assert_eq!(f.code().parse::<Figure>(), Ok(f));
        }
        assert!("map".parse::<Figure>().is_err());
    }
}
