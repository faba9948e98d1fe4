//! Editing through the GUI: forms, create/rename/delete, undo and redo, the command palette.

use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use tandem::app::{Document, ScriptedDialogs, Settings, TandemApp, View};
use tandem::model::{
    Assignment, EventKind, Instrument, ItemKind, ItemRef, LineOfEffort, Partner, PartnerCategory,
    Role as MatrixRole, Sensitivity, Situation, Status, Track,
};

fn blank() -> Situation {
    tandem::io::parse_situation(tandem::samples::BLANK)
        .unwrap()
        .situation
}

fn app_on(situation: Situation, view: View) -> TandemApp {
    let settings = Settings {
        view,
        ..Settings::default()
    };
    TandemApp::new(
        Document::new(situation, None),
        settings,
        Box::new(ScriptedDialogs::default()),
    )
}

fn harness(app: TandemApp) -> Harness<'static, TandemApp> {
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 860.0))
        .with_max_steps(12)
        .build_ui_state(|ui, app: &mut TandemApp| app.ui_root(ui), app);
    harness.run();
    harness
}

/// Replaces the text of the text field labelled `label` and presses Enter.
fn type_into(harness: &mut Harness<'_, TandemApp>, role: Role, label: &str, text: &str) {
    harness.get_by_role_and_label(role, label).click();
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.run();
    harness.key_press(Key::Backspace);
    harness.run();
    if !text.is_empty() {
        harness.get_by_role_and_label(role, label).type_text(text);
        harness.run();
    }
    harness.key_press(Key::Enter);
    harness.run();
}

/// Opens the drop-down labelled `label` and picks `option`.
fn choose(harness: &mut Harness<'_, TandemApp>, label: &str, option: &str) {
    harness.get_by_role_and_label(Role::ComboBox, label).click();
    harness.run();
    harness.get_by_label(option).click();
    harness.run();
}

fn undo(harness: &mut Harness<'_, TandemApp>) {
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
}

fn redo(harness: &mut Harness<'_, TandemApp>) {
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    harness.run();
}

fn screenshot(harness: &mut Harness<'_, TandemApp>, name: &str) {
    let Ok(dir) = std::env::var("TANDEM_SCREENSHOTS") else {
        return;
    };
    let image = harness.render().expect("render");
    std::fs::create_dir_all(&dir).unwrap();
    image
        .save(std::path::Path::new(&dir).join(format!("{name}.png")))
        .unwrap();
}

#[test]
fn add_rename_and_set_kind_of_an_actor_then_undo_and_redo_each_step() {
    let mut harness = harness(app_on(blank(), View::Actors));
    let mut states = vec![harness.state().doc().situation().clone()];

    harness.get_by_label("+ Add actor").click();
    harness.run();
    assert_eq!(harness.state().doc().situation().actors.len(), 1);
    assert_eq!(
        harness.state().selection,
        Some(ItemRef::new(ItemKind::Actor, "new-actor"))
    );
    states.push(harness.state().doc().situation().clone());

    type_into(&mut harness, Role::TextInput, "Name", "Junta (CNDD)");
    assert_eq!(
        harness.state().doc().situation().actors[0].name,
        "Junta (CNDD)"
    );
    assert_eq!(
        harness.state().doc().situation().actors[0].id,
        "junta-cndd",
        "the first name gives the new actor its id"
    );
    assert_eq!(
        harness.state().selection,
        Some(ItemRef::new(ItemKind::Actor, "junta-cndd")),
        "and the form stays on it"
    );
    assert_eq!(
        harness.state().doc().history().undo_len(),
        2,
        "one step per field edit"
    );
    states.push(harness.state().doc().situation().clone());

    type_into(&mut harness, Role::TextInput, "Id", "cndd");
    assert_eq!(harness.state().doc().situation().actors[0].id, "cndd");
    assert_eq!(
        harness.state().selection,
        Some(ItemRef::new(ItemKind::Actor, "cndd")),
        "the selection follows a renamed id"
    );
    states.push(harness.state().doc().situation().clone());

    choose(&mut harness, "Kind", "De facto authority / junta");
    assert_eq!(
        harness.state().doc().situation().actors[0].kind,
        tandem::model::ActorKind::DeFactoAuthority
    );
    states.push(harness.state().doc().situation().clone());

    // The table shows the new actor with its name and kind.
    harness.get_by_role_and_label(Role::Button, "Junta (CNDD)");
    harness.get_by_role_and_label(Role::Label, "De facto authority / junta");
    assert!(harness.state().doc().is_dirty());

    for (i, expected) in states.iter().enumerate().rev().skip(1) {
        undo(&mut harness);
        assert_eq!(harness.state().doc().situation(), expected);
        if let Some(actor) = expected.actors.first() {
            assert_eq!(
                harness.state().selection,
                Some(ItemRef::new(ItemKind::Actor, actor.id.as_str())),
                "after undo {i} the selection follows the id back"
            );
        }
    }
    assert!(
        !harness.state().doc().is_dirty(),
        "back at the opened state"
    );
    for expected in states.iter().skip(1) {
        redo(&mut harness);
        assert_eq!(harness.state().doc().situation(), expected);
    }
}

fn with_partner_and_assignments() -> Situation {
    let mut s = blank();
    s.partners.push(Partner {
        id: "ecowas".into(),
        name: "Economic Community of West African States".into(),
        acronym: "ECOWAS".into(),
        category: PartnerCategory::Subregional,
        instruments: vec![Instrument::SpecialEnvoy],
        notes: String::new(),
        sensitivity: Sensitivity::Unclassified,
    });
    for id in ["mediation", "contact-group"] {
        s.lines.push(LineOfEffort {
            id: id.into(),
            title: format!("Line {id}"),
            instrument: Instrument::MediationSupport,
            sector: String::new(),
            track: Track::I,
            status: Status::Active,
            start: None,
            end: None,
            actors: Vec::new(),
            notes: String::new(),
            sensitivity: Sensitivity::Unclassified,
            places: Vec::new(),
        });
        s.assignments.push(Assignment {
            line: id.into(),
            partner: "ecowas".into(),
            role: MatrixRole::Lead,
            note: String::new(),
            sensitivity: Sensitivity::Unclassified,
            places: Vec::new(),
        });
    }
    s
}

#[test]
fn deleting_a_partner_with_assignments_asks_first_and_removes_them_in_one_step() {
    let before = with_partner_and_assignments();
    let mut app = app_on(before.clone(), View::Partners);
    app.selection = Some(ItemRef::new(ItemKind::Partner, "ecowas"));
    let mut harness = harness(app);

    harness.get_by_label("Delete").click();
    harness.run();
    assert_eq!(
        harness.state().doc().situation(),
        &before,
        "nothing goes before the user confirms"
    );
    harness.get_by_label_contains("2 other places refer to it");
    assert_eq!(
        harness
            .query_all_by_label_contains("matrix assignment")
            .count(),
        2,
        "the confirmation lists both assignments"
    );

    // Cancel keeps everything.
    harness.get_by_label("Cancel").click();
    harness.run();
    assert_eq!(harness.state().doc().situation(), &before);

    harness.get_by_label("Delete").click();
    harness.run();
    harness.get_by_label("Delete with its references").click();
    harness.run();
    let after = harness.state().doc().situation().clone();
    assert!(after.partners.is_empty());
    assert!(after.assignments.is_empty(), "the assignments go with it");
    assert_eq!(after.lines.len(), 2);
    assert_eq!(
        harness.state().doc().history().undo_len(),
        1,
        "one undoable step"
    );

    undo(&mut harness);
    assert_eq!(harness.state().doc().situation(), &before);
    redo(&mut harness);
    assert_eq!(harness.state().doc().situation(), &after);
}

#[test]
fn a_bad_date_is_shown_at_the_field_and_never_reaches_the_situation() {
    let mut s = blank();
    let (edit, item) = tandem::model::create::new_item_edit(&s, ItemKind::Event).unwrap();
    tandem::model::edit::apply(&mut s, edit).unwrap();
    let mut app = app_on(s.clone(), View::Events);
    app.selection = Some(item);
    let mut harness = harness(app);

    type_into(&mut harness, Role::TextInput, "Date", "2009-13");
    assert_eq!(harness.state().doc().situation(), &s);
    harness.get_by_label_contains("Not a date");

    type_into(&mut harness, Role::TextInput, "Date", "2009-09");
    assert_eq!(
        harness.state().doc().situation().events[0].date.to_string(),
        "2009-09"
    );
    assert!(harness.query_by_label_contains("Not a date").is_none());

    // An optional date is cleared by emptying it.
    type_into(&mut harness, Role::TextInput, "End", "2009-10-05");
    assert_eq!(
        harness.state().doc().situation().events[0]
            .end
            .map(|d| d.to_string()),
        Some("2009-10-05".into())
    );
    type_into(&mut harness, Role::TextInput, "End", "");
    assert_eq!(harness.state().doc().situation().events[0].end, None);
}

#[test]
fn a_lines_sector_is_edited_in_its_form_and_undone() {
    let mut s = blank();
    let (edit, item) = tandem::model::create::new_item_edit(&s, ItemKind::Line).unwrap();
    tandem::model::edit::apply(&mut s, edit).unwrap();
    let mut app = app_on(s.clone(), View::Lines);
    app.selection = Some(item);
    let mut harness = harness(app);

    type_into(&mut harness, Role::TextInput, "Sector", "Protection");
    let line = &harness.state().doc().situation().lines[0];
    assert_eq!(line.sector, "Protection");
    assert_eq!(line.notes, "");
    undo(&mut harness);
    assert_eq!(harness.state().doc().situation(), &s);
}

#[test]
fn the_command_palette_runs_the_command_picked() {
    let mut harness = harness(app_on(blank(), View::Overview));
    harness.key_press_modifiers(Modifiers::COMMAND, Key::K);
    harness.run();
    assert!(harness.state().palette.open);
    let in_the_overview = tandem::app::AppCommand::all()
        .into_iter()
        .filter(|c| c.scope() == tandem::ui::command::Scope::Window);
    for command in in_the_overview {
        assert!(
            harness
                .query_all_by_label_contains(&command.label())
                .next()
                .is_some(),
            "{command:?} is missing from the palette"
        );
    }
    harness
        .get_by_label("Search commands and items")
        .type_text("go matrix");
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
    assert!(!harness.state().palette.open);
    assert_eq!(harness.state().settings.view, View::Matrix);

    harness.key_press_modifiers(Modifiers::COMMAND, Key::K);
    harness.run();
    harness.key_press(Key::Escape);
    harness.run();
    assert!(!harness.state().palette.open);
    assert_eq!(harness.state().settings.view, View::Matrix);
}

#[test]
fn a_situation_is_built_from_blank_with_the_forms_alone() {
    let mut harness = harness(app_on(blank(), View::Overview));
    harness.get_by_label("Details…").click();
    harness.run();
    type_into(&mut harness, Role::TextInput, "Title", "Guinea 2009");
    type_into(
        &mut harness,
        Role::TextInput,
        "Countries (ISO alpha-3)",
        "gin",
    );
    type_into(&mut harness, Role::TextInput, "Region", "West Africa");
    type_into(&mut harness, Role::TextInput, "As of", "2010-01-15");
    screenshot(&mut harness, "1-overview-situation-form");

    harness.key_press_modifiers(Modifiers::ALT, Key::Num2);
    harness.run();
    harness.get_by_label("+ Add actor").click();
    harness.run();
    type_into(&mut harness, Role::TextInput, "Name", "CNDD junta");
    choose(&mut harness, "Kind", "De facto authority / junta");
    choose(&mut harness, "Stance", "Resistant");

    harness.key_press_modifiers(Modifiers::ALT, Key::Num3);
    harness.run();
    harness.get_by_label("+ Add partner").click();
    harness.run();
    type_into(&mut harness, Role::TextInput, "Name", "ECOWAS");
    choose(&mut harness, "Category", "Subregional organization");
    // The instruments' list stays open while ticking; its box closes it.
    choose(&mut harness, "Instruments", "Special envoy");
    harness
        .get_by_role_and_label(Role::ComboBox, "Instruments")
        .click();
    harness.run();
    screenshot(&mut harness, "2-partner-form");

    harness.key_press_modifiers(Modifiers::ALT, Key::Num5);
    harness.run();
    harness.get_by_label_contains("Add event").click();
    harness.run();
    type_into(
        &mut harness,
        Role::TextInput,
        "Title",
        "ECOWAS appoints a mediator",
    );
    type_into(&mut harness, Role::TextInput, "Date", "2009-10-17");
    harness
        .get_by_role_and_label(Role::ComboBox, "Actors")
        .click();
    harness.run();
    harness.get_by_label("CNDD junta").click();
    harness.run();
    harness
        .get_by_role_and_label(Role::ComboBox, "Partners")
        .click();
    harness.run();
    harness.get_by_label("ECOWAS").click();
    harness.run();
    screenshot(&mut harness, "3-event-form");

    let s = harness.state().doc().situation();
    assert_eq!(s.title, "Guinea 2009");
    assert_eq!(s.countries, vec!["GIN"]);
    assert_eq!(s.actors.len(), 1);
    assert_eq!(s.partners[0].instruments, vec![Instrument::SpecialEnvoy]);
    let event = &s.events[0];
    assert_eq!(event.kind, EventKind::DiplomaticAction);
    assert_eq!(event.actors, vec![s.actors[0].id.clone()]);
    assert_eq!(event.partners, vec![s.partners[0].id.clone()]);
    let errors: Vec<_> = tandem::analysis::check_all(s)
        .into_iter()
        .filter(|d| d.severity == tandem::model::Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    let text = tandem::io::to_ron(s).unwrap();
    assert_eq!(&tandem::io::parse_situation(&text).unwrap().situation, s);
}

/// With 250 actors the picker lists 100 and says how many more there are; typing narrows the
/// list to the one wanted, and picking it adds it.
#[test]
fn a_long_reference_list_asks_for_a_narrower_search() {
    let mut situation = blank();
    for i in 0..250 {
        situation.actors.push(tandem::model::Actor {
            id: format!("actor-{i}"),
            name: format!("Prefect of district {i}"),
            kind: tandem::model::ActorKind::Government,
            stance: tandem::model::Stance::Unknown,
            influence: tandem::model::Influence::Low,
            interests: String::new(),
            notes: String::new(),
            sensitivity: Sensitivity::Unclassified,
            place: None,
            aliases: Vec::new(),
        });
    }
    situation.lines.push(LineOfEffort {
        id: "mediation".into(),
        title: "Mediation".into(),
        instrument: Instrument::MediationSupport,
        sector: String::new(),
        track: Track::ALL[0],
        status: Status::ALL[0],
        start: None,
        end: None,
        actors: Vec::new(),
        notes: String::new(),
        sensitivity: Sensitivity::Unclassified,
        places: Vec::new(),
    });
    let mut app = app_on(situation, View::Lines);
    app.selection = Some(ItemRef::new(ItemKind::Line, "mediation"));
    let mut harness = harness(app);
    harness
        .get_by_role_and_label(Role::ComboBox, "Actors engaged")
        .click();
    harness.run();
    assert!(harness.query_by_label("Prefect of district 99").is_some());
    assert!(harness.query_by_label("Prefect of district 100").is_none());
    assert!(
        harness
            .query_by_label_contains("… and 150 more: type to narrow the list")
            .is_some()
    );
    screenshot(&mut harness, "4-long-reference-list");
    harness
        .get_by_role_and_label(Role::TextInput, "Search Actors engaged")
        .click();
    harness.run();
    harness
        .get_by_role_and_label(Role::TextInput, "Search Actors engaged")
        .type_text("district 217");
    harness.run();
    assert!(
        harness
            .query_by_label_contains("more: type to narrow")
            .is_none()
    );
    harness.get_by_label("Prefect of district 217").click();
    harness.run();
    assert!(
        harness.query_by_label("Search Actors engaged").is_none(),
        "picking closes the list"
    );
    let line = harness.state().doc().situation().line("mediation").unwrap();
    assert_eq!(line.actors, vec!["actor-217"]);
}
