//! `tandem`: the desktop app, and its command line.

use std::process::ExitCode;

use clap::Parser as _;
use tandem::app::{TandemApp, View};

fn main() -> ExitCode {
    let cli = tandem::cli::Cli::parse();
    if let Some(command) = cli.command {
        return tandem::cli::run(command);
    }
    let view = match cli.view.as_deref().map(|v| (v, View::parse(v))) {
        Some((name, None)) => {
            eprintln!(
                "tandem: unknown view \"{name}\" (overview, actors, partners, lines, events, timeline, matrix, map)"
            );
            return ExitCode::from(2);
        }
        Some((_, view)) => view,
        None => None,
    };
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Tandem")
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([720.0, 480.0])
            .with_drag_and_drop(true),
        ..Default::default()
    };
    let file = cli.file.clone();
    let screenshot = cli.screenshot.clone();
    let result = eframe::run_native(
        "tandem",
        options,
        Box::new(move |cc| {
            let mut app = TandemApp::from_creation_context(cc, file.as_deref(), view);
            if let Some(path) = screenshot {
                app.screenshot_then_quit(path);
            }
            Ok(Box::new(app))
        }),
    );
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("tandem: cannot open a window: {err}");
            ExitCode::from(1)
        }
    }
}
