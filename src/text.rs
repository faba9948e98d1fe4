//! Small helpers for the words Tandem shows, shared by the command line and the window.

/// A count with its noun: `counted(1, "warning", "warnings")` is "1 warning", 2 gives "2 warnings".
pub fn counted(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The text with its first letter in capitals, for a sentence that starts with a name or a
/// phrase: "an officer …" becomes "An officer …", "élection" becomes "Élection".
pub fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

#[cfg(test)]
mod tests {
    use super::{capitalised, counted};

    #[test]
    fn capitalised_changes_only_the_first_letter() {
        assert_eq!(capitalised("an officer on vm"), "An officer on vm");
        assert_eq!(capitalised("élection"), "Élection");
        assert_eq!(capitalised("ECOWAS"), "ECOWAS");
        assert_eq!(capitalised(""), "");
    }

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
