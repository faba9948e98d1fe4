//! Reading, migrating and writing situation files. Knows nothing of egui.

mod atomic;
pub mod disk;
pub mod history;
mod locate;
pub mod lock;
pub mod marks;
pub mod recovery;
mod writable;

pub use atomic::{
    SaveError, TEMPORARY_GRACE, backup_path, clean_stale_temporaries, clean_temporaries_older_than,
    write_atomically,
};
pub use locate::ItemLocator;
pub use writable::{WriteRefusal, check_writable, claim_for_writing};

use std::path::Path;

use serde::Deserialize;

use crate::model::validate::validate_in_file;
use crate::model::{Diagnostic, SCHEMA_VERSION, Situation};

/// The largest situation file Tandem opens.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// How deeply brackets may nest before a file is refused, counting the file's own outer
/// parenthesis: 32. A situation needs six at most; deep nesting is possible only in a field
/// this version does not know, which is skipped whatever it holds.
pub const MAX_NESTING: usize = 32;

/// The recursion limit given to ron: it counts two levels for each bracket of a value it
/// skips (the value, then its list or record), so twice [`MAX_NESTING`] refuses the 33rd
/// bracket (tested in tests/files.rs).
pub const RECURSION_LIMIT: usize = 2 * MAX_NESTING;

/// A situation read from a file, with what was found in it.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub situation: Situation,
    /// Validation findings, positioned in the file where possible.
    pub diagnostics: Vec<Diagnostic>,
    /// Why the file must not be overwritten, when it must not (e.g. a newer schema).
    pub read_only: Option<String>,
    /// The schema the file was written in, when it was migrated from an older one.
    pub migrated_from: Option<u32>,
}

#[derive(Deserialize)]
struct SchemaProbe {
    schema: u32,
}

/// RON as Tandem reads and writes it: optional values written bare (`end: "2010-12"`, and
/// `Some("2010-12")` also accepted), and a bounded nesting depth.
fn ron_options() -> ron::Options {
    ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .with_recursion_limit(RECURSION_LIMIT)
}

/// Moves a 1-based position forward past whitespace, so it points at the offending token.
fn skip_whitespace(text: &str, line: usize, column: usize) -> (usize, usize) {
    let lines = text.split('\n').enumerate().skip(line.saturating_sub(1));
    let mut col = column.max(1);
    for (index, content) in lines {
        if let Some(offset) = content
            .chars()
            .skip(col - 1)
            .position(|c| !c.is_whitespace())
        {
            return (index + 1, col + offset);
        }
        col = 1;
    }
    (line, column)
}

fn parse_diagnostic(text: &str, err: &ron::error::SpannedError) -> Diagnostic {
    let message = err.code.to_string();
    let (code, message) = if message.contains("invalid date") {
        ("date.invalid", message)
    } else if message.contains("invalid coordinates") {
        ("place.coordinates", message)
    } else if matches!(err.code, ron::Error::ExceededRecursionLimit) {
        (
            "parse",
            format!("brackets are nested more than {MAX_NESTING} deep"),
        )
    } else if matches!(err.code, ron::Error::Eof) {
        (
            "parse",
            "the file ends too early (is it truncated?)".to_owned(),
        )
    } else {
        ("parse", message)
    };
    let (line, column) = if matches!(err.code, ron::Error::Eof) {
        (err.span.start.line, err.span.start.col)
    } else {
        skip_whitespace(text, err.span.start.line, err.span.start.col)
    };
    Diagnostic::error(code, message).at(line, column)
}

/// Parses, migrates and validates the text of a situation file.
///
/// Errors that make the file unreadable come back as `Err`; everything else as diagnostics.
pub fn parse_situation(text: &str) -> Result<Loaded, Diagnostic> {
    if text.trim().is_empty() {
        return Err(Diagnostic::error(
            "parse",
            format!(
                "the file is empty: a situation file starts with `(schema: {SCHEMA_VERSION}, …`"
            ),
        )
        .at(1, 1));
    }
    let options = ron_options();
    // The whole situation is parsed once; only when that fails is the schema probed on its
    // own (a second full pass), to tell "written by a newer Tandem" from a broken file.
    let situation = match options.from_str::<Situation>(text) {
        Ok(s) => s,
        Err(err) => {
            let diagnostic = parse_diagnostic(text, &err);
            let schema = options.from_str::<SchemaProbe>(text).ok().map(|p| p.schema);
            return Err(match schema {
                Some(v) if v > SCHEMA_VERSION => Diagnostic {
                    message: format!(
                        "{} — and it cannot be read: {}",
                        newer_schema_reason(v),
                        diagnostic.message
                    ),
                    ..Diagnostic::error("schema.newer", String::new()).at(1, 1)
                },
                Some(0) => schema_zero(),
                _ => diagnostic,
            });
        }
    };
    let mut read_only = None;
    let mut migrated_from = None;
    let mut head = Vec::new();
    match situation.schema {
        v if v > SCHEMA_VERSION => {
            let reason = newer_schema_reason(v);
            head.push(Diagnostic::error("schema.newer", reason.clone()).at(1, 1));
            read_only = Some(reason);
        }
        0 => return Err(schema_zero()),
        v if v < SCHEMA_VERSION => migrated_from = Some(v),
        _ => {}
    }
    let mut situation = migrate(situation);
    if read_only.is_none() {
        situation.schema = SCHEMA_VERSION;
    }
    let mut diagnostics = head;
    let found = validate_in_file(&situation);
    let needs_place = found.iter().any(|d| d.line.is_none() && d.item.is_some());
    if needs_place {
        let locator = ItemLocator::new(text);
        diagnostics.extend(found.into_iter().map(|d| locator.place(d)));
    } else {
        diagnostics.extend(found);
    }
    Ok(Loaded {
        situation,
        diagnostics,
        read_only,
        migrated_from,
    })
}

fn newer_schema_reason(version: u32) -> String {
    format!(
        "this file was written by a newer Tandem (schema {version}; this version knows up to {SCHEMA_VERSION}); it is open read-only so that nothing in it is lost"
    )
}

fn schema_zero() -> Diagnostic {
    Diagnostic::error("schema.unknown", "schema 0 is not a Tandem schema version").at(1, 1)
}

/// Brings a situation read from an older schema up to [`SCHEMA_VERSION`].
///
/// Each version adds its step here, so that old files open:
/// - 1 → 2: places (`place` on actors and events, `places` on lines of effort and
///   assignments), an event's `fatalities` and `description`, an actor's `aliases` and a
///   line of effort's `sector` were added. All are optional and a schema-1
///   file has none, so the data read is already the data of schema 2: nothing to change
///   but the number, which the caller sets.
fn migrate(situation: Situation) -> Situation {
    situation
}

/// Checks size and encoding, then parses.
pub fn parse_bytes(bytes: &[u8]) -> Result<Loaded, Diagnostic> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    let text = std::str::from_utf8(bytes).map_err(|err| {
        let valid = bytes.get(..err.valid_up_to()).unwrap_or_default();
        let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = valid.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        let column = String::from_utf8_lossy(valid.get(line_start..).unwrap_or_default())
            .chars()
            .count()
            + 1;
        Diagnostic::error(
            "file.encoding",
            "the file is not UTF-8 text (save it as UTF-8)",
        )
        .at(line, column)
    })?;
    parse_situation(text.strip_prefix('\u{feff}').unwrap_or(text))
}

fn too_large(size: u64) -> Diagnostic {
    Diagnostic::error(
        "file.too-large",
        format!(
            "the file is {:.1} MiB; Tandem opens situation files up to {} MiB",
            size as f64 / 1_048_576.0,
            MAX_FILE_BYTES / 1_048_576
        ),
    )
}

/// Reads and parses a situation file, refusing files over [`MAX_FILE_BYTES`] before reading them.
pub fn load_file(path: &Path) -> Result<Loaded, Diagnostic> {
    let bytes = read_capped(path)?;
    parse_bytes(&bytes)
}

/// Reads a file's bytes, refusing files over [`MAX_FILE_BYTES`].
pub fn read_capped(path: &Path) -> Result<Vec<u8>, Diagnostic> {
    use std::io::Read as _;
    let io_error =
        |err: std::io::Error| Diagnostic::error("io", format!("cannot read the file: {err}"));
    let file = std::fs::File::open(path).map_err(io_error)?;
    let size = file.metadata().map_err(io_error)?.len();
    if size > MAX_FILE_BYTES {
        return Err(too_large(size));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io_error)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

/// The text Tandem writes for a situation: pretty RON, one field per line, stable order.
pub fn to_ron(situation: &Situation) -> Result<String, SaveError> {
    let config = ron::ser::PrettyConfig::new()
        .struct_names(false)
        .escape_strings(false)
        .indentor("    ")
        .new_line("\n");
    let mut text = ron_options()
        .to_string_pretty(situation, config)
        .map_err(|err| SaveError::Serialize(err.to_string()))?;
    text.push('\n');
    Ok(text)
}

/// Saves atomically: a temporary file in the same folder, flushed, renamed over `path`.
/// The previous content is kept as `NAME.bak` beside it.
pub fn save_file(path: &Path, situation: &Situation) -> Result<Vec<u8>, SaveError> {
    let text = to_ron(situation)?;
    write_atomically(path, text.as_bytes(), true)?;
    Ok(text.into_bytes())
}

/// The hash Tandem keeps of a file's bytes to notice changes made by others.
pub fn content_hash(bytes: &[u8]) -> [u8; 32] {
    use sha2::Digest as _;
    sha2::Sha256::digest(bytes).into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Actor, ActorKind, Influence, PartialDate, Sensitivity, Stance};

    #[test]
    fn any_text_round_trips_through_the_file_format() {
        let nasty = [
            "Côte d'Ivoire",
            "He said \"no\"",
            "back\\slash and \"# raw end",
            "two\nlines\r\nand a\ttab",
            "control \u{1} \u{7f} and \u{200b} zero-width",
            "\"##\"# hashes",
            "",
        ];
        let mut situation = Situation::new(
            "t",
            PartialDate::year(2010).unwrap_or_else(|| unreachable!()),
        );
        for (i, text) in nasty.iter().enumerate() {
            situation.actors.push(Actor {
                id: format!("a{i}"),
                name: (*text).to_owned(),
                kind: ActorKind::Other,
                stance: Stance::Unknown,
                influence: Influence::Low,
                interests: (*text).to_owned(),
                notes: (*text).to_owned(),
                sensitivity: Sensitivity::Unclassified,
                place: None,
                aliases: Vec::new(),
            });
        }
        let text = to_ron(&situation).unwrap();
        let loaded = parse_situation(&text).unwrap();
        assert_eq!(loaded.situation, situation, "{text}");
        assert!(text.contains("Côte d'Ivoire"), "apostrophes stay readable");
    }
}
