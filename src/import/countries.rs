//! Countries as imported files name them: ACLED's numeric `iso` and `country` name, and the
//! names a title reads.

use isocountry::CountryCode;

use super::normalise_name;
use crate::analysis::geo::basemap::BaseMap;

/// The ISO 3166 alpha-3 code of a country given by its numeric code (`324`, what ACLED's
/// `iso` holds) or its ISO name ("Guinea", "Côte d'Ivoire"); `None` when neither names one.
pub fn alpha3(numeric: &str, name: &str) -> Option<&'static str> {
    if let Some(country) = numeric
        .trim()
        .parse::<u32>()
        .ok()
        .and_then(|n| CountryCode::for_id(n).ok())
    {
        return Some(country.alpha3());
    }
    let wanted = normalise_name(name);
    if wanted.is_empty() {
        return None;
    }
    CountryCode::iter()
        .find(|c| normalise_name(c.name()) == wanted)
        .map(|c| c.alpha3())
}

/// The short English name of a country by its alpha-3 code, as the map shows it
/// ("Côte d'Ivoire"), else ISO's; the code itself when it is not a country.
pub fn name(code: &str) -> String {
    let code = code.trim();
    if let Some(country) = BaseMap::world().countries_with_code(code).next() {
        return country.name.clone();
    }
    CountryCode::for_alpha3_caseless(code).map_or_else(|_| code.to_owned(), |c| c.name().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acled_countries_by_number_or_name() {
        assert_eq!(alpha3("324", "Guinea"), Some("GIN"));
        assert_eq!(alpha3("", "Guinea-Bissau"), Some("GNB"));
        assert_eq!(alpha3("", "cote d'ivoire"), Some("CIV"));
        assert_eq!(alpha3("9999", "Atlantis"), None);
        assert_eq!(name("GIN"), "Guinea");
        assert_eq!(name("XYZ"), "XYZ");
    }
}
