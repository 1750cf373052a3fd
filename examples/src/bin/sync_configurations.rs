//! `sync_configurations`: create Manage configurations for the devices of an RMM export that do
//! not have one yet. See `examples::recipes::sync_configurations` for the file format.
//!
//! ```sh
//! cargo run -p examples --bin sync_configurations              # sample file, sandbox, dry run
//! cargo run -p examples --bin sync_configurations -- --apply   # create (twice: creates nothing)
//! cargo run -p examples --bin sync_configurations -- --file rmm-devices.json --apply
//! cargo run -p examples --bin sync_configurations -- --from-screenconnect --mapping companies.json
//! ```
//!
//! `--from-screenconnect` reads the devices from ScreenConnect's access sessions instead
//! (`SC_INSTANCE` and `SC_SECRET`; the ScreenConnect sandbox when neither is set): the company
//! comes from `--company-property N` (default 1), mapped to a Manage company by the `--mapping`
//! file, then by identifier, then by name.
//!
//! Environment: `CW_SITE`, `CW_COMPANY`, `CW_PUBLIC_KEY`, `CW_PRIVATE_KEY`, `CW_CLIENT_ID` (and
//! optionally `CW_API_VERSION`) select a real tenant; with none of them set the recipe runs on the
//! embedded sandbox, and says so on the first line of stderr. On the sandbox `--file` defaults to
//! `examples/data/devices.json`; a real tenant needs it.
//!
//! Dry run by default: nothing is written without `--apply`. Idempotent: existing configurations
//! (same company and name) are never created again. Exits with status 2 when devices were skipped
//! (unknown company or type), so a scheduled run shows up as failed.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use examples::Error;
use examples::error::exit_code;
use examples::recipes::sync_configurations::{
    self, SessionSource, SyncOptions, devices_from_sessions, load_devices, load_mapping,
};
use examples::target::{ManageTarget, ScreenConnectTarget};

/// Create configurations for the RMM devices Manage does not have yet.
///
/// Runs on the embedded sandbox unless CW_SITE, CW_COMPANY, CW_PUBLIC_KEY, CW_PRIVATE_KEY and
/// CW_CLIENT_ID are set. Exits with 2 when devices were skipped.
#[derive(Debug, Parser)]
#[command(name = "sync_configurations", version)]
struct Arguments {
    /// The device list (JSON); on the sandbox: examples/data/devices.json.
    #[arg(long, value_name = "PATH", conflicts_with = "from_screenconnect")]
    file: Option<PathBuf>,
    /// Read the devices from ScreenConnect's access sessions.
    #[arg(long)]
    from_screenconnect: bool,
    /// The session custom property (1 to 8) holding the company.
    #[arg(
        long,
        value_name = "N",
        default_value_t = 1,
        requires = "from_screenconnect"
    )]
    company_property: usize,
    /// A JSON object mapping property values to Manage company identifiers.
    #[arg(long, value_name = "PATH", requires = "from_screenconnect")]
    mapping: Option<PathBuf>,
    /// Written to every configuration created.
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
    vendor_notes: Option<String>,
    /// Create (default: dry run).
    #[arg(long)]
    apply: bool,
}

/// The sample device list shipped with the examples.
const SAMPLE_FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/devices.json");

#[tokio::main]
async fn main() -> ExitCode {
    exit_code(run(Arguments::parse()).await)
}

async fn run(arguments: Arguments) -> Result<ExitCode, Error> {
    let mut options = SyncOptions::default();
    if let Some(notes) = arguments.vendor_notes {
        options.vendor_notes = notes;
    }
    options.apply = arguments.apply;

    let target = ManageTarget::from_env().await?;
    eprintln!("{}", target.banner());
    if arguments.from_screenconnect {
        let source = SessionSource {
            company_property: arguments.company_property,
            mapping: match &arguments.mapping {
                Some(path) => load_mapping(path)?,
                None => Default::default(),
            },
        };
        let screenconnect = ScreenConnectTarget::from_env().await?;
        eprintln!("{}", screenconnect.banner());
        let (devices, left_out) =
            devices_from_sessions(target.client(), screenconnect.client(), &source).await?;
        println!(
            "{} device(s) from ScreenConnect's access sessions.",
            devices.len()
        );
        let mut report = sync_configurations::run(target.client(), &devices, &options).await?;
        report.skipped.extend(left_out);
        println!("{report}");
        return Ok(if report.skipped.is_empty() {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(2)
        });
    }
    let file = match arguments.file {
        Some(file) => file,
        None if target.is_sandbox() => PathBuf::from(SAMPLE_FILE),
        None => return Err(Error::Required("--file")),
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
