//! The situation: what a situation file holds. Knows nothing of egui.

pub mod create;
mod date;
pub mod delta;
pub mod edit;
pub mod history;
pub mod ids;
pub mod parse;
mod place;
pub mod rebase;
pub mod touched;
pub mod validate;

pub use date::{DateError, PartialDate, Precision, month_step, month_weeks};
pub use place::{Coordinates, CoordinatesError, GeoPrecision, Place};
pub use validate::{Diagnostic, Severity, validate};

use serde::{Deserialize, Serialize};

/// The schema version this build of Tandem writes.
pub const SCHEMA_VERSION: u32 = 2;

/// Declares a fixed-choice enum with a human label for each variant and a list of all.
macro_rules! choice {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $label:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "sync", derive(autosurgeon::Reconcile, autosurgeon::Hydrate))]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            /// Every choice, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The label a desk officer reads.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.label())
            }
        }
    };
}

choice! {
    /// How widely an item may be shared (UN classification levels).
    #[derive(Default)]
    Sensitivity {
        #[default]
        Unclassified => "Unclassified",
        Confidential => "Confidential",
        StrictlyConfidential => "Strictly confidential",
    }
}

choice! {
    /// What kind of party to the crisis an actor is.
    ActorKind {
        Government => "Government",
        DeFactoAuthority => "De facto authority / junta",
        Opposition => "Political opposition",
        Military => "Military / security forces",
        ArmedGroup => "Armed group",
        CivilSociety => "Civil society",
        Elders => "Elders / traditional leaders",
        WomensGroup => "Women's group",
        Youth => "Youth",
        Media => "Media",
        Business => "Business",
        Diaspora => "Diaspora",
        NeighbouringState => "Neighbouring state",
        Other => "Other",
    }
}

choice! {
    /// An actor's position towards a peaceful settlement.
    Stance {
        Supportive => "Supportive",
        Open => "Open",
        Neutral => "Neutral",
        Resistant => "Resistant",
        Spoiler => "Spoiler",
        Unknown => "Unknown",
    }
}

choice! {
    /// How much an actor can sway the outcome.
    Influence {
        Low => "Low",
        Medium => "Medium",
        High => "High",
    }
}

choice! {
    /// The family a partner organization belongs to.
    PartnerCategory {
        UnSystem => "UN system",
        Regional => "Regional organization",
        Subregional => "Subregional organization",
        MemberState => "Member state / group of friends",
        FinancialInstitution => "International financial institution",
        CivilSociety => "NGO / civil society / mediator",
    }
}

choice! {
    /// The tool a line of effort uses (S/2011/552 ¶17–42).
    Instrument {
        GoodOffices => "Good offices",
        SpecialEnvoy => "Special envoy",
        ShuttleDiplomacy => "Shuttle diplomacy",
        MediationSupport => "Mediation support team",
        FactFinding => "Fact-finding mission",
        CommissionOfInquiry => "Commission of inquiry",
        CouncilStatement => "Statement of concern by the Council",
        Demarche => "Démarche",
        InformalDialogue => "Informal interactive dialogue",
        ElectoralAssistance => "Electoral assistance",
        ConstitutionalExpertise => "Constitutional / power-sharing expertise",
        NationalDialogue => "National dialogue",
        RapidResponseFunding => "Rapid-response funding",
        TargetedSanctions => "Targeted sanctions",
        ContactGroup => "Contact group / group of friends",
        Other => "Other",
    }
}

choice! {
    /// Official (I), unofficial (II) or people-to-people (III) diplomacy (¶58).
    Track {
        I => "Track I (official)",
        II => "Track II (unofficial)",
        III => "Track III (people-to-people)",
    }
}

choice! {
    /// Where a line of effort stands.
    Status {
        Planned => "Planned",
        Active => "Active",
        Paused => "Paused",
        Completed => "Completed",
        Cancelled => "Cancelled",
    }
}

choice! {
    /// What kind of moment a timeline event is.
    EventKind {
        WarningSign => "Warning sign",
        ThresholdMoment => "Threshold moment",
        Incident => "Incident",
        DiplomaticAction => "Diplomatic action",
        Agreement => "Agreement / decision",
        Milestone => "Milestone",
    }
}

/// A partner's part in a line of effort (¶51).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "sync", derive(autosurgeon::Reconcile, autosurgeon::Hydrate))]
pub enum Role {
    Lead,
    Support,
    BurdenSharing,
    /// One hands over to the next; the step number gives the order, from 1.
    Sequential(u32),
    Joint,
}

impl Role {
    /// The role's name.
    pub fn label(self) -> &'static str {
        match self {
            Role::Lead => "Lead",
            Role::Support => "Support",
            Role::BurdenSharing => "Burden-sharing",
            Role::Sequential(_) => "Sequential",
            Role::Joint => "Joint",
        }
    }

    /// A short label for a matrix cell: `L`, `S`, `B`, `Q2`, `J`.
    pub fn short(self) -> String {
        match self {
            Role::Lead => "L".into(),
            Role::Support => "S".into(),
            Role::BurdenSharing => "B".into(),
            Role::Sequential(step) => format!("Q{step}"),
            Role::Joint => "J".into(),
        }
    }

    /// The role's name with its step for a sequential role.
    pub fn describe(self) -> String {
        match self {
            Role::Sequential(step) => format!("Sequential (step {step})"),
            other => other.label().into(),
        }
    }

    /// The order roles are listed in: lead, joint, sequential steps in order, support,
    /// burden-sharing.
    pub fn rank(self) -> (u8, u32) {
        match self {
            Role::Lead => (0, 0),
            Role::Joint => (1, 0),
            Role::Sequential(step) => (2, step),
            Role::Support => (3, 0),
            Role::BurdenSharing => (4, 0),
        }
    }

    /// The role as written in CSV exports: `lead`, `support`, `burden-sharing`, `sequential`, `joint`.
    pub fn code(self) -> &'static str {
        match self {
            Role::Lead => "lead",
            Role::Support => "support",
            Role::BurdenSharing => "burden-sharing",
            Role::Sequential(_) => "sequential",
            Role::Joint => "joint",
        }
    }
}

/// A person or group *in* the crisis: a party, not a responder.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "sync", derive(autosurgeon::Reconcile, autosurgeon::Hydrate))]
pub struct Actor {
    pub id: String,
    pub name: String,
    /// Other names the actor goes by (e.g. in ACLED data, "Military Forces of Guinea
    /// (2008-2010)"); imports match an actor by its name or any of these.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    pub kind: ActorKind,
    pub stance: Stance,
    pub influence: Influence,
    /// Where the actor is based or holds sway.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<Place>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub interests: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
    #[serde(default)]
    pub sensitivity: Sensitivity,
}

impl Actor {
    /// An actor with a stance not yet assessed (unknown), low influence and nothing else
    /// filled in; set other fields with struct update syntax (`..Actor::new(…)`).
    pub fn new(id: impl Into<String>, name: impl Into<String>, kind: ActorKind) -> Self {
        Self {
            id: id.into(),
            name: name.into(),
            aliases: Vec::new(),
            kind,
            stance: Stance::Unknown,
            influence: Influence::Low,
            place: None,
            interests: String::new(),
            notes: String::new(),
            sensitivity: Sensitivity::Unclassified,
        }
    }
}

/// An organization that can respond: UN body, regional body, state, IFI, NGO.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "sync", derive(autosurgeon::Reconcile, autosurgeon::Hydrate))]
pub struct Partner {
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub acronym: String,
    pub category: PartnerCategory,
    /// Instruments this partner can bring to bear; empty when unknown.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub instruments: Vec<Instrument>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
    #[serde(default)]
    pub sensitivity: Sensitivity,
}

impl Partner {
    /// The acronym when there is one, else the name.
    pub fn short_name(&self) -> &str {
        if self.acronym.trim().is_empty() {
            &self.name
        } else {
            &self.acronym
        }
    }
}

/// A line of effort: a row of the division-of-labour matrix.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "sync", derive(autosurgeon::Reconcile, autosurgeon::Hydrate))]
pub struct LineOfEffort {
    pub id: String,
    pub title: String,
    pub instrument: Instrument,
    /// The humanitarian sector or cluster a 3W sheet files the work under (HXL `#sector`)
    /// when it names no instrument, e.g. "Protection"; empty when there is none. A shared
    /// document written before lines had a sector reads as empty.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    #[cfg_attr(feature = "sync", autosurgeon(missing = "String::new"))]
    pub sector: String,
    pub track: Track,
    pub status: Status,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<PartialDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<PartialDate>,
    /// Ids of the actors this line of effort engages.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actors: Vec<String>,
    /// Where the work happens: one place per area (the same activity in two prefectures is
    /// two places).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub places: Vec<Place>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
    #[serde(default)]
    pub sensitivity: Sensitivity,
}

impl LineOfEffort {
    /// A planned track-I line of effort with no dates, actors or places.
    pub fn new(id: impl Into<String>, title: impl Into<String>, instrument: Instrument) -> Self {
        Self {
            id: id.into(),
            title: title.into(),
            instrument,
            sector: String::new(),
            track: Track::I,
            status: Status::Planned,
            start: None,
            end: None,
            actors: Vec::new(),
            places: Vec::new(),
            notes: String::new(),
            sensitivity: Sensitivity::Unclassified,
        }
    }
}

/// A cell of the matrix: which partner plays which role in which line of effort.
///
/// An assignment is identified by its (line, partner) pair, unique in a file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "sync", derive(autosurgeon::Reconcile, autosurgeon::Hydrate))]
pub struct Assignment {
    pub line: String,
    pub partner: String,
    pub role: Role,
    /// Where this partner does its part, when narrower than the line of effort's places.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub places: Vec<Place>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    #[serde(default)]
    pub sensitivity: Sensitivity,
}

impl Assignment {
    /// `partner` plays `role` in `line`, with no note or places.
    pub fn new(line: impl Into<String>, partner: impl Into<String>, role: Role) -> Self {
        Self {
            line: line.into(),
            partner: partner.into(),
            role,
            places: Vec::new(),
            note: String::new(),
            sensitivity: Sensitivity::Unclassified,
        }
    }
}

/// A dated event on the timeline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "sync", derive(autosurgeon::Reconcile, autosurgeon::Hydrate))]
pub struct Event {
    pub id: String,
    pub title: String,
    pub kind: EventKind,
    pub date: PartialDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<PartialDate>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actors: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub partners: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lines: Vec<String>,
    /// For an action: the ids of the warning signs it answers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub answers: Vec<String>,
    /// Where it happened or will happen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<Place>,
    /// For an incident: the people killed, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fatalities: Option<u32>,
    /// What happened, as the source tells it (ACLED's `notes`): shared like the title, unlike
    /// `notes`, which are the desk's own.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub source: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
    #[serde(default)]
    pub sensitivity: Sensitivity,
}

impl Event {
    /// An event on `date` that names nothing else yet.
    pub fn new(
        id: impl Into<String>,
        title: impl Into<String>,
        kind: EventKind,
        date: PartialDate,
    ) -> Self {
        Self {
            id: id.into(),
            title: title.into(),
            kind,
            date,
            end: None,
            actors: Vec::new(),
            partners: Vec::new(),
            lines: Vec::new(),
            answers: Vec::new(),
            place: None,
            fatalities: None,
            description: String::new(),
            source: String::new(),
            notes: String::new(),
            sensitivity: Sensitivity::Unclassified,
        }
    }
}

/// A situation file: one crisis, its parties, its responders and its timeline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Situation {
    /// Format version; always the first field of a file.
    pub schema: u32,
    pub title: String,
    /// ISO 3166-1 alpha-3 codes.
    #[serde(default)]
    pub countries: Vec<String>,
    #[serde(default)]
    pub region: String,
    #[serde(default)]
    pub summary: String,
    pub as_of: PartialDate,
    /// The sensitivity new items get.
    #[serde(default)]
    pub sensitivity: Sensitivity,
    /// The most active lines of effort one partner should lead (`matrix.overload`).
    #[serde(default = "default_lead_limit")]
    pub lead_limit: u32,
    #[serde(default)]
    pub actors: Vec<Actor>,
    #[serde(default)]
    pub partners: Vec<Partner>,
    #[serde(default)]
    pub lines: Vec<LineOfEffort>,
    #[serde(default)]
    pub assignments: Vec<Assignment>,
    #[serde(default)]
    pub events: Vec<Event>,
}

fn default_lead_limit() -> u32 {
    3
}

impl Situation {
    /// An empty situation as of `as_of`.
    pub fn new(title: impl Into<String>, as_of: PartialDate) -> Self {
        Self {
            schema: SCHEMA_VERSION,
            title: title.into(),
            countries: Vec::new(),
            region: String::new(),
            summary: String::new(),
            as_of,
            sensitivity: Sensitivity::Unclassified,
            lead_limit: default_lead_limit(),
            actors: Vec::new(),
            partners: Vec::new(),
            lines: Vec::new(),
            assignments: Vec::new(),
            events: Vec::new(),
        }
    }

    pub fn actor(&self, id: &str) -> Option<&Actor> {
        self.actors.iter().find(|a| a.id == id)
    }

    pub fn partner(&self, id: &str) -> Option<&Partner> {
        self.partners.iter().find(|p| p.id == id)
    }

    pub fn line(&self, id: &str) -> Option<&LineOfEffort> {
        self.lines.iter().find(|l| l.id == id)
    }

    pub fn event(&self, id: &str) -> Option<&Event> {
        self.events.iter().find(|e| e.id == id)
    }

    /// The name (or title) of the item of `kind` with this id, when there is one.
    pub fn item_name(&self, kind: ItemKind, id: &str) -> Option<&str> {
        match kind {
            ItemKind::Actor => self.actor(id).map(|a| a.name.as_str()),
            ItemKind::Partner => self.partner(id).map(|p| p.name.as_str()),
            ItemKind::Line => self.line(id).map(|l| l.title.as_str()),
            ItemKind::Event => self.event(id).map(|e| e.title.as_str()),
        }
    }

    pub fn assignment(&self, line: &str, partner: &str) -> Option<&Assignment> {
        self.assignments
            .iter()
            .find(|a| a.line == line && a.partner == partner)
    }

    /// Whether any item of any kind has this id.
    pub fn has_id(&self, id: &str) -> bool {
        self.actor(id).is_some()
            || self.partner(id).is_some()
            || self.line(id).is_some()
            || self.event(id).is_some()
    }
}

/// The four kinds of identified item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ItemKind {
    Actor,
    Partner,
    Line,
    Event,
}

impl ItemKind {
    pub const ALL: [ItemKind; 4] = [
        ItemKind::Actor,
        ItemKind::Partner,
        ItemKind::Line,
        ItemKind::Event,
    ];

    pub fn label(self) -> &'static str {
        match self {
            ItemKind::Actor => "actor",
            ItemKind::Partner => "partner",
            ItemKind::Line => "line of effort",
            ItemKind::Event => "event",
        }
    }

    /// The name a new item starts with, until the user names it.
    pub fn placeholder_name(self) -> &'static str {
        match self {
            ItemKind::Actor => "New actor",
            ItemKind::Partner => "New partner",
            ItemKind::Line => "New line of effort",
            ItemKind::Event => "New event",
        }
    }

    /// The id used when a name gives no letters or digits to make one from.
    pub fn id_fallback(self) -> &'static str {
        match self {
            ItemKind::Actor => "actor",
            ItemKind::Partner => "partner",
            ItemKind::Line => "line",
            ItemKind::Event => "event",
        }
    }
}

/// One identified item, owned.
#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    Actor(Actor),
    Partner(Partner),
    Line(LineOfEffort),
    Event(Event),
}

impl Item {
    pub fn kind(&self) -> ItemKind {
        match self {
            Item::Actor(_) => ItemKind::Actor,
            Item::Partner(_) => ItemKind::Partner,
            Item::Line(_) => ItemKind::Line,
            Item::Event(_) => ItemKind::Event,
        }
    }

    pub fn id(&self) -> &str {
        match self {
            Item::Actor(x) => &x.id,
            Item::Partner(x) => &x.id,
            Item::Line(x) => &x.id,
            Item::Event(x) => &x.id,
        }
    }

    pub fn name(&self) -> &str {
        match self {
            Item::Actor(x) => &x.name,
            Item::Partner(x) => &x.name,
            Item::Line(x) => &x.title,
            Item::Event(x) => &x.title,
        }
    }
}

/// A reference to one identified item.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ItemRef {
    pub kind: ItemKind,
    pub id: String,
}

impl ItemRef {
    pub fn new(kind: ItemKind, id: impl Into<String>) -> Self {
        Self {
            kind,
            id: id.into(),
        }
    }
}
