//! Triage new tickets on a service board: classify each by keyword rules, set its priority and
//! type, and leave an internal note saying why.
//!
//! For each open ticket in one of the given statuses (default "New") on the board:
//!
//! 1. its notes are read; a ticket that already has a triage note (starting with
//!    [`NOTE_HEADER`]) is skipped, so running the recipe twice changes nothing;
//! 2. its summary and description are matched against [`rules::RULES`]; a ticket no rule matches
//!    is left alone for a technician;
//! 3. priority and type are set with one JSON Patch that replaces the whole reference objects
//!    (`{"op":"replace","path":"priority","value":{"id":2}}`), only for fields that change;
//! 4. an internal-analysis note with the triage summary is posted.
//!
//! The patch goes before the note: if posting the note fails, the next run finds no note, sends
//! an empty patch (nothing to change) and posts it.
//!
//! Before reading any ticket, every type and priority the rules name is looked up on the tenant;
//! a missing one stops the run with nothing written. Matching tickets are streamed page by page
//! and collected before anything is written, because changing records while paging through a
//! filter over them can shift later pages.
//!
//! Nothing is written unless [`TriageOptions::apply`] is set; without it the report says what
//! would be done.

pub mod note;
pub mod rules;

use std::fmt;

use connectwise_manage::api::service::TicketsById;
use connectwise_manage::models::{Board, BoardType, Priority, ServiceNote, Ticket};
use connectwise_manage::patch::{Patch, Reference};
use connectwise_manage::query::{Condition, Fields, OrderBy};
use connectwise_manage::{Client, ListQuery};
use futures::TryStreamExt;

use crate::error::Error;
use note::{FieldChange, NoteFacts, is_triage_note, note_text};
use rules::{Classification, RULES, Rule, classify_with};

pub use note::NOTE_HEADER;

/// What to triage and whether to write.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TriageOptions {
    /// The service board, by name. Default "Help Desk".
    pub board: String,
    /// The statuses that count as new. Default `["New"]`.
    pub statuses: Vec<String>,
    /// Write the changes; without it nothing is written. Default `false`.
    pub apply: bool,
    /// Tickets per page when listing; `None` uses the client's default (1,000).
    pub page_size: Option<u32>,
}

impl Default for TriageOptions {
    fn default() -> Self {
        Self {
            board: "Help Desk".to_owned(),
            statuses: vec!["New".to_owned()],
            apply: false,
            page_size: None,
        }
    }
}

/// What the recipe did (or, without `apply`, would do) to each ticket.
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
    pub id: i64,
    /// The ticket summary.
    pub summary: String,
    /// What happened.
    pub action: TriageAction,
}

/// What happened to one ticket.
#[derive(Clone, Debug, PartialEq)]
pub enum TriageAction {
    /// Classified: priority and type set where they differed, note posted.
    Triaged {
        /// The rule that matched.
        classification: Classification,
        /// The priority.
        priority: FieldChange,
        /// The type.
        ticket_type: FieldChange,
        /// The note's text.
        note: String,
    },
    /// Skipped: the ticket already has a triage note.
    AlreadyTriaged,
    /// Left alone: no rule matched.
    NoRuleMatched,
}

impl TriageReport {
    /// How many tickets were (or would be) triaged.
    pub fn triaged(&self) -> usize {
        self.count(|action| matches!(action, TriageAction::Triaged { .. }))
    }

    fn count(&self, test: impl Fn(&TriageAction) -> bool) -> usize {
        self.tickets.iter().filter(|t| test(&t.action)).count()
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
        let verb = if self.applied { "" } else { "would " };
        for ticket in &self.tickets {
            writeln!(f, "#{} {}", ticket.id, ticket.summary)?;
            match &ticket.action {
                TriageAction::Triaged {
                    classification,
                    priority,
                    ticket_type,
                    ..
                } => {
                    let mut steps = Vec::new();
                    for (field, change) in [("priority", priority), ("type", ticket_type)] {
                        if change.changes() {
                            steps.push(format!("{verb}set {field} {}", change.describe()));
                        } else {
                            steps.push(format!("{field} stays {}", change.to));
                        }
                    }
                    steps.push(format!("{verb}post an internal triage note"));
                    writeln!(
                        f,
                        "    {} (keyword \"{}\"): {}",
                        classification.rule.name,
                        classification.keyword,
                        steps.join("; ")
                    )?;
                }
                TriageAction::AlreadyTriaged => writeln!(
                    f,
                    "    already triaged (has an {NOTE_HEADER:?} note); skipped"
                )?,
                TriageAction::NoRuleMatched => {
                    writeln!(f, "    no rule matched; left for a technician")?
                }
            }
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

/// A board, type or priority, by id.
#[derive(Clone, Debug)]
struct Named {
    id: i32,
    name: String,
}

/// Every type and priority of [`RULES`], resolved on the tenant.
struct Targets {
    types: Vec<Named>,
    priorities: Vec<Named>,
}

impl Targets {
    fn ticket_type(&self, rule: &Rule) -> Option<&Named> {
        find_named(&self.types, rule.ticket_type)
    }

    fn priority(&self, rule: &Rule) -> Option<&Named> {
        find_named(&self.priorities, rule.priority)
    }
}

fn find_named<'a>(list: &'a [Named], name: &str) -> Option<&'a Named> {
    list.iter()
        .find(|named| named.name.eq_ignore_ascii_case(name))
}

/// Runs the triage; see the [module docs](self).
///
/// # Errors
/// [`Error::NotFound`] when the board does not exist; [`Error::Setup`] when a rule names a type
/// or priority the tenant does not have (nothing is written then); [`Error::Api`] for failed
/// calls: writes already made stay made, and a re-run continues where this one stopped.
pub async fn run(client: &Client, options: &TriageOptions) -> Result<TriageReport, Error> {
    let board = find_board(client, &options.board).await?;
    let targets = resolve_targets(client, &board).await?;
    let statuses: Vec<&str> = options.statuses.iter().map(String::as_str).collect();
    let mut query = ListQuery::new()
        .conditions(
            Condition::eq("board/id", board.id)?
                & Condition::in_list("status/name", statuses)?
                & Condition::eq("closedFlag", false)?,
        )
        .order_by(OrderBy::asc("id")?)
        .fields(Fields::new([
            "id",
            "summary",
            "priority",
            "type",
            "contactName",
            "contactEmailAddress",
        ])?);
    if let Some(size) = options.page_size {
        query = query.page_size(size);
    }
    let tickets: Vec<Ticket> = client
        .service()
        .tickets()
        .list(&query)
        .by_item()
        .try_collect()
        .await?;

    let mut outcomes = Vec::with_capacity(tickets.len());
    for ticket in tickets {
        let id = ticket
            .id
            .ok_or_else(|| Error::Setup("the API returned a ticket without an id".to_owned()))?;
        let handle = client.service().tickets().id(id);
        let action = triage_one(&handle, &ticket, &targets, options.apply).await?;
        outcomes.push(TicketOutcome {
            id: i64::from(id),
            summary: ticket.summary.clone().unwrap_or_default(),
            action,
        });
    }
    Ok(TriageReport {
        board: board.name,
        applied: options.apply,
        tickets: outcomes,
    })
}

async fn triage_one(
    handle: &TicketsById,
    ticket: &Ticket,
    targets: &Targets,
    apply: bool,
) -> Result<TriageAction, Error> {
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
    let text = format!(
        "{}\n{}",
        ticket.summary.as_deref().unwrap_or_default(),
        description.join("\n")
    );
    let Some(classification) = classify_with(RULES, &text) else {
        return Ok(TriageAction::NoRuleMatched);
    };
    let rule = classification.rule;
    let (Some(priority), Some(ticket_type)) = (targets.priority(rule), targets.ticket_type(rule))
    else {
        return Err(Error::Setup(format!(
            "rule {:?} could not be resolved on the tenant",
            rule.name
        )));
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
    let mut patch = Patch::new();
    if current_priority.and_then(|p| p.id) != Some(priority.id) {
        patch = patch.priority_id(priority.id);
    }
    if current_type.and_then(|t| t.id) != Some(ticket_type.id) {
        patch = patch.replace_reference("type", Reference::id(ticket_type.id))?;
    }
    let contact = match (&ticket.contact_name, &ticket.contact_email_address) {
        (Some(name), Some(email)) => Some(format!("{name} <{email}>")),
        (Some(name), None) => Some(name.clone()),
        (None, Some(email)) => Some(email.clone()),
        (None, None) => None,
    };
    let text = note_text(&NoteFacts {
        classification,
        priority: &priority_change,
        ticket_type: &type_change,
        contact,
    });
    if apply {
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
    Ok(TriageAction::Triaged {
        classification,
        priority: priority_change,
        ticket_type: type_change,
        note: text,
    })
}

/// The board named `name` (exactly one).
async fn find_board(client: &Client, name: &str) -> Result<Named, Error> {
    let boards: Vec<Board> = client
        .service()
        .boards()
        .list(&ListQuery::new().conditions(Condition::eq("name", name)?))
        .await?;
    match boards.as_slice() {
        [board] => Ok(Named {
            id: board.id.ok_or_else(|| {
                Error::Setup(format!("the API returned board {name:?} without an id"))
            })?,
            name: board.name.clone().unwrap_or_else(|| name.to_owned()),
        }),
        [] => Err(Error::NotFound {
            what: "service board",
            name: name.to_owned(),
            hint: "; pass the board's exact name with --board".to_owned(),
        }),
        many => Err(Error::Ambiguous {
            what: "service board",
            name: name.to_owned(),
            count: many.len(),
            candidates: ids(many.iter().map(|b| b.id)),
        }),
    }
}

fn ids(ids: impl Iterator<Item = Option<i32>>) -> String {
    ids.map(|id| id.map_or_else(|| "?".to_owned(), |id| id.to_string()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Looks up the board's types and the priorities, and checks every rule against them.
async fn resolve_targets(client: &Client, board: &Named) -> Result<Targets, Error> {
    let types: Vec<BoardType> = client
        .service()
        .boards()
        .id(board.id)
        .types()
        .list(&ListQuery::new())
        .by_item()
        .try_collect()
        .await?;
    let priorities: Vec<Priority> = client
        .service()
        .priorities()
        .list(&ListQuery::new())
        .by_item()
        .try_collect()
        .await?;
    let named = |id: Option<i32>, name: &Option<String>| {
        Some(Named {
            id: id?,
            name: name.clone()?,
        })
    };
    let targets = Targets {
        types: types.iter().filter_map(|t| named(t.id, &t.name)).collect(),
        priorities: priorities
            .iter()
            .filter_map(|p| named(p.id, &p.name))
            .collect(),
    };
    let mut missing = Vec::new();
    for rule in RULES {
        if targets.ticket_type(rule).is_none() {
            missing.push(format!(
                "type {:?} (rule {:?}) is not a type of board {:?}",
                rule.ticket_type, rule.name, board.name
            ));
        }
        if targets.priority(rule).is_none() {
            missing.push(format!(
                "priority {:?} (rule {:?}) does not exist",
                rule.priority, rule.name
            ));
        }
    }
    if missing.is_empty() {
        Ok(targets)
    } else {
        Err(Error::Setup(format!(
            "the triage rules do not fit this tenant, so nothing was changed: {}. Add them in \
             Manage or edit the rules (recipes/triage/rules.rs).",
            missing.join("; ")
        )))
    }
}
