//! The sample situations built into the binary, so the app shows something real from any folder.

/// The Guinea 2009–2010 sample, opened when Tandem starts without a file.
pub const GUINEA: &str = include_str!("../assets/situations/guinea-2009-2010.ron");
/// The Kenya 2008 sample.
pub const KENYA: &str = include_str!("../assets/situations/kenya-2008.ron");
/// The Great Lakes 2008–2009 sample.
pub const GREAT_LAKES: &str = include_str!("../assets/situations/great-lakes-2008-2009.ron");
/// The empty template used by File → New.
pub const BLANK: &str = include_str!("../assets/situations/blank.ron");

/// Every bundled sample with its file name.
pub const ALL: &[(&str, &str)] = &[
    ("guinea-2009-2010.ron", GUINEA),
    ("kenya-2008.ron", KENYA),
    ("great-lakes-2008-2009.ron", GREAT_LAKES),
    ("blank.ron", BLANK),
];

/// The blank template as a situation, parsed once per run (File → New, imports into a new
/// situation). A template that could not be read (never for the bundled one: a test checks
/// it) gives an empty situation.
pub fn blank() -> crate::model::Situation {
    static BLANK_SITUATION: std::sync::OnceLock<crate::model::Situation> =
        std::sync::OnceLock::new();
    BLANK_SITUATION
        .get_or_init(|| match crate::io::parse_situation(BLANK) {
            Ok(loaded) => loaded.situation,
            Err(_) => {
                let as_of = crate::model::PartialDate::from_naive(chrono::Utc::now().date_naive());
                crate::model::Situation::new("New situation", as_of)
            }
        })
        .clone()
}

/// The Guinea sample as a situation, for the crate's unit tests.
#[cfg(test)]
pub(crate) fn guinea() -> crate::model::Situation {
    crate::io::parse_situation(GUINEA)
        .map(|loaded| loaded.situation)
        .unwrap_or_else(|d| panic!("the Guinea sample does not parse: {}", d.message))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_blank_template_parses_and_is_empty() {
        let loaded = crate::io::parse_situation(super::BLANK).expect("the template parses");
        assert_eq!(super::blank(), loaded.situation);
        assert!(loaded.situation.actors.is_empty() && loaded.situation.events.is_empty());
    }
}
