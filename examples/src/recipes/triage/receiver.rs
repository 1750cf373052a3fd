//! The callback receiver: an axum route that Manage POSTs ticket callbacks to, and that hands
//! each genuine, first-seen callback to the [`Triage`].
//!
//! For every request to [`CALLBACK_PATH`]:
//!
//! 1. the signature is verified with the client crate's
//!    [`CallbackVerifier`] (the key comes from the payload's `key_url`, which must be on the
//!    tenant's site, and the payload must name the tenant's company); a request that fails is
//!    answered `401` and nothing is read;
//! 2. the verifier's [`ReplayGuard`] refuses a delivery it accepted before (a captured callback
//!    sent again verifies again): `403`. ConnectWise does not retry a `403`;
//! 3. a callback for another record type, or a deletion, is acknowledged (`200`) and ignored;
//! 4. the ticket id is queued and the request answered `202` at once, since Manage gives a
//!    receiver 5 seconds and the triage reads several records. The triage then re-reads the
//!    ticket through the API: the payload's `Entity` is never trusted.
//!
//! Callbacks repeat: Manage sends one per save, the triage's own patch is a save, and several
//! can arrive together. Each ticket is handled by one task at a time (a lock per ticket), and
//! once handled, later callbacks for it are skipped ([`TriageAction::AlreadyHandled`]); across
//! restarts the triage note does the same. The set of tickets remembered is trimmed past
//! [`REMEMBERED_TICKETS`].
//!
//! A triage that fails after the `202` (the API down, a classification that does not fit) is
//! not remembered, so the ticket's next callback tries again; since Manage does not repeat a
//! delivery it got a `2xx` for, a scheduled batch run (`triage --board …`) is the safety net.
//!
//! Every outcome is sent on the channel [`Receiver::new`] returns, for the binary to print.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use connectwise_manage::Client;
use connectwise_manage::callbacks::{
    CallbackError, CallbackVerifier, EnsuredCallback, ReplayGuard,
};
use connectwise_manage::models::CallbackEntry;
use tokio::sync::mpsc;

use super::{TicketOutcome, Triage, TriageAction};
use crate::error::Error;

/// The path the receiver listens on.
pub const CALLBACK_PATH: &str = "/callbacks/ticket";

/// How many tickets the receiver remembers as handled before it trims the idle ones.
pub const REMEMBERED_TICKETS: usize = 10_000;

/// The callback URL for a receiver listening on `address`: Manage appends the record id.
pub fn callback_url(address: SocketAddr) -> String {
    format!("http://{address}{CALLBACK_PATH}?recordId=")
}

/// A verifier for `client`'s tenant with a replay guard (the default window of a day).
///
/// # Errors
/// [`Error::Setup`] when the client's site cannot serve as the key URL policy.
pub fn verifier_for(client: &Client) -> Result<CallbackVerifier, Error> {
    let verifier = client
        .callback_verifier()
        .map_err(|e| Error::Setup(format!("cannot verify callbacks for this site: {e}")))?;
    Ok(verifier.with_replay_guard(ReplayGuard::default()))
}

/// Registers the board-level ticket callback to `url` idempotently
/// ([`Client::ensure_callback`]): created when missing, updated when its settings differ,
/// nothing sent when it is already there.
///
/// # Errors
/// [`Error::Api`] for failed calls.
pub async fn register(client: &Client, url: &str, board_id: i32) -> Result<EnsuredCallback, Error> {
    let wanted = CallbackEntry {
        url: Some(url.to_owned()),
        r#type: Some("ticket".to_owned()),
        level: Some("board".to_owned()),
        object_id: Some(board_id),
        description: Some("Ticket triage".to_owned()),
        inactive_flag: Some(false),
        ..CallbackEntry::default()
    };
    Ok(client.ensure_callback(&wanted).await?)
}

/// One callback's outcome.
#[derive(Debug)]
pub struct Handled {
    /// The ticket id.
    pub ticket: i32,
    /// What the triage did, or why it failed.
    pub outcome: Result<TicketOutcome, Error>,
}

/// The receiver's state: the triage, the verifier and the tickets in hand.
#[derive(Debug)]
pub struct Receiver {
    triage: Triage,
    verifier: CallbackVerifier,
    /// Per ticket: a lock held while it is triaged, over its summary once it has been handled.
    tickets: Mutex<HashMap<i32, Arc<tokio::sync::Mutex<Option<String>>>>>,
    handled: mpsc::UnboundedSender<Handled>,
}

impl Receiver {
    /// A receiver, and the channel its outcomes arrive on.
    pub fn new(
        triage: Triage,
        verifier: CallbackVerifier,
    ) -> (Arc<Receiver>, mpsc::UnboundedReceiver<Handled>) {
        let (sender, receiver) = mpsc::unbounded_channel();
        let this = Receiver {
            triage,
            verifier,
            tickets: Mutex::default(),
            handled: sender,
        };
        (Arc::new(this), receiver)
    }

    /// The routes: `POST` [`CALLBACK_PATH`].
    pub fn router(self: &Arc<Self>) -> Router {
        Router::new()
            .route(CALLBACK_PATH, post(receive))
            .with_state(self.clone())
    }

    /// The triage in use.
    pub fn triage(&self) -> &Triage {
        &self.triage
    }

    /// Triages ticket `id` unless this receiver handled it already; one task per ticket at a
    /// time.
    ///
    /// # Errors
    /// As [`Triage::ticket`]; a failed ticket is not remembered, so a later callback retries it.
    pub async fn handle(&self, id: i32) -> Result<TicketOutcome, Error> {
        let lock = {
            let mut tickets = self.tickets.lock().unwrap_or_else(PoisonError::into_inner);
            if tickets.len() >= REMEMBERED_TICKETS {
                tickets.retain(|_, lock| Arc::strong_count(lock) > 1);
            }
            tickets.entry(id).or_default().clone()
        };
        let mut handled = lock.lock().await;
        if let Some(summary) = handled.as_ref() {
            return Ok(TicketOutcome {
                id,
                summary: summary.clone(),
                action: TriageAction::AlreadyHandled,
            });
        }
        let outcome = self.triage.ticket(id).await?;
        *handled = Some(outcome.summary.clone());
        Ok(outcome)
    }
}

async fn receive(
    State(receiver): State<Arc<Receiver>>,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, String) {
    let payload = match receiver.verifier.verify(&headers, &body).await {
        Ok(payload) => payload,
        Err(error @ CallbackError::Replayed { .. }) => {
            tracing::warn!(%error, "callback refused");
            return (StatusCode::FORBIDDEN, format!("{error}\n"));
        }
        Err(error @ CallbackError::KeyFetch { .. }) => {
            tracing::warn!(%error, "callback not verified");
            return (StatusCode::SERVICE_UNAVAILABLE, format!("{error}\n"));
        }
        Err(error) => {
            tracing::warn!(%error, "callback refused");
            return (StatusCode::UNAUTHORIZED, format!("{error}\n"));
        }
    };
    if !payload.callback_type.eq_ignore_ascii_case("ticket") || payload.is_deleted() {
        return (StatusCode::OK, "ignored\n".to_owned());
    }
    let id = payload.id;
    let task = receiver.clone();
    tokio::spawn(async move {
        let outcome = task.handle(id).await;
        // The binary may have stopped listening; the outcome is then only logged.
        if let Err(unsent) = task.handled.send(Handled {
            ticket: id,
            outcome,
        }) {
            tracing::info!(ticket = unsent.0.ticket, "triage outcome not collected");
        }
    });
    (StatusCode::ACCEPTED, format!("ticket {id} queued\n"))
}
