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
//! embedded sandbox, and says so on its first line. On the sandbox, `--ticket`, `--member`,
//! `--minutes`, `--work-type` and `--notes` default to sample values.
//!
//! Dry run by default: nothing is written without `--apply`. An entry already logged for the
//! same ticket, member and start is not logged again, so a retried runbook does not bill twice.

use std::process::ExitCode;

use connectwise_manage::models::{BillableOption, datetime};
use examples::Error;
use examples::cli::{self, Args, CliError};
use examples::recipes::log_time::{self, LogTimeOptions, WorkType};
use examples::target::ManageTarget;
use time::{Duration, OffsetDateTime};

const HELP: &str = "\
Log the time a runbook spent on a ticket as a time entry, then close the ticket.

Usage: log_time --ticket ID --member IDENTIFIER --notes TEXT
                (--started TIME [--ended TIME] | [--ended TIME] --minutes N)
                [--work-type NAME|ID] [--billable OPTION] [--status NAME] [--keep-open] [--apply]

  --ticket ID            the service ticket
  --member IDENTIFIER    whose time it is (e.g. the automation's API member)
  --started, --ended     RFC 3339 times such as 2026-05-14T14:30:00Z (--ended defaults to now)
  --minutes N            the length, when --started or --ended is missing
  --work-type NAME|ID    the work type (default: the member's default)
  --billable OPTION      Billable, DoNotBill, NoCharge or NoDefault (default: Billable)
  --notes TEXT           what was done
  --status NAME          the status to close with (default: the board's first closed status)
  --keep-open            log the time but leave the ticket open
  --apply                write (default: dry run)

Runs on the embedded sandbox unless CW_SITE, CW_COMPANY, CW_PUBLIC_KEY, CW_PRIVATE_KEY and
CW_CLIENT_ID are set.";

#[tokio::main]
async fn main() -> ExitCode {
    cli::exit_code(run().await)
}

async fn run() -> Result<ExitCode, Error> {
    let Some(mut args) = Args::from_env_or_help(HELP) else {
        return Ok(ExitCode::SUCCESS);
    };
    let ticket = args.parsed("--ticket", |v| v.parse::<i32>().map_err(|e| e.to_string()))?;
    let member = args.value("--member")?;
    let started = args.parsed("--started", parse_time)?;
    let ended = args.parsed("--ended", parse_time)?;
    let minutes = args.parsed("--minutes", |v| match v.parse::<i64>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err("expected a whole number of minutes above zero".to_owned()),
    })?;
    let work_type = args.value("--work-type")?.map(|v| WorkType::parse(&v));
    let billable = args
        .parsed("--billable", |v| {
            let option = BillableOption::from(v);
            if option.is_known() {
                Ok(option)
            } else {
                Err("expected Billable, DoNotBill, NoCharge or NoDefault".to_owned())
            }
        })?
        .unwrap_or(BillableOption::Billable);
    let notes = args.value("--notes")?;
    let closed_status = args.value("--status")?;
    let keep_open = args.flag("--keep-open")?;
    let apply = args.flag("--apply")?;
    args.finish()?;

    let target = ManageTarget::from_env().await?;
    println!("{}", target.banner());
    // On the sandbox, missing values take sample ones; a real tenant needs them all.
    let sample = target.is_sandbox();
    let or_sample = |value: Option<String>, name: &str, example: &str| {
        value
            .or_else(|| sample.then(|| example.to_owned()))
            .ok_or_else(|| CliError::Required(name.to_owned()))
    };
    let ticket = match ticket {
        Some(ticket) => ticket,
        None if sample => 1001,
        None => return Err(CliError::Required("--ticket".to_owned()).into()),
    };
    let member = or_sample(member, "--member", "automation")?;
    let notes = or_sample(
        notes,
        "--notes",
        "Password reset by the self-service runbook; the user confirmed they can sign in.",
    )?;
    let work_type = work_type.or_else(|| sample.then(|| WorkType::Name("Automation".to_owned())));
    let minutes = minutes
        .or_else(|| sample.then_some(5))
        .map(Duration::minutes);
    let now = OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .unwrap_or(OffsetDateTime::now_utc());
    let (started, ended) = match (started, ended, minutes) {
        (Some(started), Some(ended), _) => (started, ended),
        (Some(started), None, Some(length)) => (started, started + length),
        (None, ended, Some(length)) => {
            let ended = ended.unwrap_or(now);
            (ended - length, ended)
        }
        (Some(_), None, None) | (None, _, None) => {
            return Err(
                CliError::Required("--minutes (or both --started and --ended)".to_owned()).into(),
            );
        }
    };

    let options = LogTimeOptions {
        ticket_id: ticket,
        member,
        started,
        ended,
        work_type,
        billable,
        notes,
        close: !keep_open,
        closed_status,
        apply,
    };
    let report = log_time::run(target.client(), &options).await?;
    println!("{report}");
    Ok(ExitCode::SUCCESS)
}

fn parse_time(text: &str) -> Result<OffsetDateTime, String> {
    datetime::parse(text).map_err(|e| e.to_string())
}
