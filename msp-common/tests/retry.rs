//! Every retry rule as a scenario against a mock server, with the exact sleeps recorded.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use msp_common::retry::{Attempt, Classify, Jitter, RetryAction};
use msp_common::testing::{Outcome, ScriptedTransport};
use msp_common::{
    Error, Executor, ManualClock, Operation, RecordingSleep, RetryPolicy, Transport, TransportError,
};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const START: Duration = Duration::from_secs(1_700_000_000);

struct Harness {
    executor: Executor,
    sleep: RecordingSleep,
}

fn harness(policy: RetryPolicy, transport: Option<Arc<dyn Transport>>) -> Harness {
    let clock = ManualClock::new(SystemTime::UNIX_EPOCH + START);
    let sleep = RecordingSleep::advancing(clock.clone());
    let mut builder = Executor::builder()
        .retry_policy(policy.with_jitter(Jitter::None))
        .sleep(Arc::new(sleep.clone()))
        .clock(Arc::new(clock));
    if let Some(transport) = transport {
        builder = builder.transport(transport);
    }
    Harness {
        executor: builder.build().expect("executor"),
        sleep,
    }
}

fn request(url: &str, operation: Operation) -> http::Request<Bytes> {
    let request = http::Request::post(url).body(Bytes::new()).unwrap();
    operation.attach(request)
}

fn read() -> Operation {
    Operation::safe("getThings", "/things")
}

fn write() -> Operation {
    Operation::non_idempotent("createThing", "/things")
}

async fn server_with(first: ResponseTemplate, times: u64) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/things"))
        .respond_with(first)
        .up_to_n_times(times)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/things"))
        .respond_with(ResponseTemplate::new(200).set_body_string("[]"))
        .mount(&server)
        .await;
    server
}

async fn hits(server: &MockServer) -> usize {
    server.received_requests().await.unwrap_or_default().len()
}

const S: fn(u64) -> Duration = Duration::from_secs;
const MS: fn(u64) -> Duration = Duration::from_millis;

#[tokio::test]
async fn too_many_requests_with_seconds_waits_exactly_that_long_even_for_writes() {
    let server = server_with(
        ResponseTemplate::new(429).insert_header("Retry-After", "7"),
        1,
    )
    .await;
    let h = harness(RetryPolicy::interactive(), None);
    let url = format!("{}/things", server.uri());
    let response = h.executor.send(request(&url, write())).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(h.sleep.recorded(), [S(7)]);
    assert_eq!(hits(&server).await, 2);
}

#[tokio::test]
async fn too_many_requests_with_http_date() {
    let date = httpdate::fmt_http_date(SystemTime::UNIX_EPOCH + START + S(30));
    let server = server_with(
        ResponseTemplate::new(429).insert_header("Retry-After", date.as_str()),
        1,
    )
    .await;
    let h = harness(RetryPolicy::background(), None);
    let url = format!("{}/things", server.uri());
    h.executor.send(request(&url, read())).await.unwrap();
    assert_eq!(h.sleep.recorded(), [S(30)]);
}

#[tokio::test]
async fn too_many_requests_without_retry_after_backs_off() {
    let server = server_with(ResponseTemplate::new(429), 2).await;
    let h = harness(RetryPolicy::interactive(), None);
    let url = format!("{}/things", server.uri());
    h.executor.send(request(&url, write())).await.unwrap();
    assert_eq!(h.sleep.recorded(), [MS(100), MS(200)]);
}

#[tokio::test]
async fn service_unavailable_with_retry_after_is_retried_for_writes() {
    let server = server_with(
        ResponseTemplate::new(503).insert_header("Retry-After", "2"),
        1,
    )
    .await;
    let h = harness(RetryPolicy::interactive(), None);
    let url = format!("{}/things", server.uri());
    h.executor.send(request(&url, write())).await.unwrap();
    assert_eq!(h.sleep.recorded(), [S(2)]);
    assert_eq!(hits(&server).await, 2);
}

#[tokio::test]
async fn service_unavailable_without_retry_after_is_not_retried_for_writes() {
    let server = server_with(ResponseTemplate::new(503), 1).await;
    let h = harness(RetryPolicy::interactive(), None);
    let url = format!("{}/things", server.uri());
    let error = h.executor.send(request(&url, write())).await.unwrap_err();
    assert_eq!(error.status(), Some(http::StatusCode::SERVICE_UNAVAILABLE));
    assert!(h.sleep.recorded().is_empty());
    assert_eq!(hits(&server).await, 1);
}

#[tokio::test]
async fn bad_gateway_is_retried_for_a_safe_operation() {
    let server = server_with(ResponseTemplate::new(502), 2).await;
    let h = harness(RetryPolicy::interactive(), None);
    let url = format!("{}/things", server.uri());
    let response = h.executor.send(request(&url, read())).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(h.sleep.recorded(), [MS(100), MS(200)]);
    assert_eq!(hits(&server).await, 3);
}

#[tokio::test]
async fn bad_gateway_is_returned_at_once_for_a_non_idempotent_operation() {
    let server = server_with(
        ResponseTemplate::new(502).set_body_string("<html>proxy</html>"),
        1,
    )
    .await;
    let h = harness(RetryPolicy::interactive(), None);
    let url = format!("{}/things", server.uri());
    let error = h.executor.send(request(&url, write())).await.unwrap_err();
    let api = error.api().expect("an API error");
    assert_eq!(api.status, 502);
    assert_eq!(api.body_snippet, "<html>proxy</html>");
    assert!(error.may_have_been_processed());
    assert!(h.sleep.recorded().is_empty());
    assert_eq!(hits(&server).await, 1);
}

#[tokio::test]
async fn retry_after_past_the_cap_returns_rate_limited_without_sleeping() {
    let server = server_with(
        ResponseTemplate::new(429)
            .insert_header("Retry-After", "3600")
            .set_body_string(r#"{"error":"ConnectWiseAPI","message":"Too many requests."}"#),
        1,
    )
    .await;
    let h = harness(RetryPolicy::interactive(), None);
    let url = format!("{}/things", server.uri());
    let error = h.executor.send(request(&url, read())).await.unwrap_err();
    assert!(error.is_rate_limited());
    assert_eq!(error.retry_after(), Some(S(3600)));
    assert!(h.sleep.recorded().is_empty());
    assert_eq!(hits(&server).await, 1);
}

#[tokio::test]
async fn attempts_exhausted_returns_the_last_error() {
    let server = server_with(
        ResponseTemplate::new(429).insert_header("Retry-After", "1"),
        10,
    )
    .await;
    let h = harness(RetryPolicy::interactive(), None);
    let url = format!("{}/things", server.uri());
    let error = h.executor.send(request(&url, read())).await.unwrap_err();
    assert!(error.is_rate_limited());
    assert_eq!(error.retry_after(), Some(S(1)));
    assert_eq!(h.sleep.recorded(), [S(1), S(1)]);
    assert_eq!(hits(&server).await, 3);
}

#[tokio::test]
async fn deadline_stops_before_a_wait_that_would_pass_it() {
    let server = server_with(
        ResponseTemplate::new(429).insert_header("Retry-After", "4"),
        10,
    )
    .await;
    let policy = RetryPolicy::background().with_deadline(S(10));
    let h = harness(policy, None);
    let url = format!("{}/things", server.uri());
    let error = h.executor.send(request(&url, read())).await.unwrap_err();
    assert!(error.is_rate_limited());
    assert_eq!(h.sleep.recorded(), [S(4), S(4)]);
}

#[tokio::test]
async fn refused_connection_is_retried_for_every_operation() {
    // A port that was just free: connecting fails at once with "connection refused".
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let h = harness(RetryPolicy::interactive(), None);
    let url = format!("http://127.0.0.1:{port}/things?conditions=name%3D%22Customer%22");
    let error = h.executor.send(request(&url, write())).await.unwrap_err();
    let mut chain = String::new();
    let mut cause: Option<&dyn std::error::Error> = Some(&error);
    while let Some(e) = cause {
        chain.push_str(&e.to_string());
        cause = e.source();
    }
    assert!(
        !chain.contains("Customer") && !chain.contains("/things"),
        "{chain}"
    );
    let Error::Transport { source, .. } = &error else {
        panic!("expected a transport error, got {error:?}")
    };
    assert!(matches!(source, TransportError::Connect(_)), "{source:?}");
    assert!(source.never_sent());
    assert!(!error.may_have_been_processed());
    assert_eq!(h.sleep.recorded(), [MS(100), MS(200)]);
}

#[tokio::test]
async fn timeout_is_retried_only_when_the_operation_may_repeat() {
    let script = ScriptedTransport::new([Outcome::TimedOut]);
    let h = harness(RetryPolicy::interactive(), Some(script.clone()));
    h.executor
        .send(request("http://127.0.0.1:1/things", read()))
        .await
        .unwrap();
    assert_eq!(script.attempts(), 2);
    assert_eq!(h.sleep.recorded(), [MS(100)]);

    let script = ScriptedTransport::new([Outcome::TimedOut]);
    let h = harness(RetryPolicy::interactive(), Some(script.clone()));
    let error = h
        .executor
        .send(request("http://127.0.0.1:1/things", write()))
        .await
        .unwrap_err();
    assert!(error.may_have_been_processed());
    assert_eq!(script.attempts(), 1);
    assert!(h.sleep.recorded().is_empty());
}

#[tokio::test]
async fn io_error_mid_exchange_is_retried_for_idempotent_operations() {
    let script = ScriptedTransport::new([Outcome::Reset, Outcome::status(204)]);
    let h = harness(RetryPolicy::interactive(), Some(script.clone()));
    let op = Operation::idempotent("updateThing", "/things/{id}");
    h.executor
        .send(request("http://127.0.0.1:1/things/1", op))
        .await
        .unwrap();
    assert_eq!(script.attempts(), 2);
}

#[tokio::test]
async fn no_retry_preset_sends_once() {
    let script = ScriptedTransport::new([Outcome::status(429)]);
    let h = harness(RetryPolicy::none(), Some(script.clone()));
    let error = h
        .executor
        .send(request("http://127.0.0.1:1/things", read()))
        .await
        .unwrap_err();
    assert!(error.is_rate_limited());
    assert_eq!(script.attempts(), 1);
}

/// Marks a 502 as permanent, as an API crate would for its own fatal errors.
#[derive(Debug)]
struct GatewayIsPermanent;

impl Classify for GatewayIsPermanent {
    fn classify(&self, attempt: &Attempt<'_>) -> Option<RetryAction> {
        match attempt.outcome {
            Ok(response) if response.status() == 502 => Some(RetryAction::Stop),
            _ => None,
        }
    }
}

#[tokio::test]
async fn an_api_classifier_overrides_the_defaults() {
    let script = ScriptedTransport::new([Outcome::status(502)]);
    let clock = ManualClock::new(SystemTime::UNIX_EPOCH + START);
    let executor = Executor::builder()
        .transport(script.clone())
        .classifier(Arc::new(GatewayIsPermanent))
        .sleep(Arc::new(RecordingSleep::advancing(clock.clone())))
        .clock(Arc::new(clock))
        .build()
        .unwrap();
    let error = executor
        .send(request("http://127.0.0.1:1/things", read()))
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(http::StatusCode::BAD_GATEWAY));
    assert_eq!(script.attempts(), 1);

    // Anything the classifier defers on still follows the defaults.
    let script = ScriptedTransport::new([Outcome::status(504)]);
    let executor = Executor::builder()
        .transport(script.clone())
        .classifier(Arc::new(GatewayIsPermanent))
        .sleep(Arc::new(RecordingSleep::new()))
        .build()
        .unwrap();
    executor
        .send(request("http://127.0.0.1:1/things", read()))
        .await
        .unwrap();
    assert_eq!(script.attempts(), 2);
}

#[tokio::test]
async fn rate_budget_applies_to_every_attempt() {
    use msp_common::RateLimit;
    use std::num::NonZeroU32;
    let clock = ManualClock::new(SystemTime::UNIX_EPOCH + START);
    let sleep = RecordingSleep::advancing(clock.clone());
    let script = ScriptedTransport::new([]);
    let executor = Executor::builder()
        .transport(script.clone())
        .rate_limit(RateLimit::with_clock(
            NonZeroU32::new(2).unwrap(),
            S(1),
            Arc::new(clock.clone()),
        ))
        .sleep(Arc::new(sleep.clone()))
        .clock(Arc::new(clock))
        .build()
        .unwrap();
    for _ in 0..3 {
        executor
            .send(request("http://127.0.0.1:1/things", read()))
            .await
            .unwrap();
    }
    assert_eq!(sleep.recorded(), [MS(500), MS(500)]);
    assert_eq!(script.attempts(), 3);
}

/// A server that accepts every request and never answers: each attempt lasts as long as the
/// transport allows it, which the test clock records.
#[derive(Debug)]
struct Silent {
    clock: ManualClock,
    /// How long an attempt lasts when the retry layer gives it no limit, or a shorter one.
    lasts: Duration,
    timeouts: std::sync::Mutex<Vec<Option<Duration>>>,
}

#[async_trait::async_trait]
impl Transport for Silent {
    async fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> Result<http::Response<Bytes>, TransportError> {
        let given = request
            .extensions()
            .get::<msp_common::AttemptTimeout>()
            .map(|timeout| timeout.0);
        self.timeouts.lock().unwrap().push(given);
        self.clock
            .advance(given.map_or(self.lasts, |limit| limit.min(self.lasts)));
        Err(TransportError::Timeout("no answer".into()))
    }
}

/// An executor sending to a [`Silent`] server whose attempts last `lasts`, with `policy` (the
/// default one when `None`), on a manual clock.
fn against_silent(
    lasts: Duration,
    policy: Option<RetryPolicy>,
) -> (Executor, Arc<Silent>, ManualClock) {
    let clock = ManualClock::new(SystemTime::UNIX_EPOCH + START);
    let silent = Arc::new(Silent {
        clock: clock.clone(),
        lasts,
        timeouts: Default::default(),
    });
    let mut builder = Executor::builder()
        .transport(silent.clone())
        .sleep(Arc::new(RecordingSleep::advancing(clock.clone())))
        .clock(Arc::new(clock.clone()));
    if let Some(policy) = policy {
        builder = builder.retry_policy(policy);
    }
    (builder.build().unwrap(), silent, clock)
}

#[tokio::test]
async fn interactive_gives_up_on_a_silent_server_within_its_deadline() {
    // Without a per-attempt limit the transport's own 60 s request timeout ends each attempt.
    let (executor, silent, clock) = against_silent(S(60), None);
    let error = executor
        .send(request("http://127.0.0.1:1/things", read()))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    let waited = msp_common::Clock::monotonic(&clock);
    assert!(
        waited <= RetryPolicy::INTERACTIVE_DEADLINE,
        "a person waited {waited:?}"
    );
    assert_eq!(
        silent.timeouts.lock().unwrap()[0],
        Some(RetryPolicy::INTERACTIVE_DEADLINE)
    );
}

#[tokio::test]
async fn each_attempt_gets_only_the_time_left() {
    let policy = RetryPolicy::interactive().with_jitter(Jitter::None);
    let (executor, slow, _) = against_silent(S(12), Some(policy));
    executor
        .send(request("http://127.0.0.1:1/things", read()))
        .await
        .unwrap_err();
    // 12 s per attempt, 100 ms and 200 ms of backoff between them.
    assert_eq!(
        *slow.timeouts.lock().unwrap(),
        [Some(S(30)), Some(MS(17_900)), Some(MS(5_700))]
    );
}

#[tokio::test]
async fn bulk_reads_wait_out_a_retry_after_that_single_calls_refuse() {
    let server = server_with(
        ResponseTemplate::new(429).insert_header("Retry-After", "60"),
        2,
    )
    .await;
    let clock = ManualClock::new(SystemTime::UNIX_EPOCH + START);
    let sleep = RecordingSleep::advancing(clock.clone());
    let executor = Executor::builder()
        .sleep(Arc::new(sleep.clone()))
        .clock(Arc::new(clock))
        .build()
        .unwrap();
    let url = format!("{}/things", server.uri());
    let single = executor.send(request(&url, read())).await.unwrap_err();
    assert_eq!(single.retry_after(), Some(S(60)), "{single:?}");
    assert!(sleep.recorded().is_empty());
    let page = executor.send(request(&url, read().bulk())).await.unwrap();
    assert_eq!(page.status(), 200);
    assert_eq!(sleep.recorded(), [S(60)]);
    assert_eq!(hits(&server).await, 3);
}

#[tokio::test]
async fn an_explicit_policy_applies_to_bulk_reads_too() {
    let script = ScriptedTransport::new([Outcome::status(502)]);
    let executor = Executor::builder()
        .transport(script.clone())
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let error = executor
        .send(request("http://127.0.0.1:1/things", read().bulk()))
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(502));
    assert_eq!(script.attempts(), 1);
}

#[tokio::test]
async fn a_response_over_the_size_cap_is_a_typed_error_and_not_retried() {
    let server = server_with(
        ResponseTemplate::new(200).set_body_string("x".repeat(4096)),
        5,
    )
    .await;
    let executor = Executor::builder()
        .reqwest(msp_common::ReqwestConfig::default().with_max_response_bytes(1024))
        .build()
        .unwrap();
    let url = format!("{}/things", server.uri());
    let error = executor.send(request(&url, read())).await.unwrap_err();
    match &error {
        Error::Transport {
            source: TransportError::TooLarge { limit },
            ..
        } => assert_eq!(*limit, 1024),
        other => panic!("expected a too-large error, got {other:?}"),
    }
    assert!(!error.is_retryable());
    assert_eq!(hits(&server).await, 1);
    let roomy = Executor::builder().build().unwrap();
    let response = roomy.send(request(&url, read())).await.unwrap();
    assert_eq!(response.body().len(), 4096);
}
