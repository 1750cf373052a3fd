//! `sandbox`: a local ConnectWise Manage and ScreenConnect server (the `msp-sandbox` crate) on
//! `127.0.0.1`, until Ctrl-C.
//!
//! ```sh
//! cargo install --path examples --bin sandbox
//! sandbox --state sandbox.json                       # free ports, state kept in the file
//! sandbox --manage-port 8080 --screenconnect-port 8081 --tickets 1000000
//! sandbox --server-errors 0.05 --drop-after-write 0.02 --rate-limit 60/60
//! ```
//!
//! It prints the `CW_*` and `SC_*` values to export (the recipes then run against it as against
//! a real tenant) and a curl line. With `--state FILE` every change is written to the file
//! atomically as it happens and read back on the next start, so running a recipe twice shows
//! from the command line that the second run changes nothing, across restarts too. A state
//! file keeps the seed it was made with: the seed flags only apply to a new file.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, ValueEnum};
use msp_sandbox::faults::{Accounting, FaultOptions, Latency, RateLimit, RetryAfterForm};
use msp_sandbox::manage::CODEBASE;
use msp_sandbox::{Sandbox, SandboxOptions, SeedOptions};

/// A local ConnectWise Manage and ScreenConnect server with seeded data and optional faults.
#[derive(Debug, Parser)]
#[command(name = "sandbox", version)]
struct Arguments {
    /// The Manage server's port (0: a free one).
    #[arg(long, default_value_t = 0)]
    manage_port: u16,
    /// The ScreenConnect server's port (0: a free one).
    #[arg(long, default_value_t = 0)]
    screenconnect_port: u16,
    /// Keep the state in this file (written atomically after every change, read at start).
    #[arg(long, value_name = "FILE")]
    state: Option<PathBuf>,

    /// The seed of the generated data.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Generated client companies besides the sample ones.
    #[arg(long, default_value_t = 0)]
    companies: u32,
    /// Contacts of each generated company.
    #[arg(long, default_value_t = 2)]
    contacts_per_company: u32,
    /// Configurations (machines, sessions) of each generated company.
    #[arg(long, default_value_t = 3)]
    configurations_per_company: u32,
    /// Generated tickets besides the sample ones (rendered on demand; millions are fine).
    #[arg(long, default_value_t = 0)]
    tickets: u64,
    /// Notes of each generated ticket.
    #[arg(long, default_value_t = 1)]
    notes_per_ticket: u32,

    /// The seed of the fault draws.
    #[arg(long, default_value_t = 1)]
    fault_seed: u64,
    /// The share of requests answered 500, 502 or 503 (0 to 1).
    #[arg(long, default_value_t = 0.0, value_name = "SHARE")]
    server_errors: f64,
    /// The share of connections dropped before the request is processed.
    #[arg(long, default_value_t = 0.0, value_name = "SHARE")]
    drop_before: f64,
    /// The share of processed writes whose connection is dropped instead of answered.
    #[arg(long, default_value_t = 0.0, value_name = "SHARE")]
    drop_after_write: f64,
    /// The share of responses whose body is cut short.
    #[arg(long, default_value_t = 0.0, value_name = "SHARE")]
    truncate: f64,
    /// Latency added to every request, in milliseconds: `MS` or `MIN-MAX`.
    #[arg(long, value_name = "MS[-MS]", value_parser = parse_latency)]
    latency: Option<Latency>,
    /// A rate limit per client key: `REQUESTS/SECONDS`, counted as a sliding window or a token
    /// bucket (see --accounting).
    #[arg(long, value_name = "N/SECONDS", value_parser = parse_rate)]
    rate_limit: Option<(u32, u64)>,
    /// How the rate limit counts.
    #[arg(long, value_enum, default_value_t = AccountingFlag::SlidingWindow)]
    accounting: AccountingFlag,
    /// How `Retry-After` is written on a 429.
    #[arg(long, value_enum, default_value_t = RetryAfterFlag::Seconds)]
    retry_after: RetryAfterFlag,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum AccountingFlag {
    /// At most N requests in any window of SECONDS.
    SlidingWindow,
    /// A bucket of N tokens refilled over SECONDS.
    TokenBucket,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum RetryAfterFlag {
    /// Whole seconds.
    Seconds,
    /// An HTTP date.
    HttpDate,
}

fn parse_latency(text: &str) -> Result<Latency, String> {
    let number = |part: &str| {
        part.trim()
            .parse::<u64>()
            .map(Duration::from_millis)
            .map_err(|_| format!("{part:?} is not a whole number of milliseconds"))
    };
    let (min, max) = match text.split_once('-') {
        Some((min, max)) => (number(min)?, number(max)?),
        None => (number(text)?, number(text)?),
    };
    if max < min {
        return Err("the maximum latency is below the minimum".to_owned());
    }
    Ok(Latency { min, max })
}

fn parse_rate(text: &str) -> Result<(u32, u64), String> {
    let (requests, seconds) = text
        .split_once('/')
        .ok_or_else(|| format!("{text:?} is not REQUESTS/SECONDS"))?;
    let requests: u32 = requests
        .trim()
        .parse()
        .map_err(|_| format!("{requests:?} is not a count"))?;
    let seconds: u64 = seconds
        .trim()
        .parse()
        .map_err(|_| format!("{seconds:?} is not seconds"))?;
    if requests == 0 || seconds == 0 {
        return Err("the rate limit needs at least one request per second or more".to_owned());
    }
    Ok((requests, seconds))
}

fn share(name: &str, value: f64) -> Result<f64, String> {
    if (0.0..=1.0).contains(&value) {
        Ok(value)
    } else {
        Err(format!("--{name} is a share between 0 and 1, not {value}"))
    }
}

impl Arguments {
    fn options(&self) -> Result<SandboxOptions, String> {
        let rate_limit = self.rate_limit.map(|(requests, seconds)| RateLimit {
            accounting: match self.accounting {
                AccountingFlag::SlidingWindow => Accounting::SlidingWindow {
                    limit: requests,
                    window: Duration::from_secs(seconds),
                },
                AccountingFlag::TokenBucket => Accounting::TokenBucket {
                    capacity: requests,
                    per_second: f64::from(requests) / seconds as f64,
                },
            },
            retry_after: match self.retry_after {
                RetryAfterFlag::Seconds => RetryAfterForm::Seconds,
                RetryAfterFlag::HttpDate => RetryAfterForm::HttpDate,
            },
        });
        Ok(SandboxOptions {
            seed: SeedOptions {
                seed: self.seed,
                companies: self.companies,
                contacts_per_company: self.contacts_per_company,
                configurations_per_company: self.configurations_per_company,
                tickets: self.tickets,
                notes_per_ticket: self.notes_per_ticket,
            },
            faults: FaultOptions {
                seed: self.fault_seed,
                rate_limit,
                server_errors: share("server-errors", self.server_errors)?,
                drop_before: share("drop-before", self.drop_before)?,
                drop_after_write: share("drop-after-write", self.drop_after_write)?,
                truncate: share("truncate", self.truncate)?,
                latency: self.latency,
                ..FaultOptions::default()
            },
            manage_port: self.manage_port,
            screenconnect_port: self.screenconnect_port,
            state_file: self.state.clone(),
        })
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let arguments = Arguments::parse();
    let options = match arguments.options() {
        Ok(options) => options,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(64);
        }
    };
    let sandbox = match Sandbox::start(options).await {
        Ok(sandbox) => sandbox,
        Err(error) => {
            eprintln!("error: the sandbox could not start: {error}");
            return ExitCode::FAILURE;
        }
    };
    print!("{}", connection_text(&sandbox, arguments.state.as_deref()));
    // Output goes to pipes in tests: make sure the exports are out before waiting.
    use std::io::Write as _;
    let _ = std::io::stdout().flush();
    match tokio::signal::ctrl_c().await {
        Ok(()) => {
            println!("Stopped.");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: cannot wait for Ctrl-C: {error}");
            ExitCode::FAILURE
        }
    }
}

/// What the binary prints at start: where both servers are, the variables to export, a curl
/// line.
fn connection_text(sandbox: &Sandbox, state: Option<&std::path::Path>) -> String {
    let manage = &sandbox.manage;
    let credentials = manage.credentials();
    let screenconnect = &sandbox.screenconnect;
    let mut text = String::new();
    text.push_str(&format!(
        "ConnectWise Manage sandbox at {}\n",
        manage.site()
    ));
    text.push_str(&format!(
        "ScreenConnect sandbox at {}\n",
        screenconnect.instance()
    ));
    if let Some(state) = state {
        text.push_str(&format!("State kept in {}\n", state.display()));
    }
    text.push_str("\n# To run the recipes against it:\n");
    for (name, value) in [
        ("CW_SITE", manage.site()),
        ("CW_COMPANY", credentials.company.to_owned()),
        ("CW_PUBLIC_KEY", credentials.public_key.to_owned()),
        ("CW_PRIVATE_KEY", credentials.private_key.to_owned()),
        ("CW_CLIENT_ID", credentials.client_id.to_owned()),
        ("SC_INSTANCE", screenconnect.instance()),
        ("SC_SECRET", screenconnect.secret().to_owned()),
    ] {
        text.push_str(&format!("export {name}={value}\n"));
    }
    text.push_str(&format!(
        "\n# A first request:\ncurl -u '{}+{}:{}' -H 'clientId: {}' '{}/{CODEBASE}/apis/3.0/service/tickets?pageSize=5'\n",
        credentials.company,
        credentials.public_key,
        credentials.private_key,
        credentials.client_id,
        manage.site(),
    ));
    text.push_str("\nPress Ctrl-C to stop.\n");
    text
}
