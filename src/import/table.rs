//! Turning an imported file into rows of text, whatever made it: CSV in any of the encodings
//! and delimiters spreadsheet programs write, or an Excel / OpenDocument workbook.
//!
//! **Encodings.** A byte-order mark decides (UTF-8, UTF-16 LE or BE); without one, a file
//! that is valid UTF-8 is UTF-8, and any other is Windows-1252 — what Excel writes in Western
//! Europe and francophone Africa, where byte 0x92 is ’, not a control character.
//!
//! **Delimiters.** Comma, semicolon (Excel in a French locale) and tab (Excel's "Unicode
//! text"): each is tried on the first rows, and the one that gives the most rows with the same
//! number of cells (more than one) wins; a tie goes to the comma.
//!
//! **Workbooks** (`.xlsx`, `.xls`, `.ods`): the sheet asked for by name, else the first sheet
//! the format recognises (for a 3W sheet, the first with a hashtag row). Numbers are written
//! as a spreadsheet shows them (`2010`, not `2010.0`), dates as `YYYY-MM-DD`.

use std::borrow::Cow;
use std::fmt;
use std::io::Cursor;

use super::{ImportError, MAX_IMPORT_BYTES, Row, RowIssue};

/// How many rows the delimiter is judged on.
const SNIFF_ROWS: usize = 50;

/// The most a workbook may hold once unpacked (its parts as the archive declares them).
const MAX_UNPACKED_BYTES: u64 = 512 * 1024 * 1024;

/// How a file was read, for the preview: "Windows-1252 text, semicolon-separated".
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// Delimited text: the encoding's name (as encoding_rs spells it) and the delimiter.
    Text {
        encoding: &'static str,
        delimiter: u8,
    },
    /// A workbook: its kind and the sheet read.
    Workbook { kind: &'static str, sheet: String },
}

impl Default for Source {
    fn default() -> Self {
        Source::Text {
            encoding: "UTF-8",
            delimiter: b',',
        }
    }
}

impl Source {
    /// The delimiter's name: "comma", "semicolon", "tab".
    fn delimiter_name(delimiter: u8) -> &'static str {
        match delimiter {
            b';' => "semicolon",
            b'\t' => "tab",
            _ => "comma",
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Text {
                encoding,
                delimiter,
            } => write!(
                f,
                "{encoding} text, {}-separated",
                Source::delimiter_name(*delimiter)
            ),
            Source::Workbook { kind, sheet } => write!(f, "{kind} workbook, sheet \"{sheet}\""),
        }
    }
}

/// A file read into rows.
#[derive(Debug, Default)]
pub(crate) struct Table {
    pub rows: Vec<Row>,
    /// Caveats about the reading (an encoding guessed, bytes replaced).
    pub notices: Vec<RowIssue>,
    pub source: Source,
}

/// Reads a CSV file or a workbook into rows. `sheet` names the workbook sheet to read;
/// without it, the first sheet whose rows `wanted` accepts (else the first sheet).
pub(crate) fn read_table(
    bytes: &[u8],
    sheet: Option<&str>,
    wanted: &dyn Fn(&[Row]) -> bool,
) -> Result<Table, ImportError> {
    if bytes.len() > MAX_IMPORT_BYTES {
        return Err(ImportError::TooLarge {
            size_bytes: bytes.len(),
        });
    }
    if is_workbook(bytes) {
        return read_workbook(bytes, sheet, wanted);
    }
    if let Some(name) = sheet {
        return Err(ImportError::Workbook(format!(
            "a sheet (\"{name}\") was asked for, but this is a text file, not a workbook"
        )));
    }
    read_text(bytes)
}

/// The names of a workbook's sheets, in order; `None` when the bytes are not a workbook that
/// can be read.
pub fn sheet_names(bytes: &[u8]) -> Option<Vec<String>> {
    use calamine::Reader as _;
    if !is_workbook(bytes) || check_unpacked_size(bytes).is_err() {
        return None;
    }
    let names = std::panic::AssertUnwindSafe(|| {
        calamine::open_workbook_auto_from_rs(Cursor::new(bytes))
            .ok()
            .map(|w| w.sheet_names())
    });
    std::panic::catch_unwind(names).ok().flatten()
}

/// Whether the bytes are a ZIP archive (xlsx, ods) or an OLE compound file (xls).
fn is_workbook(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0])
}

/// Reads delimited text (see the module documentation).
fn read_text(bytes: &[u8]) -> Result<Table, ImportError> {
    let (text, encoding, notices) = decode(bytes);
    if text.trim().is_empty() {
        return Err(ImportError::Empty);
    }
    let delimiter = sniff_delimiter(&text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|err| ImportError::Csv {
            line: err.position().map_or(0, |p| p.line()),
            message: err.to_string(),
        })?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        rows.push(Row {
            line,
            cells: record.iter().map(str::to_owned).collect(),
        });
    }
    Ok(Table {
        rows,
        notices,
        source: Source::Text {
            encoding,
            delimiter,
        },
    })
}

/// Decodes text by its byte-order mark, else as UTF-8, else as Windows-1252. Returns the
/// text (without the mark), the encoding's name and what the reader should know.
fn decode(bytes: &[u8]) -> (Cow<'_, str>, &'static str, Vec<RowIssue>) {
    let mut notices = Vec::new();
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let body = bytes.get(bom..).unwrap_or_default();
        let (text, had_errors) = encoding.decode_without_bom_handling(body);
        if had_errors {
            notices.push(RowIssue {
                line: None,
                message: format!(
                    "some bytes are not valid {}; they were replaced by \u{FFFD}",
                    encoding.name()
                ),
            });
        }
        return (text, encoding.name(), notices);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => (Cow::Borrowed(text), "UTF-8", notices),
        Err(err) => {
            let valid = bytes.get(..err.valid_up_to()).unwrap_or_default();
            let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
            notices.push(RowIssue {
                line: Some(line),
                message: "the file is not UTF-8; it was read as Windows-1252 (Western European), what Excel writes there: check accented names".into(),
            });
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
            (text, "Windows-1252", notices)
        }
    }
}

/// The delimiter that splits the first rows most regularly (see the module documentation).
fn sniff_delimiter(text: &str) -> u8 {
    let mut best = (b',', 0usize);
    for delimiter in [b',', b';', b'\t'] {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(text.as_bytes());
        let mut widths: Vec<usize> = Vec::new();
        for record in reader.records().take(SNIFF_ROWS) {
            let Ok(record) = record else { break };
            if record.iter().any(|c| !c.trim().is_empty()) {
                widths.push(record.len());
            }
        }
        let score = most_common_width(&widths);
        if score > best.1 {
            best = (delimiter, score);
        }
    }
    best.0
}

/// How many rows share the most common width, counting only widths above one.
fn most_common_width(widths: &[usize]) -> usize {
    let mut counts = std::collections::HashMap::new();
    for w in widths.iter().filter(|w| **w > 1) {
        *counts.entry(*w).or_insert(0usize) += 1;
    }
    counts.into_values().max().unwrap_or(0)
}

/// Reads the chosen sheet of a workbook.
fn read_workbook(
    bytes: &[u8],
    sheet: Option<&str>,
    wanted: &dyn Fn(&[Row]) -> bool,
) -> Result<Table, ImportError> {
    check_unpacked_size(bytes)?;
    // A hostile file must not take the application down with it: a panic inside the
    // workbook reader becomes an error like any other.
    // Nothing it touches outlives a panic but the bytes, which it only reads.
    let guarded = std::panic::AssertUnwindSafe(|| read_workbook_unguarded(bytes, sheet, wanted));
    std::panic::catch_unwind(guarded).unwrap_or_else(|_| {
        Err(ImportError::Workbook(
            "the workbook's reader stopped on malformed content".into(),
        ))
    })
}

fn read_workbook_unguarded(
    bytes: &[u8],
    sheet: Option<&str>,
    wanted: &dyn Fn(&[Row]) -> bool,
) -> Result<Table, ImportError> {
    use calamine::Reader as _;
    let mut workbook = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|err| {
        ImportError::Workbook(format!(
            "it looks like a workbook but cannot be read: {err}"
        ))
    })?;
    let kind = match &workbook {
        calamine::Sheets::Xls(_) => "Excel 97–2003 (.xls)",
        calamine::Sheets::Xlsx(_) => "Excel (.xlsx)",
        calamine::Sheets::Xlsb(_) => "Excel binary (.xlsb)",
        calamine::Sheets::Ods(_) => "OpenDocument (.ods)",
    };
    let names = workbook.sheet_names();
    if let Some(name) = sheet {
        if !names.iter().any(|n| n == name) {
            return Err(ImportError::Workbook(format!(
                "the workbook has no sheet named \"{name}\" (its sheets: {})",
                names.join(", ")
            )));
        }
        let rows = sheet_rows(&mut workbook, name)?;
        return Ok(workbook_table(rows, kind, name));
    }
    let mut first = None;
    for name in &names {
        let rows = sheet_rows(&mut workbook, name)?;
        if wanted(&rows) {
            return Ok(workbook_table(rows, kind, name));
        }
        first.get_or_insert((rows, name.clone()));
    }
    match first {
        Some((rows, name)) => Ok(workbook_table(rows, kind, &name)),
        None => Err(ImportError::Workbook("the workbook has no sheet".into())),
    }
}

fn workbook_table(rows: Vec<Row>, kind: &'static str, sheet: &str) -> Table {
    Table {
        rows,
        notices: Vec::new(),
        source: Source::Workbook {
            kind,
            sheet: sheet.to_owned(),
        },
    }
}

/// A sheet's rows as text, each with its row number in the spreadsheet.
fn sheet_rows<R: std::io::Read + std::io::Seek + Clone>(
    workbook: &mut calamine::Sheets<R>,
    name: &str,
) -> Result<Vec<Row>, ImportError> {
    use calamine::Reader as _;
    let range = workbook
        .worksheet_range(name)
        .map_err(|err| ImportError::Workbook(format!("sheet \"{name}\" cannot be read: {err}")))?;
    let Some((first_row, first_column)) = range.start() else {
        return Ok(Vec::new());
    };
    let lead = vec![String::new(); first_column as usize];
    Ok(range
        .rows()
        .enumerate()
        .map(|(i, cells)| Row {
            line: first_row as usize + i + 1,
            cells: lead
                .iter()
                .cloned()
                .chain(cells.iter().map(cell_text))
                .collect(),
        })
        .collect())
}

/// A cell as a spreadsheet shows it: `2010` for a whole number, `2010-03-01` for a date.
fn cell_text(cell: &calamine::Data) -> String {
    use calamine::Data;
    match cell {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(n) => n.to_string(),
        Data::Float(x) => float_text(*x),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => match dt.as_datetime() {
            Some(when) if dt.is_datetime() => {
                if when.time() == chrono::NaiveTime::MIN {
                    when.date().to_string()
                } else {
                    when.format("%Y-%m-%dT%H:%M:%S").to_string()
                }
            }
            _ => float_text(dt.as_f64()),
        },
    }
}

/// A number without a needless `.0`.
fn float_text(x: f64) -> String {
    if x.is_finite() && x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{x:.0}")
    } else {
        x.to_string()
    }
}

/// Refuses an archive whose parts would unpack to more than [`MAX_UNPACKED_BYTES`].
fn check_unpacked_size(bytes: &[u8]) -> Result<(), ImportError> {
    if !bytes.starts_with(b"PK") {
        return Ok(());
    }
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(()); // the workbook reader says what is wrong with it
    };
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        if let Ok(part) = archive.by_index_raw(i) {
            total = total.saturating_add(part.size());
        }
    }
    if total > MAX_UNPACKED_BYTES {
        return Err(ImportError::Workbook(format!(
            "it would unpack to {} MiB; Tandem reads workbooks up to {} MiB unpacked",
            total.div_ceil(1_048_576),
            MAX_UNPACKED_BYTES / 1_048_576
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn any(_: &[Row]) -> bool {
        true
    }

    #[test]
    fn windows_1252_is_not_latin_1() {
        let table = read_table(b"#org+name\nWomen\x92s Network\n", None, &any).unwrap();
        assert_eq!(table.rows[1].cell(Some(0)), "Women\u{2019}s Network");
        assert_eq!(table.notices.len(), 1);
        assert_eq!(table.notices[0].line, Some(2));
        assert_eq!(
            table.source.to_string(),
            "Windows-1252 text, comma-separated"
        );
    }

    #[test]
    fn utf16_with_a_bom_in_both_byte_orders() {
        let text = "#org+name\t#activity+name\nMédecins Sans Frontières\tDialogue\n";
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        for (bytes, name) in [(le, "UTF-16LE"), (be, "UTF-16BE")] {
            let table = read_table(&bytes, None, &any).unwrap();
            assert_eq!(
                table.rows[1].cells,
                ["Médecins Sans Frontières", "Dialogue"]
            );
            assert_eq!(
                table.source.to_string(),
                format!("{name} text, tab-separated")
            );
            assert!(table.notices.is_empty());
        }
    }

    #[test]
    fn the_delimiter_is_the_one_that_splits_rows_evenly() {
        let semicolons = "#activity+code;#activity+name;#org+name\nKGZ-01;Dialogue, mediation;MSF\nKGZ-02;Elections;UNDP\n";
        assert_eq!(sniff_delimiter(semicolons), b';');
        let commas = "#activity+code,#activity+name,#org+name\nKGZ-01,Dialogue; mediation,MSF\n";
        assert_eq!(sniff_delimiter(commas), b',');
        assert_eq!(
            sniff_delimiter("#org+name\nACF\n"),
            b',',
            "one column: comma"
        );
        let utf8_bom = "\u{feff}#org+name;#activity+name\nACF;Food\n";
        let table = read_table(utf8_bom.as_bytes(), None, &any).unwrap();
        assert_eq!(table.rows[0].cells, ["#org+name", "#activity+name"]);
        assert_eq!(table.source.to_string(), "UTF-8 text, semicolon-separated");
    }

    #[test]
    fn a_workbook_lists_its_sheets_and_text_has_none() {
        let xlsx = include_bytes!("../../tests/data/3w-lebanon.xlsx");
        assert_eq!(
            sheet_names(xlsx),
            Some(vec!["ReadMe".to_owned(), "3W".to_owned()])
        );
        assert_eq!(sheet_names(b"#org+name\nACF\n"), None);
        assert_eq!(sheet_names(&xlsx[..100]), None);
    }

    #[test]
    fn whole_numbers_lose_their_decimal_point() {
        assert_eq!(float_text(2010.0), "2010");
        assert_eq!(float_text(9.537), "9.537");
    }
}
