//! Dates known to the year, the month or the day.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike as _, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// How precisely a [`PartialDate`] is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Precision {
    Year,
    Month,
    Day,
}

/// A date known only to the year (`2009`), the month (`2009-09`) or the day (`2009-09-28`).
///
/// Written in files and typed by users as text. Ordering compares the earliest day
/// the date can mean, then the precision (a year sorts before its first day).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PartialDate {
    year: i32,
    month: Option<u8>,
    day: Option<u8>,
}

/// Why a text is not a date.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid date \"{text}\": {reason} (expected YYYY, YYYY-MM or YYYY-MM-DD)")]
pub struct DateError {
    pub text: String,
    pub reason: &'static str,
}

impl PartialDate {
    /// A year-precision date.
    pub fn year(year: i32) -> Option<Self> {
        (1..=9999).contains(&year).then_some(Self {
            year,
            month: None,
            day: None,
        })
    }

    /// A month-precision date.
    pub fn month(year: i32, month: u32) -> Option<Self> {
        NaiveDate::from_ymd_opt(year, month, 1)?;
        Self::year(year).map(|d| Self {
            month: Some(month as u8),
            ..d
        })
    }

    /// A day-precision date.
    pub fn day(year: i32, month: u32, day: u32) -> Option<Self> {
        NaiveDate::from_ymd_opt(year, month, day)?;
        Self::year(year).map(|d| Self {
            month: Some(month as u8),
            day: Some(day as u8),
            ..d
        })
    }

    /// A day-precision date from a calendar date.
    pub fn from_naive(date: NaiveDate) -> Self {
        Self {
            year: date.year(),
            month: Some(date.month() as u8),
            day: Some(date.day() as u8),
        }
    }

    pub fn precision(&self) -> Precision {
        match (self.month, self.day) {
            (Some(_), Some(_)) => Precision::Day,
            (Some(_), None) => Precision::Month,
            _ => Precision::Year,
        }
    }

    pub fn year_value(&self) -> i32 {
        self.year
    }

    pub fn month_value(&self) -> Option<u32> {
        self.month.map(u32::from)
    }

    /// The earliest day this date can mean (1 January for a year, the 1st for a month).
    pub fn first_day(&self) -> NaiveDate {
        let month = self.month.map_or(1, u32::from);
        let day = self.day.map_or(1, u32::from);
        NaiveDate::from_ymd_opt(self.year, month, day).unwrap_or(NaiveDate::MIN)
    }

    /// The last day this date can mean (31 December for a year, the month's last day).
    pub fn last_day(&self) -> NaiveDate {
        match self.precision() {
            Precision::Day => self.first_day(),
            Precision::Month => {
                let first = self.first_day();
                let (y, m) = if first.month() == 12 {
                    (first.year() + 1, 1)
                } else {
                    (first.year(), first.month() + 1)
                };
                NaiveDate::from_ymd_opt(y, m, 1)
                    .and_then(|d| d.pred_opt())
                    .unwrap_or(first)
            }
            Precision::Year => NaiveDate::from_ymd_opt(self.year, 12, 31).unwrap_or(NaiveDate::MAX),
        }
    }

    /// Days from the Common Era epoch to [`Self::first_day`], for arithmetic and plotting.
    pub fn first_day_number(&self) -> i64 {
        i64::from(self.first_day().num_days_from_ce())
    }
}

impl Ord for PartialDate {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.first_day()
            .cmp(&other.first_day())
            .then(self.precision().cmp(&other.precision()))
    }
}

impl PartialOrd for PartialDate {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

impl FromStr for PartialDate {
    type Err = DateError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let err = |reason| DateError {
            text: text.to_owned(),
            reason,
        };
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(err("it is empty"));
        }
        let parts: Vec<&str> = trimmed.split('-').collect();
        let number = |s: &str, width: usize, what: &'static str| -> Result<u32, DateError> {
            if s.len() != width || !s.bytes().all(|b| b.is_ascii_digit()) {
                return Err(err(what));
            }
            s.parse::<u32>().map_err(|_| err(what))
        };
        match parts.as_slice() {
            [y] => {
                let y = number(y, 4, "the year must have four digits")?;
                PartialDate::year(y as i32).ok_or_else(|| err("the year is out of range"))
            }
            [y, m] => {
                let y = number(y, 4, "the year must have four digits")?;
                let m = number(m, 2, "the month must have two digits")?;
                PartialDate::month(y as i32, m).ok_or_else(|| err("there is no such month"))
            }
            [y, m, d] => {
                let y = number(y, 4, "the year must have four digits")?;
                let m = number(m, 2, "the month must have two digits")?;
                let d = number(d, 2, "the day must have two digits")?;
                PartialDate::day(y as i32, m, d).ok_or_else(|| err("there is no such day"))
            }
            _ => Err(err("too many parts")),
        }
    }
}

impl Serialize for PartialDate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PartialDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// The weeks of the month of `day`, Monday first, as a calendar shows them: each week seven
/// cells, `None` before the month's first day and after its last.
pub fn month_weeks(day: NaiveDate) -> Vec<[Option<NaiveDate>; 7]> {
    let first = day.with_day(1).unwrap_or(day);
    let lead = first.weekday().num_days_from_monday() as usize;
    let days = first
        .iter_days()
        .take_while(|d| d.month() == first.month())
        .map(Some);
    let cells: Vec<Option<NaiveDate>> = std::iter::repeat_n(None, lead).chain(days).collect();
    cells
        .chunks(7)
        .map(|week| std::array::from_fn(|i| week.get(i).copied().flatten()))
        .collect()
}

/// The first day of the month before (`-1`) or after (`1`) the month of `day`; `day`'s own
/// month's first day at the ends of the calendar.
pub fn month_step(day: NaiveDate, months: i32) -> NaiveDate {
    let first = day.with_day(1).unwrap_or(day);
    let step = chrono::Months::new(months.unsigned_abs());
    let moved = if months < 0 {
        first.checked_sub_months(step)
    } else {
        first.checked_add_months(step)
    };
    moved.unwrap_or(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_three_precisions() {
        let y: PartialDate = "2009".parse().unwrap();
        let m: PartialDate = "2009-09".parse().unwrap();
        let d: PartialDate = "2009-09-28".parse().unwrap();
        assert_eq!(y.precision(), Precision::Year);
        assert_eq!(m.precision(), Precision::Month);
        assert_eq!(d.precision(), Precision::Day);
        assert_eq!(d.to_string(), "2009-09-28");
        assert_eq!(m.last_day(), NaiveDate::from_ymd_opt(2009, 9, 30).unwrap());
        assert_eq!(y.last_day(), NaiveDate::from_ymd_opt(2009, 12, 31).unwrap());
        assert!(y < m && m < d);
    }

    #[test]
    fn rejects_bad_dates() {
        for bad in [
            "",
            "09",
            "2009-9",
            "2009-13",
            "2009-02-30",
            "2009/09",
            "2009-09-28-1",
            "abcd",
        ] {
            assert!(bad.parse::<PartialDate>().is_err(), "{bad} parsed");
        }
    }

    #[test]
    fn month_weeks_start_on_monday_and_hold_every_day_once() {
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("day");
        // November 2026 starts on a Sunday: six leading blanks, five or six weeks.
        let weeks = month_weeks(day("2026-11-27"));
        assert_eq!(weeks[0][..6], [None; 6]);
        assert_eq!(weeks[0][6], Some(day("2026-11-01")));
        let days: Vec<NaiveDate> = weeks.iter().flatten().flatten().copied().collect();
        assert_eq!(days.len(), 30);
        assert_eq!(days.last(), Some(&day("2026-11-30")));
        assert!(weeks.iter().all(|w| w.len() == 7));
        // February 2021 starts on a Monday and fills four whole weeks.
        let february = month_weeks(day("2021-02-10"));
        assert_eq!(february.len(), 4);
        assert!(february.iter().flatten().all(Option::is_some));
        assert_eq!(month_step(day("2026-01-31"), -1), day("2025-12-01"));
        assert_eq!(month_step(day("2026-12-15"), 1), day("2027-01-01"));
    }
}
