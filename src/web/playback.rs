//! The animation clock: the time τ (layers) shown, play/pause, speed, step and scrub.
//!
//! Advanced from requestAnimationFrame timestamps; it never allocates. With a
//! [`TimeWarp`] (`view::warp`) the clock runs on the warp's event-aware scale: slower around
//! injections, consumptions, stalls and restarts, faster through long RSP&V stretches.

use crate::view::warp::TimeWarp;

/// Seconds the whole time axis takes at 1× speed.
pub const SECONDS_PER_AXIS: f64 = 20.0;

/// Playback state of the ring animation.
#[derive(Clone, Debug, PartialEq)]
pub struct Playback {
    /// τ in layers, in [0, end].
    pub time: f64,
    pub playing: bool,
    /// Speed multiplier (1 = the axis in [`SECONDS_PER_AXIS`]).
    pub speed: f64,
    /// End of the time axis: the largest depth of the three implementations.
    pub end: f64,
    last_ms: Option<f64>,
    /// The event-aware time scale; None: a constant rate.
    warp: Option<TimeWarp>,
}

impl Playback {
    pub fn new(end: f64) -> Self {
        Playback {
            time: 0.0,
            playing: false,
            speed: 1.0,
            end: end.max(1.0),
            last_ms: None,
            warp: None,
        }
    }

    /// A clock on the event-aware scale of `warp` (whose axis is this run's).
    pub fn with_warp(end: f64, warp: TimeWarp) -> Self {
        Playback {
            warp: Some(warp),
            ..Playback::new(end)
        }
    }

    /// The time scale, if event-aware.
    pub fn warp(&self) -> Option<&TimeWarp> {
        self.warp.as_ref()
    }

    /// Layers per second of wall time at the current speed.
    pub fn layers_per_second(&self) -> f64 {
        match &self.warp {
            Some(w) => w.rate_at(self.time) * self.speed,
            None => (self.end / SECONDS_PER_AXIS).max(5.0) * self.speed,
        }
    }

    /// Advances τ to the animation frame at `now_ms`; stops at the end. Returns true if τ moved.
    pub fn tick(&mut self, now_ms: f64) -> bool {
        if !self.playing {
            self.last_ms = None;
            return false;
        }
        let dt = match self.last_ms {
            Some(last) => ((now_ms - last) / 1000.0).clamp(0.0, 0.25),
            None => 0.0,
        };
        self.last_ms = Some(now_ms);
        let before = self.time;
        self.time = match &self.warp {
            Some(w) => w
                .tau_at(w.seconds_at(self.time) + dt * self.speed)
                .max(self.time),
            None => self.time + dt * self.layers_per_second(),
        }
        .min(self.end);
        if self.time >= self.end {
            self.playing = false;
            self.last_ms = None;
        }
        self.time != before
    }

    pub fn toggle(&mut self) {
        if !self.playing && self.time >= self.end {
            self.time = 0.0;
        }
        self.playing = !self.playing;
        self.last_ms = None;
    }

    /// Moves τ to `time` (clamped to the axis).
    pub fn seek(&mut self, time: f64) {
        self.time = if time.is_finite() {
            time.clamp(0.0, self.end)
        } else {
            0.0
        };
        self.last_ms = None;
    }

    /// Moves τ by `layers` (negative goes back).
    pub fn step(&mut self, layers: f64) {
        self.seek(self.time + layers);
    }
}
