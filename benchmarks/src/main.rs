//! `benchmarks`: runs the figures against the sandbox and prints markdown tables.
//!
//! ```sh
//! cargo run --release -p benchmarks -- all
//! cargo run --release -p benchmarks -- stream --tickets 20000 --ratio-reps 3
//! ```

use std::process::{Command, ExitCode};
use std::time::Duration;

use benchmarks::figures::{self, BenchError, Options};
use benchmarks::measure::load_average;
use benchmarks::report::Report;
use benchmarks::sandbox_process::{self, Budget, ServeSpec};

const USAGE: &str = "\
usage: benchmarks <all | stream | memory | latency | rate | overhead | json> [flags]

flags (defaults are the published run):
  --reps N                 interleaved repetitions in the latency and fast-JSON figures (5)
  --ratio-reps N           interleaved repetitions in the stream and overhead figures (15)
  --tickets N              tickets of the stream figure (100000)
  --page-size N            records per page (1000)
  --memory-sizes A,B       the two streams of the memory figure (100000,1000000)
  --memory-reps N          repetitions of each memory case (3)
  --latency-tickets N      tickets of the latency figure (20000)
  --latency-ms N           latency added per request (20)
  --prefetch N             the prefetch window (8)
  --rate-budget N/SECONDS  the rate figure's budget (600/60)
  --rate-seconds S         how long the rate figure runs per accounting (75)
  --overhead-requests N    requests per case of the overhead figure (2000)
  --overhead-case NAME     run one overhead case only: raw-info, sdk-info, raw-page, sdk-page
  --json-pages N           pages of the fast-JSON figure (20)
";

const FIGURES: [&str; 6] = ["stream", "overhead", "json", "latency", "memory", "rate"];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("benchmarks: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &[String]) -> Result<(), BenchError> {
    let Some((command, flags)) = args.split_first() else {
        eprint!("{USAGE}");
        return Err("no subcommand".into());
    };
    let flags = Flags::parse(flags)?;
    match command.as_str() {
        "serve" => Ok(sandbox_process::serve(&serve_spec(&flags)?)?),
        "probe" => {
            let site = flags.text("--site").ok_or("probe needs --site")?;
            let peak = figures::probe(
                &site,
                flags.number("--tickets")?.unwrap_or(0),
                flags.number("--page-size")?.unwrap_or(1_000) as u32,
                flags.number("--prefetch")?.unwrap_or(1) as usize,
            )?;
            println!("peak_kib {peak}");
            Ok(())
        }
        "-h" | "--help" | "help" => {
            print!("{USAGE}");
            Ok(())
        }
        "all" => bench(&FIGURES, &options(&flags)?, args),
        figure if FIGURES.contains(&figure) => bench(&[figure], &options(&flags)?, args),
        other => Err(format!("unknown subcommand {other:?}\n{USAGE}").into()),
    }
}

fn bench(which: &[&str], options: &Options, args: &[String]) -> Result<(), BenchError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let load_before = load_average();
    let started = output("date", &["-u", "+%Y-%m-%d %H:%M UTC"]);
    let mut report = Report::default();
    for figure in which {
        eprintln!("benchmarks: running {figure}");
        runtime.block_on(async {
            match *figure {
                "stream" => figures::stream(options, &mut report).await,
                "overhead" => figures::overhead(options, &mut report).await,
                "json" => figures::json(options, &mut report).await,
                "latency" => figures::latency(options, &mut report).await,
                "memory" => figures::memory(options, &mut report).await,
                _ => figures::rate(options, &mut report).await,
            }
        })?;
    }
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!(
        "Command: `cargo run --release -p benchmarks -- {}`\n",
        args.join(" ")
    );
    println!(
        "Run {started}; {cores} cores; {}; load average (1, 5, 15 min) {load_before} at the \
         start, {} at the end.\n",
        output("rustc", &["-V"]),
        load_average()
    );
    for table in &report.tables {
        println!("{}", table.markdown());
    }
    println!(
        "Streams checked: {}, each exactly the seeded tickets in order.",
        report.checked_streams
    );
    Ok(())
}

fn output(program: &str, args: &[&str]) -> String {
    Command::new(program)
        .args(args)
        .output()
        .ok()
        .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_owned())
        .filter(|text| !text.is_empty())
        .unwrap_or_else(|| "unknown".to_owned())
}

fn serve_spec(flags: &Flags) -> Result<ServeSpec, BenchError> {
    let budget = match (flags.text("--bucket"), flags.text("--window")) {
        (Some(bucket), _) => {
            let parts: Vec<&str> = bucket.split('/').collect();
            let [requests, window, burst] = parts[..] else {
                return Err("--bucket is REQUESTS/SECONDS/BURST".into());
            };
            Some(Budget::TokenBucket {
                requests: requests.parse()?,
                window: window.parse()?,
                burst: burst.parse()?,
            })
        }
        (None, Some(window)) => {
            let (requests, seconds) = split_budget(&window)?;
            Some(Budget::SlidingWindow {
                requests,
                window: seconds,
            })
        }
        (None, None) => None,
    };
    Ok(ServeSpec {
        tickets: flags.number("--tickets")?.unwrap_or(14),
        latency: flags.number("--latency-ms")?.map(Duration::from_millis),
        budget,
    })
}

fn split_budget(text: &str) -> Result<(u32, f64), BenchError> {
    let (requests, seconds) = text.split_once('/').ok_or("a budget is REQUESTS/SECONDS")?;
    Ok((requests.parse()?, seconds.parse()?))
}

fn options(flags: &Flags) -> Result<Options, BenchError> {
    let mut options = Options::default();
    if let Some(reps) = flags.number("--reps")? {
        options.reps = reps.max(1) as usize;
    }
    if let Some(reps) = flags.number("--ratio-reps")? {
        options.ratio_reps = reps.max(1) as usize;
    }
    if let Some(tickets) = flags.number("--tickets")? {
        options.tickets = tickets;
    }
    if let Some(size) = flags.number("--page-size")? {
        options.page_size = size.clamp(1, 1_000) as u32;
    }
    if let Some(sizes) = flags.text("--memory-sizes") {
        let (small, large) = sizes.split_once(',').ok_or("--memory-sizes is A,B")?;
        options.memory_sizes = [small.parse()?, large.parse()?];
    }
    if let Some(reps) = flags.number("--memory-reps")? {
        options.memory_reps = reps.max(1) as usize;
    }
    if let Some(tickets) = flags.number("--latency-tickets")? {
        options.latency_tickets = tickets;
    }
    if let Some(latency) = flags.number("--latency-ms")? {
        options.latency = Duration::from_millis(latency);
    }
    if let Some(prefetch) = flags.number("--prefetch")? {
        options.prefetch = prefetch.max(2) as usize;
    }
    if let Some(budget) = flags.text("--rate-budget") {
        let (requests, seconds) = split_budget(&budget)?;
        options.rate_requests = requests;
        options.rate_window = Duration::from_secs_f64(seconds);
    }
    if let Some(seconds) = flags.text("--rate-seconds") {
        options.rate_run = Duration::from_secs_f64(seconds.parse()?);
    }
    if let Some(requests) = flags.number("--overhead-requests")? {
        options.overhead_requests = requests as usize;
    }
    if let Some(name) = flags.text("--overhead-case") {
        let case = figures::OVERHEAD_CASES
            .iter()
            .position(|case| *case == name)
            .ok_or_else(|| format!("--overhead-case is one of {:?}", figures::OVERHEAD_CASES))?;
        options.overhead_case = Some(case);
    }
    if let Some(pages) = flags.number("--json-pages")? {
        options.json_pages = pages;
    }
    Ok(options)
}

/// `--name value` pairs.
struct Flags(Vec<(String, String)>);

impl Flags {
    fn parse(args: &[String]) -> Result<Flags, BenchError> {
        let mut pairs = Vec::new();
        let mut args = args.iter();
        while let Some(name) = args.next() {
            if !name.starts_with("--") {
                return Err(format!("unexpected argument {name:?}\n{USAGE}").into());
            }
            let value = args.next().ok_or_else(|| format!("{name} needs a value"))?;
            pairs.push((name.clone(), value.clone()));
        }
        Ok(Flags(pairs))
    }

    fn text(&self, name: &str) -> Option<String> {
        self.0
            .iter()
            .rev()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
    }

    fn number(&self, name: &str) -> Result<Option<u64>, BenchError> {
        match self.text(name) {
            Some(value) => {
                Ok(Some(value.replace('_', "").parse().map_err(|_| {
                    format!("{name} wants a number, not {value:?}")
                })?))
            }
            None => Ok(None),
        }
    }
}
