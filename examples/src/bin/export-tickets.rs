//! `export-tickets`: stream every ticket matching a filter to JSON Lines or CSV. See
//! `examples::recipes::export_tickets`.
//!
//! ```sh
//! cargo run -p examples --bin export-tickets > tickets.jsonl          # everything, sandbox
//! cargo run -p examples --bin export-tickets -- \
//!     --conditions 'board/name = "Help Desk" and closedFlag = false' --output open.jsonl
//! cargo run -p examples --bin export-tickets -- --format csv \
//!     --columns id,summary,board/name,status/name --output tickets.csv
//! cargo run -p examples --bin export-tickets -- --forward-only --output all.jsonl
//! cargo run -p examples --bin export-tickets -- --forward-only --output all.jsonl \
//!     --after-id 250311                                               # resume
//! ```
//!
//! Environment: `CW_SITE`, `CW_COMPANY`, `CW_PUBLIC_KEY`, `CW_PRIVATE_KEY`, `CW_CLIENT_ID` (and
//! optionally `CW_API_VERSION`) select a real tenant; with none of them set the recipe runs on the
//! embedded sandbox, and says so on the first line of stderr.
//!
//! Read only. The tickets go to stdout or `--output`; the progress bar (hidden when stderr is not
//! a terminal) and the summary go to stderr. With `--after-id` and an existing `--output` file
//! the export is appended to it (a line an interruption cut short is removed first, a CSV header
//! is not repeated), so the file ends up as if the first run had not stopped.

use std::fs::OpenOptions;
use std::io::{BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, ValueEnum};
use examples::Error;
use examples::error::exit_code;
use examples::recipes::export_tickets::{
    self, DEFAULT_COLUMNS, ExportOptions, Format, Progress, parse_columns, parse_conditions,
    trim_partial_line,
};
use examples::target::ManageTarget;
use indicatif::{ProgressBar, ProgressStyle};

/// Export every ticket matching a filter to JSON Lines (default) or CSV.
///
/// Runs on the embedded sandbox unless CW_SITE, CW_COMPANY, CW_PUBLIC_KEY, CW_PRIVATE_KEY and
/// CW_CLIENT_ID are set.
#[derive(Debug, Parser)]
#[command(name = "export-tickets", version)]
struct Arguments {
    /// Which tickets, in the conditions syntax (`board/name = "Help Desk" and closedFlag =
    /// false`); default: all.
    #[arg(long, value_name = "CONDITIONS", allow_hyphen_values = true)]
    conditions: Option<String>,
    /// The output format.
    #[arg(long, value_enum, default_value_t = FormatFlag::Jsonl)]
    format: FormatFlag,
    /// The CSV columns, comma-separated field paths (default:
    /// id,summary,board/name,status/name,company/identifier,priority/name).
    #[arg(long, value_name = "PATHS")]
    columns: Option<String>,
    /// Write to this file instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Forward-only (keyset) paging, for full syncs of large tenants.
    #[arg(long)]
    forward_only: bool,
    /// Only tickets with a greater id: resume where an interrupted export stopped.
    #[arg(long, value_name = "ID")]
    after_id: Option<i64>,
    /// Tickets per page, 1 to 1000 (default: 1000).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1000))]
    page_size: Option<u32>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum FormatFlag {
    /// One JSON object per line.
    Jsonl,
    /// Comma-separated values with a header.
    Csv,
}

/// The progress bar on stderr, and the last id written, to say where to resume after an error.
struct Bar {
    bar: ProgressBar,
    written: u64,
    last_id: Option<i64>,
}

impl Progress for Bar {
    fn total(&mut self, tickets: u64) {
        self.bar.set_length(tickets);
    }

    fn advance(&mut self, tickets: u64, last_id: Option<i64>) {
        self.bar.inc(tickets);
        self.written += tickets;
        self.last_id = last_id;
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    exit_code(run(Arguments::parse()).await)
}

async fn run(arguments: Arguments) -> Result<ExitCode, Error> {
    // Everything that can be refused is checked before the first request.
    let conditions = arguments
        .conditions
        .as_deref()
        .map(parse_conditions)
        .transpose()?;
    let columns = match (&arguments.columns, arguments.format) {
        (Some(text), FormatFlag::Csv) => parse_columns(text)?,
        (Some(_), FormatFlag::Jsonl) => {
            return Err(Error::InvalidOptions(
                "--columns only applies to --format csv".to_owned(),
            ));
        }
        (None, _) => DEFAULT_COLUMNS.iter().map(|c| (*c).to_owned()).collect(),
    };
    let appending =
        arguments.after_id.is_some() && arguments.output.as_ref().is_some_and(|path| path.exists());
    let format = match arguments.format {
        FormatFlag::Jsonl => Format::JsonLines,
        FormatFlag::Csv => Format::Csv {
            columns,
            header: !appending,
        },
    };

    let target = ManageTarget::from_env().await?;
    eprintln!("{}", target.banner());

    let mut out: Box<dyn Write> = match &arguments.output {
        Some(path) => {
            if appending {
                let removed = trim_partial_line(path)?;
                if removed > 0 {
                    eprintln!(
                        "Removed an incomplete last line ({removed} bytes) from {}.",
                        path.display()
                    );
                }
            }
            let file = OpenOptions::new()
                .write(true)
                .create(true)
                .append(appending)
                .truncate(!appending)
                .open(path)
                .map_err(|source| Error::Read {
                    path: path.clone(),
                    source,
                })?;
            Box::new(BufWriter::new(file))
        }
        None => Box::new(BufWriter::new(std::io::stdout().lock())),
    };
    let bar = if std::io::stderr().is_terminal() {
        let bar = ProgressBar::new(0);
        if let Ok(style) = ProgressStyle::with_template(
            "{bar:40} {pos}/{len} tickets, {per_sec}, about {eta} left",
        ) {
            bar.set_style(style);
        }
        bar
    } else {
        ProgressBar::hidden()
    };
    let mut progress = Bar {
        bar,
        written: 0,
        last_id: None,
    };

    let options = ExportOptions {
        conditions,
        format,
        forward_only: arguments.forward_only,
        after_id: arguments.after_id,
        page_size: arguments.page_size,
    };
    let outcome = export_tickets::run(target.client(), &options, &mut out, &mut progress).await;
    progress.bar.finish_and_clear();
    let report = outcome.inspect_err(|_| {
        if let Some(id) = progress.last_id {
            eprintln!(
                "{} ticket(s) were written before the error, the last with id {id}: continue \
                 with --after-id {id}.",
                progress.written
            );
        }
    })?;
    out.flush().map_err(Error::Write)?;
    eprintln!("{report}");
    Ok(ExitCode::SUCCESS)
}
