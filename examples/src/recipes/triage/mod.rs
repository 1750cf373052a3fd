//! Triage new tickets as they arrive: gather the context a technician would look up, classify
//! the ticket, set its type, priority and board, post an internal note with the research, and log
//! the automation's own time.
//!
//! # The flow, for one ticket
//!
//! A ticket arrives through a callback ([`receiver`]): the receiver verifies the signature with
//! the client crate's [`CallbackVerifier`](connectwise_manage::callbacks::CallbackVerifier),
//! refuses a replayed delivery with a
//! [`ReplayGuard`](connectwise_manage::callbacks::ReplayGuard), and hands the ticket id to
//! [`Triage::ticket`], which
//!
//! 1. **re-reads the ticket** through the API (a callback is a hint, not the truth: it may be
//!    old, repeated or forged) and leaves it alone unless it is an open ticket in one of
//!    [`TriageOptions::statuses`] on [`TriageOptions::board`];
//! 2. reads its notes; a ticket that already has a triage note (starting with [`NOTE_HEADER`])
//!    is skipped, so any number of callbacks or runs change it once;
//! 3. gathers the [`context`]: the contact and their company (the service tier from the
//!    company's [`TriageOptions::tier_field`] custom field), the contact's configurations, the
//!    ScreenConnect session of their device (online, or when it was last seen);
//! 4. asks the [`Classifier`] (by default [`KeywordRules`]) for a classification;
//!    a ticket it cannot classify is left for a technician;
//! 5. looks for the contact's recent similar tickets with a conditions query
//!    (`contact/id=1042 and summary contains "outlook"`);
//! 6. raises the priority one step (in the tenant's priority order) for companies whose tier
//!    is in [`TriageOptions::urgent_tiers`];
//! 7. writes, with [`TriageOptions::apply`] only: one JSON Patch replacing the type, priority
//!    and board references that change (a board move also sets the status of the same name on
//!    the new board), the internal note, and a time entry for the automation's own time
//!    (with [`TriageOptions::member`]; not billed).
//!
//! The patch goes first and the note, the idempotency mark, second: if the note cannot be
//! posted, the next callback or run finds no note, sends an empty patch and posts it. The time
//! entry goes last, so a failure there can lose the automation's few minutes but never book
//! them twice.
//!
//! # Batch mode
//!
//! [`Triage::board`] does the same for every new ticket of the board (the tickets are streamed
//! page by page and collected before anything is written, because changing records while paging
//! through a filter over them can shift later pages): what a scheduled run does where callbacks
//! cannot reach the receiver.
//!
//! # Before the first ticket
//!
//! [`Triage::new`] looks up the board, its statuses and types, the priorities and the work type,
//! and checks every type and priority the classifier can answer with
//! ([`Classifier::outcomes`]); anything missing stops it with nothing written.

pub mod classifier;
pub mod context;
pub mod demo;
pub mod note;
pub mod receiver;
pub mod rules;

use std::fmt;
use std::sync::Arc;
use std::time::Instant;

use connectwise_manage::api::service::TicketsById;
use connectwise_manage::models::{
    BillableOption, Board, BoardStatus, BoardType, ChargeToType, MemberReference, Priority,
    ServiceNote, Ticket, TimeEntry,
};
use connectwise_manage::patch::{Patch, Reference};
use connectwise_manage::query::{Condition, Fields, OrderBy};
use connectwise_manage::{Client, ListQuery};
use futures::TryStreamExt;
use time::OffsetDateTime;

use crate::error::Error;
use crate::recipes::lookup;
use note::{FieldChange, NoteFacts, is_triage_note, note_text};

pub use classifier::{Classification, Classifier, KeywordRules, TicketText};
pub use context::Context;
pub use note::NOTE_HEADER;

/// What to triage and whether to write.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TriageOptions {
    /// The service board new tickets arrive on, by name. Default "Help Desk".
    pub board: String,
    /// The statuses that count as new. Default `["New"]`.
    pub statuses: Vec<String>,
    /// Write the changes; without it nothing is written. Default `false`.
    pub apply: bool,
    /// Tickets per page when listing; `None` uses the client's default (1,000).
    pub page_size: Option<u32>,
    /// The caption of the company custom field that holds the service tier. Default
    /// "Contract Tier".
    pub tier_field: String,
    /// Tiers whose tickets get one step more priority than the classification's. Default
    /// `["Gold"]`.
    pub urgent_tiers: Vec<String>,
    /// The member (identifier) the automation's time entry is logged for, usually the API
    /// member; `None` logs no time.
    pub member: Option<String>,
    /// The time entry's work type, by name; `None` lets Manage apply the member's default.
    pub work_type: Option<String>,
}

impl Default for TriageOptions {
    fn default() -> Self {
        Self {
            board: "Help Desk".to_owned(),
            statuses: vec!["New".to_owned()],
            apply: false,
            page_size: None,
            tier_field: "Contract Tier".to_owned(),
            urgent_tiers: vec!["Gold".to_owned()],
            member: None,
            work_type: None,
        }
    }
}

/// What the recipe did (or, without `apply`, would do) to the tickets of a board.
#[derive(Clone, Debug, PartialEq)]
pub struct TriageReport {
    /// The board's name.
    pub board: String,
    /// Whether changes were written.
    pub applied: bool,
    /// One entry per ticket considered, in ticket id order.
    pub tickets: Vec<TicketOutcome>,
}

/// One ticket's outcome.
#[derive(Clone, Debug, PartialEq)]
pub struct TicketOutcome {
    /// The ticket id.
    pub id: i32,
    /// The ticket summary.
    pub summary: String,
    /// What happened.
    pub action: TriageAction,
}

/// What happened to one ticket.
#[derive(Clone, Debug, PartialEq)]
pub enum TriageAction {
    /// Classified: fields set where they differed, note posted, time logged.
    Triaged(Box<Triaged>),
    /// Skipped: the ticket already has a triage note.
    AlreadyTriaged,
    /// Left alone: the classifier had nothing to say.
    NoRuleMatched,
    /// Left alone: not a new ticket of the board (or no longer there); says why.
    NotApplicable(String),
    /// Skipped: the receiver handled this ticket already (a repeated callback).
    AlreadyHandled,
    /// The ticket does not exist (deleted after the callback was sent, or a wrong id).
    Missing,
}

/// What the triage of one ticket set and wrote.
#[derive(Clone, Debug, PartialEq)]
pub struct Triaged {
    /// The classifier's verdict.
    pub classification: Classification,
    /// The priority.
    pub priority: FieldChange,
    /// The type.
    pub ticket_type: FieldChange,
    /// The board, when the ticket moves.
    pub board: Option<FieldChange>,
    /// The JSON Patch sent (or to send), as JSON.
    pub patch: serde_json::Value,
    /// The note's text.
    pub note: String,
    /// The automation's time entry, if a member was given.
    pub time_entry: Option<TimeLogged>,
    /// What was gathered about the ticket.
    pub context: Context,
}

/// The automation's time entry on a ticket.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimeLogged {
    /// The member it is logged for.
    pub member: String,
    /// Whole minutes, rounded up (at least one).
    pub minutes: i64,
    /// The entry's id; `None` in a dry run.
    pub id: Option<i32>,
}

impl TriageReport {
    /// How many tickets were (or would be) triaged.
    pub fn triaged(&self) -> usize {
        self.count(|action| matches!(action, TriageAction::Triaged(_)))
    }

    fn count(&self, test: impl Fn(&TriageAction) -> bool) -> usize {
        self.tickets.iter().filter(|t| test(&t.action)).count()
    }
}

impl TicketOutcome {
    /// Two or more lines: the ticket, then what was (`applied`) or would be done.
    pub fn describe(&self, applied: bool) -> String {
        let verb = if applied { "" } else { "would " };
        let action = match &self.action {
            TriageAction::Triaged(triaged) => {
                let mut steps = Vec::new();
                let mut fields = vec![
                    ("priority", &triaged.priority),
                    ("type", &triaged.ticket_type),
                ];
                if let Some(board) = &triaged.board {
                    fields.push(("board", board));
                }
                for (field, change) in fields {
                    if change.changes() {
                        steps.push(format!("{verb}set {field} {}", change.describe()));
                    } else {
                        steps.push(format!("{field} stays {}", change.to));
                    }
                }
                steps.push(format!("{verb}post an internal triage note"));
                if let Some(time) = &triaged.time_entry {
                    steps.push(format!(
                        "{verb}log {} min for {}{}",
                        time.minutes,
                        time.member,
                        time.id
                            .map_or_else(String::new, |id| format!(" (time entry {id})"))
                    ));
                }
                format!(
                    "{} ({}): {}",
                    triaged.classification.category,
                    triaged.classification.reason,
                    steps.join("; ")
                )
            }
            TriageAction::AlreadyTriaged => {
                format!("already triaged (has an {NOTE_HEADER:?} note); skipped")
            }
            TriageAction::NoRuleMatched => "no rule matched; left for a technician".to_owned(),
            TriageAction::NotApplicable(why) => format!("left alone: {why}"),
            TriageAction::AlreadyHandled => "handled already; repeated callback skipped".to_owned(),
            TriageAction::Missing => "does not exist".to_owned(),
        };
        format!("#{} {}\n    {action}", self.id, self.summary)
    }
}

impl fmt::Display for TriageReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Board {:?}: {} ticket(s) to consider.",
            self.board,
            self.tickets.len()
        )?;
        for ticket in &self.tickets {
            writeln!(f, "{}", ticket.describe(self.applied))?;
        }
        write!(
            f,
            "{} {}, {} without a matching rule, {} already triaged.",
            self.triaged(),
            if self.applied { "triaged" } else { "to triage" },
            self.count(|a| *a == TriageAction::NoRuleMatched),
            self.count(|a| *a == TriageAction::AlreadyTriaged)
        )?;
        if !self.applied {
            write!(
                f,
                " Dry run: nothing was written; run with --apply to write."
            )?;
        }
        Ok(())
    }
}

/// A record's id and name.
#[derive(Clone, Debug)]
struct Named {
    id: i32,
    name: String,
}

fn find_named<'a>(list: &'a [Named], name: &str) -> Option<&'a Named> {
    list.iter()
        .find(|named| named.name.eq_ignore_ascii_case(name))
}

/// A board with its statuses and types.
#[derive(Clone, Debug)]
struct BoardSetup {
    board: Named,
    statuses: Vec<Named>,
    /// The status new tickets get (the one flagged default), if any.
    default_status: Option<Named>,
    types: Vec<Named>,
}

/// The triage of one tenant, ready to run: the board, its statuses and types, the priorities
/// and the work type looked up, the classifier's outcomes checked. See the [module docs](self).
#[derive(Clone, Debug)]
pub struct Triage {
    client: Client,
    screenconnect: Option<screenconnect_api::Client>,
    classifier: Arc<dyn Classifier>,
    options: TriageOptions,
    setup: BoardSetup,
    /// In the tenant's order (sort order, then id): the first is the most urgent.
    priorities: Vec<Named>,
    work_type: Option<i32>,
}

impl Triage {
    /// Looks up what the triage needs on the tenant, with the default classifier.
    /// `screenconnect`, when given, is asked for the contact's device.
    ///
    /// # Errors
    /// [`Error::NotFound`] for a board, status or work type the tenant does not have;
    /// [`Error::Setup`] when a rule names a type or priority the tenant does not have;
    /// [`Error::Api`] for failed calls. Nothing is written.
    pub async fn new(
        client: &Client,
        screenconnect: Option<&screenconnect_api::Client>,
        options: &TriageOptions,
    ) -> Result<Triage, Error> {
        if options.statuses.is_empty() {
            return Err(Error::InvalidOptions(
                "at least one status must count as new".to_owned(),
            ));
        }
        let setup = board_setup(client, &options.board).await?;
        for status in &options.statuses {
            if find_named(&setup.statuses, status).is_none() {
                return Err(Error::NotFound {
                    what: "status",
                    name: status.clone(),
                    hint: format!(
                        " on board {:?}; it has {}",
                        setup.board.name,
                        names(&setup.statuses)
                    ),
                });
            }
        }
        let mut priorities: Vec<Priority> = client
            .service()
            .priorities()
            .list(&ListQuery::new())
            .by_item()
            .try_collect()
            .await?;
        priorities.sort_by_key(|p| (p.sort_order.unwrap_or(i32::MAX), p.id));
        let priorities = priorities
            .iter()
            .filter_map(|p| named(p.id, &p.name))
            .collect();
        let work_type = match &options.work_type {
            None => None,
            Some(name) => {
                let found = lookup::by_names(client, "/time/workTypes", &[name.as_str()]).await?;
                Some(
                    lookup::find(&found, name)
                        .ok_or_else(|| Error::NotFound {
                            what: "work type",
                            name: name.clone(),
                            hint: "; pass an existing one with --work-type".to_owned(),
                        })?
                        .id,
                )
            }
        };
        let triage = Triage {
            client: client.clone(),
            screenconnect: screenconnect.cloned(),
            classifier: Arc::new(KeywordRules::default()),
            options: options.clone(),
            setup,
            priorities,
            work_type,
        };
        triage.check_outcomes()?;
        Ok(triage)
    }

    /// Classifies with `classifier` instead of the keyword rules.
    ///
    /// # Errors
    /// [`Error::Setup`] when one of its [`Classifier::outcomes`] does not fit the tenant.
    pub fn with_classifier(mut self, classifier: impl Classifier + 'static) -> Result<Self, Error> {
        self.classifier = Arc::new(classifier);
        self.check_outcomes()?;
        Ok(self)
    }

    /// The options in force.
    pub fn options(&self) -> &TriageOptions {
        &self.options
    }

    /// The board's id.
    pub fn board_id(&self) -> i32 {
        self.setup.board.id
    }

    /// The Manage client.
    pub fn client(&self) -> &Client {
        &self.client
    }

    fn check_outcomes(&self) -> Result<(), Error> {
        let mut missing = Vec::new();
        for (board, kind, priority) in self.classifier.outcomes() {
            // A move to another board is checked when it is made (its types are that board's).
            if board.is_none() && find_named(&self.setup.types, &kind).is_none() {
                missing.push(format!(
                    "type {kind:?} is not a type of board {:?}",
                    self.setup.board.name
                ));
            }
            if find_named(&self.priorities, &priority).is_none() {
                missing.push(format!("priority {priority:?} does not exist"));
            }
        }
        missing.dedup();
        if missing.is_empty() {
            Ok(())
        } else {
            Err(Error::Setup(format!(
                "the triage rules do not fit this tenant, so nothing was changed: {}. Add them in \
                 Manage or edit the rules (recipes/triage/rules.rs).",
                missing.join("; ")
            )))
        }
    }

    /// Triages every new ticket of the board; see the [module docs](self).
    ///
    /// # Errors
    /// [`Error::Api`] for failed calls: writes already made stay made, and a re-run continues
    /// where this one stopped; [`Error::Setup`] for a classification that does not fit.
    pub async fn board(&self) -> Result<TriageReport, Error> {
        let statuses: Vec<&str> = self.options.statuses.iter().map(String::as_str).collect();
        let mut query = ListQuery::new()
            .conditions(
                Condition::eq("board/id", self.setup.board.id)?
                    & Condition::in_list("status/name", statuses)?
                    & Condition::eq("closedFlag", false)?,
            )
            .order_by(OrderBy::asc("id")?)
            .fields(ticket_fields()?);
        if let Some(size) = self.options.page_size {
            query = query.page_size(size);
        }
        let tickets: Vec<Ticket> = self
            .client
            .service()
            .tickets()
            .list(&query)
            .by_item()
            .try_collect()
            .await?;
        let mut outcomes = Vec::with_capacity(tickets.len());
        for ticket in tickets {
            outcomes.push(self.triage(ticket, Instant::now()).await?);
        }
        Ok(TriageReport {
            board: self.setup.board.name.clone(),
            applied: self.options.apply,
            tickets: outcomes,
        })
    }

    /// Re-reads ticket `id` and triages it if it is a new ticket of the board; see the
    /// [module docs](self).
    ///
    /// # Errors
    /// As [`Triage::board`].
    pub async fn ticket(&self, id: i32) -> Result<TicketOutcome, Error> {
        let started = Instant::now();
        let ticket: Option<Ticket> = self.client.service().tickets().id(id).get_opt().await?;
        let Some(ticket) = ticket else {
            return Ok(TicketOutcome {
                id,
                summary: String::new(),
                action: TriageAction::Missing,
            });
        };
        if let Some(why) = self.not_new(&ticket) {
            return Ok(TicketOutcome {
                id,
                summary: ticket.summary.clone().unwrap_or_default(),
                action: TriageAction::NotApplicable(why),
            });
        }
        self.triage(ticket, started).await
    }

    /// Why a ticket is not one to triage, if it is not.
    fn not_new(&self, ticket: &Ticket) -> Option<String> {
        if ticket.closed_flag == Some(true) {
            return Some("it is closed".to_owned());
        }
        let board = ticket.board.as_ref();
        if board.and_then(|b| b.id) != Some(self.setup.board.id) {
            return Some(format!(
                "it is on board {:?}, not {:?}",
                board.and_then(|b| b.name.clone()).unwrap_or_default(),
                self.setup.board.name
            ));
        }
        let status = ticket
            .status
            .as_ref()
            .and_then(|s| s.name.clone())
            .unwrap_or_default();
        if !self
            .options
            .statuses
            .iter()
            .any(|wanted| wanted.eq_ignore_ascii_case(&status))
        {
            return Some(format!("its status {status:?} does not count as new"));
        }
        None
    }

    async fn triage(&self, ticket: Ticket, started: Instant) -> Result<TicketOutcome, Error> {
        let id = ticket
            .id
            .ok_or_else(|| Error::Setup("the API returned a ticket without an id".to_owned()))?;
        let handle = self.client.service().tickets().id(id);
        let action = self.triage_one(&handle, &ticket, started).await?;
        Ok(TicketOutcome {
            id,
            summary: ticket.summary.clone().unwrap_or_default(),
            action,
        })
    }

    async fn triage_one(
        &self,
        handle: &TicketsById,
        ticket: &Ticket,
        started: Instant,
    ) -> Result<TriageAction, Error> {
        let started_at = OffsetDateTime::now_utc()
            .replace_nanosecond(0)
            .unwrap_or_else(|_| OffsetDateTime::now_utc());
        let existing: Vec<ServiceNote> = handle
            .notes()
            .list(&ListQuery::new())
            .by_item()
            .try_collect()
            .await?;
        if existing
            .iter()
            .any(|note| note.text.as_deref().is_some_and(is_triage_note))
        {
            return Ok(TriageAction::AlreadyTriaged);
        }
        let description: Vec<&str> = existing
            .iter()
            .filter(|note| note.detail_description_flag == Some(true))
            .filter_map(|note| note.text.as_deref())
            .collect();
        let description = description.join("\n");
        let mut context = context::gather(
            &self.client,
            self.screenconnect.as_ref(),
            ticket,
            &self.options.tier_field,
        )
        .await?;
        let summary = ticket.summary.clone().unwrap_or_default();
        let text = TicketText {
            summary: &summary,
            description: &description,
            context: &context,
        };
        let Some(classification) = self.classifier.classify(&text).await? else {
            return Ok(TriageAction::NoRuleMatched);
        };
        if let (Some(contact), Some(term), Some(id)) =
            (&context.contact, &classification.search_term, ticket.id)
        {
            context.similar = context::similar_tickets(&self.client, contact.id, id, term).await?;
        }

        // Where the ticket goes, and with which type and priority.
        let current_board = ticket.board.as_ref();
        let moving = match &classification.board {
            Some(name) if !name.eq_ignore_ascii_case(&self.setup.board.name) => {
                Some(board_setup(&self.client, name).await?)
            }
            _ => None,
        };
        let target = moving.as_ref().unwrap_or(&self.setup);
        let unfit = |what: String| {
            Error::Setup(format!(
                "classification {:?} does not fit this tenant, so ticket #{} was not changed: \
                 {what}",
                classification.category,
                ticket.id.unwrap_or_default()
            ))
        };
        let ticket_type =
            find_named(&target.types, &classification.ticket_type).ok_or_else(|| {
                unfit(format!(
                    "type {:?} is not a type of board {:?}",
                    classification.ticket_type, target.board.name
                ))
            })?;
        let position = self
            .priorities
            .iter()
            .position(|p| p.name.eq_ignore_ascii_case(&classification.priority))
            .ok_or_else(|| {
                unfit(format!(
                    "priority {:?} does not exist",
                    classification.priority
                ))
            })?;
        let tier = context.company.as_ref().and_then(|c| c.tier.clone());
        let urgent = tier.as_deref().filter(|tier| {
            self.options
                .urgent_tiers
                .iter()
                .any(|t| t.eq_ignore_ascii_case(tier))
        });
        let (priority, priority_reason) = match urgent {
            Some(tier) if position > 0 => (
                &self.priorities[position - 1],
                Some(format!(
                    "one step above the rule's {} for the {tier} tier",
                    self.priorities[position].name
                )),
            ),
            _ => (&self.priorities[position], None),
        };

        let current_priority = ticket.priority.as_ref();
        let current_type = ticket.r#type.as_ref();
        let priority_change = FieldChange {
            to: priority.name.clone(),
            from: current_priority.and_then(|p| p.name.clone()),
        };
        let type_change = FieldChange {
            to: ticket_type.name.clone(),
            from: current_type.and_then(|t| t.name.clone()),
        };
        let board_change = moving.as_ref().map(|setup| FieldChange {
            to: setup.board.name.clone(),
            from: current_board.and_then(|b| b.name.clone()),
        });
        let mut patch = Patch::new();
        if current_priority.and_then(|p| p.id) != Some(priority.id) {
            patch = patch.priority_id(priority.id);
        }
        if current_type.and_then(|t| t.id) != Some(ticket_type.id) {
            patch = patch.replace_reference("type", Reference::id(ticket_type.id))?;
        }
        if let Some(setup) = &moving {
            // Statuses belong to a board: keep the status's name where the new board has it.
            let status_name = ticket.status.as_ref().and_then(|s| s.name.clone());
            let status = status_name
                .as_deref()
                .and_then(|name| find_named(&setup.statuses, name))
                .or(setup.default_status.as_ref())
                .ok_or_else(|| {
                    unfit(format!(
                        "board {:?} has no status {:?} and no default status",
                        setup.board.name,
                        status_name.unwrap_or_default()
                    ))
                })?;
            patch = patch
                .replace_reference("board", Reference::id(setup.board.id))?
                .replace_reference("status", Reference::id(status.id))?;
        }
        let text = note_text(&NoteFacts {
            classification: &classification,
            priority: &priority_change,
            priority_reason: priority_reason.as_deref(),
            ticket_type: &type_change,
            board: board_change.as_ref(),
            context: &context,
        });
        let patch_json = serde_json::to_value(&patch).unwrap_or_default();

        let mut time_entry = None;
        if self.options.apply {
            if !patch.is_empty() {
                handle.patch(&patch).await?;
            }
            let note = ServiceNote {
                text: Some(text.clone()),
                internal_analysis_flag: Some(true),
                detail_description_flag: Some(false),
                resolution_flag: Some(false),
                ..ServiceNote::default()
            };
            handle.notes().create(&note).await?;
        }
        if let Some(member) = &self.options.member {
            let minutes = whole_minutes(started);
            let entry = TimeEntry {
                charge_to_id: ticket.id,
                charge_to_type: Some(ChargeToType::ServiceTicket),
                member: Some(MemberReference {
                    identifier: Some(member.clone()),
                    ..MemberReference::default()
                }),
                time_start: Some(started_at),
                time_end: Some(started_at + time::Duration::minutes(minutes)),
                work_type: self
                    .work_type
                    .map(|id| connectwise_manage::models::WorkTypeReference {
                        id: Some(id),
                        ..Default::default()
                    }),
                billable_option: Some(BillableOption::DoNotBill),
                notes: Some(format!(
                    "Automated triage: {} ({}).",
                    classification.category, classification.reason
                )),
                ..TimeEntry::default()
            };
            let id = if self.options.apply {
                let created = self.client.time().entries().create(&entry).await?;
                Some(created.id.ok_or_else(|| {
                    Error::Setup("the API created a time entry without returning its id".to_owned())
                })?)
            } else {
                None
            };
            time_entry = Some(TimeLogged {
                member: member.clone(),
                minutes,
                id,
            });
        }
        Ok(TriageAction::Triaged(Box::new(Triaged {
            classification,
            priority: priority_change,
            ticket_type: type_change,
            board: board_change,
            patch: patch_json,
            note: text,
            time_entry,
            context,
        })))
    }
}

/// Runs the batch triage of a board with the default classifier and no ScreenConnect: what
/// `triage --board …` does without `SC_*`.
///
/// # Errors
/// As [`Triage::new`] and [`Triage::board`].
pub async fn run(client: &Client, options: &TriageOptions) -> Result<TriageReport, Error> {
    Triage::new(client, None, options).await?.board().await
}

/// The automation's time so far in whole minutes, rounded up: Manage books time in minutes,
/// and an entry needs an end after its start.
fn whole_minutes(started: Instant) -> i64 {
    let seconds = started.elapsed().as_secs();
    i64::try_from(seconds.div_ceil(60))
        .unwrap_or(i64::MAX)
        .max(1)
}

/// The ticket fields the triage reads.
fn ticket_fields() -> Result<Fields, Error> {
    Ok(Fields::new([
        "id",
        "summary",
        "board",
        "status",
        "priority",
        "type",
        "company",
        "contact",
        "contactName",
        "contactEmailAddress",
        "closedFlag",
    ])?)
}

fn named(id: Option<i32>, name: &Option<String>) -> Option<Named> {
    Some(Named {
        id: id?,
        name: name.clone()?,
    })
}

fn names(list: &[Named]) -> String {
    list.iter()
        .map(|n| format!("{:?}", n.name))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The board named `name` (exactly one), with its statuses and types.
async fn board_setup(client: &Client, name: &str) -> Result<BoardSetup, Error> {
    let boards: Vec<Board> = client
        .service()
        .boards()
        .list(&ListQuery::new().conditions(Condition::eq("name", name)?))
        .await?;
    let board = match boards.as_slice() {
        [board] => Named {
            id: board.id.ok_or_else(|| {
                Error::Setup(format!("the API returned board {name:?} without an id"))
            })?,
            name: board.name.clone().unwrap_or_else(|| name.to_owned()),
        },
        [] => {
            return Err(Error::NotFound {
                what: "service board",
                name: name.to_owned(),
                hint: "; pass the board's exact name with --board".to_owned(),
            });
        }
        many => {
            return Err(Error::Ambiguous {
                what: "service board",
                name: name.to_owned(),
                count: many.len(),
                candidates: many
                    .iter()
                    .map(|b| b.id.map_or_else(|| "?".to_owned(), |id| id.to_string()))
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        }
    };
    let node = client.service().boards().id(board.id);
    let types: Vec<BoardType> = node
        .types()
        .list(&ListQuery::new())
        .by_item()
        .try_collect()
        .await?;
    let statuses: Vec<BoardStatus> = node
        .statuses()
        .list(&ListQuery::new())
        .by_item()
        .try_collect()
        .await?;
    let default_status = statuses
        .iter()
        .find(|s| s.default_flag == Some(true))
        .and_then(|s| named(s.id, &s.name));
    Ok(BoardSetup {
        board,
        statuses: statuses
            .iter()
            .filter_map(|s| named(s.id, &s.name))
            .collect(),
        default_status,
        types: types.iter().filter_map(|t| named(t.id, &t.name)).collect(),
    })
}
