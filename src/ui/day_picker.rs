//! A day typed as YYYY-MM-DD, or picked on a month's calendar: the field, and a "Calendar"
//! button beside it that opens the month of the day typed (or of today), with the previous and
//! next months a click away. Picking a day writes it in the field.

use chrono::{Datelike as _, Local, NaiveDate};

use crate::model::{month_step, month_weeks};

/// The field labelled `label` holding `text`, and its calendar. Returns the day written, when
/// it is one: `Err` with the text when it is not a day, `Ok(None)` when empty.
pub fn day_field_ui(
    ui: &mut egui::Ui,
    name: &str,
    text: &mut String,
) -> Result<Option<NaiveDate>, String> {
    let label = ui.label(name);
    ui.add(
        egui::TextEdit::singleline(text)
            .hint_text("YYYY-MM-DD")
            .desired_width(100.0),
    )
    .labelled_by(label.id);
    let typed = text.trim();
    let parsed = match NaiveDate::parse_from_str(typed, "%Y-%m-%d") {
        Ok(day) => Ok(Some(day)),
        Err(_) if typed.is_empty() => Ok(None),
        Err(_) => Err(typed.to_owned()),
    };
    let shown = parsed.clone().ok().flatten();
    let button = ui
        .button("Calendar")
        .on_hover_text(format!("Pick the day “{name}” on a calendar"));
    if let Some(day) = calendar_ui(ui, &button, shown) {
        *text = day.format("%Y-%m-%d").to_string();
        return Ok(Some(day));
    }
    parsed
}

/// The popup calendar under `button`, on the month of `shown` (or of today) until the
/// officer moves to another; returns the day clicked.
fn calendar_ui(
    ui: &mut egui::Ui,
    button: &egui::Response,
    shown: Option<NaiveDate>,
) -> Option<NaiveDate> {
    let month_id = button.id.with("month");
    if button.clicked() {
        let month = shown.unwrap_or_else(|| Local::now().date_naive());
        ui.data_mut(|d| d.insert_temp(month_id, month));
    }
    let popup = egui::Popup::from_toggle_button_response(button)
        .close_behavior(egui::PopupCloseBehavior::CloseOnClickOutside);
    let popup_id = popup.get_id();
    let picked = popup
        .show(|ui| {
            let month = ui.data(|d| d.get_temp::<NaiveDate>(month_id));
            let month = month.unwrap_or_else(|| Local::now().date_naive());
            let (moved, picked) = month_ui(ui, month, shown);
            if let Some(moved) = moved {
                ui.data_mut(|d| d.insert_temp(month_id, moved));
            }
            picked
        })
        .and_then(|r| r.inner);
    if picked.is_some() {
        egui::Popup::close_id(ui.ctx(), popup_id);
    }
    picked
}

/// One month: "‹ November 2026 ›" and its weeks, Monday first, `selected` highlighted.
/// Returns the month moved to and the day clicked.
fn month_ui(
    ui: &mut egui::Ui,
    month: NaiveDate,
    selected: Option<NaiveDate>,
) -> (Option<NaiveDate>, Option<NaiveDate>) {
    let mut moved = None;
    ui.horizontal(|ui| {
        if ui
            .small_button("‹")
            .on_hover_text("Previous month")
            .clicked()
        {
            moved = Some(month_step(month, -1));
        }
        ui.strong(month.format("%B %Y").to_string());
        if ui.small_button("›").on_hover_text("Next month").clicked() {
            moved = Some(month_step(month, 1));
        }
    });
    let today = Local::now().date_naive();
    let mut picked = None;
    egui::Grid::new(ui.scope_id().with("days"))
        .spacing([2.0, 2.0])
        .show(ui, |ui| {
            for name in ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"] {
                ui.weak(name);
            }
            ui.end_row();
            for week in month_weeks(month) {
                for day in week {
                    match day {
                        Some(day) => {
                            let text = egui::RichText::new(day.day().to_string());
                            let text = if day == today { text.strong() } else { text };
                            let button = egui::Button::selectable(selected == Some(day), text)
                                .min_size(egui::vec2(26.0, 0.0));
                            let response = ui
                                .add(button)
                                .on_hover_text(day.format("%-d %B %Y").to_string());
                            if response.clicked() {
                                picked = Some(day);
                            }
                        }
                        None => {
                            ui.label("");
                        }
                    }
                }
                ui.end_row();
            }
        });
    (moved, picked)
}
