//! What changed, for an audience: the diff of two states after both are [`prepare`]d the way an
//! export is, so that a change to an item the audience may not see leaves no trace.
//!
//! - An item the audience may not see now is left out of both states, with every reference to
//!   it: its change, even its removal, is not reported.
//! - An item the audience could not see before but may see now is reported as added, with its
//!   values now only: its old values stay out.
//! - An old value of a visible item that names an item left out (a title that named a
//!   strictly confidential actor) is withheld: the field reads "changed to …".
//! - Internal notes are compared only when the options include them.

use super::ExportOptions;
use super::mentions::Needles;
use super::redact::prepare;
use crate::analysis::diff::{SituationDiff, diff};
use crate::model::{Sensitivity, Situation};

/// The diff from `old` to `new` as the audience of `options` may read it (see the module).
pub fn since(old: &Situation, new: &Situation, options: &ExportOptions) -> SituationDiff {
    let ceiling = options.audience.ceiling;
    let mut old_marked = old.clone();
    hide_what_is_hidden_now(&mut old_marked, new, ceiling);
    let (old_kept, _) = prepare(&old_marked, options);
    let (new_kept, _) = prepare(new, options);
    let mut out = diff(&old_kept, &new_kept);
    let needles = left_out_names(&[(old, &old_kept), (new, &new_kept)]);
    if !needles.is_empty() {
        for field in out.field_changes_mut() {
            if !field.old.is_empty() && !needles.find_in(&field.old).is_empty() {
                field.old.clear();
                field.old_withheld = true;
            }
        }
    }
    out
}

/// Raises the sensitivity of every item and cell of `old` that is above `ceiling` in `new`
/// to its new sensitivity, so that redacting `old` leaves it out as redacting `new` does.
fn hide_what_is_hidden_now(old: &mut Situation, new: &Situation, ceiling: Sensitivity) {
    let hide = |sensitivity: &mut Sensitivity, now: Option<Sensitivity>| {
        if let Some(now) = now.filter(|s| *s > ceiling) {
            *sensitivity = (*sensitivity).max(now);
        }
    };
    for a in &mut old.actors {
        hide(&mut a.sensitivity, new.actor(&a.id).map(|x| x.sensitivity));
    }
    for p in &mut old.partners {
        hide(
            &mut p.sensitivity,
            new.partner(&p.id).map(|x| x.sensitivity),
        );
    }
    for l in &mut old.lines {
        hide(&mut l.sensitivity, new.line(&l.id).map(|x| x.sensitivity));
    }
    for e in &mut old.events {
        hide(&mut e.sensitivity, new.event(&e.id).map(|x| x.sensitivity));
    }
    for a in &mut old.assignments {
        let now = new.assignment(&a.line, &a.partner).map(|x| x.sensitivity);
        hide(&mut a.sensitivity, now);
    }
}

/// The names and acronyms of every item of the full states left out of their kept copies.
fn left_out_names(states: &[(&Situation, &Situation)]) -> Needles {
    let mut names: Vec<&str> = Vec::new();
    let mut acronyms: Vec<&str> = Vec::new();
    for (full, kept) in states {
        names.extend(
            full.actors
                .iter()
                .filter(|a| kept.actor(&a.id).is_none())
                .flat_map(|a| {
                    std::iter::once(a.name.as_str()).chain(a.aliases.iter().map(String::as_str))
                }),
        );
        for p in full
            .partners
            .iter()
            .filter(|p| kept.partner(&p.id).is_none())
        {
            names.push(&p.name);
            acronyms.push(&p.acronym);
        }
        names.extend(
            full.lines
                .iter()
                .filter(|l| kept.line(&l.id).is_none())
                .map(|l| l.title.as_str()),
        );
        names.extend(
            full.events
                .iter()
                .filter(|e| kept.event(&e.id).is_none())
                .map(|e| e.title.as_str()),
        );
    }
    Needles::new(names, acronyms)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::Audience;
    use crate::model::{
        Actor, ActorKind, Assignment, Event, EventKind, Instrument, LineOfEffort, Partner,
        PartnerCategory, Role,
    };

    const CANARY: &str = "CANARY-STRICT";

    fn unclassified() -> ExportOptions {
        ExportOptions::new(Audience::new(Sensitivity::Unclassified))
    }

    fn base() -> Situation {
        let date = "2009-10-15".parse().expect("date");
        let mut s = Situation::new("Guinea", date);
        s.actors = vec![
            Actor::new("junta", "CNDD junta", ActorKind::DeFactoAuthority),
            Actor {
                sensitivity: Sensitivity::StrictlyConfidential,
                ..Actor::new(
                    "informant",
                    "Informant CANARY-STRICT",
                    ActorKind::CivilSociety,
                )
            },
        ];
        s.partners = vec![Partner {
            id: "ecowas".into(),
            name: "Economic Community of West African States".into(),
            acronym: "ECOWAS".into(),
            category: PartnerCategory::Subregional,
            instruments: Vec::new(),
            notes: String::new(),
            sensitivity: Sensitivity::Unclassified,
        }];
        s.lines = vec![LineOfEffort::new(
            "mediation",
            "Mediation",
            Instrument::SpecialEnvoy,
        )];
        s.assignments = vec![Assignment::new("mediation", "ecowas", Role::Support)];
        s.events = vec![Event::new(
            "talks",
            "Talks",
            EventKind::DiplomaticAction,
            "2009-10-10".parse().expect("date"),
        )];
        s
    }

    fn text(d: &SituationDiff) -> String {
        format!(
            "{}\n{}",
            d.to_text(),
            serde_json::to_string(d).unwrap_or_default()
        )
    }

    #[test]
    fn a_change_to_a_confidential_item_leaves_no_trace() {
        let old = base();
        let mut new = base();
        new.actors[1].name = "Informant CANARY-STRICT renamed".into();
        new.actors[1].notes = "CANARY-STRICT notes".into();
        new.lines[0].actors = vec!["informant".into()];
        let everything =
            ExportOptions::new(Audience::new(Sensitivity::StrictlyConfidential)).with_notes(true);
        assert!(text(&since(&old, &new, &everything)).contains(CANARY));
        let d = since(&old, &new, &unclassified());
        assert!(d.is_empty(), "{d:#?}");
        assert!(!text(&d).contains(CANARY));
    }

    #[test]
    fn an_item_made_confidential_is_not_reported_removed() {
        let old = base();
        let mut new = base();
        new.lines[0].sensitivity = Sensitivity::Confidential;
        new.lines[0].title = "Mediation CANARY-STRICT".into();
        new.assignments[0].role = Role::Lead;
        let d = since(&old, &new, &unclassified());
        assert!(d.is_empty(), "{d:#?}");
    }

    #[test]
    fn an_item_made_visible_is_new_to_the_audience_without_its_old_values() {
        let mut old = base();
        old.actors[1].stance = crate::model::Stance::Spoiler;
        let mut new = base();
        new.actors[1].sensitivity = Sensitivity::Unclassified;
        new.actors[1].name = "Civil society leader".into();
        let d = since(&old, &new, &unclassified());
        assert_eq!(d.actors.len(), 1);
        assert_eq!(d.actors[0].change, crate::analysis::diff::Change::Added);
        assert!(!text(&d).contains(CANARY), "{}", text(&d));
        assert!(!text(&d).contains("Spoiler"));
    }

    #[test]
    fn an_old_value_naming_a_left_out_item_is_withheld() {
        let mut old = base();
        old.events[0].title = "Talks with Informant CANARY-STRICT".into();
        let new = base();
        let d = since(&old, &new, &unclassified());
        assert_eq!(d.events.other.len(), 1, "{d:#?}");
        assert!(!text(&d).contains(CANARY), "{}", text(&d));
        assert!(d.to_text().contains("“Talks”: title changed to Talks"));
    }

    #[test]
    fn notes_are_compared_only_when_included() {
        let old = base();
        let mut new = base();
        new.actors[0].notes = "Desk notes".into();
        assert!(since(&old, &new, &unclassified()).is_empty());
        let with_notes = unclassified().with_notes(true);
        assert_eq!(since(&old, &new, &with_notes).actors.len(), 1);
    }
}
