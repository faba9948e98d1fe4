//! The History panel: every change to the situation, newest first, with who made it, when and
//! what it did in words; filters by words, author, dates and the selected item; and the way
//! to see the situation as it was after a change or on a date. The "as it was" banner too.

use chrono::{DateTime, Local, NaiveDate, Utc};

use super::{Action, AppCommand};
use crate::io::history::HistoryEntry;
use crate::model::{ItemRef, Situation};

/// What the panel remembers while the app runs.
#[derive(Default)]
pub struct HistoryPanel {
    pub open: bool,
    /// Words to find in what a change did.
    pub words: String,
    /// Only this author's changes (`Some("")`: those whose author is unknown).
    pub author: Option<String>,
    /// The first and last day shown, as typed (YYYY-MM-DD).
    pub from: String,
    pub to: String,
    /// Only the changes to the selected item.
    pub only_selected: bool,
    /// The entry picked in the list (its index in the entries, oldest first).
    pub picked: Option<usize>,
    /// "As it was on": the day typed.
    pub on_date: String,
    shown: Option<Shown>,
}

/// The rows the filters let through, newest first, and what they were worked out from.
struct Shown {
    key: FilterKey,
    rows: Vec<usize>,
    authors: Vec<String>,
}

#[derive(Clone, PartialEq)]
struct FilterKey {
    version: u64,
    len: usize,
    words: String,
    author: Option<String>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    item: Option<(ItemRef, String)>,
}

/// What the panel lists, and about what.
pub struct HistorySource<'a> {
    /// The changes, oldest first.
    pub entries: &'a [HistoryEntry],
    /// Changes whenever the entries do.
    pub version: u64,
    /// Where the history comes from, in words.
    pub about: String,
    /// The history is still being read.
    pub loading: bool,
    /// The situation as it is now (the selected item's name).
    pub situation: &'a Situation,
    pub selection: Option<&'a ItemRef>,
}

/// Height of one row of the list.
const ROW_HEIGHT: f32 = 20.0;

/// The panel's contents: header, filters, the list, and what to do with the change picked.
pub fn history_panel_ui(
    ui: &mut egui::Ui,
    state: &mut HistoryPanel,
    source: &HistorySource<'_>,
    actions: &mut Vec<Action>,
) {
    ui.horizontal(|ui| {
        ui.heading("History");
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui
                .small_button("✕")
                .on_hover_text("Close the History panel")
                .clicked()
            {
                actions.push(Action::Command(AppCommand::History));
            }
        });
    });
    ui.label(egui::RichText::new(&source.about).weak());
    if source.loading {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label("Reading the history…");
        });
    }
    let key = filters_ui(ui, state, source);
    let (rows, authors) = shown_rows(state, source, key);
    ui.label(
        egui::RichText::new(format!(
            "{} of {} · {}",
            rows.iter()
                .filter(|&&i| source.entries.get(i).is_some_and(|e| !e.is_first_kept()))
                .count(),
            crate::text::counted(changes_in(source.entries), "change", "changes"),
            crate::text::counted(authors, "author", "authors")
        ))
        .weak(),
    );
    ui.separator();
    let footer = 150.0;
    let list_height = (ui.available_height() - footer).max(ROW_HEIGHT * 3.0);
    egui::ScrollArea::vertical()
        .id_salt("history_rows")
        .max_height(list_height)
        .auto_shrink([false, false])
        .show_rows(ui, ROW_HEIGHT, rows.len(), |ui, range| {
            for &index in rows.get(range).unwrap_or_default() {
                if let Some(entry) = source.entries.get(index) {
                    row_ui(ui, state, index, entry, actions);
                }
            }
        });
    ui.separator();
    picked_ui(ui, state, source, actions);
    on_date_ui(ui, state, source, actions);
}

/// The filters; returns what they say, for the list's cache.
fn filters_ui(
    ui: &mut egui::Ui,
    state: &mut HistoryPanel,
    source: &HistorySource<'_>,
) -> FilterKey {
    ui.add(
        egui::TextEdit::singleline(&mut state.words)
            .hint_text("Find words or a name")
            .desired_width(f32::INFINITY),
    );
    let authors = state
        .shown
        .as_ref()
        .map(|s| s.authors.clone())
        .unwrap_or_default();
    ui.horizontal(|ui| {
        let label = ui.label("Author");
        let shown = match &state.author {
            None => "Everyone".to_owned(),
            Some(a) if a.is_empty() => "Unknown".to_owned(),
            Some(a) => a.clone(),
        };
        egui::ComboBox::from_id_salt("history_author")
            .selected_text(shown)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut state.author, None, "Everyone");
                for author in &authors {
                    let label = if author.is_empty() { "Unknown" } else { author };
                    ui.selectable_value(&mut state.author, Some(author.clone()), label);
                }
            })
            .response
            .labelled_by(label.id);
    });
    let from = date_field_ui(ui, "From", &mut state.from);
    let to = date_field_ui(ui, "To", &mut state.to);
    let item = source.selection.and_then(|item| {
        let name = source.situation.item_name(item.kind, &item.id)?.to_owned();
        ui.checkbox(&mut state.only_selected, format!("Only “{name}”"))
            .on_hover_text("This item's history: only the changes that touched it");
        state.only_selected.then(|| (item.clone(), name))
    });
    FilterKey {
        version: source.version,
        len: source.entries.len(),
        words: state.words.trim().to_lowercase(),
        author: state.author.clone(),
        from,
        to,
        item,
    }
}

/// A day typed as YYYY-MM-DD: the day, or a word saying what is wrong.
fn date_field_ui(ui: &mut egui::Ui, label: &str, text: &mut String) -> Option<NaiveDate> {
    ui.horizontal(
        |ui| match super::day_picker::day_field_ui(ui, label, text) {
            Ok(day) => day,
            Err(_) => {
                ui.colored_label(ui.visuals().error_fg_color, "not a day (YYYY-MM-DD)");
                None
            }
        },
    )
    .inner
}

/// The rows the filters let through, newest first, and how many authors there are: worked
/// out again only when an entry or a filter changed.
fn shown_rows(
    state: &mut HistoryPanel,
    source: &HistorySource<'_>,
    key: FilterKey,
) -> (Vec<usize>, usize) {
    if state.shown.as_ref().is_none_or(|s| s.key != key) {
        let rows = (0..source.entries.len())
            .rev()
            .filter(|&i| source.entries.get(i).is_some_and(|e| matches(e, &key)))
            .collect();
        let mut authors: Vec<String> = (source.entries.iter())
            .filter(|e| !e.is_first_kept())
            .map(|e| e.author.clone().unwrap_or_default())
            .collect();
        authors.sort();
        authors.dedup();
        state.shown = Some(Shown { key, rows, authors });
    }
    state
        .shown
        .as_ref()
        .map(|s| (s.rows.clone(), s.authors.len()))
        .unwrap_or_default()
}

/// Whether `entry` passes the filters of `key`.
fn matches(entry: &HistoryEntry, key: &FilterKey) -> bool {
    if let Some(author) = &key.author
        && entry.author.as_deref().unwrap_or("") != author
    {
        return false;
    }
    let day = entry.at.with_timezone(&Local).date_naive();
    if key.from.is_some_and(|from| day < from) || key.to.is_some_and(|to| day > to) {
        return false;
    }
    let sentence = || entry.sentence().to_lowercase();
    if let Some((item, name)) = &key.item {
        // Where the change's items are not known, its words are: does it name the item?
        let touched = (entry.items.include(item))
            .unwrap_or_else(|| sentence().contains(&name.to_lowercase()));
        if !touched {
            return false;
        }
    }
    key.words.is_empty()
        || sentence().contains(&key.words)
        || entry
            .detail
            .iter()
            .any(|d| d.to_lowercase().contains(&key.words))
}

/// One change: when, and who did what. A click picks it; a double click shows the situation
/// as it was after it.
fn row_ui(
    ui: &mut egui::Ui,
    state: &mut HistoryPanel,
    index: usize,
    entry: &HistoryEntry,
    actions: &mut Vec<Action>,
) {
    ui.horizontal(|ui| {
        ui.set_height(ROW_HEIGHT);
        ui.add_sized(
            [112.0, ROW_HEIGHT],
            egui::Label::new(egui::RichText::new(entry.time_text()).weak()),
        );
        let picked = state.picked == Some(index);
        let response = ui.add(egui::Button::selectable(picked, entry.sentence()).truncate());
        let response = if entry.detail.is_empty() {
            response.on_hover_text(entry.sentence())
        } else {
            response.on_hover_text(format!("{}\n{}", entry.sentence(), entry.detail.join("\n")))
        };
        if response.clicked() {
            state.picked = Some(index);
        }
        if response.double_clicked() {
            actions.push(Action::ShowPast(entry.point.clone(), entry.at));
        }
    });
}

/// The change picked: all it says, and the button to see the situation as it was after it.
fn picked_ui(
    ui: &mut egui::Ui,
    state: &HistoryPanel,
    source: &HistorySource<'_>,
    actions: &mut Vec<Action>,
) {
    let Some(entry) = state.picked.and_then(|i| source.entries.get(i)) else {
        ui.label(
            egui::RichText::new("Pick a change to see the situation as it was after it.").weak(),
        );
        return;
    };
    ui.label(format!("{} — {}", entry.time_text(), entry.sentence()));
    egui::ScrollArea::vertical()
        .id_salt("history_detail")
        .max_height(60.0)
        .show(ui, |ui| {
            for line in &entry.detail {
                ui.label(egui::RichText::new(line).small());
            }
        });
    let show = if entry.is_first_kept() {
        "Show the situation as this history starts"
    } else {
        "Show the situation as it was after this change"
    };
    if ui
        .button(show)
        .on_hover_text("Every view shows it, read-only; Escape comes back to now")
        .clicked()
    {
        actions.push(Action::ShowPast(entry.point.clone(), entry.at));
    }
}

/// "As it was on" a day: the situation after the last change made by the end of that day.
fn on_date_ui(
    ui: &mut egui::Ui,
    state: &mut HistoryPanel,
    source: &HistorySource<'_>,
    actions: &mut Vec<Action>,
) {
    ui.horizontal(|ui| {
        let _ = super::day_picker::day_field_ui(ui, "As it was on", &mut state.on_date);
        if ui.button("Show").clicked() {
            actions.push(as_it_was_on(&state.on_date, source.entries));
        }
    });
}

/// The entries that are changes (not the history's starting point).
fn changes_in(entries: &[HistoryEntry]) -> usize {
    entries.iter().filter(|e| !e.is_first_kept()).count()
}

/// The action for "as it was on `typed`": the last change by the end of that day, or a word
/// saying why there is none.
pub fn as_it_was_on(typed: &str, entries: &[HistoryEntry]) -> Action {
    let Ok(day) = NaiveDate::parse_from_str(typed.trim(), "%Y-%m-%d") else {
        return Action::Status(format!(
            "“{}” is not a day: write it as YYYY-MM-DD",
            typed.trim()
        ));
    };
    let last = entries
        .iter()
        .rev()
        .find(|e| e.at.with_timezone(&Local).date_naive() <= day);
    match last {
        Some(entry) => Action::ShowPast(entry.point.clone(), entry.at),
        None => Action::Status(match entries.first() {
            Some(first) => format!(
                "The history starts on {}: nothing is kept from before",
                first.time_text()
            ),
            None => "No change is recorded yet".into(),
        }),
    }
}

/// The banner over every view while the situation is shown as it was: when, read-only, and
/// the way back.
pub fn as_it_was_banner_ui(
    ui: &mut egui::Ui,
    at: DateTime<Utc>,
    ready: bool,
    actions: &mut Vec<Action>,
) {
    let accent = ui.visuals().selection.bg_fill;
    egui::Frame::new()
        .fill(accent.gamma_multiply(0.25))
        .stroke(egui::Stroke::new(1.0, accent))
        .inner_margin(6.0)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal(|ui| {
                let when = crate::io::history::time_text(at);
                ui.strong(format!("As it was on {when} — read-only"));
                if !ready {
                    ui.spinner();
                }
                if ui
                    .button("Back to now")
                    .on_hover_text("Show the situation as it is now (Escape)")
                    .clicked()
                {
                    actions.push(Action::BackToNow);
                }
            });
        });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::history::{PastPoint, TouchedItems};
    use crate::model::ItemKind;

    fn entry(author: &str, label: &str, days_ago: i64, items: Vec<ItemRef>) -> HistoryEntry {
        HistoryEntry {
            at: Utc::now() - chrono::Duration::days(days_ago),
            author: Some(author.into()),
            label: label.into(),
            detail: Vec::new(),
            items: TouchedItems::Only(items),
            point: PastPoint::Local(1),
        }
    }

    fn key() -> FilterKey {
        FilterKey {
            version: 0,
            len: 0,
            words: String::new(),
            author: None,
            from: None,
            to: None,
            item: None,
        }
    }

    #[test]
    fn filters_by_author_words_dates_and_item() {
        let ecowas = ItemRef::new(ItemKind::Partner, "ecowas");
        let e = entry(
            "Marie Diallo",
            "set ECOWAS as Lead on “Mediation”",
            3,
            vec![ecowas.clone()],
        );
        assert!(matches(&e, &key()));
        assert!(matches(
            &e,
            &FilterKey {
                author: Some("Marie Diallo".into()),
                ..key()
            }
        ));
        assert!(!matches(
            &e,
            &FilterKey {
                author: Some("Ana".into()),
                ..key()
            }
        ));
        assert!(matches(
            &e,
            &FilterKey {
                words: "lead on".into(),
                ..key()
            }
        ));
        assert!(!matches(
            &e,
            &FilterKey {
                words: "support".into(),
                ..key()
            }
        ));
        let today = Local::now().date_naive();
        assert!(!matches(
            &e,
            &FilterKey {
                from: Some(today),
                ..key()
            }
        ));
        assert!(matches(
            &e,
            &FilterKey {
                to: Some(today),
                ..key()
            }
        ));
        let item = Some((ecowas, "Economic Community of West African States".into()));
        assert!(matches(
            &e,
            &FilterKey {
                item: item.clone(),
                ..key()
            }
        ));
        let other = entry(
            "Marie Diallo",
            "edit actor “Junta”",
            1,
            vec![ItemRef::new(ItemKind::Actor, "junta")],
        );
        assert!(!matches(
            &other,
            &FilterKey {
                item: item.clone(),
                ..key()
            }
        ));
        let share = HistoryEntry {
            items: TouchedItems::All,
            ..entry("Ana Lima", "share the situation", 9, vec![])
        };
        assert!(matches(
            &share,
            &FilterKey {
                item: item.clone(),
                ..key()
            }
        ));
        let unknown = |label: &str| HistoryEntry {
            items: TouchedItems::Unknown,
            ..entry("Ana Lima", label, 1, vec![])
        };
        let by_name = unknown("edit partner “Economic Community of West African States”");
        assert!(matches(
            &by_name,
            &FilterKey {
                item: item.clone(),
                ..key()
            }
        ));
        assert!(!matches(
            &unknown("edit actor “Junta”"),
            &FilterKey { item, ..key() }
        ));
    }

    #[test]
    fn as_it_was_on_a_day_takes_the_last_change_by_its_end() {
        let entries = vec![
            entry("A", "add actor “X”", 10, vec![]),
            entry("A", "add actor “Y”", 2, vec![]),
        ];
        let day = (Local::now() - chrono::Duration::days(5)).date_naive();
        match as_it_was_on(&day.to_string(), &entries) {
            Action::ShowPast(_, at) => assert_eq!(at, entries[0].at),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            as_it_was_on("2001-01-01", &entries),
            Action::Status(_)
        ));
        assert!(matches!(
            as_it_was_on("last week", &entries),
            Action::Status(_)
        ));
    }
}
