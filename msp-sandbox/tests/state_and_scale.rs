//! State survives a restart through the state file; a million tickets are served without being
//! held in memory; generated and sample records agree with the conditions evaluator.

mod support;

use msp_sandbox::manage::conditions::{Condition, matches};
use msp_sandbox::manage::{FIRST_GENERATED_TICKET, ManageOptions, ManageServer};
use msp_sandbox::seed::SeedOptions;
use msp_sandbox::state::StateFile;
use serde_json::json;
use support::{api, auth, get, send};

fn address(server: &ManageServer) -> std::net::SocketAddr {
    ([127, 0, 0, 1], server.port()).into()
}

fn temp_state(name: &str) -> std::path::PathBuf {
    let directory = std::env::temp_dir().join(format!("msp-sandbox-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&directory);
    std::fs::create_dir_all(&directory).unwrap();
    directory.join("state.json")
}

#[tokio::test]
async fn changes_survive_a_restart() {
    let path = temp_state("restart");
    let seed = SeedOptions {
        tickets: 100,
        ..SeedOptions::default()
    };
    let options = |seed: SeedOptions| ManageOptions {
        seed,
        state: Some(StateFile::open(&path).unwrap()),
        ..ManageOptions::default()
    };
    let created_id;
    {
        let server = ManageServer::start(options(seed.clone())).await.unwrap();
        let at = address(&server);
        let body = json!({"summary": "Kept", "board": {"id": 1}, "company": {"id": 251}});
        let created = send(
            at,
            "POST",
            &api("service/tickets"),
            &auth(),
            body.to_string().as_bytes(),
        )
        .await;
        assert_eq!(created.status, 201);
        created_id = created.json()["id"].as_i64().unwrap();
        assert_eq!(created_id, FIRST_GENERATED_TICKET + 100);
        let patch = json!([{"op": "replace", "path": "summary", "value": "Changed generated"}]);
        let generated = format!("service/tickets/{}", FIRST_GENERATED_TICKET + 3);
        assert_eq!(
            send(
                at,
                "PATCH",
                &api(&generated),
                &auth(),
                patch.to_string().as_bytes()
            )
            .await
            .status,
            200
        );
        let deleted = format!("service/tickets/{}", FIRST_GENERATED_TICKET + 4);
        assert_eq!(
            send(at, "DELETE", &api(&deleted), &auth(), b"")
                .await
                .status,
            204
        );
        assert_eq!(
            send(at, "DELETE", &api("service/tickets/1002"), &auth(), b"")
                .await
                .status,
            204
        );
        // The file is written after every change, never left half-written.
        assert!(path.exists());
        assert!(!path.with_extension("json.tmp").exists());
    }
    // A restart with other seed options keeps the saved seed: the changes only make sense over it.
    let server = ManageServer::start(options(SeedOptions::default()))
        .await
        .unwrap();
    assert_eq!(server.seed(), &seed);
    assert_eq!(
        server.record("/service/tickets", created_id).unwrap()["summary"],
        "Kept"
    );
    assert_eq!(
        server
            .record("/service/tickets", FIRST_GENERATED_TICKET + 3)
            .unwrap()["summary"],
        "Changed generated"
    );
    assert!(
        server
            .record("/service/tickets", FIRST_GENERATED_TICKET + 4)
            .is_none()
    );
    assert!(server.record("/service/tickets", 1002).is_none());
    assert_eq!(server.len("/service/tickets"), 14 + 100 + 1 - 2);
    let count = get(address(&server), "service/tickets/count").await.json();
    assert_eq!(count["count"], 14 + 100 + 1 - 2);
    // Ids keep counting from where they were.
    let body = json!({"summary": "Next", "board": {"id": 1}, "company": {"id": 251}});
    let next = send(
        address(&server),
        "POST",
        &api("service/tickets"),
        &auth(),
        body.to_string().as_bytes(),
    )
    .await;
    assert_eq!(next.json()["id"], created_id + 1);
    let _ = std::fs::remove_dir_all(path.parent().unwrap());
}

#[tokio::test]
async fn a_million_tickets() {
    let server = ManageServer::start(ManageOptions {
        seed: SeedOptions {
            tickets: 1_000_000,
            companies: 50,
            ..SeedOptions::default()
        },
        ..ManageOptions::default()
    })
    .await
    .unwrap();
    let at = address(&server);
    assert_eq!(
        get(at, "service/tickets/count").await.json()["count"],
        1_000_014
    );
    let last = get(at, "service/tickets?pageSize=1000&page=1001").await;
    let link = last.header("link").unwrap().to_owned();
    let tickets = last.json();
    assert_eq!(tickets.as_array().unwrap().len(), 14);
    assert_eq!(tickets[13]["id"], FIRST_GENERATED_TICKET + 999_999);
    assert!(
        link.contains("rel=\"first\"") && !link.contains("rel=\"next\""),
        "{link}"
    );
    let mut forward = support::auth();
    forward.push(("pagination-type".to_owned(), "forward-only".to_owned()));
    let page = send(
        at,
        "GET",
        &api("service/tickets?pageSize=1000&pageId=999000"),
        &forward,
        b"",
    )
    .await;
    let ids: Vec<i64> = page
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, (999_001..=1_000_000).collect::<Vec<_>>());
    assert!(
        page.header("link")
            .unwrap()
            .ends_with("pageSize=1000&pageId=1000000>; rel=\"next\"")
    );
    // Each generated ticket is the same every time it is rendered, with its notes.
    let one = get(at, "service/tickets/500000").await.json();
    assert_eq!(one, get(at, "service/tickets/500000").await.json());
    assert_eq!(
        get(at, "service/tickets/500000/notes").await.json()[0]["ticketId"],
        500_000
    );
    assert_eq!(server.page_json("/service/tickets", 3, 1000).unwrap(), {
        let page = get(at, "service/tickets?pageSize=1000&page=3").await;
        String::from_utf8(page.body).unwrap()
    });
}

/// `(conditions, ids of the sample tickets that match)`.
const TABLE: &[(&str, &[i64])] = &[
    (r#"board/name = "Network Operations""#, &[1013]),
    (r#"BOARD/NAME = "network operations""#, &[1013]),
    (r#"status/name != "New""#, &[1010, 1011]),
    (r#"status/name not in ("New", "Closed")"#, &[1010]),
    ("closedFlag = true", &[1011]),
    ("id in (1001, 1003, 9999)", &[1001, 1003]),
    ("id < 1003 or id > 1013", &[1001, 1002, 1014]),
    (r#"summary like "Please*""#, &[1009, 1012]),
    (r#"summary like "mailbox""#, &[]),
    ("dateEntered < [2026-05-13T00:00:00Z]", &[1011]),
    ("dateEntered >= [2026-05-14T11:41:00+02:00]", &[1014]),
    ("owner != null", &[1010]),
    (r#"owner/identifier != "amorgan""#, &[1010]),
    (
        r#"type/name = "Printer" or (type/name = "Network" and closedFlag = true)"#,
        &[1010, 1011],
    ),
];

#[tokio::test]
async fn the_evaluator_agrees_with_the_table() {
    let server = ManageServer::start(ManageOptions::default()).await.unwrap();
    let tickets = server.records("/service/tickets");
    assert_eq!(tickets.len(), 14);
    for (text, expected) in TABLE {
        let condition = Condition::parse(text).unwrap();
        let found: Vec<i64> = tickets
            .iter()
            .filter(|ticket| matches(&condition, ticket))
            .map(|ticket| ticket["id"].as_i64().unwrap())
            .collect();
        assert_eq!(&found, expected, "{text}");
    }
}

#[tokio::test]
async fn generated_tickets_are_filtered_like_the_sample_ones() {
    let server = ManageServer::start(ManageOptions {
        seed: SeedOptions {
            tickets: 2_000,
            companies: 5,
            ..SeedOptions::default()
        },
        ..ManageOptions::default()
    })
    .await
    .unwrap();
    let at = address(&server);
    let all = server.records("/service/tickets");
    // Read the expected set straight from the records, without the evaluator.
    let expected: Vec<i64> = all
        .iter()
        .filter(|t| t["company"]["identifier"] == "ACME" && t["closedFlag"] == false)
        .map(|t| t["id"].as_i64().unwrap())
        .collect();
    assert!(expected.len() > 10);
    let conditions = "company/identifier = \"acme\" and closedFlag = false";
    let encoded: String = url::form_urlencoded::byte_serialize(conditions.as_bytes()).collect();
    let mut found = Vec::new();
    for page in 1.. {
        let answer = get(
            at,
            &format!("service/tickets?conditions={encoded}&pageSize=100&page={page}"),
        )
        .await;
        let items = answer.json();
        let items = items.as_array().unwrap();
        if items.is_empty() {
            break;
        }
        found.extend(items.iter().map(|t| t["id"].as_i64().unwrap()));
    }
    assert_eq!(found, expected);
}
