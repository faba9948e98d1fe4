//! The HTML briefing paper: one self-contained file with inline CSS that prints well.
//!
//! On screen the marking stands at the top and the bottom of the document; in print a fixed
//! header and footer repeat it on every page. Every piece of user text is escaped.

use std::fmt::Write as _;

use super::briefing::{Briefing, ROLE_LEGEND};
use super::long_text::{SECTION_TITLE, marker};

/// Text escaped for HTML element content and quoted attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = r#"
:root { --ink: #1d2430; --muted: #5b6472; --rule: #c9ced6; --band: #f1f3f6; }
* { box-sizing: border-box; }
body { font: 11pt/1.45 "Segoe UI", "Noto Sans", "DejaVu Sans", Arial, sans-serif; color: var(--ink);
       max-width: 58rem; margin: 0 auto; padding: 1.5rem; }
h1 { font-size: 1.7em; margin: 0.6em 0 0.2em; }
h2 { font-size: 1.25em; margin: 1.4em 0 0.4em; border-bottom: 1px solid var(--rule); padding-bottom: 0.15em; }
h3 { font-size: 1.05em; margin: 1em 0 0.3em; }
.facts, .muted { color: var(--muted); }
.marking { font-weight: 700; letter-spacing: 0.02em; text-align: center; padding: 0.3em 0.6em;
           border: 1.5px solid var(--ink); margin: 0.5em 0; }
.print-marking { display: none; }
table { border-collapse: collapse; width: 100%; margin: 0.4em 0 0.8em; }
th, td { border: 1px solid var(--rule); padding: 0.3em 0.5em; text-align: left; vertical-align: top; }
h1, p, li, th, td { overflow-wrap: anywhere; }
th { background: var(--band); }
thead { display: table-header-group; }
tr { break-inside: avoid; }
td.cell { text-align: center; font-weight: 600; }
ul { padding-left: 1.3em; }
li { margin: 0.15em 0; }
.date { white-space: nowrap; font-variant-numeric: tabular-nums; }
@media print {
  @page { margin: 2.2cm 1.6cm; }
  body { max-width: none; padding: 0; font-size: 10pt; }
  .print-marking { display: block; position: fixed; left: 0; right: 0; font-weight: 700;
                   text-align: center; font-size: 9pt; background: #fff; }
  .print-marking.top { top: -1.4cm; }
  .print-marking.bottom { bottom: -1.4cm; }
  h2, h3 { break-after: avoid; }
  li { break-inside: avoid; }
}
"#;

fn list(items: &[String]) -> String {
    items
        .iter()
        .map(|s| escape(s))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The briefing as one HTML page with inline CSS; `marking` at the top and bottom of every printed page.
pub fn html(b: &Briefing, marking: &str) -> String {
    let mut out = String::new();
    let mark = escape(marking);
    let _ = writeln!(out, "<!DOCTYPE html>");
    let _ = writeln!(out, "<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">");
    let _ = writeln!(
        out,
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    );
    let _ = writeln!(out, "<title>{} — {mark}</title>", escape(&b.title));
    let _ = writeln!(out, "<style>{STYLE}</style>\n</head>\n<body>");
    let _ = writeln!(out, "<div class=\"print-marking top\">{mark}</div>");
    let _ = writeln!(out, "<div class=\"print-marking bottom\">{mark}</div>");
    let _ = writeln!(out, "<header class=\"marking\">{mark}</header>\n<main>");
    opening(&mut out, b);
    for_partner(&mut out, b);
    since(&mut out, b);
    actors(&mut out, b);
    timeline(&mut out, b);
    matrix(&mut out, b);
    problems_and_steps(&mut out, b);
    full_texts(&mut out, b);
    let _ = writeln!(out, "</main>");
    let _ = writeln!(
        out,
        "<footer class=\"marking\">{mark}</footer>\n</body>\n</html>"
    );
    out
}

/// Title, facts, summary and counts.
fn opening(out: &mut String, b: &Briefing) {
    let _ = writeln!(out, "<h1>{}</h1>", escape(&b.title));
    let mut facts = vec![format!("As of {}", b.as_of)];
    if !b.countries.is_empty() {
        facts.push(list(&b.countries));
    }
    if !b.region.trim().is_empty() {
        facts.push(escape(&b.region));
    }
    let _ = writeln!(out, "<p class=\"facts\">{}</p>", facts.join(" · "));
    for paragraph in b.summary.split("\n\n").filter(|p| !p.trim().is_empty()) {
        let _ = writeln!(out, "<p>{}</p>", escape(paragraph.trim()));
    }
    let c = &b.counts;
    let _ = write!(
        out,
        "<p class=\"muted\">{} actors, {} partners, {} lines of effort, {} assignments, {} events.",
        c.actors, c.partners, c.lines, c.assignments, c.events
    );
    if let Some(lag) = b.median_lag_days {
        let _ = write!(
            out,
            " Median time from a warning sign to its first answer: {lag} days."
        );
    }
    let _ = writeln!(out, "</p>");
}

/// A paper for one partner: its lines and roles, then its next steps.
fn for_partner(out: &mut String, b: &Briefing) {
    let Some(p) = &b.for_partner else {
        return;
    };
    let name = escape(&p.name);
    let _ = writeln!(out, "<section class=\"for-partner\">\n<h2>For {name}</h2>");
    let _ = writeln!(out, "<p>{}</p>", escape(&super::partner::sentence(p)));
    if !p.lines.is_empty() {
        let _ = writeln!(
            out,
            "<table><thead><tr><th>Line of effort</th><th>Its role</th><th>Status</th><th>Others on this line</th></tr></thead><tbody>"
        );
        for l in &p.lines {
            let _ = writeln!(
                out,
                "<tr><td>{} ({})</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&l.line),
                escape(&l.instrument),
                escape(&l.role),
                escape(&l.status),
                if l.others.is_empty() {
                    "—".to_owned()
                } else {
                    list(&l.others)
                }
            );
        }
        let _ = writeln!(out, "</tbody></table>");
    }
    let _ = writeln!(out, "<h3>Next steps for {name}</h3>");
    if p.next_steps.is_empty() {
        let _ = writeln!(out, "<p class=\"muted\">None ahead.</p>");
    } else {
        let _ = writeln!(out, "<ul>");
        for s in &p.next_steps {
            if s.when.is_empty() {
                let _ = writeln!(out, "<li>{}</li>", escape(&s.text));
            } else {
                let _ = writeln!(
                    out,
                    "<li><strong>{}</strong> — {}</li>",
                    escape(&s.when),
                    escape(&s.text)
                );
            }
        }
        let _ = writeln!(out, "</ul>");
    }
    let _ = writeln!(out, "</section>");
}

fn actors(out: &mut String, b: &Briefing) {
    let _ = writeln!(out, "<section>\n<h2>Key actors</h2>");
    if b.actors.is_empty() {
        let _ = writeln!(out, "<p class=\"muted\">None recorded.</p>");
    } else {
        let _ = writeln!(
            out,
            "<table><thead><tr><th>Actor</th><th>Kind</th><th>Stance</th><th>Influence</th><th>Interests</th></tr></thead><tbody>"
        );
        for a in &b.actors {
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&a.name),
                escape(&a.kind),
                escape(&a.stance),
                escape(&a.influence),
                escape(&a.interests)
            );
        }
        let _ = writeln!(out, "</tbody></table>");
    }
    let _ = writeln!(out, "</section>");
}

/// Recent events and the next threshold moments.
fn timeline(out: &mut String, b: &Briefing) {
    let _ = writeln!(out, "<section>\n<h2>Timeline since {}</h2>", b.period_start);
    if b.recent.is_empty() {
        let _ = writeln!(out, "<p class=\"muted\">No events in this period.</p>");
    } else {
        let _ = writeln!(out, "<ul>");
        for e in &b.recent {
            let _ = write!(
                out,
                "<li><span class=\"date\">{}</span> — <em>{}</em>: {}",
                escape(&e.date),
                escape(&e.kind),
                escape(&e.title)
            );
            if !e.involved.is_empty() {
                let _ = write!(out, " ({})", list(&e.involved));
            }
            if !e.place.is_empty() {
                let _ = write!(out, " — at {}", escape(&e.place));
            }
            if !e.notes.trim().is_empty() {
                let _ = write!(
                    out,
                    "<br><span class=\"muted\">{}</span>",
                    escape(e.notes.trim())
                );
            }
            let _ = writeln!(out, "</li>");
        }
        let _ = writeln!(out, "</ul>");
    }
    let _ = writeln!(out, "<h3>Next threshold moments</h3>");
    if b.thresholds.is_empty() {
        let _ = writeln!(out, "<p class=\"muted\">None ahead.</p>");
    } else {
        let _ = writeln!(out, "<ul>");
        for e in &b.thresholds {
            let _ = write!(
                out,
                "<li><span class=\"date\">{}</span> — {}",
                escape(&e.date),
                escape(&e.title)
            );
            if !e.involved.is_empty() {
                let _ = write!(out, " ({})", list(&e.involved));
            }
            if !e.place.is_empty() {
                let _ = write!(out, " — at {}", escape(&e.place));
            }
            let _ = writeln!(out, "</li>");
        }
        let _ = writeln!(out, "</ul>");
    }
    let _ = writeln!(out, "</section>");
}

/// The who-does-what table, its legend and the notes on roles.
fn matrix(out: &mut String, b: &Briefing) {
    if let Some(svg) = &b.map {
        let _ = writeln!(
            out,
            "<section>\n<h2>Where</h2>\n<figure class=\"map\">{svg}\n<figcaption>{}\
             </figcaption>\n</figure>\n</section>",
            escape(super::briefing::MAP_CAPTION)
        );
    }
    let _ = writeln!(out, "<section>\n<h2>Who does what</h2>");
    if b.matrix.rows.is_empty() {
        let _ = writeln!(out, "<p class=\"muted\">No lines of effort.</p>");
        let _ = writeln!(out, "</section>");
        return;
    }
    let _ = write!(out, "<table><thead><tr><th>Line of effort</th>");
    for p in &b.matrix.partners {
        let _ = write!(out, "<th>{}</th>", escape(p));
    }
    let _ = writeln!(out, "</tr></thead><tbody>");
    for row in &b.matrix.rows {
        let _ = write!(
            out,
            "<tr><td>{}<br><span class=\"muted\">{} · {}</span></td>",
            escape(&row.line),
            escape(&row.instrument),
            escape(&row.status)
        );
        for cell in &row.cells {
            let _ = write!(out, "<td class=\"cell\">{}</td>", escape(cell));
        }
        let _ = writeln!(out, "</tr>");
    }
    let _ = writeln!(out, "</tbody></table>");
    let _ = writeln!(out, "<p class=\"muted\">{}</p>", escape(ROLE_LEGEND));
    let notes: Vec<String> = b
        .matrix
        .rows
        .iter()
        .flat_map(|row| {
            row.roles
                .iter()
                .filter(|(_, _, note)| !note.trim().is_empty())
                .map(move |(partner, role, note)| {
                    format!(
                        "<li>{} — {} ({}): {}</li>",
                        escape(&row.line),
                        escape(partner),
                        escape(role),
                        escape(note.trim())
                    )
                })
        })
        .collect();
    if !notes.is_empty() {
        let _ = writeln!(
            out,
            "<h3>Notes on roles</h3>\n<ul>\n{}\n</ul>",
            notes.join("\n")
        );
    }
    let _ = writeln!(out, "</section>");
}

fn problems_and_steps(out: &mut String, b: &Briefing) {
    let _ = writeln!(out, "<section>\n<h2>Open problems</h2>");
    if b.problems.is_empty() {
        let _ = writeln!(out, "<p class=\"muted\">No open problems.</p>");
    } else {
        let _ = writeln!(out, "<ul>");
        for p in &b.problems {
            let _ = writeln!(out, "<li>{}</li>", escape(&p.text));
        }
        let _ = writeln!(out, "</ul>");
    }
    let _ = writeln!(out, "</section>");

    let _ = writeln!(out, "<section>\n<h2>Next steps</h2>");
    if b.next_steps.is_empty() {
        let _ = writeln!(out, "<p class=\"muted\">None planned.</p>");
    } else {
        let _ = writeln!(out, "<ul>");
        for s in &b.next_steps {
            if s.when.is_empty() {
                let _ = writeln!(out, "<li>{}</li>", escape(&s.text));
            } else {
                let _ = writeln!(
                    out,
                    "<li><span class=\"date\">{}</span> — {}</li>",
                    escape(&s.when),
                    escape(&s.text)
                );
            }
        }
        let _ = writeln!(out, "</ul>");
    }
    let _ = writeln!(out, "</section>");
}

/// "Since …": what changed since an earlier state, group by group.
fn since(out: &mut String, b: &Briefing) {
    let Some(since) = &b.since else {
        return;
    };
    let _ = writeln!(out, "<section>\n<h2>{}</h2>", escape(&since.title));
    if since.empty {
        let _ = writeln!(
            out,
            "<p class=\"muted\">{}</p>",
            escape(crate::analysis::diff::NO_CHANGE)
        );
    }
    for group in &since.groups {
        let _ = writeln!(out, "<h3>{}</h3>\n<ul>", escape(group.title));
        for line in &group.lines {
            let _ = writeln!(out, "<li>{}</li>", escape(line));
        }
        let _ = writeln!(out, "</ul>");
    }
    let _ = writeln!(out, "</section>");
}

/// The names shortened above, whole, under their markers.
fn full_texts(out: &mut String, b: &Briefing) {
    if b.full_texts.is_empty() {
        return;
    }
    let _ = writeln!(out, "<section>\n<h2>{}</h2>", escape(SECTION_TITLE));
    for (i, text) in b.full_texts.iter().enumerate() {
        let _ = writeln!(
            out,
            "<p id=\"note-{n}\"><strong>{}</strong> {}</p>",
            marker(i + 1),
            escape(text),
            n = i + 1
        );
    }
    let _ = writeln!(out, "</section>");
}
