//! A minimal HTTP/1.1 client over a raw socket, so the tests see exactly what went over the wire
//! (a dropped connection, a body shorter than its `Content-Length`).

#![allow(dead_code)]

use std::net::SocketAddr;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use msp_sandbox::manage::{CLIENT_ID, COMPANY, PRIVATE_KEY, PUBLIC_KEY};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// What came back.
#[derive(Debug)]
pub struct Answer {
    /// The status; 0 when the connection closed without an answer.
    pub status: u16,
    /// The headers, names lower-cased.
    pub headers: Vec<(String, String)>,
    /// The body bytes received.
    pub body: Vec<u8>,
    /// Whether the body is as long as its `Content-Length`.
    pub complete: bool,
}

impl Answer {
    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }
}

/// The headers of an authenticated API request.
pub fn auth() -> Vec<(String, String)> {
    vec![
        (
            "Authorization".to_owned(),
            format!(
                "Basic {}",
                STANDARD.encode(format!("{COMPANY}+{PUBLIC_KEY}:{PRIVATE_KEY}"))
            ),
        ),
        ("clientId".to_owned(), CLIENT_ID.to_owned()),
    ]
}

/// Sends one request on a fresh connection and reads until the server closes it.
pub async fn send(
    address: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(String, String)],
    body: &[u8],
) -> Answer {
    let mut stream = TcpStream::connect(address).await.expect("connects");
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).await.expect("writes");
    stream.write_all(body).await.expect("writes");
    let mut received = Vec::new();
    // A reset connection is as good as a closed one here: what arrived is what counts.
    let _ = stream.read_to_end(&mut received).await;
    parse(&received)
}

/// A GET of an API path below `/v4_6_release/apis/3.0/`, authenticated.
pub async fn get(address: SocketAddr, path: &str) -> Answer {
    send(address, "GET", &api(path), &auth(), b"").await
}

/// The full path of an API path.
pub fn api(path: &str) -> String {
    format!("/v4_6_release/apis/3.0/{}", path.trim_start_matches('/'))
}

fn parse(received: &[u8]) -> Answer {
    let Some(split) = received.windows(4).position(|w| w == b"\r\n\r\n") else {
        return Answer {
            status: 0,
            headers: Vec::new(),
            body: Vec::new(),
            complete: false,
        };
    };
    let head = String::from_utf8_lossy(&received[..split]);
    let body = received[split + 4..].to_vec();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|line| line.split(' ').nth(1))
        .and_then(|code| code.parse().ok())
        .unwrap_or(0);
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let declared = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse::<usize>().ok());
    Answer {
        status,
        complete: declared.is_none_or(|length| length == body.len()),
        headers,
        body,
    }
}
