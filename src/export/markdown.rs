//! The Markdown briefing paper.

use std::fmt::Write as _;

use super::briefing::{Briefing, ROLE_LEGEND};
use super::long_text::{SECTION_TITLE, marker};
use super::partner::sentence;

/// User text made inert for Markdown: one line, with every character that Markdown or
/// inline HTML could act on escaped by a backslash.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '\r' | '\n' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

fn join(items: &[String]) -> String {
    items
        .iter()
        .map(|s| escape(s))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The briefing as Markdown, with `marking` at the top and the bottom.
pub fn markdown(b: &Briefing, marking: &str) -> String {
    let mut out = String::new();
    let mark = escape(marking);
    let _ = writeln!(out, "**{mark}**\n");
    opening(&mut out, b);
    for_partner(&mut out, b);
    since(&mut out, b);
    actors(&mut out, b);
    timeline(&mut out, b);
    matrix(&mut out, b);
    problems_and_steps(&mut out, b);
    if !b.full_texts.is_empty() {
        let _ = writeln!(out, "## {}\n", escape(SECTION_TITLE));
        for (i, text) in b.full_texts.iter().enumerate() {
            let _ = writeln!(out, "{} {}\n", escape(&marker(i + 1)), escape(text));
        }
    }
    let _ = writeln!(out, "---\n\n**{mark}**");
    out
}

/// "Since …": what changed since an earlier state, group by group.
fn since(out: &mut String, b: &Briefing) {
    let Some(since) = &b.since else {
        return;
    };
    let _ = writeln!(out, "## {}\n", escape(&since.title));
    if since.empty {
        let _ = writeln!(out, "{}\n", escape(crate::analysis::diff::NO_CHANGE));
    }
    for group in &since.groups {
        let _ = writeln!(out, "### {}\n", escape(group.title));
        for line in &group.lines {
            let _ = writeln!(out, "- {}", escape(line));
        }
        out.push('\n');
    }
}

fn opening(out: &mut String, b: &Briefing) {
    let _ = writeln!(out, "# {}\n", escape(&b.title));
    let mut facts = vec![format!("As of {}", b.as_of)];
    if !b.countries.is_empty() {
        facts.push(join(&b.countries));
    }
    if !b.region.trim().is_empty() {
        facts.push(escape(&b.region));
    }
    let _ = writeln!(out, "{}\n", facts.join(" · "));
    for paragraph in b.summary.split("\n\n").filter(|p| !p.trim().is_empty()) {
        let _ = writeln!(out, "{}\n", escape(paragraph.trim()));
    }
    let c = &b.counts;
    let _ = writeln!(
        out,
        "{} actors, {} partners, {} lines of effort, {} assignments, {} events.",
        c.actors, c.partners, c.lines, c.assignments, c.events
    );
    if let Some(lag) = b.median_lag_days {
        let _ = writeln!(
            out,
            "Median time from a warning sign to its first answer: {lag} days."
        );
    }
    out.push('\n');
}

/// A paper for one partner: its lines and roles, its next steps and threshold moments.
fn for_partner(out: &mut String, b: &Briefing) {
    let Some(p) = &b.for_partner else {
        return;
    };
    let name = escape(&p.name);
    let _ = writeln!(out, "## For {name}\n");
    let _ = writeln!(out, "{}\n", escape(&sentence(p)));
    if !p.lines.is_empty() {
        let _ = writeln!(
            out,
            "| Line of effort | Its role | Status | Others on this line |"
        );
        let _ = writeln!(out, "|---|---|---|---|");
        for l in &p.lines {
            let others = if l.others.is_empty() {
                "—".to_owned()
            } else {
                join(&l.others)
            };
            let _ = writeln!(
                out,
                "| {} ({}) | {} | {} | {others} |",
                escape(&l.line),
                escape(&l.instrument),
                escape(&l.role),
                escape(&l.status)
            );
        }
        out.push('\n');
    }
    let _ = writeln!(out, "### Next steps for {name}\n");
    if p.next_steps.is_empty() {
        let _ = writeln!(out, "None ahead.\n");
    } else {
        for s in &p.next_steps {
            if s.when.is_empty() {
                let _ = writeln!(out, "- {}", escape(&s.text));
            } else {
                let _ = writeln!(out, "- **{}** — {}", escape(&s.when), escape(&s.text));
            }
        }
        out.push('\n');
    }
}

fn actors(out: &mut String, b: &Briefing) {
    let _ = writeln!(out, "## Key actors\n");
    if b.actors.is_empty() {
        let _ = writeln!(out, "None recorded.\n");
    } else {
        let _ = writeln!(out, "| Actor | Kind | Stance | Influence | Interests |");
        let _ = writeln!(out, "|---|---|---|---|---|");
        for a in &b.actors {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                escape(&a.name),
                escape(&a.kind),
                escape(&a.stance),
                escape(&a.influence),
                escape(&a.interests)
            );
        }
        out.push('\n');
    }
}

fn timeline(out: &mut String, b: &Briefing) {
    let _ = writeln!(out, "## Timeline since {}\n", b.period_start);
    if b.recent.is_empty() {
        let _ = writeln!(out, "No events in this period.\n");
    } else {
        for e in &b.recent {
            let _ = write!(
                out,
                "- **{}** — {}: {}",
                escape(&e.date),
                escape(&e.kind),
                escape(&e.title)
            );
            if !e.involved.is_empty() {
                let _ = write!(out, " ({})", join(&e.involved));
            }
            if !e.place.is_empty() {
                let _ = write!(out, " — at {}", escape(&e.place));
            }
            if !e.notes.trim().is_empty() {
                let _ = write!(out, ". {}", escape(e.notes.trim()));
            }
            out.push('\n');
        }
        out.push('\n');
    }
    let _ = writeln!(out, "### Next threshold moments\n");
    if b.thresholds.is_empty() {
        let _ = writeln!(out, "None ahead.\n");
    } else {
        for e in &b.thresholds {
            let _ = write!(out, "- **{}** — {}", escape(&e.date), escape(&e.title));
            if !e.involved.is_empty() {
                let _ = write!(out, " ({})", join(&e.involved));
            }
            if !e.place.is_empty() {
                let _ = write!(out, " — at {}", escape(&e.place));
            }
            out.push('\n');
        }
        out.push('\n');
    }
}

fn matrix(out: &mut String, b: &Briefing) {
    let _ = writeln!(out, "## Who does what\n");
    if b.matrix.rows.is_empty() {
        let _ = writeln!(out, "No lines of effort.\n");
    } else {
        let _ = writeln!(out, "| Line of effort | Status | Partners and roles |");
        let _ = writeln!(out, "|---|---|---|");
        for row in &b.matrix.rows {
            let roles: Vec<String> = row
                .roles
                .iter()
                .map(|(partner, role, note)| {
                    let mut cell = format!("{} ({})", escape(partner), escape(role));
                    if !note.trim().is_empty() {
                        let _ = write!(cell, ": {}", escape(note.trim()));
                    }
                    cell
                })
                .collect();
            let roles = if roles.is_empty() {
                "—".to_owned()
            } else {
                roles.join("; ")
            };
            let _ = writeln!(
                out,
                "| {} ({}) | {} | {roles} |",
                escape(&row.line),
                escape(&row.instrument),
                escape(&row.status)
            );
        }
        let _ = writeln!(out, "\nRoles: {}\n", escape(ROLE_LEGEND));
    }
}

fn problems_and_steps(out: &mut String, b: &Briefing) {
    let _ = writeln!(out, "## Open problems\n");
    if b.problems.is_empty() {
        let _ = writeln!(out, "No open problems.\n");
    } else {
        for p in &b.problems {
            let _ = writeln!(out, "- {}", escape(&p.text));
        }
        out.push('\n');
    }

    let _ = writeln!(out, "## Next steps\n");
    if b.next_steps.is_empty() {
        let _ = writeln!(out, "None planned.\n");
    } else {
        for s in &b.next_steps {
            if s.when.is_empty() {
                let _ = writeln!(out, "- {}", escape(&s.text));
            } else {
                let _ = writeln!(out, "- **{}** — {}", escape(&s.when), escape(&s.text));
            }
        }
        out.push('\n');
    }
}
