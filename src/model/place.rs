//! Where things happen: places on events, actors, lines of effort and assignments.
//!
//! A place is located the way humanitarian data locate things: a country (ISO 3166
//! alpha-3), then administrative levels — admin-1 (region, province, prefecture) and
//! admin-2 (district), each with its OCHA P-code when known — and a locality name. It may
//! carry coordinates, with a precision that says how far to trust them, so that a map never
//! pretends to more precision than the data has.

use serde::{Deserialize, Serialize};

/// Where something happens or is based. Every field is optional; a place with only a
/// country is a valid place (the whole country).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "sync", derive(autosurgeon::Reconcile, autosurgeon::Hydrate))]
pub struct Place {
    /// The locality or site, e.g. "Conakry" or "28 September Stadium, Conakry".
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// ISO 3166-1 alpha-3 code, e.g. `GIN`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub country: String,
    /// First administrative level (region, province, prefecture), e.g. "Nzérékoré".
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub admin1: String,
    /// OCHA P-code of the admin-1 area, e.g. `GN8`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub admin1_pcode: String,
    /// Second administrative level (district, prefecture), e.g. "Sour".
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub admin2: String,
    /// OCHA P-code of the admin-2 area, e.g. `LB63`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub admin2_pcode: String,
    /// Latitude and longitude (WGS 84), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coordinates: Option<Coordinates>,
    /// How precisely the coordinates locate the place; `None` when the source does not say
    /// (see [`Place::precision`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub precision: Option<GeoPrecision>,
}

impl Place {
    /// A place known by its name only.
    pub fn named(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            ..Self::default()
        }
    }

    /// A whole country, by its ISO 3166 alpha-3 code.
    pub fn country(code: impl Into<String>) -> Self {
        Self {
            country: code.into(),
            ..Self::default()
        }
    }

    /// Whether nothing at all is known of the place.
    pub fn is_empty(&self) -> bool {
        self.name.trim().is_empty()
            && self.country.trim().is_empty()
            && self.admin1.trim().is_empty()
            && self.admin1_pcode.trim().is_empty()
            && self.admin2.trim().is_empty()
            && self.admin2_pcode.trim().is_empty()
            && self.coordinates.is_none()
    }

    /// How precisely the place is known: the stated precision; else exact when it has
    /// coordinates and a locality, near when it has coordinates alone, and region when it has
    /// only names of areas (a marker then stands for the area, not a point).
    pub fn precision(&self) -> GeoPrecision {
        match (self.precision, self.coordinates) {
            (Some(p), _) => p,
            (None, Some(_)) if !self.name.trim().is_empty() => GeoPrecision::Exact,
            (None, Some(_)) => GeoPrecision::Near,
            (None, None) => GeoPrecision::Region,
        }
    }

    /// A short human description, most specific first: "Conakry, Conakry region, GIN".
    pub fn describe(&self) -> String {
        let parts: Vec<&str> = [&self.name, &self.admin2, &self.admin1, &self.country]
            .into_iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .collect();
        let mut out = Vec::with_capacity(parts.len());
        for part in parts {
            // "Conakry, Conakry" says nothing twice.
            if out.last() != Some(&part) {
                out.push(part);
            }
        }
        if out.is_empty() {
            return match self.coordinates {
                Some(c) => c.to_string(),
                None => String::new(),
            };
        }
        out.join(", ")
    }
}

/// A point on the globe in degrees (WGS 84): latitude −90…90, longitude −180…180.
///
/// Written `coordinates: (lat: 9.537, lon: -13.6773)`. A value outside those ranges, or not
/// a number, makes the file unreadable (`place.coordinates`), like an invalid date.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "sync", derive(autosurgeon::Reconcile, autosurgeon::Hydrate))]
#[serde(try_from = "RawCoordinates")]
pub struct Coordinates {
    pub lat: f64,
    pub lon: f64,
}

#[derive(Deserialize)]
struct RawCoordinates {
    lat: f64,
    lon: f64,
}

/// Why two numbers are not coordinates.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("invalid coordinates: {reason}")]
pub struct CoordinatesError {
    pub reason: String,
}

impl TryFrom<RawCoordinates> for Coordinates {
    type Error = CoordinatesError;

    fn try_from(raw: RawCoordinates) -> Result<Self, Self::Error> {
        Coordinates::new(raw.lat, raw.lon)
    }
}

impl Coordinates {
    /// Coordinates from degrees; refused when not finite or out of range.
    pub fn new(lat: f64, lon: f64) -> Result<Self, CoordinatesError> {
        if !lat.is_finite() || !(-90.0..=90.0).contains(&lat) {
            return Err(CoordinatesError {
                reason: format!("latitude {lat} is not between -90 and 90"),
            });
        }
        if !lon.is_finite() || !(-180.0..=180.0).contains(&lon) {
            return Err(CoordinatesError {
                reason: format!("longitude {lon} is not between -180 and 180"),
            });
        }
        Ok(Self { lat, lon })
    }

    /// Reads a latitude and a longitude as written in spreadsheets: `9.537`, ` -13,6773`
    /// (a decimal comma, as in French-locale sheets).
    pub fn parse(lat: &str, lon: &str) -> Result<Self, CoordinatesError> {
        let number = |text: &str, what: &str| -> Result<f64, CoordinatesError> {
            let cleaned = text.trim().replace(',', ".");
            cleaned.parse::<f64>().map_err(|_| CoordinatesError {
                reason: format!("{what} \"{}\" is not a number", text.trim()),
            })
        };
        Self::new(number(lat, "latitude")?, number(lon, "longitude")?)
    }
}

impl std::fmt::Display for Coordinates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ns = if self.lat < 0.0 { 'S' } else { 'N' };
        let ew = if self.lon < 0.0 { 'W' } else { 'E' };
        write!(f, "{:.4}°{ns} {:.4}°{ew}", self.lat.abs(), self.lon.abs())
    }
}

/// How precisely a place's coordinates locate it (ACLED's `geo_precision`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "sync", derive(autosurgeon::Reconcile, autosurgeon::Hydrate))]
pub enum GeoPrecision {
    /// The place itself (ACLED 1).
    Exact,
    /// Near the place, e.g. a nearby town (ACLED 2).
    Near,
    /// Only the region (admin-1 or admin-2 area) is known (ACLED 3).
    Region,
}

impl GeoPrecision {
    /// Every precision, most precise first.
    pub const ALL: [GeoPrecision; 3] = [
        GeoPrecision::Exact,
        GeoPrecision::Near,
        GeoPrecision::Region,
    ];

    /// The label a desk officer reads.
    pub fn label(self) -> &'static str {
        match self {
            GeoPrecision::Exact => "Exact",
            GeoPrecision::Near => "Near",
            GeoPrecision::Region => "Region only",
        }
    }

    /// ACLED's `geo_precision` code: 1 → exact, 2 → near, 3 → region.
    pub fn from_acled(code: &str) -> Option<Self> {
        match code.trim() {
            "1" => Some(GeoPrecision::Exact),
            "2" => Some(GeoPrecision::Near),
            "3" => Some(GeoPrecision::Region),
            _ => None,
        }
    }

    /// The ACLED code for this precision (1, 2 or 3).
    pub fn acled_code(self) -> u8 {
        match self {
            GeoPrecision::Exact => 1,
            GeoPrecision::Near => 2,
            GeoPrecision::Region => 3,
        }
    }
}

impl std::fmt::Display for GeoPrecision {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coordinates_out_of_range_or_not_numbers_are_refused() {
        assert!(Coordinates::new(9.5, -13.7).is_ok());
        assert!(Coordinates::new(90.0, 180.0).is_ok());
        assert!(Coordinates::new(90.5, 0.0).is_err());
        assert!(Coordinates::new(0.0, -180.1).is_err());
        assert!(Coordinates::new(f64::NAN, 0.0).is_err());
        assert!(Coordinates::new(0.0, f64::INFINITY).is_err());
        assert_eq!(
            Coordinates::parse(" 9,537", "-13.6773"),
            Coordinates::new(9.537, -13.6773)
        );
        let err = Coordinates::parse("north", "1").unwrap_err();
        assert!(err.reason.contains("\"north\""), "{err}");
    }

    #[test]
    fn acled_precision_codes_map_both_ways() {
        for p in GeoPrecision::ALL {
            assert_eq!(
                GeoPrecision::from_acled(&p.acled_code().to_string()),
                Some(p)
            );
        }
        assert_eq!(GeoPrecision::from_acled("4"), None);
        assert_eq!(GeoPrecision::from_acled(""), None);
    }

    #[test]
    fn precision_is_inferred_when_not_stated() {
        let mut place = Place::country("GIN");
        assert_eq!(place.precision(), GeoPrecision::Region);
        place.coordinates = Coordinates::new(9.5, -13.7).ok();
        assert_eq!(place.precision(), GeoPrecision::Near);
        place.name = "Conakry".into();
        assert_eq!(place.precision(), GeoPrecision::Exact);
        place.precision = Some(GeoPrecision::Region);
        assert_eq!(place.precision(), GeoPrecision::Region);
    }

    #[test]
    fn descriptions_go_from_specific_to_general_without_repeats() {
        let place = Place {
            name: "Conakry".into(),
            admin1: "Conakry".into(),
            country: "GIN".into(),
            ..Place::default()
        };
        assert_eq!(place.describe(), "Conakry, GIN");
        assert!(Place::default().is_empty());
        assert!(!Place::country("GIN").is_empty());
        let point = Place {
            coordinates: Coordinates::new(-1.5, 29.25).ok(),
            ..Place::default()
        };
        assert_eq!(point.describe(), "1.5000°S 29.2500°E");
    }
}
