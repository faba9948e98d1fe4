//! Colours and spacing, applied once at start and when the theme changes. The colours that
//! carry meaning come from [`crate::palette`], shared with the exports.

use egui::Color32;

use crate::export::Tlp;
use crate::model::{EventKind, Role, Severity};
use crate::palette::{self, Rgb};

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

/// A palette colour as egui draws it.
pub const fn color(rgb: Rgb) -> Color32 {
    Color32::from_rgb(rgb.0, rgb.1, rgb.2)
}

/// The fill of a matrix cell for a role; always paired with its short label.
pub fn role_color(role: Role) -> Color32 {
    color(palette::role(role))
}

/// The marker colour of an event kind on the timeline.
pub fn event_color(kind: EventKind) -> Color32 {
    color(palette::event(kind))
}

/// The colour of an error or a warning.
pub fn severity_color(severity: Severity) -> Color32 {
    color(palette::severity(severity))
}

/// The colour of a TLP label's text, shown on black.
pub fn tlp_color(tlp: Tlp) -> Color32 {
    color(palette::tlp(tlp))
}

/// The warning marker drawn on flagged matrix rows and cells.
pub const FLAG_COLOR: Color32 = color(palette::FLAG);

/// The as-of line on a timeline.
pub const AS_OF_COLOR: Color32 = color(palette::AS_OF);

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
