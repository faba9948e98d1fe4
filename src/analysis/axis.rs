//! Ticks and labels for a time axis counted in days (days since the Common Era epoch,
//! as [`crate::model::PartialDate::first_day_number`] gives them).

use chrono::{Datelike as _, NaiveDate};

/// One day, in axis units.
pub const DAY: f64 = 1.0;
/// A week: ticks on the 1st, 8th, 15th and 22nd of each month.
pub const WEEK: f64 = 7.0;
/// The mean month of the Gregorian calendar.
pub const MONTH: f64 = 30.436_875;
/// A quarter: ticks in January, April, July and October.
pub const QUARTER: f64 = 3.0 * MONTH;
/// The mean Gregorian year.
pub const YEAR: f64 = 365.2425;
/// Ten years.
pub const DECADE: f64 = 10.0 * YEAR;
/// A hundred years.
pub const CENTURY: f64 = 100.0 * YEAR;

/// The tick levels, finest first.
const LEVELS: [f64; 7] = [DAY, WEEK, MONTH, QUARTER, YEAR, DECADE, CENTURY];

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// The calendar date of a day number.
pub fn date_of(day_number: i64) -> Option<NaiveDate> {
    i32::try_from(day_number)
        .ok()
        .and_then(NaiveDate::from_num_days_from_ce_opt)
}

/// The day number of a calendar date.
pub fn day_number(date: NaiveDate) -> i64 {
    i64::from(date.num_days_from_ce())
}

/// The short name of a month (1–12).
pub fn month_name(month: u32) -> &'static str {
    month
        .checked_sub(1)
        .and_then(|i| MONTHS.get(i as usize))
        .copied()
        .unwrap_or("?")
}

/// The label of a tick at `day_number` on a grid whose ticks are `step_days` apart.
///
/// Year steps (and coarser) give the year (`2009`); month and quarter steps give the month
/// (`Sep`), or the year at a January; day and week steps give the day (`28 Sep`), or the month
/// on the 1st and the year on 1 January.
pub fn axis_label(day_number: i64, step_days: f64) -> String {
    let Some(date) = date_of(day_number) else {
        return String::new();
    };
    let year = date.year().to_string();
    let month = month_name(date.month());
    if step_days >= YEAR * 0.9 {
        year
    } else if step_days >= MONTH * 0.9 || date.day() == 1 {
        if date.month() == 1 {
            year
        } else {
            month.into()
        }
    } else {
        format!("{} {month}", date.day())
    }
}

/// A day written for people: `28 Sep 2009`.
pub fn long_date(day_number: i64) -> String {
    date_of(day_number).map_or_else(String::new, |d| {
        format!("{} {} {}", d.day(), month_name(d.month()), d.year())
    })
}

/// The step of the finest tick level at least `min_step_days` wide.
pub fn level_for(min_step_days: f64) -> f64 {
    LEVELS
        .iter()
        .copied()
        .find(|&l| l >= min_step_days)
        .unwrap_or(CENTURY)
}

/// Whether `date` is a tick of the level `step`.
fn is_tick(date: NaiveDate, step: f64) -> bool {
    let (d, m, y) = (date.day(), date.month(), date.year());
    if step >= CENTURY {
        d == 1 && m == 1 && y % 100 == 0
    } else if step >= DECADE {
        d == 1 && m == 1 && y % 10 == 0
    } else if step >= YEAR {
        d == 1 && m == 1
    } else if step >= QUARTER {
        d == 1 && (m - 1) % 3 == 0
    } else if step >= MONTH {
        d == 1
    } else if step >= WEEK {
        matches!(d, 1 | 8 | 15 | 22)
    } else {
        true
    }
}

/// Ticks between `min_day` and `max_day`: `(day number, step)` for the finest level at least
/// `min_step_days` wide and the two levels above it; each day gets its coarsest level.
pub fn date_ticks(min_day: f64, max_day: f64, min_step_days: f64) -> Vec<(i64, f64)> {
    if !(min_day.is_finite() && max_day.is_finite()) || max_day <= min_day {
        return Vec::new();
    }
    let first_level = LEVELS
        .iter()
        .position(|&l| l >= min_step_days)
        .unwrap_or(LEVELS.len() - 1);
    let levels: Vec<f64> = LEVELS.iter().copied().skip(first_level).take(3).collect();
    let finest = levels.first().copied().unwrap_or(CENTURY);
    let start = min_day.floor().max(1.0) as i64;
    let end = max_day.ceil().min(3_652_059.0) as i64; // 31 Dec 9999
    let mut out = Vec::new();
    if finest >= YEAR {
        // Walk years, not days: a zoomed-out axis may span millennia.
        let (Some(first), Some(last)) = (date_of(start), date_of(end)) else {
            return out;
        };
        for year in first.year()..=last.year() + 1 {
            let Some(date) = NaiveDate::from_ymd_opt(year, 1, 1) else {
                continue;
            };
            push_tick(&mut out, date, &levels, start, end);
        }
    } else if finest >= MONTH {
        let Some(first) = date_of(start) else {
            return out;
        };
        let mut date = NaiveDate::from_ymd_opt(first.year(), first.month(), 1);
        while let Some(d) = date {
            if day_number(d) > end {
                break;
            }
            push_tick(&mut out, d, &levels, start, end);
            date = d.checked_add_months(chrono::Months::new(1));
        }
    } else {
        for n in start..=end {
            if let Some(d) = date_of(n) {
                push_tick(&mut out, d, &levels, start, end);
            }
        }
    }
    out
}

fn push_tick(out: &mut Vec<(i64, f64)>, date: NaiveDate, levels: &[f64], start: i64, end: i64) {
    let n = day_number(date);
    if n < start || n > end {
        return;
    }
    if let Some(step) = levels.iter().rev().find(|&&l| is_tick(date, l)) {
        out.push((n, *step));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(y: i32, m: u32, d: u32) -> i64 {
        day_number(NaiveDate::from_ymd_opt(y, m, d).unwrap())
    }

    #[test]
    fn day_numbers_round_trip() {
        let d = NaiveDate::from_ymd_opt(2009, 9, 28).unwrap();
        assert_eq!(date_of(day_number(d)), Some(d));
        assert_eq!(
            n(2009, 9, 28),
            "2009-09-28"
                .parse::<crate::model::PartialDate>()
                .unwrap()
                .first_day_number()
        );
        assert_eq!(date_of(i64::MAX), None);
    }

    #[test]
    fn labels_at_year_zoom_give_the_year() {
        assert_eq!(axis_label(n(2009, 1, 1), YEAR), "2009");
        assert_eq!(axis_label(n(2010, 1, 1), DECADE), "2010");
    }

    #[test]
    fn labels_at_month_zoom_give_the_month_and_the_year_in_january() {
        assert_eq!(axis_label(n(2009, 9, 1), MONTH), "Sep");
        assert_eq!(axis_label(n(2009, 10, 1), QUARTER), "Oct");
        assert_eq!(axis_label(n(2010, 1, 1), MONTH), "2010");
    }

    #[test]
    fn labels_at_day_zoom_give_the_day_and_month() {
        assert_eq!(axis_label(n(2009, 9, 28), DAY), "28 Sep");
        assert_eq!(axis_label(n(2009, 12, 22), WEEK), "22 Dec");
        assert_eq!(axis_label(n(2009, 10, 1), DAY), "Oct");
        assert_eq!(axis_label(n(2010, 1, 1), DAY), "2010");
    }

    #[test]
    fn ticks_at_year_zoom_fall_on_new_year() {
        let ticks = date_ticks(n(2008, 6, 1) as f64, n(2011, 6, 1) as f64, 60.0);
        let years: Vec<(String, f64)> = ticks
            .iter()
            .filter(|(_, s)| *s >= YEAR)
            .map(|&(d, s)| (axis_label(d, s), s))
            .collect();
        assert_eq!(
            years,
            vec![
                ("2009".to_owned(), YEAR),
                ("2010".to_owned(), DECADE),
                ("2011".to_owned(), YEAR)
            ]
        );
        // Quarters are the finest level here: one tick each in Jul and Oct 2008 and so on.
        assert!(ticks.contains(&(n(2008, 7, 1), QUARTER)));
        assert!(!ticks.iter().any(|&(d, _)| d == n(2008, 8, 1)));
    }

    #[test]
    fn ticks_at_month_zoom_fall_on_the_first() {
        let ticks = date_ticks(n(2009, 8, 15) as f64, n(2010, 2, 15) as f64, 20.0);
        let labels: Vec<String> = ticks.iter().map(|&(d, s)| axis_label(d, s)).collect();
        assert_eq!(labels, ["Sep", "Oct", "Nov", "Dec", "2010", "Feb"]);
    }

    #[test]
    fn ticks_at_day_zoom_include_every_day() {
        let ticks = date_ticks(n(2009, 9, 27) as f64, n(2009, 10, 2) as f64, 0.5);
        let labels: Vec<String> = ticks.iter().map(|&(d, s)| axis_label(d, s)).collect();
        assert_eq!(
            labels,
            ["27 Sep", "28 Sep", "29 Sep", "30 Sep", "Oct", "2 Oct"]
        );
        assert_eq!(ticks.get(4).map(|t| t.1), Some(MONTH));
    }

    #[test]
    fn ticks_for_a_huge_or_empty_range_stay_few() {
        assert!(date_ticks(1.0, 3_000_000.0, 50_000.0).len() < 100);
        assert!(date_ticks(10.0, 5.0, 1.0).is_empty());
        assert!(date_ticks(f64::NAN, 5.0, 1.0).is_empty());
    }
}
