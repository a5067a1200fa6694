//! The event-aware time scale of the ring's playback: how fast τ (layers) advances per second
//! of wall time at 1×, slowing down around the events the paper is about so that each stays on
//! screen long enough to be seen, and running long RSP&V stretches fast.
//!
//! **The rule.** Playing at 1× runs the time axis at a base rate of `max(end / 20 s, 5)`
//! layers per second (the whole axis in about 20 s when nothing happens). Each event of the
//! distributed run is a *window* [from, to] in τ with a minimum wall time W:
//!
//! | window | [from, to] | W |
//! |---|---|---|
//! | Bell pairs filling the links | first pair started … last pair ready | [`FILL_SECONDS`] |
//! | an injection waiting for pairs (its onset) | S … S + min(2, stall) | [`STALL_SECONDS`] |
//! | RSI k / the teleportation (active part) | max L − 1 … E | [`INJECTION_SECONDS`] |
//! | its Bell pairs being consumed (the last CX layer) | max L − 1 … max L | [`CONSUME_SECONDS`] |
//! | a restart (a failed check) | end − 1 … end + 1 | [`RESTART_SECONDS`] |
//! | instances abandoned at T_k (m > 1) | T_k − 1 … T_k + 1 | [`RESTART_SECONDS`] |
//!
//! Inside a window the rate is at most (to − from) / W, so the window lasts at least W
//! seconds; around it the rate ramps up linearly with the distance d (in layers) from the
//! window, `(to − from) / W + RAMP · d`, until it reaches the base rate (a smooth slow-down and
//! speed-up rather than a jump). Where windows overlap the smallest rate wins. The rate is
//! therefore `min(base, min over windows of (to − from)/W + RAMP · d(τ, window))`.
//!
//! [`TimeWarp`] integrates 1/rate once per run into a monotone table (τ ↔ seconds), so the
//! playback clock maps wall seconds to τ ([`TimeWarp::tau_at`]) and a seek maps back
//! ([`TimeWarp::seconds_at`]) in O(log n). The speed menu multiplies the wall clock (2× halves
//! every duration); "1×" is the rule above.

use crate::protocol::schedule::{InjectionKind, Schedule};
use crate::view::frame::stall_end;

/// Seconds the whole time axis takes at the base rate (1×).
pub const AXIS_SECONDS: f64 = 20.0;
/// Smallest base rate, layers per second (short runs are not stretched beyond it).
pub const MIN_BASE_RATE: f64 = 5.0;
/// How fast the rate recovers with the distance from a window (layers per second, per layer).
pub const RAMP: f64 = 3.0;
/// Minimum wall seconds of the links filling with Bell pairs.
pub const FILL_SECONDS: f64 = 2.5;
/// Minimum wall seconds of an injection's active part (RSI k or the teleportation).
pub const INJECTION_SECONDS: f64 = 1.6;
/// Minimum wall seconds of the layer in which an injection consumes its Bell pairs.
pub const CONSUME_SECONDS: f64 = 1.0;
/// Minimum wall seconds of the onset of a stall.
pub const STALL_SECONDS: f64 = 1.2;
/// Minimum wall seconds around a restart or an abandonment.
pub const RESTART_SECONDS: f64 = 1.0;
/// Playback seconds between the knots of the table.
const STEP_SECONDS: f64 = 1.0 / 60.0;
/// At most this many windows are kept (the earliest): runs with thousands of restarts are
/// slowed at the first ones only.
const MAX_WINDOWS: usize = 400;

/// One event the playback slows down for.
#[derive(Clone, Debug, PartialEq)]
pub struct Window {
    /// The span of τ (layers) that lasts at least `seconds` at 1×.
    pub from: f64,
    pub to: f64,
    pub seconds: f64,
    /// What happens, for the speed indicator ("RSI 1", "Bell pairs consumed on ℓ1", …).
    pub what: String,
}

impl Window {
    /// Rate (layers per second) that makes the window last `seconds`.
    fn rate(&self) -> f64 {
        ((self.to - self.from) / self.seconds).max(1e-6)
    }

    /// Distance of τ from the window, in layers (0 inside).
    fn distance(&self, tau: f64) -> f64 {
        if tau < self.from {
            self.from - tau
        } else if tau > self.to {
            tau - self.to
        } else {
            0.0
        }
    }
}

/// The event windows of a distributed schedule (see the module documentation).
pub fn windows(s: &Schedule) -> Vec<Window> {
    let mut out = Vec::new();
    // Links filling: identical links (the usual case) give one window.
    let mut fills: Vec<(f64, f64)> = Vec::new();
    for l in &s.links {
        if let (Some(&from), Some(&to)) = (
            l.pair_started.iter().min_by(|a, b| a.total_cmp(b)),
            l.pair_ready.iter().max_by(|a, b| a.total_cmp(b)),
        ) {
            if to > from && !fills.iter().any(|&(a, b)| a == from && b == to) {
                fills.push((from, to));
            }
        }
    }
    for (from, to) in fills {
        out.push(Window {
            from,
            to,
            seconds: FILL_SECONDS,
            what: "Bell pairs filling the links".into(),
        });
    }
    for inj in &s.injections {
        let name = match inj.kind {
            InjectionKind::Rsi(k) => format!("RSI {k}"),
            InjectionKind::Teleport => "the teleportation".into(),
        };
        let link = inj.link.map_or(String::new(), |l| format!(" on ℓ{l}"));
        let (start, cx, end) = (
            f64::from(inj.start),
            f64::from(stall_end(inj)),
            f64::from(inj.end),
        );
        if cx > start {
            out.push(Window {
                from: start,
                to: start + (cx - start).min(2.0),
                seconds: STALL_SECONDS,
                what: format!("{name} waiting for Bell pairs"),
            });
        }
        out.push(Window {
            from: cx,
            to: end.max(cx + 1.0),
            seconds: INJECTION_SECONDS,
            what: name,
        });
        out.push(Window {
            from: cx,
            to: cx + 1.0,
            seconds: CONSUME_SECONDS,
            what: format!("Bell pairs consumed{link}"),
        });
    }
    for a in s.attempts.iter().filter(|a| a.restarted()) {
        let end = f64::from(a.end);
        out.push(Window {
            from: (end - 1.0).max(0.0),
            to: end + 1.0,
            seconds: RESTART_SECONDS,
            what: format!("restart of block {}", a.block),
        });
    }
    for (k, &t_k) in s.accepted.iter().enumerate() {
        let block = k as u32 + 1;
        if s.attempts_of(block).any(|a| a.abandoned) {
            let t = f64::from(t_k);
            out.push(Window {
                from: (t - 1.0).max(0.0),
                to: t + 1.0,
                seconds: RESTART_SECONDS,
                what: format!("block {block}: first accepted instance wins, the others stop"),
            });
        }
    }
    out.sort_by(|a, b| a.from.total_cmp(&b.from));
    out.truncate(MAX_WINDOWS);
    out
}

/// The playback's time scale for one run: τ ↔ wall seconds at 1×.
#[derive(Clone, Debug, PartialEq)]
pub struct TimeWarp {
    end: f64,
    base: f64,
    windows: Vec<Window>,
    /// Knots (τ, seconds), both strictly increasing from (0, 0) to (end, total).
    tau: Vec<f64>,
    secs: Vec<f64>,
}

impl TimeWarp {
    /// The warp of a distributed schedule on a time axis [0, end] (end ≥ its depth).
    pub fn of_schedule(s: &Schedule, end: f64) -> TimeWarp {
        TimeWarp::new(windows(s), end)
    }

    /// A time axis [0, `end`] with these event windows, at the base rate of the module rule.
    pub fn new(windows: Vec<Window>, end: f64) -> TimeWarp {
        let end = if end.is_finite() { end.max(1.0) } else { 1.0 };
        let base = (end / AXIS_SECONDS).max(MIN_BASE_RATE);
        let windows: Vec<Window> = windows
            .into_iter()
            .filter(|w| w.from.is_finite() && w.to.is_finite() && w.to > w.from)
            .filter(|w| w.seconds > 0.0 && w.rate() < base)
            .collect();
        let mut warp = TimeWarp {
            end,
            base,
            windows,
            tau: vec![0.0],
            secs: vec![0.0],
        };
        warp.integrate();
        warp
    }

    fn integrate(&mut self) {
        let mut bounds: Vec<f64> = self
            .windows
            .iter()
            .flat_map(|w| [w.from, w.to])
            .filter(|&b| b > 0.0 && b < self.end)
            .collect();
        bounds.sort_by(f64::total_cmp);
        let mut next_bound = 0;
        let (mut tau, mut s) = (0.0f64, 0.0f64);
        while tau < self.end {
            while next_bound < bounds.len() && bounds[next_bound] <= tau + 1e-9 {
                next_bound += 1;
            }
            let mut h = (self.rate_at(tau) * STEP_SECONDS).max(1e-6);
            if let Some(&b) = bounds.get(next_bound) {
                h = h.min(b - tau);
            }
            h = h.min(self.end - tau);
            // Midpoint rule: the rate is smooth between window boundaries.
            s += h / self.rate_at(tau + h / 2.0);
            tau = if self.end - (tau + h) < 1e-9 {
                self.end
            } else {
                tau + h
            };
            self.tau.push(tau);
            self.secs.push(s);
        }
    }

    /// Layers per second at τ at 1× (see the module documentation).
    pub fn rate_at(&self, tau: f64) -> f64 {
        self.windows
            .iter()
            .map(|w| w.rate() + RAMP * w.distance(tau))
            .fold(self.base, f64::min)
    }

    /// The base rate: layers per second at 1× away from every event.
    pub fn base_rate(&self) -> f64 {
        self.base
    }

    /// The event slowing the playback at τ (the window whose rate is the smallest there), if
    /// the rate is below the base rate.
    pub fn slowed_for(&self, tau: f64) -> Option<&Window> {
        let w = self.windows.iter().min_by(|a, b| {
            (a.rate() + RAMP * a.distance(tau)).total_cmp(&(b.rate() + RAMP * b.distance(tau)))
        })?;
        (w.rate() + RAMP * w.distance(tau) < self.base).then_some(w)
    }

    /// The event windows (sorted by start).
    pub fn windows(&self) -> &[Window] {
        &self.windows
    }

    /// Wall seconds (at 1×) the playback takes from τ = 0 to τ (clamped to the axis).
    pub fn seconds_at(&self, tau: f64) -> f64 {
        interpolate(&self.tau, &self.secs, tau)
    }

    /// τ reached after `seconds` of playback at 1× from τ = 0 (clamped to the axis).
    pub fn tau_at(&self, seconds: f64) -> f64 {
        interpolate(&self.secs, &self.tau, seconds)
    }

    /// Wall seconds of the whole axis at 1×.
    pub fn total_seconds(&self) -> f64 {
        self.secs.last().copied().unwrap_or(0.0)
    }

    /// End of the time axis (layers).
    pub fn end(&self) -> f64 {
        self.end
    }
}

/// Piecewise-linear map through the knots (xs[i], ys[i]), xs increasing; clamped at the ends.
fn interpolate(xs: &[f64], ys: &[f64], x: f64) -> f64 {
    let (Some(&x0), Some(&x1)) = (xs.first(), xs.last()) else {
        return 0.0;
    };
    if !x.is_finite() || x <= x0 {
        return ys[0];
    }
    if x >= x1 {
        return ys[ys.len() - 1];
    }
    let i = xs.partition_point(|&v| v <= x).clamp(1, xs.len() - 1);
    let (a, b) = (xs[i - 1], xs[i]);
    let f = if b > a { (x - a) / (b - a) } else { 0.0 };
    ys[i - 1] + f * (ys[i] - ys[i - 1])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::block::Instance;
    use crate::protocol::params::Params;
    use crate::sim::sampler::sample_run;

    fn paper_run(params: &Params, shot: u32) -> (Schedule, f64) {
        let inst = Instance::generate(params, 0);
        let run = sample_run(&inst, params, 0, shot).expect("accepted");
        let end = f64::from(
            run.distributed
                .0
                .depth
                .max(run.monolithic.0.depth)
                .max(run.direct.0.depth),
        );
        (run.distributed.0, end)
    }

    fn window(from: f64, to: f64, seconds: f64) -> Window {
        Window {
            from,
            to,
            seconds,
            what: "w".into(),
        }
    }

    #[test]
    fn without_events_the_axis_runs_at_the_base_rate() {
        let w = TimeWarp::new(Vec::new(), 1000.0);
        assert_eq!(w.base_rate(), 50.0);
        assert!((w.total_seconds() - AXIS_SECONDS).abs() < 1e-9);
        assert!((w.tau_at(5.0) - 250.0).abs() < 1e-9);
        assert!((w.seconds_at(500.0) - 10.0).abs() < 1e-9);
        // Short axes are not stretched below 5 layers per second.
        let short = TimeWarp::new(Vec::new(), 20.0);
        assert_eq!(short.base_rate(), MIN_BASE_RATE);
        assert!((short.total_seconds() - 4.0).abs() < 1e-9);
        assert_eq!(w.tau_at(-1.0), 0.0);
        assert_eq!(w.tau_at(1e9), 1000.0);
        assert_eq!(w.tau_at(f64::NAN), 0.0);
    }

    #[test]
    fn a_window_lasts_at_least_its_seconds_and_the_ramp_is_smooth() {
        let w = TimeWarp::new(vec![window(500.0, 504.0, 1.5)], 1000.0);
        let inside = w.seconds_at(504.0) - w.seconds_at(500.0);
        assert!((inside - 1.5).abs() < 1e-6, "{inside}");
        assert!((w.rate_at(502.0) - 4.0 / 1.5).abs() < 1e-9);
        assert_eq!(w.slowed_for(502.0).map(|x| x.what.as_str()), Some("w"));
        assert_eq!(w.slowed_for(100.0), None);
        assert_eq!(w.rate_at(100.0), w.base_rate());
        // The ramp: rate grows by RAMP per layer of distance, continuous at the edges.
        assert!((w.rate_at(490.0) - (4.0 / 1.5 + 10.0 * RAMP)).abs() < 1e-9);
        let mut prev = w.rate_at(400.0);
        let mut tau = 400.0;
        while tau < 500.0 {
            tau += 0.5;
            let r = w.rate_at(tau);
            assert!(r <= prev + 1e-9, "the rate falls towards the window");
            prev = r;
        }
        // The slow-down and speed-up take ln(base / rate) / RAMP seconds each side.
        let ramp = (w.base_rate() / (4.0 / 1.5)).ln() / RAMP;
        let total = w.total_seconds();
        let expect = (1000.0 - 4.0 - 2.0 * (50.0 - 4.0 / 1.5) / RAMP) / 50.0 + 1.5 + 2.0 * ramp;
        assert!((total - expect).abs() < 0.01, "{total} vs {expect}");
    }

    #[test]
    fn the_table_is_monotone_and_invertible() {
        let w = TimeWarp::new(
            vec![
                window(10.0, 14.0, 1.2),
                window(12.0, 13.0, 1.0),
                window(300.0, 380.0, 3.0),
            ],
            900.0,
        );
        let mut last = -1.0;
        for i in 0..=900 {
            let tau = f64::from(i);
            let s = w.seconds_at(tau);
            assert!(s > last || i == 0, "seconds increase with τ");
            last = s;
            assert!((w.tau_at(s) - tau).abs() < 1e-6, "τ = {tau}");
        }
        // Overlapping windows: the inner one (1 layer in ≥ 1 s) holds inside the outer.
        assert!(w.seconds_at(13.0) - w.seconds_at(12.0) >= 1.0 - 1e-6);
        assert!(w.seconds_at(14.0) - w.seconds_at(10.0) >= 1.2 - 1e-6);
        assert!(w.seconds_at(380.0) - w.seconds_at(300.0) >= 3.0 - 1e-6);
        // A window faster than the base rate changes nothing.
        let fast = TimeWarp::new(vec![window(0.0, 800.0, 1.0)], 900.0);
        assert!((fast.total_seconds() - AXIS_SECONDS).abs() < 1e-9);
        assert!(fast.windows().is_empty());
    }

    #[test]
    fn at_the_papers_point_every_rsi_consumption_and_the_teleport_stay_a_second() {
        let params = Params::default();
        assert_eq!((params.n, params.tau_e), (85, 1.0));
        let (d, end) = paper_run(&params, 0);
        let w = TimeWarp::of_schedule(&d, end);
        for inj in &d.injections {
            let cx = f64::from(stall_end(inj));
            let active = w.seconds_at(f64::from(inj.end)) - w.seconds_at(cx);
            assert!(
                active >= INJECTION_SECONDS - 1e-6,
                "{:?}: {active} s",
                inj.kind
            );
            let consume = w.seconds_at(cx + 1.0) - w.seconds_at(cx);
            assert!(
                consume >= CONSUME_SECONDS - 1e-6,
                "{:?}: {consume} s",
                inj.kind
            );
            assert!(w.slowed_for(cx + 0.5).is_some());
        }
        // The 85 pairs of each link fill in at least FILL_SECONDS.
        let l = &d.links[1];
        let fill = w.seconds_at(l.pair_ready[84]) - w.seconds_at(l.pair_started[0]);
        assert!(fill >= FILL_SECONDS - 1e-6, "links fill in {fill} s");
        // A long RSP&V stretch away from the events runs at the base rate …
        let rsi1 = f64::from(d.injections[0].start);
        assert!(rsi1 > 600.0);
        assert_eq!(w.rate_at(rsi1 / 2.0), w.base_rate());
        assert!(w.base_rate() >= 100.0, "{} layers/s", w.base_rate());
        // … and the whole run stays short enough to watch: under 40 s at 1×.
        let total = w.total_seconds();
        assert!(total > AXIS_SECONDS && total < 40.0, "{total} s");
    }

    #[test]
    fn stalls_and_restarts_get_windows() {
        // Slow links: RSI 1 waits; high p: restarts.
        let params = Params {
            n: 12,
            tau_e: 10.0,
            ..Params::default()
        };
        let (d, end) = paper_run(&params, 0);
        assert!(d.injections[0].stalled());
        let ws = windows(&d);
        let stall = ws
            .iter()
            .find(|x| x.what == "RSI 1 waiting for Bell pairs")
            .expect("a stall window");
        assert_eq!(stall.from, f64::from(d.injections[0].start));
        let w = TimeWarp::of_schedule(&d, end);
        let inj = &d.injections[0];
        let cx = f64::from(stall_end(inj));
        assert!(w.seconds_at(f64::from(inj.end)) - w.seconds_at(cx) >= INJECTION_SECONDS - 1e-6);
        let params = Params {
            n: 8,
            p: 0.01,
            ..Params::default()
        };
        let mut found = false;
        for shot in 0..40 {
            let (d, end) = paper_run(&params, shot);
            if let Some(a) = d.attempts.iter().find(|a| a.restarted()) {
                let w = TimeWarp::of_schedule(&d, end);
                let e = f64::from(a.end);
                let around = w.seconds_at(e + 1.0) - w.seconds_at((e - 1.0).max(0.0));
                // Unless the base rate is already slow enough (short runs).
                assert!(around >= RESTART_SECONDS.min(2.0 / w.base_rate()) - 1e-6);
                found = true;
                break;
            }
        }
        assert!(found, "a restart in 40 shots at p = 0.01");
    }
}
