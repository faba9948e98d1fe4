//! The timeline read at 1280×720, on the Guinea sample and on a generated scale-100 situation:
//! each warning-to-action connector on a run of its own and explained on hover, lag labels in
//! the body font, event titles never over each other (cut ones whole on hover), filter labels
//! before their controls.

use egui::accesskit::Role;
use egui::{Pos2, Rect, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::{By, NodeT as _, Queryable as _};
use tandem::analysis::timeline_layout::LaneMode;
use tandem::app::{Document, ScriptedDialogs, Settings, TandemApp, View};
use tandem::model::Situation;

fn guinea() -> Situation {
    tandem::io::parse_situation(tandem::samples::GUINEA)
        .unwrap()
        .situation
}

fn harness(situation: Situation) -> Harness<'static, TandemApp> {
    let doc = Document::untitled(situation, "timeline");
    let app = TandemApp::new(
        doc,
        Settings {
            view: View::Timeline,
            ..Default::default()
        },
        Box::new(ScriptedDialogs::default()),
    );
    let mut harness = Harness::builder()
        .with_size(vec2(1280.0, 720.0))
        .allow_missing_glyphs()
        .build_ui_state(|ui, app: &mut TandemApp| app.ui_root(ui), app);
    harness.run_steps(4);
    harness
}

/// A scale-100 situation (as `tandem generate --scale 100` writes it) zoomed to three weeks
/// with the From and To fields: hundreds of events and dozens of connectors in view.
fn scale_100_zoomed() -> Harness<'static, TandemApp> {
    let mut harness = harness(tandem::generate::generate(100, 42));
    for (label, date) in [("From", "2012-03-01"), ("To", "2012-03-20")] {
        harness.get_by_label(label).click();
        harness.run_steps(2);
        harness.get_by_label(label).type_text(date);
        harness.run_steps(2);
    }
    harness.key_press(egui::Key::Escape);
    harness.run_steps(6);
    harness
}

fn set_lanes(harness: &mut Harness<'static, TandemApp>, mode: LaneMode) {
    harness.state_mut().views.timeline.lane_mode = mode;
    harness.run_steps(4);
}

/// The ids of a drawn connector's warning and action.
fn ends(harness: &Harness<'static, TandemApp>, warning: usize, action: usize) -> (String, String) {
    let events = &harness.state().doc().situation().events;
    (events[warning].id.clone(), events[action].id.clone())
}

#[test]
fn no_two_connectors_share_a_horizontal_run_and_lags_are_in_the_body_font() {
    let harness = harness(guinea());
    let drawn = harness.state().views.timeline.drawn_connectors();
    assert!(drawn.len() >= 12, "{} connectors drawn", drawn.len());
    for (i, a) in drawn.iter().enumerate() {
        for b in drawn.iter().skip(i + 1) {
            let same_y = (a.run.0.y - b.run.0.y).abs() < 2.0;
            let overlap = a.run.0.x <= b.run.1.x && b.run.0.x <= a.run.1.x;
            assert!(
                !(same_y && overlap),
                "{:?} and {:?} share a run: {:?} and {:?}",
                ends(&harness, a.warning, a.action),
                ends(&harness, b.warning, b.action),
                a.run,
                b.run
            );
        }
    }
    let lags: Vec<Rect> = drawn.iter().filter_map(|c| c.lag_label).collect();
    assert!(lags.len() >= 4, "{} lag labels", lags.len());
    for (i, a) in lags.iter().enumerate() {
        // The small font was 9 points high; the body font's line is over 14.
        assert!(a.height() >= 14.0, "a lag label {} px high", a.height());
        assert!(lags.iter().skip(i + 1).all(|b| !a.intersects(*b)));
    }
}

#[test]
fn hovering_a_connector_highlights_it_and_names_both_events_and_the_lag() {
    let mut harness = harness(guinea());
    let situation = harness.state().doc().situation().clone();
    let runs: Vec<(usize, usize, Pos2)> = harness
        .state()
        .views
        .timeline
        .drawn_connectors()
        .iter()
        .map(|c| (c.warning, c.action, c.run_middle()))
        .collect();
    let mut explained = 0;
    for (warning, action, middle) in runs {
        harness.hover_at(middle);
        harness.run_steps(3);
        let drawn = harness.state().views.timeline.drawn_connectors();
        let highlighted: Vec<_> = drawn.iter().filter(|c| c.highlighted).collect();
        let (w, a) = (&situation.events[warning], &situation.events[action]);
        if highlighted.is_empty() {
            // An event's bar is under the middle of this run: the event's tooltip wins there.
            continue;
        }
        assert_eq!(highlighted.len(), 1, "{} → {}", w.id, a.id);
        assert_eq!(
            (highlighted[0].warning, highlighted[0].action),
            (warning, action)
        );
        harness.get_by_label(&format!("Warning: {} ({})", w.title, w.date));
        harness.get_by_label(&format!("Answered by: {} ({})", a.title, a.date));
        harness.get_by_label_contains("Lag: ");
        explained += 1;
    }
    assert!(
        explained >= 10,
        "only {explained} connectors explained on hover"
    );
    // The junta leader's candidacy (known to the month) to the ECOWAS mediator.
    let candidacy = harness
        .state()
        .views
        .timeline
        .drawn_connectors()
        .iter()
        .find(|c| {
            ends(&harness, c.warning, c.action)
                == ("w-candidacy".into(), "a-ecowas-mediator".into())
        })
        .map(|c| c.run_middle())
        .unwrap();
    harness.hover_at(candidacy);
    harness.run_steps(3);
    harness.get_by_label("Lag: ≈77 days");
    harness.get_by_label_contains("Approximate: a date is known only to the month or year");
    harness.snapshot("timeline_guinea_connector_hover_1280x720");
}

/// No two titles drawn in one lane overlap, nor does one cover another event's marker; a title
/// cut short is whole in the tooltip of its event when the pointer is on it.
fn check_labels(harness: &mut Harness<'static, TandemApp>, what: &str) {
    let labels = harness.state().views.timeline.drawn_labels().to_vec();
    let app = harness.state();
    let situation = app.doc().situation();
    let markers: Vec<(usize, Pos2)> = (situation.events.iter().enumerate())
        .filter_map(|(i, e)| Some((i, app.views.timeline.screen_pos(situation, &e.id)?)))
        .collect();
    for label in &labels {
        for (event, at) in &markers {
            assert!(
                *event == label.event || !label.rect.contains(*at),
                "{what}: the title of event {} covers the marker of event {event}",
                label.event
            );
        }
    }
    assert!(labels.len() >= 8, "{what}: {} titles drawn", labels.len());
    for (i, a) in labels.iter().enumerate() {
        for b in labels.iter().skip(i + 1) {
            assert!(
                a.lane != b.lane || !a.rect.intersects(b.rect),
                "{what}: titles of events {} and {} overlap in lane {}",
                a.event,
                b.event,
                a.lane
            );
        }
    }
    let cut: Vec<_> = labels.iter().filter(|l| l.elided).take(4).collect();
    assert!(!cut.is_empty(), "{what}: no title was cut");
    for label in cut {
        let title = harness.state().doc().situation().events[label.event]
            .title
            .clone();
        let before = harness.query_all_by_label(&title).count();
        harness.hover_at(label.rect.center());
        harness.run_steps(3);
        assert_eq!(
            harness.query_all_by_label(&title).count(),
            before + 1,
            "{what}: hovering the cut title of “{title}” shows it whole"
        );
    }
    harness.hover_at(Pos2::ZERO);
    harness.run_steps(2);
}

#[test]
fn event_titles_in_one_lane_never_overlap_and_cut_ones_read_whole_on_hover() {
    let mut harness = harness(guinea());
    check_labels(&mut harness, "Guinea by kind");
    set_lanes(&mut harness, LaneMode::Actor);
    check_labels(&mut harness, "Guinea by actor");
    let mut harness = scale_100_zoomed();
    check_labels(&mut harness, "scale 100 by kind");
    harness.snapshot("timeline_scale100_1280x720");
}

#[test]
fn filter_labels_stand_before_their_controls() {
    let harness = harness(guinea());
    for name in ["Actor", "Partner"] {
        let combo = harness.get_by_role_and_label(Role::ComboBox, name).rect();
        let label = harness
            .get_all(By::new().label(name).include_labels())
            .find(|n| n.accesskit_node().role() == Role::Label)
            .unwrap()
            .rect();
        assert!(
            label.right() <= combo.left() && (label.center().y - combo.center().y).abs() < 8.0,
            "{name}: label at {label:?}, its box at {combo:?}"
        );
    }
}

/// Lanes that do not all fit scroll with a vertical drag, and stay where the drag left them
/// (they used to spring back to the first lane at the next frame).
#[test]
fn dragging_up_scrolls_through_lanes_that_do_not_all_fit() {
    let mut harness = harness(tandem::generate::generate(1, 7));
    set_lanes(&mut harness, LaneMode::Actor);
    let top = |h: &Harness<'static, TandemApp>| {
        let t = h.state().views.timeline.last_transform.unwrap();
        t.bounds().max()[1]
    };
    let before = top(&harness);
    let frame = *harness
        .state()
        .views
        .timeline
        .last_transform
        .unwrap()
        .frame();
    let p = frame.center();
    harness.drag_at(p);
    harness.run_steps(1);
    for k in 1..=10 {
        harness.hover_at(p - vec2(0.0, 10.0 * k as f32));
        harness.run_steps(1);
    }
    harness.drop_at(p - vec2(0.0, 100.0));
    harness.run_steps(2);
    let dragged = top(&harness);
    assert!(before - dragged > 2.0, "from {before} to {dragged}");
    harness.run_steps(5);
    assert_eq!(top(&harness), dragged);
}

#[test]
fn a_connector_to_an_answer_dated_after_the_as_of_date_is_dashed_and_says_planned() {
    let mut situation = guinea();
    // As of the first of October 2010, both answers to the electoral dispute (September) are
    // still to come: the démarche of the fifth and the quiet contacts of the twelfth.
    situation.as_of = "2010-10-01".parse().unwrap();
    let mut harness = harness(situation.clone());
    let drawn = harness.state().views.timeline.drawn_connectors().to_vec();
    let mut planned: Vec<(String, String)> = drawn
        .iter()
        .filter(|c| c.planned)
        .map(|c| ends(&harness, c.warning, c.action))
        .collect();
    planned.sort();
    assert_eq!(
        planned,
        [
            ("w-electoral-dispute".into(), "a-quiet-contacts".into()),
            ("w-electoral-dispute".into(), "a-runoff-demarche".into()),
        ]
    );
    assert!(drawn.len() > 10, "the answers given are drawn too, solid");
    let mut explained = 0;
    for c in drawn.iter().filter(|c| c.planned) {
        harness.hover_at(c.run_middle());
        harness.run_steps(3);
        let highlighted = harness
            .state()
            .views
            .timeline
            .drawn_connectors()
            .iter()
            .any(|d| d.highlighted && d.action == c.action);
        if !highlighted {
            // An event's bar is under the middle of this run.
            continue;
        }
        let a = &situation.events[c.action];
        harness.get_by_label(&format!("Answer planned: {} ({})", a.title, a.date));
        assert!(
            harness.query_by_label_contains("Answered by").is_none(),
            "a planned answer is not an answer given"
        );
        explained += 1;
    }
    assert!(explained >= 1, "no planned connector explained on hover");
    harness.snapshot("timeline_planned_answer_1280x720");
}
