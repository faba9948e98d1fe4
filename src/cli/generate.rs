//! `tandem generate --scale N [--seed S] --out FILE`

use std::path::PathBuf;
use std::process::ExitCode;

use crate::generate::{Sizes, generate};

/// Write a synthetic situation for performance tests.
///
/// Scale 1 is about a real situation: 20 actors, 30 partners, 10 lines of effort,
/// 60 assignments, 200 events. Scale N multiplies every count by N, except partners,
/// which grow as 30 × √N so that the matrix keeps readable columns. The same scale and
/// seed always give the same file.
#[derive(Debug, clap::Args)]
pub struct GenerateArgs {
    /// Size multiplier (1 = a real situation; 100 = 2,000 actors, 300 partners, 20,000 events).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub scale: u32,
    /// Random seed; the same seed gives the same situation.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Where to write the situation file.
    #[arg(long)]
    pub out: PathBuf,
}

pub(super) fn run(args: GenerateArgs) -> ExitCode {
    // The same check as every writer of a situation file: not over a read-only file, nor one a
    // colleague has open.
    let _guard = match crate::io::claim_for_writing(&args.out) {
        Ok(guard) => guard,
        Err(refusal) => {
            eprintln!(
                "tandem generate: {}: refused, {refusal}",
                args.out.display()
            );
            return ExitCode::from(2);
        }
    };
    let situation = generate(args.scale, args.seed);
    match crate::io::save_file(&args.out, &situation) {
        Ok(_) => {
            let s = Sizes::for_scale(args.scale);
            outln!(
                "wrote {}: {} actors, {} partners, {} lines of effort, {} assignments, {} events",
                args.out.display(),
                s.actors,
                s.partners,
                s.lines,
                situation.assignments.len(),
                situation.events.len()
            );
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("tandem generate: {err}");
            ExitCode::from(2)
        }
    }
}
