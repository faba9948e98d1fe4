//! The app in a test window: the sample at 1280×720, frames drawn until something holds.

use std::time::{Duration, Instant};

use egui_kittest::Harness;
use tandem::app::{Document, ScriptedDialogs, Settings, TandemApp};

/// The app on an untitled copy of the sample, in a window of 1280×720.
pub fn sample_window() -> Harness<'static, TandemApp> {
    let doc = tandem::app::sample_document();
    let app = TandemApp::new(
        Document::untitled(doc.situation().clone(), "sample"),
        Settings::default(),
        Box::new(ScriptedDialogs::default()),
    );
    window(app)
}

/// `app` in a window of 1280×720.
pub fn window(app: TandemApp) -> Harness<'static, TandemApp> {
    Harness::builder()
        .with_size(egui::vec2(1280.0, 720.0))
        .build_ui_state(|ui, app: &mut TandemApp| app.ui_root(ui), app)
}

/// Draws frames until the window settles, or for as many as the harness allows: while shared,
/// the connection's news wakes the window now and then (a plain `run` fails on the fifth
/// frame asked for).
pub fn settle(harness: &mut Harness<'static, TandemApp>) {
    harness.run_ok();
}

/// Draws frames until `done` holds, then lets the window settle; panics after `limit`, saying
/// what the app last said.
pub fn frames_until(
    harness: &mut Harness<'static, TandemApp>,
    what: &str,
    limit: Duration,
    mut done: impl FnMut(&TandemApp) -> bool,
) {
    let start = Instant::now();
    while !done(harness.state()) {
        let app = harness.state();
        assert!(
            start.elapsed() < limit,
            "{what}: not within {limit:?} ({:?}, {:?}, {:?}, {:?})",
            app.status,
            app.error,
            app.share_dialog,
            app.session().shared().map(|s| s.status_text())
        );
        harness.step();
        std::thread::sleep(Duration::from_millis(10));
    }
    settle(harness);
}
