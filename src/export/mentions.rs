//! Finding the free text that still names an item an export leaves out.
//!
//! Redaction removes items and the references to them, but a note such as "ECOWAS is to
//! brief the CNDD junta" keeps the junta's name after the junta itself is gone. The person
//! exporting must see those texts before the file leaves the building.

use std::collections::HashMap;

use crate::model::Situation;

/// A kept text that names an item left out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mention {
    /// Where the text is: `event “Talks in Ouagadougou” (notes)`.
    pub place: String,
    /// The name of the left-out item it contains.
    pub name: String,
}

/// A name to look for, as words.
struct Needle {
    words: Vec<String>,
    /// Acronyms are matched as written ("AU" is not "au"); names in any case.
    exact: bool,
    name: String,
    /// [`Hashes::window`] of `words`, so that a candidate is compared in one step.
    hash: u64,
    /// `BASE` to the power of the number of words.
    base_pow: u64,
}

/// The names of left-out items, indexed by their first word.
pub(crate) struct Needles {
    by_first: HashMap<String, Vec<Needle>>,
}

/// The words of `text`: its runs of letters and digits, in order.
fn words(text: &str) -> Vec<&str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect()
}

/// The multiplier of the rolling hash over a sequence of word hashes.
const BASE: u64 = 0x9e37_79b9_7f4a_7c15;

fn word_hash(word: &str) -> u64 {
    use std::hash::{Hash as _, Hasher as _};
    let mut hasher = std::hash::DefaultHasher::new();
    word.hash(&mut hasher);
    hasher.finish()
}

/// Prefix hashes of a sequence of words: the hash of any run of them in one step, so that a
/// candidate match of a long name costs as little as a short one.
struct Hashes(Vec<u64>);

impl Hashes {
    fn of<'w>(words: impl IntoIterator<Item = &'w str>) -> Self {
        let mut prefix = vec![0u64];
        let mut h = 0u64;
        for word in words {
            h = h.wrapping_mul(BASE).wrapping_add(word_hash(word));
            prefix.push(h);
        }
        Self(prefix)
    }

    /// The hash of words `start..start + n`, given `base_pow` = `BASE`^n.
    fn window(&self, start: usize, n: usize, base_pow: u64) -> Option<u64> {
        let end = self.0.get(start + n)?;
        let before = self.0.get(start)?;
        Some(end.wrapping_sub(before.wrapping_mul(base_pow)))
    }
}

fn power(mut base: u64, mut exp: usize) -> u64 {
    let mut out = 1u64;
    while exp > 0 {
        if exp & 1 == 1 {
            out = out.wrapping_mul(base);
        }
        base = base.wrapping_mul(base);
        exp >>= 1;
    }
    out
}

impl Needles {
    /// Names shorter than four letters are only looked for as acronyms, written as they are.
    pub(crate) fn new<'a>(
        names: impl IntoIterator<Item = &'a str>,
        acronyms: impl IntoIterator<Item = &'a str>,
    ) -> Self {
        let mut by_first: HashMap<String, Vec<Needle>> = HashMap::new();
        let mut add = |text: &str, exact: bool| {
            let found = words(text);
            let letters: usize = found.iter().map(|w| w.chars().count()).sum();
            if found.is_empty() || (!exact && letters < 4) || (exact && letters < 2) {
                return;
            }
            let words: Vec<String> = found
                .iter()
                .map(|w| {
                    if exact {
                        (*w).to_owned()
                    } else {
                        w.to_lowercase()
                    }
                })
                .collect();
            let key = words.first().map(|w| w.to_lowercase()).unwrap_or_default();
            let entry = by_first.entry(key).or_default();
            if !entry.iter().any(|n| n.words == words && n.exact == exact) {
                let hash = Hashes::of(words.iter().map(String::as_str))
                    .0
                    .last()
                    .copied()
                    .unwrap_or_default();
                entry.push(Needle {
                    base_pow: power(BASE, words.len()),
                    hash,
                    words,
                    exact,
                    name: text.trim().to_owned(),
                });
            }
        };
        for name in names {
            add(name, false);
        }
        for acronym in acronyms {
            add(acronym, true);
        }
        Self { by_first }
    }

    /// Whether there is nothing to look for.
    pub(crate) fn is_empty(&self) -> bool {
        self.by_first.is_empty()
    }

    /// The names found in `text`, each once, in the order they first occur.
    ///
    /// Linear in the text and the names found, however long the names: a candidate is
    /// compared by its hash, and word by word only when the hashes agree.
    pub(crate) fn find_in(&self, text: &str) -> Vec<String> {
        let found_words = words(text);
        let lower: Vec<String> = found_words.iter().map(|w| w.to_lowercase()).collect();
        let mut lower_hashes: Option<Hashes> = None;
        let mut exact_hashes: Option<Hashes> = None;
        let mut seen: std::collections::HashSet<*const Needle> = Default::default();
        let mut found: Vec<String> = Vec::new();
        for (i, first) in lower.iter().enumerate() {
            let Some(needles) = self.by_first.get(first) else {
                continue;
            };
            for needle in needles {
                if seen.contains(&std::ptr::from_ref(needle)) {
                    continue;
                }
                let n = needle.words.len();
                let hashes = if needle.exact {
                    exact_hashes.get_or_insert_with(|| Hashes::of(found_words.iter().copied()))
                } else {
                    lower_hashes.get_or_insert_with(|| Hashes::of(lower.iter().map(String::as_str)))
                };
                if hashes.window(i, n, needle.base_pow) != Some(needle.hash) {
                    continue;
                }
                let matches = if needle.exact {
                    found_words.get(i..i + n).is_some_and(|w| w == needle.words)
                } else {
                    lower.get(i..i + n).is_some_and(|w| w == needle.words)
                };
                if matches {
                    seen.insert(std::ptr::from_ref(needle));
                    if !found.contains(&needle.name) {
                        found.push(needle.name.clone());
                    }
                }
            }
        }
        found
    }
}

/// Every kept text of `kept` that names one of `needles`.
pub(crate) fn mentions(kept: &Situation, needles: &Needles) -> Vec<Mention> {
    if needles.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut look = |place: &dyn Fn() -> String, field: &str, text: &str| {
        // A text that is exactly a left-out name is a namesake (two events with one title),
        // not a mention of the other.
        let namesake = |name: &String| text.trim().to_lowercase() == name.to_lowercase();
        for name in needles.find_in(text).into_iter().filter(|n| !namesake(n)) {
            out.push(Mention {
                place: format!("{} ({field})", place()),
                name,
            });
        }
    };
    let situation = || "the situation".to_owned();
    look(&situation, "title", &kept.title);
    look(&situation, "summary", &kept.summary);
    for a in &kept.actors {
        let place = || format!("actor “{}”", a.name);
        look(&place, "name", &a.name);
        look(&place, "interests", &a.interests);
        look(&place, "notes", &a.notes);
    }
    for p in &kept.partners {
        let place = || format!("partner “{}”", p.name);
        look(&place, "name", &p.name);
        look(&place, "notes", &p.notes);
    }
    for l in &kept.lines {
        let place = || format!("line of effort “{}”", l.title);
        look(&place, "title", &l.title);
        look(&place, "notes", &l.notes);
    }
    for a in &kept.assignments {
        let place = || format!("assignment {} × {}", a.line, a.partner);
        look(&place, "note", &a.note);
    }
    for e in &kept.events {
        let place = || format!("event “{}”", e.title);
        look(&place, "title", &e.title);
        look(&place, "description", &e.description);
        look(&place, "source", &e.source);
        look(&place, "notes", &e.notes);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn needles() -> Needles {
        Needles::new(
            [
                "CNDD junta",
                "Forces vives de Guinée",
                "Gal",
                "Commission of Inquiry",
            ],
            ["AU", "ICG-G"],
        )
    }

    /// A long left-out name and long kept texts made of the same words: each candidate is
    /// compared by hash, so the scan stays linear (word by word it was quadratic).
    #[test]
    fn long_names_in_long_texts_are_found_in_linear_time() {
        let name = "Organisation for Security ".repeat(20_000);
        let n = Needles::new([name.as_str()], []);
        let text = format!(
            "{} and then {name}",
            "Organisation for Security ".repeat(20_000)
        );
        let start = std::time::Instant::now();
        assert_eq!(n.find_in(&text).len(), 1);
        assert!(n.find_in(&name[..name.len() - 30]).is_empty());
        assert!(start.elapsed().as_secs() < 10, "{:?}", start.elapsed());
    }

    #[test]
    fn names_are_found_as_whole_words_in_any_case_and_acronyms_as_written() {
        let n = needles();
        assert_eq!(
            n.find_in("ECOWAS briefs the cndd Junta, then the Forces vives de Guinée."),
            vec!["CNDD junta", "Forces vives de Guinée"]
        );
        assert_eq!(
            n.find_in("The AU and the ICG-G agree."),
            vec!["AU", "ICG-G"]
        );
        assert!(
            n.find_in("Il est arrivé au palais").is_empty(),
            "'au' is not the AU"
        );
        assert!(n.find_in("CNDD juntas").is_empty(), "whole words only");
        assert!(
            n.find_in("Gal Gal").is_empty(),
            "short names are not searched"
        );
        assert_eq!(
            n.find_in("the Commission of Inquiry, the commission of inquiry"),
            vec!["Commission of Inquiry"],
            "each name once per text"
        );
    }
}
