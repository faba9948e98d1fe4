//! Feeds arbitrary bytes to both import readers, the 3W (HXL) sheet's and ACLED's, planning
//! against the Guinea sample: each must answer with a plan or an error — never panic, hang or
//! exhaust memory — and a plan must apply to the situation it was made for, and make a new
//! situation.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use tandem::import::Format;
use tandem::model::Situation;

fn guinea() -> &'static Situation {
    static GUINEA: OnceLock<Situation> = OnceLock::new();
    GUINEA.get_or_init(|| match tandem::io::parse_situation(tandem::samples::GUINEA) {
        Ok(loaded) => loaded.situation,
        Err(_) => tandem::samples::blank(),
    })
}

fuzz_target!(|data: &[u8]| {
    // Workbooks go to calamine, a reader of its own whose panics Tandem catches; this target
    // fuzzes Tandem's reading: decoding, delimiters, columns, rows and planning.
    if data.starts_with(b"PK") || data.starts_with(&[0xD0, 0xCF]) {
        return;
    }
    for format in Format::ALL {
        if let Ok(plan) = format.plan(data, guinea()) {
            let mut after = guinea().clone();
            assert!(plan.apply(&mut after).is_ok(), "a plan applies to its situation");
            let _ = plan.new_situation(&tandem::samples::blank(), "fuzz.csv");
        }
    }
});
