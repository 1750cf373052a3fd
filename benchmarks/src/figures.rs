//! The figures: each runs its cases side by side against a sandbox in a child process,
//! interleaved repetition by repetition, and adds one table of medians and ratios.

use std::future::Future;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use connectwise_manage::models::Ticket;
use connectwise_manage::{Client, Error, List, ListQuery};
use futures::TryStreamExt;

use crate::clients::{self, Check, Raw};
use crate::measure::{median, paired_ratio, peak_rss_kib, process_cpu, thread_cpu};
use crate::report::{Report, Table, met, ratio, times};
use crate::sandbox_process::{Budget, ServeSpec, ServerProcess};

/// What a figure failing looks like.
pub type BenchError = Box<dyn std::error::Error + Send + Sync>;

/// The sizes and settings of a run; the defaults are the sizes.
#[derive(Clone, Debug, PartialEq)]
pub struct Options {
    /// Repetitions of each case, interleaved, in the latency and fast-JSON figures.
    pub reps: usize,
    /// Repetitions of each case in the two CPU-ratio figures (stream and overhead), whose
    /// targets sit within this machine's run-to-run noise.
    pub ratio_reps: usize,
    /// Tickets of the stream figure.
    pub tickets: u64,
    /// Records per page of the stream and memory figures.
    pub page_size: u32,
    /// The smaller and the larger stream of the memory figure.
    pub memory_sizes: [u64; 2],
    /// Repetitions of each memory case.
    pub memory_reps: usize,
    /// Tickets of the latency figure.
    pub latency_tickets: u64,
    /// Latency added per request in the latency figure.
    pub latency: Duration,
    /// The prefetch window of the latency and memory figures.
    pub prefetch: usize,
    /// The rate figure's budget: requests per window.
    pub rate_requests: u32,
    /// The rate figure's window.
    pub rate_window: Duration,
    /// How long the rate figure runs against each accounting.
    pub rate_run: Duration,
    /// Requests per case of the overhead figure.
    pub overhead_requests: usize,
    /// Runs only this case of the overhead figure ([`OVERHEAD_CASES`]), so that a tool that
    /// counts a whole process's instructions (`valgrind --tool=callgrind`) counts one side.
    pub overhead_case: Option<usize>,
    /// Pages of the fast-JSON figure.
    pub json_pages: u64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            reps: 5,
            ratio_reps: 15,
            tickets: 100_000,
            page_size: 1_000,
            memory_sizes: [100_000, 1_000_000],
            memory_reps: 3,
            latency_tickets: 20_000,
            latency: Duration::from_millis(20),
            prefetch: 8,
            rate_requests: 600,
            rate_window: Duration::from_secs(60),
            rate_run: Duration::from_secs(75),
            overhead_requests: 2_000,
            overhead_case: None,
            json_pages: 20,
        }
    }
}

/// CPU of this process and wall time of `run`.
async fn timed<F>(run: F) -> Result<(f64, f64), BenchError>
where
    F: Future<Output = Result<(), BenchError>>,
{
    let cpu = process_cpu();
    let wall = Instant::now();
    run.await?;
    let wall = wall.elapsed().as_secs_f64();
    Ok(((process_cpu() - cpu).as_secs_f64(), wall))
}

/// Streams `list` and checks it is exactly the first `expected` seeded tickets.
async fn stream_list(list: List<Ticket>, expected: u64) -> Result<(), BenchError> {
    let mut check = Check::default();
    let mut tickets = list.by_item();
    while let Some(ticket) = tickets.try_next().await? {
        check.see(&ticket)?;
    }
    check.finish(expected)?;
    Ok(())
}

async fn stream_floor(raw: &Raw, page_size: u32, expected: u64) -> Result<(), BenchError> {
    let mut check = Check::default();
    raw.stream_tickets(page_size, |ticket| check.see(ticket))
        .await?;
    check.finish(expected)?;
    Ok(())
}

fn typed(client: &Client, page_size: u32, prefetch: usize) -> List<Ticket> {
    client
        .service()
        .tickets()
        .list(&ListQuery::new())
        .page_size(page_size)
        .prefetch(prefetch)
}

fn escape_hatch(client: &Client, page_size: u32, prefetch: usize) -> List<Ticket> {
    client
        .endpoint::<Ticket>("/service/tickets")
        .list(&ListQuery::new())
        .page_size(page_size)
        .prefetch(prefetch)
}

fn ms(seconds: f64) -> String {
    format!("{:.0} ms", seconds * 1e3)
}

/// Typed streaming against the floor, by client CPU.
pub async fn stream(options: &Options, report: &mut Report) -> Result<(), BenchError> {
    let total = options.tickets;
    let server = ServerProcess::start(&ServeSpec {
        tickets: total,
        ..ServeSpec::default()
    })?;
    let raw = Raw::new(&server.api_url())?;
    let sdk = clients::sdk(server.site(), None, true)?;
    let size = options.page_size;
    let prefetch = options.prefetch;
    let cases = [
        "floor: reqwest + `serde_json::from_slice::<Vec<Ticket>>`, following `Link`".to_owned(),
        "SDK `client.service().tickets().list(…).by_item()`, prefetch 1".to_owned(),
        "SDK `client.endpoint::<Ticket>(\"/service/tickets\")`, prefetch 1".to_owned(),
        format!("SDK typed, prefetch {prefetch}"),
    ];
    let mut cpu = vec![Vec::new(); cases.len()];
    let mut wall = vec![Vec::new(); cases.len()];
    // A warm-up pass of the floor opens the connection and touches the server's code.
    stream_floor(&raw, size, total).await?;
    let reps = options.ratio_reps.max(1);
    for rep in 0..reps {
        for offset in 0..cases.len() {
            let case = (rep + offset) % cases.len();
            let (c, w) = match case {
                0 => timed(stream_floor(&raw, size, total)).await?,
                1 => timed(stream_list(typed(&sdk, size, 1), total)).await?,
                2 => timed(stream_list(escape_hatch(&sdk, size, 1), total)).await?,
                _ => timed(stream_list(typed(&sdk, size, prefetch), total)).await?,
            };
            cpu[case].push(c);
            wall[case].push(w);
            report.checked_streams += 1;
        }
    }
    let pages = total.div_ceil(u64::from(size)) as f64;
    report.sdk_cpu_per_page_ms = Some(median(&cpu[1]) / pages * 1e3);
    let mut table = Table::new(
        "Typed stream against the floor (client CPU)",
        &[
            "case",
            "client CPU (median)",
            "wall (median)",
            "CPU vs floor",
            "target",
        ],
    );
    table.note = format!(
        "{total} tickets in pages of {size}; client CPU is getrusage user+sys of the client \
         process (the sandbox runs in a child process); {reps} interleaved repetitions. CPU vs \
         floor is the median over repetitions of each run's CPU over the floor's in the same \
         repetition."
    );
    for (case, name) in cases.iter().enumerate() {
        let value = paired_ratio(&cpu[case], &cpu[0]);
        let target = match case {
            1 | 2 => format!("≤ 1.00×: {}", met(value <= 1.0)),
            _ => "—".to_owned(),
        };
        table.row(vec![
            name.clone(),
            ms(median(&cpu[case])),
            ms(median(&wall[case])),
            times(value),
            target,
        ]);
    }
    report.tables.push(table);
    Ok(())
}

/// The `probe` subcommand: streams every ticket of the sandbox at `site` in a fresh process
/// and gives the process's peak resident memory in KiB.
///
/// # Errors
/// When the stream fails or is not exactly the seeded tickets.
pub fn probe(site: &str, tickets: u64, page_size: u32, prefetch: usize) -> Result<u64, BenchError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let client = clients::sdk(site, None, true)?;
        stream_list(typed(&client, page_size, prefetch), tickets).await
    })?;
    Ok(peak_rss_kib())
}

fn run_probe(site: &str, tickets: u64, page_size: u32, prefetch: usize) -> Result<u64, BenchError> {
    let output = Command::new(std::env::current_exe()?)
        .args([
            "probe",
            "--site",
            site,
            "--tickets",
            &tickets.to_string(),
            "--page-size",
            &page_size.to_string(),
            "--prefetch",
            &prefetch.to_string(),
        ])
        .output()?;
    let text = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        return Err(format!(
            "probe failed: {}{}",
            text,
            String::from_utf8_lossy(&output.stderr)
        )
        .into());
    }
    text.lines()
        .find_map(|line| line.strip_prefix("peak_kib ")?.trim().parse().ok())
        .ok_or_else(|| format!("probe said {text:?}").into())
}

/// Peak resident memory of a fresh process streaming each size, with and without prefetch.
pub async fn memory(options: &Options, report: &mut Report) -> Result<(), BenchError> {
    let modes = [1, 2, options.prefetch];
    let mut peaks = vec![vec![Vec::new(); modes.len()]; 2];
    for (index, &tickets) in options.memory_sizes.iter().enumerate() {
        let server = ServerProcess::start(&ServeSpec {
            tickets,
            ..ServeSpec::default()
        })?;
        for rep in 0..options.memory_reps {
            for offset in 0..modes.len() {
                let mode = (rep + offset) % modes.len();
                let site = server.site().to_owned();
                let size = options.page_size;
                let prefetch = modes[mode];
                let kib =
                    tokio::task::spawn_blocking(move || run_probe(&site, tickets, size, prefetch))
                        .await??;
                peaks[index][mode].push(kib as f64);
                report.checked_streams += 1;
            }
        }
    }
    let mut table = Table::new(
        "Peak resident memory of a stream",
        &[
            "tickets",
            "prefetch",
            "peak RSS (median)",
            "vs the smaller stream",
            "target",
        ],
    );
    table.note = format!(
        "A fresh process per measurement streams every ticket in pages of {} (`VmHWM`, the \
         whole process: runtime, client and buffers); {} repetitions per case. Prefetch 2 is \
         the client's default.",
        options.page_size, options.memory_reps
    );
    for (index, &tickets) in options.memory_sizes.iter().enumerate() {
        for (mode, prefetch) in modes.iter().enumerate() {
            let value = median(&peaks[index][mode]);
            let small = median(&peaks[0][mode]);
            let mib = value / 1024.0;
            let mut target = format!("≤ 64 MB: {}", met(mib * 1.048_576 <= 64.0));
            if index == 1 {
                target += &format!("; ≤ 1.2×: {}", met(value <= 1.2 * small));
            }
            table.row(vec![
                tickets.to_string(),
                prefetch.to_string(),
                format!("{:.1} MB", mib * 1.048_576),
                if index == 1 {
                    ratio(value, small)
                } else {
                    "—".to_owned()
                },
                target,
            ]);
        }
    }
    report.tables.push(table);
    Ok(())
}

/// Sequential paging against prefetch with latency added to every request.
pub async fn latency(options: &Options, report: &mut Report) -> Result<(), BenchError> {
    let total = options.latency_tickets;
    let server = ServerProcess::start(&ServeSpec {
        tickets: total,
        latency: Some(options.latency),
        ..ServeSpec::default()
    })?;
    let sdk = clients::sdk(server.site(), None, true)?;
    let prefetch = options.prefetch;
    let cases = [(1_000, 1), (1_000, prefetch), (100, 1), (100, prefetch)];
    let mut wall = vec![Vec::new(); cases.len()];
    let mut cpu = vec![Vec::new(); cases.len()];
    // Opens the connections prefetch uses.
    stream_list(typed(&sdk, 1_000, prefetch), total).await?;
    for rep in 0..options.reps {
        for offset in 0..cases.len() {
            let case = (rep + offset) % cases.len();
            let (size, window) = cases[case];
            let (c, w) = timed(stream_list(typed(&sdk, size, window), total)).await?;
            cpu[case].push(c);
            wall[case].push(w);
            report.checked_streams += 1;
        }
    }
    let mut table = Table::new(
        "Latency: sequential paging against prefetch",
        &[
            "page size",
            "sequential (median wall)",
            &format!("prefetch {prefetch} (median wall)"),
            "speed-up",
            "client CPU seq / prefetch",
            "target",
        ],
    );
    table.note = format!(
        "{total} tickets, {} ms added by the sandbox before every request; {} interleaved \
         repetitions.",
        options.latency.as_millis(),
        options.reps
    );
    for pair in [0, 2] {
        let sequential = median(&wall[pair]);
        let ahead = median(&wall[pair + 1]);
        table.row(vec![
            cases[pair].0.to_string(),
            ms(sequential),
            ms(ahead),
            ratio(sequential, ahead),
            format!(
                "{} / {}",
                ms(median(&cpu[pair])),
                ms(median(&cpu[pair + 1]))
            ),
            format!("≥ 5×: {}", met(sequential >= 5.0 * ahead)),
        ]);
    }
    report.tables.push(table);
    Ok(())
}

/// The share of a server's request budget the client's limiter achieves, and the 429s.
pub async fn rate(options: &Options, report: &mut Report) -> Result<(), BenchError> {
    let requests = options.rate_requests;
    let window = options.rate_window.as_secs_f64();
    let per_second = f64::from(requests) / window;
    // A bucket that holds one second of the budget.
    let burst = per_second.ceil().max(1.0) as u32;
    let budgets = [
        (
            "token bucket",
            Budget::TokenBucket {
                requests,
                window,
                burst,
            },
        ),
        ("sliding window", Budget::SlidingWindow { requests, window }),
    ];
    let mut table = Table::new(
        "Rate budget",
        &[
            "server accounting",
            "run",
            "answered",
            "budget over the run",
            "achieved",
            "429s",
            "target",
        ],
    );
    table.note = format!(
        "The sandbox enforces {requests} requests per {window} s per client; the client's \
         `RateLimit` is set to the same budget (evenly spaced). Four tasks share one client and \
         send `GET /system/info` back to back for {} s against each accounting (longer than \
         the window, so the sliding window is full for part of the run); retries are off, so \
         every 429 reaches the count. The budget over the run is the sustained rate times the \
         elapsed time (the token bucket holds {burst}, one second's worth).",
        options.rate_run.as_secs_f64()
    );
    for (name, budget) in budgets {
        let server = ServerProcess::start(&ServeSpec {
            tickets: 14,
            budget: Some(budget),
            ..ServeSpec::default()
        })?;
        let client = clients::sdk(
            server.site(),
            Some(clients::budget(requests, window)),
            false,
        )?;
        let answered = Arc::new(AtomicU64::new(0));
        let throttled = Arc::new(AtomicU64::new(0));
        let start = Instant::now();
        let deadline = start + options.rate_run;
        let mut workers = Vec::new();
        for _ in 0..4 {
            let client = client.clone();
            let answered = answered.clone();
            let throttled = throttled.clone();
            workers.push(tokio::spawn(async move {
                while Instant::now() < deadline {
                    match client.get_json::<serde_json::Value>("/system/info").await {
                        Ok(_) => answered.fetch_add(1, Ordering::Relaxed),
                        Err(Error::RateLimited { .. }) => throttled.fetch_add(1, Ordering::Relaxed),
                        Err(error) => return Err(error),
                    };
                }
                Ok(())
            }));
        }
        for worker in workers {
            worker.await??;
        }
        let elapsed = start.elapsed().as_secs_f64();
        let answered = answered.load(Ordering::Relaxed);
        let throttled = throttled.load(Ordering::Relaxed);
        let allowed = per_second * elapsed;
        let share = answered as f64 / allowed;
        table.row(vec![
            name.to_owned(),
            format!("{elapsed:.1} s"),
            answered.to_string(),
            format!("{allowed:.0}"),
            format!("{:.1} %", share * 100.0),
            throttled.to_string(),
            format!(
                "≥ 95 %: {}; 0 429s: {}",
                met(share >= 0.95),
                met(throttled == 0)
            ),
        ]);
    }
    report.tables.push(table);
    Ok(())
}

/// The cases of the overhead figure, in the order they are measured.
pub const OVERHEAD_CASES: [&str; 4] = ["raw-info", "sdk-info", "raw-page", "sdk-page"];

/// The cost of one request through the SDK against raw reqwest.
pub async fn overhead(options: &Options, report: &mut Report) -> Result<(), BenchError> {
    let server = ServerProcess::start(&ServeSpec {
        tickets: 14,
        ..ServeSpec::default()
    })?;
    let raw = Raw::new(&server.api_url())?;
    let sdk = clients::sdk(server.site(), None, true)?;
    let count = options.overhead_requests.max(1);
    let info_url = raw.url("system/info");
    let page_url = raw.url("service/tickets?pageSize=1");
    let mut cpu = vec![Vec::new(); 4];
    let mut wall = vec![Vec::new(); 4];
    let reps = options.ratio_reps.max(1);
    for rep in 0..reps {
        for offset in 0..4 {
            let case = (rep + offset) % 4;
            if options.overhead_case.is_some_and(|only| only != case) {
                continue;
            }
            let (c, w) = timed(async {
                for _ in 0..count {
                    match case {
                        0 => {
                            let (body, _) = raw.get(&info_url).await?;
                            let _: serde_json::Value = serde_json::from_slice(&body)?;
                        }
                        1 => {
                            let _: serde_json::Value = sdk.get_json("/system/info").await?;
                        }
                        2 => {
                            let (body, _) = raw.get(&page_url).await?;
                            let page: Vec<Ticket> = serde_json::from_slice(&body)?;
                            one_ticket(&page)?;
                        }
                        _ => {
                            let page = typed(&sdk, 1, 1).await?;
                            one_ticket(&page)?;
                        }
                    }
                }
                Ok(())
            })
            .await?;
            cpu[case].push(c / count as f64);
            wall[case].push(w / count as f64);
        }
    }
    let us = |seconds: f64| format!("{:.0} µs", seconds * 1e6);
    let mut table = Table::new(
        "Per-request overhead against raw reqwest",
        &[
            "request",
            "raw CPU / request",
            "SDK CPU / request",
            "CPU ratio",
            "raw wall / request",
            "SDK wall / request",
            "wall ratio",
            "target",
        ],
    );
    table.note = match options.overhead_case {
        Some(only) => format!(
            "Only `{}` ran ({count} requests, {reps} repetitions), for counting instructions; \
             the other columns are empty and no ratio is taken.",
            OVERHEAD_CASES[only]
        ),
        None => format!(
            "{count} sequential requests per case and repetition, {reps} interleaved \
             repetitions, medians; both decode the body (`serde_json::Value` for \
             `/system/info`, `Vec<Ticket>` for the page). Each ratio is the median over \
             repetitions of the SDK's figure over the raw one's in the same repetition."
        ),
    };
    for (name, base) in [("`GET /system/info`", 0), ("one-ticket page", 2)] {
        let cpu_ratio = paired_ratio(&cpu[base + 1], &cpu[base]);
        let wall_ratio = paired_ratio(&wall[base + 1], &wall[base]);
        table.row(vec![
            name.to_owned(),
            us(median(&cpu[base])),
            us(median(&cpu[base + 1])),
            times(cpu_ratio),
            us(median(&wall[base])),
            us(median(&wall[base + 1])),
            times(wall_ratio),
            match options.overhead_case {
                Some(_) => "—".to_owned(),
                None => format!(
                    "≤ 1.10× (CPU): {}; (wall): {}",
                    met(cpu_ratio <= 1.1),
                    met(wall_ratio <= 1.1)
                ),
            },
        ]);
    }
    report.tables.push(table);
    Ok(())
}

fn one_ticket(page: &[Ticket]) -> Result<(), BenchError> {
    match page {
        [ticket] if ticket.id == Some(1001) => Ok(()),
        other => Err(format!("expected ticket 1001 alone, got {} tickets", other.len()).into()),
    }
}

/// The same pages decoded into `Vec<Ticket>` the SDK's way (one UTF-8 check, then serde_json from
/// text), the floor's way (serde_json from bytes), and by sonic-rs and simd-json.
pub async fn json(options: &Options, report: &mut Report) -> Result<(), BenchError> {
    let size = options.page_size;
    let pages = options.json_pages.max(1);
    let server = ServerProcess::start(&ServeSpec {
        tickets: pages * u64::from(size),
        ..ServeSpec::default()
    })?;
    let raw = Raw::new(&server.api_url())?;
    let mut bodies = Vec::new();
    for page in 1..=pages {
        let url = raw.url(&format!("service/tickets?pageSize={size}&page={page}"));
        bodies.push(raw.get(&url).await?.0);
    }
    drop(server);
    let bytes: usize = bodies.iter().map(|body| body.len()).sum();
    // Every decoder must give the same records before its speed counts.
    for body in &bodies {
        let reference: Vec<Ticket> = serde_json::from_slice(body)?;
        let sdk: Vec<Ticket> = sdk_decode(body, size)?;
        let sonic: Vec<Ticket> = sonic_rs::from_slice(body)?;
        let mut copy = body.to_vec();
        let simd: Vec<Ticket> = simd_json::serde::from_slice(&mut copy)?;
        if sdk != reference || sonic != reference || simd != reference {
            return Err("a decoder gave other records than serde_json".into());
        }
    }
    let decoders = [
        "SDK: one UTF-8 check, then serde_json from text (`msp_common::decode_records`)",
        "floor: `serde_json::from_slice`",
        "sonic-rs",
        "simd-json",
    ];
    let mut cpu = vec![Vec::new(); decoders.len()];
    let bodies = Arc::new(bodies);
    for rep in 0..options.reps.max(1) {
        for offset in 0..decoders.len() {
            let decoder = (rep + offset) % decoders.len();
            let pages = bodies.clone();
            let seconds = tokio::task::spawn_blocking(move || -> Result<f64, BenchError> {
                let start = thread_cpu();
                for body in pages.iter() {
                    let page: Vec<Ticket> = match decoder {
                        0 => sdk_decode(body, size)?,
                        1 => serde_json::from_slice(body)?,
                        2 => sonic_rs::from_slice(body)?,
                        _ => {
                            let mut copy = body.to_vec();
                            simd_json::serde::from_slice(&mut copy)?
                        }
                    };
                    std::hint::black_box(page);
                }
                Ok((thread_cpu() - start).as_secs_f64())
            })
            .await??;
            cpu[decoder].push(seconds / bodies.len() as f64);
        }
    }
    let sdk = median(&cpu[0]);
    let mut table = Table::new(
        "Fast JSON: decoding the same pages into `Vec<Ticket>`",
        &[
            "decoder",
            "CPU per page (median)",
            "vs the SDK's",
            "throughput",
            "share of the SDK's stream CPU saved",
        ],
    );
    table.note = format!(
        "{pages} pages of {size} tickets from the sandbox ({:.1} MB), decoded on one thread, \
         {} interleaved repetitions; simd-json's time includes the copy it needs (it decodes in \
         place). The last column weighs the saving per page against the SDK's whole CPU per \
         page in the stream figure.",
        bytes as f64 / 1e6,
        options.reps.max(1)
    );
    for (decoder, name) in decoders.iter().enumerate() {
        let value = median(&cpu[decoder]);
        let saved = report
            .sdk_cpu_per_page_ms
            .map(|per_page| format!("{:.0} %", (sdk - value) * 1e3 / per_page * 100.0))
            .unwrap_or_else(|| "— (run with `stream`)".to_owned());
        table.row(vec![
            (*name).to_owned(),
            format!("{:.2} ms", value * 1e3),
            ratio(value, sdk),
            format!("{:.0} MB/s", bytes as f64 / pages as f64 / value / 1e6),
            if decoder == 0 {
                "—".to_owned()
            } else {
                saved
            },
        ]);
    }
    report.tables.push(table);
    Ok(())
}

/// A page decoded as the SDK's listings decode it.
fn sdk_decode(body: &[u8], page_size: u32) -> Result<Vec<Ticket>, Error> {
    msp_common::decode_records(
        &msp_common::Operation::safe("getServiceTickets", "/service/tickets"),
        http::StatusCode::OK,
        body,
        page_size as usize,
    )
}
