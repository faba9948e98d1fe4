//! `tandem upgrade FILE` — rewrites a file in the current schema, in place, atomically, keeping
//! the previous version as `FILE.bak`.
//!
//! Exit status: 0 upgraded, 1 refused (newer schema, file locked or read-only, or the rewrite
//! would not read back the same), 2 the file cannot be read.

use std::path::Path;
use std::process::ExitCode;

use crate::io::{self, backup_path, parse_situation, save_file, to_ron};
use crate::model::SCHEMA_VERSION;

pub(super) fn run(file: &Path) -> ExitCode {
    let shown = file.display();
    let loaded = match io::load_file(file) {
        Ok(loaded) => loaded,
        Err(d) => {
            let at = match (d.line, d.column) {
                (Some(line), Some(col)) => format!(":{line}:{col}"),
                _ => String::new(),
            };
            eprintln!("tandem upgrade: {shown}{at}: cannot read it: {}", d.message);
            return ExitCode::from(2);
        }
    };
    if let Some(reason) = loaded.read_only {
        eprintln!("tandem upgrade: {shown}: refused, the file is left untouched: {reason}");
        return ExitCode::from(1);
    }
    let _guard = match io::claim_for_writing(file) {
        Ok(guard) => guard,
        Err(refusal) => {
            eprintln!("tandem upgrade: {shown}: refused, {refusal}");
            return ExitCode::from(1);
        }
    };
    let situation = loaded.situation;
    let reads_back = to_ron(&situation)
        .ok()
        .and_then(|text| parse_situation(&text).ok())
        .is_some_and(|again| again.situation == situation);
    if !reads_back {
        eprintln!(
            "tandem upgrade: {shown}: refused, the upgraded file would not read back the same; the file is left untouched"
        );
        return ExitCode::from(1);
    }
    if let Some(folder) = file.parent() {
        let folder = if folder.as_os_str().is_empty() {
            Path::new(".")
        } else {
            folder
        };
        io::clean_stale_temporaries(folder);
    }
    match save_file(file, &situation) {
        Ok(_) => {
            let what = match loaded.migrated_from {
                Some(v) => format!("upgraded from schema {v} to {SCHEMA_VERSION}"),
                None => format!("already schema {SCHEMA_VERSION}, rewritten in the current format"),
            };
            outln!(
                "{shown}: {what}; the previous version is in {}",
                backup_path(file).display()
            );
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("tandem upgrade: {err}; the file is left untouched");
            ExitCode::from(2)
        }
    }
}
