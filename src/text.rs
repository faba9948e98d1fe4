//! Small helpers for the words Tandem shows, shared by the command line and the window.

/// A count with its noun: `counted(1, "warning", "warnings")` is "1 warning", 2 gives "2 warnings".
pub fn counted(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::counted;

    #[test]
    fn one_is_singular_and_every_other_count_plural() {
        assert_eq!(counted(0, "error", "errors"), "0 errors");
        assert_eq!(counted(1, "error", "errors"), "1 error");
        assert_eq!(
            counted(2, "line of effort", "lines of effort"),
            "2 lines of effort"
        );
    }
}
