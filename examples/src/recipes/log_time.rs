//! Log the time a runbook spent on a ticket, then close the ticket.
//!
//! 1. The ticket is read (a missing ticket stops the run).
//! 2. A time entry is looked for with the same ticket, member and start time. If one exists the
//!    entry was already logged, by an earlier run that failed later or by a retried runbook, and
//!    is not logged twice.
//! 3. Otherwise a time entry is created: `chargeToType` `ServiceTicket`, the member by
//!    identifier, start and end, the work type (by id, or by name looked up first), the billable
//!    option and the notes.
//! 4. Unless told to leave it open, the ticket is moved to a closed status with a JSON Patch
//!    replacing the `status` reference: the named status, or the board's first status (by sort
//!    order) flagged as closed. A ticket already closed is left as it is.
//!
//! The entry comes before the status, so a failure leaves the ticket open and a re-run completes
//! it. Nothing is written unless [`LogTimeOptions::apply`] is set; without it the report shows the
//! entry and the status that would be set.

use std::fmt;

use connectwise_manage::Client;
use connectwise_manage::ListQuery;
use connectwise_manage::models::{
    BillableOption, BoardStatus, ChargeToType, MemberReference, Ticket, TimeEntry,
    WorkTypeReference,
};
use connectwise_manage::patch::Patch;
use connectwise_manage::query::{Condition, OrderBy};
use time::OffsetDateTime;

use crate::error::Error;
use crate::recipes::lookup;

/// The work type of the entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WorkType {
    /// By id.
    Id(i32),
    /// By name, looked up before anything is written.
    Name(String),
}

impl WorkType {
    /// A number is an id, anything else a name.
    pub fn parse(text: &str) -> WorkType {
        match text.trim().parse() {
            Ok(id) => WorkType::Id(id),
            Err(_) => WorkType::Name(text.trim().to_owned()),
        }
    }
}

/// What to log and whether to write.
#[derive(Clone, Debug, PartialEq)]
pub struct LogTimeOptions {
    /// The service ticket.
    pub ticket_id: i32,
    /// The member the time belongs to, by identifier (e.g. the automation's API member).
    pub member: String,
    /// When the work started.
    pub started: OffsetDateTime,
    /// When the work ended; must be after `started`.
    pub ended: OffsetDateTime,
    /// The work type; `None` lets Manage apply the member's default.
    pub work_type: Option<WorkType>,
    /// Whether the time is billed.
    pub billable: BillableOption,
    /// What was done, as the customer may see it on the invoice.
    pub notes: String,
    /// Close the ticket after logging. Default `true`.
    pub close: bool,
    /// The status to close with, by name; `None` takes the board's first closed status.
    pub closed_status: Option<String>,
    /// Write; without it nothing is written.
    pub apply: bool,
}

/// What happened to the time entry.
#[derive(Clone, Debug, PartialEq)]
pub enum EntryOutcome {
    /// Created with this id.
    Created(i32),
    /// An entry with the same ticket, member and start exists (this id); nothing was sent.
    AlreadyLogged(i32),
    /// Dry run: this body would be sent.
    WouldCreate,
}

/// What happened to the ticket's status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CloseOutcome {
    /// Moved to this status.
    Closed(String),
    /// Dry run: would move to this status.
    WouldClose(String),
    /// The ticket was closed already.
    AlreadyClosed,
    /// Not asked to close.
    LeftOpen,
}

/// The result of [`run`].
#[derive(Clone, Debug, PartialEq)]
pub struct LogTimeReport {
    /// The ticket id.
    pub ticket_id: i32,
    /// The ticket summary.
    pub summary: String,
    /// The entry as sent (or as it would be sent).
    pub entry: TimeEntry,
    /// What happened to the entry.
    pub entry_outcome: EntryOutcome,
    /// What happened to the status.
    pub close_outcome: CloseOutcome,
}

impl fmt::Display for LogTimeReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Ticket #{} {}", self.ticket_id, self.summary)?;
        let minutes = match (self.entry.time_start, self.entry.time_end) {
            (Some(start), Some(end)) => (end - start).whole_minutes(),
            _ => 0,
        };
        let member = self
            .entry
            .member
            .as_ref()
            .and_then(|m| m.identifier.as_deref())
            .unwrap_or("?");
        match &self.entry_outcome {
            EntryOutcome::Created(id) => writeln!(
                f,
                "Logged {minutes} minute(s) for {member} as time entry {id}."
            )?,
            EntryOutcome::AlreadyLogged(id) => writeln!(
                f,
                "Time entry {id} already logs this work for {member}; not logged again."
            )?,
            EntryOutcome::WouldCreate => {
                let body = serde_json::to_string_pretty(&self.entry).map_err(|_| fmt::Error)?;
                writeln!(f, "Would log {minutes} minute(s) for {member}:\n{body}")?
            }
        }
        match &self.close_outcome {
            CloseOutcome::Closed(status) => write!(f, "Closed the ticket with status {status:?}.")?,
            CloseOutcome::WouldClose(status) => write!(
                f,
                "Would close the ticket with status {status:?}.\nDry run: nothing was written; \
                 run with --apply to write."
            )?,
            CloseOutcome::AlreadyClosed => write!(f, "The ticket is already closed.")?,
            CloseOutcome::LeftOpen => write!(f, "The ticket was left open.")?,
        }
        Ok(())
    }
}

/// Logs the time and closes the ticket; see the [module docs](self).
///
/// # Errors
/// [`Error::InvalidOptions`] for an end not after the start, or empty notes or member;
/// [`Error::NotFound`] for a missing ticket, work type or closed status (nothing is written
/// then); [`Error::Api`] for failed calls.
pub async fn run(client: &Client, options: &LogTimeOptions) -> Result<LogTimeReport, Error> {
    if options.ended <= options.started {
        return Err(Error::InvalidOptions(
            "the end time must be later than the start time".to_owned(),
        ));
    }
    if options.notes.trim().is_empty() {
        return Err(Error::InvalidOptions(
            "the notes are empty; say what the runbook did".to_owned(),
        ));
    }
    if options.member.trim().is_empty() {
        return Err(Error::InvalidOptions(
            "the member identifier is empty".to_owned(),
        ));
    }
    let ticket_handle = client.service().tickets().id(options.ticket_id);
    let ticket = ticket_handle
        .get_opt()
        .await?
        .ok_or_else(|| Error::NotFound {
            what: "ticket",
            name: options.ticket_id.to_string(),
            hint: String::new(),
        })?;
    let work_type = match &options.work_type {
        None => None,
        Some(WorkType::Id(id)) => Some(*id),
        Some(WorkType::Name(name)) => {
            let found = lookup::by_names(client, "/time/workTypes", &[name.as_str()]).await?;
            let record = lookup::find(&found, name).ok_or_else(|| Error::NotFound {
                what: "work type",
                name: name.clone(),
                hint: String::new(),
            })?;
            Some(record.id)
        }
    };
    // A ticket already closed is left as it is.
    let closing = if options.close && ticket.closed_flag != Some(true) {
        Some(closing_status(client, &ticket, options.closed_status.as_deref()).await?)
    } else {
        None
    };

    let entry = TimeEntry {
        charge_to_id: Some(options.ticket_id),
        charge_to_type: Some(ChargeToType::ServiceTicket),
        member: Some(MemberReference {
            identifier: Some(options.member.trim().to_owned()),
            ..MemberReference::default()
        }),
        time_start: Some(options.started),
        time_end: Some(options.ended),
        work_type: work_type.map(|id| WorkTypeReference {
            id: Some(id),
            ..WorkTypeReference::default()
        }),
        billable_option: Some(options.billable.clone()),
        notes: Some(options.notes.clone()),
        ..TimeEntry::default()
    };

    let existing = existing_entry(client, options).await?;
    let entry_outcome = match (existing, options.apply) {
        (Some(id), _) => EntryOutcome::AlreadyLogged(id),
        (None, false) => EntryOutcome::WouldCreate,
        (None, true) => {
            let created = client.time().entries().create(&entry).await?;
            EntryOutcome::Created(created.id.ok_or_else(|| {
                Error::Setup("the API created a time entry without returning its id".to_owned())
            })?)
        }
    };

    let close_outcome = match closing {
        None if options.close => CloseOutcome::AlreadyClosed,
        None => CloseOutcome::LeftOpen,
        Some(status) if !options.apply => CloseOutcome::WouldClose(status.name),
        Some(status) => {
            ticket_handle
                .patch(&Patch::new().status_id(status.id))
                .await?;
            CloseOutcome::Closed(status.name)
        }
    };

    Ok(LogTimeReport {
        ticket_id: options.ticket_id,
        summary: ticket.summary.unwrap_or_default(),
        entry,
        entry_outcome,
        close_outcome,
    })
}

/// The id of an entry already logging this work: same ticket, member and start.
async fn existing_entry(client: &Client, options: &LogTimeOptions) -> Result<Option<i32>, Error> {
    let query = ListQuery::new().conditions(
        Condition::eq("chargeToType", "ServiceTicket")?
            & Condition::eq("chargeToId", options.ticket_id)?
            & Condition::eq("member/identifier", options.member.trim())?
            & Condition::eq("timeStart", options.started)?,
    );
    let found = client.time().entries().list(&query).await?;
    Ok(found.first().and_then(|entry| entry.id))
}

/// A status of the ticket's board to close it with.
struct Closing {
    id: i32,
    name: String,
}

async fn closing_status(
    client: &Client,
    ticket: &Ticket,
    wanted: Option<&str>,
) -> Result<Closing, Error> {
    let board = ticket
        .board
        .as_ref()
        .and_then(|board| board.id)
        .ok_or_else(|| {
            Error::Setup("the ticket has no board, so no status to close it with".to_owned())
        })?;
    let condition = match wanted {
        Some(name) => Condition::eq("name", name)?,
        None => Condition::eq("closedStatus", true)? & Condition::eq("inactive", false)?,
    };
    let statuses: Vec<BoardStatus> = client
        .service()
        .boards()
        .id(board)
        .statuses()
        .list(
            &ListQuery::new()
                .conditions(condition)
                .order_by(OrderBy::asc("sortOrder")?),
        )
        .await?;
    let status = statuses.first().ok_or_else(|| Error::NotFound {
        what: "closed status",
        name: wanted.unwrap_or("(any status flagged closed)").to_owned(),
        hint: format!("; on the ticket's board (id {board})"),
    })?;
    Ok(Closing {
        id: status
            .id
            .ok_or_else(|| Error::Setup("the API returned a status without an id".to_owned()))?,
        name: status.name.clone().unwrap_or_default(),
    })
}
