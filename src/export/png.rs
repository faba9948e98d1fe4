//! A figure ([`super::figure`]) rasterised to PNG with resvg, with the bundled fonts only (no
//! system fonts, no external files: the picture is the same on every machine).

use resvg::tiny_skia::{Color, Pixmap, Transform};
use resvg::usvg;

use super::fonts::{BOLD_TTF, REGULAR_TTF};

/// Pixels per SVG unit: sharp on slides and in print.
pub const SCALE: f32 = 2.0;

/// The largest picture drawn, in pixels on a side (figures are bounded well below).
const MAX_SIDE: u32 = 8_000;

/// Reads `svg` as the rasteriser will: with the bundled fonts, loading no image. An error
/// means the figure is not well-formed SVG.
pub fn parse(svg: &str) -> Result<usvg::Tree, String> {
    let mut options = usvg::Options {
        font_family: super::figure::FONT_FAMILY.to_owned(),
        ..usvg::Options::default()
    };
    // No image of any kind is ever loaded, from a file or from the figure itself.
    options.image_href_resolver = usvg::ImageHrefResolver {
        resolve_data: Box::new(|_, _, _| None),
        resolve_string: Box::new(|_, _| None),
    };
    let fonts = options.fontdb_mut();
    fonts.load_font_data(REGULAR_TTF.to_vec());
    fonts.load_font_data(BOLD_TTF.to_vec());
    usvg::Tree::from_str(svg, &options).map_err(|e| format!("the figure: {e}"))
}

/// Rasterises `svg` at [`SCALE`] on white and encodes it as PNG.
pub fn rasterise(svg: &str) -> Result<Vec<u8>, String> {
    let tree = parse(svg)?;
    let size = tree.size();
    let (w, h) = (
        (size.width() * SCALE).ceil() as u32,
        (size.height() * SCALE).ceil() as u32,
    );
    if w > MAX_SIDE || h > MAX_SIDE {
        return Err(format!("the figure is too large to draw ({w}×{h} pixels)"));
    }
    let mut pixmap = Pixmap::new(w.max(1), h.max(1)).ok_or("the figure has no size")?;
    pixmap.fill(Color::WHITE);
    resvg::render(
        &tree,
        Transform::from_scale(SCALE, SCALE),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|e| format!("the PNG cannot be written: {e}"))
}
