//! The command line, run as a process: `tandem check` and `tandem summary`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn tandem(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tandem"))
        .args(args)
        .output()
        .unwrap()
}

fn code(output: &Output) -> i32 {
    output.status.code().unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn sample(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets/situations")
        .join(name)
        .display()
        .to_string()
}

const GOOD: &str = r#"(
    schema: 1,
    title: "Good",
    as_of: "2010-10-15",
    actors: [
        (id: "a1", name: "Actor", kind: Government, stance: Open, influence: High),
    ],
)
"#;

/// A temp folder with a clean file, one with validation errors and one that does not parse.
struct Fixtures {
    _dir: tempfile::TempDir,
    good: PathBuf,
    invalid: PathBuf,
    broken: PathBuf,
}

fn fixtures() -> Fixtures {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.ron");
    fs::write(&good, GOOD).unwrap();
    let invalid = dir.path().join("invalid.ron");
    fs::write(
        &invalid,
        GOOD.replace(
            "    ],\n)",
            "        (id: \"a1\", name: \"Twin\", kind: Youth, stance: Open, influence: Low),\n    ],\n)",
        ),
    )
    .unwrap();
    let broken = dir.path().join("broken.ron");
    fs::write(&broken, GOOD.replace("title: \"Good\"", "title: 42")).unwrap();
    Fixtures {
        _dir: dir,
        good,
        invalid,
        broken,
    }
}

/// One parsed human line: `FILE:LINE:COL: SEVERITY[CODE]: message` (position optional).
#[derive(Debug)]
struct Line {
    file: String,
    position: Option<(usize, usize)>,
    severity: String,
    code: String,
    message: String,
}

fn parse_line(line: &str) -> Line {
    let (head, rest) = line
        .split_once(": ")
        .unwrap_or_else(|| panic!("no `: ` in {line:?}"));
    let (severity, rest) = rest.split_once('[').unwrap();
    let (code, message) = rest.split_once("]: ").unwrap();
    let mut parts = head.rsplitn(3, ':');
    let col = parts.next().unwrap();
    let row = parts.next();
    let (file, position) = match (row, parts.next(), col.parse::<usize>()) {
        (Some(row), Some(file), Ok(col)) => match row.parse::<usize>() {
            Ok(row) => (file.to_owned(), Some((row, col))),
            Err(_) => (head.to_owned(), None),
        },
        _ => (head.to_owned(), None),
    };
    assert!(
        severity == "error" || severity == "warning",
        "severity in {line:?}"
    );
    assert!(!message.trim().is_empty(), "message in {line:?}");
    Line {
        file,
        position,
        severity: severity.to_owned(),
        code: code.to_owned(),
        message: message.to_owned(),
    }
}

#[test]
fn check_passes_the_samples_with_exit_zero() {
    let files: Vec<String> = [
        "guinea-2009-2010.ron",
        "kenya-2008.ron",
        "great-lakes-2008-2009.ron",
        "blank.ron",
    ]
    .iter()
    .map(|n| sample(n))
    .collect();
    let args: Vec<&str> = std::iter::once("check")
        .chain(files.iter().map(String::as_str))
        .collect();
    let out = tandem(&args);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    let text = stdout(&out);
    let lines: Vec<Line> = text.lines().map(parse_line).collect();
    assert!(lines.iter().all(|l| l.severity == "warning"));
    // The Guinea sample carries its deliberate imperfections.
    let guinea: Vec<&Line> = lines.iter().filter(|l| l.file == files[0]).collect();
    assert!(guinea.iter().any(|l| l.code == "matrix.no-lead"));
    assert!(
        guinea
            .iter()
            .any(|l| l.code == "timeline.unanswered-warning")
    );
    for l in guinea {
        assert!(
            l.position.is_some(),
            "Guinea warnings point into the file: {l:?}"
        );
    }
}

#[test]
fn check_of_a_clean_file_prints_nothing() {
    let f = fixtures();
    let out = tandem(&["check", f.good.to_str().unwrap()]);
    assert_eq!(code(&out), 0);
    assert_eq!(stdout(&out), "");
}

#[test]
fn check_exits_one_on_errors_with_positioned_lines() {
    let f = fixtures();
    let file = f.invalid.to_str().unwrap();
    let out = tandem(&["check", file]);
    assert_eq!(code(&out), 1, "{}", stdout(&out));
    let text = stdout(&out);
    let line = text
        .lines()
        .map(parse_line)
        .find(|l| l.code == "id.duplicate")
        .unwrap_or_else(|| panic!("{text}"));
    assert_eq!(line.file, file);
    assert_eq!(line.severity, "error");
    assert!(line.message.contains("a1"));
    let (row, col) = line.position.unwrap();
    let source = fs::read_to_string(&f.invalid).unwrap();
    let source_line = source.lines().nth(row - 1).unwrap();
    assert!(
        source_line[col - 1..].starts_with("id: \"a1\""),
        "{row}:{col} → {source_line:?}"
    );
    assert!(
        text.lines()
            .next()
            .unwrap()
            .starts_with(&format!("{file}:{row}:{col}: error[id.duplicate]: ")),
        "{text}"
    );
}

#[test]
fn check_exits_two_when_a_file_cannot_be_parsed() {
    let f = fixtures();
    let file = f.broken.to_str().unwrap();
    let out = tandem(&["check", file]);
    assert_eq!(code(&out), 2);
    let text = stdout(&out);
    let line = parse_line(text.lines().next().unwrap());
    assert_eq!(line.code, "parse");
    assert_eq!(line.severity, "error");
    assert_eq!(line.position, Some((3, 12)), "{text}");
    assert!(
        text.starts_with(&format!("{file}:3:12: error[parse]: ")),
        "{text}"
    );
    // The worst status wins across files.
    let out = tandem(&[
        "check",
        f.good.to_str().unwrap(),
        f.invalid.to_str().unwrap(),
        file,
    ]);
    assert_eq!(code(&out), 2);
    let out = tandem(&[
        "check",
        f.good.to_str().unwrap(),
        f.invalid.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), 1);
    let missing = f.good.with_file_name("absent.ron");
    let out = tandem(&["check", missing.to_str().unwrap()]);
    assert_eq!(code(&out), 2);
    let line = parse_line(stdout(&out).lines().next().unwrap());
    assert_eq!(line.code, "io");
    assert_eq!(line.position, None);
}

#[test]
fn check_json_has_the_documented_fields() {
    let f = fixtures();
    let out = tandem(&[
        "check",
        "--json",
        f.good.to_str().unwrap(),
        f.invalid.to_str().unwrap(),
        f.broken.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), 2);
    let rows: Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = rows.as_array().unwrap();
    assert!(rows.len() >= 2);
    for row in rows {
        let object = row.as_object().unwrap();
        let mut keys: Vec<&str> = object.keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            [
                "code", "column", "file", "item", "line", "message", "severity"
            ]
        );
        assert!(["error", "warning"].contains(&row["severity"].as_str().unwrap()));
        assert!(row["line"].is_null() || row["line"].is_u64());
        assert!(row["column"].is_null() || row["column"].is_u64());
        assert!(row["item"].is_null() || row["item"].is_string());
    }
    let duplicate = rows.iter().find(|r| r["code"] == "id.duplicate").unwrap();
    assert_eq!(duplicate["file"], f.invalid.to_str().unwrap());
    assert_eq!(duplicate["item"], "a1");
    assert!(duplicate["line"].as_u64().unwrap() >= 1);
    let parse = rows.iter().find(|r| r["code"] == "parse").unwrap();
    assert_eq!(parse["file"], f.broken.to_str().unwrap());
    assert_eq!(parse["line"], 3);
    assert_eq!(parse["column"], 12);
    assert!(parse["item"].is_null());
    // A clean file gives an empty array, still valid JSON.
    let out = tandem(&["check", "--json", f.good.to_str().unwrap()]);
    assert_eq!(code(&out), 0);
    assert_eq!(
        serde_json::from_slice::<Value>(&out.stdout).unwrap(),
        Value::Array(vec![])
    );
}

#[test]
fn summary_counts_match_the_file() {
    let path = sample("guinea-2009-2010.ron");
    let s = tandem::io::load_file(Path::new(&path)).unwrap().situation;
    let out = tandem(&["summary", "--json", &path]);
    assert_eq!(code(&out), 0);
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let counts = &json["counts"];
    assert_eq!(counts["actors"], s.actors.len());
    assert_eq!(counts["partners"], s.partners.len());
    assert_eq!(counts["lines"], s.lines.len());
    assert_eq!(counts["assignments"], s.assignments.len());
    assert_eq!(counts["events"], s.events.len());
    let out = tandem(&["summary", &path]);
    assert_eq!(code(&out), 0);
    let text = stdout(&out);
    assert!(text.starts_with(&s.title), "{text}");
    let expected = format!(
        "{} actors, {} partners, {} lines of effort, {} assignments, {} events",
        s.actors.len(),
        s.partners.len(),
        s.lines.len(),
        s.assignments.len(),
        s.events.len()
    );
    assert!(text.contains(&expected), "{text}");
}

#[test]
fn summary_of_a_broken_file_exits_two() {
    let f = fixtures();
    let out = tandem(&["summary", f.broken.to_str().unwrap()]);
    assert_eq!(code(&out), 2);
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("error[parse]"), "{err}");
}

#[test]
fn summary_says_one_warning_not_one_warnings() {
    let f = fixtures();
    let text = stdout(&tandem(&["summary", f.good.to_str().unwrap()]));
    assert!(text.contains("0 errors, 0 warnings"), "{text}");
    let text = stdout(&tandem(&["summary", f.invalid.to_str().unwrap()]));
    assert!(
        text.contains("1 error,") || text.contains("errors,"),
        "{text}"
    );
    assert!(
        !text.contains(" 1 errors") && !text.contains(" 1 warnings"),
        "{text}"
    );
}

/// `tandem check … | head -1`: the reader goes away; tandem must not panic and must still
/// report what it found through its exit status.
#[test]
fn a_closed_stdout_is_not_a_crash() {
    use std::process::Stdio;
    let f = fixtures();
    for args in [
        vec!["check", f.invalid.to_str().unwrap()],
        vec!["summary", f.invalid.to_str().unwrap()],
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_tandem"))
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        let expected = if args[0] == "check" { 1 } else { 0 };
        assert_eq!(code(&out), expected, "{args:?}: {err}");
    }
}

#[test]
fn generate_writes_the_documented_counts_and_says_so_in_its_help() {
    let help = stdout(&tandem(&["generate", "--help"]));
    assert!(help.contains("30 × √N"), "{help}");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("scale4.ron");
    let result = tandem(&[
        "generate",
        "--scale",
        "4",
        "--seed",
        "3",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code(&result), 0);
    let s = tandem::io::load_file(&out).unwrap().situation;
    assert_eq!(
        (s.actors.len(), s.partners.len(), s.lines.len()),
        (80, 60, 40),
        "every count × 4, partners × √4"
    );
    assert_eq!((s.assignments.len(), s.events.len()), (240, 800));
    let check = tandem(&["check", out.to_str().unwrap()]);
    assert_eq!(code(&check), 0, "{}", stdout(&check));
}

/// `generate --out` asks the one check every writer asks: it does not replace a read-only
/// file (a rename in a writable folder would) nor one a colleague has open.
#[test]
fn generate_does_not_write_over_a_read_only_or_locked_file() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("kept.ron");
    fs::write(&out, tandem::samples::BLANK).unwrap();
    let run = || tandem(&["generate", "--out", out.to_str().unwrap()]);
    fs::set_permissions(&out, fs::Permissions::from_mode(0o444)).unwrap();
    let refused = run();
    assert_eq!(code(&refused), 2);
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("refused, the file is read-only"),
        "{stderr}"
    );
    assert_eq!(fs::read_to_string(&out).unwrap(), tandem::samples::BLANK);
    fs::set_permissions(&out, fs::Permissions::from_mode(0o644)).unwrap();
    let colleague = tandem::io::lock::LockInfo::for_officer("Marie Diallo");
    let tandem::io::lock::LockOutcome::Acquired(guard) =
        tandem::io::lock::acquire_as(&out, colleague)
    else {
        panic!("the lock should be free");
    };
    let refused = run();
    assert_eq!(code(&refused), 2);
    assert!(String::from_utf8_lossy(&refused.stderr).contains("Marie Diallo"));
    assert_eq!(fs::read_to_string(&out).unwrap(), tandem::samples::BLANK);
    drop(guard);
    assert_eq!(code(&run()), 0, "free again once the colleague closed it");
}

/// An assignment's problems (an unknown partner, step 0, a cell set twice) point at the
/// assignment's own lines, not at the line of effort's id.
#[test]
fn check_points_at_the_assignment_itself() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("assignments.ron");
    let text = r#"(
    schema: 2,
    title: "Assignments",
    as_of: "2010-10-15",
    partners: [
        (id: "au", name: "African Union", category: Regional),
    ],
    lines: [
        (id: "mediation", title: "Mediation", instrument: MediationSupport, track: I, status: Active),
    ],
    assignments: [
        (line: "mediation", partner: "au", role: Lead),
        (
            line: "mediation",
            partner: "nobody",
            role: Support,
        ),
        (line: "mediation", partner: "au", role: Sequential(0)),
    ],
)
"#;
    fs::write(&file, text).unwrap();
    let out = tandem(&["check", file.to_str().unwrap()]);
    let stdout = stdout(&out);
    let at = |code: &str, needle: &str| {
        stdout
            .lines()
            .map(parse_line)
            .find(|l| l.code == code && l.message.contains(needle))
            .unwrap_or_else(|| panic!("{code} {needle}: {stdout}"))
            .position
    };
    assert_eq!(at("ref.unknown", "nobody"), Some((14, 13)), "{stdout}");
    assert_eq!(at("assignment.step", "steps start at 1"), Some((18, 10)));
    assert_eq!(at("assignment.duplicate", "twice"), Some((18, 10)));
    assert_eq!(code(&out), 1);
}
