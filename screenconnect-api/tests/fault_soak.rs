//! Fault soak for commands: a run of commands, each with its own text, sent while the sandbox
//! injects the whole fault mix at once (a rate limit that answers about 5 % of requests `429`,
//! with `Retry-After` in seconds and then as an HTTP date, 2 % `503`, 1 % connections dropped
//! before processing, 1 % bodies cut short and 1 % writes processed whose answer is dropped).
//! A read of the session follows each command. No command is sent twice; every command the
//! server received was either answered or reported to the caller as possibly processed, and none
//! reported as not processed arrived; the server's counters agree.
//!
//! Time is paused (the client waits out `Retry-After` on tokio's clock), so the CI size runs in
//! seconds. A larger run by hand:
//!
//! ```text
//! MSP_SOAK_COMMANDS=5000 cargo test --release -p screenconnect-api --features sandbox --test fault_soak
//! ```
#![cfg(feature = "sandbox")]

use std::collections::BTreeMap;
use std::time::Duration;

use screenconnect_api::RetryPolicy;
use screenconnect_api::sandbox::{
    Event, FaultOptions, RetryAfterForm, Sandbox, ScreenConnectOptions,
};

/// How the caller saw one command.
#[derive(Debug, PartialEq)]
enum Outcome {
    Answered,
    MaybeProcessed,
    NotProcessed,
}

async fn soak(retry_after: RetryAfterForm, seed: u64) {
    let commands: u64 = std::env::var("MSP_SOAK_COMMANDS")
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(600);
    let sandbox = Sandbox::start_with(ScreenConnectOptions {
        faults: FaultOptions::soak_mix(seed, retry_after),
        ..ScreenConnectOptions::default()
    })
    .await
    .unwrap();
    let client = sandbox
        .client_builder()
        .retry_policy(RetryPolicy::background().with_max_attempts(30))
        .build()
        .unwrap();
    // A read is retried through every fault of the mix.
    let session = client
        .sessions_by_name("ACME-WS-042")
        .await
        .unwrap()
        .remove(0)
        .session_id;

    let mut outcomes = BTreeMap::new();
    for n in 0..commands {
        let text = format!("echo soak-{n}");
        let outcome = match client.send_command(&session, &text).await {
            Ok(()) => Outcome::Answered,
            Err(error) if error.may_have_been_processed() => Outcome::MaybeProcessed,
            Err(_) => Outcome::NotProcessed,
        };
        outcomes.insert(text, outcome);
        // A read between commands, as an automation checks the machine: retried through every
        // fault of the mix (the only answers with a body to cut short).
        let found = client.sessions_by_name("ACME-WS-042").await.unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].session_id, session);
    }

    let mut received: BTreeMap<String, usize> = BTreeMap::new();
    for command in sandbox.commands() {
        *received.entry(command.text).or_default() += 1;
    }
    for (text, times) in &received {
        assert_eq!(*times, 1, "{text} received {times} times");
        assert!(outcomes.contains_key(text), "{text} was never sent");
    }
    let (mut answered, mut unsure) = (0u64, 0u64);
    for (text, outcome) in &outcomes {
        let arrived = received.contains_key(text);
        match outcome {
            Outcome::Answered => {
                assert!(arrived, "{text}: answered but never received");
                answered += 1;
            }
            Outcome::MaybeProcessed => unsure += 1,
            Outcome::NotProcessed => assert!(!arrived, "{text}: reported as not processed"),
        }
    }
    let counters = sandbox.counters();
    // The agent runs queued commands one after another (on the paused clock): wait, on that
    // clock, until it has run every command the server received, or an hour has passed.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(3_600);
    while counters.get(Event::CommandRun) < received.len() as u64
        && tokio::time::Instant::now() < deadline
    {
        tokio::time::sleep(Duration::from_secs(10)).await;
    }
    assert_eq!(counters.get(Event::CommandRun), received.len() as u64);
    // Every command the server took was answered, or its answer was dropped or cut short (and
    // the caller told it may have been processed); none was sent again.
    let unanswered = received.len() as u64 - answered;
    let lost_answers = counters.get(Event::DroppedAfterWrite);
    let cut_short = counters.get(Event::TruncatedBody);
    assert!(
        (lost_answers..=lost_answers + cut_short).contains(&unanswered),
        "{unanswered} received unanswered, {lost_answers} answers dropped, {cut_short} cut short"
    );
    assert!(
        unsure >= unanswered,
        "{unsure} unsure, {unanswered} received unanswered"
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
        Event::DroppedAfterWrite,
    ] {
        assert!(counters.get(event) > 0, "{event:?} was never injected");
    }
}

#[tokio::test(start_paused = true)]
async fn commands_under_the_fault_mix_with_retry_after_in_seconds() {
    soak(RetryAfterForm::Seconds, 31).await;
}

#[tokio::test(start_paused = true)]
async fn commands_under_the_fault_mix_with_retry_after_as_an_http_date() {
    soak(RetryAfterForm::HttpDate, 32).await;
}
