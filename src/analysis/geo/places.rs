//! Where the situation's items go on a map: each place located on the globe, no more precisely
//! than its data allow.
//!
//! A place with coordinates is drawn there, with the precision it states (ACLED's
//! `geo_precision`). A place with only an admin-1 name is drawn at the centre of the
//! situation's own coordinates in that area, when it has any; with only a country, at the
//! country's centre on the base map. Both are region-precise: drawn as a ring, not a pin.

use std::collections::HashMap;

use super::basemap::BaseMap;
use super::projection::{LonLat, World, project};
use crate::model::{Event, GeoPrecision, Place, Situation};

/// A place put on the globe.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Located {
    pub at: LonLat,
    pub world: World,
    pub precision: GeoPrecision,
}

impl Located {
    fn new(at: LonLat, precision: GeoPrecision) -> Self {
        Self {
            at,
            world: project(at),
            precision,
        }
    }
}

/// Finds where places are: the base map for countries, and the situation's own coordinates
/// for the centres of its admin-1 areas.
pub struct Locator<'a> {
    map: &'a BaseMap,
    /// (country code, admin-1 name), both lower-case → the sum of the coordinates found there
    /// and how many.
    admin1: HashMap<(String, String), (f64, f64, u32)>,
}

fn admin1_key(place: &Place) -> Option<(String, String)> {
    let admin1 = place.admin1.trim();
    (!admin1.is_empty()).then(|| (place.country.trim().to_lowercase(), admin1.to_lowercase()))
}

/// Every place in the situation: events', actors', lines of effort's and assignments'.
pub fn all_places(situation: &Situation) -> impl Iterator<Item = &Place> {
    let events = situation.events.iter().filter_map(|e| e.place.as_ref());
    let actors = situation.actors.iter().filter_map(|a| a.place.as_ref());
    let lines = situation.lines.iter().flat_map(|l| l.places.iter());
    let assignments = situation.assignments.iter().flat_map(|a| a.places.iter());
    events.chain(actors).chain(lines).chain(assignments)
}

impl<'a> Locator<'a> {
    /// A locator for the places of `situation`.
    pub fn new(situation: &Situation, map: &'a BaseMap) -> Self {
        let mut admin1: HashMap<(String, String), (f64, f64, u32)> = HashMap::new();
        for place in all_places(situation) {
            let (Some(key), Some(c)) = (admin1_key(place), place.coordinates) else {
                continue;
            };
            let entry = admin1.entry(key).or_insert((0.0, 0.0, 0));
            entry.0 += c.lon;
            entry.1 += c.lat;
            entry.2 += 1;
        }
        Self { map, admin1 }
    }

    /// Where `place` goes, or `None` when nothing in it can be found on the globe.
    pub fn locate(&self, place: &Place) -> Option<Located> {
        if let Some(c) = place.coordinates {
            return Some(Located::new(LonLat::new(c.lon, c.lat), place.precision()));
        }
        if let Some((lon, lat, n)) = admin1_key(place).and_then(|k| self.admin1.get(&k)) {
            let n = f64::from((*n).max(1));
            return Some(Located::new(
                LonLat::new(lon / n, lat / n),
                GeoPrecision::Region,
            ));
        }
        self.map
            .country_center(&place.country)
            .map(|at| Located::new(at, GeoPrecision::Region))
    }

    /// The admin-1 areas whose centre the situation's coordinates give, with that centre.
    pub fn admin1_centers(&self) -> Vec<(String, LonLat)> {
        let mut out: Vec<(String, LonLat)> = Vec::new();
        for ((_, name), (lon, lat, n)) in &self.admin1 {
            let n = f64::from((*n).max(1));
            out.push((title_case(name), LonLat::new(lon / n, lat / n)));
        }
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }
}

/// The admin-1 name as first written is lost to the lower-cased key: capitalise each word.
fn title_case(name: &str) -> String {
    name.split(' ')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// An event on the map.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EventPoint {
    /// Index into `situation.events`.
    pub event: usize,
    pub located: Located,
}

/// The events `keep` keeps, located; and how many of them have no place that can be found.
pub fn event_points(
    situation: &Situation,
    locator: &Locator<'_>,
    keep: impl Fn(&Event) -> bool,
) -> (Vec<EventPoint>, usize) {
    let mut points = Vec::new();
    let mut unplaced = 0;
    for (event, e) in situation.events.iter().enumerate().filter(|(_, e)| keep(e)) {
        match e.place.as_ref().and_then(|p| locator.locate(p)) {
            Some(located) => points.push(EventPoint { event, located }),
            None => unplaced += 1,
        }
    }
    (points, unplaced)
}

/// Where a line of effort's work happens: its own places, then its assignments' (named
/// after their partner), each with a label.
pub fn line_places(
    situation: &Situation,
    line_id: &str,
    locator: &Locator<'_>,
) -> Vec<(Located, String)> {
    let mut out = Vec::new();
    if let Some(line) = situation.line(line_id) {
        for place in &line.places {
            if let Some(at) = locator.locate(place) {
                out.push((at, place.describe()));
            }
        }
    }
    for a in situation.assignments.iter().filter(|a| a.line == line_id) {
        let partner = situation
            .partner(&a.partner)
            .map_or(a.partner.as_str(), |p| p.short_name());
        for place in &a.places {
            if let Some(at) = locator.locate(place) {
                out.push((at, format!("{partner}: {}", place.describe())));
            }
        }
    }
    out
}

/// The first and last day (day numbers) an event covers.
pub fn event_days(e: &Event) -> (i64, i64) {
    let first = e.date.first_day_number();
    let last = i64::from(chrono::Datelike::num_days_from_ce(
        &e.end.unwrap_or(e.date).last_day(),
    ));
    (first, last.max(first))
}

/// The first and last day any event of the situation covers.
pub fn days_extent(situation: &Situation) -> Option<(i64, i64)> {
    situation
        .events
        .iter()
        .map(event_days)
        .reduce(|(a0, a1), (b0, b1)| (a0.min(b0), a1.max(b1)))
}

/// How much larger than others an incident's marker is drawn for its fatalities: 1 for none
/// or unknown, growing with the logarithm (10 → 1.5, 100 → 2, 1,000 → 2.5), at most 3.
pub fn fatality_scale(fatalities: Option<u32>) -> f64 {
    let f = f64::from(fatalities.unwrap_or(0));
    (1.0 + 0.5 * (1.0 + f).log10()).min(3.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{
        Assignment, Coordinates, EventKind, Instrument, LineOfEffort, PartialDate, Partner,
        PartnerCategory, Role,
    };

    fn conakry() -> Place {
        Place {
            name: "Conakry".into(),
            country: "GIN".into(),
            admin1: "Conakry".into(),
            coordinates: Coordinates::new(9.5370, -13.6773).ok(),
            ..Place::default()
        }
    }

    fn situation() -> Situation {
        let day = PartialDate::day(2009, 9, 28).expect("a date");
        let mut s = Situation::new("Guinea", day);
        s.countries = vec!["GIN".into()];
        let event = |id: &str, place: Option<Place>| Event {
            place,
            ..Event::new(id, id, EventKind::Incident, day)
        };
        let kaloum = Place {
            name: "Kaloum".into(),
            coordinates: Coordinates::new(9.5092, -13.7122).ok(),
            ..conakry()
        };
        let conakry_region = Place {
            coordinates: None,
            name: String::new(),
            ..conakry()
        };
        s.events = vec![
            event("stadium", Some(conakry())),
            event("kaloum", Some(kaloum)),
            event("region", Some(conakry_region)),
            event("country", Some(Place::country("GIN"))),
            event("nowhere", Some(Place::named("Somewhere unnamed"))),
            event("none", None),
        ];
        s
    }

    #[test]
    fn places_are_located_no_more_precisely_than_their_data() {
        let s = situation();
        let map = BaseMap::world();
        let locator = Locator::new(&s, map);
        let stadium = locator.locate(&conakry()).expect("coordinates");
        assert_eq!(stadium.precision, GeoPrecision::Exact);
        assert_eq!(stadium.at, LonLat::new(-13.6773, 9.5370));
        // Admin-1 only: the mean of the situation's coordinates in Conakry, a region ring.
        let region = locator.locate(&s.events[2].place.clone().expect("a place"));
        let region = region.expect("the admin-1 centre");
        assert_eq!(region.precision, GeoPrecision::Region);
        assert!((region.at.lon - (-13.6773 - 13.7122) / 2.0).abs() < 1e-9);
        // Country only: the base map's centre of Guinea.
        let country = locator.locate(&Place::country("GIN")).expect("Guinea");
        assert_eq!(country.precision, GeoPrecision::Region);
        assert_eq!(Some(country.at), map.country_center("GIN"));
        // A name alone cannot be found.
        assert_eq!(locator.locate(&Place::named("Somewhere unnamed")), None);
        // An admin-1 the coordinates never mention falls back to its country.
        let elsewhere = Place {
            admin1: "Nzérékoré".into(),
            ..Place::country("GIN")
        };
        assert_eq!(
            locator.locate(&elsewhere).map(|l| l.at),
            map.country_center("GIN")
        );
        assert_eq!(locator.admin1_centers().len(), 1);
        assert_eq!(locator.admin1_centers()[0].0, "Conakry");
    }

    #[test]
    fn events_without_a_place_that_can_be_found_are_counted_not_drawn() {
        let s = situation();
        let locator = Locator::new(&s, BaseMap::world());
        let (points, unplaced) = event_points(&s, &locator, |_| true);
        let ids: Vec<&str> = points
            .iter()
            .map(|p| s.events[p.event].id.as_str())
            .collect();
        assert_eq!(ids, ["stadium", "kaloum", "region", "country"]);
        assert_eq!(unplaced, 2);
        let (points, unplaced) = event_points(&s, &locator, |e| e.id != "stadium");
        assert_eq!((points.len(), unplaced), (3, 2));
    }

    #[test]
    fn a_line_s_work_happens_at_its_places_and_its_partners_places() {
        let mut s = situation();
        s.partners.push(Partner {
            id: "ecowas".into(),
            name: "Economic Community of West African States".into(),
            acronym: "ECOWAS".into(),
            category: PartnerCategory::Subregional,
            instruments: Vec::new(),
            notes: String::new(),
            sensitivity: Default::default(),
        });
        s.lines.push(LineOfEffort {
            places: vec![conakry(), Place::named("nowhere known")],
            ..LineOfEffort::new("mediation", "Mediation", Instrument::SpecialEnvoy)
        });
        s.assignments.push(Assignment {
            places: vec![Place::country("BFA")],
            ..Assignment::new("mediation", "ecowas", Role::Lead)
        });
        let locator = Locator::new(&s, BaseMap::world());
        let places = line_places(&s, "mediation", &locator);
        let labels: Vec<&str> = places.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(labels, ["Conakry, GIN", "ECOWAS: BFA"]);
        assert!(line_places(&s, "missing", &locator).is_empty());
    }

    #[test]
    fn incidents_grow_with_the_logarithm_of_their_fatalities() {
        assert_eq!(fatality_scale(None), 1.0);
        assert_eq!(fatality_scale(Some(0)), 1.0);
        assert!((fatality_scale(Some(9)) - 1.5).abs() < 1e-9);
        assert!((fatality_scale(Some(99)) - 2.0).abs() < 1e-9);
        assert!(fatality_scale(Some(157)) > fatality_scale(Some(99)));
        assert_eq!(fatality_scale(Some(u32::MAX)), 3.0);
    }
}
