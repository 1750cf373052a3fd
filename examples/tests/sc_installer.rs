//! The sc_installer recipe: URLs and install commands, no I/O.

use examples::Error;
use examples::recipes::sc_installer::{InstallerOptions, parse_platform, plan};
use screenconnect_api::installer::{Elevation, InstallerPlatform};
use url::Url;

fn options(platform: InstallerPlatform) -> InstallerOptions {
    InstallerOptions {
        instance: Url::parse("https://acme.screenconnect.com").unwrap(),
        platform,
        name: Some("ACME-WS-057".to_owned()),
        company: Some("Acme Corporation".to_owned()),
        site: Some("Phoenix HQ".to_owned()),
        tag: Some("Workstations & Laptops".to_owned()),
        file: None,
        elevation: Elevation::Sudo,
    }
}

#[test]
fn windows_msi() {
    let plan = plan(&options(InstallerPlatform::Msi)).unwrap();
    assert_eq!(
        plan.url.as_str(),
        "https://acme.screenconnect.com/Bin/ScreenConnect.ClientSetup.msi?e=Access&y=Guest\
         &t=ACME-WS-057&c=Acme%20Corporation&c=Phoenix%20HQ&c=Workstations%20%26%20Laptops\
         &c=&c=&c=&c=&c="
    );
    assert_eq!(plan.file, r"C:\Windows\Temp\ScreenConnect.ClientSetup.msi");
    assert_eq!(
        plan.install_command,
        r#"start "" /wait msiexec /i "C:\Windows\Temp\ScreenConnect.ClientSetup.msi" /qn /norestart"#
    );
    insta::assert_snapshot!(plan.to_string());
}

#[test]
fn linux_and_mac() {
    let deb = plan(&InstallerOptions {
        elevation: Elevation::AlreadyElevated,
        ..options(InstallerPlatform::Deb)
    })
    .unwrap();
    assert_eq!(
        deb.install_command,
        "DEBIAN_FRONTEND=noninteractive apt-get install -y '/tmp/ScreenConnect.ClientSetup.deb'"
    );
    let pkg = plan(&InstallerOptions {
        file: Some("/Users/Shared/agent.pkg".to_owned()),
        ..options(InstallerPlatform::Pkg)
    })
    .unwrap();
    assert_eq!(
        pkg.install_command,
        "sudo installer -pkg '/Users/Shared/agent.pkg' -target /"
    );
    assert!(pkg.url.path().ends_with("ScreenConnect.ClientSetup.pkg"));
}

#[test]
fn without_a_name_the_url_has_no_t() {
    let plan = plan(&InstallerOptions {
        name: None,
        company: None,
        site: None,
        tag: None,
        ..options(InstallerPlatform::Exe)
    })
    .unwrap();
    assert_eq!(
        plan.url.query(),
        Some("e=Access&y=Guest&c=&c=&c=&c=&c=&c=&c=&c=")
    );
}

#[test]
fn bad_input_is_refused() {
    let with_path = InstallerOptions {
        instance: Url::parse("https://acme.screenconnect.com/Host").unwrap(),
        ..options(InstallerPlatform::Msi)
    };
    assert!(matches!(plan(&with_path), Err(Error::Installer(_))));
    let control = InstallerOptions {
        name: Some("ACME\nWS".to_owned()),
        ..options(InstallerPlatform::Msi)
    };
    assert!(matches!(plan(&control), Err(Error::Installer(_))));
    let percent = InstallerOptions {
        file: Some(r"C:\%TEMP%\agent.msi".to_owned()),
        ..options(InstallerPlatform::Msi)
    };
    assert!(matches!(plan(&percent), Err(Error::Installer(_))));
}

#[test]
fn platforms_parse_by_extension() {
    assert_eq!(parse_platform(".MSI"), Ok(InstallerPlatform::Msi));
    assert_eq!(parse_platform("rpm"), Ok(InstallerPlatform::Rpm));
    assert_eq!(
        parse_platform("zip"),
        Err("expected one of msi, exe, pkg, deb, rpm, sh".to_owned())
    );
}

/// The planned URL, fetched from the ScreenConnect sandbox as a machine's installer would be:
/// the access session it names appears with the custom properties the recipe put in it.
#[tokio::test(start_paused = true)]
async fn the_planned_url_enrols_a_session_on_the_sandbox() {
    let sandbox = screenconnect_api::sandbox::Sandbox::start().await.unwrap();
    let plan = plan(&InstallerOptions {
        instance: Url::parse(&sandbox.base_url()).unwrap(),
        ..options(InstallerPlatform::Msi)
    })
    .unwrap();
    let response = reqwest::get(plan.url.as_str()).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/x-msi");

    let sessions = sandbox
        .client()
        .sessions_by_name("ACME-WS-057")
        .await
        .unwrap();
    assert_eq!(sessions.len(), 1);
    assert_eq!(
        sessions[0].custom_properties.as_array()[..4],
        [
            "Acme Corporation",
            "Phoenix HQ",
            "Workstations & Laptops",
            ""
        ]
    );
    assert!(sessions[0].is_online());
}
