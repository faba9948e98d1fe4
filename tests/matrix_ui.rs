//! The matrix view driven as a desk officer would: click a cell, pick a role, press keys.

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use tandem::app::{Document, ScriptedDialogs, Settings, TandemApp, View};
use tandem::io::parse_situation;
use tandem::model::{ItemKind, Role};
use tandem::ui::matrix::{cell_label, flag_label};

const PROBLEMS: &str = include_str!("data/matrix-problems.ron");

fn harness() -> Harness<'static, TandemApp> {
    let loaded = parse_situation(PROBLEMS).expect("the test situation parses");
    let doc = Document::untitled(loaded.situation, "matrix problems");
    let settings = Settings {
        view: View::Matrix,
        ..Settings::default()
    };
    let app = TandemApp::new(doc, settings, Box::new(ScriptedDialogs::default()));
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1600.0, 900.0))
        .build_ui_state(|ui, app: &mut TandemApp| app.ui_root(ui), app);
    harness.run();
    harness
}

fn role_of(harness: &Harness<'_, TandemApp>, line: &str, partner: &str) -> Option<Role> {
    harness
        .state()
        .doc()
        .situation()
        .assignment(line, partner)
        .map(|a| a.role)
}

const INQUIRY: &str = "Commission of inquiry into 28 September";

#[test]
fn clicking_a_cell_and_choosing_lead_sets_the_assignment() {
    let mut harness = harness();
    assert_eq!(role_of(&harness, "inquiry", "au"), None);
    harness
        .get_by_label(&cell_label(INQUIRY, "AU", None))
        .click();
    harness.run();
    harness.get_by_label("Lead L").click();
    harness.run();
    assert_eq!(role_of(&harness, "inquiry", "au"), Some(Role::Lead));
    // The cell now says so, the row is selected, and the change is one undoable step.
    harness.get_by_label(&cell_label(INQUIRY, "AU", Some(Role::Lead)));
    let selection = harness
        .state()
        .selection
        .clone()
        .expect("the row is selected");
    assert_eq!(
        (selection.kind, selection.id.as_str()),
        (ItemKind::Line, "inquiry")
    );
    assert_eq!(
        harness.state().doc().history().undo_label(),
        Some("set AU as Lead on “Commission of inquiry into 28 September”")
    );
}

#[test]
fn pressing_s_on_the_focused_cell_sets_support() {
    let mut harness = harness();
    harness
        .get_by_label(&cell_label(INQUIRY, "EU", None))
        .click();
    harness.run();
    harness.key_press(egui::Key::Escape);
    harness.run();
    harness.key_press(egui::Key::S);
    harness.run();
    assert_eq!(role_of(&harness, "inquiry", "eu"), Some(Role::Support));
    // Arrow keys move the focus: right of EU is ECOWAS (the next column group).
    harness.key_press(egui::Key::ArrowRight);
    harness.run();
    harness.key_press(egui::Key::J);
    harness.run();
    assert_eq!(role_of(&harness, "inquiry", "ecowas"), Some(Role::Joint));
    // Backspace clears the focused cell.
    harness.key_press(egui::Key::Backspace);
    harness.run();
    assert_eq!(role_of(&harness, "inquiry", "ecowas"), None);
}

#[test]
fn sequential_takes_the_next_step_number() {
    let mut harness = harness();
    // The elections line has steps 1 and 3: Q on a new cell gives step 4.
    harness
        .get_by_label(&cell_label("Electoral assistance", "AU", None))
        .click();
    harness.run();
    harness.key_press(egui::Key::Q);
    harness.run();
    assert_eq!(
        role_of(&harness, "elections", "au"),
        Some(Role::Sequential(4))
    );
}

#[test]
fn a_row_with_two_leads_is_marked_and_a_clean_row_is_not() {
    let mut harness = harness();
    harness.get_by_label(&flag_label("Mediation between junta and Forces vives"));
    assert!(
        harness
            .query_by_label(&flag_label("Joint watch on border incidents"))
            .is_none(),
        "a line run jointly by two partners is not flagged"
    );
    // The overloaded partner's column is marked too.
    harness.get_by_label(&flag_label("ECOWAS"));
    // Fixing the second lead removes the mark.
    harness
        .get_by_label(&cell_label(
            "Mediation between junta and Forces vives",
            "AU",
            Some(Role::Lead),
        ))
        .click();
    harness.run();
    harness.get_by_label("Support S").click();
    harness.run();
    assert_eq!(role_of(&harness, "mediation", "au"), Some(Role::Support));
    assert!(
        harness
            .query_by_label(&flag_label("Mediation between junta and Forces vives"))
            .is_none()
    );
}

#[test]
fn picking_a_problem_from_the_toolbar_menu_selects_its_row() {
    let mut harness = harness();
    let message = harness.state().doc().situation().clone();
    let diagnostic = tandem::analysis::matrix::matrix_diagnostics(&message)
        .into_iter()
        .find(|d| d.code == "matrix.sequence-gap")
        .expect("the test situation has a sequence gap");
    let problems = tandem::analysis::matrix::matrix_diagnostics(harness.state().doc().situation());
    harness
        .get_by_label(&format!("⚠ {} matrix problems", problems.len()))
        .click();
    harness.run();
    harness
        .get_by_label(&format!("⚠ {}", diagnostic.message))
        .click();
    harness.run();
    let selection = harness
        .state()
        .selection
        .clone()
        .expect("a row is selected");
    assert_eq!(
        (selection.kind, selection.id.as_str()),
        (ItemKind::Line, "elections")
    );
}

#[test]
fn the_add_buttons_add_a_line_and_a_partner() {
    let mut harness = harness();
    let before = (
        harness.state().doc().situation().lines.len(),
        harness.state().doc().situation().partners.len(),
    );
    harness.get_by_label("+ Line of effort").click();
    harness.run();
    harness.get_by_label("+ Partner").click();
    harness.run();
    let after = (
        harness.state().doc().situation().lines.len(),
        harness.state().doc().situation().partners.len(),
    );
    assert_eq!(after, (before.0 + 1, before.1 + 1));
    assert_eq!(harness.state().settings.view, View::Matrix);
}

/// The Guinea sample has one matrix problem, and the button says so in the singular.
#[test]
fn one_problem_is_one_matrix_problem() {
    let loaded = parse_situation(tandem::samples::GUINEA).expect("the sample parses");
    let doc = Document::untitled(loaded.situation, "guinea");
    let settings = Settings {
        view: View::Matrix,
        ..Settings::default()
    };
    let app = TandemApp::new(doc, settings, Box::new(ScriptedDialogs::default()));
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1600.0, 900.0))
        .build_ui_state(|ui, app: &mut TandemApp| app.ui_root(ui), app);
    harness.run();
    harness.get_by_label("⚠ 1 matrix problem");
}

/// Dragging the sequential step through several values is one undo step, not one per value.
#[test]
fn dragging_the_step_value_is_one_undo_step() {
    let mut harness = harness();
    harness
        .get_by_label(&cell_label("Electoral assistance", "AU", None))
        .click();
    harness.run();
    harness.get_by_label("Sequential Q").click();
    harness.run();
    assert_eq!(
        role_of(&harness, "elections", "au"),
        Some(Role::Sequential(4))
    );
    let steps_before = harness.state().doc().history().undo_len();
    let start = harness.get_by_label("Sequential step").rect().center();
    harness.drag_at(start);
    harness.run();
    for dx in 1..=12 {
        harness.hover_at(start + egui::vec2(dx as f32 * 6.0, 0.0));
        harness.run();
    }
    harness.drop_at(start + egui::vec2(72.0, 0.0));
    harness.run();
    let after = role_of(&harness, "elections", "au");
    let Some(Role::Sequential(step)) = after else {
        panic!("still sequential: {after:?}");
    };
    assert!(
        step > 5,
        "the drag passed through several values (at {step})"
    );
    assert_eq!(
        harness.state().doc().history().undo_len(),
        steps_before + 1,
        "the whole drag is one step"
    );
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run();
    assert_eq!(
        role_of(&harness, "elections", "au"),
        Some(Role::Sequential(4)),
        "one undo takes the whole drag back"
    );
}

/// Escape first closes the cell menu, then clears the selection (and closes the inspector).
#[test]
fn escape_closes_the_cell_menu_then_clears_the_selection() {
    let mut harness = harness();
    harness
        .get_by_label(&cell_label(INQUIRY, "EU", None))
        .click();
    harness.run();
    harness.get_by_label("Lead L");
    assert!(harness.state().selection.is_some());
    harness.key_press(egui::Key::Escape);
    harness.run();
    assert!(
        harness.query_by_label("Lead L").is_none(),
        "the menu closed"
    );
    assert!(
        harness.state().selection.is_some(),
        "the row stays selected"
    );
    harness.key_press(egui::Key::Escape);
    harness.run();
    assert!(
        harness.state().selection.is_none(),
        "then the selection goes"
    );
}

/// With the inspector open at 1280×720, the matrix still shows at least eight partner columns
/// beside it, none under it.
#[test]
fn the_inspector_leaves_the_matrix_eight_partner_columns_at_1280_by_720() {
    let loaded = parse_situation(tandem::samples::GUINEA).expect("the sample parses");
    let doc = Document::untitled(loaded.situation, "guinea");
    let settings = Settings {
        view: View::Matrix,
        ..Settings::default()
    };
    let app = TandemApp::new(doc, settings, Box::new(ScriptedDialogs::default()));
    // A form's grid with wrapped text settles over a few frames when the inspector opens.
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 720.0))
        .with_max_steps(8)
        .build_ui_state(|ui, app: &mut TandemApp| app.ui_root(ui), app);
    harness.run();
    let line = "ECOWAS-led mediation between the junta and the Forces Vives";
    harness
        .get_by_label(&cell_label(line, "ECOWAS", Some(Role::Lead)))
        .click();
    harness.run();
    harness.key_press(egui::Key::Escape);
    harness.run();
    assert!(harness.state().selection.is_some());
    // The inspector's first line names the kind of item; its left edge is the pane's.
    let inspector_left = harness
        .query_all_by_label("Line of effort")
        .map(|n| n.rect().left())
        .fold(0.0_f32, f32::max);
    assert!(
        inspector_left > 640.0,
        "the inspector is on the right ({inspector_left})"
    );
    let prefix = format!("{line} × ");
    let columns: Vec<egui::Rect> = harness
        .query_all_by_label_contains(&prefix)
        .map(|n| n.rect())
        .collect();
    let beside = columns
        .iter()
        .filter(|r| r.right() <= inspector_left)
        .count();
    harness.snapshot("matrix_inspector_1280x720");
    assert!(
        beside >= 8,
        "{beside} partner columns beside the inspector ({} drawn)",
        columns.len()
    );
}
