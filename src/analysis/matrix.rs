//! Checks on the division-of-labour matrix (S/2011/552 ¶51–52).

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::model::{Assignment, Diagnostic, ItemKind, Role, Situation, Status};

/// The ids each matrix check flags: lines of effort, or partners for `overload`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct MatrixReport {
    pub unassigned: Vec<String>,
    pub no_lead: Vec<String>,
    pub multiple_leads: Vec<String>,
    pub joint_alone: Vec<String>,
    pub sequence_gap: Vec<String>,
    pub overload: Vec<String>,
}

/// The assignments of each line of effort, in file order.
pub fn assignments_by_line(situation: &Situation) -> HashMap<&str, Vec<&Assignment>> {
    let mut by_line: HashMap<&str, Vec<&Assignment>> = HashMap::new();
    for a in &situation.assignments {
        by_line.entry(a.line.as_str()).or_default().push(a);
    }
    by_line
}

/// Whether the sequential steps, sorted, run 1, 2, 3… with no hole and no repeat.
pub fn steps_are_contiguous(steps: &[u32]) -> bool {
    let mut sorted = steps.to_vec();
    sorted.sort_unstable();
    sorted.iter().enumerate().all(|(i, &s)| s as usize == i + 1)
}

/// Runs every matrix check and returns the diagnostics, each naming the line (or partner)
/// it is about and the partners (or lines) involved.
pub fn matrix_diagnostics(situation: &Situation) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let by_line = assignments_by_line(situation);
    let partner_name = |id: &str| {
        situation
            .partner(id)
            .map_or_else(|| id.to_owned(), |p| p.short_name().to_owned())
    };
    for line in &situation.lines {
        let cells = by_line
            .get(line.id.as_str())
            .map(Vec::as_slice)
            .unwrap_or_default();
        let title = &line.title;
        if cells.is_empty() {
            if matches!(line.status, Status::Active | Status::Planned) {
                out.push(
                    Diagnostic::warning(
                        "matrix.unassigned",
                        format!(
                            "“{title}” is {} but no partner is assigned to it",
                            line.status.label().to_lowercase()
                        ),
                    )
                    .about(ItemKind::Line, &line.id),
                );
            }
            continue;
        }
        let holding = |role: fn(&Role) -> bool| -> Vec<String> {
            cells
                .iter()
                .filter(|a| role(&a.role))
                .map(|a| a.partner.clone())
                .collect()
        };
        let leads = holding(|r| *r == Role::Lead);
        let joints = holding(|r| *r == Role::Joint);
        if leads.is_empty() && joints.len() < 2 {
            out.push(
                Diagnostic::warning(
                    "matrix.no-lead",
                    format!("“{title}” has partners but no lead, and is not run jointly"),
                )
                .about(ItemKind::Line, &line.id)
                .with_related(cells.iter().map(|a| a.partner.clone()).collect()),
            );
        }
        if leads.len() > 1 {
            let names: Vec<String> = leads.iter().map(|p| partner_name(p)).collect();
            out.push(
                Diagnostic::warning(
                    "matrix.multiple-leads",
                    format!("“{title}” has {} leads: {}", leads.len(), names.join(", ")),
                )
                .about(ItemKind::Line, &line.id)
                .with_related(leads),
            );
        }
        if joints.len() == 1 {
            let name = joints.first().map(|p| partner_name(p)).unwrap_or_default();
            out.push(
                Diagnostic::warning(
                    "matrix.joint-alone",
                    format!("“{title}”: {name} holds a joint role alone; joint work needs at least two partners"),
                )
                .about(ItemKind::Line, &line.id)
                .with_related(joints),
            );
        }
        let steps: Vec<(u32, &str)> = cells
            .iter()
            .filter_map(|a| match a.role {
                Role::Sequential(step) => Some((step, a.partner.as_str())),
                _ => None,
            })
            .collect();
        let numbers: Vec<u32> = steps.iter().map(|(s, _)| *s).collect();
        if !steps.is_empty() && !steps_are_contiguous(&numbers) {
            let mut sorted = numbers.clone();
            sorted.sort_unstable();
            let listed: Vec<String> = sorted.iter().map(u32::to_string).collect();
            out.push(
                Diagnostic::warning(
                    "matrix.sequence-gap",
                    format!(
                        "“{title}”: the sequential steps are {}; they should run 1, 2, 3… with no gap or repeat",
                        listed.join(", ")
                    ),
                )
                .about(ItemKind::Line, &line.id)
                .with_related(steps.iter().map(|(_, p)| (*p).to_owned()).collect()),
            );
        }
    }
    let mut active_leads: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for a in situation
        .assignments
        .iter()
        .filter(|a| a.role == Role::Lead)
    {
        if situation
            .line(&a.line)
            .is_some_and(|l| l.status == Status::Active)
        {
            active_leads
                .entry(a.partner.as_str())
                .or_default()
                .push(a.line.clone());
        }
    }
    for partner in &situation.partners {
        let Some(lines) = active_leads.get(partner.id.as_str()) else {
            continue;
        };
        if lines.len() > situation.lead_limit as usize {
            out.push(
                Diagnostic::warning(
                    "matrix.overload",
                    format!(
                        "{} leads {} active lines of effort; the limit set for this situation is {}",
                        partner.short_name(),
                        lines.len(),
                        situation.lead_limit
                    ),
                )
                .about(ItemKind::Partner, &partner.id)
                .with_related(lines.clone()),
            );
        }
    }
    out
}

/// The ids flagged by each matrix check, for summaries.
pub fn matrix_report(situation: &Situation) -> MatrixReport {
    let mut report = MatrixReport::default();
    for d in matrix_diagnostics(situation) {
        let Some(id) = d.item else { continue };
        let list = match d.code {
            "matrix.unassigned" => &mut report.unassigned,
            "matrix.no-lead" => &mut report.no_lead,
            "matrix.multiple-leads" => &mut report.multiple_leads,
            "matrix.joint-alone" => &mut report.joint_alone,
            "matrix.sequence-gap" => &mut report.sequence_gap,
            "matrix.overload" => &mut report.overload,
            _ => continue,
        };
        list.push(id);
    }
    report
}
