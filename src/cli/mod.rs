//! The command line: `tandem [FILE]` opens the app; subcommands work without a window.

/// `println!` that does not panic when stdout is closed (`tandem check … | head -1`):
/// the command goes on and still returns its own exit status.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

mod check;
mod diff;
mod export;
mod generate;
mod import;
#[cfg(feature = "sync")]
mod share;
mod summary;
mod upgrade;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Tandem: who does what in preventive diplomacy.
#[derive(Debug, Parser)]
#[command(name = "tandem", version, args_conflicts_with_subcommands = true)]
pub struct Cli {
    /// Situation file to open; without one, the Guinea 2009–2010 sample opens as an untitled copy.
    pub file: Option<PathBuf>,
    /// View to show first: overview, actors, partners, lines, events, timeline, matrix, map.
    #[arg(long)]
    pub view: Option<String>,
    /// Render the window, save a PNG of it to this path and exit.
    #[arg(long, value_name = "PATH")]
    pub screenshot: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands that work without a window.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate situation files. Exit status: 0 no errors, 1 errors found, 2 a file unreadable.
    Check {
        /// Print one JSON array of diagnostics instead of lines.
        #[arg(long)]
        json: bool,
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Print counts, matrix problems and the warning-to-action continuum of a situation.
    Summary {
        #[arg(long)]
        json: bool,
        file: PathBuf,
    },
    /// What changed from one situation file to another, in words (names, not ids).
    Diff(diff::DiffArgs),
    /// Export a briefing or a plan for partners, leaving out what they may not see.
    Export(export::ExportArgs),
    /// Import a who-does-what sheet (HXL 3W) or incident data (ACLED).
    Import(import::ImportArgs),
    /// Write a synthetic situation for performance tests.
    ///
    /// Scale 1 is about a real situation: 20 actors, 30 partners, 10 lines of effort,
    /// 60 assignments, 200 events. Scale N multiplies every count by N, except partners,
    /// which grow as 30 × √N so that the matrix keeps readable columns. The same scale and
    /// seed always give the same file.
    Generate(generate::GenerateArgs),
    /// Migrate a file to the current schema in place (keeps NAME.bak).
    Upgrade { file: PathBuf },
    /// Run a sync server for an office: several officers on one situation.
    #[cfg(feature = "sync")]
    Serve(share::ServeArgs),
    /// Publish a situation to a sync server and print its share link.
    #[cfg(feature = "sync")]
    Share(share::ShareArgs),
    /// Write a shared situation's current state as a RON file.
    #[cfg(feature = "sync")]
    Fetch(share::FetchArgs),
}

/// Runs a subcommand and returns the process exit status.
pub fn run(command: Command) -> ExitCode {
    match command {
        Command::Check { json, files } => check::run(&files, json),
        Command::Summary { json, file } => summary::run(&file, json),
        Command::Diff(args) => diff::run(args),
        Command::Export(args) => export::run(args),
        Command::Import(args) => import::run(args),
        Command::Generate(args) => generate::run(args),
        Command::Upgrade { file } => upgrade::run(&file),
        #[cfg(feature = "sync")]
        Command::Serve(args) => share::serve(args),
        #[cfg(feature = "sync")]
        Command::Share(args) => share::share(args),
        #[cfg(feature = "sync")]
        Command::Fetch(args) => share::fetch(args),
    }
}
