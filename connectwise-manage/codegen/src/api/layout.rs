//! Laying out the few constructs the accessor files contain exactly as `rustfmt --edition 2024`
//! does, so the checked-in files pass `cargo fmt --check` without running rustfmt.
//!
//! - A function signature stays on one line when it fits in 100 columns; otherwise every
//!   parameter goes on its own line (rustfmt's default "tall" layout), and the opening brace goes
//!   on a line of its own when the return type leaves no room for it.
//! - A call stays on one line when its arguments take at most 60 columns (`fn_call_width`) and
//!   the line fits; otherwise every argument goes on its own line. The generated calls only have
//!   simple arguments (paths, string literals, `Some(x)`), so rustfmt never "overflows" the last
//!   argument.

use crate::emit::MAX_WIDTH;
use crate::error::Error;

/// rustfmt's `fn_call_width`.
pub const FN_CALL_WIDTH: usize = 60;

/// A function signature up to and including the opening brace, e.g.
/// `    pub fn get(&self) -> rt::ApiFuture<m::Ticket> {`.
pub fn signature(indent: &str, head: &str, params: &[String], ret: &str) -> Result<String, Error> {
    let one_line = format!("{indent}{head}({}) -> {ret} {{", params.join(", "));
    if one_line.len() <= MAX_WIDTH {
        return Ok(one_line);
    }
    let mut out = format!("{indent}{head}(\n");
    for param in params {
        out.push_str(&format!("{indent}    {param},\n"));
    }
    // rustfmt measures the last line, indentation included, against the item's width (which
    // excludes the indentation), and moves the brace to its own line when ` {` does not fit.
    let last = format!("{indent}) -> {ret} {{");
    if last.len() + indent.len() <= MAX_WIDTH {
        out.push_str(&last);
    } else {
        out.push_str(&format!("{indent}) -> {ret}\n{indent}{{"));
    }
    if let Some(line) = out.lines().find(|l| l.len() > MAX_WIDTH) {
        return Err(Error::Layout(format!(
            "signature line does not fit in {MAX_WIDTH} columns: {line}"
        )));
    }
    Ok(out)
}

/// A call expression on its own line(s), e.g. `        rt::list(&self.0, "id", "/path", query)`.
pub fn call(indent: &str, callee: &str, args: &[String]) -> String {
    let joined = args.join(", ");
    let one_line = format!("{indent}{callee}({joined})");
    if joined.len() <= FN_CALL_WIDTH && one_line.len() <= MAX_WIDTH {
        return one_line;
    }
    let mut out = format!("{indent}{callee}(\n");
    for arg in args {
        out.push_str(&format!("{indent}    {arg},\n"));
    }
    out.push_str(&format!("{indent})"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_break_one_parameter_per_line() {
        assert_eq!(
            signature(
                "    ",
                "pub fn get",
                &["&self".into()],
                "rt::ApiFuture<m::Ticket>"
            )
            .expect("fits"),
            "    pub fn get(&self) -> rt::ApiFuture<m::Ticket> {"
        );
        let long = format!("rt::ApiFuture<m::{}>", "X".repeat(60));
        assert_eq!(
            signature(
                "    ",
                "pub fn update",
                &["&self".into(), "body: &m::Y".into()],
                &long
            )
            .expect("fits"),
            format!("    pub fn update(\n        &self,\n        body: &m::Y,\n    ) -> {long} {{")
        );
        // ` {` would end past column 96 of a line indented by 4: the brace gets its own line.
        let wide = format!("rt::ApiFuture<m::{}>", "X".repeat(70));
        assert_eq!(
            signature("    ", "pub fn get", &["&self".into()], &wide).expect("fits"),
            format!("    pub fn get(\n        &self,\n    ) -> {wide}\n    {{")
        );
        let huge = format!("rt::ApiFuture<m::{}>", "X".repeat(100));
        assert!(signature("    ", "pub fn get", &["&self".into()], &huge).is_err());
    }

    #[test]
    fn calls_go_vertical_past_sixty_columns_of_arguments() {
        let short = call("        ", "rt::list", &["&self.0".into(), "query".into()]);
        assert_eq!(short, "        rt::list(&self.0, query)");
        let args: Vec<String> = vec![
            "&self.0".into(),
            "\"getServiceTicketsByParentIdNotes\"".into(),
            "\"/service/tickets/{parentId}/notes\"".into(),
            "query".into(),
        ];
        assert_eq!(
            call("        ", "rt::list", &args),
            "        rt::list(\n            &self.0,\n            \"getServiceTicketsByParentIdNotes\",\n            \"/service/tickets/{parentId}/notes\",\n            query,\n        )"
        );
    }
}
