//! The tables a run prints, in markdown, ready for BENCHMARKS.md.

use std::fmt::Write;

/// One figure's table.
#[derive(Clone, Debug, Default)]
pub struct Table {
    /// The heading.
    pub title: String,
    /// What was run, under the heading.
    pub note: String,
    /// The column headings.
    pub columns: Vec<String>,
    /// The rows, one cell per column.
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with `title` and `columns`.
    pub fn new(title: &str, columns: &[&str]) -> Table {
        Table {
            title: title.to_owned(),
            columns: columns.iter().map(|c| (*c).to_owned()).collect(),
            ..Table::default()
        }
    }

    /// Adds a row.
    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    /// The table in markdown.
    pub fn markdown(&self) -> String {
        let mut out = format!("### {}\n\n", self.title);
        if !self.note.is_empty() {
            let _ = writeln!(out, "{}\n", self.note);
        }
        let _ = writeln!(out, "| {} |", self.columns.join(" | "));
        let _ = writeln!(out, "|{}", "---|".repeat(self.columns.len()));
        for row in &self.rows {
            let _ = writeln!(out, "| {} |", row.join(" | "));
        }
        out
    }
}

/// Everything a run measured.
#[derive(Debug, Default)]
pub struct Report {
    /// The figures' tables, in the order they ran.
    pub tables: Vec<Table>,
    /// Streams whose tickets were checked against the seed (all exact, or the run fails).
    pub checked_streams: u64,
    /// The SDK's CPU per page of 1,000 tickets in the stream figure, for the fast-JSON note.
    pub sdk_cpu_per_page_ms: Option<f64>,
}

/// A ratio as `1.03×`.
pub fn ratio(value: f64, baseline: f64) -> String {
    if baseline > 0.0 {
        times(value / baseline)
    } else {
        "—".to_owned()
    }
}

/// A ratio already taken (`0.94×`), or `—` when there was none to take (0).
pub fn times(ratio: f64) -> String {
    if ratio > 0.0 {
        format!("{ratio:.2}×")
    } else {
        "—".to_owned()
    }
}

/// Whether a target was met, as the tables say it.
pub fn met(ok: bool) -> String {
    if ok {
        "met".to_owned()
    } else {
        "**missed**".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_table() {
        let mut table = Table::new("T", &["a", "b"]);
        table.row(vec!["1".into(), "2".into()]);
        assert_eq!(
            table.markdown(),
            "### T\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
        );
        assert_eq!(ratio(3.0, 2.0), "1.50×");
        assert_eq!(ratio(3.0, 0.0), "—");
        assert_eq!(times(0.94), "0.94×");
        assert_eq!(times(0.0), "—");
    }
}
