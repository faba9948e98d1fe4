//! `tandem check` and `tandem summary --json` report the matrix problems of a known situation.

use std::path::PathBuf;
use std::process::Command;

fn data() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/matrix-problems.ron")
}

fn tandem(args: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_tandem"))
        .args(args)
        .arg(data())
        .output()
        .expect("the tandem binary runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The (code, item) pairs of matrix diagnostics, from `check --json`.
fn matrix_findings() -> Vec<(String, String)> {
    let (status, stdout, stderr) = tandem(&["check", "--json"]);
    assert_eq!(
        status,
        Some(0),
        "warnings only, no errors: {stdout}{stderr}"
    );
    let rows: serde_json::Value = serde_json::from_str(&stdout).expect("check --json prints JSON");
    let mut found: Vec<(String, String)> = rows
        .as_array()
        .expect("an array of diagnostics")
        .iter()
        .filter(|d| d["code"].as_str().is_some_and(|c| c.starts_with("matrix.")))
        .map(|d| {
            assert_eq!(d["severity"], "warning", "{d}");
            (
                d["code"].as_str().unwrap_or_default().to_owned(),
                d["item"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    found.sort();
    found
}

#[test]
fn check_reports_each_matrix_problem_once() {
    let expected: Vec<(String, String)> = [
        ("matrix.joint-alone", "dialogue"),
        ("matrix.multiple-leads", "mediation"),
        ("matrix.no-lead", "funding"),
        ("matrix.overload", "ecowas"),
        ("matrix.sequence-gap", "elections"),
        ("matrix.unassigned", "inquiry"),
    ]
    .iter()
    .map(|(c, i)| ((*c).to_owned(), (*i).to_owned()))
    .collect();
    assert_eq!(matrix_findings(), expected);
}

#[test]
fn check_lines_name_the_file_code_and_item() {
    let (status, stdout, _) = tandem(&["check"]);
    assert_eq!(status, Some(0));
    let line = stdout
        .lines()
        .find(|l| l.contains("warning[matrix.multiple-leads]"))
        .unwrap_or_else(|| panic!("no multiple-leads line in:\n{stdout}"));
    assert!(line.contains("matrix-problems.ron"), "{line}");
    assert!(line.contains("(id mediation)"), "{line}");
    assert!(line.contains("ECOWAS") && line.contains("AU"), "{line}");
    let overload = stdout
        .lines()
        .find(|l| l.contains("warning[matrix.overload]"))
        .unwrap_or_else(|| panic!("no overload line in:\n{stdout}"));
    assert!(
        overload.contains("3 active lines") && overload.contains("is 2"),
        "{overload}"
    );
}

#[test]
fn summary_json_lists_the_flagged_ids_per_check() {
    let (status, stdout, stderr) = tandem(&["summary", "--json"]);
    assert_eq!(status, Some(0), "{stderr}");
    let summary: serde_json::Value = serde_json::from_str(&stdout).expect("summary prints JSON");
    let matrix = &summary["matrix"];
    let ids = |key: &str| -> Vec<String> {
        matrix[key]
            .as_array()
            .unwrap_or_else(|| panic!("matrix.{key} is a list in {matrix}"))
            .iter()
            .map(|v| v.as_str().unwrap_or_default().to_owned())
            .collect()
    };
    assert_eq!(ids("unassigned"), ["inquiry"]);
    assert_eq!(ids("no_lead"), ["funding"]);
    assert_eq!(ids("multiple_leads"), ["mediation"]);
    assert_eq!(ids("joint_alone"), ["dialogue"]);
    assert_eq!(ids("sequence_gap"), ["elections"]);
    assert_eq!(ids("overload"), ["ecowas"]);
    assert_eq!(matrix.as_object().map(|m| m.len()), Some(6), "{matrix}");
    assert_eq!(summary["counts"]["assignments"], 19);
}
