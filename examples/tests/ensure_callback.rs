//! The ensure_callback recipe against the Manage sandbox.

use connectwise_manage::callbacks::CallbackChange;
use connectwise_manage::sandbox::Sandbox as ManageSandbox;
use examples::Error;
use examples::recipes::ensure_callback::{self, CallbackOptions, CallbackReport};

const URL: &str = "https://hooks.example.com/connectwise/tickets?recordId=";

fn apply() -> CallbackOptions {
    CallbackOptions {
        apply: true,
        ..CallbackOptions::tickets(URL)
    }
}

fn change(report: &CallbackReport) -> CallbackChange {
    match report {
        CallbackReport::Ensured(ensured) => ensured.change,
        CallbackReport::DryRun { .. } => panic!("expected a write, got a dry run"),
    }
}

#[tokio::test]
async fn registers_once_then_leaves_it_alone() {
    let sandbox = ManageSandbox::start().await.unwrap();
    let client = sandbox.client().clone();
    let report = ensure_callback::run(&client, &apply()).await.unwrap();
    assert_eq!(change(&report), CallbackChange::Created);
    let stored = sandbox.record("/system/callbacks", 72).unwrap();
    assert_eq!(stored["url"], URL);
    assert_eq!(stored["type"], "ticket");
    assert_eq!(stored["level"], "owner");
    // The server stores owner-level callbacks with object id 1.
    assert_eq!(stored["objectId"], 1);
    assert_eq!(stored["description"], "Ticket automation");
    assert_eq!(stored["inactiveFlag"], false);

    let again = ensure_callback::run(&client, &apply()).await.unwrap();
    assert_eq!(change(&again), CallbackChange::Unchanged);
    assert_eq!(sandbox.writes().len(), 1);
    assert!(
        again
            .to_string()
            .contains("already registered; nothing sent")
    );

    let renamed = CallbackOptions {
        description: "Ticket triage".to_owned(),
        ..apply()
    };
    let report = ensure_callback::run(&client, &renamed).await.unwrap();
    assert_eq!(change(&report), CallbackChange::Updated);
    assert_eq!(
        sandbox.record("/system/callbacks", 72).unwrap()["description"],
        "Ticket triage"
    );
    let methods: Vec<String> = sandbox.writes().into_iter().map(|w| w.method).collect();
    assert_eq!(methods, ["POST", "PATCH"]);
    assert_eq!(sandbox.records("/system/callbacks").len(), 2);
}

#[tokio::test]
async fn a_dry_run_lists_matching_entries_and_writes_nothing() {
    let sandbox = ManageSandbox::start().await.unwrap();
    let client = sandbox.client().clone();
    let report = ensure_callback::run(&client, &CallbackOptions::tickets(URL))
        .await
        .unwrap();
    let CallbackReport::DryRun { matching, .. } = &report else {
        panic!("expected a dry run");
    };
    assert!(matching.is_empty());
    assert!(report.to_string().contains("would create one"));
    ensure_callback::run(&client, &apply()).await.unwrap();
    let report = ensure_callback::run(&client, &CallbackOptions::tickets(URL))
        .await
        .unwrap();
    let CallbackReport::DryRun { matching, .. } = &report else {
        panic!("expected a dry run");
    };
    assert_eq!(matching.len(), 1);
    assert_eq!(sandbox.writes().len(), 1);
}

#[tokio::test]
async fn unsafe_or_oversized_settings_are_refused() {
    let sandbox = ManageSandbox::start().await.unwrap();
    let client = sandbox.client().clone();
    let plain = CallbackOptions {
        url: "http://hooks.example.com/cw".to_owned(),
        ..apply()
    };
    assert!(matches!(
        ensure_callback::run(&client, &plain).await,
        Err(Error::InvalidOptions(message)) if message.contains("https")
    ));
    let long = CallbackOptions {
        description: "x".repeat(101),
        ..apply()
    };
    assert!(matches!(
        ensure_callback::run(&client, &long).await,
        Err(Error::InvalidOptions(_))
    ));
    assert!(sandbox.writes().is_empty());
}
