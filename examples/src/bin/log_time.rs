//! `log_time`: after a runbook resolved a ticket, log the time it spent as a time entry and close
//! the ticket. See `examples::recipes::log_time`.
//!
//! ```sh
//! cargo run -p examples --bin log_time                   # dry run on the embedded sandbox
//! cargo run -p examples --bin log_time -- --ticket 1234 --member automation \
//!     --started 2026-05-14T14:30:00Z --ended 2026-05-14T14:31:00Z \
//!     --work-type "Remote Support" --notes "Password reset by runbook; user confirmed access." \
//!     --apply
//! ```
//!
//! Environment: `CW_SITE`, `CW_COMPANY`, `CW_PUBLIC_KEY`, `CW_PRIVATE_KEY`, `CW_CLIENT_ID` (and
//! optionally `CW_API_VERSION`) select a real tenant; with none of them set the recipe runs on the
//! embedded sandbox, and says so on the first line of stderr. On the sandbox, `--ticket`, `--member`,
//! `--minutes`, `--work-type` and `--notes` default to sample values.
//!
//! Dry run by default: nothing is written without `--apply`. An entry already logged for the
//! same ticket, member and start is not logged again, so a retried runbook does not bill twice.

use std::process::ExitCode;

use clap::Parser;
use connectwise_manage::models::{BillableOption, datetime};
use examples::Error;
use examples::error::exit_code;
use examples::recipes::log_time::{self, LogTimeOptions, WorkType};
use examples::target::ManageTarget;
use time::{Duration, OffsetDateTime};

/// Log the time a runbook spent on a ticket as a time entry, then close the ticket.
///
/// Give --started and --ended, or one of them (--ended defaults to now) and --minutes.
/// Runs on the embedded sandbox unless CW_SITE, CW_COMPANY, CW_PUBLIC_KEY, CW_PRIVATE_KEY and
/// CW_CLIENT_ID are set; there, missing values take sample ones.
#[derive(Debug, Parser)]
#[command(name = "log_time", version)]
struct Arguments {
    /// The service ticket.
    #[arg(long, value_name = "ID")]
    ticket: Option<i32>,
    /// Whose time it is (e.g. the automation's API member).
    #[arg(long, value_name = "IDENTIFIER", allow_hyphen_values = true)]
    member: Option<String>,
    /// The start, an RFC 3339 time such as 2026-05-14T14:30:00Z.
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    started: Option<OffsetDateTime>,
    /// The end, an RFC 3339 time (default: now).
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    ended: Option<OffsetDateTime>,
    /// The length, when --started or --ended is missing.
    #[arg(long, value_name = "N", value_parser = parse_minutes)]
    minutes: Option<i64>,
    /// The work type, by name or id (default: the member's default).
    #[arg(long, value_name = "NAME|ID")]
    work_type: Option<String>,
    /// Billable, DoNotBill, NoCharge or NoDefault.
    #[arg(long, value_name = "OPTION", value_parser = parse_billable, default_value = "Billable")]
    billable: BillableOption,
    /// What was done.
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
    notes: Option<String>,
    /// The status to close with (default: the board's first closed status).
    #[arg(long, value_name = "NAME", allow_hyphen_values = true)]
    status: Option<String>,
    /// Log the time but leave the ticket open.
    #[arg(long)]
    keep_open: bool,
    /// Write (default: dry run).
    #[arg(long)]
    apply: bool,
}

#[tokio::main]
async fn main() -> ExitCode {
    exit_code(run(Arguments::parse()).await)
}

async fn run(arguments: Arguments) -> Result<ExitCode, Error> {
    let target = ManageTarget::from_env().await?;
    eprintln!("{}", target.banner());
    // On the sandbox, missing values take sample ones; a real tenant needs them all.
    let sample = target.is_sandbox();
    let or_sample = |value: Option<String>, name: &'static str, example: &str| {
        value
            .or_else(|| sample.then(|| example.to_owned()))
            .ok_or(Error::Required(name))
    };
    let ticket = match arguments.ticket {
        Some(ticket) => ticket,
        None if sample => 1001,
        None => return Err(Error::Required("--ticket")),
    };
    let member = or_sample(arguments.member, "--member", "automation")?;
    let notes = or_sample(
        arguments.notes,
        "--notes",
        "Password reset by the self-service runbook; the user confirmed they can sign in.",
    )?;
    let work_type = arguments
        .work_type
        .map(|value| WorkType::parse(&value))
        .or_else(|| sample.then(|| WorkType::Name("Automation".to_owned())));
    let minutes = arguments
        .minutes
        .or_else(|| sample.then_some(5))
        .map(Duration::minutes);
    let now = OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .unwrap_or(OffsetDateTime::now_utc());
    let (started, ended) = match (arguments.started, arguments.ended, minutes) {
        (Some(started), Some(ended), _) => (started, ended),
        (Some(started), None, Some(length)) => (started, started + length),
        (None, ended, Some(length)) => {
            let ended = ended.unwrap_or(now);
            (ended - length, ended)
        }
        (Some(_), None, None) | (None, _, None) => {
            return Err(Error::Required("--minutes (or both --started and --ended)"));
        }
    };

    let options = LogTimeOptions {
        ticket_id: ticket,
        member,
        started,
        ended,
        work_type,
        billable: arguments.billable,
        notes,
        close: !arguments.keep_open,
        closed_status: arguments.status,
        apply: arguments.apply,
    };
    let report = log_time::run(target.client(), &options).await?;
    println!("{report}");
    Ok(ExitCode::SUCCESS)
}

fn parse_time(text: &str) -> Result<OffsetDateTime, String> {
    datetime::parse(text).map_err(|e| e.to_string())
}

fn parse_minutes(text: &str) -> Result<i64, String> {
    match text.parse::<i64>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err("expected a whole number of minutes above zero".to_owned()),
    }
}

fn parse_billable(text: &str) -> Result<BillableOption, String> {
    let option = BillableOption::from(text);
    if option.is_known() {
        Ok(option)
    } else {
        Err("expected Billable, DoNotBill, NoCharge or NoDefault".to_owned())
    }
}
