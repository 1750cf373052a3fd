//! Counters of what a server did, for tests and benchmarks to read.
//!
//! Increments are atomic adds (the route table takes a write lock only the first time a route and
//! status pair is seen), so counting costs a request next to nothing.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{PoisonError, RwLock};

use serde::Serialize;

/// Something counted besides requests.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Event {
    /// A record was created.
    Created,
    /// A record was updated (PUT or PATCH).
    Updated,
    /// A record was deleted.
    Deleted,
    /// A command ran on a (simulated) machine.
    CommandRun,
    /// A callback was delivered (the receiver answered 2xx).
    CallbackDelivered,
    /// A callback delivery attempt failed (it may be retried).
    CallbackFailed,
    /// A callback was given up after its last attempt.
    CallbackAbandoned,
    /// A request was answered 429 by the rate limit.
    Throttled,
    /// A request was answered with an injected 500, 502 or 503.
    InjectedServerError,
    /// A connection was dropped before the request was processed.
    DroppedBeforeProcessing,
    /// A connection was dropped after a write was processed.
    DroppedAfterWrite,
    /// A response body was cut short.
    TruncatedBody,
}

impl Event {
    /// Every event.
    pub const ALL: [Event; 12] = [
        Event::Created,
        Event::Updated,
        Event::Deleted,
        Event::CommandRun,
        Event::CallbackDelivered,
        Event::CallbackFailed,
        Event::CallbackAbandoned,
        Event::Throttled,
        Event::InjectedServerError,
        Event::DroppedBeforeProcessing,
        Event::DroppedAfterWrite,
        Event::TruncatedBody,
    ];

    fn index(self) -> usize {
        self as usize
    }
}

/// A route and the status it was answered with.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct RouteStatus {
    /// The method and route pattern, e.g. `GET service/tickets` or `POST Services/PageService.ashx/GetSessions`.
    pub route: String,
    /// The HTTP status answered (0 when the connection was dropped instead).
    pub status: u16,
}

/// The counters of one server (or of both, when they share them).
#[derive(Debug, Default)]
pub struct Counters {
    routes: RwLock<HashMap<RouteStatus, AtomicU64>>,
    events: [AtomicU64; Event::ALL.len()],
}

impl Counters {
    /// Fresh counters, all zero.
    pub fn new() -> Counters {
        Counters::default()
    }

    /// Counts a request to `route` answered with `status`.
    pub fn record_request(&self, route: &str, status: u16) {
        let key = RouteStatus {
            route: route.to_owned(),
            status,
        };
        {
            let routes = self.routes.read().unwrap_or_else(PoisonError::into_inner);
            if let Some(count) = routes.get(&key) {
                count.fetch_add(1, Ordering::Relaxed);
                return;
            }
        }
        let mut routes = self.routes.write().unwrap_or_else(PoisonError::into_inner);
        routes
            .entry(key)
            .or_default()
            .fetch_add(1, Ordering::Relaxed);
    }

    /// Counts one `event`.
    pub fn record(&self, event: Event) {
        self.add(event, 1);
    }

    /// Counts `n` of `event`.
    pub fn add(&self, event: Event, n: u64) {
        self.events[event.index()].fetch_add(n, Ordering::Relaxed);
    }

    /// How many of `event` happened.
    pub fn get(&self, event: Event) -> u64 {
        self.events[event.index()].load(Ordering::Relaxed)
    }

    /// Requests to `route` answered with `status`.
    pub fn requests(&self, route: &str, status: u16) -> u64 {
        let key = RouteStatus {
            route: route.to_owned(),
            status,
        };
        let routes = self.routes.read().unwrap_or_else(PoisonError::into_inner);
        routes
            .get(&key)
            .map_or(0, |count| count.load(Ordering::Relaxed))
    }

    /// Requests to `route`, whatever they were answered with.
    pub fn requests_to(&self, route: &str) -> u64 {
        let routes = self.routes.read().unwrap_or_else(PoisonError::into_inner);
        routes
            .iter()
            .filter(|(key, _)| key.route == route)
            .map(|(_, count)| count.load(Ordering::Relaxed))
            .sum()
    }

    /// Every request answered, whatever the route and status.
    pub fn total_requests(&self) -> u64 {
        let routes = self.routes.read().unwrap_or_else(PoisonError::into_inner);
        routes
            .values()
            .map(|count| count.load(Ordering::Relaxed))
            .sum()
    }

    /// A copy of every count.
    pub fn snapshot(&self) -> Snapshot {
        let routes = self.routes.read().unwrap_or_else(PoisonError::into_inner);
        Snapshot {
            requests: routes
                .iter()
                .map(|(key, count)| (key.clone(), count.load(Ordering::Relaxed)))
                .collect(),
            events: Event::ALL
                .into_iter()
                .map(|event| (event, self.get(event)))
                .collect(),
        }
    }
}

/// A copy of the counters at one moment.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Snapshot {
    /// Requests by route and status.
    pub requests: BTreeMap<RouteStatus, u64>,
    /// Every event's count.
    pub events: BTreeMap<Event, u64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_by_route_status_and_event() {
        let counters = Counters::new();
        counters.record_request("GET service/tickets", 200);
        counters.record_request("GET service/tickets", 200);
        counters.record_request("GET service/tickets", 429);
        counters.record(Event::Created);
        counters.add(Event::CallbackDelivered, 3);
        assert_eq!(counters.requests("GET service/tickets", 200), 2);
        assert_eq!(counters.requests_to("GET service/tickets"), 3);
        assert_eq!(counters.requests("GET service/tickets", 500), 0);
        assert_eq!(counters.total_requests(), 3);
        assert_eq!(counters.get(Event::Created), 1);
        assert_eq!(counters.get(Event::CallbackDelivered), 3);
        let snapshot = counters.snapshot();
        assert_eq!(snapshot.events[&Event::Updated], 0);
        assert_eq!(snapshot.requests.len(), 2);
    }
}
