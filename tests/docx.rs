//! The Word paper read back: its parts unzipped, the XML parsed — headings in Word's own
//! heading styles, real tables, the marking in the header and footer of every page with the
//! page number, A4, and text that XML can carry.

use std::io::{Cursor, Read as _};

use tandem::export::{Audience, ExportOptions, Format, export, marking, redact};
use tandem::model::{Sensitivity, Situation};

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

fn guinea() -> Situation {
    tandem::io::parse_situation(tandem::samples::GUINEA)
        .unwrap()
        .situation
}

/// The XML of one part of the package.
fn part(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut out = String::new();
    zip.by_name(name)
        .unwrap_or_else(|_| panic!("no part {name}"))
        .read_to_string(&mut out)
        .unwrap();
    out
}

fn names(bytes: &[u8]) -> Vec<String> {
    let zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    zip.file_names()
        .filter_map(Result::ok)
        .map(|n| n.into_owned())
        .collect()
}

/// The text of a node: its `w:t` runs, a line break for each `w:br`.
fn text_of(node: roxmltree::Node) -> String {
    node.descendants()
        .filter_map(|n| match n.tag_name().name() {
            "t" => n.text().map(str::to_owned),
            "br" => Some("\n".to_owned()),
            _ => None,
        })
        .collect()
}

fn attr<'a>(node: roxmltree::Node<'a, 'a>, name: &str) -> Option<&'a str> {
    node.attribute((W, name))
}

/// Each body paragraph's style (empty when none) and text, in order.
fn paragraphs(doc: &roxmltree::Document) -> Vec<(String, String)> {
    doc.descendants()
        .filter(|n| n.has_tag_name((W, "p")))
        .filter(|n| !n.ancestors().any(|a| a.has_tag_name((W, "tbl"))))
        .map(|p| {
            let style = p
                .descendants()
                .find(|n| n.has_tag_name((W, "pStyle")))
                .and_then(|n| attr(n, "val"))
                .unwrap_or_default()
                .to_owned();
            (style, text_of(p))
        })
        .collect()
}

/// Each table's rows, each row's cells' texts.
fn tables(doc: &roxmltree::Document) -> Vec<Vec<Vec<String>>> {
    doc.descendants()
        .filter(|n| n.has_tag_name((W, "tbl")))
        .map(|t| {
            t.children()
                .filter(|n| n.has_tag_name((W, "tr")))
                .map(|r| {
                    r.children()
                        .filter(|n| n.has_tag_name((W, "tc")))
                        .map(text_of)
                        .collect()
                })
                .collect()
        })
        .collect()
}

#[test]
fn the_paper_has_word_headings_real_tables_and_a4_pages() {
    let s = guinea();
    let options = ExportOptions::new(Audience::new(Sensitivity::Confidential));
    let bytes = export(&s, Format::Docx, &options).unwrap();
    let xml = part(&bytes, "word/document.xml");
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let paras = paragraphs(&doc);
    let with = |style: &str| -> Vec<&str> {
        paras
            .iter()
            .filter(|(st, _)| st == style)
            .map(|(_, t)| t.as_str())
            .collect()
    };
    assert_eq!(with("Title"), [s.title.as_str()]);
    let h1 = with("Heading1");
    assert_eq!(h1[0], "Key actors");
    assert!(h1[1].starts_with("Timeline since "), "{h1:?}");
    for section in ["Where", "Who does what", "Open problems", "Next steps"] {
        assert!(h1.contains(&section), "{section} in {h1:?}");
    }
    assert_eq!(with("Heading2"), ["Next threshold moments"]);
    // Word's navigation pane reads these styles by their built-in names and outline levels.
    let styles = part(&bytes, "word/styles.xml");
    let styles = roxmltree::Document::parse(&styles).unwrap();
    for (id, name, level) in [
        ("Heading1", "heading 1", "0"),
        ("Heading2", "heading 2", "1"),
    ] {
        let style = styles
            .descendants()
            .find(|n| n.has_tag_name((W, "style")) && attr(*n, "styleId") == Some(id))
            .unwrap_or_else(|| panic!("no style {id}"));
        let child = |tag: &str| {
            style
                .descendants()
                .find(|n| n.has_tag_name((W, tag)))
                .and_then(|n| attr(n, "val"))
        };
        assert_eq!(child("name"), Some(name));
        assert_eq!(child("outlineLvl"), Some(level));
    }
    // Key actors and who does what as tables: a head row, then one row per item.
    let (redacted, _) = redact(&s, Sensitivity::Confidential);
    let all = tables(&doc);
    let actors = &all[0];
    assert_eq!(
        actors[0],
        ["Actor", "Kind", "Stance", "Influence", "Interests"]
    );
    assert_eq!(actors.len(), 1 + redacted.actors.len());
    let matrix = all
        .iter()
        .find(|t| t[0][0] == "Line of effort")
        .expect("a who-does-what table");
    assert_eq!(matrix.len(), 1 + redacted.lines.len());
    let size = doc
        .descendants()
        .find(|n| n.has_tag_name((W, "pgSz")))
        .unwrap();
    assert_eq!(
        (attr(size, "w"), attr(size, "h")),
        (Some("11906"), Some("16838"))
    );
    // The map of where the events happened, as a picture.
    assert!(names(&bytes).iter().any(|n| n.starts_with("word/media/")));
}

#[test]
fn every_page_carries_the_marking_and_its_number() {
    let s = guinea();
    let options = ExportOptions::new(Audience::new(Sensitivity::StrictlyConfidential));
    let mark = marking(&options.audience, s.as_of);
    let bytes = export(&s, Format::Docx, &options).unwrap();
    let parts = names(&bytes);
    let headers: Vec<&String> = parts
        .iter()
        .filter(|n| n.starts_with("word/header"))
        .collect();
    let footers: Vec<&String> = parts
        .iter()
        .filter(|n| n.starts_with("word/footer"))
        .collect();
    assert!(!headers.is_empty() && !footers.is_empty(), "{parts:?}");
    for name in headers.iter().chain(&footers) {
        let xml = part(&bytes, name);
        let doc = roxmltree::Document::parse(&xml).unwrap();
        assert!(text_of(doc.root()).contains(&mark), "{name}");
    }
    for name in footers {
        let xml = part(&bytes, name);
        assert!(
            xml.contains("PAGE") && xml.contains("NUMPAGES"),
            "{name}: {xml}"
        );
    }
    // The section uses them: every page, not the first only.
    let body = part(&bytes, "word/document.xml");
    assert!(body.contains("headerReference") && body.contains("footerReference"));
    assert!(part(&bytes, "docProps/custom.xml").contains("TLP:RED"));
}

#[test]
fn text_xml_cannot_carry_is_left_out_and_the_rest_reads_back() {
    let mut s = guinea();
    s.actors[0].name = "Bell\u{7} <b>&amp; \u{1}\u{fffe}Co\nline two".into();
    let bytes = export(&s, Format::Docx, &Audience::default().into()).unwrap();
    let xml = part(&bytes, "word/document.xml");
    let doc = roxmltree::Document::parse(&xml).expect("well-formed XML");
    let all = tables(&doc);
    assert!(
        all[0]
            .iter()
            .any(|row| row[0] == "Bell <b>&amp; Co\nline two"),
        "{:?}",
        all[0]
    );
}
