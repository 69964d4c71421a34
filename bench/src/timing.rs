//! The timing helper: warm up, take N samples of one call each, report median and spread (p10/p90, p99).
//!
//! Deliberately tiny (no criterion): the figures go into a markdown table, not into regression statistics.

use std::time::{Duration, Instant};

/// How many warm-up calls and samples to take.
#[derive(Debug, Clone, Copy)]
pub struct Plan {
    pub warmup: usize,
    pub samples: usize,
}

impl Plan {
    /// The same plan with the sample count divided by `by` (at least 3 samples, 1 warm-up).
    pub fn fewer(self, by: usize) -> Plan {
        Plan {
            warmup: (self.warmup / by).max(1),
            samples: (self.samples / by).max(3),
        }
    }
}

/// Order statistics of one measured call.
#[derive(Debug, Clone, Copy)]
pub struct Stats {
    pub median: Duration,
    pub p10: Duration,
    pub p90: Duration,
    pub p99: Duration,
    pub samples: usize,
    /// Time of all samples together, their sum (for throughput).
    pub total: Duration,
}

impl Stats {
    /// Calls per second on one thread, from the total time of the samples.
    pub fn per_second(&self) -> f64 {
        self.samples as f64 / self.total.as_secs_f64().max(f64::MIN_POSITIVE)
    }
}

/// Times `f` once per sample after `plan.warmup` untimed calls. The first error stops the measurement. The
/// total time is the sum of the samples.
pub fn measure<E>(plan: Plan, f: impl FnMut() -> Result<(), E>) -> Result<Stats, E> {
    samples(plan.warmup, plan.samples, f).map(of_samples)
}

/// Takes `warmup` untimed calls of one thing, then `n` timed samples of it.
pub type Sampler<'a> = dyn FnMut(usize, usize) -> Result<Vec<Duration>, String> + 'a;

/// Times `f` `n` times after `warmup` untimed calls: the raw samples (a [`Sampler`] for [`interleaved`]).
pub fn samples<E>(warmup: usize, n: usize, mut f: impl FnMut() -> Result<(), E>) -> Result<Vec<Duration>, E> {
    for _ in 0..warmup {
        f()?;
    }
    (0..n)
        .map(|_| {
            let t = Instant::now();
            f().map(|()| t.elapsed())
        })
        .collect()
}

/// Measures several things whose figures are compared (a ratio), in `rounds` turns: each takes its
/// `plan.samples / rounds` samples in every round, in the same order, so a slow patch of the machine (another
/// process, the host) falls on all of them alike instead of on whichever ran then. Each warms up in the first
/// round only. A thing that fails is not asked again; its result is its first error. A figure's total time is
/// the sum of its samples.
pub fn interleaved<const N: usize>(
    plan: Plan,
    rounds: usize,
    mut things: [&mut Sampler<'_>; N],
) -> [Result<Stats, String>; N] {
    let rounds = rounds.clamp(1, plan.samples.max(1));
    let mut taken: [Result<Vec<Duration>, String>; N] = std::array::from_fn(|_| Ok(Vec::with_capacity(plan.samples)));
    for round in 0..rounds {
        // The samples of this round: the remainder goes to the first rounds.
        let n = plan.samples / rounds + usize::from(round < plan.samples % rounds);
        let warmup = if round == 0 { plan.warmup } else { 0 };
        for (thing, times) in things.iter_mut().zip(&mut taken) {
            if let Ok(so_far) = times {
                match thing(warmup, n) {
                    Ok(more) => so_far.extend(more),
                    Err(e) => *times = Err(e),
                }
            }
        }
    }
    taken.map(|times| times.map(of_samples))
}

/// Order statistics of samples, with their sum as the total time.
fn of_samples(times: Vec<Duration>) -> Stats {
    let total = times.iter().sum();
    stats(times, total)
}

/// Order statistics of `times` (nearest-rank percentiles).
pub fn stats(mut times: Vec<Duration>, total: Duration) -> Stats {
    times.sort();
    let at = |q: f64| {
        if times.is_empty() {
            return Duration::ZERO;
        }
        let rank = ((q * times.len() as f64).ceil() as usize).clamp(1, times.len());
        times[rank - 1]
    };
    Stats {
        median: at(0.5),
        p10: at(0.1),
        p90: at(0.9),
        p99: at(0.99),
        samples: times.len(),
        total,
    }
}

/// A duration in the unit that suits it: `812 ns`, `41.3 us`, `2.41 ms`, `1.20 s`.
pub fn human(d: Duration) -> String {
    let ns = d.as_nanos() as f64;
    if ns < 1e3 {
        format!("{ns:.0} ns")
    } else if ns < 1e6 {
        format!("{:.1} us", ns / 1e3)
    } else if ns < 1e9 {
        format!("{:.2} ms", ns / 1e6)
    } else {
        format!("{:.2} s", ns / 1e9)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_nearest_rank() {
        let times = (1..=100).map(Duration::from_micros).collect();
        let s = stats(times, Duration::from_millis(1));
        assert_eq!(s.median, Duration::from_micros(50));
        assert_eq!(s.p10, Duration::from_micros(10));
        assert_eq!(s.p90, Duration::from_micros(90));
        assert_eq!(s.p99, Duration::from_micros(99));
        assert_eq!(s.samples, 100);
    }

    #[test]
    fn interleaved_rounds_share_the_samples_and_keep_each_things_own() {
        let plan = Plan { warmup: 2, samples: 10 };
        // Each sample says who took it and with how much warm-up before it.
        let constant = |who: char| {
            move |warmup: usize, n: usize| -> Result<Vec<Duration>, String> {
                Ok(vec![Duration::from_micros(who as u64 + warmup as u64 * 1000); n])
            }
        };
        let (mut a, mut b) = (constant('a'), constant('b'));
        let mut asked = 0;
        let mut failing = |_: usize, _: usize| -> Result<Vec<Duration>, String> {
            asked += 1;
            Err("broken".to_string())
        };
        let [a, b, failed] = interleaved(plan, 3, [&mut a, &mut b, &mut failing]);
        let a = a.expect("a");
        assert_eq!(a.samples, 10);
        // Warm-up only in the first round: 4 samples there (10 = 4 + 3 + 3), then 6 without.
        assert_eq!(a.median, Duration::from_micros('a' as u64));
        assert_eq!(a.p90, Duration::from_micros('a' as u64 + 2000));
        assert_eq!(b.expect("b").samples, 10);
        assert_eq!(failed.err().as_deref(), Some("broken"));
        assert_eq!(asked, 1, "a failed thing is not asked again");
    }

    #[test]
    fn units_follow_the_size() {
        assert_eq!(human(Duration::from_nanos(812)), "812 ns");
        assert_eq!(human(Duration::from_nanos(41_300)), "41.3 us");
        assert_eq!(human(Duration::from_micros(2_410)), "2.41 ms");
        assert_eq!(human(Duration::from_millis(1_200)), "1.20 s");
    }
}
