//! Exports arbitrary situations in every format: each must be written (or refused with an
//! error) without a panic, a hang or a memory blow-up, whatever the text in any field.
//!
//! A situation is the Guinea sample with the fuzzer's strings in every text field (titles,
//! names, acronyms, notes, sources, ids and the references between items: they may dangle),
//! its items repeated as the fuzzer says. The fields are found by name in the sample's JSON,
//! so a field added to the model later is fuzzed without changing this file when it holds text.
#![no_main]

use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use tandem::export::{Audience, ExportOptions, Figure, Format, export};
use tandem::model::{Sensitivity, Situation};

/// Keys whose string values are free text or ids (dates and choices are left as they are:
/// they must parse back).
const TEXT_KEYS: &[&str] = &[
    "title",
    "name",
    "acronym",
    "summary",
    "region",
    "interests",
    "notes",
    "note",
    "source",
    "description",
    "id",
    "line",
    "partner",
    "admin1",
    "admin2",
    "locality",
    "pcode",
];
/// Keys whose arrays hold free text or ids.
const TEXT_LISTS: &[&str] = &["countries", "actors", "partners", "lines", "answers", "aliases"];

fn text(u: &mut Unstructured) -> Result<String> {
    // Mostly short; one text in four is its piece repeated 64 to 4,096 times, so that short
    // inputs reach long texts too.
    let length: u8 = u.arbitrary()?;
    let piece: String = u.arbitrary()?;
    let times = if length >= 0xc0 {
        (usize::from(length & 0x3f) + 1) * 64
    } else {
        1
    };
    // At most 64 kB per text, so that a run's memory tells of the exports, not the input.
    let times = times.min(65_536 / piece.len().max(1)).max(1);
    Ok(piece.repeat(times))
}

/// Replaces the text of `value` (recursively) with the fuzzer's.
fn fill(value: &mut Value, key: Option<&str>, u: &mut Unstructured) -> Result<()> {
    match value {
        Value::String(s) if key.is_some_and(|k| TEXT_KEYS.contains(&k)) => *s = text(u)?,
        Value::Array(items) => {
            let texts = key.is_some_and(|k| TEXT_LISTS.contains(&k));
            // Items of the situation's lists may be repeated (wide matrices, long tables).
            if items.first().is_some_and(Value::is_object) && u.ratio(1, 6)? {
                let copies = u.int_in_range(1..=40)?;
                let first = items.first().cloned().unwrap_or(Value::Null);
                items.extend(std::iter::repeat_n(first, copies));
            }
            for item in items.iter_mut() {
                if texts && item.is_string() {
                    *item = Value::String(text(u)?);
                } else {
                    fill(item, None, u)?;
                }
            }
        }
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                if u.ratio(3, 4)? {
                    fill(v, Some(k.as_str()), u)?;
                }
            }
        }
        _ => {}
    }
    Ok(())
}

/// The Guinea sample as JSON, parsed once.
fn sample() -> Option<&'static Value> {
    static SAMPLE: std::sync::OnceLock<Option<Value>> = std::sync::OnceLock::new();
    SAMPLE
        .get_or_init(|| {
            let sample = tandem::io::parse_situation(tandem::samples::GUINEA).ok()?;
            serde_json::to_value(&sample.situation).ok()
        })
        .as_ref()
}

fn situation(u: &mut Unstructured) -> Option<Situation> {
    let mut value = sample()?.clone();
    fill(&mut value, None, u).ok()?;
    serde_json::from_value(value).ok()
}

fuzz_target!(|data: &[u8]| {
    // Rasterising takes most of a run: one input in 64 (by its first byte, not by what is
    // left of it: an exhausted input answers every choice the same way) draws the PNG; every
    // SVG is read as the rasteriser reads it, and must be well-formed.
    let png = data.first().is_some_and(|b| b % 64 == 63);
    let mut u = Unstructured::new(data);
    let Some(situation) = situation(&mut u) else {
        return;
    };
    let ceiling = *u.choose(Sensitivity::ALL).unwrap_or(&Sensitivity::Unclassified);
    let notes = u.arbitrary().unwrap_or(false);
    let figure = *u.choose(&Figure::ALL).unwrap_or(&Figure::Matrix);
    let options = ExportOptions::new(Audience::new(ceiling))
        .with_notes(notes)
        .with_figure(figure);
    for format in Format::ALL {
        if format == Format::Png && !png {
            continue;
        }
        let written = export(&situation, format, &options);
        if format == Format::Svg
            && let Ok(bytes) = written
        {
            let svg = String::from_utf8(bytes).expect("an SVG is UTF-8");
            if let Err(err) = tandem::export::png::parse(&svg) {
                panic!("the figure is not well-formed SVG: {err}");
            }
        }
    }
});
