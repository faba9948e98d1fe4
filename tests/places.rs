//! Places leave Tandem in its exports and come back readable by real parsers: iCalendar's
//! LOCATION and GEO (read by the `icalendar` crate), the 3W CSV's `#adm1+name`, `#loc+name`,
//! `#geo+lat` and `#geo+lon` (read by the `csv` crate, and by Tandem's own 3W import).

use icalendar::{Component as _, EventLike as _};
use tandem::export::{Audience, Format, export};
use tandem::model::{Sensitivity, Situation};

fn guinea() -> Situation {
    tandem::io::parse_situation(tandem::samples::GUINEA)
        .unwrap()
        .situation
}

fn unclassified() -> tandem::export::ExportOptions {
    Audience::new(Sensitivity::Unclassified).into()
}

#[test]
fn icalendar_events_carry_location_and_geo() {
    let s = guinea();
    let bytes = export(&s, Format::Ics, &unclassified()).unwrap();
    let cal: icalendar::Calendar = String::from_utf8(bytes).unwrap().parse().unwrap();
    let event = |id: &str| {
        cal.events()
            .find(|e| {
                e.get_uid()
                    .is_some_and(|u| u.starts_with(&format!("{id}@")))
            })
            .unwrap_or_else(|| panic!("{id} is in the calendar"))
    };
    let stadium = event("w-stadium-massacre");
    assert_eq!(
        stadium.get_location(),
        Some("28 September Stadium, Conakry, Conakry, GIN")
    );
    let geo = stadium.property_value("GEO").expect("GEO");
    let (lat, lon) = geo.split_once(';').expect("latitude;longitude");
    let place = s
        .event("w-stadium-massacre")
        .unwrap()
        .place
        .clone()
        .unwrap();
    let c = place.coordinates.unwrap();
    assert_eq!(
        (lat.parse::<f64>().unwrap(), lon.parse::<f64>().unwrap()),
        (c.lat, c.lon)
    );
    // Known only by its country: a LOCATION, no GEO.
    let round = event("t-first-round");
    assert_eq!(round.get_location(), Some("GIN"));
    assert_eq!(round.property_value("GEO"), None);
    // No place: neither.
    let unplaced = s.events.iter().find(|e| e.place.is_none()).unwrap();
    let e = event(&unplaced.id);
    assert_eq!((e.get_location(), e.property_value("GEO")), (None, None));
}

#[test]
fn the_3w_sheet_lists_an_activity_once_per_place() {
    let s = guinea();
    let bytes = export(&s, Format::Csv, &unclassified()).unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(bytes.as_slice());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let tags = &rows[1];
    let col = |tag: &str| tags.iter().position(|t| t == tag).unwrap();
    let (code, org, adm1, loc, lat, lon, country) = (
        col("#activity+code"),
        col("#org+name"),
        col("#adm1+name"),
        col("#loc+name"),
        col("#geo+lat"),
        col("#geo+lon"),
        col("#country+code"),
    );
    let mediation: Vec<&csv::StringRecord> = rows[2..]
        .iter()
        .filter(|r| &r[code] == "loe-mediation")
        .collect();
    let line = s.line("loe-mediation").unwrap();
    let partners = s
        .assignments
        .iter()
        .filter(|a| a.line == "loe-mediation")
        .count();
    // Each partner once per place of the line (none of its assignments names its own).
    assert_eq!(mediation.len(), partners * line.places.len());
    let ouagadougou = mediation.iter().find(|r| &r[loc] == "Ouagadougou").unwrap();
    assert_eq!(&ouagadougou[country], "BFA");
    assert_eq!(ouagadougou[lat].parse::<f64>().unwrap(), 12.3714);
    assert_eq!(ouagadougou[lon].parse::<f64>().unwrap(), -1.5197);
    let conakry = mediation.iter().find(|r| &r[loc] == "Conakry").unwrap();
    assert_eq!((&conakry[adm1], &conakry[country]), ("Conakry", "GIN"));
    assert_eq!(&conakry[org], &ouagadougou[org]);
    // A line without places: one row per partner, place cells empty, the situation's countries.
    let contact = rows[2..]
        .iter()
        .find(|r| &r[code] == "loe-contact-group")
        .unwrap();
    assert_eq!(
        (&contact[loc], &contact[lat], &contact[country]),
        ("", "", "GIN")
    );
}

/// A place as the 3W sheet carries it: locality, country, admin-1 and coordinates.
fn sheet_place(p: &tandem::model::Place) -> (String, String, String, Option<(f64, f64)>) {
    (
        p.name.clone(),
        p.country.clone(),
        p.admin1.clone(),
        p.coordinates.map(|c| (c.lat, c.lon)),
    )
}

#[test]
fn the_3w_sheet_s_places_import_back_where_the_work_happens() {
    let s = guinea();
    let bytes = export(&s, Format::Csv, &unclassified()).unwrap();
    let blank = tandem::io::parse_situation(tandem::samples::BLANK)
        .unwrap()
        .situation;
    let plan = tandem::import::plan_hxl(&bytes, &blank).unwrap();
    let mut back = blank.clone();
    plan.apply(&mut back).unwrap();
    let (redacted, _) = tandem::export::redact(&s, Sensitivity::Unclassified);
    let mut compared = 0;
    for a in &redacted.assignments {
        let line = redacted.line(&a.line).unwrap();
        // Where the work happens: the assignment's own places, else its line's. A place that
        // names only a country is a row with only #country+code, which the sheet also writes
        // for a row with no place at all: it cannot come back as a place.
        let own: Vec<&tandem::model::Place> = if a.places.is_empty() {
            &line.places
        } else {
            &a.places
        }
        .iter()
        .filter(|p| *p != &tandem::model::Place::country(&p.country))
        .collect();
        let partner = redacted.partner(&a.partner).unwrap();
        let line_back = back.lines.iter().find(|l| l.title == line.title).unwrap();
        let partner_back = back
            .partners
            .iter()
            .find(|p| p.name == partner.name)
            .unwrap();
        let places_back = &back
            .assignment(&line_back.id, &partner_back.id)
            .unwrap()
            .places;
        assert_eq!(
            places_back.iter().map(sheet_place).collect::<Vec<_>>(),
            own.iter().map(|p| sheet_place(p)).collect::<Vec<_>>(),
            "{} × {}",
            line.title,
            partner.name
        );
        compared += own.len();
    }
    assert!(compared >= 4, "only {compared} places compared");
}
