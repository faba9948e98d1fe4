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

use std::collections::{HashMap, HashSet};

use super::ExportOptions;
use super::mentions::Needles;
use super::redact::prepare;
use crate::analysis::diff::{DiffSection, SituationDiff, diff};
use crate::model::{ItemKind, Sensitivity, Situation};

/// The diff from `old` to `new` as the audience of `options` may read it (see the module).
pub fn since(old: &Situation, new: &Situation, options: &ExportOptions) -> SituationDiff {
    let (new_kept, _) = prepare(new, options);
    SinceMark::new("", "", old, new).diff(&new_kept, options)
}

/// An earlier state to report changes since, ready for any audience: what an export's
/// "Since …" section is made from ([`ExportOptions::since`]).
///
/// Made from the earlier state and the present one (whole, not redacted), so that an export,
/// which sees only the present state redacted, still knows which items are hidden now rather
/// than removed.
#[derive(Debug)]
pub struct SinceMark {
    /// What the earlier state is called: a mark's name, a file's name.
    pub name: String,
    /// When it was taken, as shown: "2 Nov 2026".
    pub date: String,
    /// The earlier state, each item at least as sensitive as it is now.
    old: Situation,
    /// Names and acronyms of the present items, with their sensitivity: an old value naming
    /// one the audience may not see is withheld.
    names_now: Vec<(Sensitivity, String, bool)>,
}

impl PartialEq for SinceMark {
    /// The same mark, not an equal one: options compare cheaply.
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

impl Eq for SinceMark {}

impl SinceMark {
    /// `old`, called `name` and dated `date`, against the present state `now`.
    pub fn new(
        name: impl Into<String>,
        date: impl Into<String>,
        old: &Situation,
        now: &Situation,
    ) -> Self {
        let mut old = old.clone();
        as_sensitive_as_now(&mut old, now);
        let mut names_now = Vec::new();
        for a in &now.actors {
            names_now.push((a.sensitivity, a.name.clone(), false));
            names_now.extend(a.aliases.iter().map(|n| (a.sensitivity, n.clone(), false)));
        }
        for p in &now.partners {
            names_now.push((p.sensitivity, p.name.clone(), false));
            names_now.push((p.sensitivity, p.acronym.clone(), true));
        }
        names_now.extend(
            now.lines
                .iter()
                .map(|l| (l.sensitivity, l.title.clone(), false)),
        );
        names_now.extend(
            now.events
                .iter()
                .map(|e| (e.sensitivity, e.title.clone(), false)),
        );
        Self {
            name: name.into(),
            date: date.into(),
            old,
            names_now,
        }
    }

    /// The heading of its section: "Since Council briefing (2 Nov 2026)".
    pub fn title(&self) -> String {
        if self.date.is_empty() {
            format!("Since {}", self.name)
        } else {
            format!("Since {} ({})", self.name, self.date)
        }
    }

    /// The diff from the earlier state to `now_kept`, the present state already
    /// [`prepare`]d for `options`.
    pub fn diff(&self, now_kept: &Situation, options: &ExportOptions) -> SituationDiff {
        let (old_kept, _) = prepare(&self.old, options);
        let mut out = diff(&old_kept, now_kept);
        let ceiling = options.audience.ceiling;
        let mut names: Vec<&str> = Vec::new();
        let mut acronyms: Vec<&str> = Vec::new();
        for (sensitivity, name, acronym) in &self.names_now {
            if *sensitivity > ceiling {
                if *acronym { &mut acronyms } else { &mut names }.push(name);
            }
        }
        let (old_names, old_acronyms) = left_out_of(&self.old, &old_kept);
        names.extend(old_names);
        acronyms.extend(old_acronyms);
        let needles = Needles::new(names, acronyms);
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

    /// The section an export prints: its title and the changes in words.
    pub fn section(&self, now_kept: &Situation, options: &ExportOptions) -> SinceSection {
        let diff = self.diff(now_kept, options);
        SinceSection {
            title: self.title(),
            empty: diff.is_empty(),
            groups: diff.sections(),
        }
    }
}

/// The "Since …" section of a paper or workbook.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SinceSection {
    /// "Since Council briefing (2 Nov 2026)".
    pub title: String,
    /// Whether no item changed (the warning-to-action figures are still given).
    pub empty: bool,
    /// The changes in words, grouped.
    pub groups: Vec<DiffSection>,
}

/// Raises every item and cell of `old` to its sensitivity in `now` when that is higher, so
/// that redacting `old` for any audience leaves out what redacting `now` leaves out.
fn as_sensitive_as_now(old: &mut Situation, now: &Situation) {
    fn raise<'a, T: 'a>(
        old: impl Iterator<Item = &'a mut T>,
        now: HashMap<String, Sensitivity>,
        key: impl Fn(&T) -> String,
        sensitivity: impl Fn(&mut T) -> &mut Sensitivity,
    ) {
        for item in old {
            if let Some(&then) = now.get(&key(item)) {
                let s = sensitivity(item);
                *s = (*s).max(then);
            }
        }
    }
    let map = |pairs: Vec<(String, Sensitivity)>| pairs.into_iter().collect::<HashMap<_, _>>();
    let id = |id: &String| id.clone();
    raise(
        old.actors.iter_mut(),
        map(now
            .actors
            .iter()
            .map(|x| (id(&x.id), x.sensitivity))
            .collect()),
        |x| id(&x.id),
        |x| &mut x.sensitivity,
    );
    raise(
        old.partners.iter_mut(),
        map(now
            .partners
            .iter()
            .map(|x| (id(&x.id), x.sensitivity))
            .collect()),
        |x| id(&x.id),
        |x| &mut x.sensitivity,
    );
    raise(
        old.lines.iter_mut(),
        map(now
            .lines
            .iter()
            .map(|x| (id(&x.id), x.sensitivity))
            .collect()),
        |x| id(&x.id),
        |x| &mut x.sensitivity,
    );
    raise(
        old.events.iter_mut(),
        map(now
            .events
            .iter()
            .map(|x| (id(&x.id), x.sensitivity))
            .collect()),
        |x| id(&x.id),
        |x| &mut x.sensitivity,
    );
    let cell = |line: &str, partner: &str| format!("{line}\u{0}{partner}");
    raise(
        old.assignments.iter_mut(),
        map(now
            .assignments
            .iter()
            .map(|x| (cell(&x.line, &x.partner), x.sensitivity))
            .collect()),
        |x| cell(&x.line, &x.partner),
        |x| &mut x.sensitivity,
    );
}

/// The names of the items of `full` left out of `kept`, and the acronyms of its partners left
/// out.
fn left_out_of<'a>(full: &'a Situation, kept: &Situation) -> (Vec<&'a str>, Vec<&'a str>) {
    let ids = |list: Vec<&str>| {
        list.into_iter()
            .map(str::to_owned)
            .collect::<HashSet<String>>()
    };
    let kept_ids = [
        ItemKind::Actor,
        ItemKind::Partner,
        ItemKind::Line,
        ItemKind::Event,
    ]
    .map(|kind| ids(crate::analysis::diff::item_ids(kept, kind)));
    let [actors, partners, lines, events] = &kept_ids;
    let mut names: Vec<&str> = Vec::new();
    let mut acronyms: Vec<&str> = Vec::new();
    for a in full.actors.iter().filter(|a| !actors.contains(&a.id)) {
        names.push(&a.name);
        names.extend(a.aliases.iter().map(String::as_str));
    }
    for p in full.partners.iter().filter(|p| !partners.contains(&p.id)) {
        names.push(&p.name);
        acronyms.push(&p.acronym);
    }
    names.extend(
        full.lines
            .iter()
            .filter(|l| !lines.contains(&l.id))
            .map(|l| l.title.as_str()),
    );
    names.extend(
        full.events
            .iter()
            .filter(|e| !events.contains(&e.id))
            .map(|e| e.title.as_str()),
    );
    (names, acronyms)
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
        assert!(d.to_text().contains("“Talks”: title changed to “Talks”"));
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
