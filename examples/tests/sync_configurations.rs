//! The sync_configurations recipe against the Manage sandbox, with the sample device file.

use std::path::Path;

use connectwise_manage::sandbox::Sandbox as ManageSandbox;
use examples::Error;
use examples::recipes::sync_configurations::{
    self, Device, DeviceRef, SessionSource, SyncOptions, devices_from_sessions, load_devices,
    parse_devices,
};
use screenconnect_api::sandbox::Sandbox as ScreenConnectSandbox;

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
    assert_eq!(names(&report.existing), ["NW-LT-007"]);
    // The file knows who logs on to ACME-WS-042; Manage does not yet.
    assert_eq!(report.updated.len(), 1);
    assert_eq!(report.updated[0].0.name, "ACME-WS-042");
    assert_eq!(report.updated[0].1, ["lastLoginName"]);
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

    assert_eq!(
        sandbox.record("/company/configurations", 301).unwrap()["lastLoginName"],
        "ACME\\sjohnson"
    );
    let writes = sandbox.writes().len();
    assert_eq!(writes, 5);
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

#[tokio::test]
async fn devices_come_from_screenconnect_sessions_mapped_to_companies_by_name() {
    let sandbox = ManageSandbox::start().await.unwrap();
    let screenconnect = ScreenConnectSandbox::start().await.unwrap();
    let client = sandbox.client().clone();
    let (devices, skipped) =
        devices_from_sessions(&client, screenconnect.client(), &SessionSource::default())
            .await
            .unwrap();
    assert!(skipped.is_empty(), "{skipped:?}");
    let mut found: Vec<(&str, &str, &str)> = devices
        .iter()
        .map(|d| (d.name.as_str(), d.company.as_str(), d.kind.as_str()))
        .collect();
    found.sort_unstable();
    // CustomProperty1 holds the company's name ("Acme Corporation"); it maps to the identifier.
    assert_eq!(
        found,
        [
            ("ACME-SRV-01", "ACME", "Server"),
            ("ACME-WS-042", "ACME", "Workstation"),
            ("CONTOSO-FD-01", "CONTOSO", "Workstation"),
            ("NW-LT-007", "NORTHWIND", "Workstation"),
        ]
    );
    let report = sync_configurations::run(&client, &devices, &apply())
        .await
        .unwrap();
    assert_eq!(report.updated.len(), 4, "{report}");
    assert!(report.created.is_empty());
    let stored = sandbox.record("/company/configurations", 301).unwrap();
    assert_eq!(stored["osType"], "Microsoft Windows 11 Pro");
    assert_eq!(stored["lastLoginName"], "ACME\\sjohnson");
    assert_eq!(stored["serialNumber"], "PC0X4T7Q");

    let writes = sandbox.writes().len();
    let again = sync_configurations::run(&client, &devices, &apply())
        .await
        .unwrap();
    assert_eq!(again.existing.len(), 4);
    assert_eq!(
        sandbox.writes().len(),
        writes,
        "a second sync writes nothing"
    );
}

#[tokio::test]
async fn an_unknown_session_company_is_skipped_until_the_mapping_names_it() {
    use screenconnect_api::NewSession;
    use screenconnect_api::models::{CustomProperties, SessionType};

    let sandbox = ManageSandbox::start().await.unwrap();
    let screenconnect = ScreenConnectSandbox::start().await.unwrap();
    let client = sandbox.client().clone();
    let mut session = NewSession::new(SessionType::Access, "FAB-WS-01");
    session.custom_properties = CustomProperties::from_values(["Fabrikam Inc"]).unwrap();
    screenconnect
        .client()
        .create_session(&session)
        .await
        .unwrap();

    let (devices, skipped) =
        devices_from_sessions(&client, screenconnect.client(), &SessionSource::default())
            .await
            .unwrap();
    assert_eq!(devices.len(), 4);
    assert_eq!(skipped.len(), 1, "{skipped:?}");
    assert_eq!(skipped[0].0.name, "FAB-WS-01");
    assert!(
        skipped[0].1.contains("\"Fabrikam Inc\""),
        "{}",
        skipped[0].1
    );

    let source = SessionSource {
        mapping: [("fabrikam inc".to_owned(), "CONTOSO".to_owned())].into(),
        ..SessionSource::default()
    };
    let (devices, skipped) = devices_from_sessions(&client, screenconnect.client(), &source)
        .await
        .unwrap();
    assert!(skipped.is_empty(), "{skipped:?}");
    let report = sync_configurations::run(&client, &devices, &apply())
        .await
        .unwrap();
    let created: Vec<&str> = report
        .created
        .iter()
        .map(|(d, _)| d.name.as_str())
        .collect();
    assert_eq!(created, ["FAB-WS-01"]);
    let id = report.created[0].1.unwrap();
    let stored = sandbox
        .record("/company/configurations", i64::from(id))
        .unwrap();
    assert_eq!(stored["company"]["identifier"], "CONTOSO");

    let wrong = SessionSource {
        company_property: 9,
        ..SessionSource::default()
    };
    let error = devices_from_sessions(&client, screenconnect.client(), &wrong)
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid options: --company-property must be 1 to 8, not 9"
    );
}
