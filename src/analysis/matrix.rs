//! Checks on the division-of-labour matrix (S/2011/552 ¶51–52).

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::model::{Assignment, Diagnostic, ItemKind, LineOfEffort, Role, Situation, Status};

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
/// it is about and the partners (or lines) involved: for each line in file order, its
/// unassigned, no-lead, multiple-leads, joint-alone and sequence-gap warnings; then overloads.
pub fn matrix_diagnostics(situation: &Situation) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let by_line = assignments_by_line(situation);
    for line in &situation.lines {
        let cells = by_line
            .get(line.id.as_str())
            .map(Vec::as_slice)
            .unwrap_or_default();
        if cells.is_empty() {
            out.extend(unassigned(line));
            continue;
        }
        lead_checks(situation, line, cells, &mut out);
        out.extend(sequence_gap(line, cells));
    }
    out.extend(overloads(situation));
    out
}

/// `matrix.unassigned`: an active or planned line of effort with no partner at all.
fn unassigned(line: &LineOfEffort) -> Option<Diagnostic> {
    matches!(line.status, Status::Active | Status::Planned).then(|| {
        Diagnostic::warning(
            "matrix.unassigned",
            format!(
                "“{}” is {} but no partner is assigned to it",
                line.title,
                line.status.label().to_lowercase()
            ),
        )
        .about(ItemKind::Line, &line.id)
    })
}

/// The partners of `cells` holding a role that `role` accepts, each once, in file order.
fn partners_holding(cells: &[&Assignment], role: fn(&Role) -> bool) -> Vec<String> {
    let mut partners: Vec<String> = Vec::new();
    for a in cells.iter().filter(|a| role(&a.role)) {
        if !partners.contains(&a.partner) {
            partners.push(a.partner.clone());
        }
    }
    partners
}

/// `matrix.no-lead`, `matrix.multiple-leads` and `matrix.joint-alone` for a line of effort
/// that has partners (`cells`).
fn lead_checks(
    situation: &Situation,
    line: &LineOfEffort,
    cells: &[&Assignment],
    out: &mut Vec<Diagnostic>,
) {
    let title = &line.title;
    let partner_name = |id: &str| {
        situation
            .partner(id)
            .map_or_else(|| id.to_owned(), |p| p.short_name().to_owned())
    };
    let leads = partners_holding(cells, |r| *r == Role::Lead);
    let joints = partners_holding(cells, |r| *r == Role::Joint);
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
}

/// `matrix.sequence-gap`: the sequential steps of a line do not run 1, 2, 3….
fn sequence_gap(line: &LineOfEffort, cells: &[&Assignment]) -> Option<Diagnostic> {
    let steps: Vec<(u32, &str)> = cells
        .iter()
        .filter_map(|a| match a.role {
            Role::Sequential(step) => Some((step, a.partner.as_str())),
            _ => None,
        })
        .collect();
    let numbers: Vec<u32> = steps.iter().map(|(s, _)| *s).collect();
    if steps.is_empty() || steps_are_contiguous(&numbers) {
        return None;
    }
    let mut sorted = numbers;
    sorted.sort_unstable();
    let listed: Vec<String> = sorted.iter().map(u32::to_string).collect();
    Some(
        Diagnostic::warning(
            "matrix.sequence-gap",
            format!(
                "“{}”: the sequential steps are {}; they should run 1, 2, 3… with no gap or repeat",
                line.title,
                listed.join(", ")
            ),
        )
        .about(ItemKind::Line, &line.id)
        .with_related(steps.iter().map(|(_, p)| (*p).to_owned()).collect()),
    )
}

/// `matrix.overload`: a partner leading more active lines of effort than the situation's
/// lead limit, in partner order.
fn overloads(situation: &Situation) -> Vec<Diagnostic> {
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
            let lines = active_leads.entry(a.partner.as_str()).or_default();
            if !lines.contains(&a.line) {
                lines.push(a.line.clone());
            }
        }
    }
    let mut out = Vec::new();
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{
        Instrument, LineOfEffort, PartialDate, Partner, PartnerCategory, Sensitivity, Track,
    };

    fn situation() -> Situation {
        let as_of = PartialDate::day(2010, 1, 1).unwrap();
        let mut s = Situation::new("Test", as_of);
        for id in ["ecowas", "au", "unowa", "eu", "pbf"] {
            s.partners.push(Partner {
                id: id.into(),
                name: id.to_uppercase(),
                acronym: String::new(),
                category: PartnerCategory::Regional,
                instruments: Vec::new(),
                notes: String::new(),
                sensitivity: Sensitivity::Unclassified,
            });
        }
        s
    }

    fn line(s: &mut Situation, id: &str, status: Status) {
        s.lines.push(LineOfEffort {
            id: id.into(),
            title: format!("Line {id}"),
            instrument: Instrument::MediationSupport,
            track: Track::I,
            status,
            start: None,
            end: None,
            actors: Vec::new(),
            notes: String::new(),
            sensitivity: Sensitivity::Unclassified,
        });
    }

    fn assign(s: &mut Situation, line: &str, partner: &str, role: Role) {
        s.assignments.push(Assignment {
            line: line.into(),
            partner: partner.into(),
            role,
            note: String::new(),
            sensitivity: Sensitivity::Unclassified,
        });
    }

    fn codes_for(s: &Situation, id: &str) -> Vec<&'static str> {
        matrix_diagnostics(s)
            .into_iter()
            .filter(|d| d.item.as_deref() == Some(id))
            .map(|d| d.code)
            .collect()
    }

    #[test]
    fn unassigned_flags_only_active_and_planned_lines() {
        let mut s = situation();
        line(&mut s, "active", Status::Active);
        line(&mut s, "planned", Status::Planned);
        line(&mut s, "paused", Status::Paused);
        line(&mut s, "done", Status::Completed);
        line(&mut s, "cancelled", Status::Cancelled);
        line(&mut s, "staffed", Status::Active);
        assign(&mut s, "staffed", "ecowas", Role::Lead);
        assert_eq!(matrix_report(&s).unassigned, ["active", "planned"]);
        assert_eq!(codes_for(&s, "active"), ["matrix.unassigned"]);
        assert!(codes_for(&s, "staffed").is_empty());
    }

    #[test]
    fn no_lead_flags_partners_without_a_lead() {
        let mut s = situation();
        line(&mut s, "supported", Status::Active);
        assign(&mut s, "supported", "au", Role::Support);
        assign(&mut s, "supported", "eu", Role::BurdenSharing);
        line(&mut s, "led", Status::Active);
        assign(&mut s, "led", "au", Role::Support);
        assign(&mut s, "led", "ecowas", Role::Lead);
        let report = matrix_report(&s);
        assert_eq!(report.no_lead, ["supported"]);
        let d = matrix_diagnostics(&s);
        let no_lead = d.iter().find(|d| d.code == "matrix.no-lead").unwrap();
        assert_eq!(no_lead.related, ["au", "eu"]);
        assert_eq!(no_lead.kind, Some(ItemKind::Line));
    }

    #[test]
    fn a_joint_line_with_two_partners_is_not_no_lead() {
        let mut s = situation();
        line(&mut s, "joint", Status::Active);
        assign(&mut s, "joint", "au", Role::Joint);
        assign(&mut s, "joint", "ecowas", Role::Joint);
        assign(&mut s, "joint", "eu", Role::Support);
        assert!(
            codes_for(&s, "joint").is_empty(),
            "{:?}",
            codes_for(&s, "joint")
        );
    }

    #[test]
    fn joint_alone_flags_a_single_joint_partner() {
        let mut s = situation();
        line(&mut s, "alone", Status::Active);
        assign(&mut s, "alone", "au", Role::Joint);
        assign(&mut s, "alone", "eu", Role::Support);
        let codes = codes_for(&s, "alone");
        assert!(codes.contains(&"matrix.joint-alone"), "{codes:?}");
        // One joint partner does not make the line run jointly: it still has no lead.
        assert!(codes.contains(&"matrix.no-lead"), "{codes:?}");
        let d = matrix_diagnostics(&s);
        let alone = d.iter().find(|d| d.code == "matrix.joint-alone").unwrap();
        assert_eq!(alone.related, ["au"]);
        // With a lead beside it, a lone joint role is still odd but there is a lead.
        let mut s = situation();
        line(&mut s, "x", Status::Active);
        assign(&mut s, "x", "au", Role::Joint);
        assign(&mut s, "x", "eu", Role::Lead);
        assert_eq!(codes_for(&s, "x"), ["matrix.joint-alone"]);
    }

    #[test]
    fn multiple_leads_names_every_lead() {
        let mut s = situation();
        line(&mut s, "two", Status::Planned);
        assign(&mut s, "two", "au", Role::Lead);
        assign(&mut s, "two", "eu", Role::Support);
        assign(&mut s, "two", "ecowas", Role::Lead);
        assert_eq!(codes_for(&s, "two"), ["matrix.multiple-leads"]);
        let d = matrix_diagnostics(&s);
        assert_eq!(d[0].related, ["au", "ecowas"]);
        assert!(d[0].message.contains("AU") && d[0].message.contains("ECOWAS"));
        assert_eq!(matrix_report(&s).multiple_leads, ["two"]);
    }

    #[test]
    fn the_same_partner_listed_twice_as_lead_is_one_lead() {
        let mut s = situation();
        line(&mut s, "dup", Status::Active);
        assign(&mut s, "dup", "au", Role::Lead);
        assign(&mut s, "dup", "au", Role::Lead);
        assert!(codes_for(&s, "dup").is_empty());
    }

    fn sequence(steps: &[u32]) -> Vec<&'static str> {
        let mut s = situation();
        line(&mut s, "seq", Status::Active);
        assign(&mut s, "seq", "ecowas", Role::Lead);
        let partners = ["au", "unowa", "eu", "pbf"];
        for (step, partner) in steps.iter().zip(partners) {
            assign(&mut s, "seq", partner, Role::Sequential(*step));
        }
        codes_for(&s, "seq")
    }

    #[test]
    fn sequential_chains() {
        assert!(sequence(&[1, 2, 3]).is_empty());
        assert!(
            sequence(&[3, 1, 2]).is_empty(),
            "file order does not matter"
        );
        assert!(sequence(&[1]).is_empty());
        assert_eq!(sequence(&[1, 3]), ["matrix.sequence-gap"]);
        assert_eq!(sequence(&[1, 1]), ["matrix.sequence-gap"]);
        assert_eq!(
            sequence(&[2, 3]),
            ["matrix.sequence-gap"],
            "must start at 1"
        );
        assert_eq!(sequence(&[0, 1]), ["matrix.sequence-gap"]);
        assert_eq!(sequence(&[1, 2, 2, 3]), ["matrix.sequence-gap"]);
    }

    #[test]
    fn contiguous_steps() {
        assert!(steps_are_contiguous(&[]));
        assert!(steps_are_contiguous(&[2, 1]));
        assert!(!steps_are_contiguous(&[1, 3]));
        assert!(!steps_are_contiguous(&[1, 1]));
    }

    /// `lines` active lines led by `au`, plus paused and planned ones it also leads.
    fn leading(active: usize, limit: u32) -> Situation {
        let mut s = situation();
        s.lead_limit = limit;
        for i in 0..active {
            let id = format!("a{i}");
            line(&mut s, &id, Status::Active);
            assign(&mut s, &id, "au", Role::Lead);
        }
        for (id, status) in [("p", Status::Paused), ("q", Status::Planned)] {
            line(&mut s, id, status);
            assign(&mut s, id, "au", Role::Lead);
        }
        line(&mut s, "sup", Status::Active);
        assign(&mut s, "sup", "eu", Role::Lead);
        assign(&mut s, "sup", "au", Role::Support);
        s
    }

    #[test]
    fn overload_counts_only_active_leads_against_the_limit() {
        // Default limit 3: three active leads (plus paused, planned and a support) is fine.
        assert!(matrix_report(&leading(3, 3)).overload.is_empty());
        let s = leading(4, 3);
        assert_eq!(matrix_report(&s).overload, ["au"]);
        let d = matrix_diagnostics(&s);
        let over = d.iter().find(|d| d.code == "matrix.overload").unwrap();
        assert_eq!(over.kind, Some(ItemKind::Partner));
        assert_eq!(over.related, ["a0", "a1", "a2", "a3"]);
        // The situation's own limit is respected.
        assert!(matrix_report(&leading(4, 4)).overload.is_empty());
        assert_eq!(matrix_report(&leading(2, 1)).overload, ["au"]);
    }

    #[test]
    fn default_lead_limit_is_three() {
        assert_eq!(situation().lead_limit, 3);
    }

    #[test]
    fn report_lists_each_check() {
        let mut s = situation();
        line(&mut s, "u", Status::Active);
        line(&mut s, "n", Status::Active);
        assign(&mut s, "n", "au", Role::Support);
        line(&mut s, "m", Status::Active);
        assign(&mut s, "m", "au", Role::Lead);
        assign(&mut s, "m", "eu", Role::Lead);
        line(&mut s, "j", Status::Active);
        assign(&mut s, "j", "eu", Role::Lead);
        assign(&mut s, "j", "pbf", Role::Joint);
        line(&mut s, "g", Status::Active);
        assign(&mut s, "g", "unowa", Role::Lead);
        assign(&mut s, "g", "pbf", Role::Sequential(2));
        s.lead_limit = 1;
        let r = matrix_report(&s);
        assert_eq!(
            r,
            MatrixReport {
                unassigned: vec!["u".into()],
                no_lead: vec!["n".into()],
                multiple_leads: vec!["m".into()],
                joint_alone: vec!["j".into()],
                sequence_gap: vec!["g".into()],
                overload: vec!["eu".into()],
            }
        );
    }
}
