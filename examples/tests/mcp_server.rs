//! `mcp-server` driven by the official MCP client (rmcp) over stdio, against sandboxes started
//! here: the tools and their schemas, every tool's effect on the sandbox's records and
//! counters, refusals that send nothing, tenant isolation, the audit log, and faults that
//! become tool errors. (The server is a child process; waiting is on its pipes, never a timer.)

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use connectwise_manage::sandbox::{
    Accounting, Event, FaultOptions, FaultRateLimit, ManageOptions, ManageServer, RetryAfterForm,
};
use rmcp::model::{CallToolRequestParams, CallToolResult};
use rmcp::service::RunningService;
use rmcp::transport::{ConfigureCommandExt, TokioChildProcess};
use rmcp::{RoleClient, ServiceExt};
use screenconnect_api::sandbox::{ScreenConnectOptions, ScreenConnectServer};
use serde_json::{Value, json};

/// The variable the test configuration names for the private key.
const PRIVATE_KEY_VAR: &str = "MCP_TEST_PRIVATE_KEY";

/// The variable the test configuration names for the ScreenConnect secret.
const SC_SECRET_VAR: &str = "MCP_TEST_SC_SECRET";

/// A scratch directory for one test's configuration, secrets and audit log.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("mcp-server-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// One tenant of a test configuration: its Manage sandbox and, optionally, its ScreenConnect one.
struct TestTenant<'a> {
    name: &'a str,
    manage: &'a ManageServer,
    screenconnect: Option<&'a ScreenConnectServer>,
}

fn tenant<'a>(name: &'a str, manage: &'a ManageServer) -> TestTenant<'a> {
    TestTenant {
        name,
        manage,
        screenconnect: None,
    }
}

fn with_sc<'a>(
    name: &'a str,
    manage: &'a ManageServer,
    screenconnect: &'a ScreenConnectServer,
) -> TestTenant<'a> {
    TestTenant {
        name,
        manage,
        screenconnect: Some(screenconnect),
    }
}

/// Writes a configuration of `tenants` into `dir`: the private key and the ScreenConnect secret
/// from environment variables, the clientId from a file, no retries, and command results
/// checked back to back (the sandbox's agents answer at once).
fn write_config(dir: &std::path::Path, tenants: &[TestTenant<'_>]) -> PathBuf {
    let credentials = tenants[0].manage.credentials();
    std::fs::write(
        dir.join("client-id.txt"),
        format!("{}\n", credentials.client_id),
    )
    .expect("secret file");
    let mut text = String::from("[audit]\nfile = \"audit.jsonl\"\ntext = \"hash\"\n");
    for TestTenant {
        name,
        manage,
        screenconnect,
    } in tenants
    {
        let c = manage.credentials();
        text.push_str(&format!(
            "\n[[tenant]]\nname = \"{name}\"\nrequests_per_minute = 6000\nmax_attempts = 1\n\
             [tenant.manage]\nsite = \"{site}\"\ncompany = \"{company}\"\npublic_key = \"{public}\"\n\
             private_key = {{ env = \"{PRIVATE_KEY_VAR}\" }}\nclient_id = {{ file = \"client-id.txt\" }}\n",
            site = manage.site(),
            company = c.company,
            public = c.public_key,
        ));
        if let Some(sc) = screenconnect {
            text.push_str(&format!(
                "[tenant.screenconnect]\ninstance = \"{}\"\nsecret = {{ env = \"{SC_SECRET_VAR}\" }}\n\
                 command_poll_ms = 0\n",
                sc.instance()
            ));
        }
    }
    let path = dir.join("tenants.toml");
    std::fs::write(&path, text).expect("config");
    path
}

fn server_command(args: &[&str]) -> tokio::process::Command {
    let private_key = msp_sandbox::manage::CREDENTIALS.private_key;
    tokio::process::Command::new(env!("CARGO_BIN_EXE_mcp-server")).configure(|cmd| {
        cmd.args(args)
            .env(PRIVATE_KEY_VAR, private_key)
            .env(SC_SECRET_VAR, msp_sandbox::screenconnect::SECRET);
    })
}

async fn start_server(args: &[&str]) -> RunningService<RoleClient, ()> {
    let (transport, _) = TokioChildProcess::builder(server_command(args))
        .stderr(Stdio::null())
        .spawn()
        .expect("mcp-server starts");
    ().serve(transport).await.expect("initialize")
}

/// A ScreenConnect sandbox whose agents report as soon as they run a command.
async fn sc_sandbox(faults: FaultOptions) -> ScreenConnectServer {
    ScreenConnectServer::start(ScreenConnectOptions {
        command_delay: Duration::ZERO,
        faults,
        ..ScreenConnectOptions::default()
    })
    .await
    .expect("ScreenConnect sandbox")
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

    let info = client.peer_info().expect("initialized");
    let server_info = info.server_info.as_ref().expect("serverInfo");
    assert_eq!(server_info.name, "mcp-server");
    assert_eq!(server_info.version, env!("CARGO_PKG_VERSION"));

    // Without a configuration, the sandbox's ScreenConnect side serves the one tenant.
    let (found, error) = answer(
        &call(
            &client,
            "find_screenconnect_session",
            json!({"name": "ACME-WS-042"}),
        )
        .await,
    );
    assert!(!error, "{found}");
    assert_eq!(found["count"], 1, "{found}");
    assert_eq!(found["sessions"][0]["name"], "ACME-WS-042");
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
    let sc = sc_sandbox(FaultOptions::default()).await;
    let dir = scratch("every-tool");
    let config = write_config(&dir, &[with_sc("acme-msp", &server, &sc)]);
    let client = start_server(&[
        "--config",
        config.to_str().unwrap(),
        "--allow-writes",
        "--allow-commands",
    ])
    .await;

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
            json!({"ticket_id": 1001, "status": "in progress", "priority": "Priority 2 - Quick Response",
                   "type": "Printer", "subtype": "paper jam", "owner": "Bao Nguyen"}),
        )
        .await,
    );
    assert!(!error, "{updated}");
    let ticket = server.record("service/tickets", 1001).unwrap();
    assert_eq!(
        ticket["status"]["id"], 12,
        "the Help Desk board's In Progress"
    );
    assert_eq!(ticket["status"]["name"], "In Progress");
    assert_eq!(ticket["priority"]["id"], 2);
    assert_eq!(ticket["type"]["id"], 32);
    assert_eq!(ticket["subType"]["id"], 51);
    assert_eq!(ticket["owner"]["identifier"], "bnguyen");
    assert_eq!(updated["ticket"]["status"], "In Progress");
    let patches: Vec<_> = server
        .writes()
        .into_iter()
        .filter(|w| w.method == "PATCH")
        .collect();
    assert_eq!(patches.len(), 1, "one JSON Patch for the five fields");
    let operations = patches[0].body.as_ref().and_then(Value::as_array).unwrap();
    assert_eq!(operations.len(), 5, "{operations:?}");

    // Statuses are the board's: moving to Network Operations resolves its own "Monitoring".
    let (moved, error) = answer(
        &call(
            &client,
            "update_ticket",
            json!({"ticket_id": 1001, "board": "Network Operations", "status": "Monitoring"}),
        )
        .await,
    );
    assert!(!error, "{moved}");
    let ticket = server.record("service/tickets", 1001).unwrap();
    assert_eq!(ticket["board"]["id"], 2);
    assert_eq!(ticket["status"]["id"], 22);

    // An unknown name lists the choices and changes nothing.
    let writes_before = writes(&server);
    let (unknown, error) = answer(
        &call(
            &client,
            "update_ticket",
            json!({"ticket_id": 1001, "status": "Waiting on Client"}),
        )
        .await,
    );
    assert!(error, "{unknown}");
    let message = unknown["error"].as_str().unwrap();
    assert!(
        message.contains("unknown status \"Waiting on Client\" on board \"Network Operations\"")
            && message.contains("New, Monitoring, Closed"),
        "{message}"
    );
    assert_eq!(writes(&server), writes_before, "nothing was changed");

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

    let (sessions, error) = answer(
        &call(
            &client,
            "find_screenconnect_session",
            json!({"company": "Acme Corporation", "online_only": true}),
        )
        .await,
    );
    assert!(!error, "{sessions}");
    let found = sessions["sessions"].as_array().unwrap();
    assert!(!found.is_empty(), "{sessions}");
    assert!(found.iter().all(|s| s["status"] == "online"), "{sessions}");
    let session = found
        .iter()
        .find(|s| s["name"] == "ACME-WS-042")
        .expect("the workstation");
    let expected_id = sc.session_named("ACME-WS-042").unwrap()["SessionID"].clone();
    assert_eq!(session["session_id"], expected_id);

    let (ran, error) = answer(
        &call(
            &client,
            "run_screenconnect_command",
            json!({"session": "ACME-WS-042", "command": "Get-Service Spooler"}),
        )
        .await,
    );
    assert!(!error, "{ran}");
    assert_eq!(ran["exit_code"], 0, "{ran}");
    assert_eq!(ran["session_id"], expected_id);
    assert!(
        ran["output"].as_str().unwrap().contains("Running  Spooler"),
        "{ran}"
    );
    let commands = sc.commands();
    assert_eq!(commands.len(), 1, "sent once");
    assert_eq!(commands[0].session_name, "ACME-WS-042");
    assert!(commands[0].text.contains("Get-Service Spooler"));

    // An agent that is not connected gets nothing: the command would wait in its queue.
    let (offline, error) = answer(
        &call(
            &client,
            "run_screenconnect_command",
            json!({"session": "NW-LT-007", "command": "uptime"}),
        )
        .await,
    );
    assert!(error, "{offline}");
    let message = offline["error"].as_str().unwrap();
    assert!(
        message.contains("not online") && message.contains("Nothing ran"),
        "{message}"
    );
    assert_eq!(sc.commands().len(), 1, "nothing more was sent");
    client.cancel().await.expect("closed");

    // One audit line per call, no secret and no note text in any of them.
    let audit = std::fs::read_to_string(dir.join("audit.jsonl")).expect("audit log");
    let lines: Vec<Value> = audit
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    assert_eq!(lines.len(), 14, "{audit}");
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
        sc.secret(),
        "print spooler",
        "Spooler restart",
        "Get-Service",
    ] {
        assert!(!audit.contains(secret), "the audit log holds {secret:?}");
    }
    assert!(
        lines[6]["arguments"]["text"]
            .as_str()
            .unwrap()
            .starts_with("sha256:")
    );
    assert_eq!(lines[9]["outcome"], "refused", "the unknown status");
    assert_eq!(lines[12]["tool"], "run_screenconnect_command");
    assert_eq!(lines[12]["outcome"], "ok");
    assert_eq!(
        lines[12]["records"][0],
        format!("screenconnect/sessions/{}", expected_id.as_str().unwrap())
    );
    assert!(
        lines[12]["arguments"]["command"]
            .as_str()
            .unwrap()
            .starts_with("sha256:")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writes_and_bad_conditions_are_refused_before_sending() {
    let server = sandbox().await;
    let sc = sc_sandbox(FaultOptions::default()).await;
    let dir = scratch("refusals");
    let config = write_config(&dir, &[with_sc("only", &server, &sc)]);
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
    let (refused, error) = answer(
        &call(
            &client,
            "run_screenconnect_command",
            json!({"session": "ACME-WS-042", "command": "hostname"}),
        )
        .await,
    );
    assert!(error, "{refused}");
    assert!(
        refused["error"]
            .as_str()
            .unwrap()
            .contains("--allow-commands"),
        "{refused}"
    );
    assert_eq!(
        sc.counters().total_requests(),
        0,
        "nothing reached ScreenConnect"
    );
    assert!(sc.commands().is_empty());
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
    assert_eq!(audit.lines().count(), 5);
    assert!(
        audit.lines().all(|l| l.contains("\"outcome\":\"refused\"")),
        "{audit}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_call_only_reaches_the_tenant_it_names() {
    let a = sandbox().await;
    let b = sandbox().await;
    let a_sc = sc_sandbox(FaultOptions::default()).await;
    let b_sc = sc_sandbox(FaultOptions::default()).await;
    let dir = scratch("isolation");
    let config = write_config(&dir, &[with_sc("a", &a, &a_sc), with_sc("b", &b, &b_sc)]);
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
    let (_, error) = answer(
        &call(
            &client,
            "find_screenconnect_session",
            json!({"tenant": "a", "name_contains": "ACME"}),
        )
        .await,
    );
    assert!(!error);
    assert!(a.counters().total_requests() > 0);
    assert!(a_sc.counters().total_requests() > 0);
    assert_eq!(
        b.counters().total_requests(),
        0,
        "tenant b was never called"
    );
    assert_eq!(b_sc.counters().total_requests(), 0);
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
    assert_eq!(b_sc.counters().total_requests(), 0);
    client.cancel().await.expect("closed");
}

/// Faults answering every request with a 503.
fn always_503() -> FaultOptions {
    FaultOptions {
        server_errors: 1.0,
        server_error_statuses: vec![503],
        ..FaultOptions::default()
    }
}

/// Faults answering every request with a 429 and `Retry-After` in `form`.
fn always_429(form: RetryAfterForm) -> FaultOptions {
    FaultOptions {
        rate_limit: Some(FaultRateLimit {
            accounting: Accounting::TokenBucket {
                capacity: 0,
                per_second: 0.0,
            },
            retry_after: form,
        }),
        ..FaultOptions::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_errors_and_429s_become_tool_errors() {
    let manage_with = |faults| async move {
        ManageServer::start(ManageOptions {
            faults,
            ..ManageOptions::default()
        })
        .await
        .expect("sandbox")
    };
    let failing = manage_with(always_503()).await;
    let throttled = manage_with(always_429(RetryAfterForm::Seconds)).await;
    let failing_sc = sc_sandbox(always_503()).await;
    let throttled_sc = sc_sandbox(always_429(RetryAfterForm::HttpDate)).await;
    let dir = scratch("faults");
    let config = write_config(
        &dir,
        &[
            with_sc("failing", &failing, &failing_sc),
            with_sc("throttled", &throttled, &throttled_sc),
            tenant("manage-only", &failing),
        ],
    );
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
    let (failed, error) = answer(
        &call(
            &client,
            "find_screenconnect_session",
            json!({"tenant": "failing", "name": "ACME-WS-042"}),
        )
        .await,
    );
    assert!(error, "{failed}");
    let message = failed["error"].as_str().unwrap();
    assert!(
        message.starts_with("ScreenConnect: ") && message.contains("503"),
        "{message}"
    );
    for _ in 0..3 {
        let (throttled_answer, error) = answer(
            &call(
                &client,
                "find_screenconnect_session",
                json!({"tenant": "throttled", "online_only": true}),
            )
            .await,
        );
        assert!(error, "{throttled_answer}");
        assert!(
            throttled_answer["error"].as_str().unwrap().contains("429"),
            "{throttled_answer}"
        );
    }
    assert!(throttled_sc.counters().get(Event::Throttled) >= 3);
    let (none, error) = answer(
        &call(
            &client,
            "find_screenconnect_session",
            json!({"tenant": "manage-only"}),
        )
        .await,
    );
    assert!(error, "{none}");
    assert!(
        none["error"]
            .as_str()
            .unwrap()
            .contains("has no ScreenConnect instance configured"),
        "{none}"
    );
    // Still serving.
    assert_eq!(client.list_all_tools().await.expect("tools").len(), 10);
    client.cancel().await.expect("closed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn streamable_http_serves_the_same_tools() {
    use rmcp::transport::StreamableHttpClientTransport;
    use tokio::io::AsyncBufReadExt;

    let server = sandbox().await;
    let dir = scratch("http");
    let config = write_config(&dir, &[tenant("over-http", &server)]);
    let mut child = server_command(&[
        "--config",
        config.to_str().unwrap(),
        "--http",
        "127.0.0.1:0",
    ])
    .stdin(Stdio::null())
    .stdout(Stdio::null())
    .stderr(Stdio::piped())
    .kill_on_drop(true)
    .spawn()
    .expect("mcp-server starts");
    // The server says where it listens on standard error once it is bound.
    let mut stderr = tokio::io::BufReader::new(child.stderr.take().unwrap()).lines();
    let url = loop {
        let line = stderr
            .next_line()
            .await
            .expect("stderr")
            .expect("the server says where it serves before exiting");
        if let Some(url) = line.strip_prefix("mcp-server: serving ") {
            break url.to_owned();
        }
    };
    assert!(
        url.starts_with("http://127.0.0.1:") && url.ends_with("/mcp"),
        "{url}"
    );

    let client =
        ().serve(StreamableHttpClientTransport::from_uri(url))
            .await
            .expect("initialize over HTTP");
    assert_eq!(
        client
            .peer_info()
            .and_then(|info| info.server_info.clone())
            .map(|server_info| server_info.name),
        Some("mcp-server".to_owned())
    );
    let tools = client.list_all_tools().await.expect("tools");
    assert_eq!(tools.len(), 10);
    let before = server.counters().total_requests();
    let (found, error) = answer(
        &call(
            &client,
            "search_tickets",
            json!({"company": "ACME", "limit": 2}),
        )
        .await,
    );
    assert!(!error, "{found}");
    assert_eq!(found["count"], 2, "{found}");
    assert!(server.counters().total_requests() > before);
    client.cancel().await.expect("closed");
    child.kill().await.expect("stopped");

    let audit = std::fs::read_to_string(dir.join("audit.jsonl")).expect("audit log");
    assert_eq!(audit.lines().count(), 1, "{audit}");
    assert!(audit.contains("\"tenant\":\"over-http\""), "{audit}");
}

#[test]
fn the_example_configuration_parses() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/mcp-tenants.example.toml");
    let config = examples::mcp::config::Config::load(std::path::Path::new(path)).expect("parses");
    let names: Vec<&str> = config.tenants.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["contoso-msp", "fabrikam-msp"]);
    assert!(config.tenants[0].manage.private_key.env.is_some());
    assert!(config.tenants[1].manage.private_key.file.is_some());
    let screenconnect: Vec<_> = config
        .tenants
        .iter()
        .map(|t| t.screenconnect.as_ref().expect("ScreenConnect"))
        .collect();
    assert_eq!(
        screenconnect[0].secret.env.as_deref(),
        Some("CONTOSO_SC_SECRET")
    );
    // Secret files are named relative to the configuration file.
    let file = screenconnect[1].secret.file.as_ref().expect("a file");
    assert!(
        file.ends_with("data/secrets/fabrikam-sc-secret"),
        "{}",
        file.display()
    );
}
