//! The figures (PNG for slides, SVG for papers): drawn from the situation as the audience may
//! see it, read back — the SVG against golden files, the PNG decoded and its pixels checked
//! against the SVG it was drawn from.

use std::path::Path;

use resvg::tiny_skia::Pixmap;
use tandem::export::{Audience, ExportOptions, Figure, Format, export};
use tandem::model::{Sensitivity, Situation};
use tandem::palette::{self, Rgb};

fn guinea() -> Situation {
    tandem::io::parse_situation(tandem::samples::GUINEA)
        .unwrap()
        .situation
}

fn options(ceiling: Sensitivity, figure: Figure) -> ExportOptions {
    ExportOptions::new(Audience::new(ceiling)).with_figure(figure)
}

fn golden(name: &str, actual: &[u8]) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read(&path)
        .unwrap_or_else(|_| panic!("{} missing: run with UPDATE_GOLDEN=1", path.display()));
    assert!(
        expected == actual,
        "{name} differs from the golden file; if the change is intended, run with UPDATE_GOLDEN=1"
    );
}

#[test]
fn golden_figures() {
    let s = guinea();
    for figure in Figure::ALL {
        let svg = export(&s, Format::Svg, &options(Sensitivity::Unclassified, figure)).unwrap();
        golden(&format!("guinea-unclassified-{figure}.svg"), &svg);
    }
}

/// A number attribute of an SVG element written as `name="12.5"`.
fn attr(element: &str, name: &str) -> Option<f32> {
    let start = element.find(&format!(" {name}=\""))? + name.len() + 3;
    let rest = element.get(start..)?;
    rest.get(..rest.find('"')?)?.parse().ok()
}

/// The rects of the SVG filled with `color`: (x, y, width, height).
fn rects(svg: &str, color: Rgb) -> Vec<(f32, f32, f32, f32)> {
    let fill = format!("fill=\"{}\"", color.hex());
    svg.lines()
        .filter(|l| l.starts_with("<rect ") && l.contains(&fill))
        .filter_map(|l| {
            Some((
                attr(l, "x")?,
                attr(l, "y")?,
                attr(l, "width")?,
                attr(l, "height")?,
            ))
        })
        .collect()
}

fn pixel(png: &Pixmap, x: f32, y: f32) -> Rgb {
    let scale = tandem::export::png::SCALE;
    let color = png
        .pixel((x * scale) as u32, (y * scale) as u32)
        .unwrap_or_else(|| panic!("({x}, {y}) is outside the picture"));
    Rgb(color.red(), color.green(), color.blue())
}

/// Every role cell of the matrix is in the PNG, in its role's colour, where the SVG has it;
/// so is the TLP label's black box.
#[test]
fn the_png_is_the_svg_drawn() {
    let s = guinea();
    let opts = options(Sensitivity::Confidential, Figure::Matrix);
    let svg = String::from_utf8(export(&s, Format::Svg, &opts).unwrap()).unwrap();
    let png = Pixmap::decode_png(&export(&s, Format::Png, &opts).unwrap()).unwrap();
    let (w, h) = (attr(&svg, "width").unwrap(), attr(&svg, "height").unwrap());
    let scale = tandem::export::png::SCALE;
    assert_eq!(
        (png.width(), png.height()),
        ((w * scale) as u32, (h * scale) as u32)
    );
    let mut cells = 0;
    for role in [
        tandem::model::Role::Lead,
        tandem::model::Role::Support,
        tandem::model::Role::BurdenSharing,
        tandem::model::Role::Joint,
    ] {
        let color = palette::role(role);
        for (x, y, _, _) in rects(&svg, color) {
            // A corner of the cell, clear of its letter.
            assert_eq!(
                pixel(&png, x + 2.0, y + 2.0),
                color,
                "{role:?} at ({x}, {y})"
            );
            cells += 1;
        }
    }
    // 5 legend swatches and the assignments visible at this ceiling.
    assert!(cells > 20, "{cells} cells");
    let boxes = rects(&svg, palette::BLACK);
    assert_eq!(boxes.len(), 2, "the marking at the top and the bottom");
    for (x, y, _, _) in boxes {
        assert_eq!(pixel(&png, x + 1.0, y + 1.0), palette::BLACK);
    }
}

/// What the audience may not see is not drawn: the confidential line of effort and the
/// partner only it engages are in the confidential figure, not in the unclassified one.
#[test]
fn figures_are_drawn_from_the_redacted_situation() {
    let s = guinea();
    let (_, report) = tandem::export::redact(&s, Sensitivity::Unclassified);
    assert!(
        !report.lines.is_empty(),
        "the sample has a confidential line of effort"
    );
    for figure in Figure::ALL {
        let open = export(&s, Format::Svg, &options(Sensitivity::Unclassified, figure)).unwrap();
        let open = String::from_utf8(open).unwrap();
        assert!(open.contains("TLP:CLEAR"));
        for name in report
            .lines
            .iter()
            .chain(&report.events)
            .chain(&report.actors)
        {
            let shown = tandem::export::figure::xml_escape(name);
            let head: String = shown.chars().take(30).collect();
            assert!(!open.contains(&head), "{figure}: “{name}” is drawn");
        }
    }
    let open = String::from_utf8(
        export(
            &s,
            Format::Svg,
            &options(Sensitivity::Unclassified, Figure::Matrix),
        )
        .unwrap(),
    )
    .unwrap();
    let all = String::from_utf8(
        export(
            &s,
            Format::Svg,
            &options(Sensitivity::StrictlyConfidential, Figure::Matrix),
        )
        .unwrap(),
    )
    .unwrap();
    let line = &report.lines[0];
    let head: String = tandem::export::figure::xml_escape(line)
        .chars()
        .take(30)
        .collect();
    assert!(
        all.contains(&head),
        "the confidential figure shows “{line}”"
    );
    assert!(!open.contains(&head));
}

/// A timeline of 20,000 events and a matrix of 300 partners make figures of bounded size.
#[test]
fn large_situations_make_bounded_figures() {
    let s = tandem::generate::generate(100, 42);
    for figure in Figure::ALL {
        let start = std::time::Instant::now();
        let svg = export(
            &s,
            Format::Svg,
            &options(Sensitivity::StrictlyConfidential, figure),
        )
        .unwrap();
        let svg = String::from_utf8(svg).unwrap();
        let (w, h) = (attr(&svg, "width").unwrap(), attr(&svg, "height").unwrap());
        assert!(w <= 3_000.0 && h <= 3_000.0, "{figure}: {w}×{h}");
        assert!(
            svg.len() < 4_000_000,
            "{figure}: {} bytes of SVG",
            svg.len()
        );
        if figure == Figure::Matrix {
            assert!(
                svg.contains("Showing "),
                "the footnote says what is left for the paper"
            );
        }
        let png = export(
            &s,
            Format::Png,
            &options(Sensitivity::StrictlyConfidential, figure),
        )
        .unwrap();
        assert!(png.starts_with(b"\x89PNG"));
        assert!(
            start.elapsed().as_secs() < 60,
            "{figure}: {:?}",
            start.elapsed()
        );
    }
}
