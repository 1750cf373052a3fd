//! The ScreenConnect side: the RESTful API Manager extension at
//! `/App_Extensions/<extension id>/Service.ashx/<Method>` and the access-agent installers at
//! `/Bin/<Product>.ClientSetup.<ext>`, served from the [seed](crate::seed) plus what clients
//! changed.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use msp_sandbox::screenconnect::{ScreenConnectOptions, ScreenConnectServer};
//!
//! let server = ScreenConnectServer::start(ScreenConnectOptions::default()).await?;
//! println!("SC_INSTANCE={}", server.instance());
//! println!("SC_SECRET={}", server.secret());
//! // The server stops when `server` is dropped.
//! # Ok(())
//! # }
//! ```
//!
//! # What it serves
//! - **Sessions**: one access session per managed machine of the seed (network devices run no
//!   agent), named after the Manage configuration, with custom properties company, site and
//!   type (`CustomProperty1..3`), `GuestInfo` facts, and connect events. About one machine in six
//!   is offline (the sample laptop `NW-LT-007` always is).
//! - **Auth**: the raw secret in `CTRLAuthHeader` ([`SECRET`]); anything else, a `Basic ` prefix
//!   included, is answered `401`. When an allowed origin is configured (by default the
//!   instance's own origin, as `RESTfulAllowedOrigin` usually is), another or a missing `Origin`
//!   header is answered `403` (the real status for this case is not documented).
//! - **Methods**: every method of the extension (see [`methods`]); arguments as a positional
//!   array or as an object keyed by parameter name. An unknown method is `500 Web method does not
//!   exist`, an unknown parameter name `500 Unknown parameter: x`, too few arguments `500 Unable
//!   to process arguments: Index was out of range…`, an unknown session id the session manager's
//!   generic `500` fault, and a wrong extension id the web server's `404` page.
//! - **Commands**: `SendCommandToSession` records a `QueuedCommand` event at once; an online
//!   agent then reports `ProcessedCommand` and `RanCommand` with the output after
//!   [`ScreenConnectOptions::command_delay`] plus the command's own simulated run time, honouring
//!   `#timeout` and `#maxlength` (see [`agent`]). An offline agent keeps the command queued
//!   (`QueuedEvent*` on the session) and runs it when it connects. Messages and toolbox items are
//!   queued and processed the same way. Waiting is on tokio's clock, so tests with paused time do
//!   not wait.
//! - **Installers**: `GET /Bin/<Product>.ClientSetup.<ext>` (`msi`, `exe`, `pkg`, `deb`, `rpm`,
//!   `sh`) answers a small placeholder file with the format's content type. With `e=Access` and
//!   `y=Guest` the download also simulates a machine running it: the access session named by `t=`
//!   is created (or, when one has that name, updated) with the `c=` values as its custom
//!   properties, and its agent connects.
//! - **Faults and counters**: the shared [`crate::faults`] (the rate limit counts per secret)
//!   and [`crate::counters`]: requests by method and status, sessions created and updated,
//!   commands run.
//! - **State**: with a state file, every changed or created session is saved whole after each
//!   change and comes back on the next start; commands still queued for an online agent are run
//!   again then.

pub mod agent;
pub mod filter;
pub mod fleet;
mod installer;
pub mod methods;
mod reply;
mod service;

use std::collections::BTreeSet;
use std::io;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, Weak};
use std::time::Duration;

use serde_json::Value;
use time::OffsetDateTime;
use tokio::time::Instant;

use crate::counters::{Counters, Event};
use crate::faults::{FaultOptions, Faults};
use crate::seed::{Seed, SeedOptions};
use crate::server::{self, ServerHandle};
use crate::state::StateFile;

use crate::clock::ticks_stamp;
use fleet::{Fleet, Queued, Saved, event_type};

/// The extension's `RESTfulAuthenticationSecret` in every sandbox (not a secret: the sandbox
/// only listens on loopback).
pub const SECRET: &str = "sandbox-restful-secret";
/// The RESTful API Manager extension's id, the same on every instance.
pub const EXTENSION_ID: &str = "2d558935-686a-4bd0-9991-07539f5fe749";
/// The installer product name by default.
pub const PRODUCT: &str = "ScreenConnect";
/// The state file section of this server.
pub const STATE_SECTION: &str = "screenconnect";

/// Which `Origin` header the extension accepts (its `RESTfulAllowedOrigin` setting).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum AllowedOrigin {
    /// The instance's own origin, `http://127.0.0.1:{port}` (or `http://localhost:{port}`, the
    /// same server by another name).
    #[default]
    Instance,
    /// Any or none: the setting is empty, so `Origin` is not checked.
    Any,
    /// Exactly this origin (compared without regard to case or a trailing `/`).
    Exactly(String),
}

/// Options for [`ScreenConnectServer::start`].
#[derive(Clone, Debug)]
pub struct ScreenConnectOptions {
    /// The data to serve; session names match the Manage configurations of the same seed.
    pub seed: SeedOptions,
    /// Faults to inject.
    pub faults: FaultOptions,
    /// The port (`0` for a free one).
    pub port: u16,
    /// Where changes are kept across restarts; `None` keeps them in memory only.
    pub state: Option<Arc<StateFile>>,
    /// How long an online agent takes to pick up queued work and report back, before the
    /// command's own run time. Default 2 s.
    pub command_delay: Duration,
    /// Which `Origin` header is accepted.
    pub allowed_origin: AllowedOrigin,
    /// The installer product name (`/Bin/<product>.ClientSetup.<ext>`).
    pub product: String,
}

impl Default for ScreenConnectOptions {
    fn default() -> Self {
        ScreenConnectOptions {
            seed: SeedOptions::default(),
            faults: FaultOptions::default(),
            port: 0,
            state: None,
            command_delay: Duration::from_secs(2),
            allowed_origin: AllowedOrigin::Instance,
            product: PRODUCT.to_owned(),
        }
    }
}

/// A command the server received through `SendCommandToSession`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReceivedCommand {
    /// The session it was sent to.
    pub session_id: String,
    /// The session's name.
    pub session_name: String,
    /// The text as sent.
    pub text: String,
}

/// A running ScreenConnect server. It stops when dropped.
#[derive(Debug)]
pub struct ScreenConnectServer {
    handle: ServerHandle,
    shared: Arc<Shared>,
}

impl ScreenConnectServer {
    /// Starts a server on `127.0.0.1`. Must be called within a tokio runtime, which also runs
    /// the simulated agents.
    ///
    /// # Errors
    /// When the port cannot be bound or the saved state cannot be read.
    pub async fn start(options: ScreenConnectOptions) -> io::Result<ScreenConnectServer> {
        let seed = Seed::new(&options.seed);
        let clock = SandboxClock::new();
        let mut fleet = Fleet::seeded(&seed, &ticks_stamp(clock.now()));
        let mut changed = BTreeSet::new();
        if let Some(section) = options
            .state
            .as_ref()
            .and_then(|state| state.section(STATE_SECTION))
        {
            let saved: Saved = serde_json::from_value(section).map_err(|error| {
                io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("the state file's {STATE_SECTION} section cannot be read: {error}"),
                )
            })?;
            changed.extend(saved.sessions.iter().map(|record| record.id.clone()));
            fleet.restore(saved);
        }
        let counters = Arc::new(Counters::new());
        let shared = Arc::new(Shared {
            data: Mutex::new(Data {
                fleet,
                changed,
                commands: Vec::new(),
            }),
            counters: counters.clone(),
            state: options.state.clone(),
            clock,
            command_delay: options.command_delay,
            runtime: tokio::runtime::Handle::current(),
        });
        let handler = Arc::new(service::Service {
            shared: shared.clone(),
            allowed_origin: std::sync::OnceLock::new(),
            product: options.product.clone(),
        });
        let faults = Arc::new(Faults::new(options.faults));
        let handle = server::serve(options.port, handler.clone(), faults, counters).await?;
        // Nobody knows the port before `serve` returns, so no request arrives before this.
        let _ = handler.allowed_origin.set(match &options.allowed_origin {
            AllowedOrigin::Instance => Some(vec![
                handle.origin(),
                format!("http://localhost:{}", handle.address().port()),
            ]),
            AllowedOrigin::Any => None,
            AllowedOrigin::Exactly(origin) => Some(vec![origin.trim_end_matches('/').to_owned()]),
        });
        // Work queued for online agents before a restart is picked up again.
        let pending: Vec<(String, Queued)> = {
            let mut data = shared.lock();
            let mut pending = Vec::new();
            for record in data.fleet.sessions_mut() {
                for queued in &mut record.queued {
                    queued.picked_up = false;
                }
            }
            for record in data.fleet.sessions() {
                if record.online && record.machine.is_some() {
                    pending.extend(record.queued.iter().map(|q| (record.id.clone(), q.clone())));
                }
            }
            pending
        };
        for (session, queued) in pending {
            shared.pick_up(&session, &queued.event_id);
        }
        Ok(ScreenConnectServer { handle, shared })
    }

    /// The instance URL to give a client: `http://127.0.0.1:{port}` (`SC_INSTANCE`).
    pub fn instance(&self) -> String {
        self.handle.origin()
    }

    /// The secret the server accepts (`SC_SECRET`).
    pub fn secret(&self) -> &'static str {
        SECRET
    }

    /// The URL of web method `method`.
    pub fn method_url(&self, method: &str) -> String {
        format!(
            "{}/App_Extensions/{EXTENSION_ID}/Service.ashx/{method}",
            self.instance()
        )
    }

    /// What the server did so far.
    pub fn counters(&self) -> &Counters {
        &self.shared.counters
    }

    /// The commands received so far, oldest first.
    pub fn commands(&self) -> Vec<ReceivedCommand> {
        self.shared.lock().commands.clone()
    }

    /// The access session named `name` (ignoring case) as `GetSessionsByName` returns it.
    pub fn session_named(&self, name: &str) -> Option<Value> {
        self.shared
            .lock()
            .fleet
            .access_session_named(name)
            .map(fleet::SessionRecord::to_json)
    }

    /// The session with id `id` and its history, as `GetSessionDetailsBySessionID` returns it.
    pub fn session_details(&self, id: &str) -> Option<Value> {
        self.shared
            .lock()
            .fleet
            .get(id)
            .map(fleet::SessionRecord::details_json)
    }

    /// Every session, as `GetSessionsByFilter` returns them.
    pub fn sessions(&self) -> Vec<Value> {
        self.shared
            .lock()
            .fleet
            .sessions()
            .iter()
            .map(fleet::SessionRecord::to_json)
            .collect()
    }

    /// Connects or disconnects the agent of the access session named `name`, as if the machine
    /// came online or went away; a connecting agent picks up the work queued for it. Returns
    /// `false` when there is no such session with an agent.
    pub fn set_online(&self, name: &str, online: bool) -> bool {
        let Some(id) = self
            .shared
            .lock()
            .fleet
            .access_session_named(name)
            .filter(|record| record.machine.is_some())
            .map(|record| record.id.clone())
        else {
            return false;
        };
        self.shared.set_online(&id, online);
        true
    }
}

/// What requests and agents share.
struct Shared {
    data: Mutex<Data>,
    counters: Arc<Counters>,
    state: Option<Arc<StateFile>>,
    clock: SandboxClock,
    command_delay: Duration,
    runtime: tokio::runtime::Handle,
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shared")
            .field("command_delay", &self.command_delay)
            .finish_non_exhaustive()
    }
}

/// The data behind the lock.
struct Data {
    fleet: Fleet,
    /// Ids of the sessions clients changed or created: what the state file holds.
    changed: BTreeSet<String>,
    commands: Vec<ReceivedCommand>,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Data> {
        self.data.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Now, formatted as the server writes times.
    fn now(&self) -> String {
        ticks_stamp(self.clock.now())
    }

    /// Notes that session `id` changed and rewrites the state file.
    fn changed(&self, data: &mut Data, id: &str) {
        data.changed.insert(id.to_owned());
        self.save(data);
    }

    fn save(&self, data: &Data) {
        let Some(state) = &self.state else {
            return;
        };
        let saved = data.fleet.saved(&data.changed);
        match serde_json::to_value(saved) {
            Ok(value) => {
                if let Err(error) = state.save(STATE_SECTION, value) {
                    tracing::warn!(%error, "the ScreenConnect state could not be saved");
                }
            }
            Err(error) => tracing::warn!(%error, "the ScreenConnect state could not be encoded"),
        }
    }

    /// Queues work of `event_type` for session `id` (already checked to exist) and, when its
    /// agent is online, has the agent pick it up.
    fn enqueue(self: &Arc<Self>, id: &str, event_type: u16, data: String) {
        let now = self.now();
        let (event_id, online) = {
            let mut guard = self.lock();
            let Some(event_id) = guard
                .fleet
                .push_event(id, event_type, &now, Some(data.clone()))
            else {
                return;
            };
            let Some(record) = guard.fleet.get_mut(id) else {
                return;
            };
            record.queued.push(Queued {
                event_id: event_id.clone(),
                event_type,
                data,
                picked_up: false,
            });
            let online = record.online && record.machine.is_some();
            self.changed(&mut guard, id);
            (event_id, online)
        };
        if online {
            self.pick_up(id, &event_id);
        }
    }

    /// The agent of session `id` takes queued item `event_id` and reports back later.
    fn pick_up(self: &Arc<Self>, id: &str, event_id: &str) {
        let outcome = {
            let mut guard = self.lock();
            let Some(record) = guard.fleet.get_mut(id) else {
                return;
            };
            let Some(machine) = record.machine.clone() else {
                return;
            };
            let Some(queued) = record
                .queued
                .iter_mut()
                .find(|queued| queued.event_id == event_id && !queued.picked_up)
            else {
                return;
            };
            queued.picked_up = true;
            (queued.event_type == event_type::QUEUED_COMMAND)
                .then(|| agent::run(&queued.data, &machine))
        };
        let wait = self.command_delay + outcome.as_ref().map_or(Duration::ZERO, |o| o.elapsed);
        let shared: Weak<Shared> = Arc::downgrade(self);
        let (id, event_id) = (id.to_owned(), event_id.to_owned());
        self.runtime.spawn(async move {
            tokio::time::sleep(wait).await;
            // A server dropped in the meantime has no agents left to report.
            if let Some(shared) = shared.upgrade() {
                shared.report(&id, &event_id, outcome.map(|o| o.output));
            }
        });
    }

    /// The agent reports queued item `event_id` as done: `Processed*`, and `RanCommand` with the
    /// output for a command. An item already reported is not reported again.
    fn report(&self, id: &str, event_id: &str, output: Option<String>) {
        let now = self.now();
        let mut guard = self.lock();
        let data = &mut *guard;
        let Some(record) = data.fleet.get_mut(id) else {
            return;
        };
        let Some(position) = record
            .queued
            .iter()
            .position(|queued| queued.event_id == event_id)
        else {
            return;
        };
        let queued = record.queued.remove(position);
        data.fleet.push_event(
            id,
            queued.event_type + event_type::PROCESSED_OFFSET,
            &now,
            None,
        );
        if let Some(output) = output {
            data.fleet
                .push_event(id, event_type::RAN_COMMAND, &now, Some(output));
            self.counters.record(Event::CommandRun);
        }
        self.changed(data, id);
    }

    /// Connects or disconnects the agent of session `id`.
    fn set_online(self: &Arc<Self>, id: &str, online: bool) {
        let now = self.now();
        let pending: Vec<String> = {
            let mut guard = self.lock();
            let data = &mut *guard;
            let event_id = data.fleet.next_event_id();
            let Some(record) = data.fleet.get_mut(id) else {
                return;
            };
            if record.online == online {
                return;
            }
            record.online = online;
            record.events.push(fleet::EventRecord {
                id: event_id,
                event_type: if online {
                    event_type::CONNECTED
                } else {
                    event_type::DISCONNECTED
                },
                time: now.clone(),
                host: String::new(),
                data: None,
                on_connection: true,
            });
            if online {
                record.last_connected = Some(now);
            } else {
                record.last_disconnected = Some(now);
            }
            let pending = if online {
                record
                    .queued
                    .iter()
                    .filter(|queued| !queued.picked_up)
                    .map(|queued| queued.event_id.clone())
                    .collect()
            } else {
                Vec::new()
            };
            self.changed(data, id);
            pending
        };
        for event_id in pending {
            self.pick_up(id, &event_id);
        }
    }
}

/// The sandbox's clock: the wall-clock time at start, moved on by tokio's clock, so event times
/// follow paused time in tests.
#[derive(Debug)]
struct SandboxClock {
    wall: OffsetDateTime,
    start: Instant,
}

impl SandboxClock {
    fn new() -> SandboxClock {
        SandboxClock {
            wall: OffsetDateTime::now_utc(),
            start: Instant::now(),
        }
    }

    fn now(&self) -> OffsetDateTime {
        self.wall + self.start.elapsed()
    }
}
