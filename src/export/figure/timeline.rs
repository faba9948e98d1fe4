//! The timeline figure: one lane per kind of event, a marker for each event known to the day,
//! a bar for spans and for dates known only to the month or the year, the as-of line, and the
//! next threshold moments listed under the chart.

use std::collections::HashSet;

use chrono::{Datelike, NaiveDate};

use super::{Anchor, BAND, Canvas, MARGIN, MUTED, RULE, TEXT, foot_height};
use crate::analysis::timeline::continuum;
use crate::export::fonts::Weight;
use crate::model::{EventKind, Precision, Situation};
use crate::palette;

const WIDTH: f32 = 1400.0;
const LABEL_W: f32 = 170.0;
const LANE_H: f32 = 36.0;
const SIZE: f32 = 12.0;
/// How many upcoming threshold moments are listed under the chart.
const MAX_UPCOMING: usize = 6;

/// The x of a day on the axis.
struct Axis {
    first: NaiveDate,
    days: f32,
    left: f32,
    width: f32,
}

impl Axis {
    fn x(&self, day: NaiveDate) -> f32 {
        let offset = (day - self.first).num_days() as f32;
        self.left + self.width * (offset / self.days).clamp(0.0, 1.0)
    }
}

/// Draws the timeline of `situation` on `canvas`, sizing it.
pub(super) fn draw(canvas: &mut Canvas, situation: &Situation, marking: &str) {
    let as_of = situation.as_of.first_day();
    let first = situation
        .events
        .iter()
        .map(|e| e.date.first_day())
        .chain([as_of])
        .min()
        .unwrap_or(as_of);
    let last = situation
        .events
        .iter()
        .map(|e| e.end.unwrap_or(e.date).last_day())
        .chain([as_of])
        .max()
        .unwrap_or(as_of);
    let days = ((last - first).num_days() as f32).max(30.0);
    let pad = days * 0.02;
    let first = first - chrono::Duration::days(pad as i64 + 1);
    let left = MARGIN + LABEL_W;
    let axis = Axis {
        first,
        days: days + 2.0 * pad + 2.0,
        left,
        width: WIDTH - left - MARGIN,
    };
    let flow = continuum(situation);
    let upcoming: Vec<_> = flow
        .upcoming_thresholds
        .iter()
        .filter_map(|t| situation.event(&t.id))
        .take(MAX_UPCOMING)
        .collect();
    let top = 150.0;
    let placed = place_lanes(situation, &axis);
    let chart_h: f32 = placed.iter().map(Lane::height).sum();
    let list_h = if upcoming.is_empty() {
        0.0
    } else {
        30.0 + 18.0 * upcoming.len() as f32
    };
    let height = top + chart_h + 30.0 + list_h + foot_height(0);
    canvas.size(WIDTH, height);
    let subtitle = format!(
        "Timeline · {} · as of {}",
        crate::text::counted(situation.events.len(), "event", "events"),
        situation.as_of
    );
    canvas.heading(marking, &situation.title, &subtitle);
    lanes(canvas, &placed, &axis, top);
    ticks(canvas, &axis, top, top + chart_h);
    let x = axis.x(as_of);
    canvas.line((x, top - 8.0), (x, top + chart_h), palette::AS_OF, 2.0);
    let label = format!("as of {}", situation.as_of);
    canvas.text(
        (x + 4.0, top - 10.0),
        11.0,
        Weight::Bold,
        palette::AS_OF,
        Anchor::Start,
        200.0,
        &label,
    );
    let mut y = top + chart_h + 30.0;
    if !upcoming.is_empty() {
        y += 20.0;
        let room = WIDTH - 2.0 * MARGIN;
        canvas.text(
            (MARGIN, y),
            13.0,
            Weight::Bold,
            TEXT,
            Anchor::Start,
            room,
            "Next threshold moments",
        );
        for event in &upcoming {
            y += 18.0;
            let color = palette::event(EventKind::ThresholdMoment);
            canvas.circle(MARGIN + 5.0, y - 4.0, 5.0, color);
            let line = format!("{} — {}", event.date, event.title);
            canvas.text(
                (MARGIN + 16.0, y),
                SIZE,
                Weight::Regular,
                TEXT,
                Anchor::Start,
                room - 16.0,
                &line,
            );
        }
    }
    canvas.footing(y, &[], marking);
}

/// One lane's content: markers on its middle line, bars in rows under it.
struct Lane {
    kind: EventKind,
    /// x of each event known to the day, one per pixel.
    markers: Vec<f32>,
    /// (start x, end x, row) of each span or coarse date, one per pixel range.
    bars: Vec<(f32, f32, usize)>,
    rows: usize,
}

/// The most rows of bars a lane stacks; more overlapping bars share the last row.
const MAX_BAR_ROWS: usize = 6;
const BAR_ROW_H: f32 = 7.0;

impl Lane {
    fn height(&self) -> f32 {
        (28.0 + BAR_ROW_H * self.rows as f32).max(LANE_H)
    }
}

/// The lanes of every kind: markers and bars placed, overlapping bars in separate rows.
fn place_lanes(situation: &Situation, axis: &Axis) -> Vec<Lane> {
    EventKind::ALL
        .iter()
        .map(|&kind| {
            let mut markers = Vec::new();
            let mut spans = Vec::new();
            let mut seen: HashSet<(i32, i32)> = HashSet::new();
            for event in situation.events.iter().filter(|e| e.kind == kind) {
                let start = axis.x(event.date.first_day());
                let point = event.end.is_none() && event.date.precision() == Precision::Day;
                let last = event.end.unwrap_or(event.date).last_day();
                let end = axis.x(last + chrono::Duration::days(1)).max(start + 2.0);
                let key = (
                    start.round() as i32,
                    if point { -1 } else { end.round() as i32 },
                );
                if !seen.insert(key) {
                    continue;
                }
                if point {
                    markers.push(start);
                } else {
                    spans.push((start, end));
                }
            }
            spans.sort_by(|a, b| a.0.total_cmp(&b.0));
            // Greedy rows: each bar goes to the first row free at its start.
            let mut row_ends: Vec<f32> = Vec::new();
            let bars = spans
                .into_iter()
                .map(|(start, end)| {
                    let row = row_ends
                        .iter()
                        .position(|&e| e + 1.0 < start)
                        .unwrap_or_else(|| {
                            row_ends.push(f32::MIN);
                            row_ends.len() - 1
                        })
                        .min(MAX_BAR_ROWS - 1);
                    if let Some(e) = row_ends.get_mut(row) {
                        *e = e.max(end);
                    }
                    (start, end, row)
                })
                .collect();
            Lane {
                kind,
                markers,
                bars,
                rows: row_ends.len().min(MAX_BAR_ROWS),
            }
        })
        .collect()
}

/// The lanes, their labels and their events, from `top`.
fn lanes(canvas: &mut Canvas, lanes: &[Lane], axis: &Axis, top: f32) {
    let right = axis.left + axis.width;
    let mut y = top;
    for (k, lane) in lanes.iter().enumerate() {
        let h = lane.height();
        if k % 2 == 0 {
            canvas.rect(MARGIN, y, right - MARGIN, h, BAND);
        }
        let at = (MARGIN + 4.0, y + 18.0);
        canvas.text(
            at,
            SIZE,
            Weight::Regular,
            TEXT,
            Anchor::Start,
            LABEL_W - 8.0,
            lane.kind.label(),
        );
        let color = palette::event(lane.kind);
        let mid = y + 14.0;
        for &x in &lane.markers {
            canvas.circle(x, mid, 5.0, color);
        }
        for &(start, end, row) in &lane.bars {
            let bar_y = y + 24.0 + BAR_ROW_H * row as f32;
            canvas.rect(start, bar_y, end - start, BAR_ROW_H - 2.0, color);
        }
        y += h;
    }
}

/// Years between ticks: 1, 2, 5, 10, 20, 50… so that there are at most about 25.
fn year_step(days: f32) -> i32 {
    let wanted = (days / 365.0 / 25.0).ceil().max(1.0) as i32;
    [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000]
        .into_iter()
        .find(|&step| step >= wanted)
        .unwrap_or(10_000)
}

/// A tick and a label for each month when the axis spans less than two years, else for every
/// [`year_step`] years.
fn ticks(canvas: &mut Canvas, axis: &Axis, top: f32, bottom: f32) {
    let last = axis.first + chrono::Duration::days(axis.days as i64);
    let monthly = axis.days < 730.0;
    let step = year_step(axis.days);
    let start_year = axis.first.year() - axis.first.year().rem_euclid(step);
    let mut day = NaiveDate::from_ymd_opt(start_year, 1, 1).unwrap_or(axis.first);
    for _ in 0..64 {
        if day > last {
            break;
        }
        if day >= axis.first {
            let x = axis.x(day);
            canvas.line((x, top), (x, bottom), RULE, 0.6);
            let label = if monthly && day.month() != 1 {
                day.format("%b").to_string()
            } else {
                day.year().to_string()
            };
            let at = (x + 3.0, bottom + 16.0);
            canvas.text(
                at,
                11.0,
                Weight::Regular,
                MUTED,
                Anchor::Start,
                60.0,
                &label,
            );
        }
        let next = if monthly {
            day.checked_add_months(chrono::Months::new(1))
        } else {
            day.year()
                .checked_add(step)
                .and_then(|y| NaiveDate::from_ymd_opt(y, 1, 1))
        };
        match next {
            Some(next) => day = next,
            None => break,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::year_step;

    #[test]
    fn year_ticks_stay_few() {
        assert_eq!(year_step(365.0 * 3.0), 1);
        assert_eq!(year_step(365.0 * 40.0), 2);
        assert_eq!(year_step(365.0 * 100.0), 5);
        assert_eq!(year_step(365.0 * 200.0), 10);
        assert_eq!(year_step(365.0 * 9000.0), 500);
    }
}
