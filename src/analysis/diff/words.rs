//! A diff in words, grouped the way a briefing reads it: names and titles, never ids
//! (except for a rename, whose news is the id).

use crate::text::capitalised;
use serde::Serialize;

use super::{Change, ContinuumFigures, FieldChange, ItemChange, RoleChange, SituationDiff};
use crate::model::ItemKind;

/// The longest value quoted in a sentence; longer texts are cut with an ellipsis.
const QUOTE_CHARS: usize = 80;

/// What a diff without any change says.
pub const NO_CHANGE: &str = "No item changed.";

/// One group of changes, in words: "Actors", "The matrix"…
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DiffSection {
    pub title: &'static str,
    /// One sentence per change.
    pub lines: Vec<String>,
}

impl SituationDiff {
    /// The changes in words, grouped: the situation, actors, partners, lines of effort, the
    /// matrix, events, then the warning-to-action figures then and now (always there). Groups
    /// without a change are left out.
    pub fn sections(&self) -> Vec<DiffSection> {
        let mut events: Vec<String> = Vec::new();
        events.extend(
            self.events
                .new_warnings
                .iter()
                .map(|c| grouped("New warning", c)),
        );
        events.extend(
            self.events
                .new_actions
                .iter()
                .map(|c| grouped("New action", c)),
        );
        events.extend(
            self.events
                .new_thresholds_ahead
                .iter()
                .map(|t| format!("Threshold moment ahead: “{}” ({})", t.title, t.date)),
        );
        events.extend(self.events.other.iter().map(item_line));
        let groups = [
            (
                "The situation",
                self.situation
                    .iter()
                    .map(|f| capitalised(&field_line(f)))
                    .collect(),
            ),
            ("Actors", self.actors.iter().map(item_line).collect()),
            ("Partners", self.partners.iter().map(item_line).collect()),
            (
                "Lines of effort",
                self.lines.iter().map(item_line).collect(),
            ),
            ("The matrix", self.matrix.iter().map(cell_line).collect()),
            ("Events", events),
            (
                "Warning to action, then and now",
                continuum_lines(&self.continuum_then, &self.continuum_now),
            ),
        ];
        groups
            .into_iter()
            .filter(|(_, lines): &(_, Vec<String>)| !lines.is_empty())
            .map(|(title, lines)| DiffSection { title, lines })
            .collect()
    }

    /// The whole diff as plain text: a heading line per group, a `- ` line per change.
    pub fn to_text(&self) -> String {
        let mut out = format!(
            "{} (as of {}) → {} (as of {})\n",
            self.old.title, self.old.as_of, self.new.title, self.new.as_of
        );
        if self.is_empty() {
            out.push_str(NO_CHANGE);
            out.push('\n');
        }
        for section in self.sections() {
            out.push('\n');
            out.push_str(section.title);
            out.push('\n');
            for line in section.lines {
                out.push_str("- ");
                out.push_str(&line);
                out.push('\n');
            }
        }
        out
    }
}

/// An item as a sentence names it: a partner by its acronym, the others in quotes.
fn named(change: &ItemChange) -> String {
    match change.kind {
        ItemKind::Partner => change.name.clone(),
        _ => format!("“{}”", change.name),
    }
}

fn item_line(change: &ItemChange) -> String {
    let kind = change.kind.label();
    match &change.change {
        Change::Added => format!("New {kind}: {} ({})", named(change), change.what),
        Change::Removed => format!("Removed {kind}: {} ({})", named(change), change.what),
        Change::Renamed { old_id } => format!(
            "{}: id changed from {old_id} to {}, nothing else",
            capitalised(&named(change)),
            change.id
        ),
        Change::Changed => format!(
            "{}: {}",
            capitalised(&named(change)),
            change
                .fields
                .iter()
                .map(field_line)
                .collect::<Vec<_>>()
                .join("; ")
        ),
    }
}

/// A new warning or action: its title and date (its kind is the group's).
fn grouped(prefix: &str, change: &ItemChange) -> String {
    let date = change
        .what
        .split_once(", ")
        .map_or(change.what.as_str(), |(_, date)| date);
    format!("{prefix}: {} ({date})", named(change))
}

fn cell_line(cell: &RoleChange) -> String {
    let (partner, line) = (&cell.partner, &cell.line);
    let role = match (&cell.old_role, &cell.new_role) {
        (None, Some(new)) => Some(format!("{partner} became {new} on “{line}”")),
        (Some(old), None) => Some(format!("{partner} is no longer {old} on “{line}”")),
        (Some(old), Some(new)) if old != new => {
            Some(format!("{partner} went from {old} to {new} on “{line}”"))
        }
        _ => None,
    };
    let fields: Vec<String> = cell.fields.iter().map(field_line).collect();
    match (role, fields.is_empty()) {
        (Some(role), true) => role,
        (Some(role), false) => format!("{role}; {}", fields.join("; ")),
        (None, _) => format!("{partner} on “{line}”: {}", fields.join("; ")),
    }
}

/// `stance changed from Neutral to Resistant`, `end set to 2010-01`, `notes cleared`.
fn field_line(f: &FieldChange) -> String {
    let field = f.field;
    let show = |value: &str| {
        let cut = quoted(value);
        if f.free_text {
            format!("“{cut}”")
        } else {
            cut
        }
    };
    let (old, new) = (show(&f.old), show(&f.new));
    match (f.old.is_empty() || f.old_withheld, f.new.is_empty()) {
        (_, true) if f.old_withheld || f.old.is_empty() => format!("{field} cleared"),
        (_, true) => format!("{field} cleared (was {old})"),
        (true, false) if f.old_withheld => format!("{field} changed to {new}"),
        (true, false) => format!("{field} set to {new}"),
        (false, false) => format!("{field} changed from {old} to {new}"),
    }
}

/// A value as quoted in a sentence, cut at [`QUOTE_CHARS`].
fn quoted(value: &str) -> String {
    let value = value.split_whitespace().collect::<Vec<_>>().join(" ");
    if value.chars().count() <= QUOTE_CHARS {
        return value;
    }
    let cut: String = value.chars().take(QUOTE_CHARS - 1).collect();
    format!("{}…", cut.trim_end())
}

fn continuum_lines(then: &ContinuumFigures, now: &ContinuumFigures) -> Vec<String> {
    let lag = |f: &ContinuumFigures| match f.median_lag_days {
        Some(days) if days.fract() == 0.0 => format!("{days:.0} days"),
        Some(days) => format!("{days:.1} days"),
        None => "none".to_owned(),
    };
    let pair = |label: &str, a: usize, b: usize| format!("{label}: {a} then, {b} now");
    vec![
        pair("Warning signs", then.warnings, now.warnings),
        pair("Answered by the as-of date", then.answered, now.answered),
        pair("Unanswered", then.unanswered, now.unanswered),
        pair(
            "Answer only planned",
            then.answer_planned,
            now.answer_planned,
        ),
        format!(
            "Median warning-to-action lag: {} then, {} now",
            lag(then),
            lag(now)
        ),
    ]
}
