//! Colours and spacing, applied once at start and when the theme changes.

use egui::Color32;

use crate::model::{EventKind, Role, Severity};

/// Applies the light or dark theme.
pub fn apply(ctx: &egui::Context, dark: bool) {
    ctx.set_theme(if dark {
        egui::Theme::Dark
    } else {
        egui::Theme::Light
    });
    ctx.global_style_mut(|style| {
        style.spacing.item_spacing = egui::vec2(8.0, 5.0);
        style.spacing.button_padding = egui::vec2(6.0, 3.0);
    });
}

/// The fill of a matrix cell for a role; always paired with its short label.
pub fn role_color(role: Role) -> Color32 {
    match role {
        Role::Lead => Color32::from_rgb(0x1f, 0x6f, 0xb5),
        Role::Support => Color32::from_rgb(0x4c, 0xa0, 0x6b),
        Role::BurdenSharing => Color32::from_rgb(0xc7, 0x8a, 0x1b),
        Role::Sequential(_) => Color32::from_rgb(0x7b, 0x5e, 0xa7),
        Role::Joint => Color32::from_rgb(0x2a, 0x9d, 0x9d),
    }
}

/// The marker colour of an event kind on the timeline.
pub fn event_color(kind: EventKind) -> Color32 {
    match kind {
        EventKind::WarningSign => Color32::from_rgb(0xd9, 0x8a, 0x00),
        EventKind::ThresholdMoment => Color32::from_rgb(0xc0, 0x30, 0x30),
        EventKind::Incident => Color32::from_rgb(0x8b, 0x1e, 0x3f),
        EventKind::DiplomaticAction => Color32::from_rgb(0x1f, 0x6f, 0xb5),
        EventKind::Agreement => Color32::from_rgb(0x2e, 0x8b, 0x57),
        EventKind::Milestone => Color32::from_rgb(0x60, 0x60, 0x60),
    }
}

pub fn severity_color(severity: Severity) -> Color32 {
    match severity {
        Severity::Error => Color32::from_rgb(0xc0, 0x30, 0x30),
        Severity::Warning => Color32::from_rgb(0xc7, 0x8a, 0x1b),
    }
}

/// The warning marker drawn on flagged matrix rows and cells.
pub const FLAG_COLOR: Color32 = Color32::from_rgb(0xd0, 0x40, 0x20);

/// Adds DejaVu Sans behind egui's own fonts, so that symbols (⚠ ▲ ●), accented names and
/// most scripts in users' text draw as letters rather than boxes.
pub fn install_fonts(ctx: &egui::Context) {
    let mut fonts = egui::FontDefinitions::default();
    fonts.font_data.insert(
        "dejavu-sans".into(),
        std::sync::Arc::new(egui::FontData::from_static(include_bytes!(
            "../../assets/fonts/DejaVuSans.ttf"
        ))),
    );
    for family in [egui::FontFamily::Proportional, egui::FontFamily::Monospace] {
        fonts
            .families
            .entry(family)
            .or_default()
            .push("dejavu-sans".into());
    }
    ctx.set_fonts(fonts);
}
