//! Installer URLs (snapshots of the exact text) and silent-install commands.

use screenconnect_api::installer::{AccessInstaller, Elevation, InstallerError, InstallerPlatform};
use screenconnect_api::models::{CustomProperties, CustomPropertyError};
use url::Url;

fn cloud() -> Url {
    Url::parse("https://acme.screenconnect.com").unwrap()
}

fn msi() -> AccessInstaller {
    AccessInstaller::new(&cloud(), InstallerPlatform::Msi).unwrap()
}

/// Builds the URL and checks `url` kept the query exactly as written.
fn url_text(installer: &AccessInstaller) -> String {
    let url = installer.url();
    assert_eq!(url.query(), Some(installer.query().as_str()));
    let reparsed = Url::parse(url.as_str()).unwrap();
    assert_eq!(reparsed.as_str(), url.as_str());
    url.as_str().to_owned()
}

#[test]
fn plain_name_and_three_properties() {
    let installer = msi()
        .session_name("ACME-LT-042")
        .unwrap()
        .custom_property_values(["Acme Ltd", "HQ", "Laptop"])
        .unwrap();
    insta::assert_snapshot!("plain_name_and_three_properties", url_text(&installer));
}

#[test]
fn reserved_characters_are_encoded() {
    let installer = msi()
        .session_name("Front desk & lobby = #1")
        .unwrap()
        .custom_property_values([
            "O'Brien & Sons",
            "a=b",
            "50% off",
            "x+y/z?q",
            "tilde~dot.dash-under_",
        ])
        .unwrap();
    let text = url_text(&installer);
    assert!(!text.contains('+'), "{text}");
    assert!(!text.contains(' '), "{text}");
    insta::assert_snapshot!("reserved_characters_are_encoded", text);
}

#[test]
fn non_ascii_is_utf8_percent_encoded() {
    let installer = AccessInstaller::new(&cloud(), InstallerPlatform::Exe)
        .unwrap()
        .session_name("Zoë's Müller-PC")
        .unwrap()
        .custom_property_values(["Société Générale", "東京", "Ærø"])
        .unwrap();
    insta::assert_snapshot!("non_ascii_is_utf8_percent_encoded", url_text(&installer));
}

#[test]
fn eight_properties_and_a_ninth_refused() {
    let eight = msi()
        .custom_property_values(["1", "2", "3", "4", "5", "6", "7", "8"])
        .unwrap();
    let text = url_text(&eight);
    assert!(text.ends_with("&c=1&c=2&c=3&c=4&c=5&c=6&c=7&c=8"), "{text}");
    assert_eq!(
        msi()
            .custom_property_values(["1", "2", "3", "4", "5", "6", "7", "8", "9"])
            .unwrap_err(),
        InstallerError::CustomProperty(CustomPropertyError::TooManyValues { count: 9 })
    );
    assert_eq!(
        msi().custom_property(9, "x").unwrap_err(),
        InstallerError::CustomProperty(CustomPropertyError::IndexOutOfRange { index: 9 })
    );
    assert_eq!(
        msi().custom_property(0, "x").unwrap_err(),
        InstallerError::CustomProperty(CustomPropertyError::IndexOutOfRange { index: 0 })
    );
}

#[test]
fn interior_empty_slots_are_kept() {
    let installer = msi()
        .custom_property(1, "Acme")
        .unwrap()
        .custom_property(3, "Laptop")
        .unwrap();
    let text = url_text(&installer);
    assert!(
        text.ends_with("?e=Access&y=Guest&c=Acme&c=&c=Laptop&c=&c=&c=&c=&c="),
        "{text}"
    );
    let trimmed = installer.trim_trailing_empty_properties(true);
    insta::assert_snapshot!("interior_empty_slots_trimmed", url_text(&trimmed));
}

#[test]
fn no_properties() {
    let all_slots = msi();
    assert_eq!(
        url_text(&all_slots),
        "https://acme.screenconnect.com/Bin/ScreenConnect.ClientSetup.msi?e=Access&y=Guest&c=&c=&c=&c=&c=&c=&c=&c="
    );
    let trimmed = msi().trim_trailing_empty_properties(true);
    assert_eq!(
        url_text(&trimmed),
        "https://acme.screenconnect.com/Bin/ScreenConnect.ClientSetup.msi?e=Access&y=Guest"
    );
}

#[test]
fn relay_parameters_and_self_hosted_instance() {
    let instance = Url::parse("https://remote.example.com:8040/").unwrap();
    let installer = AccessInstaller::new(&instance, InstallerPlatform::Deb)
        .unwrap()
        .product("ConnectWiseControl")
        .unwrap()
        .relay_host("relay.example.com")
        .unwrap()
        .relay_port(8041)
        .unwrap()
        .server_key("BgIAAACkAABSU0ExAAgAAAEAAQ+/ab=")
        .unwrap()
        .session_name("web-01")
        .unwrap()
        .custom_property(2, "DC 1")
        .unwrap()
        .trim_trailing_empty_properties(true);
    insta::assert_snapshot!("relay_parameters", url_text(&installer));
    assert_eq!(installer.file_name(), "ConnectWiseControl.ClientSetup.deb");
    assert_eq!(
        installer.launch_parameters(),
        format!("?{}", installer.query())
    );
}

#[test]
fn ipv6_relay_host() {
    let installer = AccessInstaller::new(&cloud(), InstallerPlatform::Sh)
        .unwrap()
        .relay_host("[2001:db8::1]")
        .unwrap()
        .trim_trailing_empty_properties(true);
    assert_eq!(
        url_text(&installer),
        "https://acme.screenconnect.com/Bin/ScreenConnect.ClientSetup.sh?e=Access&y=Guest&h=%5B2001%3Adb8%3A%3A1%5D"
    );
}

#[test]
fn every_platform_extension() {
    let names: Vec<String> = InstallerPlatform::ALL
        .into_iter()
        .map(|platform| {
            AccessInstaller::new(&cloud(), platform)
                .unwrap()
                .trim_trailing_empty_properties(true)
                .url()
                .path()
                .to_owned()
        })
        .collect();
    assert_eq!(
        names,
        [
            "/Bin/ScreenConnect.ClientSetup.msi",
            "/Bin/ScreenConnect.ClientSetup.exe",
            "/Bin/ScreenConnect.ClientSetup.pkg",
            "/Bin/ScreenConnect.ClientSetup.deb",
            "/Bin/ScreenConnect.ClientSetup.rpm",
            "/Bin/ScreenConnect.ClientSetup.sh",
        ]
    );
}

#[test]
fn instance_must_be_a_bare_origin() {
    for bad in [
        "ftp://acme.screenconnect.com",
        "https://user:pw@acme.screenconnect.com",
        "https://acme.screenconnect.com/Host",
        "https://acme.screenconnect.com/?x=1",
        "https://acme.screenconnect.com/#frag",
        "file:///tmp/x",
    ] {
        let url = Url::parse(bad).unwrap();
        let err = AccessInstaller::new(&url, InstallerPlatform::Msi).unwrap_err();
        assert!(
            matches!(err, InstallerError::InvalidInstance { .. }),
            "{bad}"
        );
        assert!(!err.to_string().contains("pw"), "{err}");
    }
    assert!(
        AccessInstaller::new(
            &Url::parse("http://10.0.0.5:8040").unwrap(),
            InstallerPlatform::Msi
        )
        .is_ok()
    );
}

#[test]
fn invalid_builder_values() {
    for bad in [
        "",
        "Screen/Connect",
        "a?b",
        "a#b",
        "a b",
        ".hidden",
        "Scréen",
        &"x".repeat(101),
    ] {
        assert!(
            matches!(
                msi().product(bad),
                Err(InstallerError::InvalidProductName { .. })
            ),
            "{bad:?}"
        );
    }
    assert!(msi().product("Elsinore.ScreenConnect").is_ok());
    assert!(msi().product("Masiero-Remote_Support").is_ok());

    assert_eq!(
        msi().session_name("a\nb").unwrap_err(),
        InstallerError::InvalidSessionName
    );
    assert_eq!(
        msi().custom_property(2, "x\ty").unwrap_err(),
        InstallerError::InvalidCustomPropertyValue { index: 2 }
    );
    let mut props = CustomProperties::new();
    props.set(5, "bad\u{7}").unwrap();
    assert_eq!(
        msi().custom_properties(props).unwrap_err(),
        InstallerError::InvalidCustomPropertyValue { index: 5 }
    );

    for bad in [
        "",
        "relay.example.com:8041",
        "https://relay",
        "a b",
        "a%2Fb",
        "a/b",
    ] {
        assert!(
            matches!(
                msi().relay_host(bad),
                Err(InstallerError::InvalidRelayHost { .. })
            ),
            "{bad:?}"
        );
    }
    assert!(msi().relay_host("10.0.0.9").is_ok());
    assert_eq!(
        msi().relay_port(0).unwrap_err(),
        InstallerError::InvalidRelayPort
    );
    for bad in ["", "BgIAAA%2BB", "has space", "ü"] {
        assert_eq!(
            msi().server_key(bad).unwrap_err(),
            InstallerError::InvalidServerKey,
            "{bad:?}"
        );
    }
}

#[test]
fn silent_install_commands() {
    let commands: Vec<String> = [
        (
            InstallerPlatform::Msi,
            r"C:\Windows\Temp\ScreenConnect.ClientSetup.msi",
            Elevation::Sudo,
        ),
        (
            InstallerPlatform::Exe,
            r"C:\Users\Public\Setup Files\sc.exe",
            Elevation::AlreadyElevated,
        ),
        (
            InstallerPlatform::Pkg,
            "/tmp/ScreenConnect.ClientSetup.pkg",
            Elevation::Sudo,
        ),
        (
            InstallerPlatform::Deb,
            "ScreenConnect.ClientSetup.deb",
            Elevation::Sudo,
        ),
        (
            InstallerPlatform::Deb,
            "/tmp/it's here/sc.deb",
            Elevation::AlreadyElevated,
        ),
        (InstallerPlatform::Rpm, "downloads/sc.rpm", Elevation::Sudo),
        (InstallerPlatform::Sh, "-weird.sh", Elevation::Sudo),
        (
            InstallerPlatform::Sh,
            "/opt/sc $(rm -rf ~).sh",
            Elevation::AlreadyElevated,
        ),
    ]
    .into_iter()
    .map(|(platform, path, elevation)| platform.silent_install_command(path, elevation).unwrap())
    .collect();
    insta::assert_snapshot!("silent_install_commands", commands.join("\n"));
}

#[test]
fn silent_install_path_errors() {
    let msi = InstallerPlatform::Msi;
    for bad in ["", "C:\\a\"b.msi", "C:\\%TEMP%\\a.msi", "C:\\a\nb.msi"] {
        assert!(
            matches!(
                msi.silent_install_command(bad, Elevation::Sudo),
                Err(InstallerError::InvalidFilePath { .. })
            ),
            "{bad:?}"
        );
    }
    assert!(matches!(
        InstallerPlatform::Sh.silent_install_command("/tmp/a\0b", Elevation::Sudo),
        Err(InstallerError::InvalidFilePath { .. })
    ));
    // Quotes and percent signs are fine for sh.
    assert_eq!(
        InstallerPlatform::Rpm
            .silent_install_command("/tmp/100%'s.rpm", Elevation::AlreadyElevated)
            .unwrap(),
        r"rpm -i '/tmp/100%'\''s.rpm'"
    );
    let installer = AccessInstaller::new(&cloud(), InstallerPlatform::Pkg).unwrap();
    assert_eq!(
        installer
            .silent_install_command("/tmp/sc.pkg", Elevation::Sudo)
            .unwrap(),
        "sudo installer -pkg '/tmp/sc.pkg' -target /"
    );
}
