//! What the tests of shared situations have in common: the random edits their properties make,
//! and which problems only concurrency can explain.

use tandem::model::edit::{self, Edit};
use tandem::model::{Diagnostic, Item, ItemKind, ItemRef, Sensitivity, Severity, Situation};

/// A random edit an officer might make, chosen by `op` (0 to 6) and `n`: rename an actor,
/// retitle an event, delete an event, duplicate a line, set or clear a matrix cell, rename an
/// actor's id, or move an actor above or below a strictly confidential ceiling. `None` when
/// the situation has nothing to edit that way.
pub fn random_edit(s: &Situation, op: u8, n: usize, word: &str) -> Option<Edit> {
    let pick = |len: usize| n % len.max(1);
    match op {
        0 => {
            let mut actor = s.actors.get(pick(s.actors.len()))?.clone();
            actor.name = format!("{} {word}", actor.name);
            Some(Edit::Replace {
                item: Item::Actor(actor),
            })
        }
        1 => {
            let mut event = s.events.get(pick(s.events.len()))?.clone();
            event.notes = word.into();
            event.title = format!("{} {word}", event.title);
            Some(Edit::Replace {
                item: Item::Event(event),
            })
        }
        2 => {
            let target = ItemRef::new(
                ItemKind::Event,
                s.events.get(pick(s.events.len()))?.id.clone(),
            );
            edit::delete(s, &target).ok()
        }
        3 => {
            let target = ItemRef::new(ItemKind::Line, s.lines.get(pick(s.lines.len()))?.id.clone());
            edit::duplicate(s, &target).ok()
        }
        4 => {
            let line = s.lines.get(pick(s.lines.len()))?.id.clone();
            let partner = s.partners.get(pick(s.partners.len() + 3))?.id.clone();
            let role = [tandem::model::Role::Lead, tandem::model::Role::Support][n % 2];
            Some(Edit::SetAssignment {
                assignment: (!n.is_multiple_of(3)).then(|| tandem::model::Assignment {
                    line: line.clone(),
                    partner: partner.clone(),
                    role,
                    note: String::new(),
                    sensitivity: Sensitivity::Unclassified,
                    places: Vec::new(),
                }),
                line,
                partner,
                index: None,
            })
        }
        5 => Some(Edit::RenameId {
            kind: ItemKind::Actor,
            old: s.actors.get(pick(s.actors.len()))?.id.clone(),
            new: format!("{word}-{n}"),
        }),
        _ => {
            let mut actor = s.actors.get(pick(s.actors.len()))?.clone();
            actor.sensitivity =
                [Sensitivity::Unclassified, Sensitivity::StrictlyConfidential][n % 2];
            Some(Edit::Replace {
                item: Item::Actor(actor),
            })
        }
    }
}

/// The edit [`random_edit`] chooses, when there is one and it applies to `s` (an edit that
/// the app would refuse, such as a rename to an id already taken, is not made).
pub fn random_valid_edit(s: &Situation, op: u8, n: usize, word: &str) -> Option<Edit> {
    let edit = random_edit(s, op, n, word)?;
    let mut probe = s.clone();
    edit::apply(&mut probe, edit.clone()).ok()?;
    Some(edit)
}

/// The errors the checks find in `s` that two officers' concurrent edits cannot explain.
/// Concurrency alone can make: an id added twice, a reference to an item a colleague deleted
/// meanwhile, a matrix cell set twice.
pub fn unexplained_errors(s: &Situation) -> Vec<Diagnostic> {
    let allowed = ["id.duplicate", "ref.unknown", "assignment.duplicate"];
    tandem::analysis::check_all(s)
        .into_iter()
        .filter(|d| d.severity == Severity::Error && !allowed.contains(&d.code))
        .collect()
}
