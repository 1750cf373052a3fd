//! The tenant the Manage server starts with: the companies, contacts and configurations of the
//! [seed](crate::seed) (the sample MSP and its three clients, plus any generated ones), two
//! service boards with statuses and types, priorities, members, work types, fourteen sample
//! tickets with their description notes, a time entry and a callback, and the generated tickets
//! (see [`super::generated`]).
//!
//! References are written short (`{"id": 250}`, `{"name": "New"}`) and expanded to the server's
//! shape when the store is filled, exactly as a create would expand them.

use serde_json::{Value, json};

use super::generated::Generator;
use super::references::resolve;
use super::routes::Kind;
use super::store::Store;
use crate::seed::Seed;

/// The member the sandbox's API keys belong to: the `updatedBy` of every write.
pub const API_MEMBER_IDENTIFIER: &str = "automation";
/// The id of that member.
pub const API_MEMBER_ID: i64 = 200;

/// Fills `store` with the sample tenant. Returns the references that could not be expanded
/// (none, unless the sample data is edited into inconsistency).
pub fn populate(store: &mut Store, seed: &Seed) -> Vec<String> {
    store.seed(Kind::Companies, None, companies(seed));
    store.seed(Kind::Contacts, None, contacts(seed));
    store.seed(Kind::Members, None, members());
    store.seed(Kind::Boards, None, boards());
    for (board, statuses) in board_statuses() {
        store.seed(Kind::BoardStatuses, Some(board), statuses);
    }
    for (board, types) in board_types() {
        store.seed(Kind::BoardTypes, Some(board), types);
    }
    for (board, subtypes) in board_subtypes() {
        store.seed(Kind::BoardSubtypes, Some(board), subtypes);
    }
    store.seed(Kind::Priorities, None, priorities());
    store.seed(Kind::WorkTypes, None, work_types());
    store.seed(Kind::ConfigurationTypes, None, configuration_types());
    store.seed(Kind::Configurations, None, configurations(seed));
    store.seed(Kind::Tickets, None, tickets());
    for (ticket, text) in descriptions() {
        let note = json!({
            "id": ticket * 10 + 5000,
            "ticketId": ticket,
            "text": text,
            "detailDescriptionFlag": true,
            "internalAnalysisFlag": false,
            "resolutionFlag": false,
            "internalFlag": false,
            "externalFlag": true,
            "contact": {"id": contact_of(ticket)},
            "dateCreated": "2026-05-14T08:00:00Z",
            "createdBy": "Email Connector",
        });
        store.seed(Kind::TicketNotes, Some(ticket), vec![note]);
    }
    store.seed(Kind::TimeEntries, None, time_entries());
    store.seed(Kind::Callbacks, None, callbacks());
    let unresolved = expand_references(store);
    let generator = Generator::new(seed, store);
    for kind in [Kind::Tickets, Kind::TicketNotes] {
        if let Some(highest) = generator.highest(kind) {
            store.keep_ahead(kind, highest);
        }
    }
    store.set_generator(generator);
    unresolved
}

/// Expands the short references of every seeded record, returning what could not be expanded.
fn expand_references(store: &mut Store) -> Vec<String> {
    let mut unresolved = Vec::new();
    for key in store.keys() {
        let segments: Vec<&str> = key.split('/').collect();
        let Some(target) = super::routes::route(&segments) else {
            continue;
        };
        let mut expanded = Vec::new();
        for record in store.records(&key) {
            let Value::Object(mut object) = record else {
                continue;
            };
            let mut problems = Vec::new();
            resolve(store, target.kind, &mut object, None, &mut problems);
            unresolved.extend(
                problems
                    .into_iter()
                    .map(|problem| format!("{key}: {}: {}", problem.field, problem.message)),
            );
            expanded.push(Value::Object(object));
        }
        store.reseed(&key, expanded);
    }
    unresolved
}

fn info(entered: &str, updated: &str, by: &str) -> Value {
    json!({"dateEntered": entered, "enteredBy": by, "lastUpdated": updated, "updatedBy": by})
}

fn companies(seed: &Seed) -> Vec<Value> {
    seed.companies()
        .iter()
        .map(|company| {
            json!({
                "id": company.id,
                "identifier": company.identifier,
                "name": company.name,
                "status": {"id": 1, "name": "Active"},
                "city": company.city,
                "phoneNumber": company.phone,
                "deletedFlag": false,
                "customFields": [
                    {"id": 5, "caption": "Contract Tier", "type": "Text", "entryMethod": "List",
                     "numberOfDecimals": 0, "value": tier(company.id)},
                    {"id": 6, "caption": "CloudPlus", "type": "Checkbox",
                     "entryMethod": "EntryField", "numberOfDecimals": 0, "value": company.id == 250},
                ],
                "_info": info("2024-02-01T09:00:00Z", "2026-04-30T16:20:00Z", "amorgan"),
            })
        })
        .collect()
}

/// A company's "Contract Tier" custom field: Gold for Acme, Silver for Northwind, none for the
/// others.
fn tier(company: i64) -> Value {
    match company {
        250 => json!("Gold"),
        251 => json!("Silver"),
        _ => Value::Null,
    }
}

fn contacts(seed: &Seed) -> Vec<Value> {
    seed.contacts()
        .iter()
        .map(|contact| {
            json!({
                "id": contact.id,
                "firstName": contact.first_name,
                "lastName": contact.last_name,
                "company": {"id": contact.company_id},
                "title": contact.title,
                "inactiveFlag": false,
                "communicationItems": [{
                    "id": contact.id * 10,
                    "type": {"id": 1, "name": "Email"},
                    "value": contact.email,
                    "defaultFlag": true,
                    "communicationType": "Email",
                }],
                "_info": info("2024-03-11T10:00:00Z", "2026-03-02T11:45:00Z", "amorgan"),
            })
        })
        .collect()
}

fn members() -> Vec<Value> {
    let member = |id: i64, identifier: &str, first: &str, last: &str, title: &str| {
        json!({
            "id": id,
            "identifier": identifier,
            "firstName": first,
            "lastName": last,
            "title": title,
            "officeEmail": format!("{identifier}@brightpath-it.example"),
            "inactiveFlag": false,
            "licenseClass": if identifier == API_MEMBER_IDENTIFIER { "A" } else { "F" },
            "_info": info("2023-09-01T08:00:00Z", "2026-01-15T08:00:00Z", "amorgan"),
        })
    };
    vec![
        member(176, "amorgan", "Alex", "Morgan", "Service Desk Lead"),
        member(177, "bnguyen", "Bao", "Nguyen", "Technician"),
        member(
            API_MEMBER_ID,
            API_MEMBER_IDENTIFIER,
            "Automation",
            "API",
            "API member",
        ),
    ]
}

fn boards() -> Vec<Value> {
    vec![
        json!({"id": 1, "name": "Help Desk", "inactiveFlag": false, "projectFlag": false}),
        json!({"id": 2, "name": "Network Operations", "inactiveFlag": false, "projectFlag": false}),
    ]
}

fn board_statuses() -> Vec<(i64, Vec<Value>)> {
    let status = |id: i64, board: i64, name: &str, sort: i64, default: bool, closed: bool| {
        json!({
            "id": id,
            "name": name,
            "board": {"id": board},
            "sortOrder": sort,
            "displayOnBoard": !closed,
            "inactive": false,
            "closedStatus": closed,
            "timeEntryNotAllowed": false,
            "defaultFlag": default,
        })
    };
    vec![
        (
            1,
            vec![
                status(11, 1, "New", 0, true, false),
                status(12, 1, "In Progress", 1, false, false),
                status(13, 1, "Waiting on Client", 2, false, false),
                status(14, 1, "Scheduled", 3, false, false),
                status(15, 1, "Closed", 9, false, true),
            ],
        ),
        (
            2,
            vec![
                status(21, 2, "New", 0, true, false),
                status(22, 2, "Monitoring", 1, false, false),
                status(23, 2, "Closed", 9, false, true),
            ],
        ),
    ]
}

fn board_types() -> Vec<(i64, Vec<Value>)> {
    let kind = |id: i64, board: i64, name: &str| json!({"id": id, "name": name, "board": {"id": board}, "category": "Reactive", "defaultFlag": false, "inactiveFlag": false});
    vec![
        (
            1,
            vec![
                kind(31, 1, "Password Reset"),
                kind(32, 1, "Printer"),
                kind(33, 1, "Network"),
                kind(34, 1, "New User"),
                kind(35, 1, "Email"),
                kind(36, 1, "Hardware"),
                kind(37, 1, "Security"),
                kind(38, 1, "Software"),
            ],
        ),
        (2, vec![kind(41, 2, "Alert"), kind(42, 2, "Maintenance")]),
    ]
}

fn board_subtypes() -> Vec<(i64, Vec<Value>)> {
    let subtype = |id: i64, board: i64, name: &str, types: &[i64]| json!({"id": id, "name": name, "board": {"id": board}, "typeAssociationIds": types, "inactiveFlag": false});
    vec![
        (
            1,
            vec![
                subtype(51, 1, "Paper Jam", &[32]),
                subtype(52, 1, "Driver", &[32, 38]),
                subtype(53, 1, "Outlook", &[35]),
                subtype(54, 1, "VPN", &[33]),
            ],
        ),
        (2, vec![subtype(61, 2, "Firewall", &[41, 42])]),
    ]
}

fn priorities() -> Vec<Value> {
    let priority = |id: i64, name: &str, sort: i64, color: &str, default: bool| json!({"id": id, "name": name, "sortOrder": sort, "color": color, "defaultFlag": default});
    vec![
        priority(1, "Priority 1 - Emergency Response", 1, "Red", false),
        priority(2, "Priority 2 - Quick Response", 2, "Orange", false),
        priority(3, "Priority 3 - Normal Response", 3, "Yellow", true),
        priority(4, "Priority 4 - Schedule Maintenance", 4, "Green", false),
        priority(5, "Do Not Respond", 5, "Blue", false),
    ]
}

fn work_types() -> Vec<Value> {
    vec![
        json!({"id": 1, "name": "Remote Support", "billTime": "Billable", "inactiveFlag": false, "utilizationFlag": true}),
        json!({"id": 2, "name": "Onsite Support", "billTime": "Billable", "inactiveFlag": false, "utilizationFlag": true}),
        json!({"id": 3, "name": "Automation", "billTime": "Billable", "inactiveFlag": false, "utilizationFlag": false}),
    ]
}

fn configuration_types() -> Vec<Value> {
    CONFIGURATION_TYPES
        .into_iter()
        .zip(5..)
        .map(|(name, id)| json!({"id": id, "name": name, "inactiveFlag": false, "systemFlag": false}))
        .collect()
}

/// The configuration types, in id order from 5.
const CONFIGURATION_TYPES: [&str; 4] = ["Workstation", "Server", "Laptop", "Network Device"];

fn configurations(seed: &Seed) -> Vec<Value> {
    seed.devices()
        .iter()
        .map(|device| {
            let kind = CONFIGURATION_TYPES
                .iter()
                .position(|name| *name == device.type_name)
                .unwrap_or(0) as i64
                + 5;
            let mut configuration = json!({
                "id": device.configuration_id,
                "name": device.name,
                "type": {"id": kind},
                "status": {"id": 1, "name": "Active"},
                "company": {"id": device.company_id},
                "serialNumber": device.serial_number,
                "osType": device.os,
                "activeFlag": true,
                "_info": info("2025-06-02T15:00:00Z", "2026-05-01T07:30:00Z", "amorgan"),
            });
            if let Some(contact) = device.contact_id {
                configuration["contact"] = json!({"id": contact});
            }
            configuration
        })
        .collect()
}

/// `(id, summary, board, status, company, contact, entered)`.
const TICKETS: [(i64, &str, i64, &str, i64, i64, &str); 14] = [
    (
        1001,
        "Locked out of my account after changing my password",
        1,
        "New",
        250,
        1042,
        "2026-05-14T07:52:10Z",
    ),
    (
        1002,
        "Printer on 2nd floor shows offline and jobs are stuck",
        1,
        "New",
        250,
        1043,
        "2026-05-14T08:05:44Z",
    ),
    (
        1003,
        "VPN disconnects every few minutes when working from home",
        1,
        "New",
        251,
        1101,
        "2026-05-14T08:11:02Z",
    ),
    (
        1004,
        "New user setup for Maria Lopez starting Monday",
        1,
        "New",
        251,
        1102,
        "2026-05-14T08:30:19Z",
    ),
    (
        1005,
        "Outlook keeps crashing when opening attachments",
        1,
        "New",
        250,
        1042,
        "2026-05-14T08:41:37Z",
    ),
    (
        1006,
        "Suspicious email asking staff to confirm payroll details",
        1,
        "New",
        252,
        1201,
        "2026-05-14T08:47:03Z",
    ),
    (
        1007,
        "Laptop fan is very loud and the machine runs hot",
        1,
        "New",
        251,
        1101,
        "2026-05-14T09:02:55Z",
    ),
    (
        1008,
        "Question about last month's invoice",
        1,
        "New",
        252,
        1201,
        "2026-05-14T09:15:21Z",
    ),
    (
        1009,
        "Please reset the password for the shared reception mailbox",
        1,
        "New",
        252,
        1201,
        "2026-05-14T09:20:48Z",
    ),
    (
        1010,
        "Scanner not sending scans to email",
        1,
        "In Progress",
        250,
        1043,
        "2026-05-13T14:03:12Z",
    ),
    (
        1011,
        "Wi-Fi slow in the main conference room",
        1,
        "Closed",
        250,
        1042,
        "2026-05-12T10:26:40Z",
    ),
    (
        1012,
        "Please install Adobe Acrobat Reader on the front desk PC",
        1,
        "New",
        252,
        1201,
        "2026-05-14T09:33:09Z",
    ),
    (
        1013,
        "Backup job failed on ACME-SRV-01",
        2,
        "New",
        250,
        1043,
        "2026-05-14T06:00:31Z",
    ),
    (
        1014,
        "Whole office has no internet since 8am",
        1,
        "New",
        251,
        1102,
        "2026-05-14T09:41:57Z",
    ),
];

fn contact_of(ticket: i64) -> i64 {
    TICKETS
        .iter()
        .find(|row| row.0 == ticket)
        .map_or(1042, |row| row.5)
}

fn email_of(contact: i64) -> &'static str {
    match contact {
        1042 => "sjohnson@acmecorp.com",
        1043 => "mchen@acmecorp.com",
        1101 => "ppatel@northwindtraders.com",
        1102 => "lfischer@northwindtraders.com",
        _ => "talvarez@contosodental.com",
    }
}

fn name_of(contact: i64) -> &'static str {
    match contact {
        1042 => "Sarah Johnson",
        1043 => "Mike Chen",
        1101 => "Priya Patel",
        1102 => "Lena Fischer",
        _ => "Tom Alvarez",
    }
}

fn tickets() -> Vec<Value> {
    TICKETS
        .iter()
        .map(|&(id, summary, board, status, company, contact, entered)| {
            let closed = status == "Closed";
            let mut ticket = json!({
                "id": id,
                "summary": summary,
                "recordType": "ServiceTicket",
                "board": {"id": board},
                "status": {"name": status},
                "company": {"id": company},
                "contact": {"id": contact},
                "contactName": name_of(contact),
                "contactEmailAddress": email_of(contact),
                "priority": {"id": 3},
                "source": {"id": 2, "name": "Email Connector"},
                "severity": "Medium",
                "impact": "Medium",
                "closedFlag": closed,
                "_info": info(entered, entered, "Email Connector"),
            });
            if id == 1010 {
                ticket["type"] = json!({"name": "Printer"});
                ticket["owner"] = json!({"identifier": "bnguyen"});
            }
            if closed {
                ticket["type"] = json!({"name": "Network"});
                ticket["closedDate"] = json!("2026-05-12T15:02:00Z");
                ticket["closedBy"] = json!("amorgan");
            }
            ticket
        })
        .collect()
}

/// The first note of each ticket: what the contact wrote.
fn descriptions() -> Vec<(i64, &'static str)> {
    vec![
        (
            1001,
            "I changed my password this morning and now Windows says my account is locked. I can't get into anything.",
        ),
        (
            1002,
            "The HP printer near accounting says offline. Three invoices are stuck in the queue.",
        ),
        (
            1003,
            "Working from home today and the VPN drops every 5 minutes, so I keep losing my session.",
        ),
        (
            1004,
            "Maria Lopez joins sales on Monday. She needs an account, a laptop and access to the shared drive.",
        ),
        (
            1005,
            "Outlook closes as soon as I open a PDF attachment. Restarting did not help.",
        ),
        (
            1006,
            "Several of us got an email that looks like it is from the CEO asking us to confirm payroll details through a link.",
        ),
        (
            1007,
            "My laptop has been very loud since yesterday and the bottom gets hot to the touch.",
        ),
        (
            1008,
            "Can someone explain the extra line on last month's invoice?",
        ),
        (
            1009,
            "Reception can't sign in to the shared mailbox any more. Could you reset it and send the new one to me?",
        ),
        (1010, "The copier scans but nothing arrives in our inboxes."),
        (1011, "Video calls in the conference room keep freezing."),
        (
            1012,
            "The front desk needs Adobe Acrobat Reader to open insurance forms.",
        ),
        (1013, "Nightly backup job reported failure at 02:00."),
        (
            1014,
            "Nobody in the office can reach any website since 8am. Phones are fine.",
        ),
    ]
}

fn time_entries() -> Vec<Value> {
    vec![json!({
        "id": 9001,
        "chargeToId": 1010,
        "chargeToType": "ServiceTicket",
        "ticket": {"id": 1010, "summary": "Scanner not sending scans to email"},
        "company": {"id": 250},
        "member": {"identifier": "bnguyen"},
        "workType": {"id": 1},
        "timeStart": "2026-05-13T15:00:00Z",
        "timeEnd": "2026-05-13T15:30:00Z",
        "actualHours": 0.5,
        "hoursDeduct": 0.0,
        "billableOption": "Billable",
        "notes": "Checked the scan-to-email settings on the copier; SMTP relay rejects it. Waiting on the mail provider.",
        "status": "Open",
        "_info": info("2026-05-13T15:31:00Z", "2026-05-13T15:31:00Z", "bnguyen"),
    })]
}

fn callbacks() -> Vec<Value> {
    vec![json!({
        "id": 71,
        "description": "CRM contact sync",
        "url": "https://crm-sync.example.net/hooks/cw?recordId=",
        "objectId": 1,
        "type": "contact",
        "level": "owner",
        "memberId": API_MEMBER_ID,
        "payloadVersion": "3.0.0",
        "inactiveFlag": false,
        "isSoapCallbackFlag": false,
        "isSelfSuppressedFlag": false,
        "connectWiseID": "5a4d0000-0000-4000-8000-000000000071",
        "_info": info("2025-11-04T12:00:00Z", "2025-11-04T12:00:00Z", API_MEMBER_IDENTIFIER),
    })]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manage::routes::collection_key;
    use crate::seed::SeedOptions;

    #[test]
    fn every_seeded_reference_resolves() {
        let mut store = Store::new(
            "http://127.0.0.1:1/v4_6_release/apis/3.0/".to_owned(),
            Generator::default(),
        );
        let seed = Seed::new(&SeedOptions {
            companies: 3,
            tickets: 50,
            ..SeedOptions::default()
        });
        assert_eq!(populate(&mut store, &seed), Vec::<String>::new());
        let ticket = store
            .get(&collection_key(Kind::Tickets, None), 1002)
            .expect("seeded ticket");
        assert_eq!(ticket["status"]["id"], 11);
        assert_eq!(ticket["status"]["name"], "New");
        assert_eq!(ticket["company"]["identifier"], "ACME");
        assert_eq!(
            ticket["board"]["_info"]["board_href"],
            "http://127.0.0.1:1/v4_6_release/apis/3.0/service/boards/1"
        );
        // Generated tickets have the same shape, and notes.
        let key = collection_key(Kind::Tickets, None);
        assert_eq!(store.len(&key), 64);
        let generated = store.get(&key, 1064).expect("a generated ticket");
        assert_eq!(generated["recordType"], "ServiceTicket");
        assert!(generated["company"]["identifier"].is_string());
        assert!(generated["board"]["_info"]["board_href"].is_string());
        let notes = store.records(&collection_key(Kind::TicketNotes, Some(1064)));
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0]["ticketId"], 1064);
        assert!(store.get(&key, 1065).is_none());
    }
}
