//! Faults as a client sees them on the wire, and the counters that account for them.

mod support;

use std::time::Duration;

use msp_sandbox::counters::Event;
use msp_sandbox::faults::{Accounting, FaultOptions, Latency, RateLimit, RetryAfterForm};
use msp_sandbox::manage::{ManageOptions, ManageServer};
use support::{api, auth, get, send};

async fn server(faults: FaultOptions) -> ManageServer {
    ManageServer::start(ManageOptions {
        faults,
        ..ManageOptions::default()
    })
    .await
    .unwrap()
}

fn address(server: &ManageServer) -> std::net::SocketAddr {
    ([127, 0, 0, 1], server.port()).into()
}

#[tokio::test]
async fn a_connection_dropped_before_processing_changes_nothing() {
    let server = server(FaultOptions {
        drop_before: 1.0,
        ..FaultOptions::default()
    })
    .await;
    let at = address(&server);
    let answer = send(at, "DELETE", &api("service/tickets/1001"), &auth(), b"").await;
    assert_eq!(answer.status, 0);
    assert!(server.record("/service/tickets", 1001).is_some());
    assert_eq!(server.counters().get(Event::DroppedBeforeProcessing), 1);
    assert_eq!(server.counters().get(Event::Deleted), 0);
    assert_eq!(
        server.counters().requests("DELETE service/tickets/{id}", 0),
        1
    );
}

#[tokio::test]
async fn a_connection_dropped_after_a_write_keeps_the_write() {
    let server = server(FaultOptions {
        drop_after_write: 1.0,
        ..FaultOptions::default()
    })
    .await;
    let at = address(&server);
    let body = br#"{"summary": "Dropped answer", "board": {"id": 1}, "company": {"id": 250}}"#;
    let answer = send(at, "POST", &api("service/tickets"), &auth(), body).await;
    assert_eq!(answer.status, 0, "no answer");
    // The record exists all the same.
    let created: Vec<_> = server
        .records("/service/tickets")
        .into_iter()
        .filter(|ticket| ticket["summary"] == "Dropped answer")
        .collect();
    assert_eq!(created.len(), 1);
    assert_eq!(server.counters().get(Event::Created), 1);
    assert_eq!(server.counters().get(Event::DroppedAfterWrite), 1);
    // Reads are not writes: they are answered.
    assert_eq!(get(at, "service/tickets/1001").await.status, 200);
}

#[tokio::test]
async fn truncated_bodies_stop_short_of_their_length() {
    let server = server(FaultOptions {
        truncate: 1.0,
        ..FaultOptions::default()
    })
    .await;
    let answer = get(address(&server), "service/tickets?pageSize=5").await;
    assert_eq!(answer.status, 200);
    assert!(!answer.complete);
    assert!(serde_json::from_slice::<serde_json::Value>(&answer.body).is_err());
    assert_eq!(server.counters().get(Event::TruncatedBody), 1);
}

#[tokio::test]
async fn injected_server_errors_are_json_or_a_proxy_page() {
    let server = server(FaultOptions {
        seed: 3,
        server_errors: 1.0,
        ..FaultOptions::default()
    })
    .await;
    let at = address(&server);
    let (mut json, mut html) = (0, 0);
    for _ in 0..30 {
        let answer = get(at, "service/tickets/1001").await;
        assert!(
            matches!(answer.status, 500 | 502 | 503),
            "{}",
            answer.status
        );
        match answer.header("content-type") {
            Some(kind) if kind.starts_with("text/html") => {
                assert!(String::from_utf8_lossy(&answer.body).contains("<html>"));
                html += 1;
            }
            _ => {
                assert_eq!(answer.json()["code"], "ConnectWiseApi");
                json += 1;
            }
        }
    }
    assert!(json > 0 && html > 0, "{json} JSON, {html} HTML");
    assert_eq!(server.counters().get(Event::InjectedServerError), 30);
}

#[tokio::test(start_paused = true)]
async fn the_rate_limit_answers_429_per_client() {
    let server = server(FaultOptions {
        rate_limit: Some(RateLimit {
            accounting: Accounting::SlidingWindow {
                limit: 2,
                window: Duration::from_secs(60),
            },
            retry_after: RetryAfterForm::Seconds,
        }),
        ..FaultOptions::default()
    })
    .await;
    let at = address(&server);
    assert_eq!(get(at, "service/tickets/1001").await.status, 200);
    assert_eq!(get(at, "service/tickets/1001").await.status, 200);
    let limited = get(at, "service/tickets/1001").await;
    assert_eq!(limited.status, 429);
    assert_eq!(limited.header("retry-after"), Some("60"));
    assert_eq!(limited.json()["error"], "ConnectWiseAPI");
    assert!(
        limited.json()["message"]
            .as_str()
            .unwrap()
            .contains("60 seconds")
    );
    // Another clientId has its own allowance.
    let mut other = auth();
    other[1].1 = "another-client".to_owned();
    let answer = send(at, "GET", &api("service/tickets/1001"), &other, b"").await;
    assert_eq!(
        answer.status, 401,
        "counted apart, then refused for its clientId"
    );
    tokio::time::advance(Duration::from_secs(60)).await;
    assert_eq!(get(at, "service/tickets/1001").await.status, 200);
    assert_eq!(server.counters().get(Event::Throttled), 1);
    assert_eq!(
        server.counters().requests("GET service/tickets/{id}", 429),
        1
    );
}

#[tokio::test]
async fn retry_after_as_an_http_date() {
    let server = server(FaultOptions {
        rate_limit: Some(RateLimit {
            accounting: Accounting::TokenBucket {
                capacity: 1,
                per_second: 0.1,
            },
            retry_after: RetryAfterForm::HttpDate,
        }),
        ..FaultOptions::default()
    })
    .await;
    let at = address(&server);
    assert_eq!(get(at, "service/tickets/1001").await.status, 200);
    let limited = get(at, "service/tickets/1001").await;
    assert_eq!(limited.status, 429);
    let date = httpdate::parse_http_date(limited.header("retry-after").unwrap()).unwrap();
    assert!(date > std::time::SystemTime::now());
}

#[tokio::test(start_paused = true)]
async fn latency_runs_on_tokios_clock() {
    let server = server(FaultOptions {
        latency: Some(Latency {
            min: Duration::from_secs(30),
            max: Duration::from_secs(30),
        }),
        ..FaultOptions::default()
    })
    .await;
    let started = tokio::time::Instant::now();
    let answer = get(address(&server), "service/tickets/1001").await;
    assert_eq!(answer.status, 200);
    assert!(started.elapsed() >= Duration::from_secs(30));
}

#[tokio::test]
async fn the_same_seed_injects_the_same_faults() {
    let faults = FaultOptions {
        seed: 11,
        server_errors: 0.3,
        truncate: 0.2,
        ..FaultOptions::default()
    };
    let mut runs = Vec::new();
    for _ in 0..2 {
        let server = server(faults.clone()).await;
        let at = address(&server);
        let mut statuses = Vec::new();
        for _ in 0..40 {
            let answer = get(at, "service/tickets?pageSize=2").await;
            statuses.push((answer.status, answer.complete));
        }
        runs.push(statuses);
    }
    assert_eq!(runs[0], runs[1]);
    assert!(runs[0].iter().any(|(status, _)| *status >= 500));
    assert!(runs[0].iter().any(|(_, complete)| !complete));
}
