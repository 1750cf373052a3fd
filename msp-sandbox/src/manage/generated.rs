//! Generated tickets and their notes, rendered on demand from the seed.
//!
//! Ticket `FIRST_GENERATED_TICKET + i` is a pure function of the seed and `i`, written as JSON
//! straight into the response buffer from reference objects rendered once at start (companies,
//! contacts, boards, statuses, types, priorities): a page of 1,000 tickets is string
//! concatenation, and a million tickets cost no memory until a client changes one (then the
//! store keeps that one). The crate docs say how the cost was measured.

use std::fmt::Write as _;
use std::ops::Range;

use super::references::canonical;
use super::routes::{Kind, collection_key};
use super::store::Store;
use crate::clock::push_stamp;
use crate::seed::Seed;

/// The id of the first generated ticket (the sample tickets end at 1014).
pub const FIRST_GENERATED_TICKET: i64 = 1015;
/// Generated notes have ids from here (`base + ticket index * notes per ticket + n`).
pub const GENERATED_NOTE_BASE: i64 = 100_000_000;

/// Renders generated records; empty until [`Generator::new`] builds it from a seeded store.
#[derive(Debug, Default)]
pub struct Generator {
    tickets: i64,
    notes_per_ticket: i64,
    companies: Vec<CompanyParts>,
    boards: Vec<BoardParts>,
    priorities: Vec<String>,
    source: String,
    streams: Streams,
}

/// The keys of the draw streams a ticket is made from (hashing their names once, not per draw).
#[derive(Debug, Default)]
struct Streams {
    company: u64,
    board: u64,
    which_board: u64,
    status: u64,
    problem: u64,
    device: u64,
    contact: u64,
    kind: u64,
    priority: u64,
}

impl Streams {
    fn new(seed: u64) -> Streams {
        let key = |name: &str| crate::seed::stream_key(seed, name);
        Streams {
            company: key("ticket.company"),
            board: key("ticket.board"),
            which_board: key("ticket.board.which"),
            status: key("ticket.status"),
            problem: key("ticket.problem"),
            device: key("ticket.device"),
            contact: key("ticket.contact"),
            kind: key("ticket.type"),
            priority: key("ticket.priority"),
        }
    }
}

#[derive(Debug)]
struct CompanyParts {
    reference: String,
    /// `(reference, name, email)` of each contact.
    contacts: Vec<(String, String, String)>,
    devices: Vec<String>,
}

#[derive(Debug)]
struct BoardParts {
    reference: String,
    /// `(reference, closed)` of each status, open ones first.
    statuses: Vec<(String, bool)>,
    types: Vec<String>,
}

/// What a generated ticket is about: its summary before and after the device's name, and the
/// text of its notes (split once here, not for every ticket rendered).
const PROBLEMS: [(&str, &str, &str); 10] = [
    (
        "Cannot log in to ",
        "",
        "I get an error about my password when I sign in.",
    ),
    (
        "",
        " is very slow since this morning",
        "Everything takes ages to open.",
    ),
    (
        "Printer not reachable from ",
        "",
        "Print jobs stay in the queue.",
    ),
    (
        "Outlook crashes on ",
        "",
        "It closes as soon as I open an attachment.",
    ),
    (
        "Disk almost full on ",
        "",
        "Monitoring reported less than 5% free space.",
    ),
    (
        "VPN drops on ",
        "",
        "The connection drops every few minutes.",
    ),
    (
        "Please install software on ",
        "",
        "We need the PDF reader for our forms.",
    ),
    (
        "Backup failed on ",
        "",
        "The nightly job reported a failure.",
    ),
    ("", " shows a blue screen", "It restarted twice today."),
    ("New user needs access to ", "", "They start on Monday."),
];

impl Generator {
    /// A generator for `seed`, rendering references from the tables already seeded in `store`.
    pub fn new(seed: &Seed, store: &Store) -> Generator {
        let reference = |kind: Kind, parent: Option<i64>, id: i64, field: &str| {
            let key = collection_key(kind, parent);
            store
                .get(&key, id)
                .map(|record| canonical(store, kind, &key, &record, field).to_string())
        };
        let companies = seed
            .client_companies()
            .filter_map(|company| {
                let contacts = seed
                    .contacts()
                    .iter()
                    .filter(|contact| contact.company_id == company.id)
                    .filter_map(|contact| {
                        Some((
                            reference(Kind::Contacts, None, contact.id, "contact")?,
                            contact.full_name(),
                            contact.email.clone(),
                        ))
                    })
                    .collect();
                let devices = seed
                    .devices()
                    .iter()
                    .filter(|device| device.company_id == company.id)
                    .map(|device| device.name.clone())
                    .collect();
                Some(CompanyParts {
                    reference: reference(Kind::Companies, None, company.id, "company")?,
                    contacts,
                    devices,
                })
            })
            .collect();
        let boards = store
            .records(&collection_key(Kind::Boards, None))
            .iter()
            .filter_map(|board| {
                let id = board.get("id")?.as_i64()?;
                let mut statuses: Vec<(String, bool)> = store
                    .records(&collection_key(Kind::BoardStatuses, Some(id)))
                    .iter()
                    .filter_map(|status| {
                        let closed = status.get("closedStatus")?.as_bool()?;
                        let status_id = status.get("id")?.as_i64()?;
                        Some((
                            reference(Kind::BoardStatuses, Some(id), status_id, "status")?,
                            closed,
                        ))
                    })
                    .collect();
                statuses.sort_by_key(|(_, closed)| *closed);
                let types = store
                    .records(&collection_key(Kind::BoardTypes, Some(id)))
                    .iter()
                    .filter_map(|kind| {
                        reference(
                            Kind::BoardTypes,
                            Some(id),
                            kind.get("id")?.as_i64()?,
                            "type",
                        )
                    })
                    .collect();
                Some(BoardParts {
                    reference: reference(Kind::Boards, None, id, "board")?,
                    statuses,
                    types,
                })
            })
            .filter(|board| !board.statuses.is_empty())
            .collect();
        let priorities = store
            .records(&collection_key(Kind::Priorities, None))
            .iter()
            .filter_map(|priority| {
                reference(
                    Kind::Priorities,
                    None,
                    priority.get("id")?.as_i64()?,
                    "priority",
                )
            })
            .collect();
        let options = seed.options();
        Generator {
            tickets: i64::try_from(options.tickets).unwrap_or(i64::MAX / 4),
            notes_per_ticket: i64::from(options.notes_per_ticket),
            companies,
            boards,
            priorities,
            source: r#"{"id":2,"name":"Email Connector"}"#.to_owned(),
            streams: Streams::new(options.seed),
        }
    }

    /// The generated ids of a collection (`parent` for child collections), if it has any.
    pub fn range(&self, kind: Kind, parent: Option<i64>) -> Option<Range<i64>> {
        if self.companies.is_empty() || self.boards.is_empty() || self.tickets == 0 {
            return None;
        }
        let tickets = FIRST_GENERATED_TICKET..FIRST_GENERATED_TICKET + self.tickets;
        match (kind, parent) {
            (Kind::Tickets, None) => Some(tickets),
            (Kind::TicketNotes, Some(ticket)) if tickets.contains(&ticket) => {
                let start =
                    GENERATED_NOTE_BASE + (ticket - FIRST_GENERATED_TICKET) * self.notes_per_ticket;
                Some(start..start + self.notes_per_ticket)
            }
            _ => None,
        }
    }

    /// The highest generated id of each kind, which new records' ids must stay above.
    pub fn highest(&self, kind: Kind) -> Option<i64> {
        let tickets = self.range(Kind::Tickets, None)?;
        match kind {
            Kind::Tickets => Some(tickets.end - 1),
            Kind::TicketNotes => Some(
                GENERATED_NOTE_BASE
                    + (tickets.end - FIRST_GENERATED_TICKET) * self.notes_per_ticket,
            ),
            _ => None,
        }
    }

    fn pick(&self, stream: u64, index: i64, bound: usize) -> usize {
        crate::seed::pick_in(stream, index as u64, bound as u64) as usize
    }

    /// Appends generated record `id` of `kind` as compact JSON.
    pub fn render(&self, kind: Kind, parent: Option<i64>, id: i64, out: &mut String) {
        match (kind, parent) {
            (Kind::Tickets, None) => self.ticket(id, out),
            (Kind::TicketNotes, Some(ticket)) => self.note(ticket, id, out),
            _ => out.push_str("null"),
        }
    }

    fn ticket(&self, id: i64, out: &mut String) {
        let index = id - FIRST_GENERATED_TICKET;
        let company = &self.companies[self.pick(self.streams.company, index, self.companies.len())];
        // Nine tickets in ten go to the first board (the help desk).
        let board = if self.boards.len() > 1 && self.pick(self.streams.board, index, 10) == 0 {
            &self.boards[1 + self.pick(self.streams.which_board, index, self.boards.len() - 1)]
        } else {
            &self.boards[0]
        };
        let (status, closed) =
            &board.statuses[self.pick(self.streams.status, index, board.statuses.len())];
        let (before, after, _) = PROBLEMS[self.pick(self.streams.problem, index, PROBLEMS.len())];
        let device = match company.devices.len() {
            0 => "the office PC",
            n => company.devices[self.pick(self.streams.device, index, n)].as_str(),
        };
        let entered = entered_at(index);
        out.push_str("{\"id\":");
        push_integer(out, id);
        out.push_str(",\"summary\":");
        push_json_parts(out, &[before, device, after]);
        out.push_str(",\"recordType\":\"ServiceTicket\",\"board\":");
        out.push_str(&board.reference);
        out.push_str(",\"status\":");
        out.push_str(status);
        out.push_str(",\"company\":");
        out.push_str(&company.reference);
        if !company.contacts.is_empty() {
            let (reference, name, email) =
                &company.contacts[self.pick(self.streams.contact, index, company.contacts.len())];
            out.push_str(",\"contact\":");
            out.push_str(reference);
            out.push_str(",\"contactName\":");
            push_json_str(out, name);
            out.push_str(",\"contactEmailAddress\":");
            push_json_str(out, email);
        }
        if !board.types.is_empty() {
            out.push_str(",\"type\":");
            out.push_str(&board.types[self.pick(self.streams.kind, index, board.types.len())]);
        }
        if !self.priorities.is_empty() {
            out.push_str(",\"priority\":");
            out.push_str(
                &self.priorities[self.pick(self.streams.priority, index, self.priorities.len())],
            );
        }
        out.push_str(",\"source\":");
        out.push_str(&self.source);
        out.push_str(",\"severity\":\"Medium\",\"impact\":\"Medium\",\"closedFlag\":");
        out.push_str(if *closed { "true" } else { "false" });
        if *closed {
            out.push_str(",\"closedDate\":\"");
            push_stamp(out, entered + 3600);
            out.push_str("\",\"closedBy\":\"amorgan\"");
        }
        out.push_str(",\"_info\":{\"dateEntered\":\"");
        push_stamp(out, entered);
        out.push_str("\",\"enteredBy\":\"Email Connector\",\"lastUpdated\":\"");
        push_stamp(out, if *closed { entered + 3600 } else { entered });
        out.push_str("\",\"updatedBy\":\"Email Connector\"}}");
    }

    fn note(&self, ticket: i64, id: i64, out: &mut String) {
        let index = ticket - FIRST_GENERATED_TICKET;
        let company = &self.companies[self.pick(self.streams.company, index, self.companies.len())];
        let (_, _, text) = PROBLEMS[self.pick(self.streams.problem, index, PROBLEMS.len())];
        let _ = write!(out, "{{\"id\":{id},\"ticketId\":{ticket},\"text\":");
        push_json_str(out, text);
        out.push_str(
            ",\"detailDescriptionFlag\":true,\"internalAnalysisFlag\":false,\"resolutionFlag\":false,\
             \"internalFlag\":false,\"externalFlag\":true",
        );
        if !company.contacts.is_empty() {
            let (reference, _, _) =
                &company.contacts[self.pick(self.streams.contact, index, company.contacts.len())];
            out.push_str(",\"contact\":");
            out.push_str(reference);
        }
        out.push_str(",\"dateCreated\":\"");
        push_stamp(out, entered_at(index));
        out.push_str("\",\"createdBy\":\"Email Connector\"}");
    }
}

/// When generated ticket `index` was entered: one every 97 seconds going back from the sample
/// tickets' day, in Unix seconds.
fn entered_at(index: i64) -> i64 {
    const SAMPLE_DAY: i64 = 1_778_716_800; // 2026-05-14T00:00:00Z
    SAMPLE_DAY - 97 * (index + 1)
}

/// Appends an integer.
fn push_integer(out: &mut String, value: i64) {
    let _ = write!(out, "{value}");
}

/// Appends the concatenation of `parts` as one JSON string literal.
fn push_json_parts(out: &mut String, parts: &[&str]) {
    out.push('"');
    for part in parts {
        push_escaped(out, part);
    }
    out.push('"');
}

/// Appends `text` as a JSON string literal.
pub fn push_json_str(out: &mut String, text: &str) {
    push_json_parts(out, &[text]);
}

/// Appends `text` escaped for the inside of a JSON string.
fn push_escaped(out: &mut String, text: &str) {
    if !text.bytes().any(|b| b == b'"' || b == b'\\' || b < b' ') {
        out.push_str(text);
    } else {
        for c in text.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                c if c < ' ' => {
                    let _ = write!(out, "\\u{:04x}", c as u32);
                }
                c => out.push(c),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped() {
        let mut out = String::new();
        push_json_str(&mut out, "say \"hi\"\\\n\u{1}é");
        assert_eq!(
            serde_json::from_str::<String>(&out).unwrap(),
            "say \"hi\"\\\n\u{1}é"
        );
    }
}
