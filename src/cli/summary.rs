//! `tandem summary [--json] FILE`

use std::path::Path;
use std::process::ExitCode;

use crate::analysis::summary::Summary;
use crate::io::load_file;
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
            let _ = write!(std::io::stdout(), "{}", human(&summary));
        }
    }
    ExitCode::SUCCESS
}

fn human(s: &Summary) -> String {
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
    let m = &s.matrix;
    for (name, ids) in [
        ("unassigned", &m.unassigned),
        ("no lead", &m.no_lead),
        ("multiple leads", &m.multiple_leads),
        ("joint alone", &m.joint_alone),
        ("sequence gap", &m.sequence_gap),
        ("overloaded partners", &m.overload),
    ] {
        if !ids.is_empty() {
            let _ = writeln!(out, "  matrix, {name}: {}", ids.join(", "));
        }
    }
    if !s.warnings.is_empty() {
        let _ = writeln!(
            out,
            "\nWarning sign                              date        answered by                      lag"
        );
        for w in &s.warnings {
            let lag = match w.lag_days {
                Some(days) if w.approximate => format!("~{days} d"),
                Some(days) => format!("{days} d"),
                None => "unanswered".into(),
            };
            let _ = writeln!(
                out,
                "{:<42}{:<12}{:<33}{lag}",
                w.id,
                w.date.to_string(),
                w.answered_by.as_deref().unwrap_or("—")
            );
        }
        match s.median_lag_days {
            Some(m) => {
                let _ = writeln!(out, "Median lag: {m} days");
            }
            None => {
                let _ = writeln!(out, "Median lag: none answered");
            }
        }
    }
    if !s.unanswered.is_empty() {
        let _ = writeln!(out, "Unanswered: {}", s.unanswered.join(", "));
    }
    if !s.upcoming_thresholds.is_empty() {
        let _ = writeln!(out, "\nUpcoming threshold moments:");
        for t in &s.upcoming_thresholds {
            let _ = writeln!(out, "  {}  {}", t.date, t.id);
        }
    }
    out
}
