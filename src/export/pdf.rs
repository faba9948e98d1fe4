//! The PDF briefing paper. A stub until the PDF writer lands.

use super::ExportError;
use super::briefing::Briefing;

/// Lays out `briefing` as a PDF with `marking` at the top and bottom of every page.
pub fn write_pdf(_briefing: &Briefing, _marking: &str) -> Result<Vec<u8>, ExportError> {
    Err(ExportError::NotBuilt("PDF"))
}
