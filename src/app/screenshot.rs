//! Saving a picture of the window: `--screenshot PATH` (then quit) and the PNG export.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// How many frames to draw before taking the picture, so that the window has settled.
const SETTLE_FRAMES: u64 = 4;

/// A picture of the window asked for, and the slot the renderer fills.
#[derive(Default)]
pub(super) struct Screenshot {
    path: Option<PathBuf>,
    quit_after: bool,
    frames: u64,
    slot: Arc<Mutex<Option<Arc<egui::ColorImage>>>>,
}

impl Screenshot {
    /// Takes a picture once the window has settled and saves it to `path`; quits after when
    /// `quit_after`.
    pub(super) fn request(&mut self, path: PathBuf, quit_after: bool) {
        self.path = Some(path);
        self.quit_after = quit_after;
        self.frames = 0;
    }

    /// Call after each frame: asks for the picture when due, saves it when it came. Returns
    /// whether to quit now.
    pub(super) fn after_frame(&mut self, ctx: &egui::Context, status: &mut Option<String>) -> bool {
        let Some(path) = self.path.clone() else {
            return false;
        };
        self.frames += 1;
        let taken = self.slot.lock().ok().and_then(|mut slot| slot.take());
        if let Some(image) = taken {
            self.path = None;
            let saved = save_png(&path, &image);
            if self.quit_after {
                if let Err(err) = saved {
                    eprintln!(
                        "tandem: cannot save the screenshot to {}: {err}",
                        path.display()
                    );
                }
                return true;
            } else {
                *status = Some(match saved {
                    Ok(()) => format!("Saved a picture of the window to {}", path.display()),
                    Err(err) => format!("Could not save the picture to {}: {err}", path.display()),
                });
            }
            return false;
        }
        if self.frames == SETTLE_FRAMES {
            let slot = self.slot.clone();
            let repaint = ctx.clone();
            ctx.send_viewport_cmd(egui::ViewportCommand::Screenshot(
                egui::ScreenshotCallback::new(move |image| {
                    if let Ok(mut slot) = slot.lock() {
                        *slot = Some(image);
                    }
                    repaint.request_repaint();
                }),
            ));
        }
        ctx.request_repaint();
        false
    }
}

/// Writes an egui image as PNG.
pub fn save_png(path: &Path, image: &egui::ColorImage) -> Result<(), String> {
    let [w, h] = image.size;
    let bytes: Vec<u8> = image.pixels.iter().flat_map(|c| c.to_array()).collect();
    let buffer = image::RgbaImage::from_raw(w as u32, h as u32, bytes)
        .ok_or("the image has the wrong size")?;
    buffer.save(path).map_err(|e| e.to_string())
}
