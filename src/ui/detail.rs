//! The detail pane: a form for every field of the selected item, or of the situation itself.
//!
//! A form edits a working copy of the item; when anything changed, one
//! `Edit::Replace` (or `Edit::SetMeta`) is pushed. Text fields keep their own buffer while
//! they have focus and commit on Enter or when focus leaves, so one field edit is one undo step.

use crate::text::capitalised;
use std::collections::{HashMap, HashSet};

use super::ViewCtx;
use super::{Action, AppCommand};
use crate::model::edit::{Edit, SituationMeta};
use crate::model::parse::{
    id_problem, parse_countries, parse_date, parse_lead_limit, parse_name, parse_optional_date,
};
use crate::model::{
    ActorKind, Event, EventKind, Influence, Instrument, Item, ItemKind, ItemRef, PartialDate,
    PartnerCategory, Sensitivity, Situation, Stance, Status, Track,
};

/// Kept here for `ui::handle_view_command` until "Add" moves into the command model.
pub use crate::model::create::new_item_edit;

/// A text field of one item (`None`: the situation itself).
type FieldKey = (Option<ItemRef>, &'static str);

/// What the user has typed in a field that is not committed yet.
struct FieldBuf {
    text: String,
    /// Why the text cannot be taken, shown at the field.
    error: Option<String>,
    /// The edit the text would make, kept in case the field disappears while focused.
    pending: Option<Edit>,
}

/// State of the detail pane that outlives a frame: field buffers and reference searches.
#[derive(Default)]
pub struct DetailState {
    fields: HashMap<FieldKey, FieldBuf>,
    seen: HashSet<FieldKey>,
    searches: HashMap<FieldKey, String>,
}

impl DetailState {
    /// The error shown at a field, if its text was refused.
    pub fn field_error(&self, item: Option<&ItemRef>, field: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|((i, f), _)| i.as_ref() == item && *f == field)
            .and_then(|(_, b)| b.error.as_deref())
    }
}

/// Called once a frame after every view has drawn: commits the text of a field that had
/// focus but is no longer shown (the selection or the view changed), and forgets the rest.
pub fn end_frame(state: &mut DetailState, actions: &mut Vec<Action>) {
    let seen = std::mem::take(&mut state.seen);
    let gone: Vec<FieldKey> = state
        .fields
        .keys()
        .filter(|k| !seen.contains(*k))
        .cloned()
        .collect();
    for key in gone {
        if let Some(FieldBuf {
            pending: Some(edit),
            ..
        }) = state.fields.remove(&key)
        {
            actions.push(Action::Edit(edit));
        }
    }
}

/// A form over a working copy `draft` of one item (or the situation's own fields).
struct Form<'s, D> {
    state: &'s mut DetailState,
    owner: Option<ItemRef>,
    original: D,
    draft: D,
    wrap: fn(D) -> Edit,
    enabled: bool,
    /// Actions to push after the draft's edit (renames).
    after: Vec<Action>,
}

impl<'s, D: Clone + PartialEq> Form<'s, D> {
    fn new(
        state: &'s mut DetailState,
        owner: Option<ItemRef>,
        item: D,
        wrap: fn(D) -> Edit,
        enabled: bool,
    ) -> Self {
        Self {
            state,
            owner,
            original: item.clone(),
            draft: item,
            wrap,
            enabled,
            after: Vec::new(),
        }
    }

    fn key(&self, field: &'static str) -> FieldKey {
        (self.owner.clone(), field)
    }

    /// Pushes one edit when the draft changed, then any renames.
    /// Pushes the draft's edit, if anything changed. The edit that first names a new item
    /// also gives it an id made from that name (see [`edit::name_new_item`]).
    fn finish(self, situation: &Situation, actions: &mut Vec<Action>) {
        if self.draft != self.original {
            let edit = crate::model::edit::name_new_item(situation, (self.wrap)(self.draft));
            actions.push(Action::Edit(edit));
        }
        actions.extend(self.after);
    }

    fn label_ui(ui: &mut egui::Ui, label: &str) -> egui::Response {
        field_label_ui(ui, label)
    }

    /// A text field whose value is parsed on commit; a refused text stays shown in red.
    #[allow(clippy::too_many_arguments)]
    fn typed_ui<T: Clone + PartialEq>(
        &mut self,
        ui: &mut egui::Ui,
        field: &'static str,
        label: &str,
        lens: fn(&mut D) -> &mut T,
        show: fn(&T) -> String,
        parse: fn(&str) -> Result<T, String>,
        multiline: bool,
    ) {
        let label_response = if multiline {
            top_label_ui(ui, label)
        } else {
            Self::label_ui(ui, label)
        };
        let key = self.key(field);
        let current = show(lens(&mut self.draft));
        let mut text = self
            .state
            .fields
            .get(&key)
            .map_or_else(|| current.clone(), |b| b.text.clone());
        let error = self.state.fields.get(&key).and_then(|b| b.error.clone());
        let response = ui
            .vertical(|ui| {
                let mut edit = if multiline {
                    egui::TextEdit::multiline(&mut text).desired_rows(3)
                } else {
                    egui::TextEdit::singleline(&mut text)
                }
                .id_salt(("detail_field", &key))
                .desired_width(f32::INFINITY);
                if error.is_some() {
                    edit = edit.text_color(ui.visuals().error_fg_color);
                }
                let response = ui
                    .add_enabled(self.enabled, edit)
                    .labelled_by(label_response.id);
                if let Some(error) = &error {
                    ui.colored_label(ui.visuals().error_fg_color, error);
                }
                response
            })
            .inner;
        ui.end_row();
        self.state.seen.insert(key.clone());
        if response.changed() {
            let buf = if text == current {
                FieldBuf {
                    text,
                    error: None,
                    pending: None,
                }
            } else {
                match parse(&text) {
                    Ok(value) => {
                        let mut would_be = self.draft.clone();
                        *lens(&mut would_be) = value;
                        FieldBuf {
                            text,
                            error: None,
                            pending: Some((self.wrap)(would_be)),
                        }
                    }
                    Err(message) => FieldBuf {
                        text,
                        error: Some(message),
                        pending: None,
                    },
                }
            };
            self.state.fields.insert(key.clone(), buf);
        }
        if response.has_focus() {
            return;
        }
        // Focus left (Enter, Tab, a click elsewhere): take the text, or keep it with its error.
        if ui.input(|i| i.key_pressed(egui::Key::Escape)) {
            self.state.fields.remove(&key);
        } else if let Some(buf) = self.state.fields.remove(&key) {
            match parse(&buf.text) {
                Ok(value) if buf.text != current => *lens(&mut self.draft) = value,
                Ok(_) => {}
                Err(message) => {
                    self.state.fields.insert(
                        key,
                        FieldBuf {
                            error: Some(message),
                            pending: None,
                            ..buf
                        },
                    );
                }
            }
        }
    }

    fn text_ui(
        &mut self,
        ui: &mut egui::Ui,
        field: &'static str,
        label: &str,
        lens: fn(&mut D) -> &mut String,
        multiline: bool,
    ) {
        self.typed_ui(
            ui,
            field,
            label,
            lens,
            String::clone,
            |t| Ok(t.to_owned()),
            multiline,
        );
    }

    fn name_ui(
        &mut self,
        ui: &mut egui::Ui,
        field: &'static str,
        label: &str,
        lens: fn(&mut D) -> &mut String,
    ) {
        self.typed_ui(ui, field, label, lens, String::clone, parse_name, false);
    }

    fn optional_date_ui(
        &mut self,
        ui: &mut egui::Ui,
        field: &'static str,
        label: &str,
        lens: fn(&mut D) -> &mut Option<PartialDate>,
    ) {
        self.typed_ui(
            ui,
            field,
            label,
            lens,
            |d| d.map(|d| d.to_string()).unwrap_or_default(),
            parse_optional_date,
            false,
        );
    }

    /// A drop-down over a fixed list; a change is taken at once.
    fn choice_ui<T: Copy + PartialEq + 'static>(
        &mut self,
        ui: &mut egui::Ui,
        label: &str,
        lens: fn(&mut D) -> &mut T,
        all: &[T],
        name: fn(T) -> &'static str,
    ) {
        let label_response = Self::label_ui(ui, label);
        let value = lens(&mut self.draft);
        let mut chosen = *value;
        ui.add_enabled_ui(self.enabled, |ui| {
            let response = egui::ComboBox::from_id_salt(("detail_choice", &self.owner, label))
                .selected_text(name(chosen))
                .width(ui.available_width().min(260.0))
                .show_ui(ui, |ui| {
                    for option in all {
                        ui.selectable_value(&mut chosen, *option, name(*option));
                    }
                });
            response.response.labelled_by(label_response.id);
        });
        *value = chosen;
        ui.end_row();
    }

    /// The instruments chosen, in words that wrap, and a drop-down of all sixteen to tick (the
    /// list stays in the order of [`Instrument::ALL`]): two or three lines instead of sixteen
    /// checkboxes that pushed the rest of the form (and Duplicate and Delete) off the pane.
    fn instruments_ui(&mut self, ui: &mut egui::Ui, lens: fn(&mut D) -> &mut Vec<Instrument>) {
        let label = top_label_ui(ui, "Instruments");
        let enabled = self.enabled;
        let instruments = lens(&mut self.draft);
        let width = value_width(ui);
        ui.vertical(|ui| {
            ui.set_max_width(width);
            if instruments.is_empty() {
                ui.label(egui::RichText::new("none").weak());
            } else {
                let chosen: Vec<&str> = instruments.iter().map(|i| i.label()).collect();
                ui.add(egui::Label::new(chosen.join(", ")).wrap());
            }
            if !enabled {
                return;
            }
            egui::ComboBox::from_id_salt("detail_instruments")
                .selected_text("Choose…")
                .width(width.min(160.0))
                .height(f32::INFINITY)
                // Ticking one keeps the list open for the next.
                .close_behavior(egui::PopupCloseBehavior::CloseOnClickOutside)
                .show_ui(ui, |ui| {
                    for instrument in Instrument::ALL {
                        let mut on = instruments.contains(instrument);
                        if ui.checkbox(&mut on, instrument.label()).changed() {
                            instruments.retain(|i| i != instrument);
                            if on {
                                instruments.push(*instrument);
                                instruments
                                    .sort_by_key(|i| Instrument::ALL.iter().position(|x| x == i));
                            }
                        }
                    }
                })
                .response
                .labelled_by(label.id);
        });
        ui.end_row();
    }

    fn sensitivity_ui(&mut self, ui: &mut egui::Ui, lens: fn(&mut D) -> &mut Sensitivity) {
        self.choice_ui(
            ui,
            "Sensitivity",
            lens,
            Sensitivity::ALL,
            Sensitivity::label,
        );
    }

    /// References picked from existing items: chips with ✕, and a searchable drop-down to add.
    fn refs_ui(
        &mut self,
        ui: &mut egui::Ui,
        field: &'static str,
        label: &str,
        lens: fn(&mut D) -> &mut Vec<String>,
        candidates: &Candidates<'_>,
    ) {
        let label_response = top_label_ui(ui, label);
        let key = self.key(field);
        let enabled = self.enabled;
        let list = lens(&mut self.draft);
        let mut remove = None;
        let mut add = None;
        let search = self.state.searches.entry(key.clone()).or_default();
        ui.vertical(|ui| {
            remove = ref_chips_ui(ui, label, list, candidates, enabled);
            if enabled {
                add = ref_picker_ui(ui, &key, label, label_response.id, search, list, candidates);
            }
        });
        if let Some(i) = remove
            && i < list.len()
        {
            list.remove(i);
        }
        if let Some(id) = add {
            list.push(id);
            search.clear();
        }
        ui.end_row();
    }
}

/// The references of a field as chips, each with a ✕ when `enabled`; returns the position of
/// the one whose ✕ was clicked.
fn ref_chips_ui(
    ui: &mut egui::Ui,
    label: &str,
    list: &[String],
    candidates: &Candidates<'_>,
    enabled: bool,
) -> Option<usize> {
    let mut remove = None;
    ui.vertical(|ui| {
        for (i, id) in list.iter().enumerate() {
            let name = candidates
                .name(id)
                .unwrap_or_else(|| format!("{id} (missing)"));
            egui::Frame::new()
                .fill(ui.visuals().faint_bg_color)
                .stroke(ui.visuals().widgets.noninteractive.bg_stroke)
                .corner_radius(8.0)
                .inner_margin(egui::Margin::symmetric(6, 1))
                .show(ui, |ui| {
                    ui.horizontal(|ui| {
                        let room = (value_width(ui) - 48.0).max(40.0);
                        ui.scope(|ui| {
                            ui.set_max_width(room);
                            ui.add(egui::Label::new(&name).truncate())
                                .on_hover_text(&name);
                        });
                        if enabled
                            && ui
                                .small_button("✕")
                                .accessible_name(format!("Remove {name} from {label}"))
                                .on_hover_text("Remove")
                                .clicked()
                        {
                            remove = Some(i);
                        }
                    });
                });
        }
        if list.is_empty() {
            ui.label(egui::RichText::new("none").weak());
        }
    });
    remove
}

/// The "Add…" drop-down of a reference field: a search box over the candidates not in `list`;
/// returns the id picked.
fn ref_picker_ui(
    ui: &mut egui::Ui,
    key: &FieldKey,
    label: &str,
    label_id: egui::Id,
    search: &mut String,
    list: &[String],
    candidates: &Candidates<'_>,
) -> Option<String> {
    let mut add = None;
    let response = egui::ComboBox::from_id_salt(("detail_add", key))
        .selected_text("Add…")
        .width(ui.available_width().min(260.0))
        .height(260.0)
        // Clicking into the search box must not close the list being searched.
        .close_behavior(egui::PopupCloseBehavior::CloseOnClickOutside)
        .show_ui(ui, |ui| {
            let search_box = ui
                .add(
                    egui::TextEdit::singleline(search)
                        .hint_text("Search…")
                        .desired_width(f32::INFINITY),
                )
                .accessible_name(format!("Search {label}"));
            if ui.memory(|m| m.focused().is_none()) {
                search_box.request_focus();
            }
            let needle = search.trim().to_lowercase();
            let mut shown = 0;
            let mut more = 0;
            candidates.for_each(|id, name| {
                if list.iter().any(|x| x == id)
                    || !(needle.is_empty()
                        || name.to_lowercase().contains(&needle)
                        || id.to_lowercase().contains(&needle))
                {
                    return;
                }
                if shown == MAX_CANDIDATES_SHOWN {
                    more += 1;
                    return;
                }
                shown += 1;
                if ui.selectable_label(false, name).clicked() {
                    add = Some(id.to_owned());
                    ui.close();
                }
            });
            if shown == 0 {
                ui.label(egui::RichText::new("Nothing to add").weak());
            }
            if more > 0 {
                ui.label(
                    egui::RichText::new(format!("… and {more} more: type to narrow the list"))
                        .weak(),
                );
            }
        });
    response
        .response
        .labelled_by(label_id)
        .on_hover_text(format!("Add to {label}"));
    add
}

impl<D: Clone + PartialEq> Form<'_, D> {
    /// The id field: a commit renames the item and every reference to it.
    fn id_ui(&mut self, ui: &mut egui::Ui, situation: &Situation, kind: ItemKind, id: &str) {
        let label_response = Self::label_ui(ui, "Id");
        let key = self.key("id");
        let mut text = self
            .state
            .fields
            .get(&key)
            .map_or_else(|| id.to_owned(), |b| b.text.clone());
        let error = self.state.fields.get(&key).and_then(|b| b.error.clone());
        let response = ui
            .vertical(|ui| {
                let mut edit = egui::TextEdit::singleline(&mut text)
                    .id_salt(("detail_field", &key))
                    .font(egui::TextStyle::Monospace)
                    .desired_width(f32::INFINITY);
                if error.is_some() {
                    edit = edit.text_color(ui.visuals().error_fg_color);
                }
                let response = ui
                    .add_enabled(self.enabled, edit)
                    .labelled_by(label_response.id)
                    .on_hover_text("Renaming the id updates every reference to it");
                if let Some(error) = &error {
                    ui.colored_label(ui.visuals().error_fg_color, error);
                }
                response
            })
            .inner;
        ui.end_row();
        self.state.seen.insert(key.clone());
        let rename = |new: &str| Edit::RenameId {
            kind,
            old: id.to_owned(),
            new: new.trim().to_owned(),
        };
        if response.changed() {
            let problem = id_problem(situation, id, text.trim());
            let pending = (problem.is_none() && text.trim() != id).then(|| rename(&text));
            self.state.fields.insert(
                key.clone(),
                FieldBuf {
                    text,
                    error: problem,
                    pending,
                },
            );
        }
        if response.has_focus() {
            return;
        }
        if ui.input(|i| i.key_pressed(egui::Key::Escape)) {
            self.state.fields.remove(&key);
        } else if let Some(buf) = self.state.fields.remove(&key) {
            match id_problem(situation, id, buf.text.trim()) {
                None if buf.text.trim() != id => {
                    self.after.push(Action::Edit(rename(&buf.text)));
                }
                None => {}
                Some(problem) => {
                    self.state.fields.insert(
                        key,
                        FieldBuf {
                            error: Some(problem),
                            pending: None,
                            ..buf
                        },
                    );
                }
            }
        }
    }
}

/// How many matches a reference picker lists before asking for a narrower search.
const MAX_CANDIDATES_SHOWN: usize = 100;

/// The items a reference field can point to. Names are looked up when drawn, not copied every
/// frame: a situation may hold 20,000 events.
struct Candidates<'a> {
    situation: &'a Situation,
    kind: ItemKind,
    /// The item being edited (an event cannot answer itself).
    except: &'a str,
}

fn candidates<'a>(situation: &'a Situation, kind: ItemKind, except: &'a str) -> Candidates<'a> {
    Candidates {
        situation,
        kind,
        except,
    }
}

impl Candidates<'_> {
    /// The name shown for `id`, when it is one of the candidates.
    fn name(&self, id: &str) -> Option<String> {
        let s = self.situation;
        match self.kind {
            ItemKind::Actor => s.actor(id).map(|a| a.name.clone()),
            ItemKind::Partner => s.partner(id).map(|p| p.short_name().to_owned()),
            ItemKind::Line => s.line(id).map(|l| l.title.clone()),
            ItemKind::Event => s
                .event(id)
                .filter(|e| e.kind == EventKind::WarningSign && e.id != self.except)
                .map(event_choice_name),
        }
    }

    /// Calls `f` with the id and name of every candidate, in file order.
    fn for_each(&self, mut f: impl FnMut(&str, &str)) {
        let s = self.situation;
        match self.kind {
            ItemKind::Actor => s.actors.iter().for_each(|a| f(&a.id, &a.name)),
            ItemKind::Partner => s.partners.iter().for_each(|p| f(&p.id, p.short_name())),
            ItemKind::Line => s.lines.iter().for_each(|l| f(&l.id, &l.title)),
            ItemKind::Event => s
                .events
                .iter()
                .filter(|e| e.kind == EventKind::WarningSign && e.id != self.except)
                .for_each(|e| f(&e.id, &event_choice_name(e))),
        }
    }
}

fn event_choice_name(e: &Event) -> String {
    format!("{} ({})", e.title, e.date)
}

/// The width of a form's label column.
const LABEL_COLUMN_WIDTH: f32 = 90.0;

/// A two-column form (labels, values) that never grows wider than the pane: values wrap,
/// truncate or scroll within what is left beside the labels.
fn grid_ui(ui: &mut egui::Ui, salt: &str, add: impl FnOnce(&mut egui::Ui)) {
    let spacing = 10.0;
    let values = (ui.available_width() - LABEL_COLUMN_WIDTH - spacing).max(120.0);
    // Set before the grid draws, from the pane's width alone: values sized from the grid's
    // own column widths would feed back into them and take frames to settle.
    ui.data_mut(|d| d.insert_temp(value_width_id(), values));
    egui::Grid::new(("detail_grid", salt))
        .num_columns(2)
        .striped(false)
        .spacing([spacing, 6.0])
        .min_col_width(LABEL_COLUMN_WIDTH)
        .max_col_width(values)
        .show(ui, add);
}

fn value_width_id() -> egui::Id {
    egui::Id::unique("detail_value_width")
}

/// The width of a form's value column this frame (see [`grid_ui`]).
fn value_width(ui: &egui::Ui) -> f32 {
    ui.data(|d| d.get_temp::<f32>(value_width_id()))
        .unwrap_or_else(|| ui.available_width())
}

/// A form's field label.
fn field_label_ui(ui: &mut egui::Ui, label: &str) -> egui::Response {
    ui.label(egui::RichText::new(label).weak())
}

/// A form's label for a row taller than one line: at the top of the row, beside the first
/// line of the value, not in the middle of a gap.
fn top_label_ui(ui: &mut egui::Ui, label: &str) -> egui::Response {
    ui.with_layout(egui::Layout::top_down(egui::Align::Min), |ui| {
        field_label_ui(ui, label)
    })
    .inner
}

/// How many lines of a read-only value show before the rest scrolls.
const READ_ONLY_LINES_SHOWN: usize = 8;

/// A value shown, not edited here (roles and partners are set in the Matrix). Past
/// [`READ_ONLY_LINES_SHOWN`] lines (a partner of twenty lines of effort), the lines scroll in
/// a box of that height instead of pushing the rest of the form down.
fn read_only_row_ui(ui: &mut egui::Ui, label: &str, lines: &[String]) {
    top_label_ui(ui, label).on_hover_text("Set in the Matrix");
    let width = value_width(ui);
    ui.vertical(|ui| {
        ui.set_max_width(width);
        if lines.is_empty() {
            ui.label(egui::RichText::new("none").weak());
        }
        let show = |ui: &mut egui::Ui| {
            for line in lines {
                ui.add(egui::Label::new(line).wrap());
            }
        };
        if lines.len() > READ_ONLY_LINES_SHOWN {
            ui.weak(format!("{} in all; the list scrolls", lines.len()));
            let line_h = ui.text_style_height(&egui::TextStyle::Body) + ui.spacing().item_spacing.y;
            egui::ScrollArea::vertical()
                .id_salt(("detail_read_only", label))
                .max_height(line_h * READ_ONLY_LINES_SHOWN as f32)
                .auto_shrink([false, true])
                .show(ui, show);
        } else {
            show(ui);
        }
    });
    ui.end_row();
}

/// The situation's own fields: title, countries, region, summary, as-of date, defaults.
pub fn situation_form_ui(ui: &mut egui::Ui, state: &mut DetailState, ctx: &mut ViewCtx<'_>) {
    let meta = SituationMeta::of(ctx.situation);
    let mut form = Form::new(
        state,
        None,
        meta,
        |m| Edit::SetMeta(Box::new(m)),
        !ctx.read_only,
    );
    grid_ui(ui, "situation", |ui| {
        form.name_ui(ui, "title", "Title", |m| &mut m.title);
        form.typed_ui(
            ui,
            "countries",
            "Countries (ISO alpha-3)",
            |m| &mut m.countries,
            |c| c.join(", "),
            parse_countries,
            false,
        );
        form.text_ui(ui, "region", "Region", |m| &mut m.region, false);
        form.typed_ui(
            ui,
            "as_of",
            "As of",
            |m| &mut m.as_of,
            PartialDate::to_string,
            parse_date,
            false,
        );
        form.choice_ui(
            ui,
            "Default sensitivity",
            |m| &mut m.sensitivity,
            Sensitivity::ALL,
            Sensitivity::label,
        );
        form.typed_ui(
            ui,
            "lead_limit",
            "Lead limit",
            |m| &mut m.lead_limit,
            u32::to_string,
            parse_lead_limit,
            false,
        );
        form.text_ui(ui, "summary", "Summary", |m| &mut m.summary, true);
    });
    form.finish(ctx.situation, ctx.actions);
}

/// Draws the form for the selected item, or the situation's form when nothing is selected.
pub fn detail_ui(ui: &mut egui::Ui, state: &mut DetailState, ctx: &mut ViewCtx<'_>) {
    let selection = ctx
        .selection
        .clone()
        .filter(|s| ctx.situation.has_id(&s.id));
    let Some(selection) = selection else {
        return;
    };
    inspector_bar_ui(ui, &selection, ctx);
    egui::ScrollArea::vertical()
        .id_salt("detail_scroll")
        .auto_shrink([false, false])
        // A scroll bar that comes and goes would change the form's width, and wrap, each frame.
        .scroll_bar_visibility(egui::scroll_area::ScrollBarVisibility::AlwaysVisible)
        .show(ui, |ui| {
            // Long names and chips wrap or elide: the pane never widens past its width.
            ui.set_max_width(ui.available_width());
            item_form_ui(ui, state, ctx, &selection);
            if !ctx.read_only {
                ui.separator();
                ui.horizontal(|ui| {
                    let duplicate = AppCommand::Duplicate;
                    if ui
                        .button("Duplicate")
                        .on_hover_text(duplicate.shortcut_text(ui.ctx()))
                        .clicked()
                    {
                        ctx.push(Action::Command(duplicate));
                    }
                    if ui
                        .button("Delete")
                        .on_hover_text(AppCommand::Delete.shortcut_text(ui.ctx()))
                        .clicked()
                    {
                        ctx.push(Action::Command(AppCommand::Delete));
                    }
                });
            }
        });
}

/// The inspector's top line: what kind of item it shows, and a button to close it.
fn inspector_bar_ui(ui: &mut egui::Ui, selection: &ItemRef, ctx: &mut ViewCtx<'_>) {
    ui.horizontal(|ui| {
        ui.label(egui::RichText::new(capitalised(selection.kind.label())).weak());
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            let close = AppCommand::ClearSelection;
            if ui
                .small_button("✕")
                .accessible_name("Close the inspector")
                .on_hover_text(format!(
                    "Close the inspector ({})",
                    close.shortcut_text(ui.ctx())
                ))
                .clicked()
            {
                ctx.push(Action::Select(None));
            }
        });
    });
    ui.separator();
}

fn item_form_ui(
    ui: &mut egui::Ui,
    state: &mut DetailState,
    ctx: &mut ViewCtx<'_>,
    selection: &ItemRef,
) {
    let id = selection.id.as_str();
    match selection.kind {
        ItemKind::Actor => actor_form_ui(ui, state, ctx, id),
        ItemKind::Partner => partner_form_ui(ui, state, ctx, id),
        ItemKind::Line => line_form_ui(ui, state, ctx, id),
        ItemKind::Event => event_form_ui(ui, state, ctx, id),
    }
}

/// The form of one actor.
fn actor_form_ui(ui: &mut egui::Ui, state: &mut DetailState, ctx: &mut ViewCtx<'_>, id: &str) {
    let situation = ctx.situation;
    let Some(a) = situation.actor(id) else {
        return;
    };
    ui.heading(&a.name);
    let mut form = Form::new(
        state,
        Some(ItemRef::new(ItemKind::Actor, id)),
        a.clone(),
        |x| Edit::Replace {
            item: Item::Actor(x),
        },
        !ctx.read_only,
    );
    grid_ui(ui, "actor", |ui| {
        form.name_ui(ui, "name", "Name", |x| &mut x.name);
        form.id_ui(ui, situation, ItemKind::Actor, id);
        form.choice_ui(
            ui,
            "Kind",
            |x| &mut x.kind,
            ActorKind::ALL,
            ActorKind::label,
        );
        form.choice_ui(ui, "Stance", |x| &mut x.stance, Stance::ALL, Stance::label);
        form.choice_ui(
            ui,
            "Influence",
            |x| &mut x.influence,
            Influence::ALL,
            Influence::label,
        );
        form.sensitivity_ui(ui, |x| &mut x.sensitivity);
        form.text_ui(ui, "interests", "Interests", |x| &mut x.interests, true);
        form.text_ui(ui, "notes", "Notes", |x| &mut x.notes, true);
    });
    form.finish(situation, ctx.actions);
}

/// The form of one partner: its roles are set in the Matrix.
fn partner_form_ui(ui: &mut egui::Ui, state: &mut DetailState, ctx: &mut ViewCtx<'_>, id: &str) {
    let situation = ctx.situation;
    let Some(p) = situation.partner(id) else {
        return;
    };
    ui.heading(&p.name);
    let roles: Vec<String> = situation
        .assignments
        .iter()
        .filter(|a| a.partner == p.id)
        .map(|a| {
            let line = situation
                .line(&a.line)
                .map_or(a.line.as_str(), |l| l.title.as_str());
            format!("{}: {line}", a.role.describe())
        })
        .collect();
    let mut form = Form::new(
        state,
        Some(ItemRef::new(ItemKind::Partner, id)),
        p.clone(),
        |x| Edit::Replace {
            item: Item::Partner(x),
        },
        !ctx.read_only,
    );
    grid_ui(ui, "partner", |ui| {
        form.name_ui(ui, "name", "Name", |x| &mut x.name);
        form.id_ui(ui, situation, ItemKind::Partner, id);
        form.text_ui(ui, "acronym", "Acronym", |x| &mut x.acronym, false);
        form.choice_ui(
            ui,
            "Category",
            |x| &mut x.category,
            PartnerCategory::ALL,
            PartnerCategory::label,
        );
        form.instruments_ui(ui, |x| &mut x.instruments);
        form.sensitivity_ui(ui, |x| &mut x.sensitivity);
        read_only_row_ui(ui, "Roles", &roles);
        form.text_ui(ui, "notes", "Notes", |x| &mut x.notes, true);
    });
    form.finish(situation, ctx.actions);
}

/// The form of one line of effort: its partners are set in the Matrix.
fn line_form_ui(ui: &mut egui::Ui, state: &mut DetailState, ctx: &mut ViewCtx<'_>, id: &str) {
    let situation = ctx.situation;
    let Some(l) = situation.line(id) else {
        return;
    };
    ui.heading(&l.title);
    let partners: Vec<String> = situation
        .assignments
        .iter()
        .filter(|a| a.line == l.id)
        .map(|a| {
            let name = situation
                .partner(&a.partner)
                .map_or(a.partner.as_str(), |p| p.short_name());
            format!("{name}: {}", a.role.describe())
        })
        .collect();
    let actors = candidates(situation, ItemKind::Actor, id);
    let mut form = Form::new(
        state,
        Some(ItemRef::new(ItemKind::Line, id)),
        l.clone(),
        |x| Edit::Replace {
            item: Item::Line(x),
        },
        !ctx.read_only,
    );
    grid_ui(ui, "line", |ui| {
        form.name_ui(ui, "title", "Title", |x| &mut x.title);
        form.id_ui(ui, situation, ItemKind::Line, id);
        form.choice_ui(
            ui,
            "Instrument",
            |x| &mut x.instrument,
            Instrument::ALL,
            Instrument::label,
        );
        form.text_ui(ui, "sector", "Sector", |x| &mut x.sector, false);
        form.choice_ui(ui, "Track", |x| &mut x.track, Track::ALL, Track::label);
        form.choice_ui(ui, "Status", |x| &mut x.status, Status::ALL, Status::label);
        form.optional_date_ui(ui, "start", "Start", |x| &mut x.start);
        form.optional_date_ui(ui, "end", "End", |x| &mut x.end);
        form.refs_ui(ui, "actors", "Actors engaged", |x| &mut x.actors, &actors);
        read_only_row_ui(ui, "Partners", &partners);
        form.sensitivity_ui(ui, |x| &mut x.sensitivity);
        form.text_ui(ui, "notes", "Notes", |x| &mut x.notes, true);
    });
    form.finish(situation, ctx.actions);
}

/// The form of one event.
fn event_form_ui(ui: &mut egui::Ui, state: &mut DetailState, ctx: &mut ViewCtx<'_>, id: &str) {
    let situation = ctx.situation;
    let Some(e) = situation.event(id) else {
        return;
    };
    ui.heading(&e.title);
    let actors = candidates(situation, ItemKind::Actor, id);
    let partners = candidates(situation, ItemKind::Partner, id);
    let lines = candidates(situation, ItemKind::Line, id);
    let warnings = candidates(situation, ItemKind::Event, id);
    let mut form = Form::new(
        state,
        Some(ItemRef::new(ItemKind::Event, id)),
        e.clone(),
        |x| Edit::Replace {
            item: Item::Event(x),
        },
        !ctx.read_only,
    );
    grid_ui(ui, "event", |ui| {
        form.name_ui(ui, "title", "Title", |x| &mut x.title);
        form.id_ui(ui, situation, ItemKind::Event, id);
        form.choice_ui(
            ui,
            "Kind",
            |x| &mut x.kind,
            EventKind::ALL,
            EventKind::label,
        );
        form.typed_ui(
            ui,
            "date",
            "Date",
            |x| &mut x.date,
            PartialDate::to_string,
            parse_date,
            false,
        );
        form.optional_date_ui(ui, "end", "End", |x| &mut x.end);
        form.refs_ui(ui, "actors", "Actors", |x| &mut x.actors, &actors);
        form.refs_ui(ui, "partners", "Partners", |x| &mut x.partners, &partners);
        form.refs_ui(ui, "lines", "Lines of effort", |x| &mut x.lines, &lines);
        if form.draft.kind != EventKind::WarningSign {
            form.refs_ui(
                ui,
                "answers",
                "Answers warnings",
                |x| &mut x.answers,
                &warnings,
            );
        }
        form.text_ui(ui, "source", "Source", |x| &mut x.source, false);
        form.sensitivity_ui(ui, |x| &mut x.sensitivity);
        form.text_ui(ui, "notes", "Notes", |x| &mut x.notes, true);
    });
    form.finish(situation, ctx.actions);
}
