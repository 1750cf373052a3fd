//! Every figure at tiny sizes, as CI runs it: the command succeeds (which it only does when every
//! stream was exactly the seeded tickets), prints every table with all its rows, and counts the
//! checked streams. No timing is asserted; the rate figure runs one second per accounting on a
//! budget of 20 requests per half second.

use std::process::Command;

#[test]
fn every_figure_at_tiny_sizes() {
    let output = Command::new(env!("CARGO_BIN_EXE_benchmarks"))
        .args([
            "all",
            "--reps",
            "1",
            "--ratio-reps",
            "1",
            "--tickets",
            "2000",
            "--page-size",
            "100",
            "--memory-sizes",
            "1000,3000",
            "--memory-reps",
            "1",
            "--latency-tickets",
            "500",
            "--latency-ms",
            "0",
            "--prefetch",
            "4",
            "--rate-budget",
            "20/0.5",
            "--rate-seconds",
            "1",
            "--overhead-requests",
            "20",
            "--json-pages",
            "2",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let rows_under = |title: &str| -> usize {
        let table = stdout
            .split("### ")
            .find(|section| section.starts_with(title))
            .unwrap_or_else(|| panic!("no table {title:?} in\n{stdout}"));
        table.lines().filter(|line| line.starts_with("| ")).count() - 1
    };
    assert_eq!(rows_under("Typed stream against the floor"), 4);
    assert_eq!(rows_under("Per-request overhead"), 2);
    assert_eq!(rows_under("Fast JSON"), 4);
    assert_eq!(rows_under("Latency"), 2);
    assert_eq!(rows_under("Peak resident memory"), 6);
    assert_eq!(rows_under("Rate budget"), 2);
    // 4 stream cases, 2 sizes × 3 memory modes, 4 latency cases, one repetition each.
    assert!(
        stdout.contains("Streams checked: 14, each exactly the seeded tickets in order."),
        "{stdout}"
    );
    assert!(stdout.contains("Command: `cargo run --release -p benchmarks -- all"));
}

/// One overhead case alone, as counted under callgrind: it runs, says which case ran and claims
/// no target; a case name that does not exist is refused with the list of names.
#[test]
fn one_overhead_case_alone() {
    let run = |case: &str| {
        Command::new(env!("CARGO_BIN_EXE_benchmarks"))
            .args([
                "overhead",
                "--ratio-reps",
                "1",
                "--overhead-requests",
                "5",
                "--overhead-case",
                case,
            ])
            .output()
            .unwrap()
    };
    let output = run("sdk-page");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}");
    assert!(
        stdout.contains("Only `sdk-page` ran (5 requests, 1 repetitions)"),
        "{stdout}"
    );
    assert!(!stdout.contains("met"), "{stdout}");
    assert!(!stdout.contains("0.00×"), "{stdout}");

    let refused = run("sdk-everything");
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("\"raw-info\", \"sdk-info\", \"raw-page\", \"sdk-page\""),
        "{stderr}"
    );
}
