//! The Overview as the situation room's first screen: what needs attention today.

use egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable};
use tandem::app::{Document, ScriptedDialogs, Settings, TandemApp, View};
use tandem::io::parse_situation;
use tandem::model::{ItemKind, ItemRef};

fn app_on(text: &str, view: View) -> TandemApp {
    let loaded = parse_situation(text).expect("the sample parses");
    let doc = Document::untitled(loaded.situation, "sample");
    let settings = Settings {
        view,
        ..Settings::default()
    };
    TandemApp::new(doc, settings, Box::new(ScriptedDialogs::default()))
}

fn harness(app: TandemApp, width: f32, height: f32) -> Harness<'static, TandemApp> {
    let mut harness = Harness::builder()
        .with_size(egui::vec2(width, height))
        .build_ui_state(|ui, app: &mut TandemApp| app.ui_root(ui), app);
    harness.run_steps(4);
    harness
}

const ARMY_FACTIONS: &str = "Reports of rival factions in the army ahead of the run-off";
const THRESHOLDS: [&str; 3] = [
    "Presidential run-off",
    "Announcement of the provisional run-off results",
    "Inauguration of the elected President",
];

/// On the Guinea sample (as of 15 October 2010) the list names the unanswered army-factions
/// warning with its wait, and the three threshold moments still ahead.
#[test]
fn guinea_needs_attention_lists_the_unanswered_warning_and_the_thresholds_ahead() {
    let mut harness = harness(
        app_on(tandem::samples::GUINEA, View::Overview),
        1280.0,
        720.0,
    );
    harness.get_by_label(&format!("Unanswered warning: {ARMY_FACTIONS}"));
    harness.get_by_label_contains("Unanswered warning sign, waiting for");
    harness.get_by_label(&format!("Threshold ahead: {}", THRESHOLDS[0]));
    harness.get_by_label_contains("Threshold moment in 23 days;");
    for later in &THRESHOLDS[1..] {
        harness.get_by_label(&format!("Further ahead: {later}"));
    }
    // The unanswered warning comes first: most urgent first.
    let top = |label: &str| harness.get_by_label(label).rect().top();
    assert!(
        top(&format!("Unanswered warning: {ARMY_FACTIONS}"))
            < top(&format!("Threshold ahead: {}", THRESHOLDS[0]))
    );
    harness.snapshot("overview_guinea_1280x720");
}

/// A wider horizon brings the later threshold moments into the list proper.
#[test]
fn the_horizon_decides_which_thresholds_are_ahead() {
    let mut harness = harness(
        app_on(tandem::samples::GUINEA, View::Overview),
        1280.0,
        720.0,
    );
    harness.state_mut().views.overview.horizon_days = 90;
    harness.run_steps(2);
    for threshold in THRESHOLDS {
        harness.get_by_label(&format!("Threshold ahead: {threshold}"));
    }
    assert!(harness.query_by_label_contains("Further ahead:").is_none());
}

/// Clicking a line reveals the item: the event is selected, the timeline shown and scrolled so
/// that the event's date is in view.
#[test]
fn clicking_a_threshold_reveals_it_in_the_timeline() {
    let mut harness = harness(
        app_on(tandem::samples::GUINEA, View::Overview),
        1280.0,
        720.0,
    );
    harness
        .get_by_label(&format!("Further ahead: {}", THRESHOLDS[2]))
        .click();
    harness.run_steps(4);
    let state = harness.state();
    assert_eq!(state.settings.view, View::Timeline);
    assert_eq!(
        state.selection,
        Some(ItemRef::new(ItemKind::Event, "t-inauguration"))
    );
    let day = state
        .doc()
        .situation()
        .event("t-inauguration")
        .expect("the sample has the inauguration")
        .date
        .first_day_number() as f64;
    let bounds = *state
        .views
        .timeline
        .last_transform
        .expect("the timeline was drawn")
        .bounds();
    assert!(
        (bounds.min()[0]..=bounds.max()[0]).contains(&day),
        "the inauguration ({day}) is in view: {:?}",
        bounds
    );
}

/// On the Kenya sample, the two leads on one line are a matrix problem in words, and a click
/// shows the line in the matrix.
#[test]
fn kenya_lists_its_two_leads_problem() {
    let mut harness = harness(
        app_on(tandem::samples::KENYA, View::Overview),
        1280.0,
        720.0,
    );
    let node = harness.get_by_label_contains("Several leads: ");
    let label = node
        .accesskit_node()
        .label()
        .unwrap_or_default()
        .to_string();
    harness.get_by_label_contains(" leads: ");
    node.click();
    harness.run_steps(4);
    let state = harness.state();
    assert_eq!(state.settings.view, View::Matrix, "{label}");
    let selected = state.selection.clone().expect("the line is selected");
    assert_eq!(selected.kind, ItemKind::Line);
    let title = &state
        .doc()
        .situation()
        .line(&selected.id)
        .expect("a line")
        .title;
    assert!(label.ends_with(title.as_str()), "{label} names {title}");
}

/// "Details…" opens the situation's own fields in the inspector; an edit there changes the
/// situation; Escape closes them.
#[test]
fn the_situations_fields_are_edited_in_the_inspector() {
    let mut harness = harness(
        app_on(tandem::samples::GUINEA, View::Overview),
        1280.0,
        720.0,
    );
    assert!(harness.query_by_label("Lead limit").is_none());
    harness.get_by_label("Details…").click();
    harness.run_steps(8);
    let field = harness.get_by_label("Lead limit");
    assert!(field.rect().left() > 700.0, "the form is in the inspector");
    harness.snapshot("overview_details_1280x720");
    harness.key_press(Key::Escape);
    harness.run_steps(4);
    assert!(harness.query_by_label("Lead limit").is_none());
    assert!(!harness.state().views.overview.details_open);
}

/// The figures: the continuum's pace and who carries the load, read from the sample.
#[test]
fn the_continuum_and_the_load_are_shown_in_figures() {
    let harness = harness(
        app_on(tandem::samples::GUINEA, View::Overview),
        1280.0,
        720.0,
    );
    let situation = harness.state().doc().situation().clone();
    let attention = tandem::analysis::attention::Attention::of(
        &situation,
        &tandem::analysis::check_all(&situation),
        30,
    );
    let pace = &attention.pace;
    assert!(pace.answered > 0 && pace.median_lag_days.is_some());
    harness.get_by_label_contains("Median wait for a first answer: ");
    harness.get_by_label(&format!(
        "Answered within 7 days: {} of {} · within 30 days: {}",
        pace.within_7_days, pace.warnings, pace.within_30_days
    ));
    let first = attention
        .load
        .first()
        .expect("a partner leads an active line");
    harness.get_by_label(&first.name);
    harness.get_by_label_contains("Lines of effort: ");
}
