//! The timeline as iCalendar (RFC 5545): one all-day VEVENT per event.
//!
//! A date known to the day is that day; one known only to the month or the year becomes an
//! all-day span over the whole month or year, and its DESCRIPTION says so. DTEND is exclusive.

use chrono::{Duration, NaiveDate};

use crate::model::{Event, Precision, Sensitivity, Situation, ids::slug};

/// The PRODID written in every calendar.
pub const PRODID: &str = "-//Tandem//Tandem situation timeline//EN";

/// Text escaped for an iCalendar TEXT value: `\`, `;`, `,` and newlines.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Appends one content line, folded at 75 octets (never inside a UTF-8 character), ending in CRLF.
fn push_line(out: &mut String, line: &str) {
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

fn date_value(date: NaiveDate) -> String {
    date.format("%Y%m%d").to_string()
}

/// The `CLASS` for a sensitivity: PUBLIC, CONFIDENTIAL or PRIVATE.
pub fn class(sensitivity: Sensitivity) -> &'static str {
    match sensitivity {
        Sensitivity::Unclassified => "PUBLIC",
        Sensitivity::Confidential => "CONFIDENTIAL",
        Sensitivity::StrictlyConfidential => "PRIVATE",
    }
}

fn precision_note(event: &Event) -> Option<String> {
    let dates = std::iter::once(event.date).chain(event.end);
    let words = |p: Precision| match p {
        Precision::Year => Some("year"),
        Precision::Month => Some("month"),
        Precision::Day => None,
    };
    let coarse: Vec<String> = dates
        .filter_map(|d| words(d.precision()).map(|w| format!("{d} (to the {w})")))
        .collect();
    (!coarse.is_empty()).then(|| {
        format!(
            "Date known only to the month or year: {}; shown as an all-day span over the whole period.",
            coarse.join(", ")
        )
    })
}

fn description(situation: &Situation, event: &Event, marking: &str) -> String {
    let mut parts = vec![event.kind.label().to_owned()];
    if let Some(note) = precision_note(event) {
        parts.push(note);
    }
    if !event.notes.trim().is_empty() {
        parts.push(event.notes.trim().to_owned());
    }
    let names = |label: &str, list: Vec<String>| {
        (!list.is_empty()).then(|| format!("{label}: {}", list.join(", ")))
    };
    parts.extend(names(
        "Actors",
        event
            .actors
            .iter()
            .filter_map(|id| situation.actor(id).map(|a| a.name.clone()))
            .collect(),
    ));
    parts.extend(names(
        "Partners",
        event
            .partners
            .iter()
            .filter_map(|id| situation.partner(id).map(|p| p.name.clone()))
            .collect(),
    ));
    parts.extend(names(
        "Lines of effort",
        event
            .lines
            .iter()
            .filter_map(|id| situation.line(id).map(|l| l.title.clone()))
            .collect(),
    ));
    parts.extend(names(
        "Answers",
        event
            .answers
            .iter()
            .filter_map(|id| situation.event(id).map(|e| e.title.clone()))
            .collect(),
    ));
    if !event.source.trim().is_empty() {
        parts.push(format!("Source: {}", event.source.trim()));
    }
    parts.push(marking.to_owned());
    parts.join("\n")
}

/// One VCALENDAR with a VEVENT per event of `situation` (already redacted), in date order.
pub fn calendar(situation: &Situation, marking: &str) -> String {
    let mut out = String::new();
    let domain = format!("{}.tandem", slug(&situation.title, "situation"));
    let stamp = format!("{}T000000Z", date_value(situation.as_of.first_day()));
    push_line(&mut out, "BEGIN:VCALENDAR");
    push_line(&mut out, &format!("PRODID:{PRODID}"));
    push_line(&mut out, "VERSION:2.0");
    push_line(&mut out, "CALSCALE:GREGORIAN");
    push_line(&mut out, "METHOD:PUBLISH");
    push_line(
        &mut out,
        &format!("X-WR-CALNAME:{}", escape(&situation.title)),
    );
    push_line(&mut out, &format!("X-WR-CALDESC:{}", escape(marking)));
    let mut events: Vec<&Event> = situation.events.iter().collect();
    events.sort_by(|a, b| a.date.cmp(&b.date).then(a.id.cmp(&b.id)));
    for event in events {
        let start = event.date.first_day();
        let last = event.end.unwrap_or(event.date).last_day().max(start);
        let end = last + Duration::days(1);
        push_line(&mut out, "BEGIN:VEVENT");
        push_line(&mut out, &format!("UID:{}@{domain}", escape(&event.id)));
        push_line(&mut out, &format!("DTSTAMP:{stamp}"));
        push_line(
            &mut out,
            &format!("DTSTART;VALUE=DATE:{}", date_value(start)),
        );
        push_line(&mut out, &format!("DTEND;VALUE=DATE:{}", date_value(end)));
        push_line(&mut out, &format!("SUMMARY:{}", escape(&event.title)));
        push_line(
            &mut out,
            &format!(
                "DESCRIPTION:{}",
                escape(&description(situation, event, marking))
            ),
        );
        push_line(
            &mut out,
            &format!("CATEGORIES:{}", escape(event.kind.label())),
        );
        push_line(&mut out, &format!("CLASS:{}", class(event.sensitivity)));
        push_line(&mut out, "TRANSP:TRANSPARENT");
        push_line(&mut out, "END:VEVENT");
    }
    push_line(&mut out, "END:VCALENDAR");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_characters() {
        let mut out = String::new();
        let text = format!("SUMMARY:{}", "é".repeat(100));
        push_line(&mut out, &text);
        for line in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(line.len() <= 75, "{} octets", line.len());
        }
        assert_eq!(out.replace("\r\n ", "").trim_end(), text);
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
    }
}
