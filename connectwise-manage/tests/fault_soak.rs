//! Fault soak: a typed stream of every ticket and a run of note creates, each note with its own
//! text, while the sandbox injects the whole fault mix at once (a rate limit that answers about
//! 5 % of requests `429`, with `Retry-After` in seconds and then as an HTTP date, 2 % `503`, 1 %
//! connections dropped before processing, 1 % bodies cut short and 1 % writes processed whose
//! answer is dropped). Nothing is lost or duplicated, no note is created twice, and every note
//! the server holds was either answered or reported to the caller as possibly processed; the
//! server's counters agree.
//!
//! Time is paused (the client waits out `Retry-After` on tokio's clock), so the CI size runs in
//! seconds. A larger run by hand:
//!
//! ```text
//! MSP_SOAK_TICKETS=100000 MSP_SOAK_NOTES=1000 \
//!   cargo test --release -p connectwise-manage --features sandbox --test fault_soak
//! ```
#![cfg(feature = "sandbox")]

use std::collections::BTreeMap;

use connectwise_manage::models::ServiceNote;
use connectwise_manage::sandbox::{
    Event, FaultOptions, ManageOptions, RetryAfterForm, Sandbox, SeedOptions,
};
use connectwise_manage::{Client, ListQuery, RetryPolicy};
use futures::TryStreamExt;

/// The size from the environment variable `name`, or `default` (the size CI runs).
fn size(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(default)
}

/// The fate of one note create as the caller saw it.
#[derive(Debug)]
enum Outcome {
    /// Answered with the created note.
    Created,
    /// An error that says the server may have acted on it.
    MaybeProcessed,
    /// An error that says the server did not act on it.
    NotProcessed,
}

async fn soak(retry_after: RetryAfterForm, seed: u64) {
    let tickets = size("MSP_SOAK_TICKETS", 4_000);
    let notes = size("MSP_SOAK_NOTES", 400);
    let sandbox = Sandbox::start_with(ManageOptions {
        seed: SeedOptions {
            tickets,
            companies: 8,
            ..SeedOptions::default()
        },
        faults: FaultOptions::soak_mix(seed, retry_after),
        ..ManageOptions::default()
    })
    .await
    .unwrap();
    // Patient retries on tokio's (paused) clock: every fault in the mix but a lost write answer
    // is one a read recovers from.
    let client: Client = sandbox
        .client_builder()
        .retry_policy(RetryPolicy::background().with_max_attempts(30))
        .build()
        .unwrap();
    let expected: Vec<i32> = sandbox
        .records("/service/tickets")
        .iter()
        .map(|ticket| i32::try_from(ticket["id"].as_i64().unwrap()).unwrap())
        .collect();
    assert_eq!(expected.len() as u64, tickets + 14);

    // The typed stream, in pages of 1,000 (the API's largest).
    let streamed: Vec<i32> = client
        .service()
        .tickets()
        .list(&ListQuery::new())
        .page_size(1_000)
        .by_item()
        .map_ok(|ticket| ticket.id.unwrap())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(streamed.len(), expected.len(), "lost or duplicated tickets");
    assert_eq!(streamed, expected);

    // Note creates with unique texts, spread over the sample tickets.
    let dropped_before = sandbox.counters().get(Event::DroppedAfterWrite);
    let truncated_before = sandbox.counters().get(Event::TruncatedBody);
    let mut outcomes = BTreeMap::new();
    for n in 0..notes {
        let ticket = 1001 + (n % 14) as i32;
        let text = format!("soak note {n} on {ticket}");
        let note = ServiceNote {
            text: Some(text.clone()),
            internal_analysis_flag: Some(true),
            ..ServiceNote::default()
        };
        let outcome = match client
            .service()
            .tickets()
            .id(ticket)
            .notes()
            .create(&note)
            .await
        {
            Ok(created) => {
                assert_eq!(created.text.as_deref(), Some(text.as_str()));
                Outcome::Created
            }
            Err(error) if error.may_have_been_processed() => Outcome::MaybeProcessed,
            Err(_) => Outcome::NotProcessed,
        };
        outcomes.insert(text, (ticket, outcome));
    }
    let mut held: BTreeMap<String, usize> = BTreeMap::new();
    for ticket in 1001..1015 {
        for note in sandbox.records(&format!("/service/tickets/{ticket}/notes")) {
            if let Some(text) = note["text"]
                .as_str()
                .filter(|t| t.starts_with("soak note "))
            {
                *held.entry(text.to_owned()).or_default() += 1;
            }
        }
    }
    let (mut created, mut unsure) = (0u64, 0u64);
    for (text, (ticket, outcome)) in &outcomes {
        let times = held.get(text).copied().unwrap_or(0);
        assert!(times <= 1, "{text} created {times} times");
        match outcome {
            Outcome::Created => {
                assert_eq!(times, 1, "{text}: answered but not held by ticket {ticket}");
                created += 1;
            }
            Outcome::MaybeProcessed => unsure += 1,
            Outcome::NotProcessed => {
                assert_eq!(times, 0, "{text}: reported as not processed but created");
            }
        }
    }
    for text in held.keys() {
        assert!(outcomes.contains_key(text), "{text} was never asked for");
    }
    let counters = sandbox.counters();
    assert_eq!(counters.get(Event::Created), held.len() as u64);
    // Every create the server applied was answered, or its answer was dropped or cut short
    // (and the caller told it may have been processed); none was sent again.
    let lost_answers = counters.get(Event::DroppedAfterWrite) - dropped_before;
    let cut_short = counters.get(Event::TruncatedBody) - truncated_before;
    let unanswered = counters.get(Event::Created) - created;
    assert!(
        (lost_answers..=lost_answers + cut_short).contains(&unanswered),
        "{unanswered} created unanswered, {lost_answers} answers dropped, {cut_short} cut short"
    );
    assert!(
        unsure >= unanswered,
        "{unsure} unsure, {unanswered} created unanswered"
    );

    // The mix was injected, in about the proportions asked for.
    let requests = counters.total_requests();
    let throttled = counters.get(Event::Throttled);
    assert!(
        throttled * 100 >= requests * 3 && throttled * 100 <= requests * 7,
        "{throttled} of {requests} throttled"
    );
    for event in [
        Event::InjectedServerError,
        Event::DroppedBeforeProcessing,
        Event::TruncatedBody,
    ] {
        assert!(counters.get(event) > 0, "{event:?} was never injected");
    }
    assert!(lost_answers > 0, "no write answer was dropped");
}

#[tokio::test(start_paused = true)]
async fn the_fault_mix_with_retry_after_in_seconds() {
    soak(RetryAfterForm::Seconds, 21).await;
}

#[tokio::test(start_paused = true)]
async fn the_fault_mix_with_retry_after_as_an_http_date() {
    soak(RetryAfterForm::HttpDate, 22).await;
}
