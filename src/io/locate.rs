//! Finding where an item sits in a file, so diagnostics can give line and column.

use std::collections::HashMap;

use crate::model::Diagnostic;

/// Positions of `id: "…"` fields in a situation file's text.
pub struct ItemLocator {
    positions: HashMap<String, (usize, usize)>,
}

impl ItemLocator {
    /// Scans `text` once for every `id: "…"` field.
    pub fn new(text: &str) -> Self {
        let mut positions = HashMap::new();
        for (line_index, line) in text.lines().enumerate() {
            // `id:` opens the line in Tandem's layout; a hand-written `(id: …` counts too.
            let trimmed = line.trim_start();
            let trimmed = trimmed.strip_prefix('(').map_or(trimmed, str::trim_start);
            let Some(rest) = trimmed.strip_prefix("id:") else {
                continue;
            };
            let Some(value) = rest.trim_start().strip_prefix('"') else {
                continue;
            };
            let Some(end) = value.find('"') else {
                continue;
            };
            let id = value.get(..end).unwrap_or_default().to_owned();
            let column = line.chars().count() - trimmed.chars().count() + 1;
            positions.entry(id).or_insert((line_index + 1, column));
        }
        Self { positions }
    }

    /// Where the item `id` is defined, as 1-based line and column.
    pub fn position(&self, id: &str) -> Option<(usize, usize)> {
        self.positions.get(id).copied()
    }

    /// Gives the diagnostic the position of its item, when it has none yet.
    pub fn place(&self, diagnostic: Diagnostic) -> Diagnostic {
        if diagnostic.line.is_some() {
            return diagnostic;
        }
        match diagnostic.item.as_deref().and_then(|id| self.position(id)) {
            Some((line, column)) => diagnostic.at(line, column),
            None => diagnostic,
        }
    }
}
