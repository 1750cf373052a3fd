//! The sandbox's machines: sessions with their events, and what their agents print when a command
//! arrives.

use serde_json::{Value, json};

use crate::sandbox::clock::now_stamp;

/// A command the sandbox received through `SendCommandToSession`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SentCommand {
    /// The session it was sent to.
    pub session_id: String,
    /// The session's name.
    pub session_name: String,
    /// The text as sent.
    pub text: String,
}

/// One access session with its agent.
#[derive(Clone, Debug, PartialEq)]
pub struct Machine {
    /// The session object as `GetSession*` return it.
    pub session: Value,
    /// The session's events, oldest first.
    pub events: Vec<Value>,
    /// Whether the agent is connected.
    pub online: bool,
}

impl Machine {
    /// The session id.
    pub fn id(&self) -> &str {
        self.session["SessionID"].as_str().unwrap_or_default()
    }

    /// The session name.
    pub fn name(&self) -> &str {
        self.session["Name"].as_str().unwrap_or_default()
    }

    fn is_windows(&self) -> bool {
        self.session["GuestInfo"]["OperatingSystemName"]
            .as_str()
            .is_some_and(|os| os.contains("Windows"))
    }

    /// Records a queued command and, when the agent is online, its result: the output of each
    /// command line and the script's sentinel line with exit code 0.
    pub fn receive_command(&mut self, text: &str, event_ids: &mut u64) {
        let queued_id = next_event_id(event_ids);
        self.events.push(json!({
            "EventID": queued_id,
            "EventType": 44,
            "Time": now_stamp(),
            "Host": "RESTful API",
            "Data": text,
        }));
        if !self.online {
            let session = &mut self.session;
            session["QueuedEventType"] = json!(44);
            session["QueuedEventHost"] = json!("RESTful API");
            session["QueuedEventData"] = json!(text);
            return;
        }
        let newline = if self.is_windows() { "\r\n" } else { "\n" };
        let mut output = String::new();
        let mut marker = None;
        for line in command_lines(text) {
            if let Some(found) = sentinel_marker(line) {
                marker = Some(found);
                continue;
            }
            for printed in self.run_line(line) {
                output.push_str(&printed);
                output.push_str(newline);
            }
        }
        if let Some(marker) = marker {
            output.push_str(&format!("{marker}0{newline}"));
        }
        self.events.push(json!({
            "EventID": next_event_id(event_ids),
            "EventType": 70,
            "Time": now_stamp(),
            "Host": "RESTful API",
            "Data": output,
        }));
    }

    /// What one command line prints on this machine.
    fn run_line(&self, line: &str) -> Vec<String> {
        let info = &self.session["GuestInfo"];
        let text = |key: &str| info[key].as_str().unwrap_or_default().to_owned();
        let lower = line.trim().to_ascii_lowercase();
        if lower == "hostname" {
            vec![text("MachineName")]
        } else if lower == "whoami" {
            vec![format!(
                "{}\\{}",
                text("LoggedOnUserDomain").to_ascii_lowercase(),
                text("LoggedOnUserName")
            )]
        } else if lower.starts_with("ipconfig") {
            vec![
                "Windows IP Configuration".to_owned(),
                String::new(),
                "Ethernet adapter Ethernet:".to_owned(),
                format!(
                    "   IPv4 Address. . . . . . . . . . . : {}",
                    text("PrivateNetworkAddress")
                ),
            ]
        } else if lower.starts_with("get-service") {
            vec![
                "Status   Name               DisplayName".to_owned(),
                "------   ----               -----------".to_owned(),
                "Running  Spooler            Print Spooler".to_owned(),
            ]
        } else if lower == "uptime" {
            vec![" 09:12:44 up 12 days,  3:01,  1 user,  load average: 0.08, 0.11, 0.09".to_owned()]
        } else {
            vec![format!(
                "(sandbox) {} ran: {}",
                text("MachineName"),
                line.trim()
            )]
        }
    }
}

/// The command's own lines: without the agent directives, PowerShell's progress setting and
/// blank lines.
fn command_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines().map(str::trim_end).filter(|line| {
        let trimmed = line.trim();
        !trimmed.is_empty()
            && !trimmed.starts_with("#!ps")
            && !trimmed.starts_with("#timeout=")
            && !trimmed.starts_with("#maxlength=")
            && !trimmed.starts_with("$ProgressPreference")
    })
}

/// The `__MSP_EXIT_<nonce>__` marker a sentinel line prints, if `line` is one.
fn sentinel_marker(line: &str) -> Option<String> {
    const PREFIX: &str = "__MSP_EXIT_";
    let start = line.find(PREFIX)?;
    let after = &line[start + PREFIX.len()..];
    let end = after.find("__")?;
    Some(format!("{PREFIX}{}__", &after[..end]))
}

fn next_event_id(counter: &mut u64) -> String {
    *counter += 1;
    format!("e5a40000-0000-4000-8000-{:012x}", *counter)
}

/// The sample machines.
pub fn sample_machines() -> Vec<Machine> {
    let machine = |id: &str,
                   name: &str,
                   os: &str,
                   domain: &str,
                   user: &str,
                   address: &str,
                   properties: [&str; 3],
                   online: bool| {
        let mut values: Vec<&str> = properties.to_vec();
        values.resize(8, "");
        let connections = if online {
            json!([{"ConnectionID": format!("c{}", &id[1..]), "ProcessType": 2, "ParticipantName": ""}])
        } else {
            json!([])
        };
        Machine {
            session: json!({
                "SessionID": id,
                "Name": name,
                "SessionType": 2,
                "Host": "",
                "IsPublic": false,
                "Code": "",
                "CustomPropertyValues": values,
                "GuestInfo": {
                    "MachineName": name,
                    "MachineDomain": domain,
                    "OperatingSystemName": os,
                    "LoggedOnUserName": user,
                    "LoggedOnUserDomain": domain,
                    "PrivateNetworkAddress": address,
                },
                "GuestClientVersion": "24.1.5.8865",
                "ActiveConnections": connections,
                "LastGuestConnectedEventTime": "2026-05-14T06:58:12.0000000Z",
                "LastGuestDisconnectedEventTime": if online { "2026-05-13T18:02:40.0000000Z" } else { "2026-05-14T07:40:03.0000000Z" },
                "IsEnded": false,
            }),
            events: vec![
                json!({"EventID": format!("{}-ev-1", &id[..8]), "EventType": 10, "Time": "2026-05-14T06:58:12.0000000Z", "Host": ""}),
                json!({"EventID": format!("{}-ev-2", &id[..8]), "EventType": 70, "Time": "2026-05-14T07:05:00.0000000Z", "Host": "amorgan", "Data": "earlier output from a technician"}),
            ],
            online,
        }
    };
    vec![
        machine(
            "8d2f6a51-3c0e-4b7a-9e12-5f0a1c2b3d41",
            "ACME-WS-042",
            "Microsoft Windows 11 Pro",
            "ACME",
            "sjohnson",
            "10.20.0.42",
            ["Acme Corporation", "Phoenix HQ", "Workstations"],
            true,
        ),
        machine(
            "8d2f6a51-3c0e-4b7a-9e12-5f0a1c2b3d01",
            "ACME-SRV-01",
            "Microsoft Windows Server 2022 Standard",
            "ACME",
            "",
            "10.20.0.5",
            ["Acme Corporation", "Phoenix HQ", "Servers"],
            true,
        ),
        machine(
            "2b7e1c90-6a4d-4f3e-8b55-0c9d8e7f6a07",
            "NW-LT-007",
            "macOS 14.5",
            "NORTHWIND",
            "ppatel",
            "192.168.1.23",
            ["Northwind Traders", "Remote", "Laptops"],
            false,
        ),
        machine(
            "4c1a9e3b-7d52-4e08-a6f1-3b2c9d8e7f11",
            "CONTOSO-FD-01",
            "Microsoft Windows 10 Pro",
            "CONTOSO",
            "frontdesk",
            "172.16.4.11",
            ["Contoso Dental Group", "Mesa", "Front Desk"],
            true,
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentinel_markers_are_found_in_every_shell_form() {
        assert_eq!(
            sentinel_marker("@echo __MSP_EXIT_abc123__%ERRORLEVEL%").as_deref(),
            Some("__MSP_EXIT_abc123__")
        );
        assert_eq!(
            sentinel_marker("echo \"__MSP_EXIT_abc123__$?\"").as_deref(),
            Some("__MSP_EXIT_abc123__")
        );
        assert_eq!(sentinel_marker("hostname"), None);
    }

    #[test]
    fn online_agents_answer_with_output_and_the_sentinel() {
        let mut machine = sample_machines().remove(0);
        let mut ids = 0;
        machine.receive_command(
            "#timeout=30000\r\nhostname\r\n@echo __MSP_EXIT_n1__%ERRORLEVEL%\r\n",
            &mut ids,
        );
        let ran = machine.events.last().expect("a result event");
        assert_eq!(ran["EventType"], 70);
        assert_eq!(ran["Data"], "ACME-WS-042\r\n__MSP_EXIT_n1__0\r\n");
    }

    #[test]
    fn offline_agents_keep_the_command_queued() {
        let mut machine = sample_machines().remove(2);
        let mut ids = 0;
        machine.receive_command("uptime\necho \"__MSP_EXIT_n2__$?\"\n", &mut ids);
        assert_eq!(
            machine.events.last().map(|e| e["EventType"].clone()),
            Some(json!(44))
        );
        assert_eq!(machine.session["QueuedEventType"], 44);
    }
}
