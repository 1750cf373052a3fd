//! The access-agent installers at `/Bin/<Product>.ClientSetup.<ext>`, and the simulated install
//! that a download with `e=Access&y=Guest` stands for.

use std::sync::Arc;

use super::Shared;
use super::fleet::{EventRecord, Machine, SessionRecord, event_type, guid, session_type};
use super::reply;
use crate::counters::Event;
use crate::server::{Request, Response};

/// An installer format: its extension, content type, and the operating system it installs on.
struct Format {
    extension: &'static str,
    content_type: &'static str,
    os: &'static str,
    /// The first bytes of a real package of this format, so a client sniffing the type is
    /// not misled.
    magic: &'static [u8],
}

const FORMATS: &[Format] = &[
    Format {
        extension: "msi",
        content_type: "application/x-msi",
        os: "Microsoft Windows 11 Pro",
        magic: b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1",
    },
    Format {
        extension: "exe",
        content_type: "application/x-msdownload",
        os: "Microsoft Windows 11 Pro",
        magic: b"MZ",
    },
    Format {
        extension: "pkg",
        content_type: "application/octet-stream",
        os: "macOS 14",
        magic: b"xar!",
    },
    Format {
        extension: "deb",
        content_type: "application/vnd.debian.binary-package",
        os: "Ubuntu 22.04.4 LTS",
        magic: b"!<arch>\n",
    },
    Format {
        extension: "rpm",
        content_type: "application/x-rpm",
        os: "Red Hat Enterprise Linux 9.4",
        magic: b"\xED\xAB\xEE\xDB",
    },
    Format {
        extension: "sh",
        content_type: "application/x-sh",
        os: "Debian GNU/Linux 12",
        magic: b"#!/bin/sh\n",
    },
];

/// The file name part of an installer path (`ScreenConnect.ClientSetup.msi`) for `product`, or
/// `None` when the path names no installer.
fn format_of<'a>(product: &str, file: &'a str) -> Option<(&'static Format, &'a str)> {
    let (base, extension) = file.rsplit_once('.')?;
    const SUFFIX: &str = ".ClientSetup";
    let named = base
        .len()
        .checked_sub(SUFFIX.len())
        .filter(|&split| base.is_char_boundary(split))
        .is_some_and(|split| {
            base[split..].eq_ignore_ascii_case(SUFFIX)
                && base[..split].eq_ignore_ascii_case(product)
        });
    let format = FORMATS
        .iter()
        .find(|format| format.extension.eq_ignore_ascii_case(extension))?;
    named.then_some((format, file))
}

/// Answers `GET` / `HEAD /Bin/<file>`.
pub(super) fn serve(
    shared: &Arc<Shared>,
    product: &str,
    file: &str,
    request: &Request,
) -> Response {
    let Some((format, file)) = format_of(product, file) else {
        return reply::not_found();
    };
    let is_get = request.method() == http::Method::GET;
    if !(is_get || request.method() == http::Method::HEAD) {
        return reply::not_found();
    }
    let mut body = format.magic.to_vec();
    body.extend_from_slice(
        format!(
            "\nScreenConnect sandbox placeholder for {file}; fetching it with e=Access&y=Guest \
             stands for running it.\n"
        )
        .as_bytes(),
    );
    let response = reply::file(format.content_type, file, body);
    let query = request.uri().query().unwrap_or_default();
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    let value = |key: &str| {
        pairs
            .iter()
            .find(|(name, _)| name == key)
            .map(|(_, value)| value.as_str())
    };
    let is_agent = value("e").is_some_and(|e| e.eq_ignore_ascii_case("Access"))
        && value("y").is_some_and(|y| y.eq_ignore_ascii_case("Guest"));
    if !is_get || !is_agent {
        return response;
    }
    let name = value("t").unwrap_or_default().trim().to_owned();
    let properties: Vec<String> = pairs
        .iter()
        .filter(|(key, _)| key == "c")
        .map(|(_, value)| value.clone())
        .take(super::fleet::CUSTOM_PROPERTIES)
        .collect();
    install(shared, format, &name, properties);
    reply::mark_applied(response)
}

/// A machine runs the installer: the access session named `name` is updated (custom
/// properties, agent connected) or created.
fn install(shared: &Arc<Shared>, format: &Format, name: &str, properties: Vec<String>) {
    let now = shared.now();
    let mut values = properties.clone();
    values.resize(super::fleet::CUSTOM_PROPERTIES, String::new());
    let existing = {
        let mut data = shared.lock();
        let existing = (!name.is_empty())
            .then(|| data.fleet.access_session_named(name).map(|r| r.id.clone()))
            .flatten();
        match &existing {
            Some(id) => {
                let event_id = data.fleet.next_event_id();
                if let Some(record) = data.fleet.get_mut(id) {
                    if !properties.is_empty() {
                        record.custom_properties = values;
                    }
                    if record.machine.is_none() {
                        record.machine = Some(machine(format, name, &record.id));
                    }
                    record.events.push(EventRecord {
                        id: event_id,
                        event_type: event_type::MODIFIED_CUSTOM_PROPERTY,
                        time: now.clone(),
                        host: String::new(),
                        data: None,
                        on_connection: false,
                    });
                }
                shared.counters.record(Event::Updated);
                shared.changed(&mut data, id);
            }
            None => {
                let (id, connection_id) = data.fleet.next_session_ids();
                let event_id = data.fleet.next_event_id();
                let connected_id = data.fleet.next_event_id();
                let record = SessionRecord {
                    machine: Some(machine(format, name, &id)),
                    id: id.clone(),
                    session_type: session_type::ACCESS,
                    name: name.to_owned(),
                    host: String::new(),
                    is_public: false,
                    code: String::new(),
                    custom_properties: values,
                    online: true,
                    connection_id,
                    last_connected: Some(now.clone()),
                    last_disconnected: None,
                    events: vec![
                        EventRecord {
                            id: event_id,
                            event_type: event_type::CREATED_SESSION,
                            time: now.clone(),
                            host: String::new(),
                            data: None,
                            on_connection: false,
                        },
                        EventRecord {
                            id: connected_id,
                            event_type: event_type::CONNECTED,
                            time: now.clone(),
                            host: String::new(),
                            data: None,
                            on_connection: true,
                        },
                    ],
                    queued: Vec::new(),
                };
                data.fleet.insert(record);
                shared.counters.record(Event::Created);
                shared.changed(&mut data, &id);
            }
        }
        existing
    };
    // A reinstalled agent connects (and picks up what was queued for it).
    if let Some(id) = existing {
        shared.set_online(&id, true);
    }
}

/// The machine an installer of `format` runs on: named `name`, or like a fresh install without
/// a name.
fn machine(format: &Format, name: &str, id: &str) -> Machine {
    let n = u64::from_str_radix(&id[..8], 16).unwrap_or(0);
    let host = if name.is_empty() {
        format!("DESKTOP-{:07X}", n & 0x0fff_ffff)
    } else {
        name.to_owned()
    };
    let octet = |shift: u32| (n >> shift) % 250 + 2;
    Machine {
        name: host,
        domain: "WORKGROUP".to_owned(),
        os: format.os.to_owned(),
        user: String::new(),
        private_address: format!("192.168.{}.{}", octet(0), octet(8)),
        public_address: format!("198.51.100.{}", octet(16)),
        serial: format!("SN{}", &guid(n, "sc.serial", 0)[..8].to_ascii_uppercase()),
        mac: format!(
            "00-15-5D-{:02X}-{:02X}-{:02X}",
            octet(0),
            octet(8),
            octet(16)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn installer_paths() {
        let (format, _) = format_of("ScreenConnect", "ScreenConnect.ClientSetup.msi").unwrap();
        assert_eq!(format.content_type, "application/x-msi");
        assert!(format_of("ScreenConnect", "screenconnect.clientsetup.DEB").is_some());
        assert!(format_of("ScreenConnect", "ConnectWiseControl.ClientSetup.msi").is_none());
        assert!(format_of("ConnectWiseControl", "ConnectWiseControl.ClientSetup.exe").is_some());
        assert!(format_of("ScreenConnect", "ScreenConnect.ClientSetup.zip").is_none());
        assert!(format_of("ScreenConnect", "ScreenConnect.msi").is_none());
    }
}
