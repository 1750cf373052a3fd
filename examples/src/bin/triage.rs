//! `triage`: classify new tickets on a service board by keyword rules, set their priority and
//! type, and post an internal triage note on each. See `examples::recipes::triage`.
//!
//! ```sh
//! cargo run -p examples --bin triage                     # dry run on the embedded sandbox
//! cargo run -p examples --bin triage -- --apply          # write (on the sandbox: harmless)
//! cargo run -p examples --bin triage -- --board "Service Desk" --status New --status Reopened
//! ```
//!
//! Environment: `CW_SITE`, `CW_COMPANY`, `CW_PUBLIC_KEY`, `CW_PRIVATE_KEY`, `CW_CLIENT_ID` (and
//! optionally `CW_API_VERSION`) select a real tenant; with none of them set the recipe runs on the
//! embedded sandbox, and says so on its first line. Setting only some of them is an error.
//!
//! Dry run by default: nothing is written without `--apply`. Tickets already carrying a triage
//! note are skipped, so running it again (say, every five minutes) is safe.

use std::process::ExitCode;

use examples::Error;
use examples::cli::{self, Args};
use examples::recipes::triage::{self, TriageOptions};
use examples::target::ManageTarget;

const HELP: &str = "\
Classify new tickets on a service board, set priority and type, and post an internal note.

Usage: triage [--board NAME] [--status NAME]... [--apply]

  --board NAME    the service board (default: Help Desk)
  --status NAME   a status that counts as new; repeat for several (default: New)
  --apply         write the changes (default: dry run)

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
    let mut options = TriageOptions::default();
    if let Some(board) = args.value("--board")? {
        options.board = board;
    }
    let statuses = args.values("--status")?;
    if !statuses.is_empty() {
        options.statuses = statuses;
    }
    options.apply = args.flag("--apply")?;
    args.finish()?;

    let target = ManageTarget::from_env().await?;
    println!("{}", target.banner());
    let report = triage::run(target.client(), &options).await?;
    println!("{report}");
    Ok(ExitCode::SUCCESS)
}
