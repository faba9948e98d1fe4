//! The timeline as iCalendar (RFC 5545): one all-day VEVENT per event, written with the
//! `icalendar` crate (escaping, folding at 75 octets, CRLF).
//!
//! A date known to the day is that day; one known only to the month or the year becomes an
//! all-day span over the whole month or year, and its DESCRIPTION says so. DTEND is exclusive.
//!
//! Calendars show a one-line summary and a description of a few screens: a title longer than
//! [`NAME_MAX_CHARS`] is shortened in SUMMARY and given whole at the top of DESCRIPTION, and a
//! DESCRIPTION longer than [`DESCRIPTION_MAX_CHARS`] is cut with a note saying so. (The
//! crate's line folding also takes time in the square of a line's length.)

use chrono::{Duration, NaiveTime};
use icalendar::{Calendar, Class, Component as _, EventLike as _, Property};

use super::long_text::{NAME_MAX_CHARS, is_longer_than, prefix};
use crate::model::{Event, Precision, Sensitivity, Situation, ids::slug};

/// The PRODID written in every calendar.
pub const PRODID: &str = "-//Tandem//Tandem situation timeline//EN";

/// The longest DESCRIPTION written, in characters.
pub const DESCRIPTION_MAX_CHARS: usize = 16_000;

/// User text as a property value: control characters other than newlines become spaces
/// (the crate escapes `\`, `;`, `,` and newlines, not the rest), and at most `max_chars`
/// characters, ending with `tail` when cut.
fn value(text: &str, max_chars: usize, tail: &str) -> String {
    let cut = is_longer_than(text, max_chars);
    let kept = if cut { prefix(text, max_chars) } else { text };
    let mut out: String = kept
        .chars()
        .filter(|&c| c != '\r')
        .map(|c| if c.is_control() && c != '\n' { ' ' } else { c })
        .collect();
    if cut {
        out.push_str(tail);
    }
    out
}

/// The `CLASS` for a sensitivity: PUBLIC, CONFIDENTIAL or PRIVATE.
pub fn class(sensitivity: Sensitivity) -> Class {
    match sensitivity {
        Sensitivity::Unclassified => Class::Public,
        Sensitivity::Confidential => Class::Confidential,
        Sensitivity::StrictlyConfidential => Class::Private,
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

/// The event's place as LOCATION (its description, most specific first) and, when it has
/// coordinates, GEO (`latitude;longitude`, RFC 5545 §3.8.1.6).
fn add_place(vevent: &mut icalendar::Event, place: Option<&crate::model::Place>) {
    let Some(place) = place.filter(|p| !p.is_empty()) else {
        return;
    };
    let location = place.describe();
    if !location.is_empty() {
        vevent.location(&value(&location, NAME_MAX_CHARS, "…"));
    }
    if let Some(c) = place.coordinates {
        vevent.add_property("GEO", format!("{:.6};{:.6}", c.lat, c.lon));
    }
}

/// One VCALENDAR with a VEVENT per event of `situation` (already redacted), in date order.
pub fn calendar(situation: &Situation, marking: &str) -> String {
    let domain = format!("{}.tandem", slug(&situation.title, "situation"));
    let stamp = situation
        .as_of
        .first_day()
        .and_time(NaiveTime::MIN)
        .and_utc();
    let mut cal = Calendar::empty();
    for (key, val) in [
        ("VERSION", "2.0"),
        ("PRODID", PRODID),
        ("CALSCALE", "GREGORIAN"),
        ("METHOD", "PUBLISH"),
    ] {
        cal.append_property((key, val));
    }
    // Not `Calendar::name`: it also writes NAME, which the crate does not escape.
    cal.append_property(Property::new(
        "X-WR-CALNAME",
        value(&situation.title, NAME_MAX_CHARS, "…"),
    ));
    cal.append_property(Property::new(
        "X-WR-CALDESC",
        value(marking, NAME_MAX_CHARS, "…"),
    ));
    let mut events: Vec<&Event> = situation.events.iter().collect();
    events.sort_by(|a, b| a.date.cmp(&b.date).then(a.id.cmp(&b.id)));
    for event in events {
        let start = event.date.first_day();
        let last = event.end.unwrap_or(event.date).last_day().max(start);
        let mut description = String::new();
        if is_longer_than(&event.title, NAME_MAX_CHARS) {
            description.push_str(&event.title);
            description.push('\n');
        }
        description.push_str(&self::description(situation, event, marking));
        let mut vevent = icalendar::Event::new();
        vevent
            .uid(&value(&format!("{}@{domain}", event.id), 1_000, ""))
            .timestamp(stamp)
            .starts(start)
            .ends(last + Duration::days(1))
            .summary(&value(&event.title, NAME_MAX_CHARS, "…"))
            .description(&value(
                &description,
                DESCRIPTION_MAX_CHARS,
                "… (shortened for calendars: the whole text is in the situation's briefing paper)",
            ))
            .categories([event.kind.label()])
            .class(class(event.sensitivity))
            .add_property("TRANSP", "TRANSPARENT");
        add_place(&mut vevent, event.place.as_ref());
        cal.push(vevent.done());
    }
    cal.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_lose_control_characters_and_are_cut_with_a_tail() {
        assert_eq!(value("a\rb\u{7}c\nd", 100, "…"), "ab c\nd");
        assert_eq!(value("one two three", 8, "…"), "one two…");
    }

    #[test]
    fn a_title_with_newlines_cannot_open_a_component() {
        let mut s = Situation::new("Title\nBEGIN:VEVENT\r\nX", "2010-01-01".parse().unwrap());
        s.events.push(Event {
            id: "e\n1".into(),
            title: "Talks;\r\nEND:VCALENDAR".into(),
            kind: crate::model::EventKind::Incident,
            date: "2010-01-02".parse().unwrap(),
            end: None,
            actors: Vec::new(),
            partners: Vec::new(),
            lines: Vec::new(),
            answers: Vec::new(),
            source: String::new(),
            notes: String::new(),
            sensitivity: Sensitivity::Unclassified,
            description: String::new(),
            fatalities: None,
            place: None,
        });
        let text = calendar(&s, "TLP:CLEAR");
        let unfolded = text.replace("\r\n ", "");
        let lines = |what: &str| unfolded.split("\r\n").filter(|l| *l == what).count();
        assert_eq!(lines("BEGIN:VEVENT"), 1, "{text}");
        assert_eq!(lines("END:VCALENDAR"), 1, "{text}");
        assert!(!text.replace("\r\n", "").contains(['\r', '\n']), "{text:?}");
    }
}
