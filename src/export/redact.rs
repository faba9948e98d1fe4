//! Leaving out what an audience may not see: the items themselves and every reference to them.

use std::collections::HashSet;

use super::ExportOptions;
use super::mentions::{Mention, Needles, mentions};
use crate::model::{Sensitivity, Situation};

/// What [`redact`] left out.
///
/// The names are for the preview shown to the person who exports; they must never be
/// written into an export.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RedactionReport {
    /// The ceiling the situation was redacted to.
    pub ceiling: Sensitivity,
    /// Names of the actors left out.
    pub actors: Vec<String>,
    /// Names of the partner organizations left out.
    pub partners: Vec<String>,
    /// Titles of the lines of effort left out.
    pub lines: Vec<String>,
    /// Assignments left out, as `line title × partner name`.
    pub assignments: Vec<String>,
    /// Titles of the events left out.
    pub events: Vec<String>,
    /// How many references from kept items to left-out items were dropped
    /// (an event naming a left-out actor, a line engaging one, an answer to a left-out warning).
    pub references: usize,
    /// Kept free text that still names a left-out item: redaction does not rewrite prose, so
    /// the person exporting must read these before sending the file.
    pub mentions: Vec<Mention>,
    /// How many internal notes were left out ([`prepare`] without notes); `None` when notes
    /// are kept.
    pub notes_left_out: Option<usize>,
    /// The name of the partner the export is made for ([`ExportOptions::partner`]), when it
    /// is one the audience may see.
    pub for_partner: Option<String>,
}

impl RedactionReport {
    /// How many items and assignments were left out, references not counted.
    pub fn total(&self) -> usize {
        self.actors.len()
            + self.partners.len()
            + self.lines.len()
            + self.assignments.len()
            + self.events.len()
    }

    /// Whether nothing at all was left out.
    pub fn is_empty(&self) -> bool {
        self.total() == 0 && self.references == 0
    }

    /// One line of counts, without names, ending with the choice about internal notes:
    /// `left out above unclassified: 2 actors, 1 partner, 4 assignments; internal notes left out`.
    pub fn summary(&self) -> String {
        let notes = match self.notes_left_out {
            Some(_) => "internal notes left out",
            None => "internal notes included",
        };
        format!("{}; {notes}", self.items_summary())
    }

    fn items_summary(&self) -> String {
        if self.is_empty() {
            return format!(
                "nothing left out: every item is {} or below",
                self.ceiling.label().to_lowercase()
            );
        }
        let parts: Vec<String> = [
            (self.actors.len(), "actor", "actors"),
            (self.partners.len(), "partner", "partners"),
            (self.lines.len(), "line of effort", "lines of effort"),
            (self.assignments.len(), "assignment", "assignments"),
            (self.events.len(), "event", "events"),
            (self.references, "reference", "references"),
            (
                self.mentions.len(),
                "text that still names a left-out item",
                "texts that still name left-out items",
            ),
        ]
        .into_iter()
        .filter(|(n, _, _)| *n > 0)
        .map(|(n, one, many)| crate::text::counted(n, one, many))
        .collect();
        format!(
            "left out above {}: {}",
            self.ceiling.label().to_lowercase(),
            parts.join(", ")
        )
    }
}

/// A copy of `situation` without the items above `ceiling` and without any reference to them.
///
/// - actors, partners, lines of effort, assignments and events above the ceiling are removed;
/// - an assignment to a removed line or partner is removed;
/// - a line of effort stops naming removed actors;
/// - an event stops naming removed actors, partners and lines, and stops answering removed events.
///
/// The situation's own title, summary and dates are kept: they describe the file, not an item.
/// Internal notes are kept too: [`prepare`] is what exports use.
pub fn redact(situation: &Situation, ceiling: Sensitivity) -> (Situation, RedactionReport) {
    let (out, mut report, needles) = redact_items(situation, ceiling);
    report.mentions = mentions(&out, &needles);
    (out, report)
}

/// What an export of `situation` may contain for `options`: [`redact`]ed to the audience's
/// ceiling, and without internal notes unless `options.notes`. The report's mentions cover
/// only the text that stays.
pub fn prepare(situation: &Situation, options: &ExportOptions) -> (Situation, RedactionReport) {
    let (mut out, mut report, needles) = redact_items(situation, options.audience.ceiling);
    if !options.notes {
        report.notes_left_out = Some(strip_notes(&mut out));
    }
    report.for_partner = options
        .partner
        .as_deref()
        .and_then(|id| out.partner(id))
        .map(|p| p.name.clone());
    report.mentions = mentions(&out, &needles);
    (out, report)
}

/// Empties every internal note: actors', partners', lines of effort's, assignments' and
/// events'. Returns how many were not empty.
pub fn strip_notes(situation: &mut Situation) -> usize {
    let mut count = 0;
    let mut clear = |note: &mut String| {
        if !note.trim().is_empty() {
            count += 1;
        }
        note.clear();
    };
    situation
        .actors
        .iter_mut()
        .for_each(|a| clear(&mut a.notes));
    situation
        .partners
        .iter_mut()
        .for_each(|p| clear(&mut p.notes));
    situation.lines.iter_mut().for_each(|l| clear(&mut l.notes));
    situation
        .assignments
        .iter_mut()
        .for_each(|a| clear(&mut a.note));
    situation
        .events
        .iter_mut()
        .for_each(|e| clear(&mut e.notes));
    count
}

/// The items and references of [`redact`], and the names to look for in the text that stays.
fn redact_items(
    situation: &Situation,
    ceiling: Sensitivity,
) -> (Situation, RedactionReport, Needles) {
    let mut out = situation.clone();
    let mut report = RedactionReport {
        ceiling,
        ..RedactionReport::default()
    };
    let visible = |s: Sensitivity| s <= ceiling;

    let (kept, gone): (Vec<_>, Vec<_>) = std::mem::take(&mut out.actors)
        .into_iter()
        .partition(|a| visible(a.sensitivity));
    report.actors = gone.into_iter().map(|a| a.name).collect();
    out.actors = kept;

    let (kept, gone): (Vec<_>, Vec<_>) = std::mem::take(&mut out.partners)
        .into_iter()
        .partition(|p| visible(p.sensitivity));
    let gone_acronyms: Vec<String> = gone.iter().map(|p| p.acronym.clone()).collect();
    report.partners = gone.into_iter().map(|p| p.name).collect();
    out.partners = kept;

    let (kept, gone): (Vec<_>, Vec<_>) = std::mem::take(&mut out.lines)
        .into_iter()
        .partition(|l| visible(l.sensitivity));
    report.lines = gone.into_iter().map(|l| l.title).collect();
    out.lines = kept;

    let (kept, gone): (Vec<_>, Vec<_>) = std::mem::take(&mut out.events)
        .into_iter()
        .partition(|e| visible(e.sensitivity));
    report.events = gone.into_iter().map(|e| e.title).collect();
    out.events = kept;

    let actors: HashSet<String> = out.actors.iter().map(|a| a.id.clone()).collect();
    let partners: HashSet<String> = out.partners.iter().map(|p| p.id.clone()).collect();
    let lines: HashSet<String> = out.lines.iter().map(|l| l.id.clone()).collect();
    let events: HashSet<String> = out.events.iter().map(|e| e.id.clone()).collect();
    let name_of = |line: &str, partner: &str| {
        let line = situation
            .line(line)
            .map_or(line.to_owned(), |l| l.title.clone());
        let partner = situation
            .partner(partner)
            .map_or(partner.to_owned(), |p| p.name.clone());
        format!("{line} × {partner}")
    };
    let (kept, gone): (Vec<_>, Vec<_>) = std::mem::take(&mut out.assignments)
        .into_iter()
        .partition(|a| {
            visible(a.sensitivity) && lines.contains(&a.line) && partners.contains(&a.partner)
        });
    report.assignments = gone.iter().map(|a| name_of(&a.line, &a.partner)).collect();
    out.assignments = kept;

    let mut dropped = 0;
    let mut keep_only = |list: &mut Vec<String>, allowed: &HashSet<String>| {
        let before = list.len();
        list.retain(|id| allowed.contains(id));
        dropped += before - list.len();
    };
    for line in &mut out.lines {
        keep_only(&mut line.actors, &actors);
    }
    for event in &mut out.events {
        keep_only(&mut event.actors, &actors);
        keep_only(&mut event.partners, &partners);
        keep_only(&mut event.lines, &lines);
        keep_only(&mut event.answers, &events);
    }
    report.references = dropped;
    let names = report
        .actors
        .iter()
        .chain(&report.partners)
        .chain(&report.lines)
        .chain(&report.events)
        .map(String::as_str);
    let needles = Needles::new(names, gone_acronyms.iter().map(String::as_str));
    (out, report, needles)
}
