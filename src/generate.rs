//! Synthetic situations for performance tests: realistic in shape, deterministic for a seed.

use crate::model::{
    Actor, ActorKind, Assignment, Coordinates, Event, EventKind, GeoPrecision, Influence,
    Instrument, LineOfEffort, PartialDate, Partner, PartnerCategory, Place, Role, SCHEMA_VERSION,
    Sensitivity, Situation, Stance, Status, Track,
};

/// A small, fast, deterministic random source (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        items.get(self.below(items.len()))
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// How many items of each kind a scale gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sizes {
    pub actors: usize,
    pub partners: usize,
    pub lines: usize,
    pub assignments: usize,
    pub events: usize,
}

impl Sizes {
    /// Scale 1 is a real situation (20 actors, 30 partners, 10 lines, 60 assignments, 200 events);
    /// scale N multiplies every count by N, except partners, which grow as 30 × √N.
    pub fn for_scale(scale: u32) -> Self {
        let n = scale.max(1) as usize;
        Self {
            actors: 20 * n,
            partners: (30.0 * (n as f64).sqrt()).round() as usize,
            lines: 10 * n,
            assignments: 60 * n,
            events: 200 * n,
        }
    }
}

/// The towns synthetic items happen in: name, admin-1 region, latitude, longitude.
const PLACES: &[(&str, &str, f64, f64)] = &[
    ("Conakry", "Conakry", 9.5092, -13.7122),
    ("Nzérékoré", "Nzérékoré", 7.7562, -8.8179),
    ("Kankan", "Kankan", 10.3854, -9.3057),
    ("Labé", "Labé", 11.3182, -12.2833),
    ("Kindia", "Kindia", 10.0569, -12.8658),
    ("Boké", "Boké", 10.9409, -14.2967),
    ("Faranah", "Faranah", 10.0404, -10.7434),
    ("Mamou", "Mamou", 10.3755, -12.0915),
    ("Siguiri", "Kankan", 11.4228, -9.1685),
    ("Guéckédou", "Nzérékoré", 8.5667, -10.1333),
];

/// Fatalities drawn for synthetic incidents (most incidents kill few, some many).
const FATALITIES: [u32; 10] = [0, 0, 1, 1, 2, 3, 5, 8, 13, 40];

/// Approximate centres of Guinea's admin-1 regions: name, latitude, longitude.
const REGIONS: &[(&str, f64, f64)] = &[
    ("Boké", 11.10, -14.10),
    ("Conakry", 9.60, -13.63),
    ("Faranah", 9.90, -10.50),
    ("Kankan", 10.40, -9.10),
    ("Kindia", 9.90, -13.00),
    ("Labé", 11.60, -12.40),
    ("Mamou", 10.50, -12.00),
    ("Nzérékoré", 8.20, -9.00),
];

/// A place in a region, drawn at its centre with region precision.
fn region_place(name: &str) -> Place {
    let centre = REGIONS.iter().find(|(n, _, _)| *n == name);
    Place {
        country: "GIN".into(),
        admin1: name.into(),
        coordinates: centre.and_then(|(_, lat, lon)| Coordinates::new(*lat, *lon).ok()),
        precision: Some(GeoPrecision::Region),
        ..Place::default()
    }
}

/// A place in one of the [`PLACES`] towns: mostly at the town itself, sometimes near it,
/// sometimes known only to its region. `geo` is a random source of its own, so that adding
/// places left every other generated value as it was.
fn town_place(town: &str, geo: &mut Rng) -> Place {
    let Some(&(name, region, lat, lon)) = PLACES.iter().find(|(n, ..)| *n == town) else {
        return Place::country("GIN");
    };
    let (precision, spread) = match geo.below(10) {
        0 => return region_place(region),
        1 | 2 => (GeoPrecision::Near, 0.15),
        _ => (GeoPrecision::Exact, 0.03),
    };
    let mut jitter = || (geo.below(2001) as f64 - 1000.0) / 1000.0 * spread;
    Place {
        name: name.into(),
        country: "GIN".into(),
        admin1: region.into(),
        coordinates: Coordinates::new(lat + jitter(), lon + jitter()).ok(),
        precision: Some(precision),
        ..Place::default()
    }
}

const ACTOR_STEMS: &[(&str, ActorKind)] = &[
    ("Ministry of Interior", ActorKind::Government),
    ("Presidential Guard", ActorKind::Military),
    ("National Council", ActorKind::DeFactoAuthority),
    ("Opposition Alliance", ActorKind::Opposition),
    ("Youth Movement", ActorKind::Youth),
    ("Women's Platform", ActorKind::WomensGroup),
    ("Council of Elders", ActorKind::Elders),
    ("Trade Union Federation", ActorKind::CivilSociety),
    ("Community Radio", ActorKind::Media),
    ("Chamber of Commerce", ActorKind::Business),
    ("Diaspora Network", ActorKind::Diaspora),
    ("Border Militia", ActorKind::ArmedGroup),
];
const PARTNER_STEMS: &[(&str, PartnerCategory)] = &[
    ("UN Office", PartnerCategory::UnSystem),
    ("UN Country Team", PartnerCategory::UnSystem),
    ("Peacebuilding Fund", PartnerCategory::UnSystem),
    ("Regional Commission", PartnerCategory::Regional),
    ("Subregional Authority", PartnerCategory::Subregional),
    ("Embassy", PartnerCategory::MemberState),
    ("Group of Friends", PartnerCategory::MemberState),
    ("Development Bank", PartnerCategory::FinancialInstitution),
    ("Mediation Initiative", PartnerCategory::CivilSociety),
    ("Elders' Forum", PartnerCategory::CivilSociety),
];
const EVENT_STEMS: &[(&str, EventKind, u64)] = &[
    ("Protest dispersed", EventKind::Incident, 40),
    ("Hate speech on radio", EventKind::WarningSign, 14),
    ("Envoy visit", EventKind::DiplomaticAction, 22),
    ("Election date", EventKind::ThresholdMoment, 6),
    ("Agreement signed", EventKind::Agreement, 8),
    ("Mission deployed", EventKind::Milestone, 10),
];

/// The random sources and the calendar of one synthetic situation. `rng` draws every value
/// but places; `geo` draws places, so that adding places left every other value as it was.
struct Gen {
    rng: Rng,
    geo: Rng,
    sizes: Sizes,
    /// Day number of the first day of the period.
    start: i64,
    /// How many days the period covers.
    span_days: i64,
}

impl Gen {
    fn new(scale: u32, seed: u64) -> Self {
        Self {
            rng: Rng(seed ^ 0x7a6e_6465_6d00_0000),
            geo: Rng(seed ^ 0x6765_6f00_0000_0000),
            sizes: Sizes::for_scale(scale),
            start: PartialDate::day(2008, 1, 1).map_or(0, |d| d.first_day_number()),
            span_days: 365 * 3 + (scale as i64 * 30),
        }
    }

    /// The day `offset` days after the start of the period.
    fn day(&self, offset: i64) -> Option<PartialDate> {
        let n = self.start + offset;
        chrono::NaiveDate::from_num_days_from_ce_opt(n as i32).map(PartialDate::from_naive)
    }

    /// Mostly unclassified, one in five confidential or above.
    fn sensitivity(&mut self) -> Sensitivity {
        match self.rng.below(20) {
            0 => Sensitivity::StrictlyConfidential,
            1..=3 => Sensitivity::Confidential,
            _ => Sensitivity::Unclassified,
        }
    }

    fn actors(&mut self) -> Vec<Actor> {
        (0..self.sizes.actors).map(|i| self.actor(i)).collect()
    }

    fn actor(&mut self, i: usize) -> Actor {
        let (stem, kind) = ACTOR_STEMS
            .get(i % ACTOR_STEMS.len())
            .copied()
            .unwrap_or(("Group", ActorKind::Other));
        let rng = &mut self.rng;
        let place = rng.pick(PLACES).map_or("Conakry", |p| p.0);
        let stance = Stance::ALL
            .get(rng.below(Stance::ALL.len()))
            .copied()
            .unwrap_or(Stance::Unknown);
        let influence = Influence::ALL
            .get(rng.below(3))
            .copied()
            .unwrap_or(Influence::Medium);
        Actor {
            id: format!("actor-{i}"),
            name: format!("{stem} of {place} #{i}"),
            kind,
            stance,
            influence,
            interests: format!(
                "Synthetic interests of actor {i}: security guarantees, a role in the transition."
            ),
            notes: String::new(),
            sensitivity: self.sensitivity(),
            place: Some(town_place(place, &mut self.geo)),
            aliases: Vec::new(),
        }
    }

    fn partners(&mut self) -> Vec<Partner> {
        (0..self.sizes.partners).map(|i| self.partner(i)).collect()
    }

    fn partner(&mut self, i: usize) -> Partner {
        let (stem, category) = PARTNER_STEMS
            .get(i % PARTNER_STEMS.len())
            .copied()
            .unwrap_or(("Partner", PartnerCategory::CivilSociety));
        let rng = &mut self.rng;
        let instruments = (0..2)
            .filter_map(|_| {
                Instrument::ALL
                    .get(rng.below(Instrument::ALL.len()))
                    .copied()
            })
            .collect();
        Partner {
            id: format!("partner-{i}"),
            name: format!("{stem} {i}"),
            acronym: format!("P{i}"),
            category,
            instruments,
            notes: String::new(),
            sensitivity: if rng.below(15) == 0 {
                Sensitivity::Confidential
            } else {
                Sensitivity::Unclassified
            },
        }
    }

    fn lines(&mut self) -> Vec<LineOfEffort> {
        (0..self.sizes.lines).map(|i| self.line(i)).collect()
    }

    fn line(&mut self, i: usize) -> LineOfEffort {
        let actors = self.sizes.actors;
        let rng = &mut self.rng;
        let instrument = Instrument::ALL
            .get(rng.below(Instrument::ALL.len()))
            .copied()
            .unwrap_or(Instrument::Other);
        let begin = rng.below(self.span_days as usize) as i64;
        let engaged = (0..3)
            .map(|_| format!("actor-{}", rng.below(actors)))
            .collect::<std::collections::BTreeSet<_>>();
        let track = Track::ALL.get(rng.below(3)).copied().unwrap_or(Track::I);
        let status = [
            Status::Active,
            Status::Active,
            Status::Planned,
            Status::Completed,
            Status::Paused,
        ]
        .get(rng.below(5))
        .copied()
        .unwrap_or(Status::Active);
        let end = if rng.chance(40) {
            let length = 30 + rng.below(300) as i64;
            self.day(begin + length)
        } else {
            None
        };
        LineOfEffort {
            id: format!("line-{i}"),
            title: format!("{} #{i}", instrument.label()),
            instrument,
            sector: String::new(),
            track,
            status,
            start: self.day(begin),
            end,
            actors: engaged.into_iter().collect(),
            notes: String::new(),
            sensitivity: self.sensitivity(),
            places: (0..1 + self.geo.below(2))
                .filter_map(|_| self.geo.pick(REGIONS).map(|r| region_place(r.0)))
                .collect(),
        }
    }

    /// About the same number of partners on every line: the first leads (or, now and then,
    /// acts jointly), the others support, share the burden or act in sequence.
    fn assignments(&mut self, lines: &[LineOfEffort]) -> Vec<Assignment> {
        let sizes = self.sizes;
        let mut assignments = Vec::with_capacity(sizes.assignments);
        let per_line = sizes.assignments / sizes.lines.max(1);
        for (li, line) in lines.iter().enumerate() {
            let wanted = per_line.min(sizes.partners);
            assignments.extend(self.line_assignments(li, &line.id, wanted));
        }
        assignments
    }

    /// `wanted` assignments of different partners on the line `line` (the `li`-th).
    fn line_assignments(&mut self, li: usize, line: &str, wanted: usize) -> Vec<Assignment> {
        let partners = self.sizes.partners;
        let rng = &mut self.rng;
        let mut used = std::collections::BTreeSet::new();
        let mut step = 0;
        let mut out = Vec::with_capacity(wanted);
        while used.len() < wanted {
            let partner = (li * 7 + rng.below(partners)) % partners.max(1);
            if !used.insert(partner) {
                continue;
            }
            let k = used.len() - 1;
            let role = match (k, rng.below(10)) {
                (0, 0) => Role::Joint,
                (0, _) => Role::Lead,
                (_, 0..=4) => Role::Support,
                (_, 5..=6) => Role::BurdenSharing,
                (_, 7..=8) => {
                    step += 1;
                    Role::Sequential(step)
                }
                _ => Role::Joint,
            };
            out.push(Assignment {
                line: line.to_owned(),
                partner: format!("partner-{partner}"),
                role,
                note: if rng.chance(10) {
                    "Synthetic note on this role.".into()
                } else {
                    String::new()
                },
                sensitivity: Sensitivity::Unclassified,
                places: Vec::new(),
            });
        }
        out
    }

    /// Events spread evenly over the period; some diplomatic actions answer a warning sign
    /// still open.
    fn events(&mut self) -> Vec<Event> {
        let mut events: Vec<Event> = Vec::with_capacity(self.sizes.events);
        let mut open_warnings: Vec<String> = Vec::new();
        for i in 0..self.sizes.events {
            if let Some(event) = self.event(i, &mut open_warnings) {
                events.push(event);
            }
        }
        events
    }

    /// The `i`-th event, or `None` when its date falls outside the calendar.
    fn event(&mut self, i: usize, open_warnings: &mut Vec<String>) -> Option<Event> {
        let (stem, kind) = self.event_kind();
        let offset = (i as i64 * self.span_days) / self.sizes.events.max(1) as i64;
        let date = self.event_date(offset)?;
        let id = format!("event-{i}");
        let rng = &mut self.rng;
        let mut answers = Vec::new();
        if kind == EventKind::DiplomaticAction && !open_warnings.is_empty() && rng.chance(70) {
            answers.push(open_warnings.swap_remove(rng.below(open_warnings.len())));
        }
        if kind == EventKind::WarningSign {
            open_warnings.push(id.clone());
        }
        let place = rng.pick(PLACES).map_or("Conakry", |p| p.0);
        let end = if kind == EventKind::Milestone && rng.chance(50) {
            self.day(offset + 20)
        } else {
            None
        };
        let (actors, partners, lines) = (self.sizes.actors, self.sizes.partners, self.sizes.lines);
        let rng = &mut self.rng;
        let actors = vec![format!("actor-{}", rng.below(actors))];
        let partners = if kind == EventKind::DiplomaticAction {
            vec![format!("partner-{}", rng.below(partners))]
        } else {
            Vec::new()
        };
        let lines = if rng.chance(30) {
            vec![format!("line-{}", rng.below(lines))]
        } else {
            Vec::new()
        };
        let sensitivity = self.sensitivity();
        let geo = &mut self.geo;
        Some(Event {
            id,
            title: format!("{stem} in {place}"),
            kind,
            date,
            end,
            actors,
            partners,
            lines,
            answers,
            source: "Synthetic data for performance tests".into(),
            notes: String::new(),
            sensitivity,
            place: Some(town_place(place, geo)),
            fatalities: (kind == EventKind::Incident && geo.chance(60))
                .then(|| geo.below(FATALITIES.len()))
                .and_then(|i| FATALITIES.get(i).copied()),
            description: String::new(),
        })
    }

    /// An event's stem and kind, drawn by the weights of [`EVENT_STEMS`].
    fn event_kind(&mut self) -> (&'static str, EventKind) {
        let roll = self.rng.below(100) as u64;
        let mut acc = 0;
        EVENT_STEMS
            .iter()
            .find(|(_, _, weight)| {
                acc += weight;
                roll < acc
            })
            .map(|(s, k, _)| (*s, *k))
            .unwrap_or(("Incident", EventKind::Incident))
    }

    /// The date of an event `offset` days into the period: one in twenty known only to the
    /// year, two in twenty to the month.
    fn event_date(&mut self, offset: i64) -> Option<PartialDate> {
        match self.rng.below(20) {
            0 => PartialDate::year(2008 + (offset / 365) as i32),
            1 | 2 => self
                .day(offset)
                .and_then(|d| PartialDate::month(d.year_value(), d.month_value().unwrap_or(1))),
            _ => self.day(offset),
        }
    }
}

/// Builds a synthetic situation at `scale` from `seed`; the same inputs give the same situation.
pub fn generate(scale: u32, seed: u64) -> Situation {
    let mut g = Gen::new(scale, seed);
    let as_of = g
        .day(g.span_days * 4 / 5)
        .or(PartialDate::year(2010))
        .unwrap_or_else(|| PartialDate::from_naive(chrono::NaiveDate::MIN));
    let actors = g.actors();
    let partners = g.partners();
    let lines = g.lines();
    let assignments = g.assignments(&lines);
    let events = g.events();
    Situation {
        schema: SCHEMA_VERSION,
        title: format!("Synthetic situation, scale {scale}"),
        countries: vec!["GIN".into()],
        region: "West Africa".into(),
        summary: format!(
            "A synthetic situation generated for performance tests (scale {scale}, seed {seed}). Names and events are invented."
        ),
        as_of,
        sensitivity: Sensitivity::Unclassified,
        lead_limit: 3,
        actors,
        partners,
        lines,
        assignments,
        events,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scale_one_has_the_documented_counts_and_no_errors() {
        let s = generate(1, 7);
        assert_eq!(s.actors.len(), 20);
        assert_eq!(s.partners.len(), 30);
        assert_eq!(s.lines.len(), 10);
        assert_eq!(s.assignments.len(), 60);
        assert_eq!(s.events.len(), 200);
        let errors: Vec<_> = crate::model::validate(&s)
            .into_iter()
            .filter(|d| d.severity == crate::model::Severity::Error)
            .collect();
        assert!(errors.is_empty(), "{errors:?}");
    }

    #[test]
    fn every_event_and_actor_has_a_place_inside_guinea() {
        let s = generate(2, 3);
        let inside = |place: &Place| {
            let c = place
                .coordinates
                .expect("generated places have coordinates");
            place.country == "GIN"
                && (7.1..=12.7).contains(&c.lat)
                && (-15.1..=-7.6).contains(&c.lon)
        };
        assert!(
            s.events
                .iter()
                .all(|e| e.place.as_ref().is_some_and(inside))
        );
        assert!(
            s.actors
                .iter()
                .all(|a| a.place.as_ref().is_some_and(inside))
        );
        assert!(
            s.lines
                .iter()
                .all(|l| !l.places.is_empty() && l.places.iter().all(inside))
        );
        let precisions: std::collections::BTreeSet<_> = s
            .events
            .iter()
            .filter_map(|e| e.place.as_ref())
            .map(Place::precision)
            .collect();
        assert_eq!(
            precisions.len(),
            3,
            "exact, near and region places all occur"
        );
        assert!(s.events.iter().any(|e| e.fatalities.is_some()));
        assert!(
            s.events
                .iter()
                .all(|e| e.fatalities.is_none() || e.kind == EventKind::Incident)
        );
    }

    #[test]
    fn same_seed_same_situation_and_partners_grow_with_the_root() {
        assert_eq!(generate(2, 1), generate(2, 1));
        assert_ne!(generate(2, 1), generate(2, 2));
        assert_eq!(Sizes::for_scale(100).partners, 300);
        assert_eq!(Sizes::for_scale(4).partners, 60);
    }
}
