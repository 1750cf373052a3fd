//! Export every ticket matching a filter to a file: JSON Lines (one ticket per line, every field
//! the server sent, unknown ones included) or CSV with chosen columns.
//!
//! How it stays correct on large tenants:
//!
//! - **Validated first.** The conditions are parsed with [`Condition::parse`] before anything is
//!   sent, so a typo is one error line with its position, not a 400 halfway through.
//! - **Streamed.** Tickets are written page by page as they arrive and the output is flushed after
//!   every page: memory does not grow with the export, and an interrupted run leaves every page
//!   it finished on disk.
//! - **Resumable.** Tickets come in id order (`orderBy=id asc`, or the server's keyset order with
//!   forward-only paging) and `after_id` adds `id > N` to the filter, so continuing after the
//!   last id in the file neither skips nor repeats a ticket, even when tickets were created in
//!   between. [`trim_partial_line`] drops a line cut short by the interruption before appending.
//! - **Sized.** `/service/tickets/count` with the same filter sizes the progress bar before the
//!   first page is read.
//!
//! Forward-only paging (`forward_only`) is what full syncs of very large boards should use: the
//! server walks by id instead of counting pages, so later pages cost no more than the first.

use std::fmt;
use std::io::Write;
use std::path::Path;

use connectwise_manage::models::Ticket;
use connectwise_manage::query::{Condition, OrderBy};
use connectwise_manage::{Client, ListQuery};
use futures::TryStreamExt;
use serde_json::Value;

use crate::error::Error;

/// The columns of a CSV export when none are chosen.
pub const DEFAULT_COLUMNS: [&str; 6] = [
    "id",
    "summary",
    "board/name",
    "status/name",
    "company/identifier",
    "priority/name",
];

/// How the tickets are written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Format {
    /// One JSON object per line, as the server sent it.
    JsonLines,
    /// Comma-separated values with a header line; each column is a field path such as
    /// `board/name` (objects and arrays are written as JSON text).
    Csv {
        /// The field paths, in order.
        columns: Vec<String>,
        /// Whether to write the header line (not when appending to an earlier run's file).
        header: bool,
    },
}

/// What to export.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportOptions {
    /// The filter, already parsed ([`parse_conditions`]); `None` exports every ticket.
    pub conditions: Option<Condition>,
    /// The output format.
    pub format: Format,
    /// Walk with forward-only (keyset) paging.
    pub forward_only: bool,
    /// Export only tickets with a greater id: where an interrupted run stopped.
    pub after_id: Option<i64>,
    /// Tickets per page; `None` uses the client's default (1,000).
    pub page_size: Option<u32>,
}

impl Default for ExportOptions {
    fn default() -> Self {
        Self {
            conditions: None,
            format: Format::JsonLines,
            forward_only: false,
            after_id: None,
            page_size: None,
        }
    }
}

/// Told how far an export got, to drive a progress bar.
pub trait Progress {
    /// How many tickets the server counted for the filter.
    fn total(&mut self, tickets: u64);
    /// `tickets` more were written and flushed, the last of them with id `last_id`: where to
    /// resume should the next page fail.
    fn advance(&mut self, tickets: u64, last_id: Option<i64>);
}

/// No progress shown.
impl Progress for () {
    fn total(&mut self, _: u64) {}
    fn advance(&mut self, _: u64, _: Option<i64>) {}
}

/// What an export did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportReport {
    /// Tickets written.
    pub exported: u64,
    /// What the server counted for the filter before the export started.
    pub counted: u64,
    /// The id of the last ticket written: where to resume (`--after-id`).
    pub last_id: Option<i64>,
}

impl fmt::Display for ExportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Exported {} ticket(s); the server counted {} at the start.",
            self.exported, self.counted
        )?;
        if let Some(id) = self.last_id {
            write!(f, " Last id {id} (continue with --after-id {id}).")?;
        }
        Ok(())
    }
}

/// Parses `--conditions` text, so that a mistake is reported before anything is sent.
///
/// # Errors
/// [`Error::Conditions`] with the byte offset of the problem.
pub fn parse_conditions(text: &str) -> Result<Condition, Error> {
    Condition::parse(text).map_err(|source| Error::Conditions {
        text: text.to_owned(),
        source,
    })
}

/// Parses a comma-separated column list (`id,summary,board/name`).
///
/// # Errors
/// [`Error::InvalidOptions`] for an empty list or an empty column.
pub fn parse_columns(text: &str) -> Result<Vec<String>, Error> {
    let columns: Vec<String> = text.split(',').map(|c| c.trim().to_owned()).collect();
    if columns.iter().any(String::is_empty) {
        return Err(Error::InvalidOptions(format!(
            "--columns {text:?} has an empty column; give field paths such as id,summary,board/name"
        )));
    }
    Ok(columns)
}

/// Streams every ticket matching `options` to `out`, flushing after every page.
///
/// # Errors
/// [`Error::Api`] when a request fails (what was written before stays written and flushed: resume
/// with [`ExportOptions::after_id`] set to the last id in the output); [`Error::Write`] when the
/// output cannot be written.
pub async fn run(
    client: &Client,
    options: &ExportOptions,
    out: &mut dyn Write,
    progress: &mut dyn Progress,
) -> Result<ExportReport, Error> {
    let mut query = ListQuery::new();
    let after = options
        .after_id
        .map(|id| Condition::gt("id", id))
        .transpose()?;
    let filter = match (options.conditions.clone(), after) {
        (Some(conditions), Some(after)) => Some(conditions.and(after)),
        (one, other) => one.or(other),
    };
    if let Some(filter) = filter {
        query = query.conditions(filter);
    }
    if let Some(size) = options.page_size {
        query = query.page_size(size);
    }
    if options.forward_only {
        query = query.forward_only();
    } else {
        query = query.order_by(OrderBy::asc("id")?);
    }

    let tickets = client.service().tickets();
    let counted = tickets.count(&query).await?;
    progress.total(counted);

    if let Format::Csv {
        columns,
        header: true,
    } = &options.format
    {
        let line: Vec<String> = columns.iter().map(|c| csv_field(c)).collect();
        writeln!(out, "{}", line.join(",")).map_err(Error::Write)?;
    }

    let mut report = ExportReport {
        exported: 0,
        counted,
        last_id: None,
    };
    let mut pages = tickets.list(&query).by_page();
    while let Some(page) = pages.try_next().await? {
        let written = page.items.len() as u64;
        for ticket in page.items {
            let value = ticket_value(&ticket)?;
            write_ticket(out, &options.format, &value)?;
            report.last_id = value.get("id").and_then(Value::as_i64).or(report.last_id);
        }
        out.flush().map_err(Error::Write)?;
        report.exported += written;
        progress.advance(written, report.last_id);
    }
    Ok(report)
}

/// The ticket as JSON: the model keeps the fields it does not know in `extra`, so this is every
/// field the server sent.
fn ticket_value(ticket: &Ticket) -> Result<Value, Error> {
    serde_json::to_value(ticket)
        .map_err(|e| Error::InvalidOptions(format!("a ticket could not be written as JSON: {e}")))
}

fn write_ticket(out: &mut dyn Write, format: &Format, ticket: &Value) -> Result<(), Error> {
    match format {
        Format::JsonLines => writeln!(out, "{ticket}"),
        Format::Csv { columns, .. } => {
            let fields: Vec<String> = columns
                .iter()
                .map(|column| csv_field(&cell(ticket, column)))
                .collect();
            writeln!(out, "{}", fields.join(","))
        }
    }
    .map_err(Error::Write)
}

/// The text of one CSV cell: the value at the slash-separated `path`, empty when absent or null.
fn cell(ticket: &Value, path: &str) -> String {
    let mut value = ticket;
    for part in path.split('/') {
        match value.get(part) {
            Some(inner) => value = inner,
            None => return String::new(),
        }
    }
    match value {
        Value::Null => String::new(),
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// A CSV field, quoted when it holds a comma, a quote or a line break (RFC 4180).
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

/// Cuts a last line that an interrupted run left incomplete (no line break at its end), so that
/// appending the resumed export gives whole records only. Returns the bytes removed.
///
/// # Errors
/// [`Error::Read`] when the file cannot be read or shortened.
pub fn trim_partial_line(path: &Path) -> Result<u64, Error> {
    let read_error = |source| Error::Read {
        path: path.to_owned(),
        source,
    };
    let content = std::fs::read(path).map_err(read_error)?;
    let keep = content
        .iter()
        .rposition(|byte| *byte == b'\n')
        .map_or(0, |at| at + 1);
    let removed = (content.len() - keep) as u64;
    if removed > 0 {
        let file = std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .map_err(read_error)?;
        file.set_len(keep as u64).map_err(read_error)?;
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_follow_paths_and_quote_when_needed() {
        let ticket = serde_json::json!({
            "id": 7,
            "summary": "Printer \"jam\", again",
            "board": {"name": "Help Desk"},
            "contact": null,
            "tags": ["a", "b"]
        });
        assert_eq!(cell(&ticket, "id"), "7");
        assert_eq!(cell(&ticket, "board/name"), "Help Desk");
        assert_eq!(cell(&ticket, "contact/name"), "");
        assert_eq!(cell(&ticket, "missing"), "");
        assert_eq!(cell(&ticket, "tags"), r#"["a","b"]"#);
        assert_eq!(
            csv_field(&cell(&ticket, "summary")),
            r#""Printer ""jam"", again""#
        );
        assert_eq!(csv_field("plain"), "plain");
    }

    #[test]
    fn columns_are_checked() {
        assert_eq!(
            parse_columns("id, board/name").unwrap(),
            vec!["id".to_owned(), "board/name".to_owned()]
        );
        assert!(parse_columns("id,,summary").is_err());
    }
}
