//! Turning spec descriptions into rustdoc text.
//!
//! Descriptions are plain prose from the vendor. Rustdoc reads doc comments as Markdown, so
//! characters with a Markdown or HTML meaning are escaped (`[x]` would be an intra-doc link,
//! `<b>` an HTML tag, `*x*` emphasis) and bare URLs are wrapped in `<…>` so that
//! `rustdoc::bare_urls` stays quiet. `cargo doc` runs with warnings denied.

/// Escapes one line of prose for a `///` comment.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut rest = text;
    while !rest.is_empty() {
        if let Some(len) = url_len(rest) {
            let (url, tail) = rest.split_at(len);
            out.push('<');
            out.push_str(url);
            out.push('>');
            rest = tail;
            continue;
        }
        let mut chars = rest.chars();
        let Some(c) = chars.next() else { break };
        match c {
            '\\' | '`' | '[' | ']' | '<' | '>' | '*' | '_' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '#' if out.trim().is_empty() => out.push_str("\\#"),
            '\t' | '\r' | '\n' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
        rest = chars.as_str();
    }
    // Markdown treats a leading `-`, `+` or `1.` as a list and four spaces as code; the prose is
    // one line, so trimming and escaping a leading list marker keeps it a paragraph.
    let trimmed = out.trim();
    let mut line = trimmed.to_owned();
    if line.starts_with(['-', '+']) || starts_with_ordered_marker(&line) {
        line.insert(0, '\\');
    }
    line
}

fn starts_with_ordered_marker(line: &str) -> bool {
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    digits > 0 && matches!(line[digits..].chars().next(), Some('.' | ')'))
}

/// The length of an `http://` or `https://` URL at the start of `text`, if there is one.
fn url_len(text: &str) -> Option<usize> {
    if !(text.starts_with("http://") || text.starts_with("https://")) {
        return None;
    }
    let end = text
        .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`'))
        .unwrap_or(text.len());
    // Trailing punctuation belongs to the sentence, not the URL.
    let url = text[..end].trim_end_matches(['.', ',', ';', ':', ')', '!', '?']);
    Some(url.len())
}

/// Formats a wire name or other code for docs: wrapped in backticks, with a longer fence when it
/// contains a backtick itself.
pub fn code(text: &str) -> String {
    if text.contains('`') {
        format!("`` {text} ``")
    } else {
        format!("`{text}`")
    }
}

/// Replaces the spec's .NET type names (`ConnectWise.Apis.v3_0.v2015_3.Service.Ticket.Ticket`) by
/// the type's own name (`Ticket`), so summaries read as words.
pub fn plain_names(text: &str) -> String {
    text.split(' ')
        .map(|word| match word.strip_prefix("ConnectWise.") {
            Some(rest) => {
                let trailing = rest.len() - rest.trim_end_matches(['.', ',', ';', ':']).len();
                let (name, punctuation) = rest.split_at(rest.len() - trailing);
                let last = name.rsplit('.').next().unwrap_or(name);
                format!("{last}{punctuation}")
            }
            None => word.to_owned(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dotnet_type_names_become_plain_names() {
        assert_eq!(
            plain_names("Get List of ConnectWise.Apis.v3_0.v2015_3.Service.Ticket.Ticket."),
            "Get List of Ticket."
        );
        assert_eq!(
            plain_names("Get Count of ConnectWise.Apis.v3_0.v2015_3.Company.Company.Company"),
            "Get Count of Company"
        );
        assert_eq!(plain_names("Post Ticket"), "Post Ticket");
    }

    #[test]
    fn markdown_and_html_are_escaped() {
        assert_eq!(escape("Max length: 100;"), "Max length: 100;");
        assert_eq!(
            escape("see [Ticket] <b>bold</b>"),
            "see \\[Ticket\\] \\<b\\>bold\\</b\\>"
        );
        assert_eq!(escape("a `b` *c* d_e_f"), "a \\`b\\` \\*c\\* d\\_e\\_f");
        assert_eq!(escape("if x.Length > 0"), "if x.Length \\> 0");
        assert_eq!(escape("back\\slash"), "back\\\\slash");
        assert_eq!(escape("# not a heading"), "\\# not a heading");
        assert_eq!(escape("a # b"), "a # b");
        assert_eq!(escape("- not a list"), "\\- not a list");
        assert_eq!(escape("1. not a list"), "\\1. not a list");
        assert_eq!(escape("  padded\t"), "padded");
        assert_eq!(
            escape("/company/companies/{ID}/typeAssociations"),
            "/company/companies/{ID}/typeAssociations"
        );
    }

    #[test]
    fn urls_are_wrapped_not_escaped() {
        assert_eq!(
            escape("See https://developer.connectwise.com/a_b?x=1. Then"),
            "See <https://developer.connectwise.com/a_b?x=1>. Then"
        );
        assert_eq!(escape("http://x.test"), "<http://x.test>");
    }

    #[test]
    fn code_spans_survive_backticks() {
        assert_eq!(code("summary"), "`summary`");
        assert_eq!(code("a`b"), "`` a`b ``");
    }
}
