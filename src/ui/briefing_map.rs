//! The briefing's map slide: the papers' map figure — drawn from the redacted situation, so an
//! item left out of the briefing leaves no marker — rasterised at the slide's size, once per
//! figure and size, and kept as a texture.

use egui::{RichText, TextureHandle, TextureOptions, vec2};
use resvg::tiny_skia::{Color, Pixmap, Transform};

use super::marker::paint_event_marker;
use crate::export::Briefing;
use crate::export::briefing::MAP_CAPTION;
use crate::model::EventKind;

/// The largest side of the rasterised map, in pixels.
const MAX_SIDE_PX: f32 = 4096.0;

/// The cached texture of the current figure at the current size.
#[derive(Clone)]
struct MapTexture {
    key: (u64, [u32; 2]),
    texture: TextureHandle,
}

/// Draws the map slide's body: the figure as large as fits with the legend of its symbols
/// beside it, and its caption under it.
pub(super) fn map_slide_ui(ui: &mut egui::Ui, b: &Briefing, caption_size: f32) {
    let Some(svg) = &b.map else {
        return;
    };
    let caption_h = caption_size * 3.2;
    let legend_w = caption_size * 11.0;
    let room = ui.available_size() - vec2(legend_w, caption_h);
    let aspect = (crate::export::briefing::MAP_WIDTH / crate::export::briefing::MAP_HEIGHT) as f32;
    let size = if room.x / room.y.max(1.0) > aspect {
        vec2(room.y * aspect, room.y)
    } else {
        vec2(room.x, room.x / aspect)
    };
    if size.x < 8.0 || size.y < 8.0 {
        return;
    }
    let pixels = (size * ui.ctx().pixels_per_point()).min(egui::Vec2::splat(MAX_SIDE_PX));
    ui.horizontal_top(|ui| {
        match texture(ui.ctx(), svg, [pixels.x as u32, pixels.y as u32]) {
            Ok(texture) => {
                let image = egui::Image::new((texture.id(), size))
                    .alt_text("Map of where the events happened");
                ui.add(image);
            }
            Err(e) => {
                let text = format!("The map cannot be drawn: {e}");
                ui.label(RichText::new(text).size(caption_size));
            }
        }
        ui.add_space(caption_size);
        ui.vertical(|ui| legend_ui(ui, caption_size));
    });
    ui.add(egui::Label::new(
        RichText::new(MAP_CAPTION).size(caption_size).weak(),
    ));
}

/// The symbols of the map, one line each.
fn legend_ui(ui: &mut egui::Ui, size: f32) {
    for &kind in EventKind::ALL {
        ui.horizontal(|ui| {
            let (rect, _) = ui.allocate_exact_size(vec2(size, size), egui::Sense::hover());
            paint_event_marker(ui.painter(), rect.center(), size * 0.32, kind, None);
            ui.label(RichText::new(kind.label()).size(size * 0.85));
        });
    }
}

/// The figure's texture at `pixels`, rasterised on the first call for that figure and size.
fn texture(ctx: &egui::Context, svg: &str, pixels: [u32; 2]) -> Result<TextureHandle, String> {
    let key = (hash(svg), pixels);
    let id = egui::Id::unique("briefing_map_texture");
    if let Some(cached) = ctx.data(|d| d.get_temp::<MapTexture>(id))
        && cached.key == key
    {
        return Ok(cached.texture);
    }
    let image = rasterise(svg, pixels)?;
    let texture = ctx.load_texture("briefing_map", image, TextureOptions::LINEAR);
    ctx.data_mut(|d| {
        d.insert_temp(
            id,
            MapTexture {
                key,
                texture: texture.clone(),
            },
        );
    });
    Ok(texture)
}

fn hash(text: &str) -> u64 {
    use std::hash::{Hash as _, Hasher as _};
    let mut hasher = std::hash::DefaultHasher::new();
    text.hash(&mut hasher);
    hasher.finish()
}

/// The figure drawn on white at `pixels`.
fn rasterise(svg: &str, pixels: [u32; 2]) -> Result<egui::ColorImage, String> {
    let tree = crate::export::png::parse(svg)?;
    let [w, h] = pixels;
    let mut pixmap = Pixmap::new(w.max(1), h.max(1)).ok_or("the map has no size")?;
    pixmap.fill(Color::WHITE);
    let scale_x = w as f32 / tree.size().width();
    let scale_y = h as f32 / tree.size().height();
    resvg::render(
        &tree,
        Transform::from_scale(scale_x, scale_y),
        &mut pixmap.as_mut(),
    );
    Ok(egui::ColorImage::from_rgba_premultiplied(
        [w.max(1) as usize, h.max(1) as usize],
        pixmap.data(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_figure_is_rasterised_at_the_size_asked() {
        let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 720 420\" \
                   width=\"720\" height=\"420\"><rect width=\"100%\" height=\"100%\" \
                   fill=\"#dce9f2\"/><circle cx=\"360\" cy=\"210\" r=\"20\" fill=\"#c0392b\"/></svg>";
        let image = rasterise(svg, [1440, 840]).expect("an image");
        assert_eq!(image.size, [1440, 840]);
        let at = |x: usize, y: usize| image.pixels[y * 1440 + x];
        assert_eq!(at(10, 10), egui::Color32::from_rgb(0xdc, 0xe9, 0xf2));
        assert_eq!(at(720, 420), egui::Color32::from_rgb(0xc0, 0x39, 0x2b));
        assert!(rasterise("<svg", [10, 10]).is_err());
    }
}
