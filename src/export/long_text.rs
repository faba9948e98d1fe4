//! Texts too long for where they stand: shortened there, given whole in a closing section.
//!
//! A name is read in a table cell, a column head, a list of who is involved. One of a
//! thousand characters (an imported sheet's organisation name) fills a page there and says
//! nothing more for it. Papers show the first [`NAME_MAX_CHARS`] characters with a numbered
//! marker — `Economic Community of … [1]` — and the whole text under that number in the
//! section "Shortened texts in full" at the end, so nothing is lost.

use std::borrow::Cow;
use std::collections::HashMap;

use crate::model::Situation;

/// Names and titles longer than this (in characters) are shortened in papers.
pub const NAME_MAX_CHARS: usize = 200;

/// The heading of the closing section that gives shortened texts whole.
pub const SECTION_TITLE: &str = "Shortened texts in full";

/// The marker that points from a shortened text to its note: `[3]`.
pub fn marker(note: usize) -> String {
    format!("[{note}]")
}

/// The beginning of `text` of at most `max_chars` characters, cut after a whole word when one
/// ends in the last third of it. Reads no further than it keeps.
pub fn prefix(text: &str, max_chars: usize) -> &str {
    let end = text
        .char_indices()
        .nth(max_chars)
        .map_or(text.len(), |(i, _)| i);
    let head = text.get(..end).unwrap_or(text);
    if end == text.len() {
        return head;
    }
    match head.rfind(char::is_whitespace) {
        Some(space) if space >= head.len() * 2 / 3 => head.get(..space).unwrap_or(head),
        _ => head,
    }
    .trim_end()
}

/// Whether `text` has more than `max_chars` characters (without counting past the limit).
pub fn is_longer_than(text: &str, max_chars: usize) -> bool {
    text.len() > max_chars && text.chars().nth(max_chars).is_some()
}

/// The whole texts that a paper shortened, numbered from 1 in the order first met; one
/// number per distinct text.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FullTexts {
    texts: Vec<String>,
    numbers: HashMap<String, usize>,
}

impl FullTexts {
    /// A collection whose notes 1, 2… are `texts` (as [`Briefing::full_texts`] holds them).
    ///
    /// [`Briefing::full_texts`]: super::Briefing::full_texts
    pub fn starting_with(texts: &[String]) -> Self {
        let mut notes = Self::default();
        for text in texts {
            notes.note(text);
        }
        notes
    }

    /// The note number of `text`, adding it when new.
    pub fn note(&mut self, text: &str) -> usize {
        if let Some(&n) = self.numbers.get(text) {
            return n;
        }
        self.texts.push(text.to_owned());
        let n = self.texts.len();
        self.numbers.insert(text.to_owned(), n);
        n
    }

    /// `text` itself when it has at most `max_chars` characters; else its beginning, an
    /// ellipsis and the marker of its note: `Economic Community of … [1]`.
    pub fn shorten<'t>(&mut self, text: &'t str, max_chars: usize) -> Cow<'t, str> {
        if !is_longer_than(text, max_chars) {
            return Cow::Borrowed(text);
        }
        let note = self.note(text);
        Cow::Owned(format!("{}… {}", prefix(text, max_chars), marker(note)))
    }

    /// The texts in note order: note `n` is at index `n - 1`.
    pub fn texts(&self) -> &[String] {
        &self.texts
    }

    /// Whether no text was shortened.
    pub fn is_empty(&self) -> bool {
        self.texts.is_empty()
    }

    /// The texts in note order, consuming the collection.
    pub fn into_texts(self) -> Vec<String> {
        self.texts
    }
}

/// The situation with every name and title over [`NAME_MAX_CHARS`] shortened (the situation's
/// title, actors' names, partners' names and acronyms, lines' and events' titles), their whole
/// texts in `notes`. Borrowed as it is when nothing is that long.
pub fn shorten_names<'s>(situation: &'s Situation, notes: &mut FullTexts) -> Cow<'s, Situation> {
    let long = |t: &String| is_longer_than(t, NAME_MAX_CHARS);
    let any = long(&situation.title)
        || situation.actors.iter().any(|a| long(&a.name))
        || situation
            .partners
            .iter()
            .any(|p| long(&p.name) || long(&p.acronym))
        || situation.lines.iter().any(|l| long(&l.title))
        || situation.events.iter().any(|e| long(&e.title));
    if !any {
        return Cow::Borrowed(situation);
    }
    let mut out = situation.clone();
    let mut fix = |text: &mut String| {
        if let Cow::Owned(short) = notes.shorten(text, NAME_MAX_CHARS) {
            *text = short;
        }
    };
    fix(&mut out.title);
    for a in &mut out.actors {
        fix(&mut a.name);
    }
    for p in &mut out.partners {
        fix(&mut p.name);
        fix(&mut p.acronym);
    }
    for l in &mut out.lines {
        fix(&mut l.title);
    }
    for e in &mut out.events {
        fix(&mut e.title);
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_cuts_after_a_word_near_the_end() {
        assert_eq!(prefix("short", 10), "short");
        assert_eq!(prefix("one two three four", 10), "one two");
        assert_eq!(prefix("one two three four", 12), "one two thre");
        assert_eq!(prefix("abcdefghijklmnop", 5), "abcde");
        assert_eq!(prefix("ééééé", 2), "éé");
    }

    #[test]
    fn long_texts_get_one_note_each_and_short_ones_stay() {
        let mut notes = FullTexts::default();
        let long = "word ".repeat(100);
        assert_eq!(notes.shorten("ECOWAS", 20), "ECOWAS");
        let short = notes.shorten(&long, 20).into_owned();
        assert!(short.ends_with("… [1]"), "{short}");
        assert!(short.chars().count() < 30);
        assert_eq!(
            notes.shorten(&long, 20),
            short,
            "the same text, the same note"
        );
        let other = format!("{long}!");
        assert!(notes.shorten(&other, 20).ends_with("[2]"));
        assert_eq!(notes.texts(), [long, other]);
    }

    #[test]
    fn names_are_shortened_only_when_too_long() {
        let mut s = Situation::new("Guinea", "2010-01-01".parse().unwrap());
        let mut notes = FullTexts::default();
        assert!(matches!(shorten_names(&s, &mut notes), Cow::Borrowed(_)));
        s.title = "Guinea ".repeat(1000);
        let short = shorten_names(&s, &mut notes);
        assert!(short.title.len() < 300);
        assert_eq!(notes.texts(), [s.title.clone()]);
    }
}
