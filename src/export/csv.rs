//! Who does what as HXL-tagged CSV (a "3W" sheet): one row per assignment and place — the
//! assignment's places, else its line of effort's (one row with empty place columns when
//! neither has any), as 3W sheets list the same activity once per area.
//!
//! The first row holds readable column names, the second the HXL hashtags. A CSV has no
//! page to carry the TLP marking: the file name and the message that sends it must.

use std::collections::HashMap;

use super::ExportError;
use crate::model::{Assignment, Instrument, LineOfEffort, Place, Role, Situation};

/// The readable header row.
pub const HEADER: [&str; 15] = [
    "Line of effort code",
    "Line of effort",
    "Sector",
    "Organization",
    "Organization type",
    "Role",
    "Step",
    "Status",
    "Start",
    "End",
    "Countries",
    "Admin 1",
    "Location",
    "Latitude",
    "Longitude",
];

/// The HXL hashtag row, under the header.
pub const HASHTAGS: [&str; 15] = [
    "#activity+code",
    "#activity+name",
    "#sector",
    "#org+name",
    "#org+type",
    "#x_role",
    "#x_step",
    "#status",
    "#date+start",
    "#date+end",
    "#country+code",
    "#adm1+name",
    "#loc+name",
    "#geo+lat",
    "#geo+lon",
];

/// A cell that no spreadsheet will run as a formula: a value starting with `=`, `+`, `-`,
/// `@`, a tab or a carriage return gets a leading apostrophe.
pub fn neutralise(value: &str) -> String {
    match value.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{value}"),
        _ => value.to_owned(),
    }
}

/// How many columns the sheet has.
pub const COLUMNS: usize = HEADER.len();

/// The columns written as they are: the coordinates (numbers are never taken for formulas).
const NUMBER_COLUMNS: [usize; 2] = [13, 14];

/// The rows of the sheet for `situation` (already redacted), as they are (not neutralised),
/// without the two header rows: in the order of the lines of effort, then by role (lead
/// first), then in the order of the partners; one row per place. The workbook's "Who does
/// what" sheet holds the same rows.
pub fn rows(situation: &Situation) -> Vec<[String; COLUMNS]> {
    let line_pos: HashMap<&str, usize> = situation
        .lines
        .iter()
        .enumerate()
        .map(|(i, l)| (l.id.as_str(), i))
        .collect();
    let partner_pos: HashMap<&str, usize> = situation
        .partners
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.as_str(), i))
        .collect();
    let mut held: Vec<&Assignment> = situation.assignments.iter().collect();
    held.sort_by_key(|a| {
        (
            line_pos.get(a.line.as_str()).copied().unwrap_or(usize::MAX),
            a.role.rank(),
            partner_pos
                .get(a.partner.as_str())
                .copied()
                .unwrap_or(usize::MAX),
        )
    });
    let countries = situation.countries.join(";");
    let mut out = Vec::with_capacity(held.len());
    for a in held {
        let (Some(line), Some(partner)) = (situation.line(&a.line), situation.partner(&a.partner))
        else {
            continue;
        };
        let step = match a.role {
            Role::Sequential(n) => n.to_string(),
            _ => String::new(),
        };
        let places: Vec<Option<&Place>> = if !a.places.is_empty() {
            a.places.iter().map(Some).collect()
        } else if !line.places.is_empty() {
            line.places.iter().map(Some).collect()
        } else {
            vec![None]
        };
        for place in places {
            let country = place
                .map(|p| p.country.trim())
                .filter(|c| !c.is_empty())
                .unwrap_or(&countries);
            let [admin1, location, lat, lon] = place_cells(place);
            out.push([
                line.id.clone(),
                line.title.clone(),
                sector(line),
                partner.name.clone(),
                partner.category.label().to_owned(),
                a.role.code().to_owned(),
                step.clone(),
                line.status.label().to_owned(),
                line.start.map(|d| d.to_string()).unwrap_or_default(),
                line.end.map(|d| d.to_string()).unwrap_or_default(),
                country.to_owned(),
                admin1,
                location,
                lat,
                lon,
            ]);
        }
    }
    out
}

/// The sheet for `situation` (already redacted): the readable header, the hashtags, then
/// [`rows`], every text cell [`neutralise`]d.
pub fn who_does_what(situation: &Situation) -> Result<Vec<u8>, ExportError> {
    let mut writer = ::csv::WriterBuilder::new()
        .quote_style(::csv::QuoteStyle::Necessary)
        .from_writer(Vec::new());
    let err = |e: ::csv::Error| ExportError::Csv(e.to_string());
    writer.write_record(HEADER).map_err(err)?;
    writer.write_record(HASHTAGS).map_err(err)?;
    for mut record in rows(situation) {
        for (i, cell) in record.iter_mut().enumerate() {
            if !NUMBER_COLUMNS.contains(&i) {
                *cell = neutralise(cell);
            }
        }
        writer.write_record(&record).map_err(err)?;
    }
    writer
        .into_inner()
        .map_err(|e| ExportError::Csv(e.to_string()))
}

/// The `#sector` cell of a line: its sector, else its instrument (as the importer reads it
/// back), else nothing.
fn sector(line: &LineOfEffort) -> String {
    if !line.sector.trim().is_empty() {
        line.sector.trim().to_owned()
    } else if line.instrument == Instrument::Other {
        String::new()
    } else {
        line.instrument.label().to_owned()
    }
}

/// The admin-1, location, latitude and longitude cells of a row, as they are (coordinates as
/// written in the file, shortest form).
fn place_cells(place: Option<&Place>) -> [String; 4] {
    let Some(place) = place else {
        return Default::default();
    };
    let (lat, lon) = place
        .coordinates
        .map_or((String::new(), String::new()), |c| {
            (c.lat.to_string(), c.lon.to_string())
        });
    [
        place.admin1.trim().to_owned(),
        place.name.trim().to_owned(),
        lat,
        lon,
    ]
}

#[cfg(test)]
mod tests {
    use super::neutralise;

    #[test]
    fn formula_starts_are_neutralised() {
        for bad in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(neutralise(bad), format!("'{bad}"));
        }
        assert_eq!(neutralise("ECOWAS"), "ECOWAS");
        assert_eq!(neutralise(""), "");
    }
}
