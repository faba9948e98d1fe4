//! Ids: deriving them from names, keeping them unique, finding and renaming references.

use super::{ItemKind, ItemRef, Situation};

/// The longest id [`slug`] makes: whole words up to this many characters.
pub const SLUG_MAX: usize = 48;

/// A lowercase, hyphenated id from a name: `"ECOWAS Commission"` → `"ecowas-commission"`.
///
/// Accented Latin letters lose their accents; anything else that is not a letter or digit
/// separates words. Long names keep whole words up to [`SLUG_MAX`] characters (a single
/// longer word is cut). Never empty: falls back to `fallback`.
pub fn slug(name: &str, fallback: &str) -> String {
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    let flush = |word: &mut String, words: &mut Vec<String>| {
        if !word.is_empty() {
            words.push(std::mem::take(word));
        }
    };
    for c in name.chars() {
        let c = fold_accent(c);
        if c.is_ascii_alphanumeric() {
            word.push(c.to_ascii_lowercase());
        } else if c != '\'' && c != '’' {
            flush(&mut word, &mut words);
        }
    }
    flush(&mut word, &mut words);
    let mut out = String::new();
    for word in words {
        let needed = if out.is_empty() {
            word.len()
        } else {
            out.len() + 1 + word.len()
        };
        if needed > SLUG_MAX {
            if out.is_empty() {
                out = word.chars().take(SLUG_MAX).collect();
            }
            break;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(&word);
    }
    if out.is_empty() {
        fallback.to_owned()
    } else {
        out
    }
}

fn fold_accent(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
        'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => 'A',
        'ç' => 'c',
        'Ç' => 'C',
        'è' | 'é' | 'ê' | 'ë' => 'e',
        'È' | 'É' | 'Ê' | 'Ë' => 'E',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'Ì' | 'Í' | 'Î' | 'Ï' => 'I',
        'ñ' => 'n',
        'Ñ' => 'N',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => 'o',
        'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' => 'O',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        'Ù' | 'Ú' | 'Û' | 'Ü' => 'U',
        'ý' | 'ÿ' => 'y',
        other => other,
    }
}

/// An id derived from `name` that no item of `situation` has yet (`name`, `name-2`, …).
pub fn fresh_id(situation: &Situation, name: &str, fallback: &str) -> String {
    let base = slug(name, fallback);
    if !situation.has_id(&base) {
        return base;
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|candidate| !situation.has_id(candidate))
        .unwrap_or(base)
}

/// Whether `id` is well formed: non-empty, no whitespace, no quotes.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 120
        && id
            .chars()
            .all(|c| !c.is_whitespace() && !c.is_control() && c != '"' && c != '\\')
}

/// Every place that refers to the item `target`, as (referring item, field) pairs.
///
/// Assignments refer to lines and partners; they are reported with the line as the
/// referring item and `"assignment"` as the field.
pub fn references_to(situation: &Situation, target: &ItemRef) -> Vec<(ItemRef, &'static str)> {
    let id = target.id.as_str();
    let mut found = Vec::new();
    match target.kind {
        ItemKind::Actor => {
            for line in &situation.lines {
                if line.actors.iter().any(|a| a == id) {
                    found.push((ItemRef::new(ItemKind::Line, &line.id), "actors"));
                }
            }
            for event in &situation.events {
                if event.actors.iter().any(|a| a == id) {
                    found.push((ItemRef::new(ItemKind::Event, &event.id), "actors"));
                }
            }
        }
        ItemKind::Partner => {
            for a in situation.assignments.iter().filter(|a| a.partner == id) {
                found.push((ItemRef::new(ItemKind::Line, &a.line), "assignment"));
            }
            for event in &situation.events {
                if event.partners.iter().any(|p| p == id) {
                    found.push((ItemRef::new(ItemKind::Event, &event.id), "partners"));
                }
            }
        }
        ItemKind::Line => {
            for a in situation.assignments.iter().filter(|a| a.line == id) {
                found.push((ItemRef::new(ItemKind::Partner, &a.partner), "assignment"));
            }
            for event in &situation.events {
                if event.lines.iter().any(|l| l == id) {
                    found.push((ItemRef::new(ItemKind::Event, &event.id), "lines"));
                }
            }
        }
        ItemKind::Event => {
            for event in &situation.events {
                if event.answers.iter().any(|w| w == id) {
                    found.push((ItemRef::new(ItemKind::Event, &event.id), "answers"));
                }
            }
        }
    }
    found
}

/// Whether any reference anywhere names `id`, whatever kind it is meant to point to.
pub fn is_referenced_anywhere(situation: &Situation, id: &str) -> bool {
    let in_list = |list: &[String]| list.iter().any(|x| x == id);
    situation.lines.iter().any(|l| in_list(&l.actors))
        || situation
            .assignments
            .iter()
            .any(|a| a.line == id || a.partner == id)
        || situation.events.iter().any(|e| {
            in_list(&e.actors) || in_list(&e.partners) || in_list(&e.lines) || in_list(&e.answers)
        })
}

/// Renames every reference of kind `kind` from `old` to `new` (not the item itself).
pub fn rename_references(situation: &mut Situation, kind: ItemKind, old: &str, new: &str) {
    let rename = |list: &mut Vec<String>| {
        for x in list.iter_mut().filter(|x| x.as_str() == old) {
            *x = new.to_owned();
        }
    };
    match kind {
        ItemKind::Actor => {
            situation
                .lines
                .iter_mut()
                .for_each(|l| rename(&mut l.actors));
            situation
                .events
                .iter_mut()
                .for_each(|e| rename(&mut e.actors));
        }
        ItemKind::Partner => {
            for a in situation
                .assignments
                .iter_mut()
                .filter(|a| a.partner == old)
            {
                a.partner = new.to_owned();
            }
            situation
                .events
                .iter_mut()
                .for_each(|e| rename(&mut e.partners));
        }
        ItemKind::Line => {
            for a in situation.assignments.iter_mut().filter(|a| a.line == old) {
                a.line = new.to_owned();
            }
            situation
                .events
                .iter_mut()
                .for_each(|e| rename(&mut e.lines));
        }
        ItemKind::Event => {
            situation
                .events
                .iter_mut()
                .for_each(|e| rename(&mut e.answers));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_read_like_names() {
        assert_eq!(slug("ECOWAS Commission", "x"), "ecowas-commission");
        assert_eq!(
            slug("Forces vives de Guinée", "x"),
            "forces-vives-de-guinee"
        );
        assert_eq!(slug("Women's groups", "x"), "womens-groups");
        assert_eq!(slug("  !! ", "actor"), "actor");
        assert_eq!(
            slug("Economic Community of West African States", "x"),
            "economic-community-of-west-african-states",
            "a long name keeps its last word whole"
        );
        let long = slug(
            "United Nations Office for West Africa and the Sahel, Dakar liaison",
            "x",
        );
        assert_eq!(long, "united-nations-office-for-west-africa-and-the");
        assert!(long.len() <= SLUG_MAX);
        assert_eq!(slug(&"a".repeat(100), "x").len(), SLUG_MAX);
    }
}
