//! How much CPU the Manage server spends writing a page of 1,000 generated tickets, next to what
//! a client spends decoding the same page into `serde_json::Value`s, in the same process.
//!
//! ```sh
//! cargo run --release -p msp-sandbox --example render_cost
//! ```
//!
//! The numbers are recorded in the crate docs.

use std::time::{Duration, Instant};

use msp_sandbox::manage::{ManageOptions, ManageServer};
use msp_sandbox::seed::SeedOptions;

const PAGES: usize = 200;
const PAGE_SIZE: usize = 1000;

#[tokio::main(flavor = "current_thread")]
async fn main() -> std::io::Result<()> {
    let server = ManageServer::start(ManageOptions {
        seed: SeedOptions {
            tickets: 1_000_000,
            companies: 200,
            ..SeedOptions::default()
        },
        ..ManageOptions::default()
    })
    .await?;
    // Pages spread over the million tickets.
    let pages: Vec<usize> = (0..PAGES)
        .map(|n| 1 + n * (1_000_000 / PAGE_SIZE / PAGES))
        .collect();
    let mut bodies = Vec::with_capacity(PAGES);
    let started = Instant::now();
    for &page in &pages {
        bodies.push(
            server
                .page_json("/service/tickets", page, PAGE_SIZE)
                .unwrap_or_default(),
        );
    }
    let render = started.elapsed();
    let bytes: usize = bodies.iter().map(String::len).sum();
    let started = Instant::now();
    let mut records = 0;
    for body in &bodies {
        let decoded: Vec<serde_json::Value> =
            serde_json::from_str(body).map_err(std::io::Error::other)?;
        records += decoded.len();
    }
    let decode = started.elapsed();
    let per_page = |total: Duration| total.as_secs_f64() * 1000.0 / PAGES as f64;
    println!(
        "{PAGES} pages of {PAGE_SIZE} tickets ({records} records, {:.1} MB)",
        bytes as f64 / 1e6
    );
    println!("server writes a page:   {:.2} ms", per_page(render));
    println!(
        "client decodes a page:  {:.2} ms (serde_json::Value)",
        per_page(decode)
    );
    println!(
        "server / client:        {:.0}%",
        100.0 * render.as_secs_f64() / decode.as_secs_f64()
    );
    Ok(())
}
