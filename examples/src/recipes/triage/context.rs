//! What the triage gathers about a ticket before it classifies it: who raised it, their company
//! and its service tier, their configurations, the ScreenConnect session of their device, and
//! their recent similar tickets.
//!
//! Everything is read through the APIs, never taken from the callback's payload. A piece that is
//! missing (a ticket without a contact, a contact without configurations, no ScreenConnect
//! instance configured) is simply absent from the context and from the note.

use connectwise_manage::models::{Company, CompanyConfiguration, Contact, Ticket};
use connectwise_manage::query::{Condition, Fields, OrderBy};
use connectwise_manage::{Client, ListQuery};
use futures::TryStreamExt;
use screenconnect_api::models::OnlineStatus;
use time::OffsetDateTime;

use crate::error::Error;

/// The contact who raised a ticket.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContactFacts {
    /// The contact's record id.
    pub id: i32,
    /// First and last name.
    pub name: String,
    /// The default e-mail address, if any.
    pub email: Option<String>,
}

/// The ticket's company.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompanyFacts {
    /// The company's record id.
    pub id: i32,
    /// The company's name.
    pub name: String,
    /// The service tier: the value of the company's tier custom field, if set.
    pub tier: Option<String>,
}

/// How the contact's device looks in ScreenConnect.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DeviceStatus {
    /// The agent is connected now.
    Online,
    /// The agent is not connected; last seen then, when known.
    Offline(Option<OffsetDateTime>),
    /// The session reports neither.
    Unknown,
    /// No session has the device's name.
    NoSession,
    /// No ScreenConnect instance was given to the recipe.
    NotChecked,
}

/// The contact's device, as found among their configurations and in ScreenConnect.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceFacts {
    /// The configuration (and session) name.
    pub name: String,
    /// What ScreenConnect says about it.
    pub status: DeviceStatus,
}

/// One of the contact's earlier tickets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimilarTicket {
    /// The ticket id.
    pub id: i32,
    /// Its summary.
    pub summary: String,
    /// Its status name.
    pub status: Option<String>,
}

/// Everything gathered about one ticket.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Context {
    /// The contact, when the ticket has one.
    pub contact: Option<ContactFacts>,
    /// The company, when the ticket has one.
    pub company: Option<CompanyFacts>,
    /// The names of the contact's configurations.
    pub configurations: Vec<String>,
    /// The device the contact works on: the first of their configurations with a ScreenConnect
    /// session (else the first configuration).
    pub device: Option<DeviceFacts>,
    /// The contact's most recent other tickets matching the classification's search term.
    pub similar: Vec<SimilarTicket>,
}

/// How many similar tickets the note lists.
pub const SIMILAR_TICKETS: u32 = 5;

/// Reads the contact, company, configurations and device of `ticket`. `tier_field` is the
/// caption of the company custom field holding the service tier.
///
/// # Errors
/// [`Error::Api`] when a read fails (a contact or company that no longer exists is left out
/// instead).
pub async fn gather(
    client: &Client,
    screenconnect: Option<&screenconnect_api::Client>,
    ticket: &Ticket,
    tier_field: &str,
) -> Result<Context, Error> {
    let mut context = Context::default();
    if let Some(id) = ticket.contact.as_ref().and_then(|contact| contact.id) {
        let contact: Option<Contact> = client.company().contacts().id(id).get_opt().await?;
        context.contact = contact.map(|contact| ContactFacts {
            id,
            name: [contact.first_name, contact.last_name]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" "),
            email: default_email(&contact.communication_items)
                .or_else(|| ticket.contact_email_address.clone()),
        });
    }
    if let Some(id) = ticket.company.as_ref().and_then(|company| company.id) {
        let company: Option<Company> = client.company().companies().id(id).get_opt().await?;
        context.company = company.map(|company| CompanyFacts {
            id,
            name: company.name.clone().unwrap_or_default(),
            tier: tier_of(&company, tier_field),
        });
    }
    if let Some(contact) = &context.contact {
        let query = ListQuery::new()
            .conditions(Condition::eq("contact/id", contact.id)?)
            .order_by(OrderBy::asc("id")?)
            .fields(Fields::new(["id", "name"])?);
        let configurations: Vec<CompanyConfiguration> = client
            .company()
            .configurations()
            .list(&query)
            .by_item()
            .try_collect()
            .await?;
        context.configurations = configurations
            .into_iter()
            .filter_map(|configuration| configuration.name)
            .collect();
        context.device = device(screenconnect, &context.configurations).await?;
    }
    Ok(context)
}

/// The contact's most recent tickets other than `ticket` whose summary contains `term`:
/// `contact/id=… and summary contains "…"`, newest first.
///
/// # Errors
/// [`Error::Query`] for a term that cannot be written as a condition, [`Error::Api`] for the
/// call.
pub async fn similar_tickets(
    client: &Client,
    contact: i32,
    ticket: i32,
    term: &str,
) -> Result<Vec<SimilarTicket>, Error> {
    let query = ListQuery::new()
        .conditions(
            Condition::eq("contact/id", contact)?
                & Condition::contains("summary", term)?
                & Condition::ne("id", ticket)?,
        )
        .order_by(OrderBy::desc("id")?)
        .fields(Fields::new(["id", "summary", "status"])?)
        .page_size(SIMILAR_TICKETS);
    let page: Vec<Ticket> = client.service().tickets().list(&query).await?;
    Ok(page
        .into_iter()
        .filter_map(|found| {
            Some(SimilarTicket {
                id: found.id?,
                summary: found.summary.unwrap_or_default(),
                status: found.status.and_then(|status| status.name),
            })
        })
        .collect())
}

fn default_email(
    items: &Option<Vec<connectwise_manage::models::ContactCommunicationItem>>,
) -> Option<String> {
    let items = items.as_deref()?;
    let is_email = |item: &&connectwise_manage::models::ContactCommunicationItem| {
        item.communication_type
            .as_ref()
            .is_some_and(|kind| kind.to_string().eq_ignore_ascii_case("email"))
    };
    items
        .iter()
        .filter(is_email)
        .find(|item| item.default_flag == Some(true))
        .or_else(|| items.iter().find(is_email))
        .and_then(|item| item.value.clone())
}

fn tier_of(company: &Company, caption: &str) -> Option<String> {
    company
        .custom_fields
        .as_deref()?
        .iter()
        .find(|field| {
            field
                .caption
                .as_deref()
                .is_some_and(|c| c.eq_ignore_ascii_case(caption))
        })
        .and_then(|field| match &field.value {
            serde_json::Value::String(text) if !text.trim().is_empty() => Some(text.clone()),
            _ => None,
        })
}

/// The first configuration with a ScreenConnect session of its name, else the first
/// configuration (its status saying why there is none).
async fn device(
    screenconnect: Option<&screenconnect_api::Client>,
    configurations: &[String],
) -> Result<Option<DeviceFacts>, Error> {
    let Some(first) = configurations.first() else {
        return Ok(None);
    };
    let Some(screenconnect) = screenconnect else {
        return Ok(Some(DeviceFacts {
            name: first.clone(),
            status: DeviceStatus::NotChecked,
        }));
    };
    for name in configurations {
        let sessions = screenconnect.sessions_by_name(name).await?;
        // Several sessions can carry a name (a reinstalled agent); the one seen last is the
        // machine as it is now.
        let Some(session) = sessions.iter().max_by_key(|session| session.last_seen()) else {
            continue;
        };
        let status = match session.online_status() {
            OnlineStatus::Online => DeviceStatus::Online,
            OnlineStatus::Offline => DeviceStatus::Offline(session.last_seen()),
            _ => DeviceStatus::Unknown,
        };
        return Ok(Some(DeviceFacts {
            name: name.clone(),
            status,
        }));
    }
    Ok(Some(DeviceFacts {
        name: first.clone(),
        status: DeviceStatus::NoSession,
    }))
}
