//! Exports: redaction at every ceiling in every format, escaping, CSV/HXL, iCalendar, golden files, CLI.

use std::path::{Path, PathBuf};
use std::process::Command;

use tandem::export::{Audience, ExportError, ExportOptions, Format, Tlp, export, marking, redact};
use tandem::model::{Sensitivity, Situation};

const REDACTION: &str = include_str!("data/redaction.ron");

/// The marker family of each sensitivity in `tests/data/redaction.ron`.
fn family(level: Sensitivity) -> &'static str {
    match level {
        Sensitivity::Unclassified => "UNCLASS-MARKER",
        Sensitivity::Confidential => "CONF-MARKER",
        Sensitivity::StrictlyConfidential => "STRICT-MARKER",
    }
}

fn situation() -> Situation {
    let loaded = tandem::io::parse_situation(REDACTION).unwrap();
    let errors: Vec<_> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.severity == tandem::model::Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    loaded.situation
}

/// The text an export yields for searching: PDF through `pdftotext`, iCalendar unfolded too.
fn searchable(format: Format, bytes: &[u8]) -> Vec<String> {
    match format {
        Format::Pdf => {
            let dir = tempfile::tempdir().unwrap();
            let pdf = dir.path().join("x.pdf");
            std::fs::write(&pdf, bytes).unwrap();
            let out = Command::new("pdftotext")
                .arg("-layout")
                .arg(&pdf)
                .arg("-")
                .output()
                .expect("pdftotext is needed to read PDF exports");
            assert!(out.status.success());
            let text = String::from_utf8(out.stdout).unwrap();
            vec![text.clone(), text.replace(['\n', ' '], "")]
        }
        Format::Ics => {
            let text = String::from_utf8(bytes.to_vec()).unwrap();
            vec![text.clone(), text.replace("\r\n ", "")]
        }
        Format::Xlsx | Format::Docx => vec![package_text(bytes)],
        _ => vec![String::from_utf8(bytes.to_vec()).unwrap()],
    }
}

/// Every part of an Office package (a zip of XML parts), one after the other.
fn package_text(bytes: &[u8]) -> String {
    use std::io::Read as _;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip package");
    let mut out = String::new();
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).unwrap();
        out.push_str(&part.name().unwrap_or_default());
        out.push('\n');
        part.read_to_string(&mut out).unwrap();
        out.push('\n');
    }
    out
}

/// Exports `format`, or `None` while that format is not built yet (the PDF stub).
fn try_export(s: &Situation, format: Format, options: &ExportOptions) -> Option<Vec<u8>> {
    match export(s, format, options) {
        Ok(bytes) => Some(bytes),
        Err(ExportError::NotBuilt(_)) if format == Format::Pdf => None,
        Err(err) => panic!("{format}: {err}"),
    }
}

#[test]
fn no_marker_above_the_ceiling_leaks_and_every_marker_below_it_shows() {
    let s = situation();
    let mut checked = 0;
    for (format, notes) in Format::ALL
        .into_iter()
        .flat_map(|f| [(f, false), (f, true)])
    {
        for ceiling in Sensitivity::ALL.iter().copied() {
            let options = ExportOptions::new(Audience::new(ceiling)).with_notes(notes);
            let Some(bytes) = try_export(&s, format, &options) else {
                continue;
            };
            let raw = String::from_utf8_lossy(&bytes).into_owned();
            // A PNG is the SVG figure of the same options, rasterised: read that SVG.
            let texts = if format == Format::Png {
                assert!(bytes.starts_with(b"\x89PNG"), "not a PNG");
                searchable(Format::Svg, &export(&s, Format::Svg, &options).unwrap())
            } else {
                searchable(format, &bytes)
            };
            for level in Sensitivity::ALL.iter().copied() {
                let marker = family(level);
                if level > ceiling {
                    for text in texts.iter().chain([&raw]) {
                        assert!(
                            !text.contains(marker),
                            "{format} at {ceiling}: {marker} leaked:\n{text}"
                        );
                    }
                    // Nor a lower-cased or slugged copy of an id or a name.
                    let upper = raw.to_uppercase();
                    assert!(
                        !upper.contains(marker),
                        "{format} at {ceiling}: {marker} leaked"
                    );
                } else {
                    assert!(
                        texts.iter().any(|t| t.contains(marker)),
                        "{format} at {ceiling}: {marker} missing:\n{}",
                        texts[0]
                    );
                }
            }
            checked += 1;
        }
    }
    assert!(checked >= 54, "only {checked} exports checked");
}

#[test]
fn briefings_show_every_visible_name_and_note_marker() {
    let s = situation();
    // Names and notes the briefing papers show, per level.
    let shown = [
        (Sensitivity::Unclassified, "Junta UNCLASS-MARKER-3"),
        (Sensitivity::Unclassified, "Stay in power UNCLASS-MARKER-3"),
        (Sensitivity::Unclassified, "Mediation UNCLASS-MARKER-3"),
        (Sensitivity::Unclassified, "ECOWAS UNCLASS-MARKER-3"),
        (Sensitivity::Unclassified, "Unrest UNCLASS-MARKER-3"),
        (Sensitivity::Unclassified, "Event notes UNCLASS-MARKER-3"),
        (Sensitivity::Unclassified, "Election UNCLASS-MARKER-3"),
        (
            Sensitivity::Unclassified,
            "Assignment note UNCLASS-MARKER-3",
        ),
        (Sensitivity::Confidential, "Spoiler CONF-MARKER-1"),
        (Sensitivity::Confidential, "Hidden interests CONF-MARKER-1"),
        (Sensitivity::Confidential, "Quiet talks CONF-MARKER-1"),
        (Sensitivity::Confidential, "Contact group CONF-MARKER-1"),
        (Sensitivity::Confidential, "Discreet visit CONF-MARKER-1"),
        (Sensitivity::Confidential, "Arms cache CONF-MARKER-1"),
        (Sensitivity::Confidential, "Event notes CONF-MARKER-1"),
        (Sensitivity::Confidential, "Assignment note CONF-MARKER-1"),
        (
            Sensitivity::StrictlyConfidential,
            "Informant STRICT-MARKER-2",
        ),
        (
            Sensitivity::StrictlyConfidential,
            "Secret channel STRICT-MARKER-2",
        ),
        (
            Sensitivity::StrictlyConfidential,
            "Back channel STRICT-MARKER-2",
        ),
        (Sensitivity::StrictlyConfidential, "Deal STRICT-MARKER-2"),
        (
            Sensitivity::StrictlyConfidential,
            "Assignment note STRICT-MARKER-2",
        ),
    ];
    for format in [Format::Markdown, Format::Html] {
        for ceiling in Sensitivity::ALL.iter().copied() {
            for notes in [false, true] {
                let options = ExportOptions::new(Audience::new(ceiling)).with_notes(notes);
                let bytes = try_export(&s, format, &options).unwrap();
                let text = String::from_utf8(bytes).unwrap();
                for (level, phrase) in shown {
                    let is_note = phrase.contains("notes ") || phrase.contains("note ");
                    assert_eq!(
                        text.contains(phrase),
                        level <= ceiling && (notes || !is_note),
                        "{format} at {ceiling}, notes {notes}: “{phrase}”"
                    );
                }
            }
        }
    }
}

#[test]
fn redaction_drops_references_and_recounts() {
    let s = situation();
    let (open, report) = redact(&s, Sensitivity::Unclassified);
    assert_eq!(open.actors.len(), 1);
    assert_eq!(open.partners.len(), 2);
    assert_eq!(open.lines.len(), 1);
    assert_eq!(open.events.len(), 2);
    // Only the unclassified lead on the unclassified line survives: the AU support is
    // confidential, the other two name removed partners, the rest sit on removed lines.
    assert_eq!(open.assignments.len(), 1);
    assert_eq!(report.assignments.len(), 6);
    assert_eq!((report.actors.len(), report.partners.len()), (2, 2));
    let line = &open.lines[0];
    assert_eq!(line.actors, vec!["UNCLASS-MARKER-3-junta".to_owned()]);
    let unrest = open.event("UNCLASS-MARKER-3-unrest").unwrap();
    assert_eq!(unrest.actors.len(), 1);
    assert_eq!(unrest.partners.len(), 1);
    assert_eq!(unrest.lines.len(), 1);
    let election = open.event("UNCLASS-MARKER-3-election").unwrap();
    assert_eq!(election.lines.len(), 1);
    // 2 line actors + 2 event actors + 2 partners + 2 lines + 1 line of the election.
    assert_eq!(report.references, 9);
    assert!(report.summary().contains("9 references"));
    // The answer to the warning was confidential: for this audience it is unanswered.
    let summary = tandem::analysis::summary::Summary::of(&open);
    assert_eq!(
        summary.unanswered,
        vec!["UNCLASS-MARKER-3-unrest".to_owned()]
    );
    let md = String::from_utf8(
        export(
            &s,
            Format::Markdown,
            &Audience::new(Sensitivity::Unclassified).into(),
        )
        .unwrap(),
    )
    .unwrap();
    assert!(md.contains("1 actors, 2 partners, 1 lines of effort, 1 assignments, 2 events"));
    assert!(md.contains("No action answers the warning sign"));

    let (all, report) = redact(&s, Sensitivity::StrictlyConfidential);
    assert_eq!(all, s);
    assert!(report.is_empty());
}

#[test]
fn every_page_carries_the_marking() {
    let s = situation();
    let audience = Audience {
        ceiling: Sensitivity::Confidential,
        tlp: Tlp::AmberStrict,
    };
    let mark = marking(&audience, s.as_of);
    assert!(mark.starts_with("TLP:AMBER+STRICT"));
    assert!(mark.contains("2010-10-15"));
    let md = String::from_utf8(export(&s, Format::Markdown, &audience.into()).unwrap()).unwrap();
    let lines: Vec<&str> = md.lines().filter(|l| !l.trim().is_empty()).collect();
    assert!(lines.first().unwrap().contains("TLP:AMBER+STRICT"));
    assert!(lines.last().unwrap().contains("TLP:AMBER+STRICT"));
    let html = String::from_utf8(export(&s, Format::Html, &audience.into()).unwrap()).unwrap();
    let doc = scraper::Html::parse_document(&html);
    for selector in [
        "header.marking",
        "footer.marking",
        ".print-marking.top",
        ".print-marking.bottom",
    ] {
        let sel = scraper::Selector::parse(selector).unwrap();
        let el = doc
            .select(&sel)
            .next()
            .unwrap_or_else(|| panic!("{selector}"));
        assert_eq!(el.text().collect::<String>(), mark);
    }
    assert!(html.contains("@media print") && html.contains("position: fixed"));
    let ics = String::from_utf8(export(&s, Format::Ics, &audience.into()).unwrap()).unwrap();
    assert!(
        ics.replace("\r\n ", "")
            .contains(&format!("X-WR-CALDESC:{mark}"))
    );
}

fn hostile() -> Situation {
    let mut s = situation();
    s.title = "<script>alert(1)</script>".into();
    s.summary = "\"><img src=x onerror=alert(1)>".into();
    s.actors[0].name = "<script>alert(1)</script>".into();
    s.actors[0].interests = "\"><img src=x onerror=alert(1)>".into();
    s.partners[0].name = "<b>bold</b> & <i>co</i>".into();
    s.lines[0].title = "\"><img src=x onerror=alert(1)>".into();
    s.events[0].title = "<script>alert(1)</script>".into();
    s.events[0].notes = "'><svg onload=alert(1)>".into();
    s.assignments[0].note = "<iframe src=x></iframe>".into();
    s
}

#[test]
fn html_shows_user_markup_as_text() {
    let s = hostile();
    let options = ExportOptions::new(Audience::default()).with_notes(true);
    let html = String::from_utf8(export(&s, Format::Html, &options).unwrap()).unwrap();
    let doc = scraper::Html::parse_document(&html);
    for tag in ["script", "img", "svg", "iframe", "b", "i"] {
        let sel = scraper::Selector::parse(tag).unwrap();
        assert_eq!(
            doc.select(&sel).count(),
            0,
            "a <{tag}> element came from user text"
        );
    }
    let text: String = doc.root_element().text().collect();
    for phrase in [
        "<script>alert(1)</script>",
        "\"><img src=x onerror=alert(1)>",
        "<b>bold</b> & <i>co</i>",
        "'><svg onload=alert(1)>",
        "<iframe src=x></iframe>",
    ] {
        assert!(text.contains(phrase), "{phrase} not shown as text");
    }
    // The only elements with attributes are ours: no on* handler anywhere.
    let all = scraper::Selector::parse("*").unwrap();
    for el in doc.select(&all) {
        for (name, _) in el.value().attrs() {
            assert!(
                !name.starts_with("on"),
                "attribute {name} on <{}>",
                el.value().name()
            );
        }
    }
}

#[test]
fn markdown_escapes_user_markup() {
    let s = hostile();
    let md = String::from_utf8(export(&s, Format::Markdown, &Audience::default().into()).unwrap())
        .unwrap();
    assert!(!md.contains("<script>"));
    assert!(!md.contains("<img"));
    assert!(!md.contains("<iframe"));
    assert!(md.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
}

fn read_csv(bytes: &[u8]) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(bytes)
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

#[test]
fn csv_reads_back_with_hxl_row_second_and_no_formulas() {
    let mut s = situation();
    s.lines[0].title = "=HYPERLINK(\"http://x\",\"click\")".into();
    s.partners[0].name = "+cmd|' /C calc'!A0".into();
    s.lines[0].id = "-2+3".into();
    for a in &mut s.assignments {
        if a.line == "UNCLASS-MARKER-3-mediation" {
            a.line = "-2+3".into();
        }
    }
    s.partners[1].name = "@SUM(A1:A9), \"quoted\"\nsecond line".into();
    s.assignments[1].sensitivity = Sensitivity::Unclassified;
    let bytes = export(&s, Format::Csv, &Audience::default().into()).unwrap();
    let rows = read_csv(&bytes);
    assert_eq!(rows.len(), 4, "{rows:?}");
    assert_eq!(rows[0][0], "Line of effort code");
    assert_eq!(
        rows[1],
        [
            "#activity+code",
            "#activity+name",
            "#sector",
            "#org+name",
            "#org+type",
            "#x_role",
            "#x_step",
            "#status",
            "#date+start",
            "#date+end",
            "#country+code",
            "#adm1+name",
            "#loc+name",
            "#geo+lat",
            "#geo+lon"
        ]
    );
    for row in &rows[2..] {
        assert_eq!(row.len(), 15);
        for cell in row {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "formula-like cell {cell:?}"
            );
        }
    }
    let lead = &rows[2];
    assert_eq!(lead[0], "'-2+3");
    assert_eq!(lead[1], "'=HYPERLINK(\"http://x\",\"click\")");
    assert_eq!(
        lead[2], "Mediation support team",
        "the line's instrument as its sector"
    );
    assert_eq!(lead[3], "'+cmd|' /C calc'!A0");
    assert_eq!(lead[5], "lead");
    assert_eq!(lead[8], "2010-01");
    assert_eq!(lead[10], "GIN");
    let support = &rows[3];
    assert_eq!(support[3], "'@SUM(A1:A9), \"quoted\"\nsecond line");
    assert_eq!(support[5], "support");
}

#[test]
fn csv_numbers_sequential_steps() {
    let s = situation();
    let bytes = export(
        &s,
        Format::Csv,
        &Audience::new(Sensitivity::StrictlyConfidential).into(),
    )
    .unwrap();
    let rows = read_csv(&bytes);
    let seq: Vec<_> = rows.iter().filter(|r| r[5] == "sequential").collect();
    assert_eq!(seq.len(), 1);
    assert_eq!(seq[0][6], "1");
    assert_eq!(rows.len() - 2, s.assignments.len());
}

#[test]
fn icalendar_parses_back_with_dates_and_class() {
    use icalendar::{Class, Component as _, DatePerhapsTime, EventLike as _};
    let s = situation();
    let date = |y, m, d| DatePerhapsTime::Date(chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap());
    for ceiling in Sensitivity::ALL.iter().copied() {
        let bytes = export(&s, Format::Ics, &Audience::new(ceiling).into()).unwrap();
        let text = String::from_utf8(bytes).unwrap();
        for line in text.split("\r\n") {
            assert!(line.len() <= 75, "line of {} octets: {line}", line.len());
        }
        assert!(!text.replace("\r\n", "").contains('\n'), "bare LF");
        let cal: icalendar::Calendar = text.parse().unwrap();
        let (redacted, _) = redact(&s, ceiling);
        let events: Vec<_> = cal.events().collect();
        assert_eq!(events.len(), redacted.events.len());
        assert_eq!(cal.property_value("VERSION"), Some("2.0"));
        assert!(cal.property_value("PRODID").is_some());
        for e in &events {
            let uid = e.get_uid().unwrap();
            assert!(uid.ends_with("@redaction-test.tandem"), "{uid}");
            let id = uid.trim_end_matches("@redaction-test.tandem");
            let source = redacted.event(id).unwrap();
            let class = e.get_class().unwrap();
            let want = match source.sensitivity {
                Sensitivity::Unclassified => Class::Public,
                Sensitivity::Confidential => Class::Confidential,
                Sensitivity::StrictlyConfidential => Class::Private,
            };
            assert_eq!(class, want, "{id}");
            assert_eq!(
                e.get_categories(),
                Some(vec![source.kind.label().to_owned()])
            );
            let (start, end) = (e.get_start().unwrap(), e.get_end().unwrap());
            match id {
                "UNCLASS-MARKER-3-unrest" => {
                    assert_eq!((start, end), (date(2010, 9, 1), date(2010, 9, 2)));
                }
                "CONF-MARKER-1-visit" => {
                    assert_eq!((start, end), (date(2010, 9, 1), date(2010, 10, 1)));
                    assert!(e.get_description().unwrap().contains("to the month"));
                }
                "STRICT-MARKER-2-deal" => {
                    assert_eq!((start, end), (date(2010, 9, 20), date(2010, 9, 23)));
                }
                "CONF-MARKER-1-cache" => {
                    assert_eq!((start, end), (date(2010, 1, 1), date(2011, 1, 1)));
                    assert!(e.get_description().unwrap().contains("to the year"));
                }
                "UNCLASS-MARKER-3-election" => {
                    assert_eq!((start, end), (date(2010, 11, 7), date(2010, 11, 8)));
                }
                other => panic!("unexpected event {other}"),
            }
            assert!(text.contains("DTSTAMP:20101015T000000Z"));
        }
    }
}

#[test]
fn icalendar_escapes_text() {
    let mut s = situation();
    s.events[0].title = "Talks; Conakry, Guinea\\ \nday two".into();
    let text =
        String::from_utf8(export(&s, Format::Ics, &Audience::default().into()).unwrap()).unwrap();
    let unfolded = text.replace("\r\n ", "");
    assert!(unfolded.contains("SUMMARY:Talks\\; Conakry\\, Guinea\\\\ \\nday two"));
    let cal: icalendar::Calendar = text.parse().unwrap();
    assert_eq!(cal.events().count(), 2);
}

fn golden(name: &str, actual: &[u8]) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read(&path)
        .unwrap_or_else(|_| panic!("{} missing: run with UPDATE_GOLDEN=1", path.display()));
    assert!(
        expected == actual,
        "{name} differs from the golden file; if the change is intended, run with UPDATE_GOLDEN=1\n--- actual ---\n{}",
        String::from_utf8_lossy(actual)
    );
}

#[test]
fn golden_files() {
    let guinea = tandem::io::parse_situation(tandem::samples::GUINEA)
        .unwrap()
        .situation;
    let redaction = situation();
    for (stem, s) in [("guinea", &guinea), ("redaction", &redaction)] {
        for ceiling in [Sensitivity::Unclassified, Sensitivity::Confidential] {
            let audience = Audience::new(ceiling);
            let level = match ceiling {
                Sensitivity::Unclassified => "unclassified",
                _ => "confidential",
            };
            for format in [Format::Markdown, Format::Csv] {
                let bytes = export(s, format, &audience.into()).unwrap();
                golden(&format!("{stem}-{level}.{}", format.extension()), &bytes);
            }
        }
    }
}

fn tandem_cmd() -> Command {
    Command::new(env!("CARGO_BIN_EXE_tandem"))
}

fn write_redaction(dir: &Path) -> PathBuf {
    let path = dir.join("redaction.ron");
    std::fs::write(&path, REDACTION).unwrap();
    path
}

#[test]
fn cli_writes_every_format_and_reports_what_was_left_out() {
    let dir = tempfile::tempdir().unwrap();
    let file = write_redaction(dir.path());
    for format in ["md", "html", "csv", "ics"] {
        let out = dir.path().join(format!("out.{format}"));
        let run = tandem_cmd()
            .args(["export"])
            .arg(&file)
            .args(["--format", format, "--out"])
            .arg(&out)
            .output()
            .unwrap();
        assert!(
            run.status.success(),
            "{format}: {}",
            String::from_utf8_lossy(&run.stderr)
        );
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(stderr.contains("left out above unclassified"), "{stderr}");
        assert!(
            !stderr.contains("MARKER"),
            "names must not be printed: {stderr}"
        );
        let bytes = std::fs::read(&out).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(text.contains("UNCLASS-MARKER"));
        assert!(!text.contains("CONF-MARKER") && !text.contains("STRICT-MARKER"));
        if format == "md" {
            assert!(text.contains("TLP:CLEAR"), "default label for unclassified");
        }
    }
    let out = dir.path().join("conf.md");
    let run = tandem_cmd()
        .arg("export")
        .arg(&file)
        .args([
            "--format",
            "md",
            "--max-sensitivity",
            "confidential",
            "--tlp",
            "amber+strict",
            "--out",
        ])
        .arg(&out)
        .output()
        .unwrap();
    assert!(run.status.success());
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("TLP:AMBER+STRICT — Confidential and below — as of 2010-10-15"));
    assert!(text.contains("CONF-MARKER") && !text.contains("STRICT-MARKER"));
}

#[test]
fn cli_refuses_bad_input_with_clear_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let file = write_redaction(dir.path());
    let out = dir.path().join("out.md");
    let status = |args: &[&str], input: &Path| {
        let run = tandem_cmd()
            .arg("export")
            .arg(input)
            .args(args)
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap();
        (
            run.status.code(),
            String::from_utf8_lossy(&run.stderr).into_owned(),
        )
    };
    let (code, err) = status(&["--format", "odt"], &file);
    assert_eq!(code, Some(2));
    assert!(err.contains("(expected md, html, pdf, "), "{err}");
    let (code, err) = status(&["--format", "md", "--tlp", "orange"], &file);
    assert_eq!(code, Some(2));
    assert!(err.contains("amber+strict"), "{err}");
    let (code, _) = status(&["--format", "md", "--max-sensitivity", "secret"], &file);
    assert_eq!(code, Some(2));
    let (code, err) = status(&["--format", "md"], &dir.path().join("missing.ron"));
    assert_eq!(code, Some(2));
    assert!(err.contains("missing.ron"), "{err}");
    let broken = dir.path().join("broken.ron");
    std::fs::write(
        &broken,
        REDACTION.replace(
            "\"CONF-MARKER-1-spoiler\", \"STRICT",
            "\"nobody\", \"STRICT",
        ),
    )
    .unwrap();
    let (code, err) = status(&["--format", "md"], &broken);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        !out.exists(),
        "nothing is written when the export is refused"
    );
    let (code, _) = status(&["--format", "md"], &file);
    assert_eq!(code, Some(0));
    assert!(out.exists());
}

const MENTIONS: &str = r#"(
    schema: 1,
    title: "Guinea, mentions",
    as_of: "2009-11-01",
    actors: [
        (id: "junta", name: "CNDD junta", kind: DeFactoAuthority, stance: Resistant, influence: High, sensitivity: Confidential),
        (id: "fv", name: "Forces vives", kind: Opposition, stance: Open, influence: High),
    ],
    partners: [
        (id: "ecowas", name: "Economic Community of West African States", acronym: "ECOWAS", category: Subregional),
        (id: "icg", name: "International Contact Group on Guinea", acronym: "ICG-G", category: MemberState, sensitivity: Confidential),
    ],
    lines: [
        (id: "mediation", title: "Mediation", instrument: SpecialEnvoy, track: I, status: Active, notes: "Agreed with the ICG-G in October."),
    ],
    events: [
        (id: "talks", title: "Talks in Ouagadougou", kind: DiplomaticAction, date: "2009-10-05", notes: "The cndd junta sends a delegation."),
        (id: "quiet", title: "Quiet contacts", kind: DiplomaticAction, date: "2009-10-06", sensitivity: Confidential),
    ],
)"#;

/// Redaction removes items, not prose: the report lists kept text that still names a
/// left-out item (names in any case, acronyms as written), and the CLI warns with the
/// places only — never the left-out names.
#[test]
fn an_events_description_that_names_a_left_out_item_is_reported() {
    let mut s = tandem::io::parse_situation(MENTIONS).unwrap().situation;
    let talks = s
        .events
        .iter_mut()
        .find(|e| e.title == "Talks in Ouagadougou")
        .unwrap();
    talks.notes.clear();
    talks.description = "The CNDD junta walked out.".into();
    let (_, report) = redact(&s, Sensitivity::Unclassified);
    assert!(
        report
            .mentions
            .iter()
            .any(|m| m.place == "event “Talks in Ouagadougou” (description)"),
        "{:?}",
        report.mentions
    );
}

#[test]
fn kept_text_that_names_a_left_out_item_is_reported() {
    let s = tandem::io::parse_situation(MENTIONS).unwrap().situation;
    let (_, report) = redact(&s, Sensitivity::Unclassified);
    let found: Vec<(&str, &str)> = report
        .mentions
        .iter()
        .map(|m| (m.place.as_str(), m.name.as_str()))
        .collect();
    assert_eq!(
        found,
        vec![
            ("line of effort “Mediation” (notes)", "ICG-G"),
            ("event “Talks in Ouagadougou” (notes)", "CNDD junta"),
        ]
    );
    assert!(
        report
            .summary()
            .contains("2 texts that still name left-out items")
    );
    let (_, everything) = redact(&s, Sensitivity::StrictlyConfidential);
    assert!(everything.mentions.is_empty());

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("mentions.ron");
    std::fs::write(&file, MENTIONS).unwrap();
    let run = tandem_cmd()
        .arg("export")
        .arg(&file)
        .args(["--format", "md", "--notes", "--out"])
        .arg(dir.path().join("out.md"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    assert!(
        stderr.contains("event “Talks in Ouagadougou” (notes) still names an item left out"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("CNDD") && !stderr.contains("ICG-G"),
        "{stderr}"
    );
}

/// Internal notes stay in the house unless the user includes them: left out by default in
/// every format, included with `--notes`, and the choice is in the summary line.
#[test]
fn notes_are_left_out_unless_included() {
    let dir = tempfile::tempdir().unwrap();
    let file = write_redaction(dir.path());
    for format in ["md", "html", "pdf", "docx", "xlsx", "csv", "ics"] {
        for notes in [false, true] {
            let out = dir.path().join(format!("notes-{notes}.{format}"));
            let mut cmd = tandem_cmd();
            cmd.arg("export")
                .arg(&file)
                .args(["--format", format, "--out"])
                .arg(&out);
            if notes {
                cmd.arg("--notes");
            }
            let run = cmd.output().unwrap();
            let stderr = String::from_utf8_lossy(&run.stderr);
            assert!(run.status.success(), "{format}: {stderr}");
            let said = if notes {
                "internal notes included"
            } else {
                "internal notes left out"
            };
            assert!(stderr.contains(&format!("; {said})")), "{format}: {stderr}");
            let text =
                searchable(format.parse().unwrap(), &std::fs::read(&out).unwrap()).join("\n");
            for note in [
                "Actor notes",
                "Partner notes",
                "Line notes",
                "Assignment note",
                "Event notes",
            ] {
                if !notes {
                    assert!(!text.contains(note), "{format}: {note} without --notes");
                }
            }
            if notes && matches!(format, "md" | "html" | "pdf" | "docx" | "xlsx" | "ics") {
                assert!(text.contains("Event notes UNCLASS-MARKER-3"), "{format}");
            }
        }
    }
    let (_, report) = tandem::export::prepare(&situation(), &Audience::default().into());
    assert_eq!(report.notes_left_out, Some(6), "the unclassified notes");
}
