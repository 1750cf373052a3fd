//! Typed streams with pages decoded where prefetch fetches them, against the sandbox: the
//! records come out in server order whatever the prefetch window, and a page that fails ends
//! the stream right after the pages before it, with nothing yielded twice.
#![cfg(feature = "sandbox")]

use connectwise_manage::models::Ticket;
use connectwise_manage::sandbox::{FaultOptions, ManageOptions, Sandbox, SeedOptions};
use connectwise_manage::{Error, ListQuery, RetryPolicy};
use futures::{StreamExt, TryStreamExt};

/// Sample tickets 1001 to 1014, then the generated ones.
const GENERATED: u64 = 1_986;
const ALL: std::ops::RangeInclusive<i32> = 1001..=3000;

async fn sandbox(faults: FaultOptions) -> Sandbox {
    Sandbox::start_with(ManageOptions {
        seed: SeedOptions {
            tickets: GENERATED,
            ..SeedOptions::default()
        },
        faults,
        ..ManageOptions::default()
    })
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_ticket_once_in_order_at_every_prefetch_window() {
    let sandbox = sandbox(FaultOptions::default()).await;
    // A page of 37 tickets is some 45 kB: budgets of none, one and three pages ahead.
    let budgets = [None, Some(0), Some(150_000)];
    for (prefetch, budget) in [1, 2, 8, 32]
        .into_iter()
        .flat_map(|p| budgets.map(|b| (p, b)))
    {
        let mut list = sandbox
            .client()
            .service()
            .tickets()
            .list(&ListQuery::new())
            .page_size(37)
            .prefetch(prefetch);
        if let Some(bytes) = budget {
            list = list.prefetch_bytes(bytes);
        }
        let ids: Vec<i32> = list
            .by_item()
            .map_ok(|ticket: Ticket| ticket.id.unwrap())
            .try_collect()
            .await
            .unwrap();
        assert_eq!(
            ids,
            ALL.collect::<Vec<_>>(),
            "prefetch {prefetch}, budget {budget:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_page_ahead_ends_the_stream_after_the_pages_before_it() {
    // One request in ten answered 503 without `Retry-After`, and no retries: some page ahead
    // fails while later ones may already be decoded.
    let faults = FaultOptions {
        seed: 7,
        server_errors: 0.1,
        server_error_statuses: vec![500],
        ..FaultOptions::default()
    };
    let sandbox = sandbox(faults).await;
    let client = sandbox
        .client_builder()
        .retry_policy(RetryPolicy::none())
        .bulk_retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let mut ended_early = 0;
    for _ in 0..5 {
        let results: Vec<Result<Ticket, Error>> = client
            .service()
            .tickets()
            .list(&ListQuery::new())
            .page_size(25)
            .prefetch(8)
            .by_item()
            .collect()
            .await;
        let ids: Vec<i32> = results
            .iter()
            .map_while(|ticket| ticket.as_ref().ok().map(|ticket| ticket.id.unwrap()))
            .collect();
        let rest = &results[ids.len()..];
        assert_eq!(
            ids,
            ALL.take(ids.len()).collect::<Vec<_>>(),
            "a prefix of the tickets, in order, none twice"
        );
        if rest.is_empty() {
            assert_eq!(ids.len(), ALL.count());
            continue;
        }
        ended_early += 1;
        assert_eq!(rest.len(), 1, "one error, then nothing");
        assert_eq!(ids.len() % 25, 0, "whole pages before the error");
        let error = rest[0].as_ref().unwrap_err();
        assert_eq!(error.status().map(|s| s.as_u16()), Some(500), "{error}");
    }
    assert!(ended_early > 0, "at 10 % of 80 requests, some walk fails");
}
