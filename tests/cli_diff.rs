//! `tandem diff OLD NEW`: the account in words, JSON, an audience's ceiling, exit statuses.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const OLD: &str = r#"(
    schema: 2,
    title: "Guinea",
    as_of: "2009-10-15",
    actors: [
        (id: "junta", name: "CNDD junta", kind: DeFactoAuthority, stance: Resistant, influence: High),
        (id: "informant", name: "Informant CANARY-CONF", kind: CivilSociety, stance: Open, influence: Low, sensitivity: Confidential),
    ],
    partners: [
        (id: "ecowas", name: "Economic Community of West African States", acronym: "ECOWAS", category: Subregional),
        (id: "au", name: "African Union", acronym: "AU", category: Regional),
    ],
    lines: [
        (id: "mediation", title: "Mediation", instrument: SpecialEnvoy, track: I, status: Planned),
    ],
    assignments: [
        (line: "mediation", partner: "au", role: Lead),
        (line: "mediation", partner: "ecowas", role: Support),
    ],
    events: [
        (id: "massacre", title: "Stadium massacre", kind: WarningSign, date: "2009-09-28"),
    ],
)
"#;

fn new_text() -> String {
    OLD.replace(
        r#"partner: "ecowas", role: Support"#,
        r#"partner: "ecowas", role: Lead"#,
    )
    .replace(
        r#"partner: "au", role: Lead"#,
        r#"partner: "au", role: Support"#,
    )
    .replace("stance: Open, influence: Low", "stance: Spoiler, influence: High")
    .replace(
        r#"        (id: "massacre""#,
        r#"        (id: "envoy", title: "Envoy appointed", kind: DiplomaticAction, date: "2009-10-05", answers: ["massacre"]),
        (id: "massacre""#,
    )
}

struct Files {
    _dir: tempfile::TempDir,
    old: PathBuf,
    new: PathBuf,
}

fn files() -> Files {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.ron");
    let new = dir.path().join("new.ron");
    fs::write(&old, OLD).unwrap();
    fs::write(&new, new_text()).unwrap();
    Files {
        _dir: dir,
        old,
        new,
    }
}

fn tandem(args: &[&str], old: &Path, new: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tandem"))
        .arg("diff")
        .arg(old)
        .arg(new)
        .args(args)
        .output()
        .unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

#[test]
fn the_same_file_twice_is_no_change_and_exit_zero() {
    let f = files();
    let out = tandem(&[], &f.old, &f.old);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stdout(&out).contains("No item changed."),
        "{}",
        stdout(&out)
    );
}

#[test]
fn changes_read_in_words_with_exit_one() {
    let f = files();
    let out = tandem(&[], &f.old, &f.new);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    for expected in [
        "ECOWAS went from Support to Lead on “Mediation”",
        "AU went from Lead to Support on “Mediation”",
        "New action: “Envoy appointed” (2009-10-05)",
        "“Informant CANARY-CONF”: stance changed from Open to Spoiler; influence changed from Low to High",
        "Unanswered: 1 then, 0 now",
    ] {
        assert!(text.contains(expected), "{expected}:\n{text}");
    }
    // Names, not ids.
    assert!(!text.contains("ecowas"), "{text}");
}

#[test]
fn json_carries_ids_values_and_the_words() {
    let f = files();
    let out = tandem(&["--json"], &f.old, &f.new);
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let cell = &v["matrix"][0];
    assert_eq!(cell["line_id"], "mediation");
    assert_eq!(cell["partner_id"], "au");
    assert_eq!(cell["old_role"], "Lead");
    assert_eq!(cell["new_role"], "Support");
    assert_eq!(v["actors"][0]["change"], "changed");
    assert_eq!(v["actors"][0]["fields"][0]["field"], "stance");
    assert_eq!(v["events"]["new_actions"][0]["id"], "envoy");
    assert_eq!(v["continuum_now"]["answered"], 1);
    assert!(v["words"].as_array().is_some_and(|w| !w.is_empty()));
}

#[test]
fn an_audience_ceiling_leaves_out_what_it_may_not_see() {
    let f = files();
    for args in [
        &["--max-sensitivity", "unclassified"][..],
        &["--max-sensitivity", "unclassified", "--json"][..],
    ] {
        let out = tandem(args, &f.old, &f.new);
        assert_eq!(out.status.code(), Some(1));
        let text = stdout(&out);
        assert!(!text.contains("CANARY-CONF"), "{text}");
        assert!(!text.contains("informant"), "{text}");
        assert!(text.contains("ECOWAS"), "{text}");
    }
    let out = tandem(&["--max-sensitivity", "confidential"], &f.old, &f.new);
    assert!(stdout(&out).contains("CANARY-CONF"));
}

#[test]
fn bad_input_exits_two_with_the_place() {
    let f = files();
    let broken = f.old.with_file_name("broken.ron");
    fs::write(
        &broken,
        OLD.replace("as_of: \"2009-10-15\"", "as_of: \"2009-13-45\""),
    )
    .unwrap();
    let out = tandem(&[], &f.old, &broken);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("broken.ron:4:"), "{err}");

    let missing = f.old.with_file_name("missing.ron");
    let out = tandem(&[], &missing, &f.new);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing.ron"));

    let out = tandem(&["--max-sensitivity", "secret"], &f.old, &f.new);
    assert_eq!(out.status.code(), Some(2));
}
