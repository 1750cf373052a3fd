//! Callbacks: delivered to a receiver on loopback, signed the documented way, retried on the
//! documented statuses with the documented waits (on tokio's paused clock), and counted.

mod support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use msp_sandbox::counters::Event;
use msp_sandbox::manage::{ManageOptions, ManageServer};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use support::{api, auth, send};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// What the receiver saw: the request line, the headers and the body of each attempt, and when.
#[derive(Debug, Clone)]
struct Received {
    target: String,
    signature: Option<String>,
    body: Vec<u8>,
    at: tokio::time::Instant,
}

/// A receiver on loopback answering the scripted statuses in turn (200 once they run out).
async fn receiver(script: Vec<u16>) -> (String, Arc<Mutex<Vec<Received>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook?recordId=", listener.local_addr().unwrap());
    let received = Arc::new(Mutex::new(Vec::new()));
    let log = received.clone();
    tokio::spawn(async move {
        let mut script = script.into_iter();
        loop {
            let Ok((mut stream, _)) = listener.accept().await else {
                return;
            };
            let mut data = Vec::new();
            let mut buffer = [0u8; 4096];
            let (head, body) = loop {
                let n = stream.read(&mut buffer).await.unwrap_or(0);
                if n == 0 {
                    break (String::new(), Vec::new());
                }
                data.extend_from_slice(&buffer[..n]);
                let Some(split) = data.windows(4).position(|w| w == b"\r\n\r\n") else {
                    continue;
                };
                let head = String::from_utf8_lossy(&data[..split]).to_string();
                let length: usize = head
                    .lines()
                    .find_map(|line| {
                        let (name, value) = line.split_once(':')?;
                        name.eq_ignore_ascii_case("content-length")
                            .then(|| value.trim().parse().ok())?
                    })
                    .unwrap_or(0);
                if data.len() >= split + 4 + length {
                    break (head, data[split + 4..split + 4 + length].to_vec());
                }
            };
            let header = |name: &str| {
                head.lines().find_map(|line| {
                    let (n, v) = line.split_once(':')?;
                    n.eq_ignore_ascii_case(name).then(|| v.trim().to_owned())
                })
            };
            log.lock().unwrap().push(Received {
                target: head.split(' ').nth(1).unwrap_or_default().to_owned(),
                signature: header("x-content-signature"),
                body,
                at: tokio::time::Instant::now(),
            });
            let status = script.next().unwrap_or(200);
            let answer =
                format!("HTTP/1.1 {status} X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            let _ = stream.write_all(answer.as_bytes()).await;
        }
    });
    (url, received)
}

async fn register(server: &ManageServer, url: &str) {
    let at = ([127, 0, 0, 1], server.port()).into();
    let body = json!({"url": url, "type": "ticket", "level": "owner", "description": "test"});
    let answer = send(
        at,
        "POST",
        &api("system/callbacks"),
        &auth(),
        body.to_string().as_bytes(),
    )
    .await;
    assert_eq!(
        answer.status,
        201,
        "{}",
        String::from_utf8_lossy(&answer.body)
    );
}

async fn patch_summary(server: &ManageServer, summary: &str) {
    let at = ([127, 0, 0, 1], server.port()).into();
    let body = json!([{"op": "replace", "path": "summary", "value": summary}]);
    let answer = send(
        at,
        "PATCH",
        &api("service/tickets/1001"),
        &auth(),
        body.to_string().as_bytes(),
    )
    .await;
    assert_eq!(answer.status, 200);
}

#[tokio::test(start_paused = true)]
async fn retried_after_two_then_four_seconds_and_signed() {
    let server = ManageServer::start(ManageOptions::default()).await.unwrap();
    let (url, received) = receiver(vec![429, 409]).await;
    register(&server, &url).await;
    patch_summary(&server, "Locked out again").await;
    server.callbacks_settled().await;

    let attempts = received.lock().unwrap().clone();
    assert_eq!(attempts.len(), 3);
    assert_eq!(attempts[0].target, "/hook?recordId=1001");
    let waits: Vec<Duration> = attempts.windows(2).map(|w| w[1].at - w[0].at).collect();
    assert!(
        waits[0] >= Duration::from_secs(2) && waits[0] < Duration::from_secs(3),
        "{waits:?}"
    );
    assert!(
        waits[1] >= Duration::from_secs(4) && waits[1] < Duration::from_secs(5),
        "{waits:?}"
    );
    // Every attempt carries the same signed body.
    assert!(attempts.iter().all(|a| a.body == attempts[0].body));
    let counters = server.counters();
    assert_eq!(counters.get(Event::CallbackFailed), 2);
    assert_eq!(counters.get(Event::CallbackDelivered), 1);
    assert_eq!(counters.get(Event::CallbackAbandoned), 0);

    let payload: Value = serde_json::from_slice(&attempts[0].body).unwrap();
    assert_eq!(payload["Action"], "updated");
    assert_eq!(payload["Type"], "ticket");
    assert_eq!(payload["ID"], 1001);
    assert_eq!(payload["CompanyId"], "sandbox");
    assert_eq!(payload["MemberId"], "automation");
    let entity: Value = serde_json::from_str(payload["Entity"].as_str().unwrap()).unwrap();
    assert_eq!(entity["summary"], "Locked out again");

    // The key URL serves the signing key without authentication; the signature is
    // base64(HMAC-SHA256(SHA256(key), body)).
    let key_url = url::Url::parse(payload["Metadata"]["key_url"].as_str().unwrap()).unwrap();
    let at = ([127, 0, 0, 1], key_url.port().unwrap()).into();
    let path = format!("{}?{}", key_url.path(), key_url.query().unwrap());
    let key = send(at, "GET", &path, &[], b"").await.json();
    let signing_key = key["signing_key"].as_str().unwrap();
    assert_eq!(signing_key, server.signing_key());
    let mut mac = Hmac::<Sha256>::new_from_slice(&Sha256::digest(signing_key.as_bytes())).unwrap();
    mac.update(&attempts[0].body);
    let expected = STANDARD.encode(mac.finalize().into_bytes());
    assert_eq!(attempts[0].signature.as_deref(), Some(expected.as_str()));
    // A wrong key id is not served.
    let wrong = send(
        at,
        "GET",
        &format!("{}?companyName=sandbox&id=nope", key_url.path()),
        &[],
        b"",
    )
    .await;
    assert_eq!(wrong.status, 404);
}

#[tokio::test(start_paused = true)]
async fn a_final_failure_is_not_retried_and_a_delete_has_no_entity() {
    let server = ManageServer::start(ManageOptions::default()).await.unwrap();
    let (url, received) = receiver(vec![500]).await;
    register(&server, &url).await;
    patch_summary(&server, "x").await;
    server.callbacks_settled().await;
    assert_eq!(received.lock().unwrap().len(), 1);
    assert_eq!(server.counters().get(Event::CallbackAbandoned), 1);

    let at = ([127, 0, 0, 1], server.port()).into();
    assert_eq!(
        send(at, "DELETE", &api("service/tickets/1001"), &auth(), b"")
            .await
            .status,
        204
    );
    server.callbacks_settled().await;
    let attempts = received.lock().unwrap().clone();
    let payload: Value = serde_json::from_slice(&attempts.last().unwrap().body).unwrap();
    assert_eq!(payload["Action"], "deleted");
    assert_eq!(payload["Entity"], Value::Null);
    assert_eq!(server.counters().get(Event::CallbackDelivered), 1);
}

#[tokio::test(start_paused = true)]
async fn an_unreachable_receiver_is_retried_then_given_up() {
    let server = ManageServer::start(ManageOptions::default()).await.unwrap();
    // A port nothing listens on.
    let closed = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook?id=", closed.local_addr().unwrap());
    drop(closed);
    register(&server, &url).await;
    patch_summary(&server, "y").await;
    server.callbacks_settled().await;
    assert_eq!(server.counters().get(Event::CallbackFailed), 3);
    assert_eq!(server.counters().get(Event::CallbackAbandoned), 1);
}
