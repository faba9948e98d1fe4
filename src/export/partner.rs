//! A paper for one named partner ("for the African Union"): besides the ceiling, an audience
//! can be a partner. The export then leads with that partner's lines of effort and roles
//! (lead first), what the others do on those lines, and the next steps and threshold moments
//! that concern it; its column comes first in the matrix and its lines first among the rows;
//! the title says who the paper is for. Redaction is unchanged: a partner above the ceiling
//! cannot be the audience, and nothing above the ceiling is shown to it.

use std::collections::HashSet;

use super::ExportError;
use super::briefing::{EventEntry, NextStep, entry, line_step, soonest_first, threshold_step};
use crate::analysis::timeline::Continuum;
use crate::model::{Event, Situation};

/// What concerns the partner a paper is for, at the head of the paper.
#[derive(Clone, Debug, PartialEq)]
pub struct PartnerBrief {
    /// The partner's name.
    pub name: String,
    /// How many of its lines it leads.
    pub leads: usize,
    /// Its lines of effort, lead first.
    pub lines: Vec<PartnerLine>,
    /// What comes next on its lines and the threshold moments that concern it, soonest first.
    pub next_steps: Vec<NextStep>,
    /// Threshold moments ahead that name it or one of its lines.
    pub thresholds: Vec<EventEntry>,
}

/// One of the partner's lines of effort.
#[derive(Clone, Debug, PartialEq)]
pub struct PartnerLine {
    pub line: String,
    pub instrument: String,
    pub status: String,
    /// Its role there (`Lead`, `Sequential (step 2)`…).
    pub role: String,
    /// What the others do there: `ECOWAS (Support)`, lead first.
    pub others: Vec<String>,
}

/// `situation` (already prepared for the audience) as a paper for the partner `partner` reads
/// it: the title says who it is for, the partner comes first among the partners, its lines of
/// effort (lead first) first among the lines. An error when the partner is not in it —
/// unknown, or above the audience's ceiling.
pub fn focus(situation: &Situation, partner: &str) -> Result<Situation, ExportError> {
    let Some(named) = situation.partner(partner) else {
        return Err(ExportError::NoSuchPartner(partner.to_owned()));
    };
    let mut out = situation.clone();
    out.title = format!("{} — for {}", situation.title, named.name);
    out.partners.sort_by_key(|p| p.id != partner);
    let rank = |line: &str| {
        situation
            .assignments
            .iter()
            .find(|a| a.partner == partner && a.line == line)
            .map(|a| a.role.rank())
    };
    // Its lines by role (lead first), then the others; each group in file order.
    out.lines
        .sort_by_key(|l| rank(&l.id).map_or((1, (0, 0)), |r| (0, r)));
    Ok(out)
}

/// Whether `event` names the partner or one of its lines.
fn concerns(event: &Event, partner: &str, lines: &HashSet<&str>) -> bool {
    event.partners.iter().any(|p| p == partner)
        || event.lines.iter().any(|l| lines.contains(l.as_str()))
}

/// The head section of a paper for `partner` (an id), from the situation the briefing reads
/// and its continuum; `None` when the partner is not in it.
pub(super) fn partner_brief(
    situation: &Situation,
    partner: &str,
    flow: &Continuum,
) -> Option<PartnerBrief> {
    let named = situation.partner(partner)?;
    let mut held: Vec<_> = situation
        .assignments
        .iter()
        .filter(|a| a.partner == partner)
        .filter_map(|a| Some((a, situation.line(&a.line)?)))
        .collect();
    held.sort_by_key(|(a, _)| a.role.rank());
    let lines: Vec<PartnerLine> = held
        .iter()
        .map(|(a, line)| {
            let mut others: Vec<_> = situation
                .assignments
                .iter()
                .filter(|o| o.line == line.id && o.partner != partner)
                .collect();
            others.sort_by_key(|o| o.role.rank());
            PartnerLine {
                line: line.title.clone(),
                instrument: line.instrument.label().to_owned(),
                status: line.status.label().to_owned(),
                role: a.role.describe(),
                others: others
                    .iter()
                    .filter_map(|o| {
                        let p = situation.partner(&o.partner)?;
                        Some(format!("{} ({})", p.short_name(), o.role.describe()))
                    })
                    .collect(),
            }
        })
        .collect();
    let ids: HashSet<&str> = held.iter().map(|(_, l)| l.id.as_str()).collect();
    let thresholds: Vec<EventEntry> = flow
        .upcoming_thresholds
        .iter()
        .filter_map(|t| situation.event(&t.id))
        .filter(|e| concerns(e, partner, &ids))
        .map(|e| entry(situation, e))
        .collect();
    let mut dated: Vec<_> = held
        .iter()
        .filter_map(|(_, line)| line_step(situation, line))
        .collect();
    dated.extend(thresholds.iter().map(threshold_step));
    Some(PartnerBrief {
        name: named.name.clone(),
        leads: held
            .iter()
            .filter(|(a, _)| a.role == crate::model::Role::Lead)
            .count(),
        lines,
        next_steps: soonest_first(dated),
        thresholds,
    })
}

/// The opening sentence of the section: `African Union takes part in 3 lines of effort and
/// leads 1.`
pub fn sentence(brief: &PartnerBrief) -> String {
    if brief.lines.is_empty() {
        return format!("No role is recorded for {} yet.", brief.name);
    }
    let lines = crate::text::counted(brief.lines.len(), "line of effort", "lines of effort");
    match brief.leads {
        0 => format!("{} takes part in {lines} and leads none.", brief.name),
        n => format!("{} takes part in {lines} and leads {n}.", brief.name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Assignment, Instrument, LineOfEffort, Partner, PartnerCategory, Role};

    fn partner(id: &str, name: &str) -> Partner {
        Partner {
            id: id.into(),
            name: name.into(),
            acronym: String::new(),
            category: PartnerCategory::Regional,
            instruments: Vec::new(),
            notes: String::new(),
            sensitivity: Default::default(),
        }
    }

    fn situation() -> Situation {
        let mut s = Situation::new("Guinea", "2010-01-01".parse().unwrap());
        s.partners = vec![partner("ecowas", "ECOWAS"), partner("au", "African Union")];
        for id in ["a", "b", "c"] {
            s.lines.push(LineOfEffort::new(
                id,
                format!("Line {id}"),
                Instrument::GoodOffices,
            ));
        }
        s.assignments = vec![
            Assignment::new("a", "ecowas", Role::Lead),
            Assignment::new("b", "au", Role::Support),
            Assignment::new("c", "au", Role::Lead),
            Assignment::new("c", "ecowas", Role::Support),
        ];
        s
    }

    #[test]
    fn the_partner_and_its_lines_come_first_and_the_title_says_for_whom() {
        let s = situation();
        let focused = focus(&s, "au").unwrap();
        assert_eq!(focused.title, "Guinea — for African Union");
        assert_eq!(focused.partners[0].id, "au");
        let lines: Vec<&str> = focused.lines.iter().map(|l| l.id.as_str()).collect();
        assert_eq!(
            lines,
            ["c", "b", "a"],
            "its lead first, then its support, then the rest"
        );
        assert!(matches!(
            focus(&s, "nobody"),
            Err(ExportError::NoSuchPartner(_))
        ));
    }

    #[test]
    fn the_brief_lists_its_roles_lead_first_and_what_others_do() {
        let s = situation();
        let flow = crate::analysis::timeline::continuum(&s);
        let brief = partner_brief(&s, "au", &flow).unwrap();
        assert_eq!(brief.leads, 1);
        assert_eq!(brief.lines[0].line, "Line c");
        assert_eq!(brief.lines[0].role, "Lead");
        assert_eq!(brief.lines[0].others, ["ECOWAS (Support)"]);
        assert_eq!(brief.lines[1].others, Vec::<String>::new());
        assert_eq!(
            sentence(&brief),
            "African Union takes part in 2 lines of effort and leads 1."
        );
    }
}
