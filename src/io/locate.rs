//! Finding where an item sits in a file, so diagnostics can give line and column.

use std::collections::HashMap;

use crate::model::Diagnostic;

/// Positions of `id: "…"` fields, and of each assignment, in a situation file's text.
pub struct ItemLocator {
    positions: HashMap<String, (usize, usize)>,
    /// Where each entry of the top-level `assignments: [ … ]` list starts (its first field),
    /// in the list's order.
    assignments: Vec<(usize, usize)>,
}

impl ItemLocator {
    /// Scans `text` once for every `id: "…"` field and every assignment.
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
        Self {
            positions,
            assignments: assignment_positions(text),
        }
    }

    /// Where the item `id` is defined, as 1-based line and column.
    pub fn position(&self, id: &str) -> Option<(usize, usize)> {
        self.positions.get(id).copied()
    }

    /// Where the assignment at `index` in the situation's list starts, as 1-based line and
    /// column of its first field.
    pub fn assignment_position(&self, index: usize) -> Option<(usize, usize)> {
        self.assignments.get(index).copied()
    }

    /// Gives the diagnostic the position of what it is about (its assignment, else its item),
    /// when it has none yet.
    pub fn place(&self, diagnostic: Diagnostic) -> Diagnostic {
        if diagnostic.line.is_some() {
            return diagnostic;
        }
        let position = diagnostic
            .assignment
            .and_then(|i| self.assignment_position(i))
            .or_else(|| diagnostic.item.as_deref().and_then(|id| self.position(id)));
        match position {
            Some((line, column)) => diagnostic.at(line, column),
            None => diagnostic,
        }
    }
}

/// The position of the first field of each entry of the top-level `assignments` list, read
/// with the brackets and strings of RON (comments too), so any layout is found.
fn assignment_positions(text: &str) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    let mut scan = Scanner::default();
    // Depth of the `assignments: [` list once seen; whether the current entry's first field
    // is still to come.
    let mut list_depth = None;
    let mut awaiting_field = false;
    let mut last_key = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let at = (scan.line, scan.column);
        scan.advance(c);
        if scan.in_string || scan.in_comment {
            continue;
        }
        match c {
            '[' | '(' | '{' => {
                scan.depth += 1;
                if c == '[' && list_depth.is_none() && scan.depth == 2 && last_key == "assignments"
                {
                    list_depth = Some(scan.depth);
                } else if c == '(' && list_depth.is_some_and(|d| scan.depth == d + 1) {
                    awaiting_field = true;
                }
            }
            ']' | ')' | '}' => {
                if c == ']' && list_depth == Some(scan.depth) {
                    break;
                }
                scan.depth = scan.depth.saturating_sub(1);
            }
            c if c.is_alphabetic() || c == '_' => {
                let mut word = String::from(c);
                while let Some(&next) = chars.peek() {
                    if !(next.is_alphanumeric() || next == '_') {
                        break;
                    }
                    word.push(next);
                    scan.advance(next);
                    chars.next();
                }
                if awaiting_field {
                    found.push(at);
                    awaiting_field = false;
                }
                last_key = word;
            }
            _ => {}
        }
    }
    found
}

/// Where a scan is in RON text: line and column of the next character, inside a string or
/// a comment, and bracket depth.
struct Scanner {
    line: usize,
    column: usize,
    in_string: bool,
    escaped: bool,
    in_comment: bool,
    slash: bool,
    depth: usize,
}

impl Default for Scanner {
    fn default() -> Self {
        Self {
            line: 1,
            column: 1,
            in_string: false,
            escaped: false,
            in_comment: false,
            slash: false,
            depth: 0,
        }
    }
}

impl Scanner {
    /// Takes in one character: position, strings (with escapes) and `//` comments.
    fn advance(&mut self, c: char) {
        if c == '\n' {
            self.line += 1;
            self.column = 1;
            self.in_comment = false;
            self.slash = false;
            return;
        }
        self.column += 1;
        if self.in_comment {
            return;
        }
        if self.in_string {
            match (self.escaped, c) {
                (true, _) => self.escaped = false,
                (false, '\\') => self.escaped = true,
                (false, '"') => self.in_string = false,
                _ => {}
            }
            return;
        }
        match c {
            '"' => self.in_string = true,
            '/' if self.slash => self.in_comment = true,
            _ => {}
        }
        self.slash = c == '/' && !self.in_comment;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assignments_are_found_in_any_layout() {
        let text = r#"(
    title: "A \"quoted\" assignments: [ title",
    // assignments: [ (line: "commented") ]
    lines: [(id: "a", title: "(")],
    assignments: [
        (
            line: "a",
            partner: "p",
        ),
        (line: "b", partner: "q", places: [(name: "x")]),
    ],
    events: [],
)"#;
        let locator = ItemLocator::new(text);
        assert_eq!(locator.assignment_position(0), Some((7, 13)));
        assert_eq!(locator.assignment_position(1), Some((10, 10)));
        assert_eq!(locator.assignment_position(2), None);
    }
}
