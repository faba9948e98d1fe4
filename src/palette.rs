//! The colours that carry meaning — roles, TLP labels, event kinds, severities — in one place,
//! without egui: the app's theme converts them to egui colours, the exports write them as they
//! are, so a lead is the same blue on screen, on paper, in a figure and in a workbook.

use crate::model::{EventKind, Role, Severity};

/// An sRGB colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// `#1f6fb5`, for SVG and HTML.
    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }

    /// `0x1f6fb5`, as spreadsheet writers take it.
    pub fn to_u32(self) -> u32 {
        (u32::from(self.0) << 16) | (u32::from(self.1) << 8) | u32::from(self.2)
    }
}

/// Black.
pub const BLACK: Rgb = Rgb(0, 0, 0);
/// White.
pub const WHITE: Rgb = Rgb(0xff, 0xff, 0xff);

/// The fill of a matrix cell for a role; always paired with its short label, in white.
pub fn role(role: Role) -> Rgb {
    match role {
        Role::Lead => Rgb(0x1f, 0x6f, 0xb5),
        Role::Support => Rgb(0x4c, 0xa0, 0x6b),
        Role::BurdenSharing => Rgb(0xc7, 0x8a, 0x1b),
        Role::Sequential(_) => Rgb(0x7b, 0x5e, 0xa7),
        Role::Joint => Rgb(0x2a, 0x9d, 0x9d),
    }
}

/// The fill for a short role as the papers print it (`L`, `S`, `B`, `Q2`, `J`).
pub fn role_short(short: &str) -> Option<Rgb> {
    let found = match short.chars().next()? {
        'L' => Role::Lead,
        'S' => Role::Support,
        'B' => Role::BurdenSharing,
        'Q' => Role::Sequential(1),
        'J' => Role::Joint,
        _ => return None,
    };
    Some(role(found))
}

/// The colour of a TLP 2.0 label's text, printed on black (TLP:CLEAR is white on black).
pub fn tlp(tlp: crate::export::Tlp) -> Rgb {
    use crate::export::Tlp;
    match tlp {
        Tlp::Clear => WHITE,
        Tlp::Green => Rgb(0x33, 0xff, 0x00),
        Tlp::Amber | Tlp::AmberStrict => Rgb(0xff, 0xc0, 0x00),
        Tlp::Red => Rgb(0xff, 0x2b, 0x2b),
    }
}

/// The marker colour of an event kind on the timeline.
pub fn event(kind: EventKind) -> Rgb {
    match kind {
        EventKind::WarningSign => Rgb(0xd9, 0x8a, 0x00),
        EventKind::ThresholdMoment => Rgb(0xc0, 0x30, 0x30),
        EventKind::Incident => Rgb(0x8b, 0x1e, 0x3f),
        EventKind::DiplomaticAction => Rgb(0x1f, 0x6f, 0xb5),
        EventKind::Agreement => Rgb(0x2e, 0x8b, 0x57),
        EventKind::Milestone => Rgb(0x60, 0x60, 0x60),
    }
}

/// The colour of an error or a warning.
pub fn severity(severity: Severity) -> Rgb {
    match severity {
        Severity::Error => Rgb(0xc0, 0x30, 0x30),
        Severity::Warning => Rgb(0xc7, 0x8a, 0x1b),
    }
}

/// The warning marker drawn on flagged matrix rows and cells.
pub const FLAG: Rgb = Rgb(0xd0, 0x40, 0x20);

/// The as-of line on a timeline.
pub const AS_OF: Rgb = Rgb(0x1f, 0x6f, 0xb5);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_roles_have_their_roles_colours() {
        assert_eq!(role_short("L"), Some(role(Role::Lead)));
        assert_eq!(role_short("Q12"), Some(role(Role::Sequential(3))));
        assert_eq!(role_short(""), None);
        assert_eq!(role_short("x"), None);
        assert_eq!(role(Role::Lead).hex(), "#1f6fb5");
        assert_eq!(role(Role::Lead).to_u32(), 0x1f6fb5);
    }
}
