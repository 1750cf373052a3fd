//! The escape hatch: any collection of the API by path, typed by the record model, as the same
//! [`Call`] and [`List`] values the typed accessors return.

use std::fmt;
use std::marker::PhantomData;

use http::Method;
use msp_common::{Error, Idempotency, Operation};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::call::{self, Call};
use crate::client::Client;
use crate::list::{self, List};
use crate::list_query::ListQuery;
use crate::patch::Patch;
use crate::request::{Request, operation_name, split_path};

/// A collection such as `/service/tickets`, with its records decoded as `T` (a typed model, or
/// `serde_json::Value`).
///
/// The typed accessors (`client.service().tickets()`) carry the spec's operation names and
/// idempotency; a path reached here has neither, so they are derived, and only here: names follow
/// ConnectWise's own scheme (`getServiceTicketsByParentIdNotes`), reads are safe to repeat, `PUT`
/// and `DELETE` are idempotent, `POST` and `PATCH` are never repeated after an answer that may
/// have been lost. Each method returns a [`Call`] or [`List`]; nothing is sent until it is
/// awaited or streamed.
///
/// ```no_run
/// use connectwise_manage::{Client, ListQuery, query::Condition};
/// use futures::TryStreamExt;
///
/// # async fn run(client: Client) -> Result<(), Box<dyn std::error::Error>> {
/// let agreements = client.endpoint::<serde_json::Value>("/finance/agreements");
/// let active = ListQuery::new().conditions(Condition::eq("cancelledFlag", false)?);
/// let mut stream = agreements.list(&active).by_item();
/// while let Some(agreement) = stream.try_next().await? {
///     println!("{}", agreement["name"]);
/// }
/// # Ok(())
/// # }
/// ```
pub struct Endpoint<T> {
    client: Client,
    segments: Vec<String>,
    route: String,
    api_version: Option<String>,
    model: PhantomData<fn() -> T>,
}

impl<T> Clone for Endpoint<T> {
    fn clone(&self) -> Self {
        Self {
            client: self.client.clone(),
            segments: self.segments.clone(),
            route: self.route.clone(),
            api_version: self.api_version.clone(),
            model: PhantomData,
        }
    }
}

impl<T> fmt::Debug for Endpoint<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Endpoint")
            .field("route", &self.route)
            .field("model", &std::any::type_name::<T>())
            .finish()
    }
}

impl<T> Endpoint<T> {
    pub(crate) fn new(client: Client, path: &str) -> Self {
        Self {
            client,
            segments: split_path(path),
            route: crate::request::route_of(path),
            api_version: None,
            model: PhantomData,
        }
    }

    /// The route template, e.g. `/service/tickets/{parentId}/notes`.
    pub fn route(&self) -> &str {
        &self.route
    }

    /// Asks for model version `version` on every call of this endpoint.
    pub fn with_api_version(mut self, version: impl Into<String>) -> Self {
        self.api_version = Some(version.into());
        self
    }

    /// The child collection `name` of record `id`, e.g. a ticket's `notes`.
    pub fn child<U>(&self, id: i32, name: &str) -> Endpoint<U> {
        let mut segments = self.segments.clone();
        if segments.last().is_some_and(String::is_empty) {
            segments.pop();
        }
        segments.push(id.to_string());
        segments.extend(split_path(name));
        let parent = self.route.replace("{parentId}", "{grandparentId}");
        Endpoint {
            client: self.client.clone(),
            segments,
            route: format!("{parent}/{{parentId}}/{}", name.trim_matches('/')),
            api_version: self.api_version.clone(),
            model: PhantomData,
        }
    }

    fn operation(&self, method: &Method, suffix: &str) -> Operation {
        let route = format!("{}{suffix}", self.route);
        let idempotency = match *method {
            Method::GET | Method::HEAD => Idempotency::Safe,
            Method::PUT | Method::DELETE => Idempotency::Idempotent,
            _ => Idempotency::NonIdempotent,
        };
        Operation::new(operation_name(method, &route), route, idempotency)
    }

    fn request(&self, method: Method, extra: &[String], operation: Operation) -> Request {
        let mut segments = self.segments.clone();
        if !extra.is_empty() && segments.last().is_some_and(String::is_empty) {
            segments.pop();
        }
        segments.extend(extra.iter().cloned());
        let request = Request::with_segments(method, segments, operation);
        match &self.api_version {
            Some(version) => request.api_version(version.clone()),
            None => request,
        }
    }
}

impl<T> Endpoint<T>
where
    T: DeserializeOwned + Send + 'static,
{
    /// The records matching `query`: `GET {path}`. Await it for the first page, or read every
    /// page with [`List::by_item`] / [`List::by_page`].
    ///
    /// ```no_run
    /// # use connectwise_manage::{Client, ListQuery, query::Fields};
    /// # async fn run(client: Client) -> Result<(), connectwise_manage::Error> {
    /// let boards = client.endpoint::<serde_json::Value>("/service/boards");
    /// let first_page = boards
    ///     .list(&ListQuery::new().fields(Fields::new(["id", "name"])?).page_size(50))
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn list(&self, query: &ListQuery) -> List<T> {
        let operation = self.operation(&Method::GET, "");
        List::new(
            self.client.clone(),
            Ok(self.request(Method::GET, &[], operation)),
            query,
        )
    }

    /// One record: `GET {path}/{id}`.
    pub fn get(&self, id: i32) -> Call<T> {
        let operation = self.operation(&Method::GET, "/{id}");
        let request = self.request(Method::GET, &[id.to_string()], operation);
        Call::json(self.client.clone(), Ok(request))
    }

    /// One record, or `None` when it does not exist (404).
    ///
    /// ```no_run
    /// # use connectwise_manage::{Client, models::Company};
    /// # async fn run(client: Client) -> Result<(), connectwise_manage::Error> {
    /// let companies = client.endpoint::<Company>("/company/companies");
    /// match companies.get_opt(250).await? {
    ///     Some(company) => println!("{:?}", company.name),
    ///     None => println!("no company 250"),
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn get_opt(&self, id: i32) -> Call<Option<T>> {
        let operation = self.operation(&Method::GET, "/{id}");
        let request = self.request(Method::GET, &[id.to_string()], operation);
        Call::new(self.client.clone(), Ok(request), call::found::<T>)
    }

    /// How many records match: `GET {path}/count` with the query's filters.
    ///
    /// ```no_run
    /// # use connectwise_manage::{Client, ListQuery, query::Condition};
    /// # async fn run(client: Client) -> Result<(), connectwise_manage::Error> {
    /// let open = ListQuery::new().conditions(Condition::eq("closedFlag", false)?);
    /// let n = client.endpoint::<serde_json::Value>("/service/tickets").count(&open).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn count(&self, query: &ListQuery) -> Call<u64> {
        let operation = self.operation(&Method::GET, "/count");
        let request = self.request(Method::GET, &["count".to_owned()], operation);
        Call::new(
            self.client.clone(),
            Ok(list::count_request(request, query)),
            call::count,
        )
    }

    /// Creates a record: `POST {path}` (answered 201 with the record). Never retried after an
    /// answer that may have been lost.
    ///
    /// ```no_run
    /// # use connectwise_manage::{Client, models::TimeEntry};
    /// # async fn run(client: Client) -> Result<(), connectwise_manage::Error> {
    /// let entries = client.endpoint::<TimeEntry>("/time/entries");
    /// let entry = serde_json::json!({
    ///     "chargeToId": 12345, "chargeToType": "ServiceTicket",
    ///     "member": {"identifier": "automation"},
    ///     "timeStart": "2026-05-14T14:30:00Z", "timeEnd": "2026-05-14T14:31:00Z",
    ///     "notes": "Password reset by runbook", "billableOption": "Billable"
    /// });
    /// let created = entries.create(&entry).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn create<B: Serialize + ?Sized>(&self, body: &B) -> Call<T> {
        let operation = self.operation(&Method::POST, "");
        let request = self.request(Method::POST, &[], operation).json(body);
        Call::json(self.client.clone(), request)
    }

    /// Replaces a record: `PUT {path}/{id}`. Fields left out are reset by the server; prefer
    /// [`Endpoint::patch`].
    pub fn update<B: Serialize + ?Sized>(&self, id: i32, body: &B) -> Call<T> {
        let operation = self.operation(&Method::PUT, "/{id}");
        let request = self
            .request(Method::PUT, &[id.to_string()], operation)
            .json(body);
        Call::json(self.client.clone(), request)
    }

    /// Changes fields of a record: `PATCH {path}/{id}` with a JSON Patch. An empty patch is
    /// refused before sending.
    ///
    /// ```no_run
    /// # use connectwise_manage::{Client, patch::Patch};
    /// # async fn run(client: Client) -> Result<(), connectwise_manage::Error> {
    /// let tickets = client.endpoint::<serde_json::Value>("/service/tickets");
    /// let change = Patch::new().priority_id(8).board_id(30).replace("summary", "VPN down at HQ")?;
    /// tickets.patch(12345, &change).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn patch(&self, id: i32, patch: &Patch) -> Call<T> {
        let operation = self.operation(&Method::PATCH, "/{id}");
        let request = patch_body(
            self.request(Method::PATCH, &[id.to_string()], operation),
            patch,
        );
        Call::json(self.client.clone(), request)
    }

    /// Deletes a record: `DELETE {path}/{id}` (answered 204).
    pub fn delete(&self, id: i32) -> Call<()> {
        let operation = self.operation(&Method::DELETE, "/{id}");
        let request = self.request(Method::DELETE, &[id.to_string()], operation);
        Call::new(self.client.clone(), Ok(request), call::unit)
    }

    /// One page of records matching `query`, with the filters in the body of
    /// `POST {path}/search` (for filters too long for a URL). Safe to repeat: it is a read.
    ///
    /// ```no_run
    /// # use connectwise_manage::{Client, ListQuery, query::Condition};
    /// # async fn run(client: Client) -> Result<(), connectwise_manage::Error> {
    /// let query = ListQuery::new().conditions(Condition::like("summary", "*VPN*")?).page_size(100);
    /// let found = client.endpoint::<serde_json::Value>("/service/tickets").search(&query).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn search(&self, query: &ListQuery) -> Call<Vec<T>> {
        let route = format!("{}/search", self.route);
        let operation = Operation::safe(operation_name(&Method::POST, &route), route);
        let request = self.request(Method::POST, &["search".to_owned()], operation);
        Call::json(self.client.clone(), list::search_request(request, query))
    }

    /// Sets one custom field, found by its caption, and leaves every other custom field as it is:
    /// reads the record, replaces the whole `customFields` array with only that value changed, and
    /// patches it back.
    ///
    /// ```no_run
    /// # use connectwise_manage::Client;
    /// # async fn run(client: Client) -> Result<(), connectwise_manage::Error> {
    /// let companies = client.endpoint::<serde_json::Value>("/company/companies");
    /// companies.set_custom_field(250, "RMM Site", "HQ").await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn set_custom_field(
        &self,
        id: i32,
        caption: &str,
        value: impl Into<Value>,
    ) -> Result<T, Error> {
        let record: Value = self.retype::<Value>().get(id).await?;
        let patch = Patch::new().set_custom_field(&record, caption, value.into())?;
        self.patch(id, &patch).await
    }

    fn retype<U>(&self) -> Endpoint<U> {
        Endpoint {
            client: self.client.clone(),
            segments: self.segments.clone(),
            route: self.route.clone(),
            api_version: self.api_version.clone(),
            model: PhantomData,
        }
    }
}

/// A `PATCH` request with `patch` as its body; an empty patch is refused before sending.
pub(crate) fn patch_body(request: Request, patch: &Patch) -> Result<Request, Error> {
    if patch.is_empty() {
        return Err(Error::build(
            request.operation().name(),
            "the patch has no operations",
        ));
    }
    request.json(patch)
}
