//! Any text of any length, in any field, exports in every format in bounded time and memory:
//! a 930-character organisation name from a country office's sheet, a megabyte name, a word
//! longer than a page, a matrix of 300 partners.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use tandem::export::{Audience, ExportOptions, Format, export, long_text::SECTION_TITLE};
use tandem::model::{
    Actor, ActorKind, Assignment, Event, EventKind, Influence, Instrument, LineOfEffort,
    PartialDate, Partner, PartnerCategory, Role, Sensitivity, Situation, Stance, Status, Track,
};

/// The body text of a PDF, whitespace collapsed to single spaces, pages joined without their
/// marking lines and page numbers (so that a text running over pages reads whole).
fn pdf_text(pdf: &[u8], dir: &Path) -> String {
    let input = dir.join("paper.pdf");
    std::fs::write(&input, pdf).unwrap();
    let out = Command::new("pdftotext")
        .arg("-enc")
        .arg("UTF-8")
        .arg(&input)
        .arg("-")
        .output()
        .expect("pdftotext must be installed (apt-get install poppler-utils)");
    assert!(out.status.success(), "pdftotext failed on the PDF");
    let text = String::from_utf8_lossy(&out.stdout);
    let furniture = |line: &str| {
        let line = line.trim();
        line.contains("TLP:CLEAR")
            || line.contains("Unclassified only — as of")
            || (line.starts_with("Page ")
                && line.contains(" of ")
                && line.ends_with(char::is_numeric))
    };
    let body: Vec<&str> = text.lines().filter(|l| !furniture(l)).collect();
    normalise(&body.join("\n"))
}

fn normalise(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Ordinary words, about `bytes` long: no word is long, nothing repeats exactly.
fn words(bytes: usize, seed: &str) -> String {
    const WORDS: [&str; 12] = [
        "mediation",
        "support",
        "regional",
        "office",
        "dialogue",
        "partners",
        "transition",
        "electoral",
        "commission",
        "community",
        "security",
        "women's",
    ];
    let mut out = String::with_capacity(bytes + 16);
    out.push_str(seed);
    let mut i = 0usize;
    while out.len() < bytes {
        out.push(' ');
        out.push_str(WORDS[(i * 7 + i / 12) % WORDS.len()]);
        i += 1;
    }
    out
}

fn partner(id: &str, name: String, acronym: &str) -> Partner {
    Partner {
        id: id.into(),
        name,
        acronym: acronym.into(),
        category: PartnerCategory::CivilSociety,
        instruments: Vec::new(),
        notes: String::new(),
        sensitivity: Sensitivity::Unclassified,
    }
}

fn line(id: &str, title: String) -> LineOfEffort {
    LineOfEffort {
        id: id.into(),
        title,
        instrument: Instrument::GoodOffices,
        sector: String::new(),
        track: Track::I,
        status: Status::Active,
        start: None,
        end: None,
        actors: Vec::new(),
        notes: String::new(),
        sensitivity: Sensitivity::Unclassified,
        places: Vec::new(),
    }
}

fn assignment(line: &str, partner: &str, role: Role) -> Assignment {
    Assignment {
        line: line.into(),
        partner: partner.into(),
        role,
        note: String::new(),
        sensitivity: Sensitivity::Unclassified,
        places: Vec::new(),
    }
}

/// A situation whose every text field holds `size` bytes of ordinary words, and a few hold a
/// single word of 20,000 letters (longer than a page).
fn huge(size: usize) -> Situation {
    let as_of: PartialDate = "2010-06-30".parse().unwrap();
    let mut s = Situation::new(words(size, "Title"), as_of);
    s.summary = words(size, "Summary");
    s.region = "x".repeat(20_000);
    s.countries = vec!["GIN".into()];
    s.actors.push(Actor {
        id: "actor".into(),
        name: words(size, "Actor"),
        kind: ActorKind::CivilSociety,
        stance: Stance::Open,
        influence: Influence::High,
        interests: words(size, "Interests"),
        notes: words(size, "Notes"),
        sensitivity: Sensitivity::Unclassified,
        place: None,
        aliases: Vec::new(),
    });
    s.partners.push(partner("long", words(size, "Partner"), ""));
    s.partners.push(partner("word", "y".repeat(20_000), ""));
    s.partners.push(partner("au", "African Union".into(), "AU"));
    s.lines.push(line("line", words(size, "Line")));
    s.lines.push(line("other", "Electoral assistance".into()));
    for (l, p, role) in [
        ("line", "long", Role::Lead),
        ("line", "word", Role::Support),
        ("other", "long", Role::Support),
        ("other", "au", Role::Lead),
    ] {
        let mut a = assignment(l, p, role);
        a.note = words(size / 4, "Assignment note");
        s.assignments.push(a);
    }
    s.events.push(Event {
        id: "event".into(),
        title: words(size, "Event"),
        kind: EventKind::ThresholdMoment,
        date: "2010-06-27".parse().unwrap(),
        end: None,
        actors: vec!["actor".into()],
        partners: vec!["long".into(), "word".into()],
        lines: vec!["line".into()],
        answers: Vec::new(),
        source: words(size, "Source"),
        notes: words(size, "Event notes"),
        sensitivity: Sensitivity::Unclassified,
        fatalities: None,
        place: None,
        description: String::new(),
    });
    s
}

/// Exports every format and checks the time each takes and the size each writes.
fn export_all(s: &Situation, per_format: Duration) -> Vec<(Format, Vec<u8>)> {
    let input: usize = tandem::io::to_ron(s).map(|t| t.len()).unwrap_or(0);
    Format::ALL
        .iter()
        .map(|&format| {
            let start = Instant::now();
            let bytes = export(
                s,
                format,
                &ExportOptions::new(Audience::new(Sensitivity::Unclassified)).with_notes(true),
            )
            .unwrap_or_else(|e| panic!("{format}: {e}"));
            let took = start.elapsed();
            assert!(took < per_format, "{format} took {took:?}");
            assert!(
                bytes.len() < 40 * input + 1_000_000,
                "{format}: {} bytes from {input}",
                bytes.len()
            );
            (format, bytes)
        })
        .collect()
}

#[test]
fn a_megabyte_in_every_field_exports_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let s = huge(1_000_000);
    for (format, bytes) in export_all(&s, Duration::from_secs(120)) {
        if format != Format::Pdf {
            continue;
        }
        let text = pdf_text(&bytes, dir.path());
        assert!(text.contains(SECTION_TITLE));
        // The name is shortened in the tables and given whole once, at the end.
        let name = normalise(&s.partners[0].name);
        let whole = text
            .find(&name)
            .expect("the partner's whole name is in the paper");
        assert!(whole > text.find(SECTION_TITLE).unwrap_or(usize::MAX));
        assert_eq!(text.matches(&name).count(), 1);
        // The word longer than a page is broken inside, and all of it is there.
        assert!(text.replace(' ', "").contains(&"y".repeat(20_000)));
    }
}

#[test]
fn hundreds_of_kilobytes_read_back_in_the_papers() {
    let s = huge(100_000);
    for (format, bytes) in export_all(&s, Duration::from_secs(60)) {
        let text = String::from_utf8_lossy(&bytes);
        match format {
            Format::Markdown | Format::Html => {
                assert!(text.contains(SECTION_TITLE), "{format}");
                let name = if format == Format::Html {
                    tandem::export::html::escape(&s.partners[0].name)
                } else {
                    tandem::export::markdown::escape(&s.partners[0].name)
                };
                assert!(text.contains(&name), "{format}: whole name");
                let marker = if format == Format::Markdown {
                    "\\[1\\]"
                } else {
                    "[1]"
                };
                let short = text.find(marker).expect("a marker");
                assert!(short < text.find(SECTION_TITLE).unwrap_or(0));
            }
            Format::Csv => assert!(text.contains(&s.partners[0].name), "CSV keeps data whole"),
            Format::Ics => {
                for line in text.split("\r\n") {
                    assert!(line.len() <= 75, "a line of {} octets", line.len());
                }
                let cal: icalendar::Calendar = text.parse().unwrap();
                assert_eq!(cal.components.len(), 1);
                let unfolded = text.replace("\r\n ", "");
                assert!(unfolded.contains("shortened for calendars"));
            }
            Format::Svg => {
                // Names shortened to fit the figure, with a footnote saying so.
                assert!(text.contains("Names shortened to fit"), "{format}");
                assert!(!text.contains(&s.partners[0].name[..5_000]), "{format}");
            }
            Format::Xlsx => {
                // Over Excel's 32,767 characters a cell: cut there, whole at the end.
                let partners = xlsx_sheet(&bytes, "Partners");
                let cut = &partners[2][0];
                let (kept, note) = cut.rsplit_once("… ").expect("a marker");
                assert!(s.partners[0].name.starts_with(kept), "{format}");
                let whole: String = xlsx_sheet(&bytes, "Shortened texts in full")
                    .iter()
                    .filter(|r| r[0] == note || r[0] == format!("{note} cont."))
                    .map(|r| r[1].as_str())
                    .collect();
                assert_eq!(whole, s.partners[0].name);
            }
            Format::Docx => {
                let body = docx_text(&bytes);
                assert!(body.contains(SECTION_TITLE), "{format}");
                assert!(body.contains(&s.partners[0].name), "{format}: whole name");
            }
            Format::Pdf | Format::Png => {}
        }
    }
}

/// The matrix of 300 partners: balanced tables of several columns, none of them alone.
#[test]
fn three_hundred_partners_make_balanced_matrix_tables() {
    let dir = tempfile::tempdir().unwrap();
    let as_of: PartialDate = "2010-06-30".parse().unwrap();
    let mut s = Situation::new("Three hundred partners", as_of);
    for l in 0..3 {
        s.lines
            .push(line(&format!("l{l}"), format!("Line of effort {l}")));
    }
    for p in 0..300 {
        let id = format!("p{p:03}");
        s.partners.push(partner(
            &id,
            format!("Partner organisation number {p:03} of the regional platform"),
            "",
        ));
        s.assignments
            .push(assignment(&format!("l{}", p % 3), &id, Role::Support));
    }
    let all = export_all(&s, Duration::from_secs(60));
    let pdf = &all.iter().find(|(f, _)| *f == Format::Pdf).unwrap().1;
    let text = pdf_text(pdf, dir.path());
    let runs: Vec<(usize, usize)> = text
        .match_indices("Partners ")
        .filter_map(|(i, _)| {
            let rest = text.get(i + 9..)?;
            let (range, _) = rest.split_once(" of 300")?;
            let (a, b) = range.split_once('–')?;
            Some((a.parse().ok()?, b.parse().ok()?))
        })
        .collect();
    assert!(runs.len() >= 2, "{runs:?}");
    assert_eq!(runs.first().map(|r| r.0), Some(1));
    assert_eq!(runs.last().map(|r| r.1), Some(300));
    let sizes: Vec<usize> = runs.iter().map(|(a, b)| b + 1 - a).collect();
    let (min, max) = (sizes.iter().min().unwrap(), sizes.iter().max().unwrap());
    assert!(max - min <= 1 && *min >= 2, "uneven tables: {sizes:?}");
    for (a, b) in runs.windows(2).map(|w| (w[0], w[1])) {
        assert_eq!(a.1 + 1, b.0, "runs follow each other");
    }
    // Heads that do not fit are abbreviated (here to "P000"…), never broken letter by letter,
    // and the key spells them out.
    assert!(text.contains("P000: Partner organisation number 000 of the regional platform"));
    assert!(
        text.contains("Column heads shortened:"),
        "{}",
        &text[..2000]
    );
    let html = String::from_utf8_lossy(&all.iter().find(|(f, _)| *f == Format::Html).unwrap().1)
        .into_owned();
    assert_eq!(html.matches("<th>").count(), 301);
    let svg = String::from_utf8_lossy(&all.iter().find(|(f, _)| *f == Format::Svg).unwrap().1)
        .into_owned();
    assert!(svg.contains("Showing 3 of 3 lines of effort and 60 of 300 partners"));
}

/// The sheet the issue came from: a country office's 3W whose consortium has a 930-character
/// name, imported, then exported in every format by the command line.
#[test]
fn an_imported_sheet_with_a_930_character_name_exports_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let sheet = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/3w-long-names.csv");
    let file = dir.path().join("imported.ron");
    let run = Command::new(env!("CARGO_BIN_EXE_tandem"))
        .args(["import", "--format", "hxl"])
        .arg(&sheet)
        .arg("--out")
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let loaded = tandem::io::load_file(&file).unwrap();
    let long = loaded
        .situation
        .partners
        .iter()
        .find(|p| p.name.chars().count() >= 900)
        .expect("the consortium's whole name was imported");
    let name = normalise(&long.name);
    for format in Format::ALL {
        let out = dir.path().join(format!("out.{}", format.extension()));
        let start = Instant::now();
        let run = Command::new(env!("CARGO_BIN_EXE_tandem"))
            .arg("export")
            .arg(&file)
            .args(["--format", format.extension(), "--out"])
            .arg(&out)
            .output()
            .unwrap();
        assert!(
            run.status.success(),
            "{format}: {}",
            String::from_utf8_lossy(&run.stderr)
        );
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "{format} took {:?}",
            start.elapsed()
        );
        if format == Format::Pdf {
            let text = pdf_text(&std::fs::read(&out).unwrap(), dir.path());
            assert_eq!(text.matches(&name).count(), 1, "the whole name, once");
            assert!(
                text.contains("Consortium…: Consortium pour la Paix"),
                "the key gives the head in full: {text}"
            );
        }
    }
}

/// The cells of one sheet of a workbook, as text.
fn xlsx_sheet(bytes: &[u8], name: &str) -> Vec<Vec<String>> {
    use calamine::Reader as _;
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let range = book.worksheet_range(name).unwrap();
    range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

/// The text of the Word paper's body, its XML parsed.
fn docx_text(bytes: &[u8]) -> String {
    use std::io::Read as _;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    let doc = roxmltree::Document::parse_with_options(
        &xml,
        roxmltree::ParsingOptions {
            nodes_limit: u32::MAX,
            ..Default::default()
        },
    )
    .unwrap();
    doc.descendants()
        .filter(|n| n.tag_name().name() == "t")
        .filter_map(|n| n.text())
        .collect()
}
