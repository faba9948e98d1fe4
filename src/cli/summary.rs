//! `tandem summary [--json] FILE`

use std::path::Path;
use std::process::ExitCode;

use crate::analysis::summary::Summary;
use crate::io::load_file;
use crate::model::{ItemKind, Situation};
use crate::text::counted;

pub(super) fn run(file: &Path, json: bool) -> ExitCode {
    let loaded = match load_file(file) {
        Ok(l) => l,
        Err(d) => {
            eprintln!("{}", super::check::format_line(file, &d));
            return ExitCode::from(2);
        }
    };
    let summary = Summary::of(&loaded.situation);
    if json {
        match serde_json::to_string_pretty(&summary) {
            Ok(text) => outln!("{text}"),
            Err(err) => {
                eprintln!("tandem: cannot print JSON: {err}");
                return ExitCode::from(2);
            }
        }
    } else {
        {
            use std::io::Write as _;
            let _ = write!(std::io::stdout(), "{}", human(&summary, &loaded.situation));
        }
    }
    ExitCode::SUCCESS
}

/// The summary in words: names and titles, not ids (ids stay in `--json`).
fn human(s: &Summary, situation: &Situation) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let c = &s.counts;
    let _ = writeln!(out, "{} (as of {})", s.title, s.as_of);
    let _ = writeln!(
        out,
        "  {} actors, {} partners, {} lines of effort, {} assignments, {} events",
        c.actors, c.partners, c.lines, c.assignments, c.events
    );
    let _ = writeln!(
        out,
        "  {}, {}",
        counted(s.errors, "error", "errors"),
        counted(s.warnings_found, "warning", "warnings")
    );
    matrix_lines(&mut out, s, situation);
    warning_table(&mut out, s, situation);
    if !s.upcoming_thresholds.is_empty() {
        let _ = writeln!(out, "\nUpcoming threshold moments:");
        for t in &s.upcoming_thresholds {
            let _ = writeln!(
                out,
                "  {}  {}",
                t.date,
                title(situation, ItemKind::Event, &t.id)
            );
        }
    }
    out
}

/// An item's name or title, or its id when it has none.
fn title<'a>(situation: &'a Situation, kind: ItemKind, id: &'a str) -> &'a str {
    match kind {
        ItemKind::Partner => situation.partner(id).map_or(id, |p| p.short_name()),
        _ => situation.item_name(kind, id).unwrap_or(id),
    }
}

fn matrix_lines(out: &mut String, s: &Summary, situation: &Situation) {
    use std::fmt::Write as _;
    let m = &s.matrix;
    for (name, kind, ids) in [
        ("lines with nobody assigned", ItemKind::Line, &m.unassigned),
        ("lines without a lead", ItemKind::Line, &m.no_lead),
        (
            "lines with several leads",
            ItemKind::Line,
            &m.multiple_leads,
        ),
        ("joint roles held alone", ItemKind::Line, &m.joint_alone),
        ("broken sequences", ItemKind::Line, &m.sequence_gap),
        ("overloaded partners", ItemKind::Partner, &m.overload),
    ] {
        if !ids.is_empty() {
            let names: Vec<&str> = ids.iter().map(|id| title(situation, kind, id)).collect();
            let _ = writeln!(out, "  Matrix, {name}: {}", names.join("; "));
        }
    }
}

/// Each warning sign with what answered it and when, or that an answer is only planned, or
/// that none has come (a warning dated after the as-of date is ahead, not unanswered).
fn warning_table(out: &mut String, s: &Summary, situation: &Situation) {
    use std::fmt::Write as _;
    if s.warnings.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "\n{:<42}{:<12}{:<33}lag",
        "Warning sign", "date", "answered by"
    );
    for w in &s.warnings {
        let (answer, lag) = match (&w.answered_by, &w.planned_answer, w.lag_days) {
            (Some(a), _, Some(days)) => {
                let lag = if w.approximate {
                    format!("~{days} d")
                } else {
                    format!("{days} d")
                };
                (title(situation, ItemKind::Event, a), lag)
            }
            (_, Some(p), _) => (
                title(situation, ItemKind::Event, p),
                "answer planned".into(),
            ),
            _ if s.unanswered.contains(&w.id) => ("—", "unanswered".into()),
            _ => ("—", "ahead".into()),
        };
        let _ = writeln!(
            out,
            "{:<42}{:<12}{:<33}{lag}",
            clip(title(situation, ItemKind::Event, &w.id), 40),
            w.date.to_string(),
            clip(answer, 31)
        );
    }
    let _ = match s.median_lag_days {
        Some(m) => writeln!(out, "Median lag: {m} days"),
        None => writeln!(out, "Median lag: none answered"),
    };
    for (label, ids) in [
        ("Unanswered", &s.unanswered),
        ("Answer planned", &s.answer_planned),
    ] {
        if !ids.is_empty() {
            let names: Vec<&str> = ids
                .iter()
                .map(|id| title(situation, ItemKind::Event, id))
                .collect();
            let _ = writeln!(out, "{label}: {}", names.join("; "));
        }
    }
}

/// `text` cut to `max` characters, with an ellipsis when cut.
fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Event, EventKind};
    use crate::samples::guinea;

    #[test]
    fn the_summary_names_items_by_title_not_id() {
        let s = guinea();
        let text = human(&Summary::of(&s), &s);
        assert!(
            text.contains("Targeted measures against members of the junta"),
            "{text}"
        );
        assert!(
            text.contains("Unanswered: Reports of rival factions"),
            "{text}"
        );
        assert!(
            text.contains("2010-12-21  Inauguration of the elected President"),
            "{text}"
        );
        for e in &s.events {
            assert!(
                !text.contains(&format!(" {} ", e.id)),
                "id {} in {text}",
                e.id
            );
        }
    }

    #[test]
    fn an_answer_after_the_as_of_date_reads_answer_planned_and_a_later_warning_ahead() {
        let mut s = guinea();
        let factions = s
            .events
            .iter()
            .find(|e| e.title.starts_with("Reports of rival factions"))
            .map(|e| e.id.clone())
            .unwrap_or_default();
        let mut answer = s.events[0].clone();
        answer.id = "envoys-meet-army-chiefs".into();
        answer.title = "Envoys meet the army chiefs".into();
        answer.kind = EventKind::DiplomaticAction;
        answer.date = "2010-11-02".parse().unwrap_or(answer.date);
        answer.answers = vec![factions];
        let mut ahead: Event = s.events[0].clone();
        ahead.id = "ahead".into();
        ahead.title = "Warning expected after the run-off".into();
        ahead.kind = EventKind::WarningSign;
        ahead.date = "2010-11-20".parse().unwrap_or(ahead.date);
        ahead.answers.clear();
        s.events.push(answer);
        s.events.push(ahead);
        let text = human(&Summary::of(&s), &s);
        let row = |start: &str| {
            text.lines()
                .find(|l| l.starts_with(start))
                .unwrap_or_default()
                .to_owned()
        };
        let factions_row = row("Reports of rival factions");
        assert!(
            factions_row.contains("Envoys meet the army chiefs"),
            "{text}"
        );
        assert!(factions_row.ends_with("answer planned"), "{text}");
        assert!(row("Warning expected after").ends_with("ahead"), "{text}");
        assert!(!text.contains("Unanswered:"), "{text}");
        assert!(
            text.contains("Answer planned: Reports of rival factions"),
            "{text}"
        );
    }
}
