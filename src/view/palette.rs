//! The one colour language of the page: every state of the protocol has one colour and one
//! pattern, used identically by the ring, the timeline lanes, the legend and the CSS.
//!
//! The state colours are the Okabe–Ito palette (Okabe & Ito, "Color Universal Design", 2008),
//! chosen to stay apart under the common colour-vision deficiencies, plus Paul Tol's wine for the
//! teleportation. They are the same in the light theme and in presentation mode (on black).
//! Where two states come close in grayscale or under deuteranopia, the pattern tells them apart:
//! a stall (waiting for Bell pairs) is hatched, a restart (a discarded RSP&V attempt) is crossed
//! out, a consumed Bell pair is hollow. The tests below check both with a colour-vision
//! simulation (Machado, Oliveira & Fernandes 2009) and CIELAB distances.
//!
//! The browser paints with these values and writes them as CSS custom properties
//! ([`css_variables`], `--state-<id>` and `--series-<name>`) at start-up, so the stylesheet
//! never repeats a colour.

/// A state the page draws.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum State {
    /// Resource-state preparation (RSP) of a block; an accepted attempt on the timeline.
    Rsp,
    /// Verification check j of r (RSV).
    Check,
    /// A verified resource waiting for the data.
    Verified,
    /// A resource-state injection (RSI k) moving the data.
    Rsi,
    /// The final teleportation Q_t → Q_0.
    Teleport,
    /// An injection waiting for Bell pairs.
    Stall,
    /// A discarded RSP&V attempt (a failed check) and the restart it causes.
    Restart,
    /// A QPU with nothing to do.
    Idle,
    /// The data register (a QPU holding it, the token travelling the ring, the output).
    Data,
    /// A Bell pair generated and stored on a link.
    PairStored,
    /// A Bell pair consumed by a remote CX.
    PairConsumed,
    /// The direct implementation running C.
    Direct,
    /// An RSP&V instance stopped at T_k because another instance of its block was accepted
    /// first (m > 1, protocol.md §15.4): greyed and crossed out like a discarded attempt.
    Abandoned,
    /// A Bell pair being generated (one per generator of a link, paper §V): drawn as a pie
    /// filling clockwise as its τ_e elapses.
    PairInFlight,
}

/// How a state is filled, so it is told apart without colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pattern {
    Solid,
    /// Diagonal stripes (stalls).
    Hatch,
    /// Crossed out (restarts, discarded attempts).
    Cross,
    /// Outline only (consumed pairs, idle QPUs).
    Hollow,
}

impl State {
    /// Every state, in legend order.
    pub const ALL: [State; 14] = [
        State::Rsp,
        State::Check,
        State::Verified,
        State::Rsi,
        State::Teleport,
        State::Stall,
        State::Restart,
        State::Abandoned,
        State::Idle,
        State::Data,
        State::PairInFlight,
        State::PairStored,
        State::PairConsumed,
        State::Direct,
    ];

    /// Identifier: CSS (`--state-<id>`), `data-state` of the legend items, test hooks.
    pub fn id(self) -> &'static str {
        match self {
            State::Rsp => "rsp",
            State::Check => "check",
            State::Verified => "verified",
            State::Rsi => "rsi",
            State::Teleport => "teleport",
            State::Stall => "stall",
            State::Restart => "restart",
            State::Idle => "idle",
            State::Data => "data",
            State::PairStored => "pair-stored",
            State::PairConsumed => "pair-consumed",
            State::Direct => "direct",
            State::Abandoned => "abandoned",
            State::PairInFlight => "pair-in-flight",
        }
    }

    /// The legend's words.
    pub fn label(self) -> &'static str {
        match self {
            State::Rsp => "RSP (preparing a resource)",
            State::Check => "check j/r (verifying)",
            State::Verified => "verified, waiting",
            State::Rsi => "RSI (injecting)",
            State::Teleport => "teleport to Q0",
            State::Stall => "waiting for Bell pairs (stall)",
            State::Restart => "restart (attempt discarded)",
            State::Idle => "idle",
            State::Data => "data register",
            State::PairStored => "Bell pair stored",
            State::PairConsumed => "Bell pair consumed",
            State::Direct => "direct C",
            State::Abandoned => "instance abandoned (another accepted first)",
            State::PairInFlight => "Bell pair being generated",
        }
    }

    /// The fill colour (`#rrggbb`, the same in both themes). Bell pairs are drawn in the
    /// theme's ink ([`Theme::ink`]) and told apart by [`State::pattern`]: filled or hollow.
    pub fn colour(self) -> &'static str {
        match self {
            State::Rsp => "#0072b2",
            State::Check => "#56b4e9",
            State::Verified => "#009e73",
            State::Rsi => "#e69f00",
            State::Teleport => "#882255",
            State::Stall => "#d55e00",
            State::Restart => "#cc79a7",
            State::Idle => "#bbbbbb",
            State::Data => "#f0e442",
            State::PairStored | State::PairConsumed | State::PairInFlight => "#1d2430",
            State::Direct => "#8c8c8c",
            State::Abandoned => "#6f6f6f",
        }
    }

    /// The colour in `theme` (Bell pairs take the theme's ink).
    pub fn colour_in(self, theme: &Theme) -> &'static str {
        match self {
            State::PairStored | State::PairConsumed | State::PairInFlight => theme.ink,
            other => other.colour(),
        }
    }

    pub fn pattern(self) -> Pattern {
        match self {
            State::Stall => Pattern::Hatch,
            State::Restart | State::Abandoned => Pattern::Cross,
            State::PairConsumed | State::Idle => Pattern::Hollow,
            _ => Pattern::Solid,
        }
    }
}

/// The colours that are not states: background, text, guides. Two themes: the page's light
/// theme and presentation mode (high contrast on black).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Theme {
    pub name: &'static str,
    pub background: &'static str,
    pub text: &'static str,
    pub muted: &'static str,
    /// Strokes of Bell pairs, outlines of light fills.
    pub ink: &'static str,
    pub guide: &'static str,
    pub lane_band: &'static str,
    pub box_bg: &'static str,
    pub link: &'static str,
    /// A slot for a Bell pair not generated yet.
    pub pair_empty: &'static str,
    pub playhead: &'static str,
    /// Outline of the hovered or keyboard-selected QPU, link or lane.
    pub focus: &'static str,
}

/// The page's light theme.
pub const LIGHT: Theme = Theme {
    name: "light",
    background: "#ffffff",
    text: "#1d2430",
    muted: "#4f5866",
    ink: "#1d2430",
    guide: "#dde2ea",
    lane_band: "#f4f6f9",
    box_bg: "#f7f9fc",
    link: "#8591a5",
    pair_empty: "#dde2ea",
    playhead: "#111111",
    focus: "#111111",
};

/// Presentation mode: high contrast on black, for projectors.
pub const DARK: Theme = Theme {
    name: "dark",
    background: "#000000",
    text: "#ffffff",
    muted: "#d0d0d0",
    ink: "#ffffff",
    guide: "#3a3a3a",
    lane_band: "#141414",
    box_bg: "#111111",
    link: "#bdbdbd",
    pair_empty: "#3a3a3a",
    playhead: "#ffffff",
    focus: "#ffffff",
};

/// The three implementations in the plots and the ring's numbers: (name, colour). Each series
/// also has its own marker and dash, so the plots read in grayscale.
pub const SERIES: [(&str, &str); 3] = [
    ("direct", "#5b6472"),
    ("monolithic", "#e69f00"),
    ("distributed", "#0072b2"),
];

/// `#rrggbb` as (r, g, b); black for anything else.
pub fn rgb(hex: &str) -> (u8, u8, u8) {
    let h = hex.trim_start_matches('#');
    let byte = |i: usize| {
        h.get(i..i + 2)
            .and_then(|s| u8::from_str_radix(s, 16).ok())
            .unwrap_or(0)
    };
    if h.len() == 6 {
        (byte(0), byte(2), byte(4))
    } else {
        (0, 0, 0)
    }
}

fn linear(c: u8) -> f64 {
    let c = f64::from(c) / 255.0;
    if c <= 0.04045 {
        c / 12.92
    } else {
        ((c + 0.055) / 1.055).powf(2.4)
    }
}

/// WCAG relative luminance of `#rrggbb`, in [0, 1].
pub fn luminance(hex: &str) -> f64 {
    let (r, g, b) = rgb(hex);
    0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
}

/// WCAG contrast ratio of two colours, in [1, 21].
pub fn contrast(a: &str, b: &str) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// Text colour for a label on a `fill`: black or white, whichever contrasts more.
pub fn text_on(fill: &str) -> &'static str {
    if contrast(fill, "#000000") >= contrast(fill, "#ffffff") {
        "#000000"
    } else {
        "#ffffff"
    }
}

/// The CSS custom properties of the palette in `theme`: `--state-<id>: #…;` for every state,
/// `--series-<name>: #…;` for every series, `--text-on-<id>` for labels on state fills.
pub fn css_variables(theme: &Theme) -> String {
    let mut out = String::new();
    for s in State::ALL {
        let c = s.colour_in(theme);
        out.push_str(&format!(
            "--state-{id}: {c}; --text-on-{id}: {t}; ",
            id = s.id(),
            t = text_on(c)
        ));
    }
    for (name, c) in SERIES {
        out.push_str(&format!("--series-{name}: {c}; "));
    }
    out.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Machado, Oliveira & Fernandes (2009), severity 1, on linear RGB.
    const DEUTERANOPIA: [[f64; 3]; 3] = [
        [0.367322, 0.860646, -0.227968],
        [0.280085, 0.672501, 0.047413],
        [-0.011820, 0.042940, 0.968881],
    ];
    const PROTANOPIA: [[f64; 3]; 3] = [
        [0.152286, 1.052583, -0.204868],
        [0.114503, 0.786281, 0.099216],
        [-0.003882, -0.048116, 1.051998],
    ];

    fn lab(l: [f64; 3]) -> [f64; 3] {
        let x = 0.4124 * l[0] + 0.3576 * l[1] + 0.1805 * l[2];
        let y = 0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2];
        let z = 0.0193 * l[0] + 0.1192 * l[1] + 0.9505 * l[2];
        let f = |t: f64| {
            if t > 0.008856 {
                t.cbrt()
            } else {
                7.787 * t + 16.0 / 116.0
            }
        };
        let (fx, fy, fz) = (f(x / 0.95047), f(y), f(z / 1.08883));
        [116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz)]
    }

    fn seen(hex: &str, m: Option<&[[f64; 3]; 3]>) -> [f64; 3] {
        let (r, g, b) = rgb(hex);
        let l = [linear(r), linear(g), linear(b)];
        let l = match m {
            Some(m) => {
                let row =
                    |i: usize| (m[i][0] * l[0] + m[i][1] * l[1] + m[i][2] * l[2]).clamp(0.0, 1.0);
                [row(0), row(1), row(2)]
            }
            None => l,
        };
        lab(l)
    }

    fn delta(a: [f64; 3], b: [f64; 3]) -> f64 {
        ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2) + (a[2] - b[2]).powi(2)).sqrt()
    }

    /// States drawn side by side on the ring or in one timeline lane (the direct lane and the
    /// Bell pairs, in ink, are apart from the rest).
    fn drawn_together() -> Vec<State> {
        State::ALL
            .into_iter()
            .filter(|s| {
                !matches!(
                    s,
                    State::Direct | State::PairStored | State::PairConsumed | State::PairInFlight
                )
            })
            .collect()
    }

    #[test]
    fn restart_and_stall_differ_in_colour_and_pattern() {
        assert_ne!(State::Restart.colour(), State::Stall.colour());
        assert_ne!(State::Restart.pattern(), State::Stall.pattern());
        for m in [None, Some(&DEUTERANOPIA), Some(&PROTANOPIA)] {
            let d = delta(
                seen(State::Restart.colour(), m),
                seen(State::Stall.colour(), m),
            );
            assert!(d > 50.0, "restart vs stall ΔE = {d:.0}");
        }
    }

    #[test]
    fn states_drawn_together_stay_apart_in_colour_vision_deficiencies() {
        // ΔE76 > 15 in normal vision and deuteranopia/protanopia; or, failing that, a
        // different pattern. Grayscale (lightness only) is checked with the patterns.
        let states = drawn_together();
        for (i, &a) in states.iter().enumerate() {
            for &b in &states[i + 1..] {
                assert_ne!(a.colour(), b.colour(), "{a:?} {b:?}");
                for (name, m) in [
                    ("normal", None),
                    ("deuteranopia", Some(&DEUTERANOPIA)),
                    ("protanopia", Some(&PROTANOPIA)),
                ] {
                    let d = delta(seen(a.colour(), m), seen(b.colour(), m));
                    assert!(
                        d > 15.0 || a.pattern() != b.pattern(),
                        "{a:?} vs {b:?} in {name}: ΔE = {d:.1}"
                    );
                }
            }
        }
    }

    #[test]
    fn patterns_separate_what_grayscale_merges() {
        // In grayscale only lightness is left: states closer than 8 L* units need a pattern
        // (or are never side by side: the checks of an attempt and an injection are labelled
        // on the ring and share no timeline lane).
        let labelled_apart = [(State::Check, State::Rsi)];
        let states = drawn_together();
        for (i, &a) in states.iter().enumerate() {
            for &b in &states[i + 1..] {
                let dl = (seen(a.colour(), None)[0] - seen(b.colour(), None)[0]).abs();
                let apart = labelled_apart.contains(&(a, b)) || labelled_apart.contains(&(b, a));
                assert!(
                    dl > 8.0 || a.pattern() != b.pattern() || apart,
                    "{a:?} vs {b:?}: ΔL = {dl:.1} and the same pattern"
                );
            }
        }
        assert_eq!(State::PairStored.pattern(), Pattern::Solid);
        assert_eq!(State::PairConsumed.pattern(), Pattern::Hollow);
    }

    #[test]
    fn abandoned_instances_read_as_discarded_but_not_as_restarts() {
        // Crossed out like a restart (the resource is discarded), grey instead of purple, and
        // apart from the restart even in grayscale (same pattern, so lightness must differ).
        assert_eq!(State::Abandoned.pattern(), State::Restart.pattern());
        for m in [None, Some(&DEUTERANOPIA), Some(&PROTANOPIA)] {
            let d = delta(
                seen(State::Abandoned.colour(), m),
                seen(State::Restart.colour(), m),
            );
            assert!(d > 15.0, "abandoned vs restart ΔE = {d:.0}");
        }
        let dl = (seen(State::Abandoned.colour(), None)[0]
            - seen(State::Restart.colour(), None)[0])
            .abs();
        assert!(dl > 8.0, "ΔL = {dl:.1}");
        // A pair in flight is ink, like the stored and consumed pairs, in both themes.
        assert_eq!(State::PairInFlight.colour_in(&DARK), DARK.ink);
        assert_eq!(State::PairInFlight.colour_in(&LIGHT), LIGHT.ink);
        assert!(css_variables(&LIGHT).contains("--state-abandoned: #6f6f6f;"));
    }

    #[test]
    fn labels_on_fills_are_readable() {
        for s in State::ALL {
            for theme in [&LIGHT, &DARK] {
                let c = s.colour_in(theme);
                assert!(contrast(c, text_on(c)) >= 4.5, "{s:?} label contrast");
            }
        }
        assert_eq!(text_on("#f0e442"), "#000000");
        assert_eq!(text_on("#0072b2"), "#ffffff");
        assert!((contrast("#000000", "#ffffff") - 21.0).abs() < 1e-9);
        assert!(contrast(LIGHT.text, LIGHT.background) >= 7.0);
        assert!(contrast(LIGHT.muted, LIGHT.background) >= 4.5);
        assert!(contrast(DARK.muted, DARK.background) >= 7.0);
    }

    #[test]
    fn css_variables_list_every_state_and_series() {
        let css = css_variables(&LIGHT);
        for s in State::ALL {
            assert!(
                css.contains(&format!("--state-{}: {};", s.id(), s.colour_in(&LIGHT))),
                "{css}"
            );
        }
        assert!(css.contains("--state-restart: #cc79a7;"));
        assert!(css.contains("--series-distributed: #0072b2;"));
        assert!(css_variables(&DARK).contains("--state-pair-stored: #ffffff;"));
        let ids: std::collections::HashSet<&str> = State::ALL.iter().map(|s| s.id()).collect();
        assert_eq!(ids.len(), State::ALL.len());
        assert_eq!(rgb("#0072b2"), (0, 0x72, 0xb2));
        assert_eq!(rgb("nonsense"), (0, 0, 0));
    }
}
