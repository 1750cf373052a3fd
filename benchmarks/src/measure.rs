//! What a run costs: CPU time from `getrusage` (user plus system), peak resident memory, and the
//! medians the tables report.

use std::time::Duration;

use nix::sys::resource::{UsageWho, getrusage};
use nix::sys::time::TimeVal;

fn seconds(time: TimeVal) -> Duration {
    Duration::from_secs(time.tv_sec().max(0) as u64)
        + Duration::from_micros(time.tv_usec().max(0) as u64)
}

fn usage(who: UsageWho) -> Duration {
    match getrusage(who) {
        Ok(usage) => seconds(usage.user_time()) + seconds(usage.system_time()),
        Err(_) => Duration::ZERO,
    }
}

/// CPU time (user plus system) this process has used, every thread counted: the client's cost
/// only, since the sandbox runs in a child process.
pub fn process_cpu() -> Duration {
    usage(UsageWho::RUSAGE_SELF)
}

/// CPU time (user plus system) the calling thread has used.
pub fn thread_cpu() -> Duration {
    usage(UsageWho::RUSAGE_THREAD)
}

/// The peak resident set of this process in KiB: `VmHWM` from `/proc/self/status`, or
/// `ru_maxrss` where that file does not exist.
pub fn peak_rss_kib() -> u64 {
    let from_proc = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status.lines().find_map(|line| {
                let rest = line.strip_prefix("VmHWM:")?;
                rest.trim().trim_end_matches("kB").trim().parse().ok()
            })
        });
    from_proc.unwrap_or_else(|| {
        getrusage(UsageWho::RUSAGE_SELF)
            .map(|usage| usage.max_rss().max(0) as u64)
            .unwrap_or(0)
    })
}

/// The median of `values` (the mean of the middle two for an even count); 0 for none.
pub fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    match sorted.len() {
        0 => 0.0,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

/// The median over repetitions of `values[i] / baseline[i]`: each case against the baseline of
/// its own repetition, so a machine that speeds up or slows down between repetitions moves
/// both sides of a ratio alike. Pairs with a zero baseline are left out; 0 for none.
pub fn paired_ratio(values: &[f64], baseline: &[f64]) -> f64 {
    let ratios: Vec<f64> = values
        .iter()
        .zip(baseline)
        .filter(|(_, base)| **base > 0.0)
        .map(|(value, base)| value / base)
        .collect();
    median(&ratios)
}

/// The 1, 5 and 15 minute load averages, as `/proc/loadavg` gives them.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|text| {
            text.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_else(|_| "unknown".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians() {
        assert_eq!(median(&[]), 0.0);
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), 2.5);
    }

    #[test]
    fn paired_ratios_compare_within_a_repetition() {
        // The machine halves its speed between the two repetitions: each ratio is still 0.9.
        assert_eq!(paired_ratio(&[0.9, 1.8], &[1.0, 2.0]), 0.9);
        // Medians of each side would give 1.35 / 1.5; the pairs give the median of 0.5, 2 and 1.
        assert_eq!(paired_ratio(&[0.5, 4.0, 1.0], &[1.0, 2.0, 1.0]), 1.0);
        assert_eq!(paired_ratio(&[1.0], &[0.0]), 0.0);
        assert_eq!(paired_ratio(&[], &[]), 0.0);
    }

    #[test]
    fn cpu_and_memory_are_read() {
        let before = process_cpu();
        let mut x = 0u64;
        for i in 0..5_000_000u64 {
            x = x.wrapping_mul(31).wrapping_add(i);
        }
        std::hint::black_box(x);
        assert!(process_cpu() >= before);
        assert!(peak_rss_kib() > 0);
    }
}
