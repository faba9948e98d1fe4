//! `cargo bench --bench perf`: load, save, frame and export figures at scales 1, 10 and 100.
//!
//! Prints one line per figure, `NAME: VALUE UNIT`, for scripts. Options:
//! `--scales 1,10` (default `1,10,100`), `--frames N` (default 100), `--views timeline,matrix`
//! (default all; for profiling one view: the exports and imports are then skipped),
//! `--import-rows 10000,40000` (default 100000: `import_ms.acled_100k`, `import_ms.hxl_100k`). Before the scales, the
//! PDF of a situation with names of a megabyte: `export_ms.pdf_long_names`, `rss_mb.pdf_long_names`.
//!
//! What changed: `diff_ms.scaleN` and `since_ms.scaleN`, against a copy differing in 1 % of
//! its items (`--diff-only` prints these alone). Sharing: `share_ms`, `open_shared_ms` (and its
//! parts), `shared_edit_ms`, `edit_frame_ms.shared`, `remote_change_ms` (`--sync-only` prints
//! these alone). The local history after 1,000 edits: `history_ms` (the History panel's list),
//! `history_append_ms`, `history_open_ms`; a shared one's: `shared_history_items_ms` (the items
//! each change touched), `shared_history_ms` (`--history-only` prints these alone).
//!
//! Under `cargo test` (no `--bench` argument) it runs as a smoke check: scale 1, 10 frames.

use std::path::Path;
use std::time::Instant;

use tandem::app::{Document, ScriptedDialogs, Settings, TandemApp, View};
use tandem::model::Situation;

fn median_and_p95(mut samples: Vec<f64>) -> (f64, f64) {
    samples.sort_by(f64::total_cmp);
    let at = |q: f64| {
        let i = ((samples.len() as f64 - 1.0) * q).round() as usize;
        samples.get(i).copied().unwrap_or(f64::NAN)
    };
    (at(0.5), at(0.95))
}

fn time_ms(runs: usize, mut f: impl FnMut()) -> f64 {
    let samples: Vec<f64> = (0..runs.max(1))
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    median_and_p95(samples).0
}

fn ms_between(start: Instant, end: Instant) -> f64 {
    end.duration_since(start).as_secs_f64() * 1000.0
}

fn figure(name: &str, value: f64, unit: &str) {
    println!("{name}: {value:.3} {unit}");
}

fn raw_input(events: Vec<egui::Event>) -> egui::RawInput {
    egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(1280.0, 800.0),
        )),
        events,
        ..Default::default()
    }
}

/// CPU time of full frames (layout + tessellation) of one view, scrolling between frames.
fn frame_times(
    situation: &Situation,
    view: View,
    selection: Option<tandem::model::ItemRef>,
    frames: usize,
) -> Vec<f64> {
    let doc = Document::untitled(situation.clone(), "bench");
    let settings = Settings {
        view,
        ..Settings::default()
    };
    let mut app = TandemApp::new(doc, settings, Box::new(ScriptedDialogs::default()));
    app.selection = selection;
    let ctx = egui::Context::default();
    let pointer = egui::pos2(500.0, 450.0);
    let mut frame = |events: Vec<egui::Event>| {
        let start = Instant::now();
        let mut output = ctx.run_ui(raw_input(events), |ui| app.ui_root(ui));
        let shapes = std::mem::take(&mut output.shapes);
        let _ = ctx.tessellate(shapes, output.pixels_per_point);
        output.textures_delta.clear();
        start.elapsed().as_secs_f64() * 1000.0
    };
    for _ in 0..5 {
        frame(vec![egui::Event::PointerMoved(pointer)]);
    }
    (0..frames)
        .map(|i| {
            let delta = if (i / 20) % 2 == 0 { -120.0 } else { 120.0 };
            let scroll = egui::Event::MouseWheel {
                unit: egui::MouseWheelUnit::Point,
                delta: egui::vec2(if i % 3 == 0 { delta } else { 0.0 }, delta),
                phase: egui::TouchPhase::Move,
                modifiers: egui::Modifiers::NONE,
                source: egui::MouseWheelSource::Wheel,
            };
            frame(vec![egui::Event::PointerMoved(pointer), scroll])
        })
        .collect()
}

/// The situation with one cell in 15 of its matrix assigned (20,000 at scale 100), roles in turn.
fn with_dense_matrix(situation: &Situation) -> Situation {
    use tandem::model::{Assignment, Role, Sensitivity};
    let roles = [
        Role::Lead,
        Role::Support,
        Role::BurdenSharing,
        Role::Sequential(1),
        Role::Joint,
    ];
    let mut dense = situation.clone();
    dense.assignments = situation
        .lines
        .iter()
        .enumerate()
        .flat_map(|(l, line)| {
            situation
                .partners
                .iter()
                .enumerate()
                .filter(move |(p, _)| (l * 7 + p * 13) % 15 == 0)
                .map(move |(p, partner)| (l + p, line, partner))
        })
        .map(|(i, line, partner)| Assignment {
            line: line.id.clone(),
            partner: partner.id.clone(),
            role: roles[i % roles.len()],
            note: String::new(),
            sensitivity: Sensitivity::Unclassified,
            places: Vec::new(),
        })
        .collect();
    dense
}

/// CPU time of the frame that applies one edit (an actor renamed) and redraws `view`:
/// the edit, the diagnostics and every cache that depends on the revision.
fn edit_frame_times(situation: &Situation, view: View, edits: usize) -> Vec<f64> {
    let doc = Document::untitled(situation.clone(), "bench");
    let settings = Settings {
        view,
        ..Settings::default()
    };
    let mut app = TandemApp::new(doc, settings, Box::new(ScriptedDialogs::default()));
    let ctx = egui::Context::default();
    let frame = |app: &mut TandemApp| {
        let start = Instant::now();
        let mut output = ctx.run_ui(raw_input(Vec::new()), |ui| app.ui_root(ui));
        let shapes = std::mem::take(&mut output.shapes);
        let _ = ctx.tessellate(shapes, output.pixels_per_point);
        output.textures_delta.clear();
        start.elapsed().as_secs_f64() * 1000.0
    };
    for _ in 0..5 {
        frame(&mut app);
    }
    let Some(first) = situation.actors.first() else {
        return Vec::new();
    };
    (0..edits)
        .map(|i| {
            let mut actor = first.clone();
            actor.name = format!("{} (edit {i})", first.name);
            app.push(tandem::app::Action::Edit(
                tandem::model::edit::Edit::Replace {
                    item: tandem::model::Item::Actor(actor),
                },
            ));
            frame(&mut app)
        })
        .collect()
}

/// Resets the peak resident set size to the current one (Linux: `5` to `clear_refs`), so that
/// the next [`peak_rss_mb`] tells the peak of what runs in between.
fn reset_peak_rss() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// Ordinary words, `bytes` long.
fn long_words(bytes: usize, first: &str) -> String {
    const WORDS: [&str; 8] = [
        "mediation",
        "regional",
        "office",
        "dialogue",
        "transition",
        "electoral",
        "commission",
        "community",
    ];
    let mut out = String::from(first);
    let mut i = 0;
    while out.len() < bytes {
        out.push(' ');
        out.push_str(WORDS[(i * 5 + i / 8) % WORDS.len()]);
        i += 1;
    }
    out
}

/// The Guinea sample with names of `bytes` each: the title, an actor, a partner (without an
/// acronym, as imported sheets have them), a line of effort and an event, all unclassified.
fn with_long_names(bytes: usize) -> Option<Situation> {
    use tandem::model::Sensitivity::Unclassified;
    let mut s = tandem::io::parse_situation(tandem::samples::GUINEA)
        .ok()?
        .situation;
    s.title = long_words(bytes, "Title");
    s.actors
        .iter_mut()
        .find(|a| a.sensitivity == Unclassified)?
        .name = long_words(bytes, "Actor");
    let partner = s
        .partners
        .iter_mut()
        .find(|p| p.sensitivity == Unclassified)?;
    partner.name = long_words(bytes, "Partner");
    partner.acronym.clear();
    s.lines
        .iter_mut()
        .find(|l| l.sensitivity == Unclassified)?
        .title = long_words(bytes, "Line");
    s.events
        .iter_mut()
        .find(|e| e.sensitivity == Unclassified)?
        .title = long_words(bytes, "Event");
    Some(s)
}

/// A synthetic ACLED extract of `rows` incidents: 400 actors (some associated), twelve
/// locations in four countries' regions, every column ACLED gives.
fn acled_csv(rows: usize) -> String {
    let places = [
        (
            "Guinea", "324", "Conakry", "Conakry", "Conakry", 9.537, -13.678,
        ),
        (
            "Guinea",
            "324",
            "Nzerekore",
            "Nzerekore",
            "Nzerekore",
            7.756,
            -8.818,
        ),
        (
            "Guinea", "324", "Kankan", "Siguiri", "Siguiri", 11.423, -9.168,
        ),
        (
            "Sierra Leone",
            "694",
            "Eastern",
            "Kailahun",
            "Kailahun",
            8.279,
            -10.574,
        ),
        (
            "Liberia", "430", "Lofa", "Voinjama", "Voinjama", 8.422, -9.748,
        ),
        ("Mali", "466", "Mopti", "Mopti", "Sevare", 14.532, -4.095),
    ];
    let mut out = String::from(
        "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp\n",
    );
    for i in 0..rows {
        let (country, iso, admin1, admin2, location, lat, lon) = places[i % places.len()];
        let day = 1 + i % 28;
        let month = 1 + (i / 28) % 12;
        let year = 2000 + (i / 336) % 25;
        let actor1 = format!("Military Forces of {country} ({})", 2000 + i % 200);
        let actor2 = format!("Protesters ({country}) group {}", i % 200);
        out.push_str(&format!(
            "X{i},{year}-{month:02}-{day:02},{year},{},Political violence,Battles,Armed clash,{actor1},Youth Wing {},1,{actor2},,6,16,,{iso},Western Africa,{country},{admin1},{admin2},,{location},{lat:.4},{lon:.4},{},Local press,National,\"Synthetic row {i}, with a comma.\",{},,1600000000\n",
            1 + i % 3,
            i % 50,
            1 + i % 3,
            i % 7,
        ));
    }
    out
}

/// A synthetic who-does-what sheet of `rows` rows: an activity per 20 rows, 300
/// organisations as lead and implementer, a district per row.
fn hxl_csv(rows: usize) -> String {
    let mut out = String::from(
        "Code,Activity,Lead,Lead type,Partner,Status,Start,End,Country,Region,District,District code\n#activity+code,#activity+name,#org+prog+name,#org+prog+type,#org+impl+name,#status,#date+start,#date+end,#country+code,#adm1+name,#adm2+name,#adm2+code\n",
    );
    for i in 0..rows {
        let activity = i / 20;
        out.push_str(&format!(
            "A{activity},Activity {activity},Organisation {},UN agency,Organisation {},Ongoing,2020-01,2021-06,GIN,Region {},District {},GN{:04}\n",
            activity % 300,
            (i * 7) % 300,
            i % 8,
            i % 40,
            i % 40,
        ));
    }
    out
}

/// `import_ms.acled_Nk` and `import_ms.hxl_Nk`: reading, planning and applying an import
/// of N rows into a new situation.
fn bench_imports(rows: &[usize]) {
    use tandem::import::Format;
    for &n in rows {
        let name = if n % 1000 == 0 {
            format!("{}k", n / 1000)
        } else {
            n.to_string()
        };
        for (format, csv) in [(Format::Acled, acled_csv(n)), (Format::Hxl, hxl_csv(n))] {
            let blank = Situation::new(
                "bench",
                tandem::model::PartialDate::year(2024).unwrap_or_else(|| unreachable!()),
            );
            let start = Instant::now();
            let result = format.plan(csv.as_bytes(), &blank).map(|plan| {
                let mut after = blank.clone();
                let applied = plan.apply(&mut after);
                (
                    plan.rows_read,
                    applied.is_ok(),
                    after.events.len() + after.lines.len(),
                )
            });
            let elapsed = start.elapsed().as_secs_f64() * 1000.0;
            match result {
                Ok((read, true, _)) if read == n => figure(
                    &format!("import_ms.{}_{name}", format.code()),
                    elapsed,
                    "ms",
                ),
                other => eprintln!(
                    "perf: the {} import of {n} rows went wrong: {other:?}",
                    format.code()
                ),
            }
        }
    }
}

/// `export_ms.pdf_long_names`: the PDF of a situation with names of a megabyte (10 kB in the
/// smoke run), and the peak memory it takes.
fn bench_long_names(smoke: bool) {
    let bytes = if smoke { 10_000 } else { 1_000_000 };
    let Some(situation) = with_long_names(bytes) else {
        eprintln!("perf: the Guinea sample has no unclassified item of some kind");
        return;
    };
    let audience = tandem::export::Audience::default();
    reset_peak_rss();
    let ms = time_ms(1, || {
        let pdf = tandem::export::export(&situation, tandem::export::Format::Pdf, &audience.into());
        assert!(pdf.is_ok(), "the PDF of long names is written");
    });
    figure("export_ms.pdf_long_names", ms, "ms");
    if let Some(rss) = peak_rss_mb() {
        figure("rss_mb.pdf_long_names", rss, "MB");
    }
}

/// Sharing, at this scale: the situation written as a new Automerge document (`share_ms`;
/// `share_ms.save`: that document saved whole, as the app then stores and sends it),
/// a saved document opened and read whole (`open_shared_ms`), the change one edit adds
/// (`shared_edit_ms`: an actor renamed, written into the document; `edit_frame_ms.shared`: the
/// matrix frame applying that edit plus the write), and a colleague's edit of
/// one event merged, read into the situation and shown in a frame of the matrix, the checks
/// brought up to date (`remote_change_ms`, and its parts `.merge`, `.read`, `.frame`).
fn bench_sync(situation: &Situation, scale: u32, runs: usize) {
    use automerge::Automerge;
    use tandem::model::Sensitivity;
    use tandem::model::edit::{Edit, apply};
    use tandem::sync::SharedDoc;
    let ceiling = Sensitivity::StrictlyConfidential;
    let runs = runs.min(5);
    let share = time_ms(runs, || {
        let mut doc = Automerge::new();
        let _ = SharedDoc::create(&mut doc, situation, ceiling, "bench", 0);
    });
    figure(&format!("share_ms.scale{scale}"), share, "ms");
    let mut doc = Automerge::new();
    let Ok(mut shared) = SharedDoc::create(&mut doc, situation, ceiling, "bench", 0) else {
        return;
    };
    // What the app does next with a new share: the document saved whole (samod stores it and
    // sends it to the server in this form).
    let mut bytes = Vec::new();
    let save = time_ms(runs, || bytes = doc.save());
    figure(&format!("share_ms.save.scale{scale}"), save, "ms");
    // Opening's parts: the bytes loaded by Automerge, the mapping read (lists and index), the
    // situation read from it.
    let mut open_parts: [Vec<f64>; 3] = Default::default();
    let open = time_ms(runs, || {
        let start = Instant::now();
        let Ok(loaded) = Automerge::load(&bytes) else {
            return;
        };
        let loaded_at = Instant::now();
        let Ok(mut opened) = SharedDoc::open(&loaded) else {
            return;
        };
        let mapped = Instant::now();
        let _ = opened.situation(&loaded, None);
        open_parts[0].push(ms_between(start, loaded_at));
        open_parts[1].push(ms_between(loaded_at, mapped));
        open_parts[2].push(ms_between(mapped, Instant::now()));
    });
    figure(&format!("open_shared_ms.scale{scale}"), open, "ms");
    for (name, samples) in ["load", "map", "read"].into_iter().zip(open_parts) {
        let figure_name = format!("open_shared_ms.{name}.scale{scale}");
        figure(&figure_name, median_and_p95(samples).0, "ms");
    }
    let (Some(first), Some(event)) = (situation.actors.first(), situation.events.last()) else {
        return;
    };
    let mut colleague = doc.fork();
    let Ok(mut theirs) = SharedDoc::open(&colleague) else {
        return;
    };
    // The officer's window, on the matrix, drawn once before the first change.
    let settings = Settings {
        view: View::Matrix,
        ..Settings::default()
    };
    let own = Document::untitled(situation.clone(), "bench");
    let mut app = TandemApp::new(own, settings, Box::new(ScriptedDialogs::default()));
    let ctx = egui::Context::default();
    let frame = |app: &mut TandemApp| {
        let mut output = ctx.run_ui(raw_input(Vec::new()), |ui| app.ui_root(ui));
        let shapes = std::mem::take(&mut output.shapes);
        let _ = ctx.tessellate(shapes, output.pixels_per_point);
        output.textures_delta.clear();
    };
    for _ in 0..3 {
        frame(&mut app);
    }
    let (mut edits, mut remotes, mut edit_frames) = (Vec::new(), Vec::new(), Vec::new());
    // The remote change's parts: the merge (samod's, off the window's thread in the app), the
    // read into the situation, the frame that shows it (with the checks it brings up to date).
    let mut parts: [Vec<f64>; 3] = Default::default();
    for i in 0..runs * 2 {
        let mut actor = first.clone();
        actor.name = format!("{} (edit {i})", first.name);
        let edit = Edit::Replace {
            item: tandem::model::Item::Actor(actor),
        };
        let touched = edit.touched();
        // The officer's edit frame in a shared situation: the edit applied and checked, the
        // matrix drawn, the change written into the shared document (as the session does on
        // the window's thread after an edit).
        let start = Instant::now();
        app.push(tandem::app::Action::Edit(edit));
        frame(&mut app);
        let written = Instant::now();
        let local = app.doc().situation();
        let _ = shared.write(&mut doc, local, &touched, "edit actor", "bench", 0);
        let done = Instant::now();
        edits.push(ms_between(written, done));
        edit_frames.push(ms_between(start, done));
        // A colleague edits the last event; it arrives, is read in and shown.
        let mut changed = event.clone();
        changed.notes = format!("colleague's note {i}");
        let edit = Edit::Replace {
            item: tandem::model::Item::Event(changed),
        };
        let mut their_view = situation.clone();
        let touched = edit.touched();
        if apply(&mut their_view, edit).is_err() {
            return;
        }
        let _ = theirs.write(
            &mut colleague,
            &their_view,
            &touched,
            "edit event",
            "colleague",
            0,
        );
        let start = Instant::now();
        let before = doc.get_heads();
        let _ = doc.merge(&mut colleague);
        let merged = Instant::now();
        let read = app
            .session_mut()
            .doc_mut()
            .take_remote(|local| shared.take_remote(&doc, &before, local).map(Some));
        let read_at = Instant::now();
        if read.is_err() {
            return;
        }
        frame(&mut app);
        let shown = Instant::now();
        parts[0].push(ms_between(start, merged));
        parts[1].push(ms_between(merged, read_at));
        parts[2].push(ms_between(read_at, shown));
        remotes.push(ms_between(start, shown));
    }
    for (name, samples) in ["merge", "read", "frame"].into_iter().zip(parts) {
        let figure_name = format!("remote_change_ms.{name}.scale{scale}");
        figure(&figure_name, median_and_p95(samples).0, "ms");
    }
    figure(
        &format!("shared_edit_ms.scale{scale}"),
        median_and_p95(edits).0,
        "ms",
    );
    figure(
        &format!("edit_frame_ms.shared.scale{scale}"),
        median_and_p95(edit_frames).0,
        "ms",
    );
    figure(
        &format!("remote_change_ms.scale{scale}"),
        median_and_p95(remotes).0,
        "ms",
    );
}

/// The `n`th of the history's edits (as `tests/history_perf.rs` makes them): a role on a cell,
/// or an actor's notes, in turn.
fn nth_history_edit(situation: &Situation, n: usize) -> Option<tandem::model::edit::Edit> {
    use tandem::model::edit::Edit;
    use tandem::model::{Item, Role};
    if n.is_multiple_of(2) {
        let cell = situation
            .assignments
            .get((n * 7) % situation.assignments.len().max(1))?;
        let mut changed = cell.clone();
        changed.role = if cell.role == Role::Lead {
            Role::Support
        } else {
            Role::Lead
        };
        Some(Edit::SetAssignment {
            line: cell.line.clone(),
            partner: cell.partner.clone(),
            assignment: Some(changed),
            index: None,
        })
    } else {
        let actor = situation
            .actors
            .get((n * 13) % situation.actors.len().max(1))?;
        let mut actor = actor.clone();
        actor.notes = format!("Seen again ({n})");
        Some(Edit::Replace {
            item: Item::Actor(actor),
        })
    }
}

/// The local history after 1,000 edits at this scale: `history_append_ms` (one change appended
/// and flushed by the history's thread, median), `history_open_ms` (the history read back when
/// the file opens: base, journal replayed, compared with the file) and `history_ms` (the
/// History panel's list built from the 1,000 changes, as the window does when they arrive).
fn bench_history(situation: &Situation, scale: u32, dir: &Path) {
    use tandem::io::history::{Change, HistoryEntry, HistoryStore, open_for};
    const EDITS: usize = 1_000;
    let file = dir.join(format!("history{scale}.ron"));
    let store = HistoryStore::in_data_dir(&dir.join("data"), &file);
    let now = chrono::Utc::now();
    let Some(mut stored) = open_for(&store, situation, now).stored else {
        eprintln!("perf: the history of scale {scale} could not be started");
        return;
    };
    let mut doc = Document::new(situation.clone(), None);
    doc.record_history(true);
    let mut appends = Vec::new();
    for n in 0..EDITS {
        let Some(edit) = nth_history_edit(doc.situation(), n) else {
            return;
        };
        if doc.apply(edit).is_err() {
            return;
        }
        for recorded in doc.take_recorded() {
            let change = Change {
                seq: 0,
                at: chrono::Utc::now(),
                author: Some("Bench".into()),
                label: recorded.label,
                detail: Vec::new(),
                delta: recorded.delta,
            };
            let start = Instant::now();
            if let Err(err) = store.append(&mut stored, change, false) {
                eprintln!("perf: a change was not appended to the history: {err}");
                return;
            }
            appends.push(start.elapsed().as_secs_f64() * 1000.0);
        }
    }
    let open = time_ms(3, || {
        std::hint::black_box(open_for(&store, doc.situation(), now));
    });
    let list = time_ms(10, || {
        let entries: Vec<HistoryEntry> =
            stored.changes.iter().map(HistoryEntry::of_change).collect();
        std::hint::black_box(entries);
    });
    let (append, _) = median_and_p95(appends);
    figure(&format!("history_append_ms.scale{scale}"), append, "ms");
    figure(&format!("history_open_ms.scale{scale}"), open, "ms");
    figure(&format!("history_ms.scale{scale}"), list, "ms");
    bench_shared_history(situation, scale);
}

/// A shared situation's history after 1,000 edits at this scale: `shared_history_items_ms`
/// (the items each change touched read from scratch, as when the History panel first lists
/// them: every change but the share decoded), `.one_change` (brought up to date after one
/// more change, as on each colleague's edit) and `shared_history_ms.one_change` (the panel's
/// entries built again after one more change, the items included).
fn bench_shared_history(situation: &Situation, scale: u32) {
    use tandem::app::history::shared_entries;
    use tandem::sync::SharedDoc;
    use tandem::sync::doc::ItemsPerChange;
    const EDITS: usize = 1_000;
    let ceiling = tandem::model::Sensitivity::StrictlyConfidential;
    let mut doc = automerge::Automerge::new();
    let Ok(mut shared) = SharedDoc::create(&mut doc, situation, ceiling, "bench", 0) else {
        eprintln!("perf: the situation of scale {scale} could not be shared");
        return;
    };
    let mut local = situation.clone();
    let mut edit_and_write = |n: usize, doc: &mut automerge::Automerge| {
        let edit = nth_history_edit(&local, n)?;
        let (touched, label) = (edit.touched(), edit.describe(&local));
        tandem::model::edit::apply(&mut local, edit).ok()?;
        let now = i64::try_from(n).unwrap_or_default();
        shared
            .write(doc, &local, &touched, &label, "bench", now)
            .ok()
    };
    for n in 0..EDITS {
        if edit_and_write(n, &mut doc).is_none() {
            eprintln!("perf: edit {n} was not written into the shared document");
            return;
        }
    }
    let from_scratch = time_ms(3, || ItemsPerChange::default().update(&doc));
    let mut items = ItemsPerChange::default();
    items.update(&doc);
    let (mut one_change, mut entries) = (Vec::new(), Vec::new());
    for n in EDITS..EDITS + 10 {
        let _ = edit_and_write(n, &mut doc);
        let start = Instant::now();
        items.update(&doc);
        one_change.push(start.elapsed().as_secs_f64() * 1000.0);
        let _ = edit_and_write(n + 10, &mut doc);
        let start = Instant::now();
        std::hint::black_box(shared_entries(&doc, &mut items));
        entries.push(start.elapsed().as_secs_f64() * 1000.0);
    }
    let name = |what: &str| format!("{what}.scale{scale}");
    figure(&name("shared_history_items_ms"), from_scratch, "ms");
    let one_change = median_and_p95(one_change).0;
    figure(
        &name("shared_history_items_ms.one_change"),
        one_change,
        "ms",
    );
    let entries = median_and_p95(entries).0;
    figure(&name("shared_history_ms.one_change"), entries, "ms");
}

/// A copy of `situation` differing in 1 % of its items: of each kind, one item in a hundred
/// changed (a stance, a name, a status, a role, a title), one event in a hundred removed and as
/// many added.
fn with_one_percent_changed(situation: &Situation) -> Situation {
    use tandem::model::{Role, Stance, Status};
    let mut out = situation.clone();
    for actor in out.actors.iter_mut().step_by(100) {
        actor.stance = match actor.stance {
            Stance::Spoiler => Stance::Open,
            _ => Stance::Spoiler,
        };
    }
    for partner in out.partners.iter_mut().step_by(100) {
        partner.name.push_str(" (revised)");
    }
    for line in out.lines.iter_mut().step_by(100) {
        line.status = match line.status {
            Status::Active => Status::Paused,
            _ => Status::Active,
        };
    }
    for cell in out.assignments.iter_mut().step_by(100) {
        cell.role = match cell.role {
            Role::Lead => Role::Support,
            _ => Role::Lead,
        };
    }
    for event in out.events.iter_mut().step_by(100) {
        event.title.push_str(" (revised)");
    }
    let added: Vec<_> = out
        .events
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 100 == 50)
        .map(|(i, e)| {
            let mut e = e.clone();
            e.id = format!("added-{i}");
            e.title = format!("Added event {i}");
            e
        })
        .collect();
    let mut i = 0;
    out.events.retain(|_| {
        i += 1;
        i % 100 != 51
    });
    out.events.extend(added);
    out
}

/// `diff_ms.scaleN`: what changed between the situation and a copy differing in 1 % of its
/// items; `since_ms.scaleN`: the same for an unclassified audience (both states redacted).
fn bench_diff(situation: &Situation, scale: u32) {
    let changed = with_one_percent_changed(situation);
    let runs = if scale >= 100 { 5 } else { 10 };
    let ms = time_ms(runs, || {
        std::hint::black_box(tandem::analysis::diff::diff(situation, &changed));
    });
    figure(&format!("diff_ms.scale{scale}"), ms, "ms");
    let options = tandem::export::ExportOptions::new(tandem::export::Audience::default());
    let ms = time_ms(runs, || {
        std::hint::black_box(tandem::export::since::since(situation, &changed, &options));
    });
    figure(&format!("since_ms.scale{scale}"), ms, "ms");
}

fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn bench_scale(scale: u32, frames: usize, only_views: Option<&[String]>, dir: &Path) {
    let situation = tandem::generate::generate(scale, 42);
    let path = dir.join(format!("scale{scale}.ron"));
    let json_path = dir.join(format!("scale{scale}.json"));
    if let Err(err) = tandem::io::save_file(&path, &situation) {
        eprintln!("perf: cannot write {}: {err}", path.display());
        return;
    }
    let json = serde_json::to_vec(&situation).unwrap_or_default();
    if let Err(err) = std::fs::write(&json_path, &json) {
        eprintln!("perf: cannot write {}: {err}", json_path.display());
        return;
    }
    let runs = if scale >= 100 { 7 } else { 10 };
    let load = time_ms(runs, || {
        let loaded = tandem::io::load_file(&path);
        assert!(loaded.is_ok(), "the generated file loads");
    });
    let load_json = time_ms(runs, || {
        let bytes = std::fs::read(&json_path).unwrap_or_default();
        let parsed: Result<Situation, _> = serde_json::from_slice(&bytes);
        if let Ok(s) = parsed {
            let _ = tandem::model::validate(&s);
        }
    });
    // The parts of a load, to tell the RON parser's share from validation's.
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let parse = time_ms(runs, || {
        let parsed = ron::Options::default()
            .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
            .from_str::<Situation>(&text);
        assert!(parsed.is_ok(), "the generated file parses");
    });
    let validate = time_ms(runs, || {
        let _ = tandem::model::validate(&situation);
    });
    let save = time_ms(runs, || {
        let _ = tandem::io::save_file(&dir.join("saved.ron"), &situation);
    });
    // A recovery copy: the part on the UI thread (a copy of the situation) and the whole write.
    if let Ok(mut store) = tandem::io::recovery::RecoveryStore::in_dir(dir.join("recovery")) {
        let (mut ui_part, mut whole) = (Vec::new(), Vec::new());
        for _ in 0..runs {
            let start = Instant::now();
            store.write_in_background(None, "bench", &situation, || {});
            ui_part.push(start.elapsed().as_secs_f64() * 1000.0);
            while store.finished().is_none() {
                std::thread::sleep(std::time::Duration::from_micros(200));
            }
            whole.push(start.elapsed().as_secs_f64() * 1000.0);
        }
        figure(
            &format!("recovery_ui_ms.scale{scale}"),
            median_and_p95(ui_part).0,
            "ms",
        );
        figure(
            &format!("recovery_write_ms.scale{scale}"),
            median_and_p95(whole).0,
            "ms",
        );
    }
    figure(&format!("load_ms.scale{scale}"), load, "ms");
    figure(&format!("save_ms.scale{scale}"), save, "ms");
    figure(&format!("load_json_ms.scale{scale}"), load_json, "ms");
    figure(&format!("load_ratio.scale{scale}"), load / load_json, "x");
    figure(&format!("load_parse_ms.scale{scale}"), parse, "ms");
    figure(&format!("load_validate_ms.scale{scale}"), validate, "ms");
    // "detail": the Events table with an action selected, so the detail pane shows its form
    // with every reference list (actors, partners, lines, warnings answered).
    let action = situation
        .events
        .iter()
        .find(|e| !e.answers.is_empty())
        .map(|e| tandem::model::ItemRef::new(tandem::model::ItemKind::Event, e.id.as_str()));
    for (name, view, selection) in [
        ("overview", View::Overview, None),
        ("actors", View::Actors, None),
        ("partners", View::Partners, None),
        ("timeline", View::Timeline, None),
        ("matrix", View::Matrix, None),
        ("map", View::Map, None),
        ("detail", View::Events, action),
    ] {
        if only_views.is_some_and(|only| !only.iter().any(|v| v == name)) {
            continue;
        }
        let (median, p95) = median_and_p95(frame_times(&situation, view, selection, frames));
        figure(
            &format!("frame_ms.{name}.scale{scale}.median"),
            median,
            "ms",
        );
        figure(&format!("frame_ms.{name}.scale{scale}.p95"), p95, "ms");
    }
    for (name, view) in [("timeline", View::Timeline), ("matrix", View::Matrix)] {
        if only_views.is_some_and(|only| !only.iter().any(|v| v == name)) {
            continue;
        }
        let (median, _) = median_and_p95(edit_frame_times(&situation, view, 10));
        figure(&format!("edit_frame_ms.{name}.scale{scale}"), median, "ms");
    }
    bench_sync(&situation, scale, runs);
    // The matrix issue's case: 1,000 lines × 300 partners with 20,000 assignments.
    if scale == 100 && only_views.is_none_or(|only| only.iter().any(|v| v == "matrix")) {
        let dense = with_dense_matrix(&situation);
        let (median, p95) = median_and_p95(frame_times(&dense, View::Matrix, None, frames));
        let cells = dense.assignments.len();
        figure(
            &format!("frame_ms.matrix_{cells}.scale100.median"),
            median,
            "ms",
        );
        figure(&format!("frame_ms.matrix_{cells}.scale100.p95"), p95, "ms");
    }
    let formats = if only_views.is_some() {
        &[][..]
    } else {
        &tandem::export::Format::ALL[..]
    };
    for &format in formats {
        let audience = tandem::export::Audience::default();
        let runs = if scale >= 100 { 1 } else { 3 };
        let ms = time_ms(runs, || {
            let _ = tandem::export::export(&situation, format, &audience.into());
        });
        figure(
            &format!("export_ms.{}.scale{scale}", format.extension()),
            ms,
            "ms",
        );
    }
    if only_views.is_none() {
        bench_diff(&situation, scale);
        bench_history(&situation, scale, dir);
    }
    if scale == 100
        && let Some(rss) = peak_rss_mb()
    {
        figure("rss_mb.scale100", rss, "MB");
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let value_of = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let smoke = !args.iter().any(|a| a == "--bench");
    let default_scales = if smoke { "1" } else { "1,10,100" };
    let scales: Vec<u32> = value_of("--scales")
        .unwrap_or_else(|| default_scales.into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let frames: usize = value_of("--frames")
        .and_then(|f| f.parse().ok())
        .unwrap_or(100);
    let only_views: Option<Vec<String>> =
        value_of("--views").map(|v| v.split(',').map(|s| s.trim().to_owned()).collect());
    let dir = match tempfile::tempdir() {
        Ok(d) => d,
        Err(err) => {
            eprintln!("perf: no temporary folder: {err}");
            std::process::exit(2);
        }
    };
    let only_one_part = ["--sync-only", "--diff-only", "--history-only"]
        .iter()
        .any(|flag| args.iter().any(|a| a == flag));
    // First, while the process is small: its peak memory is then the export's own.
    if only_views.is_none() && !only_one_part {
        bench_long_names(smoke);
        let default_rows = if smoke { "1000" } else { "100000" };
        let rows: Vec<usize> = value_of("--import-rows")
            .unwrap_or_else(|| default_rows.into())
            .split(',')
            .filter_map(|s| s.trim().parse().ok())
            .collect();
        bench_imports(&rows);
    }
    if args.iter().any(|a| a == "--sync-only") {
        for scale in scales {
            let runs = if scale >= 100 { 5 } else { 10 };
            bench_sync(&tandem::generate::generate(scale, 42), scale, runs);
        }
        return;
    }
    if args.iter().any(|a| a == "--diff-only") {
        for scale in scales {
            bench_diff(&tandem::generate::generate(scale, 42), scale);
        }
        return;
    }
    if args.iter().any(|a| a == "--history-only") {
        for scale in scales {
            bench_history(&tandem::generate::generate(scale, 42), scale, dir.path());
        }
        return;
    }
    for scale in scales {
        bench_scale(scale, frames, only_views.as_deref(), dir.path());
    }
}
