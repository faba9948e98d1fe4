//! Tandem: situation-room crisis coordination for preventive diplomacy.
//!
//! `model`, `io`, `analysis`, `export` and `import` know nothing of egui; `app` and `ui` draw.

pub mod analysis;
pub mod app;
pub mod cli;
pub mod export;
pub mod import;
pub mod io;
pub mod model;
pub mod samples;
pub mod ui;
