//! Nothing in the matrix and the partner inspector cut off without a way to read it, at
//! 1280×720, on the Guinea sample and a generated scale-100 situation (as `tandem generate
//! --scale 100` writes it): column-group headers, the legend, the problems menu, and the
//! partner form down to its Duplicate and Delete buttons.

use egui::accesskit::Role;
use egui::{Pos2, Rect};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use tandem::app::{Document, ScriptedDialogs, Settings, TandemApp, View};
use tandem::model::{ItemKind, ItemRef, PartnerCategory, Situation};

const SCREEN: Rect = Rect {
    min: egui::pos2(0.0, 0.0),
    max: egui::pos2(1280.0, 720.0),
};

fn guinea() -> Situation {
    tandem::io::parse_situation(tandem::samples::GUINEA)
        .unwrap()
        .situation
}

fn harness(situation: Situation) -> Harness<'static, TandemApp> {
    let doc = Document::untitled(situation, "matrix");
    let app = TandemApp::new(
        doc,
        Settings {
            view: View::Matrix,
            ..Default::default()
        },
        Box::new(ScriptedDialogs::default()),
    );
    let mut harness = Harness::builder()
        .with_size(SCREEN.size())
        .allow_missing_glyphs()
        .build_ui_state(|ui, app: &mut TandemApp| app.ui_root(ui), app);
    harness.run_steps(4);
    harness
}

/// Rests the pointer at `pos` until tooltips show (they wait half a second).
fn rest_at(harness: &mut Harness<'static, TandemApp>, pos: Pos2) {
    harness.hover_at(pos);
    harness.run_steps(40);
}

fn select_partner(harness: &mut Harness<'static, TandemApp>, id: &str) {
    harness.state_mut().selection = Some(ItemRef::new(ItemKind::Partner, id));
    harness.run_steps(4);
}

#[test]
fn column_group_headers_give_their_whole_name_on_hover() {
    let mut harness = harness(guinea());
    // Six groups; "Subregional organization" has one partner, 44 pixels wide.
    for category in PartnerCategory::ALL {
        let name = category.label();
        let partners = harness
            .state()
            .doc()
            .situation()
            .partners
            .iter()
            .filter(|p| p.category == *category)
            .count();
        let band = harness.get_by_role_and_label(Role::Label, name).rect();
        assert!(band.height() <= 24.0, "{name}: the band above the names");
        rest_at(&mut harness, band.center());
        let whole = harness
            .query_by_label_contains(&format!("{name}: {partners} partner"))
            .is_some();
        let fits = harness
            .query_by_label_contains(&format!("{partners} partner"))
            .is_some();
        assert!(whole || (fits && band.width() > 180.0), "{name} on hover");
    }
    let subregional = harness
        .get_by_role_and_label(Role::Label, "Subregional organization")
        .rect();
    rest_at(&mut harness, subregional.center());
    harness.get_by_label("Subregional organization: 1 partner");
    // The legend names the sequential steps in words, not a chip cut to "Q1…".
    harness.get_by_label("Sequential (Q1 → Q2)");
    harness.snapshot("matrix_group_header_hover_1280x720");
}

/// Every problem of the menu is there whole: a long one wraps onto more lines (a cut one would
/// keep one line, its whole text only in its accessible name), inside the window.
fn check_problems_menu(harness: &mut Harness<'static, TandemApp>, shown_at_least: usize) {
    harness.get_by_label_contains("matrix problem").click();
    harness.run_steps(3);
    let problems: Vec<(String, Rect)> = harness
        .query_all_by_label_contains("⚠ “")
        .map(|n| (n.accesskit_node().label().unwrap_or_default(), n.rect()))
        // Those the menu's scroll area shows whole.
        .filter(|(_, rect)| rect.bottom() <= SCREEN.bottom())
        .collect();
    assert!(problems.len() >= shown_at_least, "{problems:?}");
    let mut wrapped = 0;
    for (text, rect) in &problems {
        assert!(
            rect.right() <= SCREEN.right(),
            "{text} runs off at {rect:?}"
        );
        // About 90 characters of the body font fill the menu's 520 points.
        if text.chars().count() > 90 {
            assert!(rect.height() > 26.0, "{text} is on one line: {rect:?}");
            wrapped += 1;
        }
    }
    assert!(
        wrapped > 0 || shown_at_least == 1,
        "no long problem to wrap"
    );
}

#[test]
fn the_problems_menu_shows_each_problem_whole() {
    let mut harness = harness(guinea());
    check_problems_menu(&mut harness, 1);
    // The example: the targeted measures line had no lead.
    harness.get_by_label_contains("⚠ “Targeted measures against members of the junta");
    let mut harness = self::harness(tandem::generate::generate(100, 42));
    check_problems_menu(&mut harness, 12);
    harness.snapshot("matrix_problems_scale100_1280x720");
}

/// The partner form fits: its buttons are on screen, under a form without large gaps.
fn check_partner_form(harness: &mut Harness<'static, TandemApp>, what: &str) {
    for button in ["Duplicate", "Delete"] {
        let rect = harness.get_by_role_and_label(Role::Button, button).rect();
        assert!(
            SCREEN.contains_rect(rect),
            "{what}: {button} at {rect:?}, off the window"
        );
    }
}

#[test]
fn the_partner_inspector_keeps_duplicate_and_delete_in_view() {
    let mut harness = harness(guinea());
    select_partner(&mut harness, "unowa");
    check_partner_form(&mut harness, "UNOWA");
    harness.snapshot("matrix_partner_inspector_1280x720");
    // A partner with twenty roles at scale 100: the roles scroll in a box of their own.
    let mut harness = self::harness(tandem::generate::generate(100, 42));
    let busiest = {
        let s = harness.state().doc().situation();
        let roles = |id: &str| s.assignments.iter().filter(|a| a.partner == id).count();
        let p = s.partners.iter().max_by_key(|p| roles(&p.id)).unwrap();
        assert!(roles(&p.id) >= 15, "{} has {} roles", p.id, roles(&p.id));
        p.id.clone()
    };
    select_partner(&mut harness, &busiest);
    check_partner_form(&mut harness, &busiest);
}

#[test]
fn a_line_says_its_partners_and_lead_whole_on_hover() {
    let mut harness = harness(guinea());
    // "2 · Guinean civil …" in the 104 points of the column.
    let row = harness
        .get_by_role_and_label(
            Role::Button,
            "Civil society dialogue and election observation",
        )
        .rect();
    rest_at(&mut harness, row.center());
    harness.get_by_label("2 partners; led by Guinean civil society election observer networks");
    // The legend's hint, cut to one line beside the inspector, is whole on hover.
    select_partner(&mut harness, "unowa");
    let hint = harness
        .get_by_label_contains("Click a cell or press Enter")
        .rect();
    let joint = harness.get_by_label("Joint").rect();
    assert!(hint.height() < 16.0, "the hint takes one line: {hint:?}");
    assert!(
        (hint.center().y - joint.center().y).abs() < 4.0,
        "the hint on the legend's line: {hint:?}, {joint:?}"
    );
    let whole = |h: &Harness<'static, TandemApp>| {
        h.query_all_by_label_contains("Backspace clears.").count()
    };
    assert_eq!(whole(&harness), 1, "the hint alone, no tooltip yet");
    rest_at(&mut harness, hint.center());
    assert_eq!(whole(&harness), 2, "the hint and its tooltip");
    assert!(SCREEN.contains_rect(hint), "{hint:?}");
}

/// With the inspector open at 1280×720, every table still shows its first four columns whole,
/// left of the inspector, on the Guinea sample and at scale 100.
#[test]
fn every_table_keeps_four_columns_beside_the_inspector() {
    let tables = [
        (
            View::Actors,
            ItemKind::Actor,
            ["Name", "Kind", "Stance", "Influence"],
        ),
        (
            View::Partners,
            ItemKind::Partner,
            ["Name", "Acronym", "Category", "Sensitivity"],
        ),
        (
            View::Lines,
            ItemKind::Line,
            ["Line of effort", "Instrument", "Track", "Status"],
        ),
        (
            View::Events,
            ItemKind::Event,
            ["Event", "Date", "Kind", "Sensitivity"],
        ),
    ];
    for situation in [guinea(), tandem::generate::generate(100, 42)] {
        for (view, kind, columns) in tables {
            let mut harness = harness(situation.clone());
            // The longest-named item of the table: the widest the inspector gets.
            let id = {
                let s = harness.state().doc().situation();
                let ids: Vec<&str> = match kind {
                    ItemKind::Actor => s.actors.iter().map(|a| a.id.as_str()).collect(),
                    ItemKind::Partner => s.partners.iter().map(|p| p.id.as_str()).collect(),
                    ItemKind::Line => s.lines.iter().map(|l| l.id.as_str()).collect(),
                    ItemKind::Event => s.events.iter().map(|e| e.id.as_str()).collect(),
                };
                let name = |id: &&str| s.item_name(kind, id).map_or(0, |n| n.chars().count());
                ids.into_iter().max_by_key(name).unwrap().to_owned()
            };
            harness.state_mut().settings.view = view;
            harness.state_mut().selection = Some(ItemRef::new(kind, &id));
            harness.run_steps(6);
            let inspector_left = harness
                .get_by_role_and_label(Role::Button, "Duplicate")
                .rect()
                .left();
            assert!(
                inspector_left > 640.0,
                "{view:?}: inspector at {inspector_left}"
            );
            for title in columns {
                let header = harness
                    .query_all_by_role_and_label(Role::Button, title)
                    .map(|n| n.rect())
                    .min_by(|a, b| a.left().total_cmp(&b.left()))
                    .unwrap_or_else(|| panic!("{view:?}: no “{title}” column"));
                assert!(
                    header.right() <= inspector_left,
                    "{view:?}: “{title}” at {header:?}, under the inspector at {inspector_left}"
                );
            }
        }
    }
}
