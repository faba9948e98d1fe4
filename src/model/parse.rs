//! What a user types into a field, read into a value or refused with the message shown there.
//!
//! Every parser returns `Err` with a sentence for the desk officer (what is wrong and what to
//! type instead); the detail pane shows it under the field and keeps the text until it is fixed.

use super::{PartialDate, Situation, ids};

/// Parses a date typed as `2009`, `2009-09` or `2009-09-28` (spaces around it are ignored).
pub fn parse_date(text: &str) -> Result<PartialDate, String> {
    text.trim().parse::<PartialDate>().map_err(|e| {
        format!(
            "Not a date: {} — type YYYY, YYYY-MM or YYYY-MM-DD",
            e.reason
        )
    })
}

/// Parses an optional date: an empty (or blank) text clears it.
pub fn parse_optional_date(text: &str) -> Result<Option<PartialDate>, String> {
    if text.trim().is_empty() {
        Ok(None)
    } else {
        parse_date(text).map(Some)
    }
}

/// Parses a list of ISO 3166-1 alpha-3 country codes separated by commas, semicolons or
/// spaces: upper-cased, each once, in the order typed. An empty text is an empty list.
pub fn parse_countries(text: &str) -> Result<Vec<String>, String> {
    let mut codes = Vec::new();
    for code in text
        .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .filter(|c| !c.is_empty())
    {
        if code.len() != 3 || !code.chars().all(|c| c.is_ascii_alphabetic()) {
            return Err(format!(
                "“{code}” is not an ISO alpha-3 code: use three letters such as GIN, SEN"
            ));
        }
        let code = code.to_ascii_uppercase();
        if !codes.contains(&code) {
            codes.push(code);
        }
    }
    Ok(codes)
}

/// Parses a name or title: trimmed, and not empty.
pub fn parse_name(text: &str) -> Result<String, String> {
    if text.trim().is_empty() {
        Err("A name is needed".into())
    } else {
        Ok(text.trim().to_owned())
    }
}

/// Parses the number of active lines of effort one partner may lead: a whole number 1–99.
pub fn parse_lead_limit(text: &str) -> Result<u32, String> {
    match text.trim().parse::<u32>() {
        Ok(n) if (1..=99).contains(&n) => Ok(n),
        _ => Err("Type a whole number from 1 to 99".into()),
    }
}

/// Why `new` cannot replace `old` as an item's id, if it cannot: the same checks as
/// [`super::edit::apply`] makes for `Edit::RenameId`, worded for the field.
pub fn id_problem(situation: &Situation, old: &str, new: &str) -> Option<String> {
    if new == old {
        None
    } else if !ids::is_valid_id(new) {
        Some("Use letters, digits and hyphens, no spaces".into())
    } else if situation.has_id(new) {
        Some(format!("The id “{new}” is already used"))
    } else if ids::is_referenced_anywhere(situation, new) {
        Some(format!(
            "The id “{new}” is named by a dangling reference; pick another"
        ))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::edit::{self, Edit};
    use crate::model::{Actor, ActorKind, Event, EventKind, Influence, Item, Sensitivity, Stance};

    #[test]
    fn dates_at_each_precision_are_accepted_and_trimmed() {
        assert_eq!(
            parse_date("2009").unwrap(),
            PartialDate::year(2009).unwrap()
        );
        assert_eq!(
            parse_date(" 2009-09 ").unwrap(),
            PartialDate::month(2009, 9).unwrap()
        );
        assert_eq!(
            parse_date("2009-09-28\n").unwrap(),
            PartialDate::day(2009, 9, 28).unwrap()
        );
    }

    #[test]
    fn refused_dates_say_why_and_what_to_type() {
        for (text, reason) in [
            ("", "it is empty"),
            ("   ", "it is empty"),
            ("09", "the year must have four digits"),
            ("2009-9", "the month must have two digits"),
            ("2009-13", "there is no such month"),
            ("2009-02-30", "there is no such day"),
            ("2009-09-28-1", "too many parts"),
            ("28/09/2009", "the year must have four digits"),
        ] {
            assert_eq!(
                parse_date(text).unwrap_err(),
                format!("Not a date: {reason} — type YYYY, YYYY-MM or YYYY-MM-DD"),
                "{text:?}"
            );
        }
    }

    #[test]
    fn an_optional_date_is_cleared_by_a_blank_text() {
        assert_eq!(parse_optional_date("").unwrap(), None);
        assert_eq!(parse_optional_date(" \t").unwrap(), None);
        assert_eq!(
            parse_optional_date("2009-09").unwrap(),
            PartialDate::month(2009, 9)
        );
        assert_eq!(
            parse_optional_date("2009-13").unwrap_err(),
            "Not a date: there is no such month — type YYYY, YYYY-MM or YYYY-MM-DD"
        );
    }

    #[test]
    fn countries_are_upper_cased_once_each_in_typed_order() {
        assert_eq!(
            parse_countries("gin, SEN;sen  mli").unwrap(),
            ["GIN", "SEN", "MLI"]
        );
        assert_eq!(parse_countries("civ\nGIN,,").unwrap(), ["CIV", "GIN"]);
        assert_eq!(parse_countries("  ").unwrap(), Vec::<String>::new());
        assert_eq!(parse_countries("").unwrap(), Vec::<String>::new());
    }

    #[test]
    fn a_country_that_is_not_three_letters_is_named_in_the_message() {
        for (text, bad) in [
            ("Guinea", "Guinea"),
            ("GIN, GN", "GN"),
            ("GIN SENE", "SENE"),
            ("G1N", "G1N"),
            ("GIN-SEN", "GIN-SEN"),
        ] {
            assert_eq!(
                parse_countries(text).unwrap_err(),
                format!("“{bad}” is not an ISO alpha-3 code: use three letters such as GIN, SEN"),
                "{text:?}"
            );
        }
    }

    #[test]
    fn names_are_trimmed_and_never_empty() {
        assert_eq!(
            parse_name("  ECOWAS Commission ").unwrap(),
            "ECOWAS Commission"
        );
        assert_eq!(parse_name("").unwrap_err(), "A name is needed");
        assert_eq!(parse_name(" \n ").unwrap_err(), "A name is needed");
    }

    #[test]
    fn the_lead_limit_is_a_whole_number_from_1_to_99() {
        assert_eq!(parse_lead_limit("1").unwrap(), 1);
        assert_eq!(parse_lead_limit(" 99 ").unwrap(), 99);
        for text in ["0", "100", "-1", "3.5", "three", ""] {
            assert_eq!(
                parse_lead_limit(text).unwrap_err(),
                "Type a whole number from 1 to 99",
                "{text:?}"
            );
        }
    }

    fn actor(id: &str) -> Item {
        Item::Actor(Actor {
            id: id.into(),
            name: id.to_uppercase(),
            kind: ActorKind::Other,
            stance: Stance::Unknown,
            influence: Influence::Medium,
            interests: String::new(),
            notes: String::new(),
            sensitivity: Sensitivity::Unclassified,
            place: None,
            aliases: Vec::new(),
        })
    }

    #[test]
    fn an_id_is_refused_when_malformed_taken_or_named_by_a_dangling_reference() {
        let mut s = Situation::new("t", PartialDate::year(2009).unwrap());
        for id in ["cndd", "fnds"] {
            edit::apply(
                &mut s,
                Edit::Insert {
                    index: 9,
                    item: actor(id),
                },
            )
            .unwrap();
        }
        // An event that names an actor no longer in the file.
        s.events.push(Event {
            id: "massacre".into(),
            title: "Stadium massacre".into(),
            kind: EventKind::Incident,
            date: PartialDate::day(2009, 9, 28).unwrap(),
            end: None,
            actors: vec!["gone".into()],
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
        assert_eq!(id_problem(&s, "cndd", "cndd"), None, "unchanged");
        assert_eq!(id_problem(&s, "cndd", "junta"), None);
        assert_eq!(
            id_problem(&s, "cndd", "has space").as_deref(),
            Some("Use letters, digits and hyphens, no spaces")
        );
        assert_eq!(
            id_problem(&s, "cndd", "").as_deref(),
            Some("Use letters, digits and hyphens, no spaces")
        );
        assert_eq!(
            id_problem(&s, "cndd", "fnds").as_deref(),
            Some("The id “fnds” is already used")
        );
        assert_eq!(
            id_problem(&s, "cndd", "massacre").as_deref(),
            Some("The id “massacre” is already used"),
            "ids are unique across kinds"
        );
        assert_eq!(
            id_problem(&s, "cndd", "gone").as_deref(),
            Some("The id “gone” is named by a dangling reference; pick another")
        );
    }

    #[test]
    fn an_id_the_field_accepts_is_one_the_rename_accepts() {
        let mut s = Situation::new("t", PartialDate::year(2009).unwrap());
        edit::apply(
            &mut s,
            Edit::Insert {
                index: 0,
                item: actor("cndd"),
            },
        )
        .unwrap();
        edit::apply(
            &mut s,
            Edit::Insert {
                index: 1,
                item: actor("fnds"),
            },
        )
        .unwrap();
        for new in ["junta", "fnds", "has space", ""] {
            let rename = Edit::RenameId {
                kind: crate::model::ItemKind::Actor,
                old: "cndd".into(),
                new: new.into(),
            };
            let accepted = edit::apply(&mut s.clone(), rename).is_ok();
            assert_eq!(id_problem(&s, "cndd", new).is_none(), accepted, "{new:?}");
        }
    }
}
