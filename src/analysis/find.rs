//! Finding items by what a desk officer types: a name, an acronym, a title, an id.

use crate::model::{ItemKind, ItemRef, Situation};

/// An item that matches a search, with what to show for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    pub item: ItemRef,
    /// The item's name or title (a partner's acronym first: "ECOWAS — Economic Community…").
    pub title: String,
    /// Its kind in words ("Partner"), for the second column.
    pub kind: &'static str,
    /// How well it matches: lower is better (exact acronym or name, then a start, then inside).
    rank: u8,
}

/// The items whose name, acronym, title or id contains every word of `query` (case does not
/// matter), best first: an exact acronym or name, then one that starts with the query, then
/// one that contains it; actors, partners, lines of effort, then events. At most `limit`
/// are returned; the second value is how many matched in all.
pub fn find_items(situation: &Situation, query: &str, limit: usize) -> (Vec<Found>, usize) {
    let query = query.trim().to_lowercase();
    let words: Vec<&str> = query.split_whitespace().collect();
    if words.is_empty() {
        return (Vec::new(), 0);
    }
    let mut found = Vec::new();
    let mut consider = |kind: ItemKind, id: &str, title: String, also: &[&str]| {
        let name = title.to_lowercase();
        let mut haystack = format!("{name} {}", id.to_lowercase());
        for extra in also {
            haystack.push(' ');
            haystack.push_str(&extra.to_lowercase());
        }
        if !words.iter().all(|w| haystack.contains(w)) {
            return;
        }
        let exact = name == query || also.iter().any(|a| a.to_lowercase() == query);
        let rank = if exact {
            0
        } else if name.starts_with(&query)
            || also.iter().any(|a| a.to_lowercase().starts_with(&query))
        {
            1
        } else {
            2
        };
        found.push(Found {
            item: ItemRef::new(kind, id),
            title,
            kind: kind_label(kind),
            rank,
        });
    };
    for a in &situation.actors {
        consider(ItemKind::Actor, &a.id, a.name.clone(), &[]);
    }
    for p in &situation.partners {
        let title = if p.acronym.trim().is_empty() {
            p.name.clone()
        } else {
            format!("{} — {}", p.acronym, p.name)
        };
        consider(ItemKind::Partner, &p.id, title, &[&p.acronym, &p.name]);
    }
    for l in &situation.lines {
        consider(ItemKind::Line, &l.id, l.title.clone(), &[]);
    }
    for e in &situation.events {
        consider(
            ItemKind::Event,
            &e.id,
            format!("{} ({})", e.title, e.date),
            &[],
        );
    }
    // A stable sort keeps the kinds' order within each rank.
    found.sort_by_key(|f| f.rank);
    let total = found.len();
    found.truncate(limit);
    (found, total)
}

fn kind_label(kind: ItemKind) -> &'static str {
    match kind {
        ItemKind::Actor => "Actor",
        ItemKind::Partner => "Partner",
        ItemKind::Line => "Line of effort",
        ItemKind::Event => "Event",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::samples::guinea;

    #[test]
    fn an_acronym_finds_its_partner_first_whatever_the_case() {
        let s = guinea();
        let (found, total) = find_items(&s, "ecowas", 50);
        assert!(
            total >= 2,
            "ECOWAS is named in lines and events too ({total})"
        );
        let first = &found[0];
        assert_eq!(first.item, ItemRef::new(ItemKind::Partner, "ecowas"));
        assert!(first.title.starts_with("ECOWAS — "), "{}", first.title);
        assert_eq!(first.kind, "Partner");
    }

    #[test]
    fn every_word_must_match_and_ids_count_too() {
        let s = guinea();
        let (found, _) = find_items(&s, "mediation junta", 50);
        assert!(!found.is_empty());
        for f in &found {
            let t = f.title.to_lowercase();
            assert!(
                t.contains("mediation") || f.item.id.contains("mediation"),
                "{f:?}"
            );
        }
        let (by_id, _) = find_items(&s, "loe-mediation", 50);
        assert_eq!(by_id[0].item.id, "loe-mediation");
        assert_eq!(find_items(&s, "zzzz-nothing", 50).1, 0);
        assert_eq!(find_items(&s, "   ", 50).1, 0);
    }

    #[test]
    fn the_limit_keeps_the_best_and_the_total_counts_all() {
        let s = guinea();
        let (all, total) = find_items(&s, "a", 10_000);
        assert_eq!(all.len(), total);
        let (some, same_total) = find_items(&s, "a", 5);
        assert_eq!(some.len(), 5);
        assert_eq!(same_total, total);
        assert_eq!(some, all[..5].to_vec());
    }
}
