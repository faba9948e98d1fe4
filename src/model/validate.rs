//! Checks on a situation's consistency, as diagnostics a desk officer can act on.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::{Assignment, Event, ItemKind, ItemRef, LineOfEffort, Place, Situation, ids};

/// How serious a diagnostic is: errors make a file unusable for sharing, warnings ask for a look.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One finding about a situation or its file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable code, e.g. `ref.unknown`.
    pub code: &'static str,
    pub message: String,
    /// 1-based line in the file, where known.
    pub line: Option<usize>,
    /// 1-based column (in characters) in the file, where known.
    pub column: Option<usize>,
    /// The id of the item it is about, where there is one.
    pub item: Option<String>,
    /// The kind of that item, so the app can select it.
    #[serde(skip)]
    pub kind: Option<ItemKind>,
    /// Other ids the finding concerns (e.g. the partners holding two leads).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<String>,
    /// When the finding is about one assignment: its place in the situation's list, so that
    /// a file's diagnostic points at the assignment's own lines.
    #[serde(skip)]
    pub assignment: Option<usize>,
}

impl Diagnostic {
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            code,
            message: message.into(),
            line: None,
            column: None,
            item: None,
            kind: None,
            related: Vec::new(),
            assignment: None,
        }
    }

    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(code, message)
        }
    }

    /// Attaches the item the finding is about.
    pub fn about(mut self, kind: ItemKind, id: impl Into<String>) -> Self {
        self.kind = Some(kind);
        self.item = Some(id.into());
        self
    }

    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    pub fn with_related(mut self, related: Vec<String>) -> Self {
        self.related = related;
        self
    }

    /// What kind of problem this is, in words (the code stays for `--json` and tooltips).
    pub fn title(&self) -> &'static str {
        check_title(self.code)
    }

    /// The item the finding is about, when it names one.
    pub fn item_ref(&self) -> Option<ItemRef> {
        Some(ItemRef::new(self.kind?, self.item.clone()?))
    }
}

/// A short name, in words, for the check with this stable code.
pub fn check_title(code: &str) -> &'static str {
    match code {
        "timeline.unanswered-warning" => "Unanswered warning",
        "matrix.no-lead" => "No lead",
        "matrix.unassigned" => "Nobody assigned",
        "matrix.multiple-leads" => "Several leads",
        "matrix.joint-alone" => "Joint role held alone",
        "matrix.sequence-gap" => "Broken sequence",
        "matrix.overload" => "Overloaded lead",
        "assignment.duplicate" => "Cell set twice",
        "assignment.step" => "Step not valid",
        "id.duplicate" => "Id used twice",
        "id.invalid" => "Id not valid",
        "ref.unknown" => "Unknown reference",
        "ref.not-warning" => "Answers no warning sign",
        "date.order" => "Dates out of order",
        "name.empty" => "No name",
        "place.empty" => "Empty place",
        "country.code" => "Unknown country code",
        "file.encoding" => "Text encoding",
        "file.too-large" => "File too large",
        "schema.newer" | "schema.unknown" => "File version",
        _ => "Check",
    }
}

/// Checks ids, references, dates and names. Matrix and timeline checks live in `analysis`.
pub fn validate(situation: &Situation) -> Vec<Diagnostic> {
    let mut out = validate_in_file(situation);
    for d in &mut out {
        d.assignment = None;
    }
    out
}

/// As [`validate`], each finding about one assignment saying which
/// ([`Diagnostic::assignment`]), so that a file's diagnostics point at its lines.
pub fn validate_in_file(situation: &Situation) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    check_ids(situation, &mut out);
    check_names(situation, &mut out);
    check_references(situation, &mut out);
    check_dates(situation, &mut out);
    check_countries(situation, &mut out);
    check_places(situation, &mut out);
    out
}

fn all_ids(situation: &Situation) -> impl Iterator<Item = (ItemKind, &str)> {
    let actors = situation
        .actors
        .iter()
        .map(|x| (ItemKind::Actor, x.id.as_str()));
    let partners = situation
        .partners
        .iter()
        .map(|x| (ItemKind::Partner, x.id.as_str()));
    let lines = situation
        .lines
        .iter()
        .map(|x| (ItemKind::Line, x.id.as_str()));
    let events = situation
        .events
        .iter()
        .map(|x| (ItemKind::Event, x.id.as_str()));
    actors.chain(partners).chain(lines).chain(events)
}

fn check_ids(situation: &Situation, out: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<&str, ItemKind> = HashMap::new();
    for (kind, id) in all_ids(situation) {
        let first = seen.insert(id, kind);
        id_findings(kind, id, first, out);
    }
    let mut cells = HashSet::new();
    for (i, a) in situation.assignments.iter().enumerate() {
        let duplicate = !cells.insert((a.line.as_str(), a.partner.as_str()));
        about_assignment(i, out, |out| assignment_findings(a, duplicate, out));
    }
}

/// Runs `check` and marks what it finds as about the assignment at `index`.
fn about_assignment(
    index: usize,
    out: &mut Vec<Diagnostic>,
    check: impl FnOnce(&mut Vec<Diagnostic>),
) {
    let before = out.len();
    check(out);
    for d in out.iter_mut().skip(before) {
        d.assignment = Some(index);
    }
}

/// `id.invalid` for a malformed id, and `id.duplicate` when `first` says which kind of item
/// already used it.
pub fn id_findings(kind: ItemKind, id: &str, first: Option<ItemKind>, out: &mut Vec<Diagnostic>) {
    if !ids::is_valid_id(id) {
        out.push(
            Diagnostic::error(
                "id.invalid",
                format!(
                    "the {} id \"{id}\" is empty or contains spaces or quotes",
                    kind.label()
                ),
            )
            .about(kind, id),
        );
    }
    if let Some(first) = first {
        out.push(
            Diagnostic::error(
                "id.duplicate",
                format!(
                    "the id \"{id}\" is used twice (a {} and a {}); ids must be unique in the file",
                    first.label(),
                    kind.label()
                ),
            )
            .about(kind, id),
        );
    }
}

/// `assignment.duplicate` when an earlier assignment has the same cell, and `assignment.step`.
pub fn assignment_findings(a: &Assignment, duplicate: bool, out: &mut Vec<Diagnostic>) {
    if duplicate {
        out.push(
            Diagnostic::error(
                "assignment.duplicate",
                format!(
                    "partner \"{}\" is assigned twice to line of effort \"{}\"",
                    a.partner, a.line
                ),
            )
            .about(ItemKind::Line, &a.line),
        );
    }
    if let super::Role::Sequential(0) = a.role {
        out.push(
            Diagnostic::error(
                "assignment.step",
                format!(
                    "sequential steps start at 1 (partner \"{}\" on \"{}\")",
                    a.partner, a.line
                ),
            )
            .about(ItemKind::Line, &a.line),
        );
    }
}

fn check_names(situation: &Situation, out: &mut Vec<Diagnostic>) {
    title_findings(situation, out);
    let names = situation
        .actors
        .iter()
        .map(|x| (ItemKind::Actor, &x.id, &x.name))
        .chain(
            situation
                .partners
                .iter()
                .map(|x| (ItemKind::Partner, &x.id, &x.name)),
        )
        .chain(
            situation
                .lines
                .iter()
                .map(|x| (ItemKind::Line, &x.id, &x.title)),
        )
        .chain(
            situation
                .events
                .iter()
                .map(|x| (ItemKind::Event, &x.id, &x.title)),
        );
    for (kind, id, name) in names {
        name_findings(kind, id, name, out);
    }
}

/// `name.empty` for a situation without a title.
pub fn title_findings(situation: &Situation, out: &mut Vec<Diagnostic>) {
    if situation.title.trim().is_empty() {
        out.push(Diagnostic::error(
            "name.empty",
            "the situation has no title",
        ));
    }
}

/// `name.empty` for an item without a name.
pub fn name_findings(kind: ItemKind, id: &str, name: &str, out: &mut Vec<Diagnostic>) {
    if name.trim().is_empty() {
        out.push(
            Diagnostic::error(
                "name.empty",
                format!("the {} \"{id}\" has no name", kind.label()),
            )
            .about(kind, id),
        );
    }
}

/// Which ids exist, for the reference checks: the whole situation's ids, or a kept index.
pub trait KnownIds {
    /// Whether an item of `kind` has this id.
    fn has(&self, kind: ItemKind, id: &str) -> bool;
    /// Whether a warning sign has this id.
    fn is_warning(&self, id: &str) -> bool;
}

/// The ids of one situation, borrowed from it.
pub struct IdSets<'a> {
    actors: HashSet<&'a str>,
    partners: HashSet<&'a str>,
    lines: HashSet<&'a str>,
    events: HashSet<&'a str>,
    warnings: HashSet<&'a str>,
}

impl<'a> IdSets<'a> {
    /// The ids of every item of `situation`.
    pub fn of(situation: &'a Situation) -> Self {
        Self {
            actors: situation.actors.iter().map(|x| x.id.as_str()).collect(),
            partners: situation.partners.iter().map(|x| x.id.as_str()).collect(),
            lines: situation.lines.iter().map(|x| x.id.as_str()).collect(),
            events: situation.events.iter().map(|x| x.id.as_str()).collect(),
            warnings: situation
                .events
                .iter()
                .filter(|e| e.kind == super::EventKind::WarningSign)
                .map(|x| x.id.as_str())
                .collect(),
        }
    }
}

impl KnownIds for IdSets<'_> {
    fn has(&self, kind: ItemKind, id: &str) -> bool {
        match kind {
            ItemKind::Actor => self.actors.contains(id),
            ItemKind::Partner => self.partners.contains(id),
            ItemKind::Line => self.lines.contains(id),
            ItemKind::Event => self.events.contains(id),
        }
    }

    fn is_warning(&self, id: &str) -> bool {
        self.warnings.contains(id)
    }
}

fn check_references(situation: &Situation, out: &mut Vec<Diagnostic>) {
    let known = IdSets::of(situation);
    for line in &situation.lines {
        line_references(line, &known, out);
    }
    for (i, a) in situation.assignments.iter().enumerate() {
        about_assignment(i, out, |out| assignment_references(a, &known, out));
    }
    for e in &situation.events {
        event_references(e, &known, out);
    }
}

fn unknown(from: ItemKind, from_id: &str, field: &str, target: &str, what: &str) -> Diagnostic {
    Diagnostic::error(
        "ref.unknown",
        format!(
            "the {} \"{from_id}\" names {what} \"{target}\" in {field}, but there is no such {what}",
            from.label()
        ),
    )
    .about(from, from_id)
}

/// `ref.unknown` for each actor a line of effort names that does not exist.
pub fn line_references(line: &LineOfEffort, known: &impl KnownIds, out: &mut Vec<Diagnostic>) {
    for a in line
        .actors
        .iter()
        .filter(|a| !known.has(ItemKind::Actor, a))
    {
        out.push(unknown(ItemKind::Line, &line.id, "actors", a, "actor"));
    }
}

/// `ref.unknown` for an assignment's line or partner that does not exist.
pub fn assignment_references(a: &Assignment, known: &impl KnownIds, out: &mut Vec<Diagnostic>) {
    if !known.has(ItemKind::Line, &a.line) {
        out.push(unknown(
            ItemKind::Line,
            &a.line,
            "an assignment",
            &a.line,
            "line of effort",
        ));
    }
    if !known.has(ItemKind::Partner, &a.partner) {
        out.push(unknown(
            ItemKind::Line,
            &a.line,
            "an assignment",
            &a.partner,
            "partner",
        ));
    }
}

/// `ref.unknown` for what an event names that does not exist, and `ref.not-warning` for an
/// answer that is not a warning sign.
pub fn event_references(e: &Event, known: &impl KnownIds, out: &mut Vec<Diagnostic>) {
    let id = e.id.as_str();
    for a in e.actors.iter().filter(|a| !known.has(ItemKind::Actor, a)) {
        out.push(unknown(ItemKind::Event, id, "actors", a, "actor"));
    }
    for p in e
        .partners
        .iter()
        .filter(|p| !known.has(ItemKind::Partner, p))
    {
        out.push(unknown(ItemKind::Event, id, "partners", p, "partner"));
    }
    for l in e.lines.iter().filter(|l| !known.has(ItemKind::Line, l)) {
        out.push(unknown(ItemKind::Event, id, "lines", l, "line of effort"));
    }
    for w in &e.answers {
        if !known.has(ItemKind::Event, w) {
            out.push(unknown(ItemKind::Event, id, "answers", w, "warning sign"));
        } else if !known.is_warning(w) {
            out.push(
                Diagnostic::warning(
                    "ref.not-warning",
                    format!("the event \"{id}\" answers \"{w}\", which is not a warning sign"),
                )
                .about(ItemKind::Event, id),
            );
        }
    }
}

fn check_dates(situation: &Situation, out: &mut Vec<Diagnostic>) {
    for line in &situation.lines {
        line_dates(line, out);
    }
    for e in &situation.events {
        event_dates(e, out);
    }
}

/// `date.order` for a line of effort that ends before it starts.
pub fn line_dates(line: &LineOfEffort, out: &mut Vec<Diagnostic>) {
    if let (Some(start), Some(end)) = (line.start, line.end)
        && end.last_day() < start.first_day()
    {
        out.push(
            Diagnostic::error(
                "date.order",
                format!(
                    "the line of effort \"{}\" ends ({end}) before it starts ({start})",
                    line.id
                ),
            )
            .about(ItemKind::Line, &line.id),
        );
    }
}

/// `date.order` for an event that ends before it starts.
pub fn event_dates(e: &Event, out: &mut Vec<Diagnostic>) {
    if let Some(end) = e.end
        && end.last_day() < e.date.first_day()
    {
        out.push(
            Diagnostic::error(
                "date.order",
                format!(
                    "the event \"{}\" ends ({end}) before it starts ({})",
                    e.id, e.date
                ),
            )
            .about(ItemKind::Event, &e.id),
        );
    }
}

fn is_country_code(code: &str) -> bool {
    code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase())
}

fn country_message(code: &str) -> String {
    format!("\"{code}\" is not an ISO 3166 alpha-3 country code (three capital letters, e.g. GIN)")
}

/// `country.code` for each of the situation's countries that is not an ISO 3166 alpha-3 code.
pub fn check_countries(situation: &Situation, out: &mut Vec<Diagnostic>) {
    for code in &situation.countries {
        if !is_country_code(code) {
            out.push(Diagnostic::warning("country.code", country_message(code)));
        }
    }
}

fn check_places(situation: &Situation, out: &mut Vec<Diagnostic>) {
    for a in &situation.actors {
        place_findings(ItemKind::Actor, &a.id, a.place.as_slice(), out);
    }
    for l in &situation.lines {
        place_findings(ItemKind::Line, &l.id, &l.places, out);
    }
    for (i, a) in situation.assignments.iter().enumerate() {
        about_assignment(i, out, |out| {
            place_findings(ItemKind::Line, &a.line, &a.places, out);
        });
    }
    for e in &situation.events {
        place_findings(ItemKind::Event, &e.id, e.place.as_slice(), out);
    }
}

/// `country.code` for a place whose country is not an ISO 3166 alpha-3 code, and
/// `place.empty` for a place with nothing in it, about the item of `kind` and `id` (an
/// assignment's places are about its line).
pub fn place_findings(kind: ItemKind, id: &str, places: &[Place], out: &mut Vec<Diagnostic>) {
    for place in places {
        if !place.country.is_empty() && !is_country_code(&place.country) {
            out.push(
                Diagnostic::warning(
                    "country.code",
                    format!(
                        "the place of the {} \"{id}\": {}",
                        kind.label(),
                        country_message(&place.country)
                    ),
                )
                .about(kind, id),
            );
        }
        if place.is_empty() {
            out.push(
                Diagnostic::warning(
                    "place.empty",
                    format!(
                        "the {} \"{id}\" has a place with nothing in it (no name, country, area or coordinates)",
                        kind.label()
                    ),
                )
                .about(kind, id),
            );
        }
    }
}
