//! [`Call`]: one typed request, built with no I/O, inspected with [`Call::request`] and sent when
//! awaited.

use std::fmt;
use std::future::IntoFuture;

use futures::future::BoxFuture;
use msp_common::bytes::Bytes;
use msp_common::{Error, Operation, decode_json};
use serde::de::DeserializeOwned;

use crate::client::Client;
use crate::request::Request;

/// The future a [`Call`] becomes when awaited: `Send` and `'static`, so it can be spawned.
pub type ApiFuture<T> = BoxFuture<'static, Result<T, Error>>;

/// What turns the answer to a call into its result; only this step is generic.
type Finish<T> = fn(&Operation, Result<http::Response<Bytes>, Error>) -> Result<T, Error>;

/// One request to the API with the type of its result: building it sends nothing.
///
/// Await it to send it (`tickets.id(5).get().await?`), or look at what it would send with
/// [`Call::request`]: the method, path, query, headers (never the credentials), body, the
/// operation's `operationId`, route template and idempotency. A request that could not be built
/// (an empty path value, a body that does not serialise) is an [`Error::Build`] both there and when
/// awaited.
///
/// ```
/// use connectwise_manage::{Client, patch::Patch};
///
/// # fn run(client: Client) -> Result<(), connectwise_manage::Error> {
/// let call = client.service().tickets().id(5).patch(&Patch::new().status_id(7));
/// let request = call.request().expect("a valid request");
/// assert_eq!(request.method(), http::Method::PATCH);
/// assert_eq!(request.path(), "/service/tickets/5");
/// assert_eq!(request.operation().name(), "patchServiceTicketsById");
/// assert_eq!(request.operation().route(), "/service/tickets/{id}");
/// # Ok(())
/// # }
/// # let client = Client::builder().site("https://cw.example.com").company("acme")
/// #     .public_key("p").private_key("k").client_id("c").without_codebase_discovery()
/// #     .build().unwrap();
/// # run(client).unwrap();
/// ```
#[must_use = "a call does nothing until it is awaited"]
pub struct Call<T> {
    client: Client,
    request: Result<Request, Error>,
    finish: Finish<T>,
}

impl<T> fmt::Debug for Call<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Call")
            .field("request", &self.request)
            .field("output", &std::any::type_name::<T>())
            .finish()
    }
}

impl<T> Call<T> {
    pub(crate) fn new(client: Client, request: Result<Request, Error>, finish: Finish<T>) -> Self {
        Self {
            client,
            request,
            finish,
        }
    }

    /// The request this call sends, or why it cannot be built. No I/O.
    pub fn request(&self) -> Result<&Request, &Error> {
        self.request.as_ref()
    }

    /// The request, taken out of the call.
    pub fn into_request(self) -> Result<Request, Error> {
        self.request
    }

    /// Asks for model version `version` instead of the client's default for this call.
    pub fn api_version(mut self, version: impl Into<String>) -> Self {
        self.request = self.request.map(|request| request.api_version(version));
        self
    }
}

impl<T: DeserializeOwned> Call<T> {
    /// A call whose success body decodes as `T`.
    pub(crate) fn json(client: Client, request: Result<Request, Error>) -> Self {
        Self::new(client, request, json::<T>)
    }
}

impl<T: Send + 'static> IntoFuture for Call<T> {
    type Output = Result<T, Error>;
    type IntoFuture = ApiFuture<T>;

    fn into_future(self) -> Self::IntoFuture {
        let Call {
            client,
            request,
            finish,
        } = self;
        Box::pin(async move {
            let request = request?;
            let response = client.send(&request).await;
            finish(request.operation(), response)
        })
    }
}

/// The success body as `T`.
pub(crate) fn json<T: DeserializeOwned>(
    operation: &Operation,
    response: Result<http::Response<Bytes>, Error>,
) -> Result<T, Error> {
    decode_json(operation, &response?)
}

/// The success body as `T`; an empty body is `None`.
pub(crate) fn json_opt<T: DeserializeOwned>(
    operation: &Operation,
    response: Result<http::Response<Bytes>, Error>,
) -> Result<Option<T>, Error> {
    let response = response?;
    if response.body().iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    decode_json(operation, &response).map(Some)
}

/// The success body as `T`; a 404 is `None`.
pub(crate) fn found<T: DeserializeOwned>(
    operation: &Operation,
    response: Result<http::Response<Bytes>, Error>,
) -> Result<Option<T>, Error> {
    match response {
        Ok(response) => decode_json(operation, &response).map(Some),
        Err(error) if error.is_not_found() => Ok(None),
        Err(error) => Err(error),
    }
}

/// Success, the body unread.
pub(crate) fn unit(
    _: &Operation,
    response: Result<http::Response<Bytes>, Error>,
) -> Result<(), Error> {
    response.map(drop)
}

/// The success body as raw bytes (files, images).
pub(crate) fn bytes(
    _: &Operation,
    response: Result<http::Response<Bytes>, Error>,
) -> Result<Bytes, Error> {
    response.map(http::Response::into_body)
}

/// The `{"count": N}` body of a count route.
pub(crate) fn count(
    operation: &Operation,
    response: Result<http::Response<Bytes>, Error>,
) -> Result<u64, Error> {
    #[derive(serde::Deserialize)]
    struct CountBody {
        count: u64,
    }
    let body: CountBody = decode_json(operation, &response?)?;
    Ok(body.count)
}
