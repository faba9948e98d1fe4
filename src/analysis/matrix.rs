//! The division-of-labour matrix (S/2011/552 ¶51–52): its checks, and the grid the matrix
//! view draws (cell index, row and column orders under the filters, role edits).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;

use serde::Serialize;

use crate::model::edit::Edit;
use crate::model::{
    Assignment, Diagnostic, Instrument, ItemKind, ItemRef, LineOfEffort, PartnerCategory, Role,
    Situation, Status, Track,
};

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
        line_findings(situation, line, cells, &mut out);
    }
    out.extend(overloads(situation));
    out
}

/// The matrix checks of one line of effort, given its assignments (`cells`, in file order):
/// unassigned, or no-lead, multiple-leads, joint-alone and sequence-gap.
pub fn line_findings(
    situation: &Situation,
    line: &LineOfEffort,
    cells: &[&Assignment],
    out: &mut Vec<Diagnostic>,
) {
    if cells.is_empty() {
        out.extend(unassigned(line));
        return;
    }
    lead_checks(situation, line, cells, out);
    out.extend(sequence_gap(line, cells));
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
pub fn overloads(situation: &Situation) -> Vec<Diagnostic> {
    // The first line with each id decides, as `Situation::line` would.
    let mut status: HashMap<&str, Status> = HashMap::with_capacity(situation.lines.len());
    for line in &situation.lines {
        status.entry(line.id.as_str()).or_insert(line.status);
    }
    let mut active_leads: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for a in situation
        .assignments
        .iter()
        .filter(|a| a.role == Role::Lead)
    {
        if status.get(a.line.as_str()) == Some(&Status::Active) {
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

// The grid of the matrix view: which assignment sits in which cell, what each row and column
// sums up and is flagged for, and the order rows and columns are shown in under the filters.

/// How the rows of the matrix are grouped.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum RowGrouping {
    None,
    #[default]
    Instrument,
    Track,
    Status,
}

impl RowGrouping {
    /// Every grouping, in menu order.
    pub const ALL: [RowGrouping; 4] = [
        RowGrouping::None,
        RowGrouping::Instrument,
        RowGrouping::Track,
        RowGrouping::Status,
    ];

    /// The name shown in the grouping menu.
    pub fn label(self) -> &'static str {
        match self {
            RowGrouping::None => "No grouping",
            RowGrouping::Instrument => "Instrument",
            RowGrouping::Track => "Track",
            RowGrouping::Status => "Status",
        }
    }
}

/// What the user chose to see: the grouping of rows, which lines of effort and which partner
/// category are kept, and whether partners without a role in a kept line are left out.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct MatrixFilters {
    pub group_by: RowGrouping,
    pub status: Option<Status>,
    pub track: Option<Track>,
    pub instrument: Option<Instrument>,
    pub category: Option<PartnerCategory>,
    pub hide_empty_columns: bool,
}

impl MatrixFilters {
    /// Whether the rows keep `line`.
    pub fn keeps(&self, line: &LineOfEffort) -> bool {
        self.status.is_none_or(|s| line.status == s)
            && self.track.is_none_or(|t| line.track == t)
            && self.instrument.is_none_or(|i| line.instrument == i)
    }
}

/// One row of the grid: a group header or a line of effort (index into `situation.lines`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RowEntry {
    /// The header of a group, with how many of its lines are shown.
    Group {
        label: String,
        count: usize,
    },
    Line(usize),
}

/// The facts of the grid, by position in `situation.lines` and `situation.partners`.
#[derive(Clone, Debug, Default)]
pub struct MatrixIndex {
    /// (line index, partner index) → assignment index; the first assignment of a cell wins.
    pub cells: HashMap<(usize, usize), usize>,
    /// Line id → index.
    pub line_ids: HashMap<String, usize>,
    /// Partner id → index.
    pub partner_ids: HashMap<String, usize>,
    /// Per line: number of partners and the lead(s)' short names, comma-separated.
    pub row_summary: Vec<(usize, String)>,
    /// Per partner: number of leads and of roles.
    pub col_summary: Vec<(usize, usize)>,
    /// Per line: the messages of the matrix problems about it.
    pub row_flags: HashMap<usize, Vec<String>>,
    /// Per partner: the messages of the matrix problems about it (overload).
    pub col_flags: HashMap<usize, Vec<String>>,
    /// The cells a problem names (e.g. the two leads of a line); a line without a lead flags
    /// its row, not its cells.
    pub cell_flags: HashSet<(usize, usize)>,
    /// The matrix problems (message and item), in the order of `diagnostics`.
    pub problems: Vec<(String, Option<ItemRef>)>,
}

impl MatrixIndex {
    /// Indexes the assignments of `situation` and the `matrix.*` problems among `diagnostics`.
    /// Assignments naming an unknown line or partner are left out.
    pub fn build(situation: &Situation, diagnostics: &[Diagnostic]) -> Self {
        let line_ids: HashMap<String, usize> = situation
            .lines
            .iter()
            .enumerate()
            .map(|(i, l)| (l.id.clone(), i))
            .collect();
        let partner_ids: HashMap<String, usize> = situation
            .partners
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.clone(), i))
            .collect();
        let mut index = Self {
            line_ids,
            partner_ids,
            ..Self::default()
        };
        index.add_cells(situation);
        for d in diagnostics.iter().filter(|d| d.code.starts_with("matrix.")) {
            index.add_problem(d);
        }
        index
    }

    /// Fills `cells` and the row and column summaries.
    fn add_cells(&mut self, situation: &Situation) {
        let mut cells = HashMap::with_capacity(situation.assignments.len());
        let mut row_count = vec![0usize; situation.lines.len()];
        let mut row_leads: Vec<Vec<&str>> = vec![Vec::new(); situation.lines.len()];
        let mut col_summary = vec![(0usize, 0usize); situation.partners.len()];
        for (ai, a) in situation.assignments.iter().enumerate() {
            let (Some(&li), Some(&pi)) =
                (self.line_ids.get(&a.line), self.partner_ids.get(&a.partner))
            else {
                continue;
            };
            // A cell assigned twice (a validation error) shows the first assignment, the one
            // `Situation::assignment` finds and the role menu and keys change.
            match cells.entry((li, pi)) {
                std::collections::hash_map::Entry::Occupied(_) => continue,
                std::collections::hash_map::Entry::Vacant(slot) => {
                    slot.insert(ai);
                }
            }
            if let Some(n) = row_count.get_mut(li) {
                *n += 1;
            }
            let is_lead = a.role == Role::Lead;
            if is_lead
                && let (Some(leads), Some(p)) = (row_leads.get_mut(li), situation.partners.get(pi))
            {
                leads.push(p.short_name());
            }
            if let Some(c) = col_summary.get_mut(pi) {
                c.0 += usize::from(is_lead);
                c.1 += 1;
            }
        }
        self.row_summary = row_count
            .into_iter()
            .zip(row_leads)
            .map(|(n, leads)| (n, leads.join(", ")))
            .collect();
        self.col_summary = col_summary;
        self.cells = cells;
    }

    /// Files one matrix problem under its row or column and the cells it names.
    fn add_problem(&mut self, d: &Diagnostic) {
        self.problems.push((d.message.clone(), d.item_ref()));
        let Some(item) = d.item.as_deref() else {
            return;
        };
        match d.kind {
            Some(ItemKind::Line) => {
                let Some(&li) = self.line_ids.get(item) else {
                    return;
                };
                self.row_flags
                    .entry(li)
                    .or_default()
                    .push(d.message.clone());
                if d.code != "matrix.no-lead" {
                    for p in &d.related {
                        if let Some(&pi) = self.partner_ids.get(p) {
                            self.cell_flags.insert((li, pi));
                        }
                    }
                }
            }
            Some(ItemKind::Partner) => {
                let Some(&pi) = self.partner_ids.get(item) else {
                    return;
                };
                self.col_flags
                    .entry(pi)
                    .or_default()
                    .push(d.message.clone());
                for l in &d.related {
                    if let Some(&li) = self.line_ids.get(l) {
                        self.cell_flags.insert((li, pi));
                    }
                }
            }
            _ => {}
        }
    }

    /// The assignment in the cell of line `li` and partner `pi`, if any.
    pub fn assignment<'s>(
        &self,
        situation: &'s Situation,
        li: usize,
        pi: usize,
    ) -> Option<&'s Assignment> {
        self.cells
            .get(&(li, pi))
            .and_then(|&ai| situation.assignments.get(ai))
    }
}

/// The rows and columns shown under the filters.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MatrixOrder {
    /// Group headers and lines; within a group, lines keep their file order.
    pub rows: Vec<RowEntry>,
    /// Partner indices, by category in [`PartnerCategory::ALL`] order, then file order.
    pub cols: Vec<usize>,
    /// Category bands: a category and the range of `cols` it spans (empty ones left out).
    pub bands: Vec<(PartnerCategory, Range<usize>)>,
}

/// The position of `value` in `all` (0 when absent).
fn rank<T: PartialEq>(all: &[T], value: T) -> usize {
    all.iter().position(|x| *x == value).unwrap_or(0)
}

impl MatrixOrder {
    /// The rows and columns of `situation` under `filters`.
    pub fn build(situation: &Situation, index: &MatrixIndex, filters: &MatrixFilters) -> Self {
        let kept: Vec<usize> = situation
            .lines
            .iter()
            .enumerate()
            .filter(|(_, l)| filters.keeps(l))
            .map(|(i, _)| i)
            .collect();
        let rows = Self::rows(situation, &kept, filters.group_by);
        let (cols, bands) = Self::columns(situation, index, &kept, filters);
        Self { rows, cols, bands }
    }

    /// The kept lines, grouped: each group's header, then its lines.
    fn rows(situation: &Situation, kept: &[usize], group_by: RowGrouping) -> Vec<RowEntry> {
        let group_of = |li: usize| -> (usize, &'static str) {
            let Some(l) = situation.lines.get(li) else {
                return (0, "");
            };
            match group_by {
                RowGrouping::None => (0, ""),
                RowGrouping::Instrument => {
                    (rank(Instrument::ALL, l.instrument), l.instrument.label())
                }
                RowGrouping::Track => (rank(Track::ALL, l.track), l.track.label()),
                RowGrouping::Status => (rank(Status::ALL, l.status), l.status.label()),
            }
        };
        let mut rows = Vec::with_capacity(kept.len() + 16);
        if group_by == RowGrouping::None {
            rows.extend(kept.iter().map(|&li| RowEntry::Line(li)));
            return rows;
        }
        let mut sorted = kept.to_vec();
        sorted.sort_by_key(|&li| group_of(li).0);
        let mut current: Option<usize> = None;
        let mut header_at = 0;
        for li in sorted {
            let (g, label) = group_of(li);
            if current != Some(g) {
                current = Some(g);
                header_at = rows.len();
                rows.push(RowEntry::Group {
                    label: label.to_owned(),
                    count: 0,
                });
            }
            if let Some(RowEntry::Group { count, .. }) = rows.get_mut(header_at) {
                *count += 1;
            }
            rows.push(RowEntry::Line(li));
        }
        rows
    }

    /// The partners shown, grouped by category, and the category bands.
    #[allow(clippy::type_complexity)]
    fn columns(
        situation: &Situation,
        index: &MatrixIndex,
        kept: &[usize],
        filters: &MatrixFilters,
    ) -> (Vec<usize>, Vec<(PartnerCategory, Range<usize>)>) {
        let used: HashSet<usize> = if filters.hide_empty_columns {
            let kept: HashSet<usize> = kept.iter().copied().collect();
            index
                .cells
                .keys()
                .filter(|(li, _)| kept.contains(li))
                .map(|(_, pi)| *pi)
                .collect()
        } else {
            HashSet::new()
        };
        let mut cols = Vec::with_capacity(situation.partners.len());
        let mut bands = Vec::new();
        for &category in PartnerCategory::ALL {
            if filters.category.is_some_and(|c| c != category) {
                continue;
            }
            let start = cols.len();
            cols.extend(
                situation
                    .partners
                    .iter()
                    .enumerate()
                    .filter(|(pi, p)| {
                        p.category == category && (!filters.hide_empty_columns || used.contains(pi))
                    })
                    .map(|(pi, _)| pi),
            );
            if cols.len() > start {
                bands.push((category, start..cols.len()));
            }
        }
        (cols, bands)
    }

    /// The row that shows the line with this id.
    pub fn row_of_line(&self, index: &MatrixIndex, id: &str) -> Option<usize> {
        let li = *index.line_ids.get(id)?;
        self.rows.iter().position(|e| *e == RowEntry::Line(li))
    }

    /// The column that shows the partner with this id.
    pub fn col_of_partner(&self, index: &MatrixIndex, id: &str) -> Option<usize> {
        let pi = *index.partner_ids.get(id)?;
        self.cols.iter().position(|&p| p == pi)
    }

    /// Where the focus goes from the cell `focus` (line id, partner id) when moved `dx`
    /// columns and `dy` lines: group headers are skipped and the edges hold. Without a focus
    /// shown, the first cell. `None` when there is no cell, or the focus is lost.
    pub fn step_focus(
        &self,
        index: &MatrixIndex,
        focus: Option<(&str, &str)>,
        dx: i32,
        dy: i32,
    ) -> Option<FocusedCell> {
        let line_rows: Vec<usize> = self
            .rows
            .iter()
            .enumerate()
            .filter_map(|(r, e)| matches!(e, RowEntry::Line(_)).then_some(r))
            .collect();
        if line_rows.is_empty() || self.cols.is_empty() {
            return None;
        }
        let current = focus.and_then(|(l, p)| {
            let row = self.row_of_line(index, l)?;
            let r = line_rows.iter().position(|&x| x == row)?;
            Some((r, self.col_of_partner(index, p)?))
        });
        let (r, c) = match current {
            Some((r, c)) => (
                (r as i64 + i64::from(dy)).clamp(0, line_rows.len() as i64 - 1) as usize,
                (c as i64 + i64::from(dx)).clamp(0, self.cols.len() as i64 - 1) as usize,
            ),
            None => (0, 0),
        };
        let (&row, &pi) = (line_rows.get(r)?, self.cols.get(c)?);
        let Some(RowEntry::Line(li)) = self.rows.get(row) else {
            return None;
        };
        let id_of = |ids: &HashMap<String, usize>, i: usize| {
            ids.iter().find(|(_, v)| **v == i).map(|(k, _)| k.clone())
        };
        Some(FocusedCell {
            row,
            col: c,
            line: id_of(&index.line_ids, *li)?,
            partner: id_of(&index.partner_ids, pi)?,
        })
    }
}

/// A cell of the grid: its place in [`MatrixOrder`] and the ids of its line and partner.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FocusedCell {
    /// Index into `rows`.
    pub row: usize,
    /// Index into `cols`.
    pub col: usize,
    pub line: String,
    pub partner: String,
}

/// The step a new sequential role on `line` gets: one after the highest.
pub fn next_step(situation: &Situation, line: &str) -> u32 {
    situation
        .assignments
        .iter()
        .filter(|a| a.line == line)
        .filter_map(|a| match a.role {
            Role::Sequential(n) => Some(n),
            _ => None,
        })
        .max()
        .map_or(1, |n| n.saturating_add(1))
}

/// The step the cell of `partner` on `line` offers for a sequential role: its own when it
/// already is one, else [`next_step`].
pub fn cell_step(situation: &Situation, line: &str, partner: &str) -> u32 {
    match situation.assignment(line, partner).map(|a| a.role) {
        Some(Role::Sequential(n)) => n,
        _ => next_step(situation, line),
    }
}

/// The edit that sets (or, with `None`, clears) the role of `partner` on `line`, keeping the
/// note and sensitivity of an existing assignment; a new one takes the situation's default
/// sensitivity. `None` when the cell already holds that role.
pub fn role_edit(
    situation: &Situation,
    line: &str,
    partner: &str,
    role: Option<Role>,
) -> Option<Edit> {
    let existing = situation.assignment(line, partner);
    if existing.map(|a| a.role) == role {
        return None;
    }
    let assignment = role.map(|role| match existing {
        Some(a) => Assignment { role, ..a.clone() },
        None => Assignment {
            line: line.to_owned(),
            partner: partner.to_owned(),
            role,
            note: String::new(),
            sensitivity: situation.sensitivity,
            places: Vec::new(),
        },
    });
    Some(Edit::SetAssignment {
        line: line.to_owned(),
        partner: partner.to_owned(),
        assignment,
        index: None,
    })
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
            sector: String::new(),
            track: Track::I,
            status,
            start: None,
            end: None,
            actors: Vec::new(),
            notes: String::new(),
            sensitivity: Sensitivity::Unclassified,
            places: Vec::new(),
        });
    }

    fn assign(s: &mut Situation, line: &str, partner: &str, role: Role) {
        s.assignments.push(Assignment {
            line: line.into(),
            partner: partner.into(),
            role,
            note: String::new(),
            sensitivity: Sensitivity::Unclassified,
            places: Vec::new(),
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

    // The grid of the matrix view.

    /// Lines: a (special envoy, I, active), b (good offices, II, planned),
    /// c (special envoy, III, paused), d (good offices, I, active). Partners: ecowas, au (regional),
    /// un (UN system), eu (regional, no role), wb (financial institution, a role on c only).
    fn grid() -> Situation {
        let mut s = situation();
        s.partners.clear();
        for (id, category) in [
            ("ecowas", PartnerCategory::Regional),
            ("au", PartnerCategory::Regional),
            ("un", PartnerCategory::UnSystem),
            ("eu", PartnerCategory::Regional),
            ("wb", PartnerCategory::FinancialInstitution),
        ] {
            s.partners.push(Partner {
                id: id.into(),
                name: id.to_uppercase(),
                acronym: String::new(),
                category,
                instruments: Vec::new(),
                notes: String::new(),
                sensitivity: Sensitivity::Unclassified,
            });
        }
        for (id, instrument, track, status) in [
            ("a", Instrument::SpecialEnvoy, Track::I, Status::Active),
            ("b", Instrument::GoodOffices, Track::II, Status::Planned),
            ("c", Instrument::SpecialEnvoy, Track::III, Status::Paused),
            ("d", Instrument::GoodOffices, Track::I, Status::Active),
        ] {
            line(&mut s, id, status);
            if let Some(l) = s.lines.last_mut() {
                l.instrument = instrument;
                l.track = track;
            }
        }
        assign(&mut s, "a", "ecowas", Role::Lead);
        assign(&mut s, "a", "au", Role::Lead);
        assign(&mut s, "a", "un", Role::Support);
        assign(&mut s, "b", "au", Role::Support);
        assign(&mut s, "c", "wb", Role::BurdenSharing);
        assign(&mut s, "d", "un", Role::Lead);
        s
    }

    fn index(s: &Situation) -> MatrixIndex {
        MatrixIndex::build(s, &matrix_diagnostics(s))
    }

    fn lines_of(order: &MatrixOrder, s: &Situation) -> Vec<String> {
        order
            .rows
            .iter()
            .map(|r| match r {
                RowEntry::Group { label, count } => format!("[{label} {count}]"),
                RowEntry::Line(li) => s.lines[*li].id.clone(),
            })
            .collect()
    }

    fn cols_of(order: &MatrixOrder, s: &Situation) -> Vec<&'static str> {
        order
            .cols
            .iter()
            .map(|&pi| match s.partners[pi].id.as_str() {
                "ecowas" => "ecowas",
                "au" => "au",
                "un" => "un",
                "eu" => "eu",
                _ => "wb",
            })
            .collect()
    }

    #[test]
    fn the_index_puts_each_assignment_in_its_cell_and_sums_up_rows_and_columns() {
        let mut s = grid();
        // A second assignment of the same cell, and one naming a partner not in the file.
        assign(&mut s, "a", "ecowas", Role::Support);
        assign(&mut s, "a", "nobody", Role::Lead);
        let ix = index(&s);
        let cell = |l: &str, p: &str| {
            let (li, pi) = (ix.line_ids[l], ix.partner_ids[p]);
            ix.assignment(&s, li, pi).map(|a| a.role)
        };
        assert_eq!(
            cell("a", "ecowas"),
            s.assignment("a", "ecowas").map(|a| a.role),
            "the cell shows the assignment its menu changes"
        );
        assert_eq!(cell("a", "ecowas"), Some(Role::Lead), "the first one");
        assert_eq!(cell("a", "un"), Some(Role::Support));
        assert_eq!(cell("a", "eu"), None);
        assert_eq!(ix.cells.len(), 6);
        assert_eq!(
            ix.row_summary,
            [
                (3, "ECOWAS, AU".to_owned()),
                (1, String::new()),
                (1, String::new()),
                (1, "UN".to_owned())
            ]
        );
        // (leads, roles) per partner: ecowas, au, un, eu, wb.
        assert_eq!(ix.col_summary, [(1, 1), (1, 2), (1, 2), (0, 0), (0, 1)]);
    }

    #[test]
    fn the_index_flags_rows_columns_and_the_cells_a_problem_names() {
        let mut s = grid();
        s.lead_limit = 1;
        line(&mut s, "e", Status::Active);
        assign(&mut s, "e", "un", Role::Lead);
        let ix = index(&s);
        let (a, b, e) = (ix.line_ids["a"], ix.line_ids["b"], ix.line_ids["e"]);
        let (ecowas, au, un) = (
            ix.partner_ids["ecowas"],
            ix.partner_ids["au"],
            ix.partner_ids["un"],
        );
        // Two leads on a: the row and both lead cells, not the support cell.
        assert_eq!(ix.row_flags[&a].len(), 1);
        assert!(ix.row_flags[&a][0].contains("2 leads"));
        assert!(ix.cell_flags.contains(&(a, ecowas)) && ix.cell_flags.contains(&(a, au)));
        assert!(!ix.cell_flags.contains(&(a, un)));
        // No lead on b: the row only.
        assert_eq!(ix.row_flags[&b].len(), 1);
        assert!(!ix.cell_flags.contains(&(b, au)));
        // UN leads two active lines over a limit of 1: its column and both cells.
        assert_eq!(ix.col_flags[&un].len(), 1);
        assert!(
            ix.cell_flags.contains(&(ix.line_ids["d"], un)) && ix.cell_flags.contains(&(e, un))
        );
        assert_eq!(ix.cell_flags.len(), 4);
        // The side list keeps every matrix problem with its item, and nothing else.
        let mut all = matrix_diagnostics(&s);
        all.insert(0, Diagnostic::warning("date.order", "not a matrix problem"));
        let ix = MatrixIndex::build(&s, &all);
        assert_eq!(ix.problems.len(), all.len() - 1);
        assert_eq!(ix.problems[0].1, Some(ItemRef::new(ItemKind::Line, "a")));
    }

    #[test]
    fn without_grouping_rows_keep_file_order_and_columns_go_by_category() {
        let s = grid();
        let filters = MatrixFilters {
            group_by: RowGrouping::None,
            ..MatrixFilters::default()
        };
        let order = MatrixOrder::build(&s, &index(&s), &filters);
        assert_eq!(lines_of(&order, &s), ["a", "b", "c", "d"]);
        // UN system first, then regional (in file order), then financial institutions.
        assert_eq!(cols_of(&order, &s), ["un", "ecowas", "au", "eu", "wb"]);
        assert_eq!(
            order.bands,
            [
                (PartnerCategory::UnSystem, 0..1),
                (PartnerCategory::Regional, 1..4),
                (PartnerCategory::FinancialInstitution, 4..5)
            ]
        );
    }

    #[test]
    fn each_grouping_puts_a_counted_header_over_its_lines_in_choice_order() {
        let s = grid();
        let ix = index(&s);
        let rows = |group_by| {
            let filters = MatrixFilters {
                group_by,
                ..MatrixFilters::default()
            };
            lines_of(&MatrixOrder::build(&s, &ix, &filters), &s)
        };
        assert_eq!(MatrixFilters::default().group_by, RowGrouping::Instrument);
        assert_eq!(
            rows(RowGrouping::Instrument),
            ["[Good offices 2]", "b", "d", "[Special envoy 2]", "a", "c"]
        );
        assert_eq!(
            rows(RowGrouping::Track),
            [
                "[Track I (official) 2]",
                "a",
                "d",
                "[Track II (unofficial) 1]",
                "b",
                "[Track III (people-to-people) 1]",
                "c"
            ]
        );
        assert_eq!(
            rows(RowGrouping::Status),
            [
                "[Planned 1]",
                "b",
                "[Active 2]",
                "a",
                "d",
                "[Paused 1]",
                "c"
            ]
        );
    }

    #[test]
    fn filters_keep_matching_lines_and_the_category_asked_for() {
        let s = grid();
        let ix = index(&s);
        let build = |filters: MatrixFilters| MatrixOrder::build(&s, &ix, &filters);
        let none = MatrixFilters {
            group_by: RowGrouping::None,
            ..MatrixFilters::default()
        };
        let by_status = build(MatrixFilters {
            status: Some(Status::Active),
            ..none
        });
        assert_eq!(lines_of(&by_status, &s), ["a", "d"]);
        let by_track = build(MatrixFilters {
            track: Some(Track::I),
            instrument: Some(Instrument::GoodOffices),
            ..none
        });
        assert_eq!(lines_of(&by_track, &s), ["d"]);
        let grouped = build(MatrixFilters {
            status: Some(Status::Paused),
            ..MatrixFilters::default()
        });
        assert_eq!(lines_of(&grouped, &s), ["[Special envoy 1]", "c"]);
        let regional = build(MatrixFilters {
            category: Some(PartnerCategory::Regional),
            ..none
        });
        assert_eq!(cols_of(&regional, &s), ["ecowas", "au", "eu"]);
        assert_eq!(regional.bands, [(PartnerCategory::Regional, 0..3)]);
        let nothing = build(MatrixFilters {
            category: Some(PartnerCategory::CivilSociety),
            ..none
        });
        assert!(nothing.cols.is_empty() && nothing.bands.is_empty());
    }

    #[test]
    fn hiding_empty_columns_counts_only_the_lines_kept() {
        let s = grid();
        let ix = index(&s);
        let hide = MatrixFilters {
            group_by: RowGrouping::None,
            hide_empty_columns: true,
            ..MatrixFilters::default()
        };
        let order = MatrixOrder::build(&s, &ix, &hide);
        assert_eq!(
            cols_of(&order, &s),
            ["un", "ecowas", "au", "wb"],
            "eu has no role"
        );
        let active = MatrixOrder::build(
            &s,
            &ix,
            &MatrixFilters {
                status: Some(Status::Active),
                ..hide
            },
        );
        // wb's only role is on the paused line c.
        assert_eq!(cols_of(&active, &s), ["un", "ecowas", "au"]);
        assert_eq!(
            active.bands,
            [
                (PartnerCategory::UnSystem, 0..1),
                (PartnerCategory::Regional, 1..3)
            ]
        );
    }

    #[test]
    fn rows_and_columns_are_found_by_id() {
        let s = grid();
        let ix = index(&s);
        let order = MatrixOrder::build(&s, &ix, &MatrixFilters::default());
        assert_eq!(order.row_of_line(&ix, "d"), Some(2));
        assert_eq!(order.row_of_line(&ix, "nope"), None);
        assert_eq!(order.col_of_partner(&ix, "au"), Some(2));
        let regional = MatrixOrder::build(
            &s,
            &ix,
            &MatrixFilters {
                category: Some(PartnerCategory::Regional),
                ..MatrixFilters::default()
            },
        );
        assert_eq!(regional.col_of_partner(&ix, "un"), None, "filtered out");
    }

    #[test]
    fn the_focus_moves_over_lines_skipping_headers_and_stops_at_the_edges() {
        let s = grid();
        let ix = index(&s);
        // Rows: [Good offices] b d [Special envoy] a c; columns: un ecowas au eu wb.
        let order = MatrixOrder::build(&s, &ix, &MatrixFilters::default());
        let step = |focus: Option<(&str, &str)>, dx, dy| {
            order
                .step_focus(&ix, focus, dx, dy)
                .map(|f| (f.row, f.col, f.line, f.partner))
        };
        let cell = |row, col, line: &str, partner: &str| {
            Some((row, col, line.to_owned(), partner.to_owned()))
        };
        assert_eq!(
            step(None, 1, 0),
            cell(1, 0, "b", "un"),
            "no focus: the first cell"
        );
        assert_eq!(step(Some(("d", "un")), 0, 1), cell(4, 0, "a", "un"));
        assert_eq!(step(Some(("a", "un")), 0, -1), cell(2, 0, "d", "un"));
        assert_eq!(step(Some(("c", "wb")), 1, 1), cell(5, 4, "c", "wb"));
        assert_eq!(step(Some(("b", "un")), -1, -1), cell(1, 0, "b", "un"));
        assert_eq!(step(Some(("b", "ecowas")), 2, 0), cell(1, 3, "b", "eu"));
        // A focus the filters hide starts over at the first cell.
        let active = MatrixOrder::build(
            &s,
            &ix,
            &MatrixFilters {
                status: Some(Status::Active),
                ..MatrixFilters::default()
            },
        );
        assert_eq!(
            active
                .step_focus(&ix, Some(("c", "wb")), 1, 0)
                .map(|f| (f.line, f.partner)),
            Some(("d".to_owned(), "un".to_owned()))
        );
        let empty = MatrixOrder::default();
        assert_eq!(empty.step_focus(&ix, None, 0, 1), None);
    }

    #[test]
    fn next_step_follows_the_highest() {
        let mut s = situation();
        assert_eq!(next_step(&s, "x"), 1);
        assign(&mut s, "x", "au", Role::Sequential(1));
        assign(&mut s, "x", "eu", Role::Sequential(4));
        assign(&mut s, "x", "pbf", Role::Lead);
        assert_eq!(next_step(&s, "x"), 5);
        assert_eq!(next_step(&s, "y"), 1);
        assert_eq!(
            cell_step(&s, "x", "eu"),
            4,
            "a sequential cell keeps its step"
        );
        assert_eq!(cell_step(&s, "x", "pbf"), 5);
        assert_eq!(cell_step(&s, "x", "unowa"), 5);
    }

    #[test]
    fn a_role_edit_keeps_the_note_and_is_none_when_nothing_changes() {
        let mut s = situation();
        s.sensitivity = Sensitivity::Confidential;
        line(&mut s, "x", Status::Active);
        assign(&mut s, "x", "au", Role::Support);
        s.assignments[0].note = "Funds the envoy".into();
        assert_eq!(role_edit(&s, "x", "au", Some(Role::Support)), None);
        assert_eq!(role_edit(&s, "x", "eu", None), None);
        let Some(Edit::SetAssignment {
            assignment: Some(changed),
            index: None,
            ..
        }) = role_edit(&s, "x", "au", Some(Role::Lead))
        else {
            panic!("a changed assignment");
        };
        assert_eq!(changed.role, Role::Lead);
        assert_eq!(changed.note, "Funds the envoy");
        assert_eq!(changed.sensitivity, Sensitivity::Unclassified);
        let Some(Edit::SetAssignment {
            assignment: Some(added),
            ..
        }) = role_edit(&s, "x", "eu", Some(Role::Joint))
        else {
            panic!("a new assignment");
        };
        assert_eq!((added.line.as_str(), added.partner.as_str()), ("x", "eu"));
        assert_eq!(added.sensitivity, Sensitivity::Confidential, "the default");
        let cleared = role_edit(&s, "x", "au", None);
        let mut applied = s.clone();
        crate::model::edit::apply(&mut applied, cleared.unwrap()).unwrap();
        assert!(applied.assignments.is_empty());
    }
}
