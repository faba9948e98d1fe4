//! The bundled DejaVu Sans fonts and their advance widths: measuring, wrapping and shortening
//! text for the layouts Tandem makes itself (the PDF paper, the PNG figures).
//!
//! Every function here is linear in the text it reads and stops early when it has what it
//! needs, so that a name of a megabyte costs what its bytes cost and no more.

use skrifa::instance::{LocationRef, Size};
use skrifa::metrics::GlyphMetrics;
use skrifa::{FontRef, GlyphId, MetadataProvider as _};

/// DejaVu Sans, the regular face.
pub const REGULAR_TTF: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
/// DejaVu Sans Bold.
pub const BOLD_TTF: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

/// A line never holds more characters than this, whatever their width: zero-width characters
/// or combining marks would otherwise make one line of a whole text, and shaping cost grows
/// with the length of a line.
pub const MAX_LINE_CHARS: usize = 400;

/// The ellipsis that ends a shortened text.
pub const ELLIPSIS: char = '…';

/// Regular or bold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Weight {
    /// DejaVu Sans.
    Regular,
    /// DejaVu Sans Bold.
    Bold,
}

struct FontMetrics {
    charmap: skrifa::charmap::Charmap<'static>,
    glyphs: GlyphMetrics<'static>,
    /// Advances of the ASCII characters, looked up once: most text is measured from here.
    ascii: [f32; 128],
}

impl FontMetrics {
    fn new(data: &'static [u8]) -> Option<Self> {
        let font = FontRef::new(data).ok()?;
        let glyphs = font.glyph_metrics(Size::new(1.0), LocationRef::default());
        let charmap = font.charmap();
        let mut metrics = Self {
            charmap,
            glyphs,
            ascii: [0.0; 128],
        };
        let ascii: Vec<f32> = (0u8..128).map(|b| metrics.lookup(char::from(b))).collect();
        metrics.ascii.copy_from_slice(&ascii);
        Some(metrics)
    }

    fn lookup(&self, c: char) -> f32 {
        let glyph = self.charmap.map(c).unwrap_or(GlyphId::NOTDEF);
        self.glyphs.advance_width(glyph).unwrap_or(0.6)
    }

    fn advance(&self, c: char) -> f32 {
        match self.ascii.get(c as usize) {
            Some(&advance) => advance,
            None => self.lookup(c),
        }
    }
}

/// Advance widths of the two bundled fonts, in ems.
pub struct Metrics {
    regular: FontMetrics,
    bold: FontMetrics,
}

/// Text wrapped to a width, possibly only its beginning.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Wrapped {
    /// The lines, never empty.
    pub lines: Vec<String>,
    /// Whether the lines hold all of the text; `false` when the line limit was reached first.
    pub complete: bool,
}

/// Collects lines up to a limit.
struct Lines {
    lines: Vec<String>,
    max: usize,
    full: bool,
}

impl Lines {
    /// Adds a line; `false` (and nothing added) once the limit is reached.
    fn push(&mut self, line: String) -> bool {
        if self.lines.len() >= self.max {
            self.full = true;
            return false;
        }
        self.lines.push(line);
        true
    }
}

impl Metrics {
    /// Reads the bundled fonts; `None` only if the bundled files are damaged.
    pub fn load() -> Option<Self> {
        Some(Self {
            regular: FontMetrics::new(REGULAR_TTF)?,
            bold: FontMetrics::new(BOLD_TTF)?,
        })
    }

    fn font(&self, weight: Weight) -> &FontMetrics {
        match weight {
            Weight::Regular => &self.regular,
            Weight::Bold => &self.bold,
        }
    }

    /// The advance of one character at `size`.
    pub fn char_width(&self, c: char, weight: Weight, size: f32) -> f32 {
        self.font(weight).advance(c) * size
    }

    /// The advance of `text` at `size` (no kerning: a little wider than shaped text, never narrower
    /// by more than a hair).
    pub fn width(&self, text: &str, weight: Weight, size: f32) -> f32 {
        let font = self.font(weight);
        text.chars().map(|c| font.advance(c)).sum::<f32>() * size
    }

    /// Greedy word wrap to `max_width`; explicit newlines start new lines; a word wider than
    /// the line is broken between characters. Never returns an empty list.
    pub fn wrap(&self, text: &str, weight: Weight, size: f32, max_width: f32) -> Vec<String> {
        self.wrap_at_most(text, weight, size, max_width, usize::MAX)
            .lines
    }

    /// [`Metrics::wrap`] that stops after `max_lines` lines (at least one): the cost is that of
    /// the lines returned, however long the text.
    pub fn wrap_at_most(
        &self,
        text: &str,
        weight: Weight,
        size: f32,
        max_width: f32,
        max_lines: usize,
    ) -> Wrapped {
        let mut out = Lines {
            lines: Vec::new(),
            max: max_lines.max(1),
            full: false,
        };
        let space = self.char_width(' ', weight, size);
        'paragraphs: for paragraph in text.split('\n') {
            let mut line = String::new();
            let (mut line_w, mut line_chars) = (0.0, 0);
            for word in paragraph.split_whitespace() {
                let word_chars = word.chars().count();
                let word_w = self.width(word, weight, size);
                let gap = if line.is_empty() { 0.0 } else { space };
                if line_w + gap + word_w <= max_width
                    && line_chars + 1 + word_chars <= MAX_LINE_CHARS
                {
                    if !line.is_empty() {
                        line.push(' ');
                        line_chars += 1;
                    }
                    line.push_str(word);
                    line_w += gap + word_w;
                    line_chars += word_chars;
                    continue;
                }
                if !line.is_empty() && !out.push(std::mem::take(&mut line)) {
                    break 'paragraphs;
                }
                (line_w, line_chars) = (0.0, 0);
                if word_w <= max_width && word_chars <= MAX_LINE_CHARS {
                    line.push_str(word);
                    (line_w, line_chars) = (word_w, word_chars);
                    continue;
                }
                // A word wider than the line: broken between characters.
                for c in word.chars() {
                    let w = self.char_width(c, weight, size);
                    if (line_w + w > max_width || line_chars >= MAX_LINE_CHARS) && !line.is_empty()
                    {
                        if !out.push(std::mem::take(&mut line)) {
                            break 'paragraphs;
                        }
                        (line_w, line_chars) = (0.0, 0);
                    }
                    line.push(c);
                    line_w += w;
                    line_chars += 1;
                }
            }
            if !out.push(line) {
                break;
            }
        }
        if out.lines.is_empty() {
            out.lines.push(String::new());
        }
        Wrapped {
            lines: out.lines,
            complete: !out.full,
        }
    }

    /// Wraps at spaces only, never inside a word: `None` when a word is wider than
    /// `max_width` or the text needs more than `max_lines` lines. For headings and column
    /// heads, which are abbreviated rather than broken letter by letter.
    pub fn wrap_words(
        &self,
        text: &str,
        weight: Weight,
        size: f32,
        max_width: f32,
        max_lines: usize,
    ) -> Option<Vec<String>> {
        let wrapped = self.wrap_at_most(text, weight, size, max_width, max_lines);
        if !wrapped.complete {
            return None;
        }
        // Every word must come out whole on one line.
        let words_in = text.split_whitespace().count();
        let words_out: usize = wrapped
            .lines
            .iter()
            .map(|l| l.split_whitespace().count())
            .sum();
        (words_in == words_out).then_some(wrapped.lines)
    }

    /// The longest beginning of `text` (on one line) that fits `max_width` with an ellipsis
    /// after it, or `text` itself when it fits whole. Cut after a whole word where one fits.
    pub fn elide(&self, text: &str, weight: Weight, size: f32, max_width: f32) -> String {
        // A text that fits whole is measured no further than it fits.
        let mut whole = 0.0;
        let fits = text.chars().all(|c| {
            whole += self.char_width(c, weight, size);
            whole <= max_width
        });
        if fits && !text.contains(char::is_whitespace) {
            return text.to_owned();
        }
        let text = text.split_whitespace().collect::<Vec<_>>();
        if fits {
            return text.join(" ");
        }
        let mut out = String::new();
        let mut width = 0.0;
        let room = max_width - self.char_width(ELLIPSIS, weight, size);
        let mut last_word_end = None;
        for (i, word) in text.iter().enumerate() {
            if i > 0 {
                width += self.char_width(' ', weight, size);
                last_word_end = Some(out.len());
                out.push(' ');
            }
            for c in word.chars() {
                let w = self.char_width(c, weight, size);
                if width + w > room || out.len() >= MAX_LINE_CHARS {
                    if let Some(end) = last_word_end {
                        out.truncate(end);
                    }
                    out.push(ELLIPSIS);
                    return out;
                }
                out.push(c);
                width += w;
            }
        }
        out
    }
}

/// The initials of a name's capitalised words (and of its numbers): "United Nations Office
/// for West Africa" → "UNOWA". `None` when fewer than two or more than eight would come out:
/// such an abbreviation tells a reader nothing.
pub fn acronym(name: &str) -> Option<String> {
    let initials: String = name
        .split(|c: char| !c.is_alphanumeric())
        .filter_map(|word| {
            let first = word.chars().next()?;
            if first.is_uppercase() {
                Some(first.to_string())
            } else if first.is_ascii_digit() {
                Some(word.chars().take_while(char::is_ascii_digit).collect())
            } else {
                None
            }
        })
        .take(9)
        .collect();
    (2..=8)
        .contains(&initials.chars().count())
        .then_some(initials)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn metrics() -> Metrics {
        Metrics::load().unwrap_or_else(|| unreachable!("bundled fonts load"))
    }

    #[test]
    fn ascii_advances_come_from_the_table_and_others_from_the_font() {
        let m = metrics();
        for c in ['a', 'W', ' ', '~'] {
            assert_eq!(m.regular.advance(c), m.regular.lookup(c));
        }
        assert!(m.regular.advance('é') > 0.0);
        assert!(m.bold.advance('W') >= m.regular.advance('W'));
    }

    #[test]
    fn wrap_breaks_at_spaces_and_inside_words_only_when_it_must() {
        let m = metrics();
        let lines = m.wrap(
            "Good offices of the Secretary-General",
            Weight::Regular,
            10.0,
            100.0,
        );
        assert!(lines.len() >= 2, "{lines:?}");
        assert!(
            lines
                .iter()
                .all(|l| !l.starts_with(' ') && !l.ends_with(' '))
        );
        assert_eq!(lines.join(" "), "Good offices of the Secretary-General");
        let word = "x".repeat(500);
        let lines = m.wrap(&word, Weight::Regular, 10.0, 100.0);
        assert!(lines.len() > 5);
        assert!(
            lines
                .iter()
                .all(|l| m.width(l, Weight::Regular, 10.0) <= 100.0)
        );
        assert_eq!(lines.concat(), word);
    }

    #[test]
    fn wrap_at_most_stops_at_the_limit_and_says_so() {
        let m = metrics();
        let text = "word ".repeat(200_000);
        let wrapped = m.wrap_at_most(&text, Weight::Regular, 8.0, 60.0, 5);
        assert_eq!(wrapped.lines.len(), 5);
        assert!(!wrapped.complete);
        let short = m.wrap_at_most("two words", Weight::Regular, 8.0, 200.0, 5);
        assert_eq!(
            (short.lines, short.complete),
            (vec!["two words".to_owned()], true)
        );
        assert_eq!(m.wrap("", Weight::Regular, 8.0, 60.0), vec![String::new()]);
        assert_eq!(m.wrap("a\n\nb", Weight::Regular, 8.0, 60.0), ["a", "", "b"]);
    }

    #[test]
    fn zero_width_text_still_breaks_into_bounded_lines() {
        let m = metrics();
        let text = "\u{200b}".repeat(10_000);
        let lines = m.wrap(&text, Weight::Regular, 8.0, 60.0);
        assert!(lines.iter().all(|l| l.chars().count() <= MAX_LINE_CHARS));
        assert_eq!(lines.concat(), text);
    }

    #[test]
    fn wrap_words_refuses_to_break_a_word() {
        let m = metrics();
        assert_eq!(
            m.wrap_words("Burkina Faso", Weight::Bold, 8.5, 60.0, 3),
            Some(vec!["Burkina".to_owned(), "Faso".to_owned()])
        );
        assert_eq!(m.wrap_words("UNOWA", Weight::Bold, 8.5, 15.0, 3), None);
        assert_eq!(
            m.wrap_words(&"word ".repeat(20), Weight::Bold, 8.5, 40.0, 3),
            None
        );
    }

    #[test]
    fn elide_cuts_after_a_word_and_adds_an_ellipsis() {
        let m = metrics();
        let text = "Economic Community of West African States";
        assert_eq!(m.elide(text, Weight::Regular, 10.0, 1000.0), text);
        let exact = m.width("Q12", Weight::Bold, 11.0);
        assert_eq!(
            m.elide("Q12", Weight::Bold, 11.0, exact),
            "Q12",
            "a text that just fits"
        );
        let short = m.elide(text, Weight::Regular, 10.0, 120.0);
        assert!(short.ends_with('…') && short.len() < text.len(), "{short}");
        assert!(m.width(&short, Weight::Regular, 10.0) <= 120.0);
        assert!(text.starts_with(short.trim_end_matches('…')));
        let word = m.elide(&"x".repeat(1_000_000), Weight::Regular, 10.0, 50.0);
        assert!(word.ends_with('…') && word.len() < 20);
    }

    #[test]
    fn acronyms_take_the_capitals() {
        assert_eq!(
            acronym("United Nations Office for West Africa").as_deref(),
            Some("UNOWA")
        );
        assert_eq!(
            acronym("Burkina Faso (President Compaoré)").as_deref(),
            Some("BFPC")
        );
        assert_eq!(acronym("the elders").as_deref(), None);
        assert_eq!(acronym("Group of 77").as_deref(), Some("G77"));
        assert_eq!(
            acronym(&"Word ".repeat(20)),
            None,
            "too long to tell anything"
        );
    }
}
