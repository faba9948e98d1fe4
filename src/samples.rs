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
