//! The sandbox in a process of its own, so that its CPU is never counted as the client's and it
//! has cores of its own to answer on: the benchmark binary runs itself with `serve`, reads the
//! site from the child's first line, and stops it by closing the child's stdin.

use std::io::{self, BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use msp_sandbox::faults::{Accounting, FaultOptions, Latency, RateLimit, RetryAfterForm};
use msp_sandbox::manage::{ManageOptions, ManageServer};
use msp_sandbox::seed::SeedOptions;

/// The tickets the sandbox holds besides the generated ones (ids 1001 to 1014).
pub const SAMPLE_TICKETS: u64 = 14;

/// How the server enforces a request budget.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Budget {
    /// A token bucket of `requests` refilled over `window`, holding at most `burst` tokens.
    TokenBucket {
        /// Requests per window.
        requests: u32,
        /// The window, in seconds.
        window: f64,
        /// The bucket's size.
        burst: u32,
    },
    /// At most `requests` in any `window`.
    SlidingWindow {
        /// Requests per window.
        requests: u32,
        /// The window, in seconds.
        window: f64,
    },
}

/// What the sandbox serves.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ServeSpec {
    /// Tickets in all (the sample ones included; at least [`SAMPLE_TICKETS`]).
    pub tickets: u64,
    /// Latency added to every request.
    pub latency: Option<Duration>,
    /// A request budget the server enforces with `429`s.
    pub budget: Option<Budget>,
}

impl ServeSpec {
    /// The command line of `serve`.
    pub fn args(&self) -> Vec<String> {
        let mut args = vec![
            "serve".to_owned(),
            "--tickets".to_owned(),
            self.tickets.to_string(),
        ];
        if let Some(latency) = self.latency {
            args.extend(["--latency-ms".to_owned(), latency.as_millis().to_string()]);
        }
        match self.budget {
            Some(Budget::TokenBucket {
                requests,
                window,
                burst,
            }) => args.extend([
                "--bucket".to_owned(),
                format!("{requests}/{window}/{burst}"),
            ]),
            Some(Budget::SlidingWindow { requests, window }) => {
                args.extend(["--window".to_owned(), format!("{requests}/{window}")])
            }
            None => {}
        }
        args
    }

    /// The sandbox's options.
    pub fn options(&self) -> ManageOptions {
        let rate_limit = self.budget.map(|budget| RateLimit {
            accounting: match budget {
                Budget::TokenBucket {
                    requests,
                    window,
                    burst,
                } => Accounting::TokenBucket {
                    capacity: burst,
                    per_second: f64::from(requests) / window,
                },
                Budget::SlidingWindow { requests, window } => Accounting::SlidingWindow {
                    limit: requests,
                    window: Duration::from_secs_f64(window),
                },
            },
            retry_after: RetryAfterForm::Seconds,
        });
        ManageOptions {
            seed: SeedOptions {
                tickets: self.tickets.saturating_sub(SAMPLE_TICKETS),
                ..SeedOptions::default()
            },
            faults: FaultOptions {
                latency: self.latency.map(|latency| Latency {
                    min: latency,
                    max: latency,
                }),
                rate_limit,
                ..FaultOptions::default()
            },
            ..ManageOptions::default()
        }
    }
}

/// A sandbox running in a child process; dropping it stops the child.
#[derive(Debug)]
pub struct ServerProcess {
    child: Child,
    site: String,
}

impl ServerProcess {
    /// Starts `serve` in a child process and waits until it listens.
    ///
    /// # Errors
    /// When the child cannot be started or does not say where it listens.
    pub fn start(spec: &ServeSpec) -> io::Result<ServerProcess> {
        let mut child = Command::new(std::env::current_exe()?)
            .args(spec.args())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()?;
        let stdout = child
            .stdout
            .take()
            .ok_or_else(|| io::Error::other("no stdout"))?;
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line)?;
        let site = line
            .trim()
            .strip_prefix("site ")
            .ok_or_else(|| io::Error::other(format!("the sandbox said {line:?}")))?
            .to_owned();
        Ok(ServerProcess { child, site })
    }

    /// `http://127.0.0.1:{port}`.
    pub fn site(&self) -> &str {
        &self.site
    }

    /// The API base URL, `{site}/v4_6_release/apis/3.0/`.
    pub fn api_url(&self) -> String {
        format!("{}/{}/apis/3.0/", self.site, msp_sandbox::manage::CODEBASE)
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        // The child exits when its stdin closes.
        drop(self.child.stdin.take());
        let _ = self.child.wait();
    }
}

/// The `serve` subcommand: runs the sandbox on its own runtime, prints `site {url}`, and stops
/// when stdin closes.
///
/// # Errors
/// When the server cannot start.
pub fn serve(spec: &ServeSpec) -> io::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let server: Arc<ManageServer> =
        Arc::new(runtime.block_on(ManageServer::start(spec.options()))?);
    println!("site {}", server.site());
    let mut sink = Vec::new();
    // Blocks until the parent closes the pipe (or exits).
    let _ = io::stdin().read_to_end(&mut sink);
    drop(server);
    runtime.shutdown_timeout(Duration::from_secs(1));
    Ok(())
}
