//! Turning wire names into Rust identifiers.
//!
//! Fields become snake_case (`connectWiseID` → `connect_wise_id`, `IPAddress` → `ip_address`),
//! keywords become raw identifiers (`type` → `r#type`), enum values become PascalCase variants
//! (`DoNotBill` stays, `NONE` → `None`, `QB99` → `Qb99`). Every function here is pure and total:
//! any input yields a valid identifier.

/// Words reserved in Rust 2024 (strict and reserved keywords).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be written as raw identifiers.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super", "_"];

/// Whether `word` is a Rust keyword.
pub fn is_keyword(word: &str) -> bool {
    KEYWORDS.contains(&word)
}

/// Converts a wire name to snake_case.
///
/// A word boundary sits before an upper-case letter that follows a lower-case letter or digit,
/// and before the last capital of an acronym that is followed by a lower-case letter
/// (`invoiceCCEmail` → `invoice_cc_email`). Any other character than ASCII letters and digits
/// becomes a single `_`; leading and trailing `_` are dropped (`_info` → `info`).
pub fn snake_case(wire: &str) -> String {
    let chars: Vec<char> = wire.chars().collect();
    let mut out = String::with_capacity(wire.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !out.is_empty() && !out.ends_with('_') {
                out.push('_');
            }
            continue;
        }
        if c.is_ascii_uppercase() && i > 0 {
            let prev = chars[i - 1];
            let next_is_lower = chars.get(i + 1).is_some_and(char::is_ascii_lowercase);
            let boundary = prev.is_ascii_lowercase()
                || prev.is_ascii_digit()
                || (prev.is_ascii_uppercase() && next_is_lower);
            if boundary && !out.is_empty() && !out.ends_with('_') {
                out.push('_');
            }
        }
        out.push(c.to_ascii_lowercase());
    }
    let trimmed = out.trim_matches('_');
    if trimmed.is_empty() {
        "field".to_owned()
    } else if trimmed.starts_with(|c: char| c.is_ascii_digit()) {
        format!("n_{trimmed}")
    } else {
        trimmed.to_owned()
    }
}

/// The Rust field identifier for a wire name: snake_case, with keywords made raw (`r#type`).
pub fn field_ident(wire: &str) -> String {
    let snake = snake_case(wire);
    if NOT_RAW.contains(&snake.as_str()) {
        format!("{snake}_")
    } else if is_keyword(&snake) {
        format!("r#{snake}")
    } else {
        snake
    }
}

/// The identifier without a leading `r#`: the name serde derives a wire name from.
pub fn unraw(ident: &str) -> &str {
    ident.strip_prefix("r#").unwrap_or(ident)
}

/// Converts a wire name to PascalCase by way of [`snake_case`] (`billTime` → `BillTime`,
/// `connectWiseID` → `ConnectWiseId`).
pub fn pascal_case(wire: &str) -> String {
    snake_case(wire)
        .split('_')
        .filter(|w| !w.is_empty())
        .map(capitalize)
        .collect()
}

fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

/// The enum variant for a wire value.
///
/// The value is split at characters that are not ASCII letters or digits. A chunk written in
/// capitals only (`NONE`, `API`, `QB99`) is turned into one capitalised word (`None`, `Api`,
/// `Qb99`) so that variants follow Rust naming; mixed-case chunks keep their spelling
/// (`IPAddress`, `SystemAPI`, `Mas200v4`) apart from an upper-case first letter. A value that
/// starts with a digit gets the prefix `Value`, an empty value becomes `Empty`, and `Self`
/// becomes `SelfValue`.
pub fn variant_ident(wire: &str) -> String {
    let mut out = String::new();
    for chunk in wire.split(|c: char| !c.is_ascii_alphanumeric()) {
        if chunk.is_empty() {
            continue;
        }
        let letters = chunk.chars().filter(char::is_ascii_alphabetic).count();
        let all_caps = !chunk.chars().any(|c| c.is_ascii_lowercase());
        if all_caps && letters > 1 {
            out.push_str(&capitalize(&chunk.to_ascii_lowercase()));
        } else {
            out.push_str(&capitalize(chunk));
        }
    }
    if out.is_empty() {
        return "Empty".to_owned();
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert_str(0, "Value");
    }
    if out == "Self" {
        out.push_str("Value");
    }
    out
}

/// Whether `name` is a plain Rust identifier made of ASCII letters, digits and `_`, not starting
/// with a digit and not a keyword.
pub fn is_plain_ident(name: &str) -> bool {
    let mut chars = name.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    (first.is_ascii_alphabetic() || first == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !is_keyword(name)
}

/// Whether serde's `rename_all`-free derive would read `wire` from a field named `ident`, that is
/// whether the field needs no `#[serde(rename)]`.
pub fn needs_rename(ident: &str, wire: &str) -> bool {
    unraw(ident) != wire
}

/// Whether a type name is written in capitals only (`SLA`, `KPI`), which clippy's
/// `upper_case_acronyms` lint flags; the generated item then carries an `allow`.
pub fn is_all_caps(name: &str) -> bool {
    name.chars().filter(char::is_ascii_alphabetic).count() > 1
        && !name.chars().any(|c| c.is_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case_handles_camel_acronyms_digits_and_underscores() {
        let cases = [
            ("id", "id"),
            ("summary", "summary"),
            ("addressLine1", "address_line1"),
            ("userDefinedField10", "user_defined_field10"),
            ("connectWiseID", "connect_wise_id"),
            ("asioSubscriptionsID", "asio_subscriptions_id"),
            ("IPAddress", "ip_address"),
            ("invoiceCCEmailAddress", "invoice_cc_email_address"),
            ("segment1type", "segment1type"),
            ("field1Name", "field1_name"),
            ("scheduled_Hours", "scheduled_hours"),
            ("billComplete_Flag", "bill_complete_flag"),
            ("row_values", "row_values"),
            ("_info", "info"),
            ("readOnlyFlay", "read_only_flay"),
            ("mobileGuid", "mobile_guid"),
            ("a-b c", "a_b_c"),
            ("__", "field"),
            ("1st", "n_1st"),
        ];
        for (wire, expected) in cases {
            assert_eq!(snake_case(wire), expected, "snake_case({wire:?})");
        }
    }

    #[test]
    fn field_idents_escape_keywords() {
        assert_eq!(field_ident("type"), "r#type");
        assert_eq!(field_ident("where"), "r#where");
        assert_eq!(field_ident("self"), "self_");
        assert_eq!(field_ident("Self"), "self_");
        assert_eq!(field_ident("summary"), "summary");
        assert_eq!(unraw("r#type"), "type");
        assert!(!needs_rename("r#type", "type"));
        assert!(needs_rename("address_line1", "addressLine1"));
        assert!(!needs_rename("summary", "summary"));
    }

    #[test]
    fn pascal_case_joins_words() {
        assert_eq!(pascal_case("billTime"), "BillTime");
        assert_eq!(pascal_case("connectWiseID"), "ConnectWiseId");
        assert_eq!(pascal_case("segment1type"), "Segment1type");
        assert_eq!(pascal_case("row_values"), "RowValues");
        assert_eq!(pascal_case("type"), "Type");
    }

    #[test]
    fn variants_follow_rust_naming() {
        let cases = [
            ("DoNotBill", "DoNotBill"),
            ("Low", "Low"),
            ("NONE", "None"),
            ("SKYPE", "Skype"),
            ("API", "Api"),
            ("QB99", "Qb99"),
            ("CWSSO", "Cwsso"),
            ("Mas200v4", "Mas200v4"),
            ("IPAddress", "IPAddress"),
            ("SystemAPI", "SystemAPI"),
            ("HTMLEmailTemplates", "HTMLEmailTemplates"),
            ("A", "A"),
            ("Level1", "Level1"),
            ("in progress", "InProgress"),
            ("on-site", "OnSite"),
            ("2Weeks", "Value2Weeks"),
            ("", "Empty"),
            ("Self", "SelfValue"),
            ("lower", "Lower"),
        ];
        for (wire, expected) in cases {
            assert_eq!(variant_ident(wire), expected, "variant_ident({wire:?})");
        }
    }

    #[test]
    fn identifiers_are_checked() {
        assert!(is_plain_ident("Ticket"));
        assert!(is_plain_ident("GLExport"));
        assert!(!is_plain_ident("1Ticket"));
        assert!(!is_plain_ident("Company.Configuration"));
        assert!(!is_plain_ident("type"));
        assert!(!is_plain_ident(""));
        assert!(is_all_caps("SLA"));
        assert!(is_all_caps("KPI"));
        assert!(!is_all_caps("GLExport"));
        assert!(!is_all_caps("A"));
    }
}
