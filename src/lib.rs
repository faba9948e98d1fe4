//! Tandem: situation-room crisis coordination for preventive diplomacy.
//!
//! `model`, `io`, `analysis`, `export`, `import` and `palette` know nothing of egui; `app` and
//! `ui` draw.

// A `Diagnostic` (code, message, position, item) is the error of loading and parsing: it is
// returned once per file, so its size does not matter; boxing it would only add noise.
#![allow(clippy::result_large_err)]

pub mod analysis;
#[cfg(feature = "gui")]
pub mod app;
pub mod cli;
pub mod export;
pub mod generate;
pub mod import;
pub mod io;
pub mod model;
pub mod palette;
pub mod samples;
#[cfg(feature = "sync")]
pub mod sync;
pub mod text;
#[cfg(feature = "gui")]
pub mod ui;
