//! `mcp-server` driven by the official MCP client (rmcp) over stdio, against sandboxes started
//! here: the tools and their schemas, every tool's effect on the sandbox's records and
//! counters, refusals that send nothing, tenant isolation, the audit log, and faults that
//! become tool errors. (The server is a child process; waiting is on its pipes, never a timer.)

use std::path::PathBuf;
use std::process::Stdio;

use connectwise_manage::sandbox::{
    Accounting, Event, FaultOptions, FaultRateLimit, ManageOptions, ManageServer, RetryAfterForm,
};
use rmcp::model::{CallToolRequestParams, CallToolResult};
use rmcp::service::RunningService;
use rmcp::transport::{ConfigureCommandExt, TokioChildProcess};
use rmcp::{RoleClient, ServiceExt};
use serde_json::{Value, json};

/// The variable the test configuration names for the private key.
const PRIVATE_KEY_VAR: &str = "MCP_TEST_PRIVATE_KEY";

/// A scratch directory for one test's configuration, secrets and audit log.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("mcp-server-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// Writes a configuration with one tenant per `(name, server, max_attempts)` into `dir`: the
/// private key from an environment variable, the clientId from a file.
fn write_config(dir: &std::path::Path, tenants: &[(&str, &ManageServer)]) -> PathBuf {
    let credentials = tenants[0].1.credentials();
    std::fs::write(
        dir.join("client-id.txt"),
        format!("{}\n", credentials.client_id),
    )
    .expect("secret file");
    let mut text = String::from("[audit]\nfile = \"audit.jsonl\"\ntext = \"hash\"\n");
    for (name, server) in tenants {
        let c = server.credentials();
        text.push_str(&format!(
            "\n[[tenant]]\nname = \"{name}\"\nrequests_per_minute = 6000\nmax_attempts = 1\n\
             [tenant.manage]\nsite = \"{site}\"\ncompany = \"{company}\"\npublic_key = \"{public}\"\n\
             private_key = {{ env = \"{PRIVATE_KEY_VAR}\" }}\nclient_id = {{ file = \"client-id.txt\" }}\n",
            site = server.site(),
            company = c.company,
            public = c.public_key,
        ));
    }
    let path = dir.join("tenants.toml");
    std::fs::write(&path, text).expect("config");
    path
}

async fn start_server(args: &[&str]) -> RunningService<RoleClient, ()> {
    let private_key = msp_sandbox::manage::CREDENTIALS.private_key;
    let command = tokio::process::Command::new(env!("CARGO_BIN_EXE_mcp-server")).configure(|cmd| {
        cmd.args(args).env(PRIVATE_KEY_VAR, private_key);
    });
    let (transport, _) = TokioChildProcess::builder(command)
        .stderr(Stdio::null())
        .spawn()
        .expect("mcp-server starts");
    ().serve(transport).await.expect("initialize")
}

async fn call(
    client: &RunningService<RoleClient, ()>,
    tool: &str,
    arguments: Value,
) -> CallToolResult {
    let Value::Object(arguments) = arguments else {
        panic!("arguments are an object")
    };
    client
        .call_tool(CallToolRequestParams::new(tool.to_owned()).with_arguments(arguments))
        .await
        .expect("the call is answered")
}

/// The answer's JSON and whether it is a tool error.
fn answer(result: &CallToolResult) -> (Value, bool) {
    let value = result
        .structured_content
        .clone()
        .expect("structured content");
    (value, result.is_error == Some(true))
}

fn writes(server: &ManageServer) -> u64 {
    let counters = server.counters();
    counters.get(Event::Created) + counters.get(Event::Updated) + counters.get(Event::Deleted)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tools_are_listed_with_their_schemas() {
    let client = start_server(&[]).await;
    let tools = client.list_all_tools().await.expect("tools");
    let listed: Vec<Value> = tools
        .iter()
        .map(|tool| {
            json!({
                "name": tool.name,
                "description": tool.description,
                "input_schema": Value::Object((*tool.input_schema).clone()),
            })
        })
        .collect();
    insta::assert_json_snapshot!("mcp_tools", listed);
    client.cancel().await.expect("closed");
}

async fn sandbox() -> ManageServer {
    ManageServer::start(ManageOptions::default())
        .await
        .expect("sandbox")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_tool_works_against_the_sandbox() {
    let server = sandbox().await;
    let dir = scratch("every-tool");
    let config = write_config(&dir, &[("acme-msp", &server)]);
    let client = start_server(&["--config", config.to_str().unwrap(), "--allow-writes"]).await;

    let (found, error) = answer(
        &call(
            &client,
            "search_tickets",
            json!({"company": "ACME", "limit": 3}),
        )
        .await,
    );
    assert!(!error, "{found}");
    assert_eq!(found["count"], 3);
    let acme = server
        .records("service/tickets")
        .iter()
        .filter(|t| t["company"]["identifier"] == "ACME")
        .count();
    assert!(acme > 3, "the sample has more than 3 Acme tickets");
    assert_eq!(found["truncated"], true, "{found}");
    assert!(found["tickets"][0]["summary"].is_string(), "{found}");
    let (all, _) = answer(
        &call(
            &client,
            "search_tickets",
            json!({"company": "ACME", "limit": 50}),
        )
        .await,
    );
    assert_eq!(all["count"], acme);
    assert_eq!(all["truncated"], false);

    let (details, error) =
        answer(&call(&client, "get_ticket_details", json!({"ticket_id": 1001})).await);
    assert!(!error, "{details}");
    let ticket = &details["ticket"];
    assert_eq!(ticket["id"], 1001);
    assert!(ticket["contact"]["emails"][0].is_string(), "{details}");
    assert!(ticket["company"]["name"].is_string(), "{details}");
    assert!(
        ticket["notes"]["latest"]
            .as_array()
            .is_some_and(|n| !n.is_empty()),
        "{details}"
    );
    assert!(ticket["configurations"]["items"].is_array(), "{details}");

    let (companies, _) = answer(
        &call(
            &client,
            "search_companies",
            json!({"name_contains": "Acme"}),
        )
        .await,
    );
    assert_eq!(
        companies["companies"][0]["identifier"], "ACME",
        "{companies}"
    );
    let (contacts, _) = answer(&call(&client, "search_contacts", json!({"company": "ACME"})).await);
    assert!(contacts["count"].as_u64().unwrap() > 0, "{contacts}");
    let (devices, _) =
        answer(&call(&client, "find_configurations", json!({"company": "ACME"})).await);
    assert!(devices["configurations"].is_array(), "{devices}");

    assert_eq!(writes(&server), 0, "reads wrote nothing");
    let notes_before = server.records("service/tickets/1001/notes").len();
    let (note, error) = answer(
        &call(
            &client,
            "add_ticket_note",
            json!({"ticket_id": 1001, "text": "Rebooted the print spooler.", "internal": true}),
        )
        .await,
    );
    assert!(!error, "{note}");
    let notes = server.records("service/tickets/1001/notes");
    assert_eq!(notes.len(), notes_before + 1);
    let added = notes
        .iter()
        .find(|n| n["id"] == note["note_id"])
        .expect("the note is stored");
    assert_eq!(added["text"], "Rebooted the print spooler.");
    assert_eq!(added["internalAnalysisFlag"], true);

    let (updated, error) = answer(
        &call(
            &client,
            "update_ticket",
            json!({"ticket_id": 1001, "status": "In Progress"}),
        )
        .await,
    );
    assert!(!error, "{updated}");
    assert_eq!(
        server.record("service/tickets", 1001).unwrap()["status"]["name"],
        "In Progress"
    );
    assert_eq!(updated["ticket"]["status"], "In Progress");

    let entries_before = server.records("time/entries").len();
    let (entry, error) = answer(
        &call(
            &client,
            "create_time_entry",
            json!({"ticket_id": 1001, "member": "amorgan", "minutes": 30,
               "started": "2026-05-14T09:00:00Z", "notes": "Spooler restart"}),
        )
        .await,
    );
    assert!(!error, "{entry}");
    let entries = server.records("time/entries");
    assert_eq!(entries.len(), entries_before + 1);
    let created = entries
        .iter()
        .find(|e| e["id"] == entry["time_entry_id"])
        .expect("stored");
    assert_eq!(created["chargeToId"], 1001);
    assert_eq!(created["timeStart"], "2026-05-14T09:00:00Z");
    assert_eq!(created["timeEnd"], "2026-05-14T09:30:00Z");
    client.cancel().await.expect("closed");

    // One audit line per call, no secret and no note text in any of them.
    let audit = std::fs::read_to_string(dir.join("audit.jsonl")).expect("audit log");
    let lines: Vec<Value> = audit
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    assert_eq!(lines.len(), 9, "{audit}");
    assert_eq!(lines[0]["tool"], "search_tickets");
    assert_eq!(lines[0]["tenant"], "acme-msp");
    assert_eq!(lines[0]["outcome"], "ok");
    assert!(
        lines[4]["records"]
            .as_array()
            .is_some_and(|r| !r.is_empty())
    );
    let credentials = server.credentials();
    for secret in [
        credentials.private_key,
        credentials.client_id,
        "print spooler",
        "Spooler restart",
    ] {
        assert!(!audit.contains(secret), "the audit log holds {secret:?}");
    }
    assert!(
        lines[6]["arguments"]["text"]
            .as_str()
            .unwrap()
            .starts_with("sha256:")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writes_and_bad_conditions_are_refused_before_sending() {
    let server = sandbox().await;
    let dir = scratch("refusals");
    let config = write_config(&dir, &[("only", &server)]);
    let client = start_server(&["--config", config.to_str().unwrap()]).await;
    let before = server.counters().total_requests();

    for (tool, arguments) in [
        (
            "add_ticket_note",
            json!({"ticket_id": 1001, "text": "x", "internal": false}),
        ),
        (
            "update_ticket",
            json!({"ticket_id": 1001, "status": "Closed"}),
        ),
        (
            "create_time_entry",
            json!({"ticket_id": 1001, "member": "jsmith", "minutes": 5, "notes": "x"}),
        ),
    ] {
        let (refused, error) = answer(&call(&client, tool, arguments).await);
        assert!(error, "{tool}: {refused}");
        assert!(
            refused["error"]
                .as_str()
                .unwrap()
                .contains("--allow-writes"),
            "{refused}"
        );
    }
    let (bad, error) = answer(
        &call(
            &client,
            "search_tickets",
            json!({"conditions": "status/name = \"New\" and and"}),
        )
        .await,
    );
    assert!(error);
    let message = bad["error"].as_str().unwrap();
    assert!(message.contains("invalid conditions at byte "), "{message}");
    assert_eq!(
        server.counters().total_requests(),
        before,
        "nothing was sent"
    );
    assert_eq!(writes(&server), 0);
    client.cancel().await.expect("closed");

    let audit = std::fs::read_to_string(dir.join("audit.jsonl")).expect("audit log");
    assert_eq!(audit.lines().count(), 4);
    assert!(
        audit.lines().all(|l| l.contains("\"outcome\":\"refused\"")),
        "{audit}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_call_only_reaches_the_tenant_it_names() {
    let a = sandbox().await;
    let b = sandbox().await;
    let dir = scratch("isolation");
    let config = write_config(&dir, &[("a", &a), ("b", &b)]);
    let client = start_server(&["--config", config.to_str().unwrap(), "--allow-writes"]).await;

    let (found, error) = answer(&call(&client, "search_tickets", json!({"tenant": "a"})).await);
    assert!(!error, "{found}");
    let (_, error) = answer(
        &call(
            &client,
            "add_ticket_note",
            json!({"tenant": "a", "ticket_id": 1001, "text": "for a", "internal": true}),
        )
        .await,
    );
    assert!(!error);
    assert!(a.counters().total_requests() > 0);
    assert_eq!(
        b.counters().total_requests(),
        0,
        "tenant b was never called"
    );
    assert_eq!(a.counters().get(Event::Created), 1);

    let (unnamed, error) = answer(&call(&client, "search_tickets", json!({})).await);
    assert!(
        error
            && unnamed["error"]
                .as_str()
                .unwrap()
                .contains("name one in `tenant`"),
        "{unnamed}"
    );
    let (unknown, error) = answer(&call(&client, "search_tickets", json!({"tenant": "c"})).await);
    assert!(
        error
            && unknown["error"]
                .as_str()
                .unwrap()
                .contains("unknown tenant"),
        "{unknown}"
    );
    assert_eq!(b.counters().total_requests(), 0);

    let (_, error) = answer(&call(&client, "search_companies", json!({"tenant": "b"})).await);
    assert!(!error);
    assert!(b.counters().total_requests() > 0);
    client.cancel().await.expect("closed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_errors_and_429s_become_tool_errors() {
    let failing = ManageServer::start(ManageOptions {
        faults: FaultOptions {
            server_errors: 1.0,
            server_error_statuses: vec![503],
            ..FaultOptions::default()
        },
        ..ManageOptions::default()
    })
    .await
    .expect("sandbox");
    let throttled = ManageServer::start(ManageOptions {
        faults: FaultOptions {
            rate_limit: Some(FaultRateLimit {
                accounting: Accounting::TokenBucket {
                    capacity: 0,
                    per_second: 0.0,
                },
                retry_after: RetryAfterForm::Seconds,
            }),
            ..FaultOptions::default()
        },
        ..ManageOptions::default()
    })
    .await
    .expect("sandbox");
    let dir = scratch("faults");
    let config = write_config(&dir, &[("failing", &failing), ("throttled", &throttled)]);
    let client = start_server(&["--config", config.to_str().unwrap()]).await;

    for _ in 0..3 {
        let (failed, error) =
            answer(&call(&client, "search_tickets", json!({"tenant": "failing"})).await);
        assert!(error, "{failed}");
        assert!(
            failed["error"].as_str().unwrap().contains("503"),
            "{failed}"
        );
    }
    assert!(failing.counters().get(Event::InjectedServerError) >= 3);
    for _ in 0..5 {
        let (throttled_answer, error) = answer(
            &call(
                &client,
                "get_ticket_details",
                json!({"tenant": "throttled", "ticket_id": 1001}),
            )
            .await,
        );
        assert!(error, "{throttled_answer}");
        assert!(
            throttled_answer["error"].as_str().unwrap().contains("429"),
            "{throttled_answer}"
        );
    }
    assert!(throttled.counters().get(Event::Throttled) >= 5);
    // Still serving.
    assert_eq!(client.list_all_tools().await.expect("tools").len(), 8);
    client.cancel().await.expect("closed");
}

#[test]
fn the_example_configuration_parses() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/mcp-tenants.example.toml");
    let config = examples::mcp::config::Config::load(std::path::Path::new(path)).expect("parses");
    let names: Vec<&str> = config.tenants.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["contoso-msp", "fabrikam-msp"]);
    assert!(config.tenants[0].manage.private_key.env.is_some());
    assert!(config.tenants[1].manage.private_key.file.is_some());
}
