//! The sample run: what `triage` does with no arguments on a sandbox. It starts the receiver on a
//! free loopback port, registers its callback, creates the sample ticket ("Outlook keeps
//! crashing", from Sarah Johnson at Acme), waits for the sandbox's callback about it and returns
//! what the triage did.
//!
//! The callback registration and the sample ticket are written to the sandbox (they are the
//! demonstration's setup, on a server that lives as long as the run); the triage's own writes
//! follow [`TriageOptions::apply`](super::TriageOptions::apply) as everywhere else.

use std::time::Duration;

use connectwise_manage::Client;
use serde_json::{Value, json};

use super::receiver::{Handled, Receiver, callback_url, register, verifier_for};
use super::{TicketOutcome, Triage};
use crate::error::Error;

/// The sample ticket's summary.
pub const SAMPLE_SUMMARY: &str = "Outlook keeps crashing";

/// How long the sample run waits for the callback.
pub const CALLBACK_WAIT: Duration = Duration::from_secs(30);

/// What the sample run did.
#[derive(Debug)]
pub struct SampleRun {
    /// The callback entry's id and URL.
    pub callback: (i32, String),
    /// The sample ticket's id.
    pub ticket: i32,
    /// What the triage did with it.
    pub outcome: TicketOutcome,
}

/// Runs the sample; see the [module docs](self).
///
/// # Errors
/// [`Error::Api`] when the registration or the ticket cannot be written; [`Error::Setup`]
/// when no callback arrives within [`CALLBACK_WAIT`]; the triage's own errors.
pub async fn run(triage: Triage) -> Result<SampleRun, Error> {
    let client: Client = triage.client().clone();
    let verifier = verifier_for(&client)?;
    let board = triage.board_id();
    let (receiver, mut handled) = Receiver::new(triage, verifier);
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
        .await
        .map_err(|e| Error::Setup(format!("cannot listen on 127.0.0.1: {e}")))?;
    let address = listener
        .local_addr()
        .map_err(|e| Error::Setup(format!("cannot listen on 127.0.0.1: {e}")))?;
    let router = receiver.router();
    let server = tokio::spawn(async move { axum::serve(listener, router).await });

    let url = callback_url(address);
    let ensured = register(&client, &url, board).await?;
    let ticket: Value = client
        .endpoint::<Value>("/service/tickets")
        .create(&json!({
            "summary": SAMPLE_SUMMARY,
            "board": {"id": board},
            "company": {"identifier": "ACME"},
            "contact": {"id": 1042},
            "initialDescription": "Outlook closes every time I open an attachment.",
        }))
        .await?;
    let id = ticket["id"]
        .as_i64()
        .and_then(|id| i32::try_from(id).ok())
        .ok_or_else(|| Error::Setup("the sandbox created a ticket without an id".to_owned()))?;
    let outcome = tokio::time::timeout(CALLBACK_WAIT, async {
        while let Some(Handled { ticket, outcome }) = handled.recv().await {
            if ticket == id {
                return Some(outcome);
            }
        }
        None
    })
    .await;
    server.abort();
    let outcome = match outcome {
        Ok(Some(outcome)) => outcome?,
        Ok(None) | Err(_) => {
            return Err(Error::Setup(format!(
                "no callback for ticket #{id} arrived at {url} within {} s",
                CALLBACK_WAIT.as_secs()
            )));
        }
    };
    Ok(SampleRun {
        callback: (ensured.entry.id.unwrap_or_default(), url),
        ticket: id,
        outcome,
    })
}
