//! `tandem summary` on a situation with known warning-to-action lags.

use std::process::Command;

use serde_json::{Value, json};

const LAGS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/lags.ron");

fn summary(args: &[&str]) -> (String, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_tandem"))
        .arg("summary")
        .args(args)
        .arg(LAGS)
        .output()
        .unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        out.status.code().unwrap_or(-1),
    )
}

fn json_summary() -> Value {
    let (text, code) = summary(&["--json"]);
    assert_eq!(code, 0, "{text}");
    serde_json::from_str(&text).unwrap()
}

#[test]
fn warnings_have_exact_lags_in_date_order() {
    let s = json_summary();
    assert_eq!(
        s["warnings"],
        json!([
            {"id": "w-year", "date": "2009", "answered_by": "a-mission", "lag_days": 59, "approximate": true},
            {"id": "w-day", "date": "2009-09-28", "answered_by": "a-envoy", "lag_days": 18, "approximate": false},
            {"id": "w-month", "date": "2009-11", "answered_by": "a-statement", "lag_days": 39, "approximate": true},
            {"id": "w-before", "date": "2010-02-10", "answered_by": null, "lag_days": null, "approximate": false},
            {"id": "w-silent", "date": "2010-03-01", "answered_by": null, "lag_days": null, "approximate": false},
            {"id": "w-future", "date": "2010-07-01", "answered_by": null, "lag_days": null, "approximate": false},
        ])
    );
}

#[test]
fn unanswered_median_and_upcoming_thresholds() {
    let s = json_summary();
    assert_eq!(s["unanswered"], json!(["w-before", "w-silent"]));
    assert_eq!(s["median_lag_days"], json!(39.0));
    assert_eq!(
        s["upcoming_thresholds"],
        json!([
            {"id": "t-first", "date": "2010-06-27"},
            {"id": "t-runoff", "date": "2010-11-07"},
        ])
    );
}

#[test]
fn an_answer_before_its_warning_is_reported_by_check() {
    let out = Command::new(env!("CARGO_BIN_EXE_tandem"))
        .args(["check", "--json", LAGS])
        .output()
        .unwrap();
    let diags: Value = serde_json::from_slice(&out.stdout).unwrap();
    let codes: Vec<(&str, &str)> = diags
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap(),
                d["item"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert!(codes.contains(&("date.order", "a-early")), "{codes:?}");
    assert!(codes.contains(&("timeline.unanswered-warning", "w-before")));
    assert!(codes.contains(&("timeline.unanswered-warning", "w-silent")));
    assert!(!codes.contains(&("timeline.unanswered-warning", "w-future")));
    assert_eq!(
        out.status.code(),
        Some(1),
        "a date.order error makes check fail"
    );
}

#[test]
fn human_summary_prints_the_same_table() {
    let (text, code) = summary(&[]);
    assert_eq!(code, 0);
    let row = |title: &str| {
        text.lines()
            .find(|l| l.starts_with(title))
            .unwrap_or_else(|| panic!("no row {title} in {text}"))
            .to_owned()
    };
    let day = row("Troops fire on a rally");
    assert!(day.contains("Envoy visits Conakry") && day.trim_end().ends_with("18 d"));
    assert!(row("Hate speech on radio").trim_end().ends_with("~39 d"));
    assert!(
        row("Border clashes reported")
            .trim_end()
            .ends_with("unanswered")
    );
    assert!(
        row("Planned protest").trim_end().ends_with("ahead"),
        "{text}"
    );
    assert!(text.contains("Median lag: 39 days"), "{text}");
    assert!(
        text.contains("Unanswered: Militia recruitment; Border clashes reported"),
        "{text}"
    );
    let first = text.find("2010-06-27  First round of elections").unwrap();
    let runoff = text.find("2010-11-07  Presidential run-off").unwrap();
    assert!(first < runoff);
}
