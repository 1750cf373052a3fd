//! `sync_configurations`: create Manage configurations for the devices of an RMM export that do
//! not have one yet. See `examples::recipes::sync_configurations` for the file format.
//!
//! ```sh
//! cargo run -p examples --bin sync_configurations              # sample file, sandbox, dry run
//! cargo run -p examples --bin sync_configurations -- --apply   # create (twice: creates nothing)
//! cargo run -p examples --bin sync_configurations -- --file rmm-devices.json --apply
//! ```
//!
//! Environment: `CW_SITE`, `CW_COMPANY`, `CW_PUBLIC_KEY`, `CW_PRIVATE_KEY`, `CW_CLIENT_ID` (and
//! optionally `CW_API_VERSION`) select a real tenant; with none of them set the recipe runs on the
//! embedded sandbox, and says so on its first line. On the sandbox `--file` defaults to
//! `examples/data/devices.json`; a real tenant needs it.
//!
//! Dry run by default: nothing is written without `--apply`. Idempotent: existing configurations
//! (same company and name) are never created again. Exits with status 2 when devices were skipped
//! (unknown company or type), so a scheduled run shows up as failed.

use std::path::PathBuf;
use std::process::ExitCode;

use examples::Error;
use examples::cli::{self, Args, CliError};
use examples::recipes::sync_configurations::{self, SyncOptions, load_devices};
use examples::target::ManageTarget;

const HELP: &str = "\
Create configurations for the RMM devices Manage does not have yet.

Usage: sync_configurations --file PATH [--vendor-notes TEXT] [--apply]

  --file PATH           the device list (JSON); on the sandbox: examples/data/devices.json
  --vendor-notes TEXT   written to every configuration created
  --apply               create (default: dry run)

Runs on the embedded sandbox unless CW_SITE, CW_COMPANY, CW_PUBLIC_KEY, CW_PRIVATE_KEY and
CW_CLIENT_ID are set. Exits with 2 when devices were skipped.";

/// The sample device list shipped with the examples.
const SAMPLE_FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/devices.json");

#[tokio::main]
async fn main() -> ExitCode {
    cli::exit_code(run().await)
}

async fn run() -> Result<ExitCode, Error> {
    let Some(mut args) = Args::from_env_or_help(HELP) else {
        return Ok(ExitCode::SUCCESS);
    };
    let file = args.value("--file")?.map(PathBuf::from);
    let mut options = SyncOptions::default();
    if let Some(notes) = args.value("--vendor-notes")? {
        options.vendor_notes = notes;
    }
    options.apply = args.flag("--apply")?;
    args.finish()?;

    let target = ManageTarget::from_env().await?;
    println!("{}", target.banner());
    let file = match file {
        Some(file) => file,
        None if target.is_sandbox() => PathBuf::from(SAMPLE_FILE),
        None => return Err(CliError::Required("--file".to_owned()).into()),
    };
    let devices = load_devices(&file)?;
    println!("{} device(s) in {}.", devices.len(), file.display());
    let report = sync_configurations::run(target.client(), &devices, &options).await?;
    println!("{report}");
    Ok(if report.skipped.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}
