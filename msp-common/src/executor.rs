//! The request pipeline both API clients sit on: transport, rate budget and retry stacked once,
//! plus the mapping from responses to values or [`Error`]s.

use std::fmt;
use std::sync::Arc;

use bytes::Bytes;
use serde::de::DeserializeOwned;

use crate::clock::{Clock, SystemClock};
use crate::decode::{ErrorDecoder, GenericErrorDecoder, decode_json, error_from_response};
use crate::error::{ConfigError, Error};
use crate::operation::Operation;
use crate::rate_limit::{RateLimit, RateLimited};
use crate::reqwest_transport::{ReqwestConfig, ReqwestTransport};
use crate::retry::{Classify, RetryPolicy, Retrying};
use crate::sleep::{Sleep, TokioSleep};
use crate::transport::Transport;

/// Sends requests through the configured stack and turns responses into results.
///
/// Cheap to clone; clones share the connection pool and the rate budget.
#[derive(Clone)]
pub struct Executor {
    transport: Arc<dyn Transport>,
    decoder: Arc<dyn ErrorDecoder>,
    clock: Arc<dyn Clock>,
}

impl fmt::Debug for Executor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Executor")
            .field("transport", &self.transport)
            .field("decoder", &self.decoder)
            .finish_non_exhaustive()
    }
}

impl Executor {
    /// Starts configuring an executor.
    pub fn builder() -> ExecutorBuilder {
        ExecutorBuilder::default()
    }

    /// Sends `request` and returns the response when its status is a success, the matching
    /// [`Error`] otherwise.
    pub async fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> Result<http::Response<Bytes>, Error> {
        let operation = Operation::of(&request);
        let response = self
            .transport
            .send(request)
            .await
            .map_err(|source| Error::Transport {
                operation: operation.name().to_owned(),
                source,
            })?;
        if response.status().is_success() {
            Ok(response)
        } else {
            Err(error_from_response(
                &operation,
                &response,
                self.decoder.as_ref(),
                self.clock.now(),
            ))
        }
    }

    /// Sends `request` and decodes the success body as `T`.
    pub async fn send_json<T: DeserializeOwned>(
        &self,
        request: http::Request<Bytes>,
    ) -> Result<T, Error> {
        let operation = Operation::of(&request);
        let response = self.send(request).await?;
        decode_json(&operation, &response)
    }

    /// The clock the executor reads, for callers that compute deadlines the same way.
    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }
}

/// Configures an [`Executor`]: the transport (reqwest by default), the retry policy and classifier,
/// an optional rate budget, the error decoder, and the injected sleeper and clock.
pub struct ExecutorBuilder {
    transport: Option<Arc<dyn Transport>>,
    reqwest: ReqwestConfig,
    retry: RetryPolicy,
    bulk_retry: Option<RetryPolicy>,
    retry_set: bool,
    classifier: Option<Arc<dyn Classify>>,
    rate_limit: Option<RateLimit>,
    decoder: Arc<dyn ErrorDecoder>,
    sleep: Arc<dyn Sleep>,
    clock: Arc<dyn Clock>,
    seed: Option<u64>,
}

impl Default for ExecutorBuilder {
    fn default() -> Self {
        Self {
            transport: None,
            reqwest: ReqwestConfig::default(),
            retry: RetryPolicy::default(),
            bulk_retry: None,
            retry_set: false,
            classifier: None,
            rate_limit: None,
            decoder: Arc::new(GenericErrorDecoder),
            sleep: Arc::new(TokioSleep),
            clock: Arc::new(SystemClock),
            seed: None,
        }
    }
}

impl fmt::Debug for ExecutorBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ExecutorBuilder")
            .field("transport", &self.transport)
            .field("reqwest", &self.reqwest)
            .field("retry", &self.retry)
            .field("bulk_retry", &self.bulk_retry)
            .field("rate_limit", &self.rate_limit)
            .finish_non_exhaustive()
    }
}

impl ExecutorBuilder {
    /// Sends through `transport` instead of building a reqwest one (a test double, or a transport
    /// with its own proxy and certificate setup).
    pub fn transport(mut self, transport: Arc<dyn Transport>) -> Self {
        self.transport = Some(transport);
        self
    }

    /// Timeouts and user agent of the default reqwest transport.
    pub fn reqwest(mut self, config: ReqwestConfig) -> Self {
        self.reqwest = config;
        self
    }

    /// The retry schedule (default: [`RetryPolicy::interactive`]). Unless
    /// [`ExecutorBuilder::bulk_retry_policy`] is set too, it also applies to bulk reads.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self.retry_set = true;
        self
    }

    /// The retry schedule of bulk reads, the pages of a listing ([`Operation::bulk`]).
    ///
    /// When neither this nor [`ExecutorBuilder::retry_policy`] is set, bulk reads use
    /// [`RetryPolicy::background`]: a long listing waits out a `Retry-After` of up to two minutes
    /// rather than failing halfway, while single calls keep the interactive schedule.
    pub fn bulk_retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.bulk_retry = Some(policy);
        self
    }

    /// The API's own retry rules, consulted before the defaults.
    pub fn classifier(mut self, classifier: Arc<dyn Classify>) -> Self {
        self.classifier = Some(classifier);
        self
    }

    /// A client-side request budget (off by default). Every attempt, retries included, takes from
    /// it.
    pub fn rate_limit(mut self, limit: RateLimit) -> Self {
        self.rate_limit = Some(limit);
        self
    }

    /// How the API's error bodies are read.
    pub fn error_decoder(mut self, decoder: Arc<dyn ErrorDecoder>) -> Self {
        self.decoder = decoder;
        self
    }

    /// How to wait between attempts (tests pass [`crate::RecordingSleep`]).
    pub fn sleep(mut self, sleep: Arc<dyn Sleep>) -> Self {
        self.sleep = sleep;
        self
    }

    /// Where time comes from (tests pass [`crate::ManualClock`]).
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Seeds the retry jitter, for reproducible schedules.
    pub fn jitter_seed(mut self, seed: u64) -> Self {
        self.seed = Some(seed);
        self
    }

    /// Stacks the transport: retry outermost, then the rate budget, then the wire.
    ///
    /// # Errors
    /// [`Error::Config`] when no transport was given and the crate was built with neither the
    /// `rustls` nor the `native-tls` feature: the default transport could not speak HTTPS, and
    /// every call would fail later with a less helpful message.
    pub fn build(self) -> Result<Executor, Error> {
        let base: Arc<dyn Transport> = match self.transport {
            Some(transport) => transport,
            None if !crate::reqwest_transport::HAS_TLS => {
                return Err(Error::Config(ConfigError::invalid(
                    "TLS",
                    "msp-common was built without a TLS backend; enable the `rustls` (default) \
                     or `native-tls` feature of the API crate, or pass your own transport",
                )));
            }
            None => Arc::new(ReqwestTransport::new(&self.reqwest).map_err(|source| {
                Error::Transport {
                    operation: "build client".to_owned(),
                    source,
                }
            })?),
        };
        let limited: Arc<dyn Transport> = match self.rate_limit {
            Some(limit) => Arc::new(RateLimited::new(base, limit).with_sleep(self.sleep.clone())),
            None => base,
        };
        let bulk_retry = match (self.bulk_retry, self.retry_set) {
            (Some(policy), _) => policy,
            (None, true) => self.retry.clone(),
            (None, false) => RetryPolicy::background(),
        };
        let mut retrying = Retrying::new(limited, self.retry)
            .with_bulk_policy(bulk_retry)
            .with_sleep(self.sleep)
            .with_clock(self.clock.clone());
        if let Some(classifier) = self.classifier {
            retrying = retrying.with_classifier(classifier);
        }
        if let Some(seed) = self.seed {
            retrying = retrying.with_seed(seed);
        }
        Ok(Executor {
            transport: Arc::new(retrying),
            decoder: self.decoder,
            clock: self.clock,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Without a TLS feature the default transport cannot reach an HTTPS API; building says so.
    #[cfg(not(any(feature = "rustls", feature = "native-tls")))]
    #[test]
    fn without_tls_the_default_transport_is_a_configuration_error() {
        let error = Executor::builder().build().unwrap_err();
        assert!(matches!(error, Error::Config(_)), "{error:?}");
        assert!(error.to_string().contains("`rustls`"), "{error}");
    }

    #[cfg(any(feature = "rustls", feature = "native-tls"))]
    #[test]
    fn with_tls_the_default_transport_builds() {
        assert!(Executor::builder().build().is_ok());
    }

    #[test]
    fn a_given_transport_needs_no_tls_feature() {
        let transport: Arc<dyn Transport> =
            Arc::new(crate::ReqwestTransport::from_client(Default::default()));
        assert!(Executor::builder().transport(transport).build().is_ok());
    }
}
