//! The client against the sandbox end to end: streams return exactly the seeded set in both
//! paging modes, with and without injected faults; writes under faults are never applied twice;
//! patches round-trip; custom fields are found and changed by caption; callbacks arrive signed
//! and pass the client's own verifier; impersonated writes carry the member.
#![cfg(feature = "sandbox")]

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

use connectwise_manage::msp_common::RecordingSleep;
use connectwise_manage::patch::Patch;
use connectwise_manage::query::Condition;
use connectwise_manage::sandbox::{Event, FaultOptions, ManageOptions, Sandbox, SeedOptions};
use connectwise_manage::{Client, ListQuery, RetryPolicy};
use futures::TryStreamExt;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const TICKETS: u64 = 3_000;

async fn sandbox(faults: FaultOptions) -> Sandbox {
    Sandbox::start_with(ManageOptions {
        seed: SeedOptions {
            tickets: TICKETS,
            companies: 8,
            ..SeedOptions::default()
        },
        faults,
        ..ManageOptions::default()
    })
    .await
    .unwrap()
}

/// A client that retries patiently and never waits in real time.
fn patient_client(sandbox: &Sandbox) -> Client {
    sandbox
        .client_builder()
        .retry_policy(RetryPolicy::background().with_max_attempts(20))
        .sleep(Arc::new(RecordingSleep::default()))
        .build()
        .unwrap()
}

/// A condition streamed, and how to tell from a record (without any conditions evaluator)
/// whether it belongs.
type Case = (Condition, fn(&Value) -> bool);

fn cases() -> Vec<Case> {
    vec![
        (Condition::eq("company/identifier", "ACME").unwrap(), |t| {
            t["company"]["identifier"] == "ACME"
        }),
        (
            Condition::eq("closedFlag", true).unwrap() & Condition::eq("board/id", 1).unwrap(),
            |t| t["closedFlag"] == true && t["board"]["id"] == 1,
        ),
        (Condition::parse("id >= 1500 and id < 2750").unwrap(), |t| {
            (1500..2750).contains(&t["id"].as_i64().unwrap())
        }),
        (Condition::parse("summary like '*backup*'").unwrap(), |t| {
            t["summary"]
                .as_str()
                .unwrap()
                .to_lowercase()
                .contains("backup")
        }),
    ]
}

async fn stream_ids(
    client: &Client,
    query: &ListQuery,
) -> Result<Vec<i64>, connectwise_manage::Error> {
    client
        .endpoint::<Value>("/service/tickets")
        .list(query)
        .by_item()
        .map_ok(|ticket| ticket["id"].as_i64().unwrap())
        .try_collect()
        .await
}

async fn check_streams(sandbox: &Sandbox, client: &Client) {
    let all = sandbox.records("/service/tickets");
    assert_eq!(all.len() as u64, TICKETS + 14);
    for (condition, belongs) in cases() {
        let expected: Vec<i64> = all
            .iter()
            .filter(|ticket| belongs(ticket))
            .map(|ticket| ticket["id"].as_i64().unwrap())
            .collect();
        assert!(expected.len() > 20, "{condition}: only {}", expected.len());
        let navigable = ListQuery::new().conditions(condition.clone()).page_size(97);
        assert_eq!(
            stream_ids(client, &navigable).await.unwrap(),
            expected,
            "{condition}"
        );
        let forward = navigable.clone().forward_only();
        assert_eq!(
            stream_ids(client, &forward).await.unwrap(),
            expected,
            "forward-only {condition}"
        );
    }
}

#[tokio::test]
async fn streams_return_exactly_the_seeded_set() {
    let sandbox = sandbox(FaultOptions::default()).await;
    check_streams(&sandbox, sandbox.client()).await;
}

#[tokio::test]
async fn streams_under_faults_lose_and_duplicate_nothing() {
    let sandbox = sandbox(FaultOptions {
        seed: 5,
        server_errors: 0.1,
        server_error_statuses: vec![502, 503],
        drop_before: 0.1,
        truncate: 0.1,
        ..FaultOptions::default()
    })
    .await;
    check_streams(&sandbox, &patient_client(&sandbox)).await;
    let counters = sandbox.counters();
    for event in [
        Event::InjectedServerError,
        Event::DroppedBeforeProcessing,
        Event::TruncatedBody,
    ] {
        assert!(counters.get(event) > 0, "{event:?} was never injected");
    }
}

#[tokio::test]
async fn a_fault_the_client_does_not_retry_ends_the_stream_with_an_error_not_a_gap() {
    let sandbox = sandbox(FaultOptions {
        seed: 2,
        server_errors: 0.2,
        server_error_statuses: vec![500],
        ..FaultOptions::default()
    })
    .await;
    let client = patient_client(&sandbox);
    let query = ListQuery::new().page_size(50);
    let mut stream = client
        .endpoint::<Value>("/service/tickets")
        .list(&query)
        .by_item();
    let mut seen = Vec::new();
    let error = loop {
        match stream.try_next().await {
            Ok(Some(ticket)) => seen.push(ticket["id"].as_i64().unwrap()),
            Ok(None) => panic!("a 500 on one of 61 pages was expected with this seed"),
            Err(error) => break error,
        }
    };
    assert_eq!(error.status().map(|s| s.as_u16()), Some(500));
    // What came before the error is a gapless, duplicate-free prefix.
    let expected: Vec<i64> = sandbox
        .records("/service/tickets")
        .iter()
        .map(|t| t["id"].as_i64().unwrap())
        .collect();
    assert_eq!(seen, expected[..seen.len()]);
}

#[tokio::test]
async fn writes_under_faults_are_never_applied_twice() {
    let sandbox = sandbox(FaultOptions {
        seed: 8,
        drop_before: 0.15,
        drop_after_write: 0.25,
        server_errors: 0.1,
        server_error_statuses: vec![502, 503],
        ..FaultOptions::default()
    })
    .await;
    let client = patient_client(&sandbox);
    let tickets = client.endpoint::<Value>("/service/tickets");
    let (mut answered, mut unanswered) = (0u64, 0u64);
    for n in 0..40 {
        let body = json!({"summary": format!("Fault test {n}"), "board": {"id": 1}, "company": {"id": 250}});
        match tickets.create(&body).await {
            Ok(created) => {
                assert_eq!(created["summary"], format!("Fault test {n}"));
                answered += 1;
            }
            // The client must not repeat a create that may have been processed.
            Err(error) => {
                assert!(
                    error.may_have_been_processed() || error.status().is_some(),
                    "{error}"
                );
                unanswered += 1;
            }
        }
    }
    assert!(
        answered > 0 && unanswered > 0,
        "{answered} answered, {unanswered} not"
    );
    let summaries: Vec<String> = sandbox
        .records("/service/tickets")
        .iter()
        .filter_map(|t| {
            t["summary"]
                .as_str()
                .filter(|s| s.starts_with("Fault test "))
                .map(str::to_owned)
        })
        .collect();
    let distinct: BTreeSet<&String> = summaries.iter().collect();
    assert_eq!(
        distinct.len(),
        summaries.len(),
        "a create was applied twice"
    );
    let counters = sandbox.counters();
    assert_eq!(counters.get(Event::Created), summaries.len() as u64);
    // Every create that was applied was either answered or had its answer dropped.
    assert_eq!(
        counters.get(Event::Created),
        answered + counters.get(Event::DroppedAfterWrite)
    );

    // Patches: the same patch applied any number of times leaves the same record, and the
    // counter shows how often the server applied it.
    let patch = Patch::new()
        .replace("summary", json!("Patched under faults"))
        .unwrap();
    let mut done = 0;
    for _ in 0..10 {
        if tickets.patch(1001, &patch).await.is_ok() {
            done += 1;
        }
    }
    assert!(done > 0);
    assert_eq!(
        sandbox.record("/service/tickets", 1001).unwrap()["summary"],
        "Patched under faults"
    );
    assert!(counters.get(Event::Updated) >= done);
}

#[tokio::test]
async fn a_patch_round_trips() {
    let sandbox = sandbox(FaultOptions::default()).await;
    let tickets = sandbox.client().service().tickets();
    let generated = tickets.id(2_500);
    let before = generated.get().await.unwrap();
    let patched = generated
        .patch(
            &Patch::new()
                .replace("summary", "Renamed")
                .unwrap()
                .status_name("Closed"),
        )
        .await
        .unwrap();
    assert_eq!(patched.summary.as_deref(), Some("Renamed"));
    assert_eq!(patched.closed_flag, Some(true));
    let after = generated.get().await.unwrap();
    assert_eq!(after.summary.as_deref(), Some("Renamed"));
    assert_eq!(after.status.and_then(|s| s.name), Some("Closed".to_owned()));
    assert_eq!(after.company, before.company);
    assert_eq!(sandbox.counters().get(Event::Updated), 1);
}

#[tokio::test]
async fn custom_fields_by_caption() {
    let sandbox = sandbox(FaultOptions::default()).await;
    let companies = sandbox.client().endpoint::<Value>("/company/companies");
    let gold = ListQuery::new().custom_field_conditions(
        Condition::parse(r#"caption = "Contract Tier" and value = "Gold""#).unwrap(),
    );
    let found = companies.list(&gold).await.unwrap();
    assert_eq!(
        found
            .iter()
            .map(|c| c["id"].as_i64().unwrap())
            .collect::<Vec<_>>(),
        [250]
    );

    let northwind = companies.get(251).await.unwrap();
    let patch = Patch::new()
        .set_custom_field(&northwind, "Contract Tier", json!("Platinum"))
        .unwrap();
    companies.patch(251, &patch).await.unwrap();
    let platinum = ListQuery::new().custom_field_conditions(
        Condition::parse(r#"caption = "Contract Tier" and value = "platinum""#).unwrap(),
    );
    let found = companies.list(&platinum).await.unwrap();
    assert_eq!(found.len(), 1);
    let fields = found[0]["customFields"].as_array().unwrap();
    // The other custom field is as it was.
    assert_eq!(
        fields.iter().find(|f| f["caption"] == "CloudPlus").unwrap()["value"],
        false
    );
}

#[tokio::test]
async fn impersonated_writes_carry_the_member() {
    let sandbox = sandbox(FaultOptions::default()).await;
    let acting = sandbox.client().impersonate("amorgan");
    let notes = acting.endpoint::<Value>("/service/tickets/1001/notes");
    let note = notes
        .create(&json!({"text": "Called the user back", "internalAnalysisFlag": true}))
        .await
        .unwrap();
    assert_eq!(note["createdBy"], "amorgan");
    assert_eq!(note["_info"]["enteredBy"], "amorgan");
    let nobody = sandbox.client().impersonate("nobody");
    let error = nobody
        .endpoint::<Value>("/service/tickets")
        .get(1001)
        .await
        .unwrap_err();
    assert!(error.is_not_found() || error.status().is_some(), "{error}");
}

/// Receives one HTTP request on a loopback socket: its headers and body.
async fn receive(listener: &TcpListener) -> (http::HeaderMap, Vec<u8>) {
    let (mut stream, _) = listener.accept().await.unwrap();
    let mut data = Vec::new();
    let mut buffer = [0u8; 8192];
    loop {
        let n = stream.read(&mut buffer).await.unwrap();
        assert!(n > 0, "the sandbox closed the connection early");
        data.extend_from_slice(&buffer[..n]);
        let Some(split) = data.windows(4).position(|w| w == b"\r\n\r\n") else {
            continue;
        };
        let head = String::from_utf8_lossy(&data[..split]).to_string();
        let mut headers = http::HeaderMap::new();
        for line in head.lines().skip(1) {
            if let Some((name, value)) = line.split_once(':') {
                headers.append(
                    http::HeaderName::from_bytes(name.trim().as_bytes()).unwrap(),
                    http::HeaderValue::from_str(value.trim()).unwrap(),
                );
            }
        }
        let length: usize = headers["content-length"].to_str().unwrap().parse().unwrap();
        if data.len() >= split + 4 + length {
            let body = data[split + 4..split + 4 + length].to_vec();
            stream
                .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
                .await
                .unwrap();
            return (headers, body);
        }
    }
}

#[tokio::test]
async fn callbacks_arrive_signed_and_pass_the_verifier() {
    let sandbox = sandbox(FaultOptions::default()).await;
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/cw?recordId=", listener.local_addr().unwrap());
    let callbacks = sandbox.client().endpoint::<Value>("/system/callbacks");
    callbacks
        .create(&json!({"url": url, "type": "ticket", "level": "owner", "description": "e2e"}))
        .await
        .unwrap();
    let verifier = sandbox.callback_verifier().unwrap();
    let received = Arc::new(Mutex::new(Vec::new()));

    sandbox
        .client()
        .service()
        .tickets()
        .id(1001)
        .patch(
            &Patch::new()
                .replace("summary", "Seen by the receiver")
                .unwrap(),
        )
        .await
        .unwrap();
    let (headers, body) = receive(&listener).await;
    let payload = verifier.verify(&headers, &body).await.unwrap();
    let ticket: Value = payload.entity().unwrap().unwrap();
    assert_eq!(ticket["summary"], "Seen by the receiver");
    received.lock().unwrap().push(payload);

    // A body changed in transit fails verification.
    let mut forged = body.clone();
    let at = forged.windows(8).position(|w| w == b"receiver").unwrap();
    forged[at] = b'R';
    assert!(verifier.verify(&headers, &forged).await.is_err());

    sandbox
        .client()
        .endpoint::<Value>("/service/tickets")
        .delete(1002)
        .await
        .unwrap();
    let (headers, body) = receive(&listener).await;
    let payload = verifier.verify(&headers, &body).await.unwrap();
    assert!(payload.is_deleted());
    sandbox.callbacks_settled().await;
    assert_eq!(sandbox.counters().get(Event::CallbackDelivered), 2);
}
