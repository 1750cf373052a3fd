//! The sync_configurations recipe against the Manage sandbox, with the sample device file.

use std::path::Path;

use connectwise_manage::sandbox::Sandbox as ManageSandbox;
use examples::Error;
use examples::recipes::sync_configurations::{
    self, Device, DeviceRef, SyncOptions, load_devices, parse_devices,
};

fn sample() -> Vec<Device> {
    load_devices(&Path::new(env!("CARGO_MANIFEST_DIR")).join("data/devices.json")).unwrap()
}

fn names(refs: &[DeviceRef]) -> Vec<&str> {
    refs.iter().map(|d| d.name.as_str()).collect()
}

fn apply() -> SyncOptions {
    SyncOptions {
        apply: true,
        ..SyncOptions::default()
    }
}

#[tokio::test]
async fn creates_only_the_missing_configurations_and_a_second_run_creates_nothing() {
    let sandbox = ManageSandbox::start().await.unwrap();
    let client = sandbox.client().clone();
    let devices = sample();
    assert_eq!(devices.len(), 6);

    let report = sync_configurations::run(&client, &devices, &apply())
        .await
        .unwrap();
    assert_eq!(names(&report.existing), ["ACME-WS-042", "NW-LT-007"]);
    let created: Vec<(&str, Option<i32>)> = report
        .created
        .iter()
        .map(|(d, id)| (d.name.as_str(), *id))
        .collect();
    assert_eq!(
        created,
        [
            ("ACME-WS-057", Some(306)),
            ("ACME-LT-012", Some(307)),
            ("CONTOSO-SRV-01", Some(308)),
            ("NW-WS-003", Some(309)),
        ]
    );
    assert!(report.skipped.is_empty());

    let stored = sandbox.record("/company/configurations", 306).unwrap();
    assert_eq!(stored["name"], "ACME-WS-057");
    assert_eq!(stored["type"]["name"], "Workstation");
    assert_eq!(stored["company"]["identifier"], "ACME");
    assert_eq!(stored["serialNumber"], "PC0X9K2L");
    assert_eq!(stored["ipAddress"], "10.20.0.57");
    assert_eq!(stored["vendorNotes"], "Created from the RMM device sync.");
    assert_eq!(
        sandbox.record("/company/configurations", 307).unwrap()["type"]["name"],
        "Laptop"
    );

    let writes = sandbox.writes().len();
    assert_eq!(writes, 4);
    let again = sync_configurations::run(&client, &devices, &apply())
        .await
        .unwrap();
    assert!(again.created.is_empty());
    assert_eq!(again.existing.len(), 6);
    assert_eq!(sandbox.writes().len(), writes);
    assert_eq!(sandbox.records("/company/configurations").len(), 9);
}

#[tokio::test]
async fn names_match_without_regard_to_case() {
    let sandbox = ManageSandbox::start().await.unwrap();
    let client = sandbox.client().clone();
    let devices =
        parse_devices(r#"[{"name": "acme-ws-042", "company": "acme", "type": "workstation"}]"#)
            .unwrap();
    let report = sync_configurations::run(&client, &devices, &apply())
        .await
        .unwrap();
    assert_eq!(names(&report.existing), ["acme-ws-042"]);
    assert!(sandbox.writes().is_empty());
}

#[tokio::test]
async fn a_dry_run_writes_nothing() {
    let sandbox = ManageSandbox::start().await.unwrap();
    let client = sandbox.client().clone();
    let report = sync_configurations::run(&client, &sample(), &SyncOptions::default())
        .await
        .unwrap();
    assert_eq!(report.created.len(), 4);
    assert!(report.created.iter().all(|(_, id)| id.is_none()));
    assert!(sandbox.writes().is_empty());
    insta::assert_snapshot!(report.to_string());
}

#[tokio::test]
async fn unknown_companies_and_types_are_skipped_with_a_reason() {
    let sandbox = ManageSandbox::start().await.unwrap();
    let client = sandbox.client().clone();
    let devices = parse_devices(
        r#"[
            {"name": "FAB-WS-01", "company": "FABRIKAM", "type": "Workstation"},
            {"name": "ACME-PR-01", "company": "ACME", "type": "Printer"},
            {"name": "ACME-WS-099", "company": "ACME", "type": "Workstation"}
        ]"#,
    )
    .unwrap();
    let report = sync_configurations::run(&client, &devices, &apply())
        .await
        .unwrap();
    let skipped: Vec<(&str, &str)> = report
        .skipped
        .iter()
        .map(|(d, reason)| (d.name.as_str(), reason.as_str()))
        .collect();
    assert_eq!(
        skipped,
        [
            (
                "ACME-PR-01",
                "configuration type \"Printer\" does not exist in Manage"
            ),
            ("FAB-WS-01", "company \"FABRIKAM\" does not exist in Manage"),
        ]
    );
    assert_eq!(report.created.len(), 1);
}

#[test]
fn device_files_are_checked() {
    let error =
        parse_devices(r#"[{"name": "A", "company": "ACME", "type": "Server", "serial": "x"}]"#)
            .unwrap_err();
    assert!(error.contains("unknown field `serial`"), "{error}");
    let error =
        parse_devices(r#"[{"name": " ", "company": "ACME", "type": "Server"}]"#).unwrap_err();
    assert_eq!(error, "device 1 has an empty name");
    let error = parse_devices(
        r#"[{"name": "A", "company": "ACME", "type": "Server"},
            {"name": "a", "company": "acme", "type": "Laptop"}]"#,
    )
    .unwrap_err();
    assert!(error.contains("listed more than once"), "{error}");
    let error = parse_devices("{").unwrap_err();
    assert!(error.contains("line 1"), "{error}");
    let missing = load_devices(Path::new("/nonexistent/devices.json")).unwrap_err();
    assert!(matches!(missing, Error::Read { .. }));
}
