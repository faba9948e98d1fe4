//! The workbook read back with calamine: every cell of the matrix with its colour, the HXL
//! sheet imported back, the marking in every sheet, dates, notes and long texts.

use std::collections::BTreeSet;
use std::io::{Cursor, Read as _};

use calamine::{Data, Reader as _, Xlsx, open_workbook_from_rs};
use tandem::export::{Audience, ExportOptions, Format, export, marking};
use tandem::model::{Event, EventKind, Partner, PartnerCategory, Role, Sensitivity, Situation};

fn guinea() -> Situation {
    tandem::io::parse_situation(tandem::samples::GUINEA)
        .unwrap()
        .situation
}

fn all_of(ceiling: Sensitivity) -> ExportOptions {
    ExportOptions::new(Audience::new(ceiling)).with_notes(true)
}

fn workbook(s: &Situation, options: &ExportOptions) -> (Vec<u8>, Xlsx<Cursor<Vec<u8>>>) {
    let bytes = export(s, Format::Xlsx, options).unwrap();
    let book = open_workbook_from_rs(Cursor::new(bytes.clone())).unwrap();
    (bytes, book)
}

fn text(cell: Option<&Data>) -> String {
    match cell {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Empty) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

/// The rows of a sheet from its first row (A1), as text.
fn rows(book: &mut Xlsx<Cursor<Vec<u8>>>, sheet: &str) -> Vec<Vec<String>> {
    let range = book.worksheet_range(sheet).unwrap();
    assert_eq!(range.start(), Some((0, 0)), "{sheet} starts at A1");
    range
        .rows()
        .map(|r| r.iter().map(|c| text(Some(c))).collect())
        .collect()
}

/// The XML of one part of the package.
fn part(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut out = String::new();
    zip.by_name(name).unwrap().read_to_string(&mut out).unwrap();
    out
}

#[test]
fn the_matrix_sheet_holds_every_role_in_its_colour() {
    let s = guinea();
    let (_, mut book) = workbook(&s, &all_of(Sensitivity::StrictlyConfidential));
    assert_eq!(
        book.sheet_names(),
        [
            "Matrix",
            "Who does what",
            "Lines of effort",
            "Actors",
            "Partners",
            "Timeline"
        ]
    );
    let grid = rows(&mut book, "Matrix");
    let styles = book.worksheet_style("Matrix").unwrap();
    let heads = &grid[3];
    assert_eq!(heads[..3], ["Line of effort", "Instrument", "Status"]);
    assert_eq!(heads.last().unwrap(), "Problems");
    // Partners grouped by category under their bands, every partner once.
    assert_eq!(heads.len(), 3 + s.partners.len() + 1);
    let bands = &grid[2];
    assert_eq!(
        bands[3],
        s.partners
            .iter()
            .map(|p| p.category)
            .min_by_key(|c| { PartnerCategory::ALL.iter().position(|x| x == c) })
            .unwrap()
            .label()
    );
    // A head that is not the partner's short name is in the key under the matrix.
    let key_at = grid
        .iter()
        .position(|r| r[0] == "Partners' heads in full")
        .unwrap_or(grid.len());
    let partner_of = |head: &str| -> &Partner {
        let name = grid[key_at..]
            .iter()
            .find(|r| r[0] == head)
            .map(|r| r[1].as_str());
        s.partners
            .iter()
            .find(|p| name.map_or(p.short_name() == head, |n| p.name == n))
            .unwrap_or_else(|| panic!("no partner heads a column: {head}"))
    };
    let mut roles = 0;
    for (r, row) in grid.iter().enumerate().skip(4) {
        let Some(line) = s.lines.iter().find(|l| l.title == row[0]) else {
            continue;
        };
        for (c, cell) in row.iter().enumerate().skip(3).take(s.partners.len()) {
            let partner = partner_of(&heads[c]);
            let expected = s.assignment(&line.id, &partner.id).map(|a| a.role);
            assert_eq!(
                (!cell.is_empty()).then_some(cell.as_str()),
                expected.map(Role::short).as_deref(),
                "{} × {}",
                line.title,
                partner.name
            );
            if let Some(role) = expected {
                roles += 1;
                let fill = styles
                    .get((r as u32, c as u32))
                    .and_then(|st| st.fill.as_ref())
                    .and_then(|f| f.get_color())
                    .expect("a role cell is filled");
                let want = tandem::palette::role(role);
                assert_eq!((fill.red, fill.green, fill.blue), (want.0, want.1, want.2));
            }
        }
        assert_eq!(row[2], line.status.label());
    }
    assert_eq!(roles, s.assignments.len(), "every assignment has its cell");
    // Grouped by instrument, as the app does: a band names each instrument with its count.
    let first_group = &grid[4][0];
    assert!(first_group.ends_with(')'), "{first_group}");
    // The legend under the matrix.
    assert!(grid.iter().any(|r| r[0] == "L  Lead"));
}

#[test]
fn a_lines_problems_stand_in_its_row() {
    let mut s = guinea();
    let line = s.lines[0].id.clone();
    s.assignments.retain(|a| a.line != line);
    let (_, mut book) = workbook(&s, &all_of(Sensitivity::StrictlyConfidential));
    let grid = rows(&mut book, "Matrix");
    let row = grid.iter().find(|r| r[0] == s.lines[0].title).unwrap();
    let problems = row.last().unwrap();
    assert!(problems.contains("no partner"), "{problems}");
}

#[test]
fn the_matrix_is_frozen_filtered_and_printed_on_a4_with_the_marking() {
    let s = guinea();
    let options = all_of(Sensitivity::Confidential);
    let (bytes, mut book) = workbook(&s, &options);
    let mark = marking(&options.audience, s.as_of);
    let sheets = book.sheet_names();
    for (i, name) in sheets.iter().enumerate() {
        let grid = rows(&mut book, name);
        assert_eq!(grid[0][0], mark, "{name}: the marking first");
        let xml = part(&bytes, &format!("xl/worksheets/sheet{}.xml", i + 1));
        assert!(
            xml.contains(&format!(
                "<oddHeader>&amp;C&amp;\"-,Bold\"{mark}</oddHeader>"
            )),
            "{name}: {xml}"
        );
        assert!(xml.contains("<oddFooter>&amp;L"), "{name}");
        assert!(xml.contains("paperSize=\"9\""), "{name}: A4");
        assert!(xml.contains("<autoFilter ref="), "{name}");
    }
    let matrix = part(&bytes, "xl/worksheets/sheet1.xml");
    assert!(
        matrix.contains("xSplit=\"3\" ySplit=\"4\""),
        "frozen heads and first columns"
    );
    let core = part(&bytes, "docProps/core.xml");
    assert!(core.contains(&mark), "{core}");
    let custom = part(&bytes, "docProps/custom.xml");
    assert!(custom.contains("TLP:AMBER"), "{custom}");
}

/// The rows of the CSV export, as the workbook should hold them (the CSV neutralises
/// formulas; the sample has none).
fn csv_rows(s: &Situation, options: &ExportOptions) -> Vec<Vec<String>> {
    let bytes = export(s, Format::Csv, options).unwrap();
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(&bytes[..])
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

fn assignments_by_name(s: &Situation) -> BTreeSet<(String, String, String)> {
    s.assignments
        .iter()
        .map(|a| {
            (
                s.line(&a.line).unwrap().title.clone(),
                s.partner(&a.partner).unwrap().name.clone(),
                format!("{:?}", a.role),
            )
        })
        .collect()
}

#[test]
fn who_does_what_is_the_hxl_sheet_and_imports_back() {
    let mut s = guinea();
    // As a 3W import leaves a line whose sector names no instrument.
    s.lines[0].sector = "Protection".into();
    s.lines[0].instrument = tandem::model::Instrument::Other;
    let options = all_of(Sensitivity::StrictlyConfidential);
    let (_, mut book) = workbook(&s, &options);
    let sheet = rows(&mut book, "Who does what");
    assert_eq!(sheet[1..], csv_rows(&s, &options)[..], "the CSV's rows");
    // `tandem import` finds the sheet by its hashtag row and gives the plan back.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.xlsx");
    std::fs::write(&path, export(&s, Format::Xlsx, &options).unwrap()).unwrap();
    let out = dir.path().join("back.ron");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_tandem"))
        .args(["import", "--format", "hxl"])
        .arg(&path)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let back = tandem::io::load_file(&out).unwrap().situation;
    let names = |s: &Situation| -> BTreeSet<String> {
        s.partners
            .iter()
            .filter(|p| s.assignments.iter().any(|a| a.partner == p.id))
            .map(|p| p.name.clone())
            .collect()
    };
    assert_eq!(names(&back), names(&s));
    let titles = |s: &Situation| -> BTreeSet<String> {
        s.lines
            .iter()
            .filter(|l| s.assignments.iter().any(|a| a.line == l.id))
            .map(|l| l.title.clone())
            .collect()
    };
    assert_eq!(titles(&back), titles(&s));
    assert_eq!(assignments_by_name(&back), assignments_by_name(&s));
    // Each line's sector, else its instrument, travels in `#sector`.
    let kinds = |s: &Situation| -> BTreeSet<(String, String, String)> {
        s.lines
            .iter()
            .filter(|l| s.assignments.iter().any(|a| a.line == l.id))
            .map(|l| {
                let instrument = format!("{:?}", l.instrument);
                (l.title.clone(), instrument, l.sector.clone())
            })
            .collect()
    };
    assert_eq!(kinds(&back), kinds(&s));
    let lines_sheet = rows(&mut book, "Lines of effort");
    let heads = lines_sheet
        .iter()
        .find(|r| r.first().is_some_and(|c| c == "Code"))
        .unwrap();
    assert_eq!(heads[2..4], ["Instrument", "Sector"]);
}

#[test]
fn timeline_dates_are_excel_dates_and_partial_dates_say_their_precision() {
    let mut s = Situation::new("Dates", "2010-01-01".parse().unwrap());
    for (id, date) in [
        ("day", "2009-09-28"),
        ("month", "2009-10"),
        ("year", "2009"),
    ] {
        s.events.push(Event::new(
            id,
            id,
            EventKind::Incident,
            date.parse().unwrap(),
        ));
    }
    let (_, mut book) = workbook(&s, &all_of(Sensitivity::Unclassified));
    let range = book.worksheet_range("Timeline").unwrap();
    let cells: Vec<&Data> = (2..5).map(|r| range.get_value((r, 0)).unwrap()).collect();
    assert_eq!(text(Some(cells[0])), "2009 (year)");
    let Data::DateTime(day) = cells[1] else {
        panic!("an Excel date: {:?}", cells[1]);
    };
    assert_eq!(day.as_f64(), 40_084.0, "2009-09-28 in Excel's days");
    assert_eq!(text(Some(cells[2])), "2009-10 (month)");
}

#[test]
fn notes_columns_only_when_notes_are_included() {
    let mut s = guinea();
    s.partners[0].notes = "Partner note to keep in house".into();
    for notes in [false, true] {
        let options =
            ExportOptions::new(Audience::new(Sensitivity::StrictlyConfidential)).with_notes(notes);
        let (_, mut book) = workbook(&s, &options);
        let sheet = rows(&mut book, "Partners");
        assert_eq!(sheet[1].last().map(String::as_str) == Some("Notes"), notes);
        let found = sheet
            .iter()
            .flatten()
            .any(|c| c.contains("Partner note to keep"));
        assert_eq!(found, notes);
    }
}

#[test]
fn a_megabyte_name_is_cut_in_its_cells_and_given_whole_at_the_end() {
    let mut s = guinea();
    let name = "Consortium of partners ".repeat(50_000);
    s.partners.push(Partner {
        id: "huge".into(),
        name: name.clone(),
        acronym: String::new(),
        category: PartnerCategory::CivilSociety,
        instruments: Vec::new(),
        notes: String::new(),
        sensitivity: Sensitivity::Unclassified,
    });
    let (_, mut book) = workbook(&s, &all_of(Sensitivity::Unclassified));
    let partners = rows(&mut book, "Partners");
    let cut = partners
        .iter()
        .find(|r| r[0].starts_with("Consortium"))
        .unwrap();
    assert!(
        cut[0].ends_with("… [1]"),
        "{}",
        &cut[0][cut[0].len() - 20..]
    );
    let closing = rows(&mut book, "Shortened texts in full");
    assert_eq!(closing[2][0], "[1]");
    let whole: String = closing[2..].iter().map(|r| r[1].as_str()).collect();
    assert_eq!(whole, name);
    // The matrix's head is an abbreviation, the key under the matrix names it.
    let grid = rows(&mut book, "Matrix");
    assert!(grid[3].iter().all(|h| h.chars().count() <= 41));
}
