//! The ScreenConnect server end to end: the `screenconnect-api` client (through its `sandbox`
//! feature, whose client waits on tokio's clock) and plain HTTP requests against it on loopback.
//! Every test runs on tokio's paused clock, so the simulated agents' delays and the client's
//! polling take no real time.

use std::time::Duration;

use msp_common::ApiErrorKind;
use msp_sandbox::counters::Event;
use msp_sandbox::faults::FaultOptions;
use msp_sandbox::screenconnect::{AllowedOrigin, EXTENSION_ID, SECRET, ScreenConnectOptions};
use msp_sandbox::seed::{Seed, SeedOptions};
use screenconnect_api::command::{CommandScript, Shell};
use screenconnect_api::filter::{Field, SessionFilter};
use screenconnect_api::installer::{AccessInstaller, InstallerPlatform};
use screenconnect_api::models::{CustomProperties, EventType, OnlineStatus, SessionType};
use screenconnect_api::sandbox::Sandbox;
use screenconnect_api::{Client, Config, NewSession, RunOptions, SecretString};
use serde_json::{Value, json};

/// A client of `sandbox` sending `secret`, without retries.
fn client_with(sandbox: &Sandbox, secret: &str) -> Client {
    let config = Config::new(&sandbox.instance(), SecretString::from(secret)).unwrap();
    Client::builder(config)
        .retry_policy(screenconnect_api::RetryPolicy::none())
        .build()
        .unwrap()
}

/// The sandbox's ready client: default retries, on tokio's clock.
fn client(sandbox: &Sandbox) -> Client {
    sandbox.client().clone()
}

async fn start(options: ScreenConnectOptions) -> Sandbox {
    Sandbox::start_with(options).await.unwrap()
}

async fn start_default() -> Sandbox {
    start(ScreenConnectOptions::default()).await
}

async fn session_id(client: &Client, name: &str) -> screenconnect_api::models::SessionId {
    let mut sessions = client.sessions_by_name(name).await.unwrap();
    assert_eq!(sessions.len(), 1, "one session named {name}");
    sessions.remove(0).session_id
}

/// The event types of a session's history, oldest first.
fn event_types(details: &Value) -> Vec<u64> {
    let mut events: Vec<(String, u64)> = details["Events"]
        .as_array()
        .unwrap()
        .iter()
        .chain(
            details["Connections"]
                .as_array()
                .unwrap()
                .iter()
                .flat_map(|c| c["Events"].as_array().unwrap().iter()),
        )
        .map(|e| {
            (
                e["Time"].as_str().unwrap().to_owned(),
                e["EventType"].as_u64().unwrap(),
            )
        })
        .collect();
    events.sort();
    events.into_iter().map(|(_, t)| t).collect()
}

#[tokio::test(start_paused = true)]
async fn run_command_returns_the_output_after_the_agent_delay() {
    let server = start_default().await;
    let client = client(&server);
    let id = session_id(&client, "ACME-WS-042").await;
    let started = tokio::time::Instant::now();
    let run = client
        .run_command(
            &id,
            &CommandScript::new(Shell::PowerShell, "hostname"),
            &RunOptions::new().only_if_online(true),
        )
        .await
        .unwrap();
    assert_eq!(run.result.output, "ACME-WS-042\n");
    assert_eq!(run.result.exit_code, Some(0));
    assert!(run.matched_sentinel);
    assert!(!run.result.killed && !run.result.truncated);
    // The agent reports after its 2 s delay: the poll at 1.5 s saw nothing, the next one did.
    assert!(started.elapsed() >= Duration::from_secs(2));
    assert_eq!(server.counters().get(Event::CommandRun), 1);
    let counters = server.counters();
    assert_eq!(
        counters.requests("POST Service.ashx/SendCommandToSession", 200),
        1
    );
    // The details before sending, then the polls at 1.5 s and 3.75 s.
    assert_eq!(
        counters.requests("POST Service.ashx/GetSessionDetailsBySessionID", 200),
        3
    );
    let commands = server.commands();
    assert_eq!(commands.len(), 1);
    assert_eq!(commands[0].session_name, "ACME-WS-042");
    assert!(commands[0].text.starts_with("#!ps\n"));

    let details = server.session_details(id.as_str()).unwrap();
    let types = event_types(&details);
    assert_eq!(&types[types.len() - 3..], [44, 54, 70]);
    assert_eq!(details["Session"]["QueuedEventType"], 0);
}

#[tokio::test(start_paused = true)]
async fn timeout_and_maxlength_are_honoured() {
    let server = start_default().await;
    let client = client(&server);
    let id = session_id(&client, "ACME-SRV-01").await;
    let started = tokio::time::Instant::now();
    let killed = client
        .run_command(
            &id,
            &CommandScript::new(Shell::Cmd, "ping -n 6 127.0.0.1").timeout(Duration::from_secs(2)),
            &RunOptions::new(),
        )
        .await
        .unwrap();
    assert!(killed.result.killed);
    assert_eq!(killed.result.exit_code, None);
    assert!(
        started.elapsed() >= Duration::from_secs(4),
        "delay plus the 2 s timeout"
    );

    let long = format!("echo {}", "x".repeat(100));
    let cut = client
        .run_command(
            &id,
            &CommandScript::new(Shell::PowerShell, long).max_length(40),
            &RunOptions::new(),
        )
        .await
        .unwrap();
    assert!(cut.result.truncated);
    assert_eq!(cut.result.exit_code, None);
    assert_eq!(cut.result.output.trim_end(), "x".repeat(40));

    // The agent's defaults: 10 s and 5000 characters.
    let details = server.session_details(id.as_str()).unwrap();
    let outputs: Vec<&str> = details["Events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["EventType"] == 70)
        .map(|e| e["Data"].as_str().unwrap())
        .collect();
    assert!(outputs[0].ends_with("Killed after 2000 milliseconds.\r\n"));
    assert!(outputs[1].ends_with("Truncated output at 40 characters.\r\n"));
}

#[tokio::test(start_paused = true)]
async fn an_offline_agent_keeps_the_command_queued_until_it_connects() {
    let server = start_default().await;
    let client = client(&server);
    let id = session_id(&client, "NW-LT-007").await;
    let session = client.session(&id).await.unwrap().unwrap();
    assert_eq!(session.online_status(), OnlineStatus::Offline);

    client.send_command(&id, "uptime").await.unwrap();
    tokio::time::sleep(Duration::from_secs(120)).await;
    let details = client.session_details(&id).await.unwrap();
    assert!(details.events_of_type(&EventType::QueuedCommand).len() == 1);
    assert!(details.events_of_type(&EventType::RanCommand).is_empty());
    assert_eq!(
        details.session.queued_event_type,
        Some(EventType::QueuedCommand)
    );
    assert_eq!(
        details
            .session
            .queued_event_data
            .as_ref()
            .map(|d| d.as_str()),
        Some("uptime")
    );
    assert_eq!(server.counters().get(Event::CommandRun), 0);

    assert!(server.set_online("NW-LT-007", true));
    tokio::time::sleep(Duration::from_secs(3)).await;
    let details = client.session_details(&id).await.unwrap();
    let ran = details.events_of_type(&EventType::RanCommand);
    assert_eq!(ran.len(), 1);
    assert!(ran[0].event.data_str().unwrap().contains("up 12 days"));
    assert_eq!(details.session.queued_event_type, Some(EventType::None));
    assert!(details.is_online());
    assert_eq!(server.counters().get(Event::CommandRun), 1);
}

#[tokio::test(start_paused = true)]
async fn an_installer_url_enrols_a_session_and_a_second_run_updates_it() {
    let server = start_default().await;
    let client = client(&server);
    let instance = url::Url::parse(&server.instance()).unwrap();
    let http = reqwest::Client::new();
    let installer = |site: &str| {
        AccessInstaller::new(&instance, InstallerPlatform::Msi)
            .unwrap()
            .session_name("ACME-WS-057")
            .unwrap()
            .custom_property_values(["Acme Corporation", site, "", "Workstations"])
            .unwrap()
            .url()
    };
    let response = http.get(installer("Phoenix Office")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/x-msi");
    assert!(
        response
            .bytes()
            .await
            .unwrap()
            .starts_with(b"\xD0\xCF\x11\xE0")
    );

    let sessions = client.sessions_by_name("ACME-WS-057").await.unwrap();
    assert_eq!(sessions.len(), 1);
    let session = &sessions[0];
    assert_eq!(session.session_type, Some(SessionType::Access));
    assert_eq!(
        session.custom_properties.as_array()[..4],
        ["Acme Corporation", "Phoenix Office", "", "Workstations"]
    );
    assert!(session.is_online());
    assert_eq!(session.machine_name(), Some("ACME-WS-057"));
    assert!(
        session
            .guest_info
            .operating_system_name
            .as_deref()
            .is_some_and(|os| os.contains("Windows"))
    );

    // The same name again: the session is updated, not duplicated.
    let again = http.get(installer("Tempe Office")).send().await.unwrap();
    assert_eq!(again.status(), 200);
    let sessions = client.sessions_by_name("ACME-WS-057").await.unwrap();
    assert_eq!(sessions.len(), 1);
    assert_eq!(sessions[0].session_id, session.session_id);
    assert_eq!(
        sessions[0].custom_properties.get(2).unwrap(),
        "Tempe Office"
    );
    assert_eq!(server.counters().get(Event::Created), 1);
    assert_eq!(server.counters().get(Event::Updated), 1);

    // Every format has its content type; an unknown product or format is the 404 page.
    for (platform, content_type) in [
        (InstallerPlatform::Exe, "application/x-msdownload"),
        (InstallerPlatform::Pkg, "application/octet-stream"),
        (
            InstallerPlatform::Deb,
            "application/vnd.debian.binary-package",
        ),
        (InstallerPlatform::Rpm, "application/x-rpm"),
        (InstallerPlatform::Sh, "application/x-sh"),
    ] {
        let url = AccessInstaller::new(&instance, platform).unwrap().url();
        let response = http.head(url).send().await.unwrap();
        assert_eq!(response.headers()["content-type"], content_type);
    }
    let other = format!(
        "{}/Bin/ConnectWiseControl.ClientSetup.msi",
        server.instance()
    );
    assert_eq!(http.get(other).send().await.unwrap().status(), 404);
    // HEAD requests and the unnamed exe download above enrolled nothing more than one session.
    assert_eq!(server.counters().get(Event::Created), 1);
}

#[tokio::test(start_paused = true)]
async fn a_wrong_secret_or_origin_is_refused() {
    let server = start_default().await;
    let error = client_with(&server, "wrong")
        .sessions_by_name("ACME-WS-042")
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(error.api().unwrap().kind, ApiErrorKind::Unauthorized);
    assert!(!error.to_string().contains("wrong"));

    let http = reqwest::Client::new();
    let url = server.method_url("GetSessionsByName");
    let send = |secret: &str, origin: Option<&str>| {
        let mut request = http
            .post(&url)
            .header("CTRLAuthHeader", secret)
            .body(r#"["ACME-WS-042"]"#);
        if let Some(origin) = origin {
            request = request.header("Origin", origin);
        }
        request.send()
    };
    let basic = send(&format!("Basic {SECRET}"), Some(&server.instance()))
        .await
        .unwrap();
    assert_eq!(basic.status(), 401);
    assert!(basic.text().await.unwrap().contains("401 - Unauthorized"));
    let missing = http.post(&url).body("[]").send().await.unwrap();
    assert_eq!(missing.status(), 401);
    let origin = send(SECRET, Some("https://evil.example")).await.unwrap();
    assert_eq!(origin.status(), 403);
    assert_eq!(send(SECRET, None).await.unwrap().status(), 403);
    let ok = send(SECRET, Some(&format!("{}/", server.instance())))
        .await
        .unwrap();
    assert_eq!(ok.status(), 200);
    let port = server.instance().rsplit(':').next().unwrap().to_owned();
    let by_name = send(SECRET, Some(&format!("http://localhost:{port}")))
        .await
        .unwrap();
    assert_eq!(by_name.status(), 200);
    // A wrong extension id is the web server's 404 page.
    let wrong_extension = url.replace(EXTENSION_ID, "fc234f0e-2e8e-4a1f-b977-ba41b14031f7");
    let response = http
        .post(wrong_extension)
        .header("CTRLAuthHeader", SECRET)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("The resource cannot be found.")
    );

    // Without an allowed origin, none is checked.
    let open = start(ScreenConnectOptions {
        allowed_origin: AllowedOrigin::Any,
        ..ScreenConnectOptions::default()
    })
    .await;
    let response = http
        .post(open.method_url("GetSessionsByName"))
        .header("CTRLAuthHeader", SECRET)
        .body(r#"["ACME-WS-042"]"#)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}

#[tokio::test(start_paused = true)]
async fn bad_calls_get_the_frameworks_faults() {
    let server = start_default().await;
    let client = client(&server);
    let error = client
        .call_read("GetAllSessions", json!([]))
        .await
        .unwrap_err();
    let api = error.api().unwrap();
    assert_eq!(api.kind, ApiErrorKind::Unsupported);
    assert_eq!(api.code.as_deref(), Some("ArgumentException"));
    assert!(api.message.starts_with("Web method does not exist"));
    assert!(
        client
            .call_write("AddSessionEvent", json!([]))
            .await
            .is_err()
    );

    let raw = |method: &str, body: &'static str| {
        reqwest::Client::new()
            .post(server.method_url(method))
            .header("CTRLAuthHeader", SECRET)
            .header("Origin", server.instance())
            .body(body)
            .send()
    };
    let cases = [
        ("GetAllSessions", "[]", "Web method does not exist"),
        (
            "GetSessionsByName",
            r#"{"name": "x"}"#,
            "Unknown parameter: name",
        ),
        (
            "UpdateSessionName",
            r#"["only-one"]"#,
            "Index was out of range",
        ),
        (
            "GetSessionsByName",
            "not json",
            "Unable to process arguments",
        ),
        ("GetSessionsByFilter", r#"[""]"#, "Value cannot be null"),
        ("GetSessionsByFilter", r#"["Name = "]"#, "Incorrect syntax"),
        (
            "GetSessionsByFilter",
            r#"["Colour = 'red'"]"#,
            "Invalid column name 'Colour'",
        ),
        (
            "GetSessionDetailsBySessionID",
            r#"["00000000-0000-4000-8000-000000000000"]"#,
            "Object reference not set",
        ),
        (
            "GetSessionDetailsBySessionID",
            r#"["nope"]"#,
            "Guid should contain",
        ),
        ("SendCommandToSession", "{}", "Object reference not set"),
    ];
    for (method, body, message) in cases {
        let response = raw(method, body).await.unwrap();
        assert_eq!(response.status(), 500, "{method} {body}");
        let body: Value = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
        assert!(
            body["message"].as_str().unwrap().contains(message),
            "{method}: {body}"
        );
        assert!(body["errorType"].is_string());
        assert_eq!(body["detail"], Value::Null);
    }
    // GetAllSessions twice, AddSessionEvent once: unknown methods share one route.
    assert_eq!(
        server
            .counters()
            .requests("POST Service.ashx/{unknown}", 500),
        3
    );
    // Nothing was changed or run by any of them.
    assert_eq!(server.counters().get(Event::Updated), 0);
    assert!(server.commands().is_empty());

    let unknown =
        screenconnect_api::models::SessionId::new("00000000-0000-4000-8000-000000000000").unwrap();
    assert_eq!(client.session(&unknown).await.unwrap(), None);
    let error = client.session_details(&unknown).await.unwrap_err();
    assert_eq!(error.api().unwrap().kind, ApiErrorKind::ServerFault);
}

#[tokio::test(start_paused = true)]
async fn every_method_the_client_knows() {
    let server = start_default().await;
    let client = client(&server);
    let id = session_id(&client, "CONTOSO-FD-01").await;

    let session = client.session(&id).await.unwrap().unwrap();
    assert_eq!(session.name, "CONTOSO-FD-01");
    assert_eq!(
        session.custom_properties.get(1).unwrap(),
        "Contoso Dental Group"
    );
    let details = client.session_details(&id).await.unwrap();
    assert!(
        !details
            .events_of_type(&EventType::CreatedSession)
            .is_empty()
    );
    assert!(details.is_online());

    let props =
        CustomProperties::from_values(["Contoso Dental Group", "Mesa", "Front Desk"]).unwrap();
    client.update_custom_properties(&id, &props).await.unwrap();
    let now = client.set_custom_property(&id, 5, "patched").await.unwrap();
    assert_eq!(now.get(3).unwrap(), "Front Desk");
    assert_eq!(now.get(5).unwrap(), "patched");
    client
        .update_session_name(&id, "CONTOSO-FD-02")
        .await
        .unwrap();
    client.add_note(&id, "Checked the printer").await.unwrap();
    client.send_message(&id, "Rebooting at noon").await.unwrap();
    client.send_toolbox_item(&id, "Disk Cleanup").await.unwrap();
    assert!(
        client
            .sessions_by_name("CONTOSO-FD-01")
            .await
            .unwrap()
            .is_empty()
    );
    let renamed = client.sessions_by_name("contoso-fd-02").await.unwrap();
    assert_eq!(renamed[0].custom_properties.get(5).unwrap(), "patched");

    tokio::time::sleep(Duration::from_secs(5)).await;
    let details = client.session_details(&id).await.unwrap();
    for event in [
        EventType::ModifiedCustomProperty,
        EventType::ModifiedName,
        EventType::AddedNote,
        EventType::QueuedMessage,
        EventType::ProcessedMessage,
        EventType::QueuedTool,
    ] {
        assert!(
            !details.events_of_type(&event).is_empty(),
            "a {event:?} event"
        );
    }
    let note = &details.events_of_type(&EventType::AddedNote)[0];
    assert_eq!(note.event.data_str(), Some("Checked the printer"));
    assert_eq!(note.event.host.as_deref(), Some("RESTful API"));

    let created = client
        .create_session(
            &NewSession::new(SessionType::Support, "Ticket 4711")
                .code("1234")
                .custom_properties(CustomProperties::from_values(["Acme Corporation"]).unwrap()),
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(created.session_type, Some(SessionType::Support));
    assert_eq!(created.code.as_deref(), Some("1234"));
    let found = client
        .sessions_by_filter(&SessionFilter::from_raw("Code = '1234'").unwrap())
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].session_id, created.session_id);
    assert_eq!(server.counters().get(Event::Created), 1);
    // Custom properties twice (the second through set_custom_property), name, note.
    assert_eq!(server.counters().get(Event::Updated), 4);
}

#[tokio::test(start_paused = true)]
async fn filters_select_sessions() {
    let server = start(ScreenConnectOptions {
        seed: SeedOptions {
            companies: 5,
            ..SeedOptions::default()
        },
        ..ScreenConnectOptions::default()
    })
    .await;
    let client = client(&server);
    let all = server.sessions();
    let names = |sessions: Vec<screenconnect_api::models::Session>| {
        let mut names: Vec<String> = sessions.into_iter().map(|s| s.name).collect();
        names.sort();
        names
    };
    let expected = |keep: &dyn Fn(&Value) -> bool| {
        let mut names: Vec<String> = all
            .iter()
            .filter(|s| keep(s))
            .map(|s| s["Name"].as_str().unwrap().to_owned())
            .collect();
        names.sort();
        names
    };
    let online = Field::SESSION_TYPE
        .equals(SessionType::Access)
        .and(Field::GUEST_CONNECTED_COUNT.greater_than(0));
    let found = names(client.sessions_where(&online).await.unwrap());
    assert_eq!(
        found,
        expected(&|s| !s["ActiveConnections"].as_array().unwrap().is_empty())
    );
    assert!(!found.is_empty() && found.len() < all.len());

    let acme = Field::custom_property(1)
        .unwrap()
        .equals("acme corporation")
        .and(Field::NAME.like("ACME-%"));
    assert_eq!(
        names(client.sessions_where(&acme).await.unwrap()),
        ["ACME-SRV-01", "ACME-WS-042"]
    );
    let raw = SessionFilter::from_raw(
        "NOT (GuestOperatingSystemName LIKE '%Windows%') OR GuestMachineName = 'O''BRIEN-PC'",
    )
    .unwrap();
    assert_eq!(
        names(client.sessions_by_filter(&raw).await.unwrap()),
        expected(&|s| !s["GuestInfo"]["OperatingSystemName"]
            .as_str()
            .unwrap()
            .contains("Windows"))
    );
}

#[tokio::test(start_paused = true)]
async fn session_names_match_the_manage_configurations_of_the_same_seed() {
    let options = SeedOptions {
        seed: 99,
        companies: 4,
        ..SeedOptions::default()
    };
    // Both servers, as the `sandbox` binary runs them.
    let sandbox = msp_sandbox::Sandbox::start(msp_sandbox::SandboxOptions {
        seed: options.clone(),
        ..msp_sandbox::SandboxOptions::default()
    })
    .await
    .unwrap();
    let server = &sandbox.screenconnect;
    let seed = Seed::new(&options);
    let sessions = server.sessions();
    assert_eq!(
        sessions.len(),
        seed.devices()
            .iter()
            .filter(|d| d.type_name != "Network Device")
            .count()
    );
    for session in &sessions {
        let name = session["Name"].as_str().unwrap();
        let device = seed.devices().iter().find(|d| d.name == name).unwrap();
        assert_eq!(session["CustomPropertyValues"][0], device.company_name);
        assert_eq!(
            session["GuestInfo"]["MachineSerialNumber"],
            device.serial_number
        );
    }
}

#[tokio::test(start_paused = true)]
async fn under_faults_no_command_runs_twice() {
    let server = start(ScreenConnectOptions {
        faults: FaultOptions {
            seed: 11,
            server_errors: 0.15,
            drop_before: 0.1,
            drop_after_write: 0.3,
            truncate: 0.1,
            ..FaultOptions::default()
        },
        ..ScreenConnectOptions::default()
    })
    .await;
    let client = client(&server);
    // Reads are retried through the faults; find the session first.
    let id = loop {
        if let Ok(mut sessions) = client.sessions_by_name("ACME-WS-042").await {
            break sessions.remove(0).session_id;
        }
    };
    let mut answered = Vec::new();
    let mut unsure = Vec::new();
    for n in 0..40 {
        let text = format!("echo run-{n}");
        match client.send_command(&id, &text).await {
            Ok(()) => answered.push(text),
            Err(error) if error.may_have_been_processed() => unsure.push(text),
            Err(_) => {}
        }
    }
    tokio::time::sleep(Duration::from_secs(30)).await;

    let details = server.session_details(id.as_str()).unwrap();
    let events = details["Events"].as_array().unwrap();
    let count = |event_type: u64, text: &str| {
        events
            .iter()
            .filter(|e| e["EventType"] == event_type)
            .filter(|e| {
                // The queued text, or cmd's echo of it in the output.
                e["Data"]
                    .as_str()
                    .is_some_and(|data| data == text || data.contains(&format!(">{text}\r\n")))
            })
            .count()
    };
    for text in &answered {
        assert_eq!(count(44, text), 1, "{text} queued once");
        assert_eq!(count(70, text), 1, "{text} ran once");
    }
    for text in &unsure {
        assert!(count(44, text) <= 1, "{text} queued at most once");
        assert!(count(70, text) <= 1, "{text} ran at most once");
    }
    let received = server.commands();
    let mut texts: Vec<&str> = received.iter().map(|c| c.text.as_str()).collect();
    texts.sort_unstable();
    texts.dedup();
    assert_eq!(
        texts.len(),
        received.len(),
        "no command text received twice"
    );
    assert_eq!(
        server.counters().get(Event::CommandRun),
        received.len() as u64
    );
    assert!(received.len() >= answered.len());
    let counters = server.counters();
    assert!(counters.get(Event::DroppedAfterWrite) > 0);
    assert!(counters.get(Event::InjectedServerError) > 0);
    assert!(!answered.is_empty());
    // A write whose answer was lost still happened exactly once.
    assert!(unsure.iter().any(|text| count(70, text) == 1));
}

#[tokio::test(start_paused = true)]
async fn changes_survive_a_restart_with_a_state_file() {
    let directory =
        std::env::temp_dir().join(format!("msp-sandbox-sc-state-{}", std::process::id()));
    std::fs::create_dir_all(&directory).unwrap();
    let path = directory.join("state.json");
    let _ = std::fs::remove_file(&path);
    let options = || ScreenConnectOptions {
        state: Some(msp_sandbox::state::StateFile::open(&path).unwrap()),
        ..ScreenConnectOptions::default()
    };
    let server = start(options()).await;
    let client = client(&server);
    let id = session_id(&client, "ACME-WS-042").await;
    client.set_custom_property(&id, 4, "Patched").await.unwrap();
    let offline = session_id(&client, "NW-LT-007").await;
    client.send_command(&offline, "uptime").await.unwrap();
    drop(client);
    drop(server);

    let server = start(options()).await;
    let client = self::client(&server);
    let session = client.session(&id).await.unwrap().unwrap();
    assert_eq!(session.custom_properties.get(4).unwrap(), "Patched");
    let details = client.session_details(&offline).await.unwrap();
    assert_eq!(
        details.session.queued_event_type,
        Some(EventType::QueuedCommand)
    );
    let untouched = client.sessions_by_name("ACME-SRV-01").await.unwrap();
    assert_eq!(untouched.len(), 1);
    let _ = std::fs::remove_dir_all(&directory);
}

#[tokio::test(start_paused = true)]
async fn the_rate_limit_counts_per_secret_and_a_throttled_command_runs_once() {
    use msp_sandbox::faults::{Accounting, RateLimit, RetryAfterForm};

    for retry_after in [RetryAfterForm::Seconds, RetryAfterForm::HttpDate] {
        let server = start(ScreenConnectOptions {
            faults: FaultOptions {
                rate_limit: Some(RateLimit {
                    accounting: Accounting::SlidingWindow {
                        limit: 2,
                        window: Duration::from_secs(5),
                    },
                    retry_after,
                }),
                ..FaultOptions::default()
            },
            ..ScreenConnectOptions::default()
        })
        .await;
        let http = reqwest::Client::new();
        let raw = || {
            http.post(server.method_url("GetSessionsByName"))
                .header("CTRLAuthHeader", SECRET)
                .header("Origin", server.instance())
                .body(r#"["ACME-WS-042"]"#)
                .send()
        };
        assert_eq!(raw().await.unwrap().status(), 200);
        assert_eq!(raw().await.unwrap().status(), 200);
        let throttled = raw().await.unwrap();
        assert_eq!(throttled.status(), 429);
        let value = throttled.headers()["retry-after"]
            .to_str()
            .unwrap()
            .to_owned();
        match retry_after {
            RetryAfterForm::Seconds => assert_eq!(value, "5"),
            RetryAfterForm::HttpDate => assert!(httpdate::parse_http_date(&value).is_ok()),
        }
        // Another secret has its own budget (and is refused for being wrong, not throttled).
        let other = http
            .post(server.method_url("GetSessionsByName"))
            .header("CTRLAuthHeader", "another")
            .body("[]")
            .send()
            .await
            .unwrap();
        assert_eq!(other.status(), 401);

        // The client waits out the 429s; the command is refused, not processed, so it is sent
        // again and runs exactly once.
        let client = client(&server);
        let id = session_id(&client, "ACME-WS-042").await;
        client.send_command(&id, "hostname").await.unwrap();
        tokio::time::sleep(Duration::from_secs(5)).await;
        assert_eq!(server.commands().len(), 1);
        assert_eq!(server.counters().get(Event::CommandRun), 1);
        assert!(server.counters().get(Event::Throttled) >= 2);
    }
}

#[tokio::test(start_paused = true)]
async fn garbage_gets_an_answer_never_a_panic() {
    let server = start_default().await;
    let id = server.session_named("ACME-WS-042").unwrap()["SessionID"]
        .as_str()
        .unwrap()
        .to_owned();
    let http = reqwest::Client::new();
    let deep = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
    let long_timeout = format!(r##"["{id}", "#timeout=18446744073709551615\nsleep 99999999"]"##);
    let bodies: Vec<(&str, String)> = vec![
        ("GetSessionsByFilter", r#"["((((Name = 'x'"]"#.to_owned()),
        ("GetSessionsByFilter", r#"["Name LIKE 5"]"#.to_owned()),
        ("GetSessionsByFilter", r#"["- = -"]"#.to_owned()),
        ("GetSessionsByFilter", r#"["Name = 'é' OR ~"]"#.to_owned()),
        ("GetSessionsByFilter", r#"[["nested"]]"#.to_owned()),
        ("GetSessionsByName", deep),
        ("GetSessionsByName", "\u{0}\u{1}".to_owned()),
        ("GetSessionsByName", "42".to_owned()),
        (
            "CreateSession",
            r#"[9, "x", "maybe", null, {"a": 1}]"#.to_owned(),
        ),
        (
            "CreateSession",
            r#"["Access", null, null, null, [1, 2, 3, 4, 5, 6, 7, 8, 9]]"#.to_owned(),
        ),
        (
            "UpdateSessionCustomProperties",
            format!(r#"["{id}", "not an array"]"#),
        ),
        (
            "SendCommandToSession",
            format!(r##"["{id}", "#maxlength=0\n#timeout=-5\nexit notanumber"]"##),
        ),
        ("SendCommandToSession", long_timeout),
        (
            "SendMessageToSession",
            format!(r#"{{"sessionID": "{id}", "message": 7}}"#),
        ),
    ];
    for (method, body) in bodies {
        let response = http
            .post(server.method_url(method))
            .header("CTRLAuthHeader", SECRET)
            .header("Origin", server.instance())
            .body(body.clone())
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        assert!(matches!(status, 200 | 500), "{method} {body}: {status}");
        if status == 500 {
            let text = response.text().await.unwrap();
            let fault: Value = serde_json::from_str(&text).unwrap();
            assert!(fault["message"].is_string(), "{method}: {text}");
        }
    }
    for path in [
        "/App_Extensions",
        "/App_Extensions/%FF/Service.ashx/x",
        "/Bin/..%2F..%2Fetc%2Fpasswd",
        "/Bin/ScreenConnect.ClientSetup.msi?e=Access&y=Guest&t=%FF%FE&c=%00",
    ] {
        let status = http
            .get(format!("{}{path}", server.instance()))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16();
        assert!(matches!(status, 200 | 404), "{path}: {status}");
    }
    tokio::time::sleep(Duration::from_secs(60)).await;
    // Still serving.
    assert_eq!(
        client(&server)
            .sessions_by_name("ACME-WS-042")
            .await
            .unwrap()
            .len(),
        1
    );
}
