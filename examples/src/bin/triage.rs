//! `triage`: triage tickets as they arrive through callbacks, or a board's new tickets in a batch.
//! See `examples::recipes::triage` for what it reads and writes.
//!
//! ```sh
//! cargo run -p examples --bin triage                      # sandbox: the sample run (below)
//! cargo run -p examples --bin triage -- --apply           # the same, writing the triage
//! cargo run -p examples --bin triage -- --serve           # receive callbacks on 127.0.0.1:8787
//! cargo run -p examples --bin triage -- --board "Help Desk" --status New --apply   # batch
//! cargo run -p examples --bin triage -- --ticket 1005     # one ticket
//! ```
//!
//! With no arguments on the sandbox it runs the sample: it registers its callback, creates the
//! ticket "Outlook keeps crashing", receives the sandbox's callback, prints the note and the
//! changes, and exits. The registration and the sample ticket are the demonstration's setup on a
//! sandbox that lives as long as the run; the triage itself writes nothing without `--apply`. On
//! a real tenant there is no sample: give `--serve`, `--board` or `--ticket`.
//!
//! `--serve [ADDR]` listens until Ctrl-C and registers the board's ticket callback with
//! `ensure_callback` (idempotent: nothing is sent when it is already registered). Manage must
//! reach the receiver: behind a proxy or tunnel, give the public URL with `--callback-url`.
//!
//! Environment: `CW_SITE`, `CW_COMPANY`, `CW_PUBLIC_KEY`, `CW_PRIVATE_KEY`, `CW_CLIENT_ID` select
//! a real tenant, `SC_INSTANCE` and `SC_SECRET` a ScreenConnect instance for the device's status.
//! With none of the `CW_*` set the recipe runs on sandboxes started in the process, and says so
//! on stderr. Setting only some of them is an error.

use std::net::SocketAddr;
use std::process::ExitCode;

use clap::Parser;
use connectwise_manage::sandbox::API_MEMBER_IDENTIFIER;
use examples::Error;
use examples::error::exit_code;
use examples::recipes::triage::receiver::{Receiver, callback_url, register, verifier_for};
use examples::recipes::triage::{TicketOutcome, Triage, TriageAction, TriageOptions, demo};
use examples::target::{ManageTarget, SCREENCONNECT_VARIABLES, ScreenConnectTarget};

/// Triage tickets as they arrive (callbacks), or a board's new tickets in a batch: context,
/// classification, an internal note, type, priority and board, and the automation's time.
///
/// Runs on sandboxes started in the process unless CW_SITE, CW_COMPANY, CW_PUBLIC_KEY,
/// CW_PRIVATE_KEY and CW_CLIENT_ID are set. Without --serve, --board or --ticket: on the sandbox
/// the sample run, on a tenant an error.
#[derive(Debug, Parser)]
#[command(name = "triage", version)]
struct Arguments {
    /// Receive callbacks on ADDR until Ctrl-C, registering the callback first.
    #[arg(
        long,
        value_name = "ADDR",
        num_args = 0..=1,
        default_missing_value = "127.0.0.1:8787",
        conflicts_with = "ticket"
    )]
    serve: Option<SocketAddr>,
    /// The URL Manage posts to, when it is not http://ADDR/callbacks/ticket?recordId= (a proxy
    /// or tunnel in front of the receiver).
    #[arg(long, value_name = "URL", requires = "serve")]
    callback_url: Option<String>,
    /// Triage this ticket (re-read through the API) and exit.
    #[arg(long, value_name = "ID")]
    ticket: Option<i32>,
    /// The service board new tickets arrive on; alone, triages its new tickets in a batch.
    #[arg(long, value_name = "NAME")]
    board: Option<String>,
    /// A status that counts as new; repeat for several (default: New).
    #[arg(long = "status", value_name = "NAME")]
    statuses: Vec<String>,
    /// The member the automation's time is logged for (default on the sandbox: its API member;
    /// elsewhere no time entry).
    #[arg(long, value_name = "IDENTIFIER")]
    member: Option<String>,
    /// The work type of the time entry (default: the member's).
    #[arg(long, value_name = "NAME")]
    work_type: Option<String>,
    /// The company custom field holding the service tier.
    #[arg(long, value_name = "CAPTION", default_value = "Contract Tier")]
    tier_field: String,
    /// A tier whose tickets get one step more priority; repeat for several (default: Gold).
    #[arg(long = "urgent-tier", value_name = "TIER")]
    urgent_tiers: Vec<String>,
    /// Write the changes (default: dry run).
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
    // A real tenant is never paired with a ScreenConnect sandbox: without SC_* there is none.
    let screenconnect = if target.is_sandbox()
        || SCREENCONNECT_VARIABLES
            .iter()
            .any(|name| std::env::var(name).is_ok_and(|v| !v.trim().is_empty()))
    {
        let screenconnect = ScreenConnectTarget::from_env().await?;
        eprintln!("{}", screenconnect.banner());
        Some(screenconnect)
    } else {
        eprintln!("No ScreenConnect instance (set SC_INSTANCE and SC_SECRET to see devices).");
        None
    };

    let mut options = TriageOptions {
        apply: arguments.apply,
        tier_field: arguments.tier_field,
        work_type: arguments.work_type,
        member: arguments.member,
        ..TriageOptions::default()
    };
    let batch =
        arguments.board.is_some() && arguments.serve.is_none() && arguments.ticket.is_none();
    if let Some(board) = arguments.board {
        options.board = board;
    }
    if !arguments.statuses.is_empty() {
        options.statuses = arguments.statuses;
    }
    if !arguments.urgent_tiers.is_empty() {
        options.urgent_tiers = arguments.urgent_tiers;
    }
    if options.member.is_none() && target.is_sandbox() {
        options.member = Some(API_MEMBER_IDENTIFIER.to_owned());
    }
    let triage = Triage::new(
        target.client(),
        screenconnect.as_ref().map(ScreenConnectTarget::client),
        &options,
    )
    .await?;

    if let Some(address) = arguments.serve {
        return serve(triage, address, arguments.callback_url).await;
    }
    if let Some(id) = arguments.ticket {
        let outcome = triage.ticket(id).await?;
        if outcome.action == TriageAction::Missing {
            return Err(Error::NotFound {
                what: "ticket",
                name: id.to_string(),
                hint: "; check the id given with --ticket".to_owned(),
            });
        }
        print_outcome(&outcome, options.apply);
        return Ok(ExitCode::SUCCESS);
    }
    if batch {
        println!("{}", triage.board().await?);
        return Ok(ExitCode::SUCCESS);
    }
    if !target.is_sandbox() {
        return Err(Error::Required("--serve, --board or --ticket"));
    }
    let sample = demo::run(triage).await?;
    println!(
        "Registered callback {} for {}.",
        sample.callback.0, sample.callback.1
    );
    println!(
        "Created ticket #{} {:?}; its callback arrived and was verified.",
        sample.ticket,
        demo::SAMPLE_SUMMARY
    );
    print_outcome(&sample.outcome, options.apply);
    Ok(ExitCode::SUCCESS)
}

/// The outcome, and for a triaged ticket its note and patch; then whether anything was written.
fn print_outcome(outcome: &TicketOutcome, applied: bool) {
    println!("{}", outcome.describe(applied));
    if let TriageAction::Triaged(triaged) = &outcome.action {
        println!("\nNote:\n{}\n", triaged.note);
        println!("Patch: {}", triaged.patch);
    }
    if !applied {
        println!("Dry run: nothing was written to the ticket; run with --apply to write.");
    }
}

async fn serve(
    triage: Triage,
    address: SocketAddr,
    public_url: Option<String>,
) -> Result<ExitCode, Error> {
    let listener = tokio::net::TcpListener::bind(address)
        .await
        .map_err(|e| Error::InvalidOptions(format!("--serve {address}: cannot listen: {e}")))?;
    let address = listener
        .local_addr()
        .map_err(|e| Error::InvalidOptions(format!("--serve {address}: {e}")))?;
    let url = public_url.unwrap_or_else(|| callback_url(address));
    let client = triage.client().clone();
    let applied = triage.options().apply;
    let ensured = register(&client, &url, triage.board_id()).await?;
    println!(
        "Callback {} for {url}: {:?}. Listening on {address}; Ctrl-C stops.",
        ensured.entry.id.unwrap_or_default(),
        ensured.change
    );
    let verifier = verifier_for(&client)?;
    let (receiver, mut handled) = Receiver::new(triage, verifier);
    let router = receiver.router();
    let server = tokio::spawn(async move { axum::serve(listener, router).await });
    loop {
        tokio::select! {
            _ = tokio::signal::ctrl_c() => break,
            next = handled.recv() => match next {
                Some(handled) => match handled.outcome {
                    Ok(outcome) => print_outcome(&outcome, applied),
                    Err(error) => eprintln!("error: ticket #{}: {}", handled.ticket, error.report()),
                },
                None => break,
            },
        }
    }
    server.abort();
    Ok(ExitCode::SUCCESS)
}
