//! The briefing's "Next steps" at 1280×720: every step whole on the slide, wrapped at its
//! right edge rather than cut, on the Guinea sample and a generated scale-100 situation.

#![cfg(feature = "gui")]

use egui::Rect;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use tandem::export::{briefing, redact};
use tandem::model::{Sensitivity, Situation};
use tandem::ui::briefing::{BriefingState, Slide, briefing_ui, slides};

const SCREEN: Rect = Rect {
    min: egui::pos2(0.0, 0.0),
    max: egui::pos2(1280.0, 720.0),
};

/// Below this the bottom bar (marking and buttons) begins at 1280×720.
const BODY_BOTTOM: f32 = 720.0 - 18.0 * 2.4;

struct State {
    briefing: BriefingState,
    situation: Situation,
}

fn harness(situation: Situation) -> Harness<'static, State> {
    Harness::builder()
        .with_size(SCREEN.size())
        .allow_missing_glyphs()
        .build_ui_state(
            |ui, state: &mut State| {
                briefing_ui(ui, &mut state.briefing, &state.situation);
            },
            State {
                briefing: BriefingState::for_ceiling(Sensitivity::Unclassified),
                situation,
            },
        )
}

/// Shows every "Next steps" slide and checks each step lies whole inside the slide; returns
/// how many steps were long enough to need a second line.
fn check_next_steps(harness: &mut Harness<'static, State>, situation: &Situation) -> usize {
    let (redacted, _) = redact(situation, Sensitivity::Unclassified);
    let b = briefing(&redacted);
    assert!(!b.next_steps.is_empty(), "no next steps to show");
    let mut wrapped = 0;
    for (n, slide) in slides(&b).iter().enumerate() {
        let Slide::NextSteps { items, .. } = slide else {
            continue;
        };
        harness.state_mut().briefing.slide = n;
        harness.run();
        let shown = &b.next_steps[items.clone()];
        for step in shown {
            // A generated situation repeats some texts on other dates.
            let rects: Vec<Rect> = harness
                .query_all_by_label(&step.text)
                .map(|n| n.rect())
                .collect();
            let same = shown.iter().filter(|s| s.text == step.text).count();
            assert_eq!(rects.len(), same, "“{}” shown", step.text);
            for rect in rects {
                assert!(
                    rect.right() <= SCREEN.right() - 30.0 && rect.bottom() <= BODY_BOTTOM,
                    "“{}” runs off the slide: {rect:?}",
                    step.text
                );
                // One line of the 22.5-point body font is under 30 points high.
                if rect.height() > 40.0 {
                    wrapped += 1;
                }
            }
        }
    }
    wrapped
}

#[test]
fn next_steps_wrap_inside_the_slide() {
    let mut guinea = tandem::io::parse_situation(tandem::samples::GUINEA)
        .unwrap()
        .situation;
    // A title as long as desk officers write them: its step is wider than the slide.
    let line = guinea
        .lines
        .iter_mut()
        .find(|l| l.title.starts_with("Electoral assistance"))
        .unwrap();
    line.title.push_str(
        ", the second round included, with the electoral commission (CENI) and the observers",
    );
    let mut h = harness(guinea.clone());
    h.run();
    let wrapped = check_next_steps(&mut h, &guinea);
    assert_eq!(wrapped, 1, "the long step takes two lines, the others one");
    h.snapshot("briefing_next_steps_1280x720");

    let generated = tandem::generate::generate(100, 42);
    let mut h = harness(generated.clone());
    h.run();
    check_next_steps(&mut h, &generated);
}
