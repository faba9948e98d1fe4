//! The "Since …" section of the papers and the workbook: present in every paper format and the
//! workbook, and redacted like the rest — a change to an item the audience may not see leaves
//! no trace, not even an old value (the redaction tests' canaries).

use std::process::Command;
use std::sync::Arc;

use tandem::export::since::SinceMark;
use tandem::export::{Audience, ExportOptions, Format, export};
use tandem::model::{Role, Sensitivity, Situation, Stance};

const REDACTION: &str = include_str!("data/redaction.ron");

fn old() -> Situation {
    tandem::io::parse_situation(REDACTION).unwrap().situation
}

/// `old` with changes at every level: an unclassified actor made confidential (and renamed
/// with a canary), confidential and strictly confidential items changed, an unclassified role
/// changed (the change the audience may read), and an old title naming a strict item.
fn new() -> Situation {
    let mut s = old();
    for a in &mut s.actors {
        match a.sensitivity {
            Sensitivity::Unclassified => {
                a.name = "Junta NOWHIDDEN-CANARY".into();
                a.sensitivity = Sensitivity::Confidential;
            }
            _ => {
                a.stance = Stance::Open;
                a.notes.push_str(" revised");
            }
        }
    }
    for l in &mut s.lines {
        l.notes.push_str(" revised");
        l.title.push_str(" revised");
    }
    for c in &mut s.assignments {
        c.role = match c.role {
            Role::Lead => Role::Support,
            _ => Role::Lead,
        };
    }
    s.events
        .retain(|e| e.sensitivity != Sensitivity::StrictlyConfidential);
    s
}

/// What a reader finds in the file: PDF through pdftotext, Office packages part by part.
fn searchable(format: Format, bytes: &[u8]) -> String {
    match format {
        Format::Pdf => {
            let dir = tempfile::tempdir().unwrap();
            let pdf = dir.path().join("x.pdf");
            std::fs::write(&pdf, bytes).unwrap();
            let out = Command::new("pdftotext")
                .arg(&pdf)
                .arg("-")
                .output()
                .expect("pdftotext is needed to read PDF exports");
            String::from_utf8(out.stdout).unwrap()
        }
        Format::Xlsx | Format::Docx => {
            use std::io::Read as _;
            let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
            let mut out = String::new();
            for i in 0..zip.len() {
                zip.by_index(i).unwrap().read_to_string(&mut out).unwrap();
            }
            out
        }
        _ => String::from_utf8(bytes.to_vec()).unwrap(),
    }
}

const PAPERS: [Format; 5] = [
    Format::Markdown,
    Format::Html,
    Format::Pdf,
    Format::Docx,
    Format::Xlsx,
];

fn options(ceiling: Sensitivity) -> ExportOptions {
    let (old, new) = (old(), new());
    let mark = SinceMark::new("Council briefing", "2 Nov 2026", &old, &new);
    ExportOptions::new(Audience::new(ceiling)).with_since(Some(Arc::new(mark)))
}

#[test]
fn every_paper_and_the_workbook_say_what_changed_since_the_mark() {
    let options = options(Sensitivity::StrictlyConfidential).with_notes(true);
    for format in PAPERS {
        let text = searchable(format, &export(&new(), format, &options).unwrap());
        assert!(
            text.contains("Since Council briefing (2 Nov 2026)"),
            "{format}:\n{text}"
        );
        assert!(text.contains("The matrix"), "{format}");
        assert!(text.contains("NOWHIDDEN-CANARY"), "{format}");
        assert!(text.contains("STRICT-MARKER-2"), "{format}");
    }
}

#[test]
fn a_change_to_an_item_the_audience_may_not_see_leaves_no_trace() {
    for ceiling in [Sensitivity::Unclassified, Sensitivity::Confidential] {
        let options = options(ceiling);
        for format in PAPERS {
            let text = searchable(format, &export(&new(), format, &options).unwrap());
            assert!(text.contains("Since Council briefing"), "{format}");
            // The role changes of unclassified cells are there.
            assert!(
                text.contains("went from Lead to Support"),
                "{format}:\n{text}"
            );
            assert!(
                !text.contains("STRICT-MARKER"),
                "{format} at {ceiling}:\n{text}"
            );
            if ceiling == Sensitivity::Unclassified {
                assert!(!text.contains("CONF-MARKER"), "{format}:\n{text}");
                assert!(!text.contains("NOWHIDDEN-CANARY"), "{format}:\n{text}");
                // The actor made confidential is not said to be removed either.
                assert!(!text.contains("Removed actor"), "{format}:\n{text}");
            }
        }
    }
}

#[test]
fn without_a_mark_there_is_no_since_section() {
    let options = ExportOptions::new(Audience::new(Sensitivity::Unclassified));
    let text = searchable(
        Format::Markdown,
        &export(&new(), Format::Markdown, &options).unwrap(),
    );
    assert!(!text.contains("Since "), "{text}");
}

#[test]
fn cli_export_since_an_earlier_file() {
    let dir = tempfile::tempdir().unwrap();
    let (old_path, new_path, out) = (
        dir.path().join("old.ron"),
        dir.path().join("new.ron"),
        dir.path().join("paper.md"),
    );
    std::fs::write(&old_path, REDACTION).unwrap();
    tandem::io::save_file(&new_path, &new()).unwrap();
    let status = Command::new(env!("CARGO_BIN_EXE_tandem"))
        .arg("export")
        .arg(&new_path)
        .args(["--format", "md", "--out"])
        .arg(&out)
        .arg("--since")
        .arg(&old_path)
        .status()
        .unwrap();
    assert!(status.success());
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(
        text.contains("## Since old.ron (as of 2010-10-15)"),
        "{text}"
    );
    assert!(
        !text.contains("CONF-MARKER") && !text.contains("NOWHIDDEN"),
        "{text}"
    );

    let missing = Command::new(env!("CARGO_BIN_EXE_tandem"))
        .arg("export")
        .arg(&new_path)
        .args(["--format", "md", "--out"])
        .arg(&out)
        .args(["--since-mark", "latest"])
        .env("TANDEM_DATA_DIR", dir.path())
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("has no briefing mark"));

    let store = tandem::io::marks::MarkStore::in_data_dir(dir.path(), &new_path);
    store.add("Envoy's trip", &old()).unwrap();
    let marked = Command::new(env!("CARGO_BIN_EXE_tandem"))
        .arg("export")
        .arg(&new_path)
        .args(["--format", "md", "--out"])
        .arg(&out)
        .args(["--since-mark", "Envoy's trip"])
        .env("TANDEM_DATA_DIR", dir.path())
        .output()
        .unwrap();
    assert!(
        marked.status.success(),
        "{}",
        String::from_utf8_lossy(&marked.stderr)
    );
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("## Since Envoy's trip ("), "{text}");
    assert!(text.contains("went from Lead to Support"), "{text}");
}
