//! Briefing mode: a full-screen presentation of the situation, redacted for its audience.
//!
//! Slides come from [`crate::export::Briefing`] of the redacted situation, cached by revision
//! and ceiling. Arrow keys, Page Up/Down, Space, Home and End move; Escape leaves. The
//! marking (TLP label, ceiling, as-of date) is at the top and bottom of every slide.

use std::ops::Range;
use std::sync::Arc;

use egui::text::{LayoutJob, TextFormat};
use egui::{Align, Color32, FontId, Layout, Rect, RichText, Sense, Stroke, Vec2};

use crate::export::briefing::{EventEntry, ROLE_LEGEND};
use crate::export::since::SinceMark;
use crate::export::{Audience, Briefing, ExportOptions, Tlp, briefing, marking, prepare, redact};
use crate::model::{EventKind, PartialDate, Role, Sensitivity, Situation};

use super::command::SlideCommand;
use super::theme::{AS_OF_COLOR, event_color, role_color, tlp_color};

const ACTORS_PER_SLIDE: usize = 6;
/// The most influential actors the slides show; the rest are counted ("and 40 more").
pub const KEY_ACTORS_SHOWN: usize = 12;
const PROBLEMS_PER_SLIDE: usize = 6;
const STEPS_PER_SLIDE: usize = 7;
const MATRIX_ROWS_PER_SLIDE: usize = 9;
const MATRIX_COLUMNS_PER_SLIDE: usize = 9;
/// Latest events listed under the timeline strip.
const RECENT_LISTED: usize = 5;
const THRESHOLDS_LISTED: usize = 4;
/// Group headings and changes on one "Since …" slide.
const SINCE_LINES_PER_SLIDE: usize = 7;

/// One slide: what it shows, and which part of a long list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Slide {
    Title,
    Actors {
        items: Range<usize>,
        part: (usize, usize),
    },
    Timeline,
    /// Where the events happened (only when some event the audience may see has a place).
    Map,
    Matrix {
        rows: Range<usize>,
        columns: Range<usize>,
        part: (usize, usize),
    },
    Problems {
        items: Range<usize>,
        part: (usize, usize),
    },
    NextSteps {
        items: Range<usize>,
        part: (usize, usize),
    },
    /// What changed since a briefing mark, for the audience (after the title slide).
    Since {
        title: String,
        items: Range<usize>,
        part: (usize, usize),
    },
}

/// A line of the "Since …" slides: a group's heading, or one change in words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SinceLine {
    Group(&'static str),
    Change(String),
}

impl Slide {
    /// The slide's heading as shown on it (the title slide shows the situation's title).
    pub fn heading(&self, briefing: &Briefing) -> String {
        let (name, part) = match self {
            Slide::Title => return briefing.title.clone(),
            Slide::Actors { part, .. } => ("Key actors", *part),
            Slide::Timeline => ("Timeline", (1, 1)),
            Slide::Map => ("Where", (1, 1)),
            Slide::Matrix { part, .. } => ("Who does what", *part),
            Slide::Problems { part, .. } => ("Open problems", *part),
            Slide::NextSteps { part, .. } => ("Next steps", *part),
            Slide::Since { title, part, .. } => (title.as_str(), *part),
        };
        if part.1 > 1 {
            format!("{name} ({}/{})", part.0, part.1)
        } else {
            name.to_owned()
        }
    }
}

/// Splits `0..len` into chunks of `size`; one empty chunk when `len` is 0.
fn chunks(len: usize, size: usize) -> Vec<Range<usize>> {
    if len == 0 {
        return std::iter::once(0..0).collect();
    }
    (0..len)
        .step_by(size.max(1))
        .map(|start| start..(start + size).min(len))
        .collect()
}

fn parts<T>(ranges: Vec<Range<usize>>, make: impl Fn(Range<usize>, (usize, usize)) -> T) -> Vec<T> {
    let n = ranges.len();
    ranges
        .into_iter()
        .enumerate()
        .map(|(i, r)| make(r, (i + 1, n)))
        .collect()
}

/// The slides of a briefing, in presentation order.
pub fn slides(b: &Briefing) -> Vec<Slide> {
    let mut out = vec![Slide::Title];
    out.extend(parts(
        chunks(b.actors.len().min(KEY_ACTORS_SHOWN), ACTORS_PER_SLIDE),
        |items, part| Slide::Actors { items, part },
    ));
    out.push(Slide::Timeline);
    if b.map.is_some() {
        out.push(Slide::Map);
    }
    let row_chunks = chunks(b.matrix.rows.len(), MATRIX_ROWS_PER_SLIDE);
    let column_chunks = chunks(b.matrix.partners.len(), MATRIX_COLUMNS_PER_SLIDE);
    let total = row_chunks.len() * column_chunks.len();
    let mut n = 0;
    for columns in &column_chunks {
        for rows in &row_chunks {
            n += 1;
            out.push(Slide::Matrix {
                rows: rows.clone(),
                columns: columns.clone(),
                part: (n, total),
            });
        }
    }
    out.extend(parts(
        chunks(b.problems.len(), PROBLEMS_PER_SLIDE),
        |items, part| Slide::Problems { items, part },
    ));
    out.extend(parts(
        chunks(b.next_steps.len(), STEPS_PER_SLIDE),
        |items, part| Slide::NextSteps { items, part },
    ));
    out
}

struct Cache {
    revision: u64,
    ceiling: Sensitivity,
    briefing: Briefing,
    slides: Vec<Slide>,
    /// The lines of the "Since …" slides, for the audience.
    since: Vec<SinceLine>,
}

/// The "Since …" slides of `mark` for the audience of `options`: the changes since, grouped,
/// with nothing of an item the audience may not see. Returns the slides and their lines.
pub fn since_slides(
    mark: &SinceMark,
    situation: &Situation,
    options: &ExportOptions,
) -> (Vec<Slide>, Vec<SinceLine>) {
    let section = mark.section(&prepare(situation, options).0, options);
    let mut lines = Vec::new();
    if section.empty {
        lines.push(SinceLine::Change("No item changed.".into()));
    }
    for group in section.groups {
        lines.push(SinceLine::Group(group.title));
        lines.extend(group.lines.into_iter().map(SinceLine::Change));
    }
    let title = section.title;
    let slides = parts(chunks(lines.len(), SINCE_LINES_PER_SLIDE), |items, part| {
        Slide::Since {
            title: title.clone(),
            items,
            part,
        }
    });
    (slides, lines)
}

/// Briefing mode's state: the audience, the current slide and the cached slides.
pub struct BriefingState {
    /// Items above this sensitivity are left out of every slide.
    pub ceiling: Sensitivity,
    /// The sharing label shown on every slide.
    pub tlp: Tlp,
    /// The current slide, from 0.
    pub slide: usize,
    /// The document's revision: set it before each call; a change rebuilds the slides.
    pub revision: u64,
    /// The mark a "Since …" slide reports the changes since.
    since: Option<Arc<SinceMark>>,
    cache: Option<Cache>,
}

impl BriefingState {
    /// Briefing mode for an audience, on the first slide.
    pub fn new(ceiling: Sensitivity, tlp: Tlp) -> Self {
        Self {
            ceiling,
            tlp,
            slide: 0,
            revision: 0,
            since: None,
            cache: None,
        }
    }

    /// The same, with a "Since …" slide after the title on the changes since `mark`.
    pub fn with_since(mut self, mark: Option<Arc<SinceMark>>) -> Self {
        self.since = mark;
        self.cache = None;
        self
    }

    /// Briefing mode with the usual label for `ceiling`.
    pub fn for_ceiling(ceiling: Sensitivity) -> Self {
        Self::new(ceiling, Tlp::for_ceiling(ceiling))
    }

    fn audience(&self) -> Audience {
        Audience {
            ceiling: self.ceiling,
            tlp: self.tlp,
        }
    }

    /// Rebuilds the redacted briefing when the revision or the ceiling changed.
    fn refresh(&mut self, situation: &Situation) {
        let fresh = self
            .cache
            .as_ref()
            .is_some_and(|c| c.revision == self.revision && c.ceiling == self.ceiling);
        if fresh {
            return;
        }
        let (redacted, _report) = redact(situation, self.ceiling);
        let briefing = briefing(&redacted);
        let mut slides = slides(&briefing);
        let mut since = Vec::new();
        if let Some(mark) = &self.since {
            let options = ExportOptions::new(self.audience());
            let (since_slides, lines) = since_slides(mark, situation, &options);
            slides.splice(1..1, since_slides);
            since = lines;
        }
        self.cache = Some(Cache {
            revision: self.revision,
            ceiling: self.ceiling,
            briefing,
            slides,
            since,
        });
    }

    /// Pages through the slides (the last slide is kept in range when drawn).
    pub fn page(&mut self, command: SlideCommand) {
        match command {
            SlideCommand::Next => self.slide += 1,
            SlideCommand::Previous => self.slide = self.slide.saturating_sub(1),
            SlideCommand::First => self.slide = 0,
            SlideCommand::Last => self.slide = self.slide_count().saturating_sub(1),
            SlideCommand::Exit => {}
        }
    }

    /// How many slides the last drawn briefing has (0 before the first frame).
    pub fn slide_count(&self) -> usize {
        self.cache.as_ref().map_or(0, |c| c.slides.len())
    }
}

/// Font sizes for the current window, in points.
#[derive(Clone, Copy)]
struct Sizes {
    scale: f32,
    title: f32,
    heading: f32,
    body: f32,
    small: f32,
}

impl Sizes {
    fn for_rect(rect: Rect) -> Self {
        let scale = (rect.width() / 1280.0)
            .min(rect.height() / 720.0)
            .clamp(0.55, 3.0);
        Self {
            scale,
            title: 52.0 * scale,
            heading: 40.0 * scale,
            body: 25.0 * scale,
            small: 18.0 * scale,
        }
    }
}

/// Draws the current slide filling `ui`; returns what its buttons asked (next, previous,
/// leave, another audience).
pub fn briefing_ui(
    ui: &mut egui::Ui,
    state: &mut BriefingState,
    situation: &Situation,
) -> Option<super::Action> {
    state.refresh(situation);
    let audience = state.audience();
    let Some(cache) = &state.cache else {
        return None;
    };
    let count = cache.slides.len();
    state.slide = state.slide.min(count.saturating_sub(1));

    let rect = ui.max_rect();
    let sizes = Sizes::for_rect(rect);
    let mark = marking(&audience, cache.briefing.as_of);
    ui.painter()
        .rect_filled(rect, 0.0, ui.visuals().extreme_bg_color);
    let bar_h = sizes.small * 2.4;
    let margin = 36.0 * sizes.scale;
    let top = Rect::from_min_max(rect.min, egui::pos2(rect.max.x, rect.min.y + bar_h));
    let bottom = Rect::from_min_max(egui::pos2(rect.min.x, rect.max.y - bar_h), rect.max);
    let body = Rect::from_min_max(
        egui::pos2(rect.min.x + margin, top.max.y + margin * 0.6),
        egui::pos2(rect.max.x - margin, bottom.min.y - margin * 0.4),
    );
    let line = Stroke::new(1.0, ui.visuals().weak_text_color());
    ui.painter().hline(rect.x_range(), top.max.y, line);
    ui.painter().hline(rect.x_range(), bottom.min.y, line);

    let number = format!("Slide {} of {count}", state.slide + 1);
    let bars = Bars {
        audience,
        mark: &mark,
        margin,
        sizes,
    };
    bars.top_ui(ui, top, &number);
    let command = bars.bottom_ui(ui, bottom, state.slide, count);
    state.slide = state.slide.min(count.saturating_sub(1));

    if let Some(slide) = cache.slides.get(state.slide) {
        slide_ui(ui, body, slide, cache, sizes);
    }
    command
}

/// The bars above and below every slide: the marking, and the slide number or the buttons.
struct Bars<'a> {
    audience: Audience,
    mark: &'a str,
    margin: f32,
    sizes: Sizes,
}

impl Bars<'_> {
    /// The top bar: the marking, and the slide number on the right.
    fn top_ui(&self, ui: &mut egui::Ui, top: Rect, number: &str) {
        let sizes = self.sizes;
        ui.scope_builder(
            egui::UiBuilder::new().max_rect(top.shrink2(egui::vec2(self.margin, 0.0))),
            |ui| {
                ui.with_layout(Layout::left_to_right(Align::Center), |ui| {
                    marking_ui(ui, self.audience.tlp, self.mark, sizes.small);
                    ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
                        ui.label(RichText::new(number).size(sizes.small).weak());
                    });
                });
            },
        );
    }

    /// The bottom bar: the marking, and Leave, Next, Previous and the audience on the right;
    /// returns what was asked.
    fn bottom_ui(
        &self,
        ui: &mut egui::Ui,
        bottom: Rect,
        slide: usize,
        count: usize,
    ) -> Option<super::Action> {
        let sizes = self.sizes;
        let mut command = None;
        ui.scope_builder(
            egui::UiBuilder::new().max_rect(bottom.shrink2(egui::vec2(self.margin, 0.0))),
            |ui| {
                ui.with_layout(Layout::left_to_right(Align::Center), |ui| {
                    marking_ui(ui, self.audience.tlp, self.mark, sizes.small);
                    ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
                        let button = |text: &str| {
                            egui::Button::new(RichText::new(text).size(sizes.small * 0.8))
                        };
                        let page = |c| Some(super::Action::Command(super::AppCommand::Slides(c)));
                        if ui.add(button("Leave (Esc)")).clicked() {
                            command = page(SlideCommand::Exit);
                        }
                        let last = slide + 1 >= count;
                        if ui.add_enabled(!last, button("Next ›")).clicked() {
                            command = page(SlideCommand::Next);
                        }
                        if ui.add_enabled(slide > 0, button("‹ Previous")).clicked() {
                            command = page(SlideCommand::Previous);
                        }
                        if let Some(audience) = self.audience_menu_ui(ui) {
                            command = Some(super::Action::ChangeBriefingAudience(audience));
                        }
                    });
                });
            },
        );
        command
    }
}

impl Bars<'_> {
    /// "Audience…": what the room may see, and the label; returns the audience picked.
    fn audience_menu_ui(&self, ui: &mut egui::Ui) -> Option<Audience> {
        let text = RichText::new("Audience…").size(self.sizes.small * 0.8);
        let mut picked = None;
        ui.menu_button(text, |ui| {
            ui.label(RichText::new("The audience may see").weak());
            for ceiling in Sensitivity::ALL.iter().copied() {
                let chosen = ceiling == self.audience.ceiling;
                if ui.radio(chosen, ceiling.label()).clicked() && !chosen {
                    picked = Some(Audience::new(ceiling));
                }
            }
            ui.separator();
            ui.label(RichText::new("Sharing label").weak());
            for tlp in Tlp::ALL {
                let chosen = tlp == self.audience.tlp;
                if ui.radio(chosen, tlp.label()).clicked() && !chosen {
                    picked = Some(Audience {
                        tlp,
                        ..self.audience
                    });
                }
            }
        })
        .response
        .on_hover_text("Present to another audience: the slides leave out what it may not see");
        picked
    }
}

/// One slide in `body`: its heading (but on the title slide) and its content.
fn slide_ui(ui: &mut egui::Ui, body: Rect, slide: &Slide, cache: &Cache, sizes: Sizes) {
    let b = &cache.briefing;
    ui.scope_builder(egui::UiBuilder::new().max_rect(body), |ui| {
        ui.set_clip_rect(body.intersect(ui.clip_rect()));
        ui.spacing_mut().item_spacing.y = 8.0 * sizes.scale;
        if *slide != Slide::Title {
            ui.label(RichText::new(slide.heading(b)).size(sizes.heading).strong());
            ui.add_space(10.0 * sizes.scale);
        }
        match slide {
            Slide::Title => title_ui(ui, b, sizes),
            Slide::Actors { items, .. } => actors_ui(ui, b, items.clone(), sizes),
            Slide::Timeline => timeline_ui(ui, b, sizes),
            Slide::Map => super::briefing_map::map_slide_ui(ui, b, sizes.small),
            Slide::Matrix { rows, columns, .. } => {
                matrix_ui(ui, b, rows.clone(), columns.clone(), sizes)
            }
            Slide::Problems { items, .. } => problems_ui(ui, b, items.clone(), sizes),
            Slide::NextSteps { items, .. } => next_steps_ui(ui, b, items.clone(), sizes),
            Slide::Since { items, .. } => since_ui(ui, &cache.since, items.clone(), sizes),
        }
    });
}

/// The heading of the group a slide's first line continues, when it starts mid-group:
/// "The matrix (continued)".
fn continued_heading(lines: &[SinceLine], start: usize) -> Option<String> {
    if !matches!(lines.get(start), Some(SinceLine::Change(_))) {
        return None;
    }
    lines
        .get(..start)?
        .iter()
        .rev()
        .find_map(|line| match line {
            SinceLine::Group(title) => Some(format!("{title} (continued)")),
            SinceLine::Change(_) => None,
        })
}

/// Part of the "Since …" slides: group headings and the changes under them, wrapping at the
/// slide's edge; a slide starting mid-group repeats its heading.
fn since_ui(ui: &mut egui::Ui, all: &[SinceLine], items: Range<usize>, sizes: Sizes) {
    let heading = |ui: &mut egui::Ui, title: &str| {
        ui.add_space(6.0 * sizes.scale);
        ui.label(RichText::new(title).size(sizes.body).strong());
    };
    if let Some(title) = continued_heading(all, items.start) {
        heading(ui, &title);
    }
    let Some(lines) = all.get(items) else {
        return;
    };
    for line in lines {
        match line {
            SinceLine::Group(title) => heading(ui, title),
            SinceLine::Change(text) => {
                ui.add(
                    egui::Label::new(RichText::new(format!("• {text}")).size(sizes.body * 0.9))
                        .wrap(),
                );
            }
        }
    }
}

/// The marking as one label: the TLP label in its colours on black, then the rest.
fn marking_ui(ui: &mut egui::Ui, tlp: Tlp, mark: &str, size: f32) {
    let font = FontId::proportional(size);
    let mut job = LayoutJob::default();
    let rest = mark.strip_prefix(tlp.label()).unwrap_or(mark);
    let label = if rest.len() < mark.len() {
        tlp.label()
    } else {
        ""
    };
    if !label.is_empty() {
        job.append(
            label,
            0.0,
            TextFormat {
                font_id: font.clone(),
                color: tlp_color(tlp),
                background: Color32::BLACK,
                ..Default::default()
            },
        );
    }
    job.append(
        rest,
        0.0,
        TextFormat {
            font_id: font,
            color: ui.visuals().strong_text_color(),
            ..Default::default()
        },
    );
    ui.label(job);
}

fn title_ui(ui: &mut egui::Ui, b: &Briefing, sizes: Sizes) {
    ui.add_space(30.0 * sizes.scale);
    ui.label(RichText::new(&b.title).size(sizes.title).strong());
    let mut place: Vec<String> = Vec::new();
    if !b.region.trim().is_empty() {
        place.push(b.region.clone());
    }
    if !b.countries.is_empty() {
        place.push(b.countries.join(", "));
    }
    place.push(format!("as of {}", b.as_of));
    ui.label(RichText::new(place.join(" · ")).size(sizes.body).weak());
    ui.add_space(20.0 * sizes.scale);
    if !b.summary.trim().is_empty() {
        ui.label(RichText::new(&b.summary).size(sizes.body));
        ui.add_space(20.0 * sizes.scale);
    }
    let c = &b.counts;
    ui.horizontal_wrapped(|ui| {
        for (n, what) in [
            (c.actors, "actors"),
            (c.partners, "partners"),
            (c.lines, "lines of effort"),
            (c.events, "events"),
        ] {
            egui::Frame::group(ui.style())
                .inner_margin(12.0 * sizes.scale)
                .show(ui, |ui| {
                    ui.vertical(|ui| {
                        ui.label(RichText::new(n.to_string()).size(sizes.heading).strong());
                        ui.label(RichText::new(what).size(sizes.small));
                    });
                });
        }
    });
    if let Some(lag) = b.median_lag_days {
        ui.add_space(10.0 * sizes.scale);
        ui.label(
            RichText::new(format!(
                "Median time from a warning sign to its first answer: {lag:.0} days"
            ))
            .size(sizes.small),
        );
    }
}

fn actors_ui(ui: &mut egui::Ui, b: &Briefing, items: Range<usize>, sizes: Sizes) {
    let Some(actors) = b.actors.get(items.clone()) else {
        return;
    };
    if actors.is_empty() {
        ui.label(RichText::new("No actors recorded.").size(sizes.body));
        return;
    }
    for a in actors {
        ui.horizontal(|ui| {
            ui.label(RichText::new(&a.name).size(sizes.body).strong());
            ui.label(
                RichText::new(format!(
                    "{} · {} · {} influence",
                    a.kind, a.stance, a.influence
                ))
                .size(sizes.small)
                .weak(),
            );
        });
        if !a.interests.trim().is_empty() {
            ui.add(egui::Label::new(RichText::new(&a.interests).size(sizes.small)).truncate());
        }
        ui.add_space(6.0 * sizes.scale);
    }
    let hidden = b.actors.len().saturating_sub(KEY_ACTORS_SHOWN);
    if hidden > 0 && items.end >= KEY_ACTORS_SHOWN {
        ui.label(
            RichText::new(format!(
                "… and {} of less influence (in the Actors view and the papers)",
                crate::text::counted(hidden, "more actor", "more actors")
            ))
            .size(sizes.small)
            .weak(),
        );
    }
}

/// The start date of an event entry (`2009-09-28 – 2009-10-02` → 2009-09-28).
fn entry_date(e: &EventEntry) -> Option<PartialDate> {
    e.date.split(" – ").next()?.trim().parse().ok()
}

fn kind_of(e: &EventEntry) -> Option<EventKind> {
    EventKind::ALL.iter().copied().find(|k| k.label() == e.kind)
}

/// The timeline slide: a strip from the period's start to the thresholds ahead, then the
/// latest events and the next threshold moments.
fn timeline_ui(ui: &mut egui::Ui, b: &Briefing, sizes: Sizes) {
    timeline_strip_ui(ui, b, sizes);
    ui.add_space(16.0 * sizes.scale);
    ui.columns(2, |columns| {
        if let [left, right] = columns {
            left.label(RichText::new("Latest events").size(sizes.body).strong());
            if b.recent.is_empty() {
                left.label(
                    RichText::new(format!("No events since {}.", b.period_start)).size(sizes.small),
                );
            }
            let skip = b.recent.len().saturating_sub(RECENT_LISTED);
            for e in b.recent.iter().skip(skip) {
                event_line_ui(left, e, sizes);
            }
            right.label(
                RichText::new("Next threshold moments")
                    .size(sizes.body)
                    .strong(),
            );
            if b.thresholds.is_empty() {
                right.label(RichText::new("None recorded after the as-of date.").size(sizes.small));
            }
            for e in b.thresholds.iter().take(THRESHOLDS_LISTED) {
                event_line_ui(right, e, sizes);
            }
        }
    });
}

/// The strip: an axis with month ticks, the as-of line, a dot per recent event and a diamond
/// per threshold ahead (those more than a year away pinned to the right edge).
fn timeline_strip_ui(ui: &mut egui::Ui, b: &Briefing, sizes: Sizes) {
    let start = b.period_start.first_day_number();
    let as_of = b.as_of.first_day_number();
    let last_threshold = b
        .thresholds
        .iter()
        .filter_map(entry_date)
        .map(|d| d.first_day_number())
        .max()
        .unwrap_or(as_of);
    // Thresholds more than a year away are pinned to the right edge.
    let end = last_threshold.clamp(as_of + 14, as_of + 365) + 7;
    let width = ui.available_width();
    let height = 90.0 * sizes.scale;
    let (rect, _) = ui.allocate_exact_size(Vec2::new(width, height), Sense::hover());
    let painter = ui.painter_at(rect);
    let x_of = |day: i64| {
        let t = (day - start) as f32 / (end - start).max(1) as f32;
        rect.left() + t.clamp(0.0, 1.0) * rect.width()
    };
    let axis_y = rect.center().y;
    let text_color = ui.visuals().text_color();
    painter.hline(
        rect.x_range(),
        axis_y,
        Stroke::new(2.0 * sizes.scale, text_color),
    );
    paint_month_ticks(ui, &painter, b.period_start, end, x_of, axis_y, sizes);
    let x = x_of(as_of);
    painter.vline(
        x,
        rect.y_range(),
        Stroke::new(2.0 * sizes.scale, AS_OF_COLOR),
    );
    painter.text(
        egui::pos2(x + 4.0, rect.top()),
        egui::Align2::LEFT_TOP,
        format!("as of {}", b.as_of),
        FontId::proportional(sizes.small * 0.8),
        AS_OF_COLOR,
    );
    let radius = 7.0 * sizes.scale;
    for e in &b.recent {
        let (Some(date), Some(kind)) = (entry_date(e), kind_of(e)) else {
            continue;
        };
        painter.circle_filled(
            egui::pos2(x_of(date.first_day_number()), axis_y),
            radius,
            event_color(kind),
        );
    }
    for e in &b.thresholds {
        let Some(date) = entry_date(e) else { continue };
        let c = egui::pos2(x_of(date.first_day_number()), axis_y);
        let r = radius * 1.4;
        painter.add(egui::Shape::convex_polygon(
            vec![
                c + egui::vec2(0.0, -r),
                c + egui::vec2(r, 0.0),
                c + egui::vec2(0.0, r),
                c + egui::vec2(-r, 0.0),
            ],
            event_color(EventKind::ThresholdMoment),
            Stroke::new(1.0, text_color),
        ));
    }
}

/// A tick and a `YYYY-MM` label at the start of each month after `from`, up to day `end`
/// (thirty at most).
fn paint_month_ticks(
    ui: &egui::Ui,
    painter: &egui::Painter,
    from: PartialDate,
    end: i64,
    x_of: impl Fn(i64) -> f32,
    axis_y: f32,
    sizes: Sizes,
) {
    let text_color = ui.visuals().text_color();
    let mut month = from;
    for _ in 0..30 {
        let Some(next) = PartialDate::month(
            month.year_value() + i32::from(month.month_value() == Some(12)),
            month.month_value().map_or(1, |m| m % 12 + 1),
        ) else {
            break;
        };
        let day = next.first_day_number();
        if day > end {
            break;
        }
        let x = x_of(day);
        painter.vline(
            x,
            (axis_y - 6.0 * sizes.scale)..=(axis_y + 6.0 * sizes.scale),
            Stroke::new(1.0, text_color),
        );
        painter.text(
            egui::pos2(x, axis_y + 10.0 * sizes.scale),
            egui::Align2::CENTER_TOP,
            format!("{next}").get(..7).unwrap_or_default(),
            FontId::proportional(sizes.small * 0.8),
            ui.visuals().weak_text_color(),
        );
        month = next;
    }
}

fn event_line_ui(ui: &mut egui::Ui, e: &EventEntry, sizes: Sizes) {
    ui.horizontal(|ui| {
        let color = kind_of(e).map_or(ui.visuals().text_color(), event_color);
        let (dot, _) = ui.allocate_exact_size(Vec2::splat(sizes.small * 0.7), Sense::hover());
        ui.painter()
            .circle_filled(dot.center(), dot.width() / 2.0, color);
        ui.label(RichText::new(&e.date).size(sizes.small).strong());
        ui.add(egui::Label::new(RichText::new(&e.title).size(sizes.small)).truncate());
    });
}

/// The role a short matrix label stands for (`L`, `S`, `B`, `Q2`, `J`).
fn role_of(short: &str) -> Option<Role> {
    match short.chars().next()? {
        'L' => Some(Role::Lead),
        'S' => Some(Role::Support),
        'B' => Some(Role::BurdenSharing),
        'Q' => short
            .get(1..)
            .and_then(|n| n.parse().ok())
            .map(Role::Sequential),
        'J' => Some(Role::Joint),
        _ => None,
    }
}

fn matrix_ui(
    ui: &mut egui::Ui,
    b: &Briefing,
    rows: Range<usize>,
    columns: Range<usize>,
    sizes: Sizes,
) {
    let m = &b.matrix;
    let Some(row_items) = m.rows.get(rows) else {
        return;
    };
    if row_items.is_empty() {
        ui.label(RichText::new("No lines of effort recorded.").size(sizes.body));
        return;
    }
    let partners = m.partners.get(columns.clone()).unwrap_or_default();
    let width = ui.available_width();
    let line_w = (width * 0.38).max(120.0);
    let status_w = width * 0.1;
    let cell_w =
        ((width - line_w - status_w) / partners.len().max(1) as f32).min(110.0 * sizes.scale);
    let row_h = sizes.small * 1.9;
    let small = sizes.small;
    ui.spacing_mut().item_spacing = egui::vec2(0.0, 3.0 * sizes.scale);
    ui.horizontal(|ui| {
        ui.add_sized(
            [line_w, row_h],
            egui::Label::new(RichText::new("Line of effort").size(small).strong()),
        );
        ui.add_sized(
            [status_w, row_h],
            egui::Label::new(RichText::new("Status").size(small).strong()),
        );
        for p in partners {
            ui.add_sized(
                [cell_w, row_h],
                egui::Label::new(RichText::new(p).size(small * 0.85).strong()).truncate(),
            );
        }
    });
    for row in row_items {
        ui.horizontal(|ui| {
            ui.allocate_ui_with_layout(
                Vec2::new(line_w, row_h),
                Layout::left_to_right(Align::Center),
                |ui| {
                    ui.set_min_size(Vec2::new(line_w, row_h));
                    ui.add(egui::Label::new(RichText::new(&row.line).size(small)).truncate());
                },
            );
            ui.add_sized(
                [status_w, row_h],
                egui::Label::new(RichText::new(&row.status).size(small * 0.85).weak()),
            );
            for i in columns.clone() {
                let short = row.cells.get(i).map(String::as_str).unwrap_or_default();
                role_cell_ui(ui, short, Vec2::new(cell_w, row_h), sizes);
            }
        });
    }
    ui.add_space(12.0 * sizes.scale);
    role_legend_ui(ui, sizes);
}

/// One cell of the matrix slide: the role's short label on its colour, or an empty frame.
fn role_cell_ui(ui: &mut egui::Ui, short: &str, size: Vec2, sizes: Sizes) {
    let (rect, _) = ui.allocate_exact_size(size, Sense::hover());
    let inner = rect.shrink(2.0 * sizes.scale);
    match role_of(short) {
        Some(role) => {
            ui.painter()
                .rect_filled(inner, 4.0 * sizes.scale, role_color(role));
            ui.put(
                inner,
                egui::Label::new(
                    RichText::new(short)
                        .size(sizes.small)
                        .strong()
                        .color(Color32::WHITE),
                ),
            );
        }
        None => {
            ui.painter().rect_stroke(
                inner,
                4.0 * sizes.scale,
                Stroke::new(1.0, ui.visuals().faint_bg_color),
                egui::StrokeKind::Inside,
            );
        }
    }
}

/// A swatch and a name per role, the roles' meaning in the tooltip.
fn role_legend_ui(ui: &mut egui::Ui, sizes: Sizes) {
    let small = sizes.small;
    ui.horizontal_wrapped(|ui| {
        ui.spacing_mut().item_spacing.x = 8.0 * sizes.scale;
        for role in [
            Role::Lead,
            Role::Support,
            Role::BurdenSharing,
            Role::Sequential(1),
            Role::Joint,
        ] {
            let (swatch, _) = ui.allocate_exact_size(Vec2::splat(small), Sense::hover());
            ui.painter().rect_filled(swatch, 3.0, role_color(role));
            ui.label(RichText::new(role.label()).size(small * 0.85));
        }
    })
    .response
    .on_hover_text(ROLE_LEGEND);
}

fn problems_ui(ui: &mut egui::Ui, b: &Briefing, items: Range<usize>, sizes: Sizes) {
    let Some(problems) = b.problems.get(items) else {
        return;
    };
    if problems.is_empty() {
        ui.label(RichText::new("No open problems.").size(sizes.body));
        return;
    }
    for p in problems {
        ui.label(
            RichText::new(crate::model::validate::check_title(p.code))
                .size(sizes.small)
                .strong()
                .color(super::theme::FLAG_COLOR),
        );
        ui.label(RichText::new(&p.text).size(sizes.body * 0.9));
        ui.add_space(4.0 * sizes.scale);
    }
}

/// The next steps, one a row: the date in a column as wide as the widest, the text beside it
/// wrapping at the slide's right edge (a long line title and who runs it no longer run off).
fn next_steps_ui(ui: &mut egui::Ui, b: &Briefing, items: Range<usize>, sizes: Sizes) {
    let Some(steps) = b.next_steps.get(items) else {
        return;
    };
    if steps.is_empty() {
        ui.label(RichText::new("No next steps recorded.").size(sizes.body));
        return;
    }
    let when_font = FontId::proportional(sizes.small);
    let color = ui.visuals().strong_text_color();
    let when_w = steps
        .iter()
        .map(|s| {
            ui.painter()
                .layout_no_wrap(s.when.clone(), when_font.clone(), color)
                .size()
                .x
        })
        .fold(0.0, f32::max);
    ui.spacing_mut().item_spacing.y = 10.0 * sizes.scale;
    for s in steps {
        ui.horizontal_top(|ui| {
            ui.spacing_mut().item_spacing.x = 20.0 * sizes.scale;
            ui.allocate_ui_with_layout(
                egui::vec2(when_w, 0.0),
                Layout::top_down(Align::Min),
                |ui| {
                    ui.set_width(when_w);
                    ui.label(RichText::new(&s.when).size(sizes.small).strong());
                },
            );
            ui.add(egui::Label::new(RichText::new(&s.text).size(sizes.body * 0.9)).wrap());
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_cover_every_item_once() {
        for len in [0, 1, 5, 6, 7, 13] {
            let ranges = chunks(len, 6);
            let covered: Vec<usize> = ranges.iter().flat_map(Clone::clone).collect();
            assert_eq!(covered, (0..len).collect::<Vec<_>>());
            assert!(ranges.iter().all(|r| r.len() <= 6));
        }
    }

    /// Twelve actors changed since the mark, one of them Confidential: an Unclassified
    /// audience gets every other change once, under its group's heading, at most
    /// `SINCE_LINES_PER_SLIDE` lines a slide, numbered "1/2", "2/2"; the confidential one
    /// leaves no trace.
    #[test]
    fn since_slides_split_a_long_list_and_leave_out_what_the_audience_may_not_see() {
        use crate::model::{Actor, ActorKind, Stance};
        let mut then = Situation::new("Guinea", "2009-11-01".parse().expect("date"));
        for n in 0..12 {
            let mut actor =
                Actor::new(format!("a{n}"), format!("Actor {n}"), ActorKind::Government);
            if n == 5 {
                actor.name = "SECRET-CANARY".into();
                actor.sensitivity = Sensitivity::Confidential;
            }
            then.actors.push(actor);
        }
        let mut now = then.clone();
        for actor in &mut now.actors {
            actor.stance = Stance::Spoiler;
        }
        let mark = SinceMark::new("Council briefing", "2 Nov 2026", &then, &now);
        let audience = Audience {
            ceiling: Sensitivity::Unclassified,
            tlp: Tlp::Green,
        };
        let (slides, lines) = since_slides(&mark, &now, &ExportOptions::new(audience));

        assert_eq!(lines.first(), Some(&SinceLine::Group("Actors")));
        let changes: Vec<&String> = (lines.iter())
            .filter_map(|l| match l {
                SinceLine::Change(text) => Some(text),
                SinceLine::Group(_) => None,
            })
            .collect();
        let stances = changes.iter().filter(|c| c.contains("to Spoiler")).count();
        assert_eq!(stances, 11, "{changes:#?}");
        assert!(!changes.iter().any(|c| c.contains("CANARY")));
        let mut shown = Vec::new();
        for (i, slide) in slides.iter().enumerate() {
            let Slide::Since { title, items, part } = slide else {
                panic!("{slide:?}");
            };
            assert_eq!(title, "Since Council briefing (2 Nov 2026)");
            assert_eq!(*part, (i + 1, slides.len()));
            assert!(items.len() <= SINCE_LINES_PER_SLIDE);
            shown.extend(items.clone());
        }
        assert_eq!(shown, (0..lines.len()).collect::<Vec<_>>());
        assert_eq!(slides.len(), lines.len().div_ceil(SINCE_LINES_PER_SLIDE));
        assert_eq!(continued_heading(&lines, 0), None);
        assert_eq!(
            continued_heading(&lines, SINCE_LINES_PER_SLIDE).as_deref(),
            Some("Actors (continued)"),
            "the second slide starts mid-group"
        );
    }

    #[test]
    fn short_roles_map_back_to_roles() {
        for role in [
            Role::Lead,
            Role::Support,
            Role::BurdenSharing,
            Role::Sequential(3),
            Role::Joint,
        ] {
            assert_eq!(role_of(&role.short()), Some(role));
        }
        assert_eq!(role_of(""), None);
    }
}
