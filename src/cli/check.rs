//! `tandem check [--json] FILE...`

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde::Serialize;

use crate::analysis;
use crate::io::{ItemLocator, parse_bytes, read_capped};
use crate::model::{Diagnostic, Severity};

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    file: String,
    severity: Severity,
    code: &'a str,
    message: &'a str,
    line: Option<usize>,
    column: Option<usize>,
    item: Option<&'a str>,
}

/// The diagnostics of one file: `Err` when it cannot be read or parsed at all.
pub fn check_file(path: &Path) -> Result<Vec<Diagnostic>, Diagnostic> {
    let bytes = read_capped(path)?;
    let loaded = parse_bytes(&bytes)?;
    let locator = ItemLocator::new(&String::from_utf8_lossy(&bytes));
    let mut diagnostics: Vec<Diagnostic> = loaded
        .diagnostics
        .into_iter()
        .filter(|d| !d.code.starts_with("schema."))
        .collect();
    let known: std::collections::HashSet<_> = diagnostics
        .iter()
        .map(|d| (d.code, d.item.clone(), d.message.clone()))
        .collect();
    for d in analysis::matrix::matrix_diagnostics(&loaded.situation)
        .into_iter()
        .chain(analysis::timeline::timeline_diagnostics(&loaded.situation))
    {
        if !known.contains(&(d.code, d.item.clone(), d.message.clone())) {
            diagnostics.push(locator.place(d));
        }
    }
    if let Some(reason) = loaded.read_only {
        diagnostics.insert(0, Diagnostic::error("schema.newer", reason).at(1, 1));
    }
    Ok(diagnostics)
}

/// One human-readable line: `FILE:LINE:COL: error[CODE]: message`, the position left out when
/// unknown and `(id ITEM)` added when the finding is about an item (so scripts can match on it).
pub fn format_line(file: &Path, d: &Diagnostic) -> String {
    let location = match (d.line, d.column) {
        (Some(line), Some(col)) => format!("{}:{line}:{col}", file.display()),
        _ => file.display().to_string(),
    };
    let item = match &d.item {
        Some(id) => format!(" (id {id})"),
        None => String::new(),
    };
    format!(
        "{location}: {}[{}]: {}{item}",
        d.severity.label(),
        d.code,
        d.message
    )
}

pub(super) fn run(files: &[PathBuf], json: bool) -> ExitCode {
    let mut worst = 0u8;
    let mut all = Vec::new();
    for file in files {
        let diagnostics = match check_file(file) {
            Ok(d) => d,
            Err(d) => {
                worst = 2;
                vec![d]
            }
        };
        if diagnostics.iter().any(|d| d.severity == Severity::Error) {
            worst = worst.max(1);
        }
        for d in diagnostics {
            if !json {
                outln!("{}", format_line(file, &d));
            }
            all.push((file.clone(), d));
        }
    }
    if json {
        let rows: Vec<JsonDiagnostic> = all
            .iter()
            .map(|(file, d)| JsonDiagnostic {
                file: file.display().to_string(),
                severity: d.severity,
                code: d.code,
                message: &d.message,
                line: d.line,
                column: d.column,
                item: d.item.as_deref(),
            })
            .collect();
        match serde_json::to_string_pretty(&rows) {
            Ok(text) => outln!("{text}"),
            Err(err) => eprintln!("tandem: cannot print JSON: {err}"),
        }
    }
    ExitCode::from(worst)
}
