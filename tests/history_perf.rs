//! What keeping the local history costs at scale 100 (`tandem generate --scale 100`): the
//! window's share of an edit (the delta taken), the history thread's share (one record
//! appended and flushed), the bytes a thousand edits write, and reading it all back. Ignored by
//! default; run with `cargo test --release --test history_perf -- --ignored --nocapture`.

use std::time::Instant;

use chrono::Utc;
use tandem::app::Document;
use tandem::io::history::{Change, HistoryStore, open_for};
use tandem::model::edit::Edit;
use tandem::model::{Item, Role};

const EDITS: usize = 1_000;

fn median(mut times: Vec<f64>) -> f64 {
    times.sort_by(f64::total_cmp);
    times.get(times.len() / 2).copied().unwrap_or_default()
}

/// The `n`th edit: a role on a cell, or an actor's notes, in turn.
fn nth_edit(doc: &Document, n: usize) -> Edit {
    let s = doc.situation();
    if n.is_multiple_of(2) {
        let a = &s.assignments[(n * 7) % s.assignments.len()];
        let mut changed = a.clone();
        changed.role = if a.role == Role::Lead {
            Role::Support
        } else {
            Role::Lead
        };
        Edit::SetAssignment {
            line: a.line.clone(),
            partner: a.partner.clone(),
            assignment: Some(changed),
            index: None,
        }
    } else {
        let mut actor = s.actors[(n * 13) % s.actors.len()].clone();
        actor.notes = format!("Seen again ({n})");
        Edit::Replace {
            item: Item::Actor(actor),
        }
    }
}

#[test]
#[ignore = "a measurement: run in release with --ignored --nocapture"]
fn history_costs_at_scale_100() {
    let situation = tandem::generate::generate(100, 1);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("scale100.ron");
    let store = HistoryStore::in_data_dir(dir.path(), &file);
    let start = Instant::now();
    let mut stored = open_for(&store, &situation, Utc::now()).stored.unwrap();
    let first_open_ms = start.elapsed().as_secs_f64() * 1e3;

    let (mut plain, mut kept) = (
        Document::new(situation.clone(), None),
        Document::new(situation.clone(), None),
    );
    kept.record_history(true);
    let (mut without, mut with, mut append) = (Vec::new(), Vec::new(), Vec::new());
    for n in 0..EDITS {
        let edit = nth_edit(&plain, n);
        let t = Instant::now();
        plain.apply(edit.clone()).unwrap();
        without.push(t.elapsed().as_secs_f64() * 1e3);
        let t = Instant::now();
        kept.apply(edit).unwrap();
        let recorded = kept.take_recorded();
        with.push(t.elapsed().as_secs_f64() * 1e3);
        let t = Instant::now();
        for r in recorded {
            let change = Change {
                seq: 0,
                at: Utc::now(),
                author: Some("Bench".into()),
                label: r.label,
                detail: Vec::new(),
                delta: r.delta,
            };
            store.append(&mut stored, change, false).unwrap();
        }
        append.push(t.elapsed().as_secs_f64() * 1e3);
    }
    let bytes = |name: &str| std::fs::metadata(store.dir().join(name)).map_or(0, |m| m.len());
    let start = Instant::now();
    let reopened = open_for(&store, kept.situation(), Utc::now());
    let reopen_ms = start.elapsed().as_secs_f64() * 1e3;
    assert!(
        reopened.outside.is_none(),
        "the history knows the last state"
    );
    let stored = reopened.stored.unwrap();
    let start = Instant::now();
    let middle = stored.state_after(stored.first_seq + 500);
    let state_ms = start.elapsed().as_secs_f64() * 1e3;
    assert!(middle.is_some());
    println!(
        "history at scale 100 ({} actors, {} assignments, {} events), {EDITS} edits:",
        situation.actors.len(),
        situation.assignments.len(),
        situation.events.len()
    );
    println!(
        "  edit in the window without history: median {:.3} ms",
        median(without)
    );
    println!(
        "  edit in the window with the delta taken: median {:.3} ms",
        median(with)
    );
    println!(
        "  history_ms (append + flush, history thread): median {:.3} ms",
        median(append)
    );
    println!(
        "  base.ron {} KB, journal.lines {} KB",
        bytes("base.ron") / 1024,
        bytes("journal.lines") / 1024
    );
    println!(
        "  first open (base written) {first_open_ms:.0} ms, reopen (read + replay + compare) {reopen_ms:.0} ms, state after change 500 {state_ms:.0} ms"
    );
}
