//! The PDF briefing paper, read back with `pdftotext` (poppler-utils).

use std::path::Path;
use std::process::Command;

use tandem::export::{Audience, Format, Tlp, export, marking};
use tandem::model::{
    Actor, ActorKind, Assignment, Event, EventKind, Influence, Instrument, LineOfEffort,
    PartialDate, Partner, PartnerCategory, Role, Sensitivity, Situation, Stance, Status, Track,
};

/// The text of each page of `pdf`, whitespace collapsed to single spaces.
fn pages_text(pdf: &[u8], dir: &Path) -> Vec<String> {
    let input = dir.join("paper.pdf");
    let output = dir.join("paper.txt");
    std::fs::write(&input, pdf).unwrap();
    let status = Command::new("pdftotext")
        .arg("-layout")
        .arg("-enc")
        .arg("UTF-8")
        .arg(&input)
        .arg(&output)
        .status()
        .expect("pdftotext must be installed (apt-get install poppler-utils)");
    assert!(status.success(), "pdftotext failed on the PDF");
    let text = std::fs::read_to_string(&output).unwrap();
    let mut pages: Vec<String> = text.split('\u{c}').map(normalise).collect();
    // pdftotext ends the last page with a form feed too.
    if pages.last().is_some_and(String::is_empty) {
        pages.pop();
    }
    pages
}

fn normalise(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn guinea() -> Situation {
    tandem::io::parse_situation(tandem::samples::GUINEA)
        .unwrap()
        .situation
}

fn assert_marked(pages: &[String], mark: &str) {
    let mark = normalise(mark);
    let count = pages.len();
    for (n, page) in pages.iter().enumerate() {
        assert_eq!(
            page.matches(mark.as_str()).count(),
            2,
            "page {} must carry the marking at top and bottom: {page}",
            n + 1
        );
        let number = format!("Page {} of {count}", n + 1);
        assert!(page.contains(&number), "page {} lacks “{number}”", n + 1);
    }
}

#[test]
fn every_page_of_the_guinea_paper_carries_the_marking() {
    let dir = tempfile::tempdir().unwrap();
    let situation = guinea();
    for ceiling in Sensitivity::ALL {
        let audience = Audience::new(*ceiling);
        let pdf = export(&situation, Format::Pdf, &audience.into()).unwrap();
        assert!(pdf.starts_with(b"%PDF-"), "not a PDF");
        let pages = pages_text(&pdf, dir.path());
        assert!(!pages.is_empty());
        assert_marked(&pages, &marking(&audience, situation.as_of));
        let all = pages.join(" ");
        assert!(
            all.contains(&normalise(&situation.title)),
            "the title is missing"
        );
        for heading in [
            "Key actors",
            "Who does what",
            "Open problems",
            "Next steps",
            "Next threshold moments",
        ] {
            assert!(all.contains(heading), "the section “{heading}” is missing");
        }
    }
}

#[test]
fn the_chosen_tlp_label_is_printed() {
    let dir = tempfile::tempdir().unwrap();
    let situation = guinea();
    let audience = Audience {
        ceiling: Sensitivity::Confidential,
        tlp: Tlp::AmberStrict,
    };
    let pdf = export(&situation, Format::Pdf, &audience.into()).unwrap();
    let pages = pages_text(&pdf, dir.path());
    assert_marked(&pages, &marking(&audience, situation.as_of));
    assert!(pages.iter().all(|p| p.contains("TLP:AMBER+STRICT")));
}

/// A situation big enough to fill several pages: long tables, many partners.
fn long_situation() -> Situation {
    let as_of: PartialDate = "2010-06-30".parse().unwrap();
    let mut s = Situation::new("Long test situation", as_of);
    s.summary = "A generated situation whose tables run over several pages. ".repeat(12);
    for i in 0..40 {
        s.actors.push(Actor {
            id: format!("actor-{i:02}"),
            name: format!("Actor number {i:02}"),
            kind: ActorKind::CivilSociety,
            stance: Stance::Open,
            influence: Influence::Medium,
            interests: "Wants a say in the transition and guarantees for its members; "
                .repeat(1 + i % 3),
            notes: String::new(),
            sensitivity: Sensitivity::Unclassified,
            place: None,
            aliases: Vec::new(),
        });
    }
    for p in 0..11 {
        s.partners.push(Partner {
            id: format!("partner-{p:02}"),
            name: format!("Partner organisation {p:02}"),
            acronym: format!("P{p:02}"),
            category: PartnerCategory::Regional,
            instruments: Vec::new(),
            notes: String::new(),
            sensitivity: Sensitivity::Unclassified,
        });
    }
    for l in 0..70 {
        let id = format!("line-{l:02}");
        s.lines.push(LineOfEffort {
            id: id.clone(),
            title: format!("Line of work {l:02}"),
            instrument: Instrument::GoodOffices,
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
        for (k, role) in [Role::Lead, Role::Support].into_iter().enumerate() {
            s.assignments.push(Assignment {
                line: id.clone(),
                partner: format!("partner-{:02}", (l + k * 3) % 11),
                role,
                note: String::new(),
                sensitivity: Sensitivity::Unclassified,
                places: Vec::new(),
            });
        }
    }
    for e in 0..80 {
        s.events.push(Event {
            id: format!("event-{e:02}"),
            title: format!("Event number {e:02}"),
            kind: EventKind::Incident,
            date: PartialDate::day(2010, 4 + (e / 30) as u32, 1 + (e % 28) as u32).unwrap(),
            end: None,
            actors: vec![format!("actor-{:02}", e % 40)],
            partners: Vec::new(),
            lines: Vec::new(),
            answers: Vec::new(),
            source: String::new(),
            notes: String::new(),
            sensitivity: Sensitivity::Unclassified,
            fatalities: None,
            place: None,
            description: String::new(),
        });
    }
    s
}

#[test]
fn a_long_situation_runs_over_pages_and_tables_continue() {
    let dir = tempfile::tempdir().unwrap();
    let situation = long_situation();
    let audience = Audience::new(Sensitivity::Unclassified);
    let pdf = export(&situation, Format::Pdf, &audience.into()).unwrap();
    let pages = pages_text(&pdf, dir.path());
    assert!(pages.len() >= 5, "only {} pages", pages.len());
    assert_marked(&pages, &marking(&audience, situation.as_of));
    let all = pages.join(" ");
    for l in 0..70 {
        assert!(
            all.contains(&format!("Line of work {l:02}")),
            "line {l} missing"
        );
    }
    for e in 0..80 {
        assert!(
            all.contains(&format!("Event number {e:02}")),
            "event {e} missing"
        );
    }
    // The matrix header row is repeated on every page the matrix runs over.
    let first = pages
        .iter()
        .position(|p| p.contains("Line of work 00 Active"))
        .expect("the matrix starts somewhere");
    let last = pages
        .iter()
        .position(|p| p.contains("Line of work 69 Active"))
        .expect("the matrix ends somewhere");
    assert!(last > first, "the matrix should run over several pages");
    for page in &pages[first..=last] {
        assert!(
            page.contains("Line of effort Status P00"),
            "a matrix page lacks its header row: {page}"
        );
    }
    // 11 partners with short names: their columns fit the page in one table.
    assert!(!all.contains("Partners 1–"), "one table is enough");
    assert!(all.contains("Line of effort Status P00 P01 P02 P03 P04 P05 P06 P07 P08 P09 P10"));
}

#[test]
fn nothing_above_the_ceiling_reaches_the_text() {
    let dir = tempfile::tempdir().unwrap();
    let mut situation = guinea();
    situation.actors.push(Actor {
        id: "hidden-actor".into(),
        name: "Zyxwv Secret Interlocutor".into(),
        kind: ActorKind::Military,
        stance: Stance::Spoiler,
        influence: Influence::High,
        interests: String::new(),
        notes: String::new(),
        sensitivity: Sensitivity::Confidential,
        place: None,
        aliases: Vec::new(),
    });
    let unclassified = export(
        &situation,
        Format::Pdf,
        &Audience::new(Sensitivity::Unclassified).into(),
    )
    .unwrap();
    assert!(
        !pages_text(&unclassified, dir.path())
            .join(" ")
            .contains("Zyxwv")
    );
    let confidential = export(
        &situation,
        Format::Pdf,
        &Audience::new(Sensitivity::Confidential).into(),
    )
    .unwrap();
    assert!(
        pages_text(&confidential, dir.path())
            .join(" ")
            .contains("Zyxwv")
    );
}

/// The map figure's words between the "Where" heading and its caption.
fn map_words(pages: &[String]) -> String {
    let all = pages.join(" ");
    let start = all.find(" Where ").expect("the Where section");
    let end = all
        .find("Where the events happened")
        .expect("the map's caption");
    all[start + " Where ".len()..end].to_owned()
}

#[test]
fn the_paper_maps_where_events_happened_from_what_the_audience_may_see() {
    let dir = tempfile::tempdir().unwrap();
    let mut situation = guinea();
    let audience = Audience::new(Sensitivity::Unclassified);
    let pdf = export(&situation, Format::Pdf, &audience.into()).unwrap();
    let words = map_words(&pages_text(&pdf, dir.path()));
    // The countries are named, as text; Conakry's seven events are one disc with their count.
    for name in ["Guinea", "Sierra Leone", "Burkina Faso"] {
        assert!(words.contains(name), "{name} is not on the map: {words}");
    }
    assert!(words.split(' ').any(|w| w == "7"), "{words}");
    // The stadium massacre kept from this audience: one event fewer at Conakry.
    let stadium = situation
        .events
        .iter_mut()
        .find(|e| e.id == "w-stadium-massacre")
        .unwrap();
    stadium.sensitivity = Sensitivity::StrictlyConfidential;
    let pdf = export(&situation, Format::Pdf, &audience.into()).unwrap();
    let words = map_words(&pages_text(&pdf, dir.path()));
    assert!(words.split(' ').any(|w| w == "6"), "{words}");
    assert!(!words.split(' ').any(|w| w == "7"), "{words}");
}
