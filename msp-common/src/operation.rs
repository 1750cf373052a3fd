//! What a request is, as the typed method that built it declares: its name, its route template and
//! whether it is safe to send twice.
//!
//! The retry layer reads this instead of guessing from the HTTP method, because ScreenConnect sends
//! reads as `POST` and a ConnectWise `POST …/search` is a read.

use std::borrow::Cow;
use std::sync::Arc;

/// Whether sending an operation twice can change the outcome.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Idempotency {
    /// Reads: sending twice changes nothing on the server.
    Safe,
    /// Writes whose repetition leaves the same state (`PUT`, `DELETE`, a whole-object replace).
    Idempotent,
    /// Writes that must not run twice (create a ticket, run a command on a machine).
    NonIdempotent,
}

impl Idempotency {
    /// `true` for [`Idempotency::Safe`] and [`Idempotency::Idempotent`]: a retry after a reply that
    /// may have been lost cannot duplicate an effect.
    pub fn may_repeat(self) -> bool {
        matches!(self, Idempotency::Safe | Idempotency::Idempotent)
    }
}

/// The identity of one logical API call, attached to its `http::Request` as an extension.
///
/// `route` is the path template (`/service/tickets/{id}`), never the concrete URL: URLs carry record
/// ids and `conditions` with customer names, so only the template is written to traces.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Operation {
    name: Text,
    route: Text,
    idempotency: Idempotency,
    bulk: bool,
}

impl Operation {
    /// Describes an operation by name (e.g. `getServiceTickets`), route template and idempotency.
    pub fn new(
        name: impl Into<Cow<'static, str>>,
        route: impl Into<Cow<'static, str>>,
        idempotency: Idempotency,
    ) -> Self {
        Self {
            name: Text::from(name.into()),
            route: Text::from(route.into()),
            idempotency,
            bulk: false,
        }
    }

    /// Marks the operation as one request of a bulk read (a page of a listing that may run for
    /// many pages). The retry layer then uses the executor's bulk policy, which waits out a long
    /// `Retry-After` instead of ending the listing halfway (see
    /// [`ExecutorBuilder::bulk_retry_policy`](crate::ExecutorBuilder::bulk_retry_policy)).
    #[must_use]
    pub fn bulk(mut self) -> Self {
        self.bulk = true;
        self
    }

    /// `true` for a request of a bulk read ([`Operation::bulk`]).
    pub fn is_bulk(&self) -> bool {
        self.bulk
    }

    /// A read that is safe to repeat.
    pub fn safe(name: impl Into<Cow<'static, str>>, route: impl Into<Cow<'static, str>>) -> Self {
        Self::new(name, route, Idempotency::Safe)
    }

    /// A write whose repetition leaves the same state.
    pub fn idempotent(
        name: impl Into<Cow<'static, str>>,
        route: impl Into<Cow<'static, str>>,
    ) -> Self {
        Self::new(name, route, Idempotency::Idempotent)
    }

    /// A write that must never run twice.
    pub fn non_idempotent(
        name: impl Into<Cow<'static, str>>,
        route: impl Into<Cow<'static, str>>,
    ) -> Self {
        Self::new(name, route, Idempotency::NonIdempotent)
    }

    /// The operation's name, used as the trace span name.
    pub fn name(&self) -> &str {
        self.name.as_str()
    }

    /// The route template, e.g. `/service/tickets/{id}`.
    pub fn route(&self) -> &str {
        self.route.as_str()
    }

    /// How safe the operation is to repeat.
    pub fn idempotency(&self) -> Idempotency {
        self.idempotency
    }

    /// The operation attached to `request`, or an anonymous non-idempotent one when the builder
    /// attached none (the cautious default: never retried after it may have been processed).
    pub fn of<B>(request: &http::Request<B>) -> Operation {
        request
            .extensions()
            .get::<Operation>()
            .cloned()
            .unwrap_or_else(|| Operation::non_idempotent("unnamed", "unknown"))
    }

    /// Attaches this operation to `request`.
    pub fn attach<B>(self, mut request: http::Request<B>) -> http::Request<B> {
        request.extensions_mut().insert(self);
        request
    }
}

/// A name or route that clones without allocating: an operation is cloned several times per
/// request (the call, the retry layer, each attempt's copy), and a name derived from an
/// escape-hatch path is built once, not once per clone.
#[derive(Clone)]
enum Text {
    Static(&'static str),
    Shared(Arc<str>),
}

impl Text {
    fn as_str(&self) -> &str {
        match self {
            Text::Static(text) => text,
            Text::Shared(text) => text,
        }
    }
}

impl From<Cow<'static, str>> for Text {
    fn from(text: Cow<'static, str>) -> Self {
        match text {
            Cow::Borrowed(text) => Text::Static(text),
            Cow::Owned(text) => Text::Shared(text.into()),
        }
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Text {}

impl std::fmt::Debug for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A derived name is built once: every clone of the operation reads the same text.
    #[test]
    fn clones_share_a_derived_name_and_route() {
        let operation =
            Operation::safe(String::from("getSystemInfo"), String::from("/system/info"));
        let copy = operation.clone();
        assert_eq!(copy, operation);
        assert_eq!(copy.name().as_ptr(), operation.name().as_ptr());
        assert_eq!(copy.route().as_ptr(), operation.route().as_ptr());
    }

    /// A static name and an owned one with the same text are the same operation, and both
    /// print as the plain text.
    #[test]
    fn equality_and_debug_go_by_the_text() {
        let fixed = Operation::safe("getSystemInfo", "/system/info");
        let derived = Operation::safe(String::from("getSystemInfo"), String::from("/system/info"));
        assert_eq!(fixed, derived);
        assert_eq!(format!("{fixed:?}"), format!("{derived:?}"));
        assert!(
            format!("{fixed:?}").contains("name: \"getSystemInfo\""),
            "{fixed:?}"
        );
        assert_ne!(fixed, Operation::safe("getSystemInfo", "/system/other"));
    }
}
