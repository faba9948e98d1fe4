//! The words 3W sheets use, mapped to Tandem's: organisation types to partner categories,
//! statuses, sectors to instruments, and the roles Tandem's own export writes.

use crate::import::normalise_name;
use crate::model::{Instrument, PartnerCategory, Role, Status};

/// Maps an `#org+type` text to a partner category (see the module documentation).
pub fn category_from_type(text: &str) -> PartnerCategory {
    let norm = normalise_name(text);
    if let Some(c) = PartnerCategory::ALL
        .iter()
        .find(|c| normalise_name(c.label()) == norm)
    {
        return *c;
    }
    let words: Vec<&str> = norm.split(' ').collect();
    let word = |w: &str| words.contains(&w);
    let has = |s: &str| norm.contains(s);
    if word("ngo")
        || word("ngos")
        || word("ingo")
        || has("civil society")
        || has("foundation")
        || has("red cross")
        || has("mediator")
        || has("academic")
        || has("private")
    {
        PartnerCategory::CivilSociety
    } else if has("subregional") || has("sub regional") || word("rec") {
        PartnerCategory::Subregional
    } else if has("regional") {
        PartnerCategory::Regional
    } else if word("un") || has("united nations") || has("multilateral") {
        PartnerCategory::UnSystem
    } else if word("ifi") || has("financial") || has("bank") || has("monetary fund") {
        PartnerCategory::FinancialInstitution
    } else if has("government")
        || has("member state")
        || word("state")
        || word("states")
        || has("donor")
        || has("ministry")
        || has("embassy")
        || has("bilateral")
        || has("public sector")
    {
        PartnerCategory::MemberState
    } else {
        PartnerCategory::CivilSociety
    }
}

/// A category guessed from an organisation's name when the sheet gives no type.
pub(super) fn category_from_name(name: &str) -> PartnerCategory {
    let norm = normalise_name(name);
    let words: Vec<&str> = norm.split(' ').collect();
    if words.contains(&"un") || norm.contains("united nations") {
        PartnerCategory::UnSystem
    } else if norm.contains("world bank") || norm.contains("monetary fund") {
        PartnerCategory::FinancialInstitution
    } else if words.contains(&"ecowas")
        || norm.contains("economic community")
        || words.contains(&"sadc")
        || words.contains(&"igad")
    {
        PartnerCategory::Subregional
    } else if norm.contains("african union") || norm.contains("european union") {
        PartnerCategory::Regional
    } else {
        PartnerCategory::CivilSociety
    }
}

/// Maps a `#status` text to a status; `None` when it means nothing Tandem knows.
pub fn status_from_text(text: &str) -> Option<Status> {
    let norm = normalise_name(text);
    if let Some(s) = Status::ALL
        .iter()
        .find(|s| normalise_name(s.label()) == norm)
    {
        return Some(*s);
    }
    let has = |s: &str| norm.contains(s);
    if has("cancel") || has("abandon") || has("withdrawn") {
        Some(Status::Cancelled)
    } else if has("complet") || has("closed") || has("finish") || norm == "done" || has("ended") {
        Some(Status::Completed)
    } else if has("pause") || has("suspend") || has("on hold") || has("halted") {
        Some(Status::Paused)
    } else if has("plan") || has("pipeline") || has("propos") || has("not started") {
        Some(Status::Planned)
    } else if has("activ")
        || has("ongoing")
        || has("on going")
        || has("progress")
        || has("current")
        || has("implementation")
    {
        Some(Status::Active)
    } else {
        None
    }
}

/// Maps a `#sector` text to an instrument when it names one.
pub(super) fn instrument_from_sector(text: &str) -> Option<Instrument> {
    let norm = normalise_name(text);
    Instrument::ALL
        .iter()
        .find(|i| **i != Instrument::Other && normalise_name(i.label()) == norm)
        .copied()
}

/// Reads an `#x_role` cell with its `#x_step`.
pub(super) fn role_from_cells(role: &str, step: &str) -> Result<Role, String> {
    let norm = normalise_name(role);
    let parsed_step = || -> Result<u32, String> {
        if step.is_empty() {
            return Err("the role is sequential but #x_step is empty (expected 1, 2, 3…)".into());
        }
        step.parse::<u32>()
            .ok()
            .filter(|n| *n >= 1)
            .ok_or_else(|| format!("step \"{step}\" is not a whole number from 1"))
    };
    match norm.as_str() {
        "lead" | "l" => Ok(Role::Lead),
        "support" | "s" => Ok(Role::Support),
        "burden sharing" | "burdensharing" | "b" => Ok(Role::BurdenSharing),
        "joint" | "j" => Ok(Role::Joint),
        "sequential" => parsed_step().map(Role::Sequential),
        _ => Err(format!(
            "role \"{role}\" is not known (expected lead, support, burden-sharing, sequential or joint)"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn org_types_map_to_categories() {
        for (text, category) in [
            ("UN Agency", PartnerCategory::UnSystem),
            ("Regional NGO", PartnerCategory::CivilSociety),
            ("Subregional organisation", PartnerCategory::Subregional),
            ("Regional organization", PartnerCategory::Regional),
            ("Government", PartnerCategory::MemberState),
            (
                "International Financial Institution",
                PartnerCategory::FinancialInstitution,
            ),
            ("Something else", PartnerCategory::CivilSociety),
        ] {
            assert_eq!(category_from_type(text), category, "{text}");
        }
        for c in PartnerCategory::ALL {
            assert_eq!(category_from_type(c.label()), *c);
        }
    }

    #[test]
    fn statuses_map_from_common_words() {
        assert_eq!(status_from_text("Ongoing"), Some(Status::Active));
        assert_eq!(status_from_text("on hold"), Some(Status::Paused));
        assert_eq!(status_from_text("Pipeline"), Some(Status::Planned));
        assert_eq!(status_from_text("Closed"), Some(Status::Completed));
        assert_eq!(status_from_text("banana"), None);
        for s in Status::ALL {
            assert_eq!(status_from_text(s.label()), Some(*s));
        }
    }

    #[test]
    fn roles_read_as_the_export_writes_them() {
        for role in [
            Role::Lead,
            Role::Support,
            Role::BurdenSharing,
            Role::Joint,
            Role::Sequential(3),
        ] {
            let step = match role {
                Role::Sequential(n) => n.to_string(),
                _ => String::new(),
            };
            assert_eq!(role_from_cells(role.code(), &step), Ok(role));
        }
        assert!(role_from_cells("sequential", "").is_err());
        assert!(role_from_cells("boss", "").is_err());
    }
}
