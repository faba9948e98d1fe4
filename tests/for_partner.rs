//! A paper for one named partner ("for the African Union"): in every format it says who it is
//! for and leads with that partner; a partner the audience may not see cannot be named; the
//! redaction canaries stay out whoever the paper is for.

use std::io::{Cursor, Read as _};
use std::process::Command;

use tandem::export::{Audience, ExportError, ExportOptions, Format, export, redact};
use tandem::model::{Sensitivity, Situation};

fn guinea() -> Situation {
    tandem::io::parse_situation(tandem::samples::GUINEA)
        .unwrap()
        .situation
}

fn for_au(ceiling: Sensitivity) -> ExportOptions {
    ExportOptions::new(Audience::new(ceiling)).for_partner(Some("au".into()))
}

/// The titles of the AU's lines of effort at `ceiling`, lead first (then file order).
fn au_lines(s: &Situation, ceiling: Sensitivity) -> Vec<String> {
    let (r, _) = redact(s, ceiling);
    let mut held: Vec<_> = r.assignments.iter().filter(|a| a.partner == "au").collect();
    held.sort_by_key(|a| (a.role.rank(), r.lines.iter().position(|l| l.id == a.line)));
    held.iter()
        .map(|a| r.line(&a.line).unwrap().title.clone())
        .collect()
}

#[test]
fn the_markdown_paper_leads_with_the_partner() {
    let s = guinea();
    let ceiling = Sensitivity::StrictlyConfidential;
    let text = String::from_utf8(export(&s, Format::Markdown, &for_au(ceiling)).unwrap()).unwrap();
    assert!(
        text.contains(&format!("# {} — for African Union", s.title)),
        "the title says for whom"
    );
    let section = text
        .find("## For African Union")
        .expect("a section for the AU");
    let actors = text.find("## Key actors").unwrap();
    assert!(section < actors, "the partner's section comes first");
    let lines = au_lines(&s, ceiling);
    assert!(!lines.is_empty());
    let head = &text[section..actors];
    let mut at = 0;
    for title in &lines {
        let found = head[at..]
            .find(&tandem::export::markdown::escape(title))
            .unwrap_or_else(|| panic!("“{title}” in the AU's section, in order"));
        at += found;
    }
    assert!(head.contains("### Next steps for African Union"));
    // Its column first in the matrix: its lines first among the rows.
    let matrix = &text[text.find("## Who does what").unwrap()..];
    let first_row = matrix.lines().nth(4).unwrap();
    assert!(
        first_row.contains(&tandem::export::markdown::escape(&lines[0])),
        "{first_row}"
    );
    // The others on the AU's lines are named with their roles.
    let (r, _) = redact(&s, ceiling);
    let shared = r
        .assignments
        .iter()
        .find(|a| {
            a.partner != "au"
                && r.assignments
                    .iter()
                    .any(|b| b.partner == "au" && b.line == a.line)
        })
        .expect("another partner on one of the AU's lines");
    let other = r.partner(&shared.partner).unwrap().short_name().to_owned();
    assert!(
        head.contains(&format!("{other} ({})", shared.role.describe())),
        "{head}"
    );
}

#[test]
fn every_format_is_made_for_the_partner() {
    let s = guinea();
    let options = for_au(Sensitivity::Confidential);
    let lines = au_lines(&s, Sensitivity::Confidential);
    for format in Format::ALL {
        let bytes = export(&s, format, &options).unwrap_or_else(|e| panic!("{format}: {e}"));
        assert!(!bytes.is_empty(), "{format}");
    }
    // The HXL sheet: the AU's lines first.
    let csv = String::from_utf8(export(&s, Format::Csv, &options).unwrap()).unwrap();
    let third = csv.lines().nth(2).unwrap();
    assert!(third.contains(&lines[0]), "{third}");
    // The workbook: the AU's column first, its lines in the first group.
    let bytes = export(&s, Format::Xlsx, &options).unwrap();
    use calamine::Reader as _;
    let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    let grid = book.worksheet_range("Matrix").unwrap();
    let cell = |r: u32, c: u32| {
        grid.get_value((r, c))
            .map(|d| d.to_string())
            .unwrap_or_default()
    };
    assert!(cell(1, 0).contains("— for African Union"), "{}", cell(1, 0));
    assert_eq!(cell(3, 3), "AU");
    assert_eq!(
        cell(4, 0),
        format!("Lines of effort of AU ({})", lines.len())
    );
    assert_eq!(cell(5, 0), lines[0]);
    let first = s.lines.iter().find(|l| l.title == lines[0]).unwrap();
    let role = s.assignment(&first.id, "au").unwrap().role;
    assert_eq!(cell(5, 3), role.short(), "the AU's role on its first line");
    assert!(
        s.assignments
            .iter()
            .filter(|a| a.partner == "au")
            .all(|a| a.role.rank() >= role.rank()),
        "its first line is its highest role"
    );
    // The Word paper: the section comes right after the opening.
    let docx = export(&s, Format::Docx, &options).unwrap();
    let mut zip = zip::ZipArchive::new(Cursor::new(docx)).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    let section = xml.find("For African Union").expect("the AU's section");
    assert!(section < xml.find("Key actors").unwrap());
    // The PDF paper: the section before the key actors.
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("au.pdf");
    std::fs::write(&pdf, export(&s, Format::Pdf, &options).unwrap()).unwrap();
    let text = Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    let section = text
        .find("For African Union")
        .expect("the AU's section in the PDF");
    assert!(section < text.find("Key actors").unwrap());
    assert!(text.contains("Next steps for African Union"));
    // The calendar's name says for whom.
    let ics = String::from_utf8(export(&s, Format::Ics, &options).unwrap()).unwrap();
    assert!(ics.replace("\r\n ", "").contains("for African Union"));
}

#[test]
fn a_partner_above_the_ceiling_or_unknown_cannot_be_named() {
    let mut s = guinea();
    let au = s.partners.iter_mut().find(|p| p.id == "au").unwrap();
    au.sensitivity = Sensitivity::Confidential;
    for format in Format::ALL {
        for (ceiling, id) in [
            (Sensitivity::Unclassified, "au"),
            (Sensitivity::StrictlyConfidential, "nobody"),
        ] {
            let options = ExportOptions::new(Audience::new(ceiling)).for_partner(Some(id.into()));
            assert!(
                matches!(
                    export(&s, format, &options),
                    Err(ExportError::NoSuchPartner(_))
                ),
                "{format} for {id} at {ceiling}"
            );
        }
    }
    assert!(export(&s, Format::Markdown, &for_au(Sensitivity::Confidential)).is_ok());
}

/// The redaction test file's canaries: none above the ceiling, whoever the paper is for.
#[test]
fn no_canary_leaks_in_a_paper_for_a_partner() {
    let s = tandem::io::parse_situation(include_str!("data/redaction.ron"))
        .unwrap()
        .situation;
    for format in [
        Format::Markdown,
        Format::Html,
        Format::Csv,
        Format::Ics,
        Format::Svg,
    ] {
        let options = ExportOptions::new(Audience::new(Sensitivity::Unclassified))
            .with_notes(true)
            .for_partner(Some("UNCLASS-MARKER-3-au".into()));
        let text = String::from_utf8(export(&s, format, &options).unwrap()).unwrap();
        for canary in ["CONF-MARKER", "STRICT-MARKER"] {
            assert!(!text.contains(canary), "{format}: {canary}");
        }
        assert!(text.contains("UNCLASS-MARKER-3"), "{format}");
    }
}

#[test]
fn the_cli_takes_for_and_names_the_partner_in_its_summary() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("guinea.ron");
    std::fs::write(&file, tandem::samples::GUINEA).unwrap();
    let out = dir.path().join("au.docx");
    let run = Command::new(env!("CARGO_BIN_EXE_tandem"))
        .arg("export")
        .arg(&file)
        .args(["--format", "docx", "--for", "au", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    assert!(stderr.contains("TLP:CLEAR, for African Union;"), "{stderr}");
    assert!(out.exists());
    let run = Command::new(env!("CARGO_BIN_EXE_tandem"))
        .arg("export")
        .arg(&file)
        .args(["--format", "md", "--for", "nobody", "--out"])
        .arg(dir.path().join("x.md"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("no partner \"nobody\""), "{stderr}");
    assert!(
        stderr.contains("partners this audience may see: "),
        "{stderr}"
    );
    assert!(stderr.contains("au"), "{stderr}");
}
