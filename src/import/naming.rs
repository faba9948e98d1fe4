//! A title and an as-of date for a new situation made by an import, from its data: "Guinea
//! and Sierra Leone: incidents, September 2009 – January 2010 (ACLED)", as of the latest
//! event — not "New situation" as of the template's date.

use crate::text::capitalised;
use chrono::NaiveDate;

use super::{Format, ImportPlan, countries};
use crate::model::edit::EditError;
use crate::model::{PartialDate, Situation};

impl ImportPlan {
    /// The situation `template` (an empty one, as File → New makes) with this import applied,
    /// titled after its countries and period and dated as of its latest data: the latest
    /// event for ACLED, for a 3W sheet the latest start or end not after today. Titled
    /// "Imported from `source_name`" when the data gives neither countries nor dates.
    pub fn new_situation(
        &self,
        template: &Situation,
        source_name: &str,
    ) -> Result<Situation, EditError> {
        let mut situation = template.clone();
        self.apply(&mut situation)?;
        let dates = data_dates(&situation, self.format);
        situation.title = title(&situation.countries, &dates, self.format)
            .unwrap_or_else(|| format!("Imported from {source_name}"));
        if let Some(as_of) = as_of(&dates, self.format, today()) {
            situation.as_of = as_of;
        }
        Ok(situation)
    }
}

fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// The dates the import brought: events' for ACLED, lines' starts and ends for a 3W sheet.
fn data_dates(situation: &Situation, format: Format) -> Vec<PartialDate> {
    match format {
        Format::Acled => situation.events.iter().map(|e| e.date).collect(),
        Format::Hxl => situation
            .lines
            .iter()
            .flat_map(|l| [l.start, l.end])
            .flatten()
            .collect(),
    }
}

/// "Guinea: incidents, September 2009 – January 2010 (ACLED)", "Lebanon: who does what,
/// June 2021 – 2022"; `None` when there are neither countries nor dates.
fn title(codes: &[String], dates: &[PartialDate], format: Format) -> Option<String> {
    let place = place_words(codes);
    let period = period_words(dates);
    if place.is_none() && period.is_none() {
        return None;
    }
    let what = match format {
        Format::Acled => "incidents",
        Format::Hxl => "who does what",
    };
    let mut title = match place {
        Some(place) => format!("{place}: {what}"),
        None => capitalised(what),
    };
    if let Some(period) = period {
        title.push_str(&format!(", {period}"));
    }
    if format == Format::Acled {
        title.push_str(" (ACLED)");
    }
    Some(title)
}

/// "Guinea", "Guinea and Sierra Leone", "Guinea, Liberia and Sierra Leone", "Mali and 4
/// other countries".
fn place_words(codes: &[String]) -> Option<String> {
    let names: Vec<String> = codes.iter().map(|c| countries::name(c)).collect();
    match names.as_slice() {
        [] => None,
        [one] => Some(one.clone()),
        [init @ .., last] if names.len() <= 3 => Some(format!("{} and {last}", init.join(", "))),
        [first, rest @ ..] => Some(format!("{first} and {} other countries", rest.len())),
    }
}

/// "September 2009 – January 2010", "2021", "March 2010"; `None` without dates.
fn period_words(dates: &[PartialDate]) -> Option<String> {
    let first = dates.iter().min_by_key(|d| d.first_day())?;
    let last = dates.iter().max_by_key(|d| d.last_day())?;
    let (from, to) = (date_words(first), date_words(last));
    Some(if from == to {
        from
    } else {
        format!("{from} – {to}")
    })
}

/// A date as its precision allows, to the month: "2009", "September 2009".
fn date_words(date: &PartialDate) -> String {
    match date.month_value() {
        Some(_) => date.first_day().format("%B %Y").to_string(),
        None => date.year_value().to_string(),
    }
}

/// The latest date of the data: for ACLED the latest event; for a 3W sheet the latest start
/// or end not after today (an end date in the future is a plan, not news), else the
/// earliest date to come. `None` without dates.
fn as_of(dates: &[PartialDate], format: Format, today: NaiveDate) -> Option<PartialDate> {
    let latest = |candidates: &mut dyn Iterator<Item = &PartialDate>| {
        candidates.max_by_key(|d| d.last_day()).copied()
    };
    match format {
        Format::Acled => latest(&mut dates.iter()),
        Format::Hxl => latest(&mut dates.iter().filter(|d| d.last_day() <= today))
            .or_else(|| dates.iter().min_by_key(|d| d.first_day()).copied()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dates(texts: &[&str]) -> Vec<PartialDate> {
        texts.iter().map(|t| t.parse().unwrap()).collect()
    }

    #[test]
    fn titles_say_where_and_when() {
        let codes = |c: &[&str]| c.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            title(
                &codes(&["GIN"]),
                &dates(&["2009-09-28", "2010-01-15"]),
                Format::Acled
            )
            .as_deref(),
            Some("Guinea: incidents, September 2009 – January 2010 (ACLED)")
        );
        assert_eq!(
            title(&codes(&["LBN"]), &dates(&["2021-06", "2022"]), Format::Hxl).as_deref(),
            Some("Lebanon: who does what, June 2021 – 2022")
        );
        assert_eq!(
            title(&[], &dates(&["2021-03-01"]), Format::Hxl).as_deref(),
            Some("Who does what, March 2021")
        );
        assert_eq!(title(&[], &[], Format::Hxl), None);
        assert_eq!(
            place_words(&codes(&["GIN", "LBR", "SLE"])).as_deref(),
            Some("Guinea, Liberia and Sierra Leone")
        );
        assert_eq!(
            place_words(&codes(&["MLI", "NER", "BFA", "TCD"])).as_deref(),
            Some("Mali and 3 other countries")
        );
    }

    #[test]
    fn as_of_the_latest_data_not_a_planned_end() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        let acled = dates(&["2009-09-28", "2010-01-15", "2009-12"]);
        assert_eq!(
            as_of(&acled, Format::Acled, today),
            Some("2010-01-15".parse().unwrap())
        );
        let sheet = dates(&["2025-01", "2027-12", "2026-03"]);
        assert_eq!(
            as_of(&sheet, Format::Hxl, today),
            Some("2026-03".parse().unwrap())
        );
        assert_eq!(
            as_of(&dates(&["2030"]), Format::Hxl, today),
            Some("2030".parse().unwrap())
        );
        assert_eq!(as_of(&[], Format::Hxl, today), None);
    }
}
