//! Bad input to the Manage server gets the real server's error shape, never a panic or a dropped
//! connection.

mod support;

use msp_sandbox::manage::{ManageOptions, ManageServer};
use serde_json::{Value, json};
use support::{Answer, api, auth, get, send};

async fn server() -> ManageServer {
    ManageServer::start(ManageOptions::default()).await.unwrap()
}

fn address(server: &ManageServer) -> std::net::SocketAddr {
    ([127, 0, 0, 1], server.port()).into()
}

fn assert_shape(answer: &Answer, status: u16, code: &str) {
    assert_eq!(
        answer.status,
        status,
        "{}",
        String::from_utf8_lossy(&answer.body)
    );
    assert!(answer.complete);
    let body = answer.json();
    assert_eq!(body["code"], code, "{body}");
    assert!(
        body["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{body}"
    );
}

fn query(conditions: &str) -> String {
    let encoded: String = url::form_urlencoded::byte_serialize(conditions.as_bytes()).collect();
    format!("service/tickets?conditions={encoded}")
}

#[tokio::test]
async fn conditions_the_server_cannot_use() {
    let server = server().await;
    let at = address(&server);
    let unknown = get(at, &query("invoiceDate > [2026-01-01T00:00:00Z]")).await;
    assert_shape(&unknown, 400, "ApiFindCondition");
    assert_eq!(
        unknown.json()["message"],
        "invoiceDate is not a recognized name."
    );
    assert_shape(
        &get(at, &query("summary = ")).await,
        400,
        "ApiFindCondition",
    );
    assert_shape(
        &get(at, &query("closedFlag = 1")).await,
        400,
        "ApiFindCondition",
    );
    assert_shape(
        &get(at, "service/tickets?orderBy=summary%20sideways").await,
        400,
        "BadRequest",
    );
    assert_shape(
        &get(at, "service/tickets?pageSize=ten").await,
        400,
        "BadRequest",
    );
    assert_shape(
        &get(at, "service/tickets/count?conditions=(((").await,
        400,
        "ApiFindCondition",
    );
}

#[tokio::test]
async fn arbitrary_condition_text_is_answered_200_or_400() {
    let server = server().await;
    let at = address(&server);
    let pick = |stream: &str, n: u64, bound: usize| {
        msp_sandbox::seed::pick(9, stream, n, bound as u64) as usize
    };
    let fields = [
        "id",
        "summary",
        "board/name",
        "closedFlag",
        "dateEntered",
        "owner/identifier",
    ];
    let operators = ["=", "!=", "<", ">=", "like", "not like", "contains", "in"];
    let literals = [
        "'x'",
        "\"Help Desk\"",
        "[2026-05-14T00:00:00Z]",
        "12",
        "-3.5",
        "true",
        "null",
        "(1, 2)",
    ];
    let noise = [
        "(", ")", "[", "'", "\"", "\\", ",", "and", "or", "not", "é", "/", "=", "]",
    ];
    let mut outcomes = [0; 2];
    for n in 0..300u64 {
        let clauses = 1 + pick("clauses", n, 3);
        let mut words: Vec<&str> = Vec::new();
        for c in 0..clauses as u64 {
            if c > 0 {
                words.push(["and", "or", "AND"][pick("joiner", n * 8 + c, 3)]);
            }
            words.push(fields[pick("field", n * 8 + c, fields.len())]);
            words.push(operators[pick("operator", n * 8 + c, operators.len())]);
            words.push(literals[pick("literal", n * 8 + c, literals.len())]);
        }
        // Half of them get a stray token somewhere.
        if pick("mutate", n, 2) == 0 {
            let at = pick("where", n, words.len() + 1);
            words.insert(at, noise[pick("noise", n, noise.len())]);
        }
        let text = words.join(" ");
        let answer = get(at, &query(&text)).await;
        assert!(
            matches!(answer.status, 200 | 400),
            "{text:?}: {}",
            answer.status
        );
        assert!(answer.complete);
        if answer.status == 400 {
            assert_eq!(answer.json()["code"], "ApiFindCondition", "{text:?}");
            outcomes[1] += 1;
        } else {
            assert!(answer.json().is_array());
            outcomes[0] += 1;
        }
    }
    // The generator reaches both sides.
    assert!(outcomes[0] > 0 && outcomes[1] > 0, "{outcomes:?}");
}

#[tokio::test]
async fn malformed_json_patch() {
    let server = server().await;
    let at = address(&server);
    let patch = |body: Value| {
        let body = body.to_string();
        async move {
            send(
                at,
                "PATCH",
                &api("service/tickets/1001"),
                &auth(),
                body.as_bytes(),
            )
            .await
        }
    };
    assert_shape(
        &patch(json!({"op": "replace", "path": "summary"})).await,
        400,
        "BadRequest",
    );
    assert_shape(
        &patch(json!([{"op": "move", "path": "summary", "value": 1}])).await,
        400,
        "BadRequest",
    );
    assert_shape(
        &patch(json!([{"op": "replace", "value": 1}])).await,
        400,
        "BadRequest",
    );
    assert_shape(
        &patch(json!([{"op": "replace", "path": "id", "value": 7}])).await,
        400,
        "BadRequest",
    );
    assert_shape(&patch(json!(["replace"])).await, 400, "BadRequest");
    let contact = send(
        at,
        "PATCH",
        &api("company/contacts/1042"),
        &auth(),
        br#"[{"op": "replace", "path": "communicationItems/9/value", "value": "x"}]"#,
    )
    .await;
    assert_shape(&contact, 400, "BadRequest");
    // Nothing was applied.
    assert_eq!(server.record("/service/tickets", 1001).unwrap()["id"], 1001);
    assert!(server.writes().is_empty());
}

#[tokio::test]
async fn bodies_that_are_not_json() {
    let server = server().await;
    let at = address(&server);
    for (method, path) in [
        ("POST", "service/tickets"),
        ("PUT", "service/tickets/1001"),
        ("PATCH", "service/tickets/1001"),
        ("POST", "service/tickets/search"),
    ] {
        let answer = send(at, method, &api(path), &auth(), b"summary=oops").await;
        assert_shape(&answer, 400, "BadRequest");
        let answer = send(at, method, &api(path), &auth(), &[0xff, 0xfe, 0x00]).await;
        assert_shape(&answer, 400, "BadRequest");
    }
    assert!(server.writes().is_empty());
}

#[tokio::test]
async fn wrong_or_missing_credentials() {
    let server = server().await;
    let at = address(&server);
    let path = api("service/tickets");
    let with = |headers: Vec<(&str, &str)>| {
        let headers: Vec<(String, String)> = headers
            .into_iter()
            .map(|(n, v)| (n.to_owned(), v.to_owned()))
            .collect();
        let path = path.clone();
        async move { send(at, "GET", &path, &headers, b"").await }
    };
    assert_shape(&with(vec![]).await, 401, "Unauthorized");
    assert_shape(
        &with(vec![("Authorization", "Basic !!!not-base64")]).await,
        401,
        "Unauthorized",
    );
    assert_shape(
        &with(vec![("Authorization", "Bearer abc")]).await,
        401,
        "Unauthorized",
    );
    // sandbox+sandbox-public-key:wrong
    let wrong = "Basic c2FuZGJveCtzYW5kYm94LXB1YmxpYy1rZXk6d3Jvbmc=";
    assert_shape(
        &with(vec![
            ("Authorization", wrong),
            ("clientId", msp_sandbox::manage::CLIENT_ID),
        ])
        .await,
        401,
        "Unauthorized",
    );
    let mut right = auth();
    right.retain(|(name, _)| name != "clientId");
    let answer = send(at, "GET", &path, &right, b"").await;
    assert_shape(&answer, 401, "Unauthorized");
    assert!(
        answer.json()["message"]
            .as_str()
            .unwrap()
            .contains("clientId")
    );
    // The private key never appears in an answer.
    assert!(!String::from_utf8_lossy(&answer.body).contains(msp_sandbox::manage::PRIVATE_KEY));
}

#[tokio::test]
async fn unknown_paths_methods_and_records() {
    let server = server().await;
    let at = address(&server);
    assert_shape(&get(at, "service/nothing").await, 404, "ConnectWiseApi");
    assert_shape(
        &send(at, "GET", "/elsewhere", &auth(), b"").await,
        404,
        "ConnectWiseApi",
    );
    assert_shape(&get(at, "service/tickets/99999999").await, 404, "NotFound");
    assert_shape(
        &get(at, "service/tickets/99999999/notes").await,
        404,
        "NotFound",
    );
    assert_shape(
        &send(at, "DELETE", &api("service/tickets"), &auth(), b"").await,
        405,
        "ConnectWiseApi",
    );
    assert_shape(
        &send(at, "DELETE", &api("service/tickets/4242"), &auth(), b"").await,
        404,
        "NotFound",
    );
    let info = send(at, "GET", "/login/companyinfo/other", &[], b"").await;
    assert_eq!((info.status, info.json()), (200, Value::Null));
}
