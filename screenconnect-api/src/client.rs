//! The [`Client`]: configuration plus msp-common's request pipeline, with the raw call that every
//! typed method goes through.

use std::fmt;
use std::sync::Arc;

use bytes::Bytes;
use msp_common::{
    Clock, Error, Executor, Operation, RateLimit, ReqwestConfig, RetryPolicy, Sleep, SystemClock,
    TokioSleep, Transport, decode_json,
};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::call::Call;
use crate::config::Config;
use crate::error::{ScreenConnectClassifier, ScreenConnectErrorDecoder};
use crate::request::build_request;

/// A client for one ScreenConnect instance's RESTful API Manager extension.
///
/// Cheap to clone: clones share the configuration, the connection pool and the rate budget.
/// `Debug` never shows the secret.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    config: Config,
    executor: Executor,
    sleep: Arc<dyn Sleep>,
    clock: Arc<dyn Clock>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("config", &self.inner.config)
            .field("executor", &self.inner.executor)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client for `config` with the default pipeline: reqwest, [`RetryPolicy::interactive`],
    /// no rate budget.
    ///
    /// # Errors
    /// [`Error::Transport`] when the HTTP client cannot be built (TLS setup).
    pub fn new(config: Config) -> Result<Self, Error> {
        Self::builder(config).build()
    }

    /// A client configured from `SC_INSTANCE`, `SC_SECRET`, `SC_EXTENSION_ID` and `SC_ORIGIN`;
    /// see [`Config::from_env`].
    ///
    /// # Errors
    /// [`Error::Config`] for missing or invalid variables, or the errors of [`Client::new`].
    pub fn from_env() -> Result<Self, Error> {
        Self::new(Config::from_env()?)
    }

    /// Starts configuring a client's pipeline for `config`.
    pub fn builder(config: Config) -> ClientBuilder {
        ClientBuilder::new(config)
    }

    /// The configuration in use.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The sleeper shared with the retry layer; [`Client::run_command`](crate::Client::run_command)
    /// waits with it between polls.
    pub(crate) fn sleep(&self) -> &Arc<dyn Sleep> {
        &self.inner.sleep
    }

    /// The clock shared with the retry layer.
    pub(crate) fn clock(&self) -> &Arc<dyn Clock> {
        &self.inner.clock
    }

    /// Fails with [`Error::ReadOnly`] when the client is read-only and `call` changes state.
    pub(crate) fn check_writable(&self, call: &Call) -> Result<(), Error> {
        if self.inner.config.read_only() && call.changes_state() {
            return Err(Error::ReadOnly {
                operation: call.method().to_owned(),
            });
        }
        Ok(())
    }

    /// Sends `call` and returns the successful response.
    ///
    /// # Errors
    /// [`Error::ReadOnly`] before any I/O when the client is read-only and the call changes
    /// state; [`Error::Build`] for an invalid method name; otherwise the pipeline's errors
    /// ([`Error::Api`] with an SC-specific [`msp_common::ApiErrorKind`], [`Error::Transport`],
    /// [`Error::RateLimited`]).
    pub async fn send(&self, call: &Call) -> Result<http::Response<Bytes>, Error> {
        self.exchange(call).await.map(|(_, response)| response)
    }

    /// Sends `call`, returning the response with the operation it was sent as.
    pub(crate) async fn exchange(
        &self,
        call: &Call,
    ) -> Result<(Operation, http::Response<Bytes>), Error> {
        self.check_writable(call)?;
        let request = build_request(&self.inner.config, call)?;
        let operation = Operation::of(&request);
        let response = self.inner.executor.send(request).await?;
        Ok((operation, response))
    }

    /// Sends `call` and decodes the response body as `T`.
    ///
    /// # Errors
    /// As [`Client::send`], plus [`Error::Decode`] when the body does not fit `T`.
    pub async fn send_json<T: DeserializeOwned>(&self, call: &Call) -> Result<T, Error> {
        let (operation, response) = self.exchange(call).await?;
        decode_json(&operation, &response)
    }

    /// Sends `call` and returns its JSON result, or `None` when the body is empty (void methods
    /// answer 200 with no body).
    ///
    /// # Errors
    /// As [`Client::send`], plus [`Error::Decode`] when a non-empty body is not JSON.
    pub async fn call(&self, call: &Call) -> Result<Option<Value>, Error> {
        let (operation, response) = self.exchange(call).await?;
        if is_blank(response.body()) {
            return Ok(None);
        }
        decode_json(&operation, &response).map(Some)
    }

    /// Calls a read-only web method this crate does not wrap, e.g.
    /// `call_read("GetSessionsByName", json!(["PC-01"]))`. `args` is sent as given. Reads are
    /// retried after gateway errors and timeouts.
    ///
    /// # Errors
    /// As [`Client::call`].
    pub async fn call_read(&self, method: &str, args: Value) -> Result<Option<Value>, Error> {
        self.call(&Call::read(method.to_owned(), args)).await
    }

    /// Calls a state-changing web method this crate does not wrap. `args` is sent as given. The
    /// call is never repeated once the server may have acted on it, and is refused in read-only
    /// mode.
    ///
    /// # Errors
    /// As [`Client::call`].
    pub async fn call_write(&self, method: &str, args: Value) -> Result<Option<Value>, Error> {
        self.call(&Call::write(method.to_owned(), args)).await
    }
}

/// `true` for an empty or whitespace-only body.
pub(crate) fn is_blank(body: &[u8]) -> bool {
    body.iter().all(u8::is_ascii_whitespace)
}

/// Configures a [`Client`]'s request pipeline: transport, retry policy, rate budget, timeouts,
/// and the sleeper and clock (which `run_command` shares, so tests never wait).
pub struct ClientBuilder {
    config: Config,
    transport: Option<Arc<dyn Transport>>,
    reqwest: Option<ReqwestConfig>,
    retry: RetryPolicy,
    rate_limit: Option<RateLimit>,
    sleep: Arc<dyn Sleep>,
    clock: Arc<dyn Clock>,
    jitter_seed: Option<u64>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("config", &self.config)
            .field("transport", &self.transport)
            .field("reqwest", &self.reqwest)
            .field("retry", &self.retry)
            .field("rate_limit", &self.rate_limit)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    fn new(config: Config) -> Self {
        Self {
            config,
            transport: None,
            reqwest: None,
            retry: RetryPolicy::interactive(),
            rate_limit: None,
            sleep: Arc::new(TokioSleep),
            clock: Arc::new(SystemClock),
            jitter_seed: None,
        }
    }

    /// The retry schedule (default [`RetryPolicy::interactive`]). Which outcomes are retried is
    /// fixed by each method's idempotency; see the crate docs.
    #[must_use]
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// A client-side request budget shared by clones of the client (off by default). No limit is
    /// documented for the extension; pace bulk commands to spare the agents.
    #[must_use]
    pub fn rate_limit(mut self, limit: RateLimit) -> Self {
        self.rate_limit = Some(limit);
        self
    }

    /// Sends through `transport` instead of reqwest (a proxy setup, or a test double).
    #[must_use]
    pub fn transport(mut self, transport: Arc<dyn Transport>) -> Self {
        self.transport = Some(transport);
        self
    }

    /// Timeouts and user agent of the default reqwest transport.
    #[must_use]
    pub fn reqwest(mut self, config: ReqwestConfig) -> Self {
        self.reqwest = Some(config);
        self
    }

    /// How to wait between retries and between `run_command` polls.
    #[must_use]
    pub fn sleep(mut self, sleep: Arc<dyn Sleep>) -> Self {
        self.sleep = sleep;
        self
    }

    /// Where time comes from, for retry deadlines and `run_command` deadlines.
    #[must_use]
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Seeds the retry jitter, for reproducible schedules.
    #[must_use]
    pub fn jitter_seed(mut self, seed: u64) -> Self {
        self.jitter_seed = Some(seed);
        self
    }

    /// Makes every state-changing method fail with [`Error::ReadOnly`] before any I/O (same as
    /// [`Config::with_read_only`]).
    #[must_use]
    pub fn read_only(mut self, read_only: bool) -> Self {
        self.config = self.config.with_read_only(read_only);
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    /// [`Error::Transport`] when the default HTTP client cannot be built.
    pub fn build(self) -> Result<Client, Error> {
        let mut executor = Executor::builder()
            .retry_policy(self.retry)
            .classifier(Arc::new(ScreenConnectClassifier))
            .error_decoder(Arc::new(ScreenConnectErrorDecoder::new(
                self.config.extension_id(),
            )))
            .sleep(self.sleep.clone())
            .clock(self.clock.clone());
        if let Some(transport) = self.transport {
            executor = executor.transport(transport);
        }
        if let Some(reqwest) = self.reqwest {
            executor = executor.reqwest(reqwest);
        }
        if let Some(limit) = self.rate_limit {
            executor = executor.rate_limit(limit);
        }
        if let Some(seed) = self.jitter_seed {
            executor = executor.jitter_seed(seed);
        }
        Ok(Client {
            inner: Arc::new(Inner {
                config: self.config,
                executor: executor.build()?,
                sleep: self.sleep,
                clock: self.clock,
            }),
        })
    }
}
