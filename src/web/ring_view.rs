//! The ring of QPUs, animated from one sampled run (issue 6).
//!
//! [`mount`] builds the ring panel (ring canvas, playback toolbar, timeline lanes, the run's
//! numbers, hover explanations, "How it works"), samples one run with
//! `sim::sampler::sample_run` for the Store's parameters, and animates its distributed
//! Schedule with requestAnimationFrame. Everything shown is read from the Schedule through
//! `view::frame`; nothing here models time.
//!
//! The shown run and the playhead live in the URL hash (`shot=`, `time=`; see `state` for the
//! history policy): a shared link reopens the same frame, Back/Forward and a hand-edited hash
//! move the ring. Colours and patterns come from `view::palette` through `palette`, the same
//! painter as the timeline and the legend.
//!
//! Keyboard: the ring and the timeline canvases take focus; there (or with nothing focused)
//! space plays/pauses, ←/→ step one layer (Shift: 2 % of the axis), Home/End jump to the ends;
//! on the focused ring or timeline, ↑/↓ also select each QPU, link and lane in turn and show its
//! explanation in `#ring-explain` (a polite live region), and Escape clears the selection. Keys
//! pressed in any other control belong to that control.
//!
//! State for tests is exposed as data attributes on `canvas#ring` (never pixels): data-time,
//! data-playing, data-depth-{direct,monolithic,distributed}, data-stalled-links,
//! data-ever-stalled, data-restarts, data-qpu-stages, data-shot, data-rsi-starts,
//! data-max-time, data-frame-ms-{median,max} (draw time), data-raf-ms-{median,max},
//! data-selected (the item chosen by keyboard or pointer), data-colour-<state> (the colour the
//! ring paints each state with), data-event-times (JSON: the landing τ of every injection,
//! teleport, stall and restart), data-rate (layers per second of the playback at τ),
//! data-warp-seconds (the run at 1×), data-text-boxes (JSON: every label's box, kind, owner
//! and font px, from `view::layout`), data-layout-complete, data-label-px,
//! data-samples-taken / data-sample-ms-max (runs sampled for parameter changes).
//!
//! Events: the "Next injection / teleport / stall / restart" buttons and the I/T/S/R keys
//! (Shift: previous) jump to `view::frame::event_times`; playback runs on `view::warp`'s
//! event-aware scale. Parameter changes are only recorded by the Store's subscriber and sampled
//! once per animation frame (a dragged slider costs one run per frame, not one per event).

use std::cell::{Cell, RefCell};
use std::f64::consts::{FRAC_PI_2, TAU};
use std::fmt::Write as _;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{
    CanvasRenderingContext2d, Document, Element, HtmlButtonElement, HtmlCanvasElement,
    HtmlInputElement, HtmlSelectElement, KeyboardEvent, PointerEvent, Window,
};

use super::dom::{announce, context_2d, device_pixel_ratio, el, el_as};
use super::palette::{self, State, Theme, DARK, LIGHT};
use super::playback::Playback;
use super::shell::Shell;
use super::state::{Change, History, Snapshot, Store};
use super::timeline;
use crate::protocol::block::Instance;
use crate::protocol::params::Params;
use crate::protocol::schedule::{Implementation, InjectionKind, Schedule};
use crate::sim::sampler::PreparedInstance;
use crate::sim::{SampledRun, SimError};
use crate::view::frame::{
    self, EventKind, Frame, InstanceStage, Lane, SegmentKind, Stage, Summary,
};
use crate::view::layout::{self, RingLayout, RingSpec};
use crate::view::share;
use crate::view::warp::TimeWarp;

/// CSS size of a legend swatch.
const SWATCH_PX: f64 = 14.0;
/// What `#ring-explain` says before anything is chosen.
/// The hint when the ring has too many QPUs to label at this size (t = 32, 64).
const CROWDED_HINT: &str = "Too many QPUs to label at this size: hover over or tap a disc or a link, or focus the ring and press ↑/↓, to name each one and see what it is doing.";
const EXPLAIN_HINT: &str = "Hover over or tap a QPU, a link or a lane, or focus the ring and press ↑/↓, to see what it is doing and why.";
/// While playing, the playhead is written to the hash at most this often (ms).
const HASH_EVERY_MS: f64 = 1000.0;
/// While paused (stepping, scrubbing), at most this often: browsers throttle bursts of
/// `history.replaceState`; the last position is always written.
const HASH_PAUSED_MS: f64 = 250.0;
/// While playing, the explanation (a live region) is rewritten at most this often (ms).
const EXPLAIN_EVERY_MS: f64 = 1000.0;

/// Font scale in presentation mode.
const PRESENT_SCALE: f64 = 1.45;
/// Seconds of wall time a restart flashes for.
const FLASH_SECONDS: f64 = 0.7;
/// Frame-time samples kept for the median / max.
const SAMPLES: usize = 128;

/// One sampled run and what is derived from it once.
struct Run {
    params: Params,
    shot: u32,
    sampled: SampledRun,
    lanes: Vec<Lane>,
    summary: Summary,
    end: f64,
    sample_ms: f64,
    /// The playback's event-aware time scale (`view::warp`).
    warp: TimeWarp,
}

impl Run {
    fn dist(&self) -> &Schedule {
        &self.sampled.distributed.0
    }
}

/// Samples shot `shot` of circuit 0; fails only when a block is never accepted (p too high).
fn sample(
    inst: &mut PreparedInstance,
    params: &Params,
    shot: u32,
    now: impl Fn() -> f64,
) -> Result<Run, SimError> {
    let t0 = now();
    let sampled = inst.sample_run(params, 0, shot)?;
    let sample_ms = now() - t0;
    let (d, m, x) = (
        &sampled.distributed.0,
        &sampled.monolithic.0,
        &sampled.direct.0,
    );
    let lanes = frame::lanes(d, m, x);
    let summary = frame::summary(d, m, x);
    let end = f64::from(d.depth.max(m.depth).max(x.depth).max(1));
    let warp = TimeWarp::of_schedule(d, end);
    Ok(Run {
        params: *params,
        shot,
        sampled,
        lanes,
        summary,
        end,
        sample_ms,
        warp,
    })
}

/// What the pointer is over.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Hover {
    Qpu(usize),
    Link(usize),
    /// A lane at the time under the pointer.
    Lane(usize, f64),
    /// A lane chosen by keyboard: explained at the playhead.
    LaneNow(usize),
}

impl Hover {
    /// `data-selected` value: `qpu-1`, `link-0`, `lane-4`.
    fn code(self) -> String {
        match self {
            Hover::Qpu(q) => format!("qpu-{q}"),
            Hover::Link(l) => format!("link-{l}"),
            Hover::Lane(i, _) | Hover::LaneNow(i) => format!("lane-{i}"),
        }
    }
}

/// Stage → the state whose colour and pattern the ring paints it with.
fn stage_state(stage: Stage) -> State {
    match stage {
        Stage::Rsp => State::Rsp,
        Stage::Check { .. } => State::Check,
        Stage::Verified => State::Verified,
        Stage::Injecting { stalled: true, .. } => State::Stall,
        Stage::Injecting {
            which: InjectionKind::Teleport,
            ..
        } => State::Teleport,
        Stage::Injecting { .. } => State::Rsi,
        Stage::HoldingData | Stage::Done => State::Data,
        Stage::Idle => State::Idle,
    }
}

struct Elements {
    window: Window,
    ring: HtmlCanvasElement,
    timeline: HtmlCanvasElement,
    cache: HtmlCanvasElement,
    play: HtmlButtonElement,
    present: HtmlButtonElement,
    scrub: HtmlInputElement,
    speed: HtmlSelectElement,
    info: Element,
    /// One line under the numbers: τ, what slows the playback, monolithic and direct at τ.
    clock: Element,
    explain: Element,
    /// The legend's swatches, repainted when the theme changes.
    swatches: Vec<(State, HtmlCanvasElement)>,
}

struct Viz {
    el: Elements,
    store: Rc<Store>,
    /// Circuit 0 with its signature tables (kept while only p, τ_e or the statistics change).
    inst: PreparedInstance,
    run: Run,
    pb: Playback,
    hover: Option<Hover>,
    /// Presentation mode is on (`presentation::is_active`, followed every frame): dark palette,
    /// larger canvas text.
    presentation: bool,
    /// Parameters and shot to show, applied once per animation frame (input events only
    /// record them: dragging a slider re-samples at most once a frame).
    pending: Option<(Params, u32, Option<f64>)>,
    clock_text: String,
    /// Runs sampled for parameter changes, and the longest of them (ms), for tests.
    samples_taken: u32,
    sample_ms_max: f64,
    dirty: bool,
    static_dirty: bool,
    /// Ring CSS size, timeline CSS width and dpr last drawn at.
    size: (f64, f64, f64, f64),
    /// The canvases' CSS boxes may have changed (set by a `ResizeObserver`): the frame reads
    /// them again. Reading `clientWidth` every frame forced a page layout in each frame that
    /// followed an input event (issue 13 item 9).
    resized: Rc<Cell<bool>>,
    /// The shape, CSS size and dpr the ring was last laid out for.
    laid_for: Option<(RingSpec, f64, f64, f64)>,
    lay: RingLayout,
    tl_geom: timeline::Geometry,
    draw_ms: [f64; SAMPLES],
    raf_ms: [f64; SAMPLES],
    draw_count: usize,
    raf_count: usize,
    last_raf: Option<f64>,
    explain_text: String,
    /// What the explanation shows and when it was last rewritten (it is a live region: while
    /// playing it is refreshed about once a second, not every frame).
    explain_for: Option<Hover>,
    explain_ms: f64,
    /// When the playhead was last written to the hash, and whether it may have moved since.
    hash_ms: f64,
    hash_pending: bool,
    scratch: String,
}

fn now_ms(window: &Window) -> f64 {
    window.performance().map_or(0.0, |p| p.now())
}

fn button(
    document: &Document,
    id: &str,
    text: &str,
    title: &str,
) -> Result<HtmlButtonElement, JsValue> {
    el(
        document,
        "button",
        &[("id", id), ("type", "button"), ("title", title)],
        Some(text),
    )?
    .dyn_into::<HtmlButtonElement>()
    .map_err(|_| "not a button".into())
}

const HOW_IT_WORKS: &[&str] = &[
    "CliNR implements a Clifford circuit C with less noise: C is split into t subcircuits C_1…C_t. For each, a resource state (the Choi state of C_k) is prepared (RSP) and verified by r random stabilizer checks (RSV); a failing check discards it and RSP restarts. A verified resource is then injected into the data (RSI): a CX from each data qubit into the resource, measurements and a Pauli correction.",
    "Monolithic CliNR does all of this on one QPU, block after block. Distributed CliNR uses a ring of t+1 QPUs: Q_k prepares and verifies block k in parallel with the others, while each ring link stores Bell pairs, one every τ_e layers. RSI k moves the data from Q_(k−1) to Q_k with remote CX gates, each consuming one stored Bell pair; if the n pairs are not there yet, RSI waits (a stall). A final teleportation brings the output back to Q_0.",
    "The animation plays one sampled run (seeded: \"new sample\" draws the next shot). The lanes below the ring show the same run on one time axis in layers: one lane per QPU of the distributed run, then monolithic and direct CliNR, so the depths can be compared. Keys: space plays/pauses, ←/→ step one layer (with Shift: 2% of the axis).",
];

/// Builds the ring panel inside the shell, samples the first run, and starts the animation.
pub fn mount(shell: &Shell, store: Rc<Store>) -> Result<(), JsValue> {
    let window = web_sys::window().ok_or("no window")?;
    let document = window.document().ok_or("no document")?;
    let ring = shell.ring.clone();
    let panel = ring.parent_element().ok_or("ring canvas has no parent")?;

    let info = el(
        &document,
        "div",
        &[("id", "ring-info"), ("class", "ring-info")],
        None,
    )?;
    panel.insert_before(&info, Some(&ring))?;
    let clock = el(
        &document,
        "p",
        &[("id", "ring-clock"), ("class", "ring-clock")],
        None,
    )?;
    panel.insert_before(&clock, Some(&ring))?;

    let toolbar = el(
        &document,
        "div",
        &[("class", "ring-toolbar"), ("role", "toolbar")],
        None,
    )?;
    let play = button(&document, "ring-play", "▶ Play", "Play / pause (space)")?;
    let back = button(&document, "ring-step-back", "◀ Step", "One layer back (←)")?;
    let step = button(&document, "ring-step", "Step ▶", "One layer forward (→)")?;
    let speed = el(
        &document,
        "select",
        &[
            ("id", "ring-speed"),
            ("title", "Playback speed"),
            ("aria-label", "Playback speed"),
        ],
        None,
    )?
    .dyn_into::<HtmlSelectElement>()
    .map_err(|_| "not a select")?;
    for (v, label) in [
        ("0.25", "¼×"),
        ("0.5", "½×"),
        ("1", "1×"),
        ("2", "2×"),
        ("4", "4×"),
        ("8", "8×"),
    ] {
        let o = el(&document, "option", &[("value", v)], Some(label))?;
        if v == "1" {
            o.set_attribute("selected", "")?;
        }
        speed.append_child(&o)?;
    }
    let scrub = el(
        &document,
        "input",
        &[
            ("id", "ring-scrub"),
            ("type", "range"),
            ("min", "0"),
            ("max", "1"),
            ("step", "any"),
            ("value", "0"),
            ("aria-label", "Time (layers)"),
        ],
        None,
    )?
    .dyn_into::<HtmlInputElement>()
    .map_err(|_| "not an input")?;
    let mut next_buttons = Vec::new();
    for kind in EventKind::ALL {
        let (key, what) = event_key(kind);
        let b = button(
            &document,
            &format!("ring-next-{}", kind.id()),
            &format!("Next {}", kind.label()),
            &format!("Jump to the next {what} ({key}; Shift+{key}: the previous one)"),
        )?;
        b.set_attribute("aria-keyshortcuts", &key.to_uppercase())?;
        next_buttons.push((kind, b));
    }
    let new_sample = button(
        &document,
        "ring-new-sample",
        "New sample",
        "Sample another run (next shot)",
    )?;
    let present = button(
        &document,
        "ring-present",
        "Presentation",
        "Large type, high contrast, full screen",
    )?;
    for b in [&play, &back, &step] {
        toolbar.append_child(b)?;
    }
    toolbar.append_child(&speed)?;
    toolbar.append_child(&scrub)?;
    for (_, b) in &next_buttons {
        toolbar.append_child(b)?;
    }
    for b in [&new_sample, &present] {
        toolbar.append_child(b)?;
    }
    let tl = el_as::<HtmlCanvasElement>(
        &document,
        "canvas",
        &[
            ("id", "timeline"),
            ("tabindex", "0"),
            ("role", "application"),
            (
                "aria-label",
                "Timeline lanes of the same run: one per distributed QPU, then monolithic and direct. Space plays or pauses, left and right arrows step, up and down arrows explain each lane.",
            ),
            ("aria-describedby", "ring-explain"),
        ],
        None,
    )?;
    for (name, value) in [
        ("tabindex", "0"),
        ("role", "application"),
        (
            "aria-label",
            "Ring of QPUs. Space plays or pauses, left and right arrows step one layer, Home and End jump to the ends, I, T, S and R jump to the next injection, teleport, stall and restart (with Shift: the previous one), up and down arrows explain each QPU, link and lane.",
        ),
        ("aria-describedby", "ring-explain"),
    ] {
        ring.set_attribute(name, value)?;
    }
    let legend = el(
        &document,
        "ul",
        &[("class", "ring-legend"), ("aria-label", "Legend")],
        None,
    )?;
    let mut swatches = Vec::new();
    for state in State::ALL {
        let item = el(
            &document,
            "li",
            &[
                ("class", "legend-item"),
                ("data-state", state.id()),
                ("data-colour", state.colour_in(&LIGHT)),
            ],
            None,
        )?;
        let swatch = el_as::<HtmlCanvasElement>(
            &document,
            "canvas",
            &[("class", "swatch"), ("aria-hidden", "true")],
            None,
        )?;
        palette::paint_swatch(&swatch, state, &LIGHT, SWATCH_PX, device_pixel_ratio())?;
        item.append_child(&swatch)?;
        item.append_child(&*el(&document, "span", &[], Some(state.label()))?)?;
        legend.append_child(&item)?;
        swatches.push((state, swatch));
    }
    let explain = el(
        &document,
        "p",
        &[
            ("id", "ring-explain"),
            ("class", "ring-explain"),
            ("aria-live", "polite"),
            ("aria-atomic", "true"),
            // Focusable: in presentation mode it scrolls, and a scrolling region must be
            // reachable by keyboard (axe `scrollable-region-focusable`).
            ("tabindex", "0"),
        ],
        Some(EXPLAIN_HINT),
    )?;
    let how = el(&document, "details", &[("class", "how-it-works")], None)?;
    let summary = el(&document, "summary", &[], Some("How it works"))?;
    how.append_child(&summary)?;
    for p in HOW_IT_WORKS {
        let para = el(&document, "p", &[], Some(p))?;
        how.append_child(&para)?;
    }
    let after_ring = ring.next_sibling();
    for node in [&toolbar, tl.as_ref(), &legend, &explain, &how] {
        panel.insert_before(node, after_ring.as_ref())?;
    }

    let start = store.snapshot();
    let mut params = start.params;
    let mut inst = PreparedInstance::new(Instance::generate(&params, 0), &params);
    let w = window.clone();
    let run = match sample(&mut inst, &params, start.shot(), move || now_ms(&w)) {
        Ok(run) => run,
        Err(e) => {
            // The link's parameters cannot be animated: start from the paper's point instead.
            web_sys::console::error_1(&format!("ring view: {e}; showing the defaults").into());
            ring.set_attribute("data-error", &e.to_string())?;
            params = Params::default();
            inst = PreparedInstance::new(Instance::generate(&params, 0), &params);
            let w = window.clone();
            sample(&mut inst, &params, 0, move || now_ms(&w)).map_err(|e| e.to_string())?
        }
    };
    let cache = timeline::cache_canvas(&document)?;
    let mut pb = Playback::with_warp(run.end, run.warp.clone());
    pb.seek(start.time().unwrap_or(0.0));
    let viz = Rc::new(RefCell::new(Viz {
        el: Elements {
            window: window.clone(),
            ring,
            timeline: tl,
            cache,
            play,
            present,
            scrub,
            speed,
            info,
            clock,
            explain,
            swatches,
        },
        store: store.clone(),
        inst,
        run,
        pb,
        hover: None,
        presentation: false,
        pending: None,
        clock_text: String::new(),
        samples_taken: 0,
        sample_ms_max: 0.0,
        dirty: true,
        static_dirty: true,
        size: (0.0, 0.0, 0.0, 0.0),
        resized: Rc::new(Cell::new(true)),
        laid_for: None,
        lay: layout::ring(&RingSpec::of(&Params::default(), false), 1.0, 1.0),
        tl_geom: timeline::Geometry::new(1.0, 1, 1.0, 1.0),
        draw_ms: [0.0; SAMPLES],
        raf_ms: [0.0; SAMPLES],
        draw_count: 0,
        raf_count: 0,
        last_raf: None,
        explain_text: String::new(),
        explain_for: None,
        explain_ms: 0.0,
        hash_ms: 0.0,
        hash_pending: false,
        scratch: String::new(),
    }));
    viz.borrow_mut().new_run_dom()?;

    {
        let viz = viz.clone();
        // The ring's own writes (shot, playhead) come back while it is borrowed: skipped.
        store.subscribe(move |s, change| {
            if let Ok(mut v) = viz.try_borrow_mut() {
                v.follow(s, change);
            }
        });
    }
    for (kind, b) in &next_buttons {
        let kind = *kind;
        on(b, "click", &viz, move |v| v.jump(kind, true))?;
    }
    on(&new_sample, "click", &viz, |v| {
        let shot = v.run.shot.wrapping_add(1);
        if v.resample(shot) {
            // A new run is a new history entry: Back returns to the previous one.
            let value = (shot != 0).then(|| shot.to_string());
            v.store.set_view("shot", value, History::Push);
            v.hash_ms = 0.0;
            announce(&v.run_sentence());
        }
    })?;
    on(&back, "click", &viz, |v| v.pb.step(-1.0))?;
    on(&step, "click", &viz, |v| v.pb.step(1.0))?;
    let play_btn = viz.borrow().el.play.clone();
    on(&play_btn, "click", &viz, Viz::toggle_play)?;
    let present_btn = viz.borrow().el.present.clone();
    on(&present_btn, "click", &viz, Viz::toggle_presentation)?;
    {
        let v2 = viz.clone();
        let cb = Closure::<dyn FnMut()>::new(move || {
            let mut v = v2.borrow_mut();
            let value = v.el.speed.value().parse::<f64>().unwrap_or(1.0);
            v.pb.speed = value.clamp(0.05, 64.0);
            v.dirty = true;
        });
        viz.borrow()
            .el
            .speed
            .add_event_listener_with_callback("change", cb.as_ref().unchecked_ref())?;
        cb.forget();
    }
    {
        let v2 = viz.clone();
        let cb = Closure::<dyn FnMut()>::new(move || {
            let mut v = v2.borrow_mut();
            let value = v.el.scrub.value_as_number();
            v.pb.playing = false;
            v.pb.seek(value);
            v.dirty = true;
        });
        viz.borrow()
            .el
            .scrub
            .add_event_listener_with_callback("input", cb.as_ref().unchecked_ref())?;
        cb.forget();
    }
    pointer_handlers(&viz)?;
    keyboard(&viz)?;
    {
        let resized = viz.borrow().resized.clone();
        let cb = Closure::<dyn FnMut()>::new(move || resized.set(true));
        let observer = web_sys::ResizeObserver::new(cb.as_ref().unchecked_ref())?;
        cb.forget();
        observer.observe(&viz.borrow().el.ring);
        observer.observe(&viz.borrow().el.timeline);
    }
    start_loop(viz)?;
    Ok(())
}

/// The key that jumps to the next event of `kind` on the focused ring or timeline (Shift: the
/// previous one), and what the event is, for the button's title.
fn event_key(kind: EventKind) -> (&'static str, &'static str) {
    match kind {
        EventKind::Injection => ("i", "injection (RSI k consuming its Bell pairs)"),
        EventKind::Teleport => ("t", "teleportation of the output back to Q0"),
        EventKind::Stall => ("s", "stall (an injection waiting for Bell pairs)"),
        EventKind::Restart => ("r", "restart (a failed check discards an attempt)"),
    }
}

/// Adds a listener that runs `f` on the state and marks it for redraw.
fn on(
    target: &Element,
    event: &str,
    viz: &Rc<RefCell<Viz>>,
    f: impl Fn(&mut Viz) + 'static,
) -> Result<(), JsValue> {
    let v2 = viz.clone();
    let cb = Closure::<dyn FnMut()>::new(move || {
        let mut v = v2.borrow_mut();
        f(&mut v);
        v.dirty = true;
    });
    target.add_event_listener_with_callback(event, cb.as_ref().unchecked_ref())?;
    cb.forget();
    Ok(())
}

fn pointer_handlers(viz: &Rc<RefCell<Viz>>) -> Result<(), JsValue> {
    let (ring, tl) = {
        let v = viz.borrow();
        (v.el.ring.clone(), v.el.timeline.clone())
    };
    for ev in ["pointermove", "pointerdown"] {
        let v2 = viz.clone();
        let cb = Closure::<dyn FnMut(PointerEvent)>::new(move |e: PointerEvent| {
            let mut v = v2.borrow_mut();
            v.hover = v.hit_ring(f64::from(e.offset_x()), f64::from(e.offset_y()));
            v.dirty = true;
        });
        ring.add_event_listener_with_callback(ev, cb.as_ref().unchecked_ref())?;
        cb.forget();
    }
    for ev in ["pointermove", "pointerdown"] {
        let v2 = viz.clone();
        let down = ev == "pointerdown";
        let tl2 = tl.clone();
        let cb = Closure::<dyn FnMut(PointerEvent)>::new(move |e: PointerEvent| {
            let mut v = v2.borrow_mut();
            let (x, y) = (f64::from(e.offset_x()), f64::from(e.offset_y()));
            let time = v.tl_geom.time_at(x);
            v.hover = v
                .tl_geom
                .lane_at(y, v.run.lanes.len())
                .map(|i| Hover::Lane(i, time));
            // Press (or drag with a button down) on the lanes scrubs the playhead.
            if down || e.buttons() & 1 == 1 {
                if down {
                    let _ = tl2.set_pointer_capture(e.pointer_id());
                }
                v.pb.playing = false;
                v.pb.seek(time);
            }
            v.dirty = true;
        });
        tl.add_event_listener_with_callback(ev, cb.as_ref().unchecked_ref())?;
        cb.forget();
    }
    Ok(())
}

/// Whether a key pressed with `target` focused belongs to the ring: the ring and timeline
/// canvases, or nothing in particular (the page body). Every other control keeps its keys.
fn ring_has_keys(target: Option<&Element>, ring: &Element, timeline: &Element) -> bool {
    match target {
        None => true,
        Some(t) => t == ring || t == timeline || matches!(t.tag_name().as_str(), "BODY" | "HTML"),
    }
}

fn keyboard(viz: &Rc<RefCell<Viz>>) -> Result<(), JsValue> {
    let v2 = viz.clone();
    let window = viz.borrow().el.window.clone();
    let cb = Closure::<dyn FnMut(KeyboardEvent)>::new(move |e: KeyboardEvent| {
        if e.ctrl_key() || e.meta_key() || e.alt_key() {
            return;
        }
        let target = e.target().and_then(|t| t.dyn_into::<Element>().ok());
        let Ok(mut v) = v2.try_borrow_mut() else {
            return;
        };
        let (ring, tl): (Element, Element) =
            (v.el.ring.clone().into(), v.el.timeline.clone().into());
        if !ring_has_keys(target.as_ref(), &ring, &tl) {
            return;
        }
        // ↑/↓ choose what to explain only on the focused ring or timeline: on the page body
        // they keep scrolling the page.
        let focused = target.as_ref().is_some_and(|t| *t == ring || *t == tl);
        let end = v.pb.end;
        let big = (end / 50.0).max(1.0);
        match e.key().as_str() {
            " " => v.toggle_play(),
            "ArrowRight" => v.pb.step(if e.shift_key() { big } else { 1.0 }),
            "ArrowLeft" => v.pb.step(if e.shift_key() { -big } else { -1.0 }),
            "Home" => v.pb.seek(0.0),
            "End" => v.pb.seek(end),
            "ArrowDown" if focused => v.select_step(1),
            "ArrowUp" if focused => v.select_step(-1),
            "Escape" if focused && v.hover.is_some() => v.hover = None,
            k if focused && k.len() == 1 => {
                let Some(kind) = EventKind::ALL
                    .into_iter()
                    .find(|&x| event_key(x).0.eq_ignore_ascii_case(k))
                else {
                    return;
                };
                v.jump(kind, !e.shift_key());
            }
            _ => return,
        }
        e.prevent_default();
        v.dirty = true;
    });
    window.add_event_listener_with_callback("keydown", cb.as_ref().unchecked_ref())?;
    cb.forget();
    Ok(())
}

fn start_loop(viz: Rc<RefCell<Viz>>) -> Result<(), JsValue> {
    type Slot = Rc<RefCell<Option<Closure<dyn FnMut(f64)>>>>;
    let slot: Slot = Rc::new(RefCell::new(None));
    let slot2 = slot.clone();
    let window = viz.borrow().el.window.clone();
    let w2 = window.clone();
    *slot.borrow_mut() = Some(Closure::<dyn FnMut(f64)>::new(move |ts: f64| {
        if let Ok(mut v) = viz.try_borrow_mut() {
            if let Err(e) = v.on_frame(ts) {
                web_sys::console::error_2(&"ring view: frame failed".into(), &e);
            }
        }
        if let Some(cb) = slot2.borrow().as_ref() {
            let _ = w2.request_animation_frame(cb.as_ref().unchecked_ref());
        }
    }));
    if let Some(cb) = slot.borrow().as_ref() {
        window.request_animation_frame(cb.as_ref().unchecked_ref())?;
    }
    Ok(())
}

fn median_max(samples: &[f64; SAMPLES], count: usize) -> (f64, f64) {
    let k = count.min(SAMPLES);
    if k == 0 {
        return (0.0, 0.0);
    }
    let mut buf = [0.0f64; SAMPLES];
    buf[..k].copy_from_slice(&samples[..k]);
    buf[..k].sort_by(f64::total_cmp);
    (buf[k / 2], buf[k - 1])
}

impl Viz {
    fn palette(&self) -> &'static Theme {
        if self.presentation {
            &DARK
        } else {
            &LIGHT
        }
    }

    /// Follows a change of the page's state: new parameters or another shot re-sample the
    /// run; a state read from the URL also moves the playhead to its `time`.
    fn follow(&mut self, s: &Snapshot, change: &Change) {
        let shot = s.shot();
        // The statistics (circuits × shots) do not change the run shown: circuit 0's shot k is
        // the same whatever their number, so the playhead stays where it is.
        let same_run = Params {
            circuits: self.run.params.circuits,
            shots: self.run.params.shots,
            ..s.params
        } == self.run.params;
        if change.params && !same_run {
            // Sampled in the next animation frame (`apply_pending`): a slider dragged across
            // many values costs one run per frame, not one per input event.
            self.pending = Some((s.params, shot, None));
        } else if self.pending.is_some() {
            self.pending = Some((s.params, shot, None));
        } else {
            if same_run {
                self.run.params = s.params;
            }
            if shot != self.run.shot {
                self.resample(shot);
            }
        }
        if change.from_url {
            let t = s.time().unwrap_or(0.0);
            if let Some(p) = self.pending.as_mut() {
                p.2 = Some(t);
            }
            self.pb.playing = false;
            self.pb.seek(t);
            self.dirty = true;
        }
    }

    /// Samples the run of the latest parameters recorded by `follow`, if any (once a frame).
    fn apply_pending(&mut self) {
        let Some((p, shot, time)) = self.pending.take() else {
            return;
        };
        let same_run = Params {
            circuits: self.run.params.circuits,
            shots: self.run.params.shots,
            ..p
        } == self.run.params;
        if same_run {
            self.run.params = p;
            if shot != self.run.shot {
                self.resample(shot);
            }
        } else {
            self.set_params(&p, shot);
        }
        if let Some(t) = time {
            self.pb.seek(t);
        }
        let _ = self
            .el
            .ring
            .set_attribute("data-sample-ms", &format!("{:.1}", self.run.sample_ms));
        self.samples_taken += 1;
        self.sample_ms_max = self.sample_ms_max.max(self.run.sample_ms);
        let _ = self
            .el
            .ring
            .set_attribute("data-samples-taken", &self.samples_taken.to_string());
        let _ = self
            .el
            .ring
            .set_attribute("data-sample-ms-max", &format!("{:.1}", self.sample_ms_max));
    }

    /// Moves the playhead to the next (or previous) event of `kind` and pauses there.
    fn jump(&mut self, kind: EventKind, forward: bool) {
        let d = self.run.dist();
        let at = if forward {
            frame::next_event(d, kind, self.pb.time)
        } else {
            frame::previous_event(d, kind, self.pb.time)
        };
        let where_ = if forward { "after" } else { "before" };
        match at {
            Some(t) => {
                self.pb.playing = false;
                self.pb.seek(t);
                let what = match kind {
                    EventKind::Injection => {
                        let k = d
                            .injections
                            .iter()
                            .find(|i| (frame::cx_moment(i) - t).abs() < 1e-9)
                            .map(|i| frame::injection_name(i.kind))
                            .unwrap_or_else(|| "Injection".into());
                        format!("{k}: its Bell pairs are consumed")
                    }
                    EventKind::Teleport => "Teleportation of the output to Q0".into(),
                    EventKind::Stall => "An injection waits for Bell pairs".into(),
                    EventKind::Restart => "A failed check: RSP restarts".into(),
                };
                announce(&format!("{what}, at τ = {}", share::time_text(t)));
            }
            None => announce(&format!(
                "No {} {where_} this point of the run",
                kind.label()
            )),
        }
        self.dirty = true;
    }

    fn toggle_play(&mut self) {
        self.pb.toggle();
        announce(&if self.pb.playing {
            "Playing".to_string()
        } else {
            format!("Paused at τ = {} layers", share::time_text(self.pb.time))
        });
    }

    /// One sentence on the run shown (announced when a new one is sampled).
    fn run_sentence(&self) -> String {
        let s = &self.run.summary;
        format!(
            "Shot {}: distributed depth {}, {} restart(s), {} injection(s) waiting for Bell pairs",
            self.run.shot,
            s.depth_distributed,
            s.restarts.iter().sum::<u32>(),
            s.stalls
        )
    }

    /// The items ↑/↓ cycle through: every QPU, every link, every lane.
    fn items(&self) -> Vec<Hover> {
        let qpus = self.run.params.t as usize + 1;
        (0..qpus)
            .map(Hover::Qpu)
            .chain((0..self.run.dist().links.len()).map(Hover::Link))
            .chain((0..self.run.lanes.len()).map(Hover::LaneNow))
            .collect()
    }

    /// Selects the next (`+1`) or previous (`-1`) item.
    fn select_step(&mut self, by: i32) {
        let items = self.items();
        if items.is_empty() {
            return;
        }
        let n = items.len() as i32;
        let current = self.hover.and_then(|h| {
            items.iter().position(|&i| match (i, h) {
                (Hover::LaneNow(a), Hover::Lane(b, _)) => a == b,
                _ => i == h,
            })
        });
        let next = match current {
            Some(i) => (i as i32 + by).rem_euclid(n),
            None if by > 0 => 0,
            None => n - 1,
        };
        self.hover = Some(items[next as usize]);
    }

    /// Writes the playhead to the hash (no history entry): when paused at once, while playing
    /// about once a second. `time` is left out at τ = 0.
    fn sync_hash(&mut self) {
        let now = now_ms(&self.el.window);
        let every = if self.pb.playing {
            HASH_EVERY_MS
        } else {
            HASH_PAUSED_MS
        };
        if now - self.hash_ms < every {
            return;
        }
        self.hash_pending = false;
        let want = (self.pb.time > 0.0).then(|| share::time_text(self.pb.time));
        if self.store.snapshot().view("time") != want.as_deref() {
            self.hash_ms = now;
            self.store.set_view("time", want, History::Replace);
        }
    }

    fn scale(&self) -> f64 {
        if self.presentation {
            PRESENT_SCALE
        } else {
            1.0
        }
    }

    /// Shows a run of new parameters (a new circuit instance). If it cannot be sampled, the
    /// previous instance, parameters and run stay together on screen with the reason.
    fn set_params(&mut self, p: &Params, shot: u32) {
        let w = self.el.window.clone();
        // p, τ_e and the statistics leave circuit 0 and its checks as they are: re-sample the
        // kept instance (dragging τ_e re-samples every frame).
        if Instance::same_for(&self.run.params, p) {
            let run = sample(&mut self.inst, p, shot, move || now_ms(&w));
            self.install(run);
            return;
        }
        let mut inst = PreparedInstance::new(Instance::generate(p, 0), p);
        if self.install(sample(&mut inst, p, shot, move || now_ms(&w))) {
            self.inst = inst;
        }
    }

    /// Shows shot `shot` of the current instance and parameters; false if it cannot be sampled.
    fn resample(&mut self, shot: u32) -> bool {
        let w = self.el.window.clone();
        let params = self.run.params;
        let run = sample(&mut self.inst, &params, shot, move || now_ms(&w));
        self.install(run)
    }

    /// Installs a sampled run; on failure keeps the current one, says why and returns false.
    fn install(&mut self, sampled: Result<Run, SimError>) -> bool {
        match sampled {
            Ok(run) => {
                self.run = run;
                self.hover = None;
                self.explain_for = None;
                let _ = self.el.ring.remove_attribute("data-error");
            }
            Err(e) => {
                // Keep animating the previous run and say why the new one is missing.
                let msg = format!("Cannot sample this run: {e}");
                let _ = self.el.ring.set_attribute("data-error", &msg);
                self.el.info.set_text_content(Some(&msg));
                return false;
            }
        }
        let speed = self.pb.speed;
        self.pb = Playback::with_warp(self.run.end, self.run.warp.clone());
        self.pb.speed = speed;
        self.draw_count = 0;
        self.raf_count = 0;
        if let Err(e) = self.new_run_dom() {
            web_sys::console::error_2(&"ring view: update failed".into(), &e);
        }
        self.static_dirty = true;
        self.dirty = true;
        true
    }

    /// The "Presentation" button: the page's presentation mode (`presentation`) owns the
    /// layout, the `<html>` class and full screen; [`Viz::follow_presentation`] follows it.
    fn toggle_presentation(&mut self) {
        super::presentation::toggle();
        self.follow_presentation();
    }

    /// Follows presentation mode (checked every frame): the dark palette and larger type.
    fn follow_presentation(&mut self) {
        let on = super::presentation::is_active();
        if on == self.presentation {
            return;
        }
        self.presentation = on;
        let _ = self
            .el
            .present
            .set_attribute("aria-pressed", if on { "true" } else { "false" });
        let theme = self.palette();
        for (state, canvas) in &self.el.swatches {
            let _ = palette::paint_swatch(canvas, *state, theme, SWATCH_PX, device_pixel_ratio());
        }
        self.static_dirty = true;
    }

    /// Updates the text and attributes that change only with the run.
    fn new_run_dom(&mut self) -> Result<(), JsValue> {
        let r = &self.run;
        let p = &r.params;
        let s = &r.summary;
        let ring = &self.el.ring;
        ring.set_attribute("data-qpus", &(p.t + 1).to_string())?;
        for state in State::ALL {
            ring.set_attribute(
                &format!("data-colour-{}", state.id()),
                state.colour_in(self.palette()),
            )?;
        }
        ring.set_attribute("data-shot", &r.shot.to_string())?;
        ring.set_attribute("data-n", &p.n.to_string())?;
        ring.set_attribute("data-tau-e", &p.tau_e.to_string())?;
        ring.set_attribute("data-depth-direct", &s.depth_direct.to_string())?;
        ring.set_attribute("data-depth-monolithic", &s.depth_monolithic.to_string())?;
        ring.set_attribute("data-depth-distributed", &s.depth_distributed.to_string())?;
        ring.set_attribute("data-restarts", &s.restarts.iter().sum::<u32>().to_string())?;
        ring.set_attribute(
            "data-ever-stalled",
            if s.stalls > 0 { "true" } else { "false" },
        )?;
        ring.set_attribute("data-max-time", &r.end.to_string())?;
        ring.set_attribute("data-sample-ms", &format!("{:.1}", r.sample_ms))?;
        let starts: Vec<String> = r
            .dist()
            .injections
            .iter()
            .map(|i| i.start.to_string())
            .collect();
        ring.set_attribute("data-rsi-starts", &starts.join(","))?;
        let mut events = serde_json::Map::new();
        for kind in EventKind::ALL {
            events.insert(
                kind.id().into(),
                serde_json::json!(frame::event_times(r.dist(), kind)),
            );
        }
        ring.set_attribute(
            "data-event-times",
            &serde_json::Value::Object(events).to_string(),
        )?;
        ring.set_attribute(
            "data-warp-seconds",
            &format!("{:.2}", r.warp.total_seconds()),
        )?;
        self.el.scrub.set_max(&r.end.to_string());
        let restarts: Vec<String> = s.restarts.iter().map(u32::to_string).collect();
        let err = |b: bool| {
            if b {
                "logical error"
            } else {
                "no logical error"
            }
        };
        let html = format!(
            "<div><b>n</b> = {n}, <b>t</b> = {t} ({q} QPUs), <b>r</b> = {rr}, <b>p</b> = {pp}, <b>τ<sub>e</sub></b> = {te} · shot {shot} (seed {seed})</div>\
             <div>Depth of this run: <span class=\"d-dist\">distributed <b>{dd}</b></span> · <span class=\"d-mono\">monolithic <b>{dm}</b></span> · <span class=\"d-direct\">direct <b>{dx}</b></span> layers</div>\
             <div>Restarts per block: {rs} · RSI waiting for Bell pairs: {st} ({sl} layers) · distributed: {e1}, monolithic: {e2}, direct: {e3}</div>",
            n = p.n,
            t = p.t,
            q = p.t + 1,
            rr = p.r,
            pp = p.p,
            te = p.tau_e,
            shot = r.shot,
            seed = p.seed,
            dd = s.depth_distributed,
            dm = s.depth_monolithic,
            dx = s.depth_direct,
            rs = restarts.join(", "),
            st = s.stalls,
            sl = s.stall_layers,
            e1 = err(r.sampled.distributed.1),
            e2 = err(r.sampled.monolithic.1),
            e3 = err(r.sampled.direct.1),
        );
        self.el.info.set_inner_html(&html);
        Ok(())
    }

    fn on_frame(&mut self, ts: f64) -> Result<(), JsValue> {
        self.apply_pending();
        if self.pb.playing {
            if let Some(last) = self.last_raf {
                self.raf_ms[self.raf_count % SAMPLES] = ts - last;
                self.raf_count += 1;
            }
            self.last_raf = Some(ts);
        } else {
            self.last_raf = None;
        }
        self.follow_presentation();
        let was_playing = self.pb.playing;
        let moved = self.pb.tick(ts);
        let dpr = {
            let d = self.el.window.device_pixel_ratio();
            if d.is_finite() && d > 0.0 {
                d
            } else {
                1.0
            }
        };
        let size = if self.resized.replace(false) {
            (
                f64::from(self.el.ring.client_width().max(1)),
                f64::from(self.el.ring.client_height().max(1)),
                f64::from(self.el.timeline.client_width().max(1)),
                dpr,
            )
        } else {
            (self.size.0, self.size.1, self.size.2, dpr)
        };
        if size != self.size {
            self.size = size;
            self.static_dirty = true;
        }
        if !(moved || self.dirty || self.static_dirty || was_playing != self.pb.playing) {
            if self.hash_pending {
                self.sync_hash();
            }
            return Ok(());
        }
        let t0 = now_ms(&self.el.window);
        if self.static_dirty {
            self.layout()?;
        }
        self.draw()?;
        self.hash_pending = true;
        self.sync_hash();
        let t1 = now_ms(&self.el.window);
        if was_playing {
            self.draw_ms[self.draw_count % SAMPLES] = t1 - t0;
            self.draw_count += 1;
        }
        self.dirty = false;
        self.static_dirty = false;
        Ok(())
    }

    /// Resizes the canvases, recomputes the geometry and repaints the cached lanes.
    /// Lays out the ring for `spec` in a `w` × `h` CSS px canvas (see [`Viz::layout`]).
    fn layout_ring(&mut self, spec: &RingSpec, w: f64, h: f64, dpr: f64) -> Result<(), JsValue> {
        let need = layout::min_height(spec, w);
        let style = self.el.ring.style();
        let want = format!("{need:.0}px");
        if style.get_property_value("min-height").ok().as_deref() != Some(want.as_str()) {
            style.set_property("min-height", &want)?;
        }
        let h = h.max(need);
        let (pw, ph) = ((w * dpr).round() as u32, (h * dpr).round() as u32);
        if self.el.ring.width() != pw || self.el.ring.height() != ph {
            self.el.ring.set_width(pw);
            self.el.ring.set_height(ph);
        }
        self.size.1 = h;
        self.lay = layout::ring(spec, w, h);
        let xy: Vec<String> = self
            .lay
            .nodes
            .iter()
            .map(|n| format!("{:.0},{:.0}", n.centre.0, n.centre.1))
            .collect();
        self.el.ring.set_attribute("data-qpu-xy", &xy.join(";"))?;
        let boxes: Vec<serde_json::Value> = self
            .lay
            .text_boxes()
            .iter()
            .map(|b| {
                serde_json::json!({
                    "kind": b.kind.id(),
                    "owner": b.owner,
                    "x": (b.rect.x * 10.0).round() / 10.0,
                    "y": (b.rect.y * 10.0).round() / 10.0,
                    "w": (b.rect.w * 10.0).round() / 10.0,
                    "h": (b.rect.h * 10.0).round() / 10.0,
                    "px": (b.px * 10.0).round() / 10.0,
                })
            })
            .collect();
        self.el.ring.set_attribute(
            "data-text-boxes",
            &serde_json::Value::Array(boxes).to_string(),
        )?;
        self.el.ring.set_attribute(
            "data-layout-complete",
            if self.lay.complete { "true" } else { "false" },
        )?;
        self.el
            .ring
            .set_attribute("data-label-px", &format!("{:.1}", self.lay.label_px))?;
        // Unlabelled discs: the line under the ring says how to name them.
        if self.hover.is_none() {
            let hint = if self.lay.complete {
                EXPLAIN_HINT
            } else {
                CROWDED_HINT
            };
            if self.explain_text != hint
                && (self.explain_text.is_empty()
                    || self.explain_text == EXPLAIN_HINT
                    || self.explain_text == CROWDED_HINT)
            {
                self.el.explain.set_text_content(Some(hint));
                self.explain_text = hint.to_string();
            }
        }
        Ok(())
    }

    fn layout(&mut self) -> Result<(), JsValue> {
        let (w, h, tw, dpr) = self.size;
        let scale = self.scale();
        // The pure layout places every disc, pill, chip, badge and storage box, and every
        // text box, without overlaps (`view::layout`); the canvas is given at least the
        // height it needs for that.
        let spec = RingSpec::of(&self.run.params, self.presentation);
        // The ring's layout depends only on its shape and size: a new run of the same shape
        // (τ_e or p dragged) keeps it.
        let key = (spec.clone(), w, h, dpr);
        if self.laid_for.as_ref() != Some(&key) {
            self.layout_ring(&spec, w, h, dpr)?;
            self.laid_for = Some(key);
        }
        // Timeline.
        let lanes = self.run.lanes.len();
        let g = timeline::Geometry::new(tw, lanes, self.run.end, scale);
        let th = g.height(lanes, scale);
        let style = self.el.timeline.style();
        let want = format!("{th:.0}px");
        if style.get_property_value("height").ok().as_deref() != Some(want.as_str()) {
            style.set_property("height", &want)?;
        }
        let (tpw, tph) = ((tw * dpr).round() as u32, (th * dpr).round() as u32);
        if self.el.timeline.width() != tpw || self.el.timeline.height() != tph {
            self.el.timeline.set_width(tpw.max(1));
            self.el.timeline.set_height(tph.max(1));
        }
        let s = &self.run.summary;
        timeline::paint_static(
            &self.el.cache,
            &self.run.lanes,
            [s.depth_direct, s.depth_monolithic, s.depth_distributed],
            &g,
            tw,
            th,
            dpr,
            self.palette(),
            scale,
        )?;
        self.tl_geom = g;
        Ok(())
    }

    fn flash_layers(&self) -> f64 {
        FLASH_SECONDS * self.pb.layers_per_second().max(1.0)
    }

    fn draw(&mut self) -> Result<(), JsValue> {
        let tau = self.pb.time;
        let r = self.run.params.r;
        let f = frame::frame_at(self.run.dist(), r, tau, self.flash_layers());
        let ctx = context_2d(&self.el.ring)?;
        forget_font();
        draw_ring(&ctx, self, &f)?;
        let tctx = context_2d(&self.el.timeline)?;
        let selected_lane = match self.hover {
            Some(Hover::Lane(i, _) | Hover::LaneNow(i)) => Some(i),
            _ => None,
        };
        timeline::draw(
            &tctx,
            &self.el.cache,
            &self.tl_geom,
            self.run.lanes.len(),
            self.size.3,
            tau,
            selected_lane,
            self.palette(),
        )?;
        // Test-facing state.
        let ring = &self.el.ring;
        self.scratch.clear();
        let _ = write!(self.scratch, "{tau:.2}");
        ring.set_attribute("data-time", &self.scratch)?;
        ring.set_attribute(
            "data-playing",
            if self.pb.playing { "true" } else { "false" },
        )?;
        self.scratch.clear();
        let _ = write!(self.scratch, "{}", f.stalled_links());
        ring.set_attribute("data-stalled-links", &self.scratch)?;
        self.scratch.clear();
        for (i, q) in f.qpus.iter().enumerate() {
            if i > 0 {
                self.scratch.push(',');
            }
            self.scratch.push_str(&q.stage.code());
        }
        ring.set_attribute("data-qpu-stages", &self.scratch)?;
        if self.draw_count > 0 && self.draw_count % 16 == 0 {
            let (m, x) = median_max(&self.draw_ms, self.draw_count);
            ring.set_attribute("data-frame-ms-median", &format!("{m:.3}"))?;
            ring.set_attribute("data-frame-ms-max", &format!("{x:.3}"))?;
            let (m, x) = median_max(&self.raf_ms, self.raf_count);
            ring.set_attribute("data-raf-ms-median", &format!("{m:.2}"))?;
            ring.set_attribute("data-raf-ms-max", &format!("{x:.2}"))?;
            ring.set_attribute("data-frame-samples", &self.draw_count.to_string())?;
        }
        self.el.play.set_text_content(Some(if self.pb.playing {
            "❚❚ Pause"
        } else {
            "▶ Play"
        }));
        if (self.el.scrub.value_as_number() - tau).abs() > 1e-6 {
            self.el.scrub.set_value_as_number(tau);
        }
        let clock = clock_line(self, &f);
        if clock != self.clock_text {
            self.el.clock.set_text_content(Some(&clock));
            self.clock_text = clock;
        }
        self.scratch.clear();
        let _ = write!(self.scratch, "{:.2}", self.pb.layers_per_second());
        ring.set_attribute("data-rate", &self.scratch)?;
        self.explain(&f)?;
        Ok(())
    }

    /// Shows the explanation of the hovered or selected item in `#ring-explain`, a polite live
    /// region: rewritten when the item changes, and while playing at most once a second.
    fn explain(&mut self, f: &Frame) -> Result<(), JsValue> {
        let now = now_ms(&self.el.window);
        let same_item = self.explain_for == self.hover;
        if same_item && self.pb.playing && now - self.explain_ms < EXPLAIN_EVERY_MS {
            return Ok(());
        }
        let text = match self.hover {
            Some(Hover::Qpu(q)) => frame::explain_qpu(self.run.dist(), f, q, self.run.params.tau_e),
            Some(Hover::Link(l)) => frame::explain_link(f, l, self.run.params.tau_e),
            Some(Hover::Lane(i, t)) => self.explain_lane(i, t),
            Some(Hover::LaneNow(i)) => self.explain_lane(i, f.time),
            None if self.explain_for.is_some() && !self.lay.complete => CROWDED_HINT.to_string(),
            None if self.explain_for.is_some() => EXPLAIN_HINT.to_string(),
            None => String::new(),
        };
        if !same_item {
            match self.hover {
                Some(h) => self.el.ring.set_attribute("data-selected", &h.code())?,
                None => self.el.ring.remove_attribute("data-selected")?,
            }
        }
        self.explain_for = self.hover;
        self.explain_ms = now;
        if !text.is_empty() && text != self.explain_text {
            self.el.explain.set_text_content(Some(&text));
            self.explain_text = text;
        }
        Ok(())
    }

    fn explain_lane(&self, i: usize, t: f64) -> String {
        let Some(lane) = self.run.lanes.get(i) else {
            return String::new();
        };
        let depth = match lane.implementation {
            Implementation::Distributed => self.run.summary.depth_distributed,
            Implementation::Monolithic => self.run.summary.depth_monolithic,
            Implementation::Direct => self.run.summary.depth_direct,
        };
        frame::explain_lane(lane, t, depth)
    }

    fn hit_ring(&self, x: f64, y: f64) -> Option<Hover> {
        let l = &self.lay;
        for (i, n) in l.nodes.iter().enumerate() {
            let in_stack = n.stage.rect.x <= x
                && x <= n.stage.rect.right()
                && n.stage.rect.y <= y
                && y <= n.stage.rect.bottom();
            if (n.centre.0 - x).hypot(n.centre.1 - y) <= n.r * 1.15 || in_stack {
                return Some(Hover::Qpu(i));
            }
        }
        for (i, link) in l.links.iter().enumerate() {
            let b = link.boxr;
            if b.x <= x && x <= b.right() && b.y <= y && y <= b.bottom() {
                return Some(Hover::Link(i));
            }
            if dist_to_segment((x, y), link.ends.0, link.ends.1) < 10.0 {
                return Some(Hover::Link(i));
            }
        }
        None
    }
}

fn dist_to_segment(p: (f64, f64), a: (f64, f64), b: (f64, f64)) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len2 = dx * dx + dy * dy;
    let s = if len2 > 0.0 {
        (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    (p.0 - a.0 - s * dx).hypot(p.1 - a.1 - s * dy)
}

thread_local! {
    /// The font last set on the ring's context (weight, px bits): setting a font parses it,
    /// and a frame draws dozens of labels in two or three fonts. Reset by [`forget_font`].
    static RING_FONT: Cell<Option<(u32, u64)>> = const { Cell::new(None) };
}

/// Sets the ring context's font unless it is already the one set last.
fn font(ctx: &CanvasRenderingContext2d, weight: u32, px: f64) {
    let key = Some((weight, px.to_bits()));
    if RING_FONT.with(|f| f.replace(key)) != key {
        ctx.set_font(&format!("{weight} {px:.1}px system-ui, sans-serif"));
    }
}

/// Forgets the font set last (a resized canvas resets its context's state).
fn forget_font() {
    RING_FONT.with(|f| f.set(None));
}

/// Fills `text` centred in `rect` at `px`, shrunk to the box's width if the real text is
/// wider than the layout's estimate (never drawn outside the box it was given).
fn text_in(
    ctx: &CanvasRenderingContext2d,
    text: &str,
    rect: &layout::Rect,
    weight: u32,
    px: f64,
    colour: &str,
) -> Result<(), JsValue> {
    font(ctx, weight, px);
    let tw = ctx.measure_text(text)?.width();
    let px = if tw > rect.w && tw > 0.0 {
        let p = px * rect.w / tw;
        font(ctx, weight, p);
        p
    } else {
        px
    };
    let (cx, cy) = rect.centre();
    ctx.set_fill_style_str(colour);
    ctx.set_text_align("center");
    ctx.set_text_baseline("middle");
    ctx.fill_text(text, cx, cy + px * 0.05)?;
    Ok(())
}

/// A pill (rounded box) filling `rect` with `text` centred in it.
fn pill_in(
    ctx: &CanvasRenderingContext2d,
    text: &str,
    rect: &layout::Rect,
    px: f64,
    bg: &str,
    fg: &str,
) -> Result<(), JsValue> {
    ctx.set_fill_style_str(bg);
    ctx.begin_path();
    ctx.round_rect_with_f64(rect.x, rect.y, rect.w, rect.h, rect.h / 2.0)?;
    ctx.fill();
    let inner = layout::Rect {
        x: rect.x + 0.4 * px,
        w: (rect.w - 0.8 * px).max(1.0),
        ..*rect
    };
    text_in(ctx, text, &inner, 600, px, fg)
}

/// The palette state an RSP&V instance chip is painted with.
fn instance_state(stage: InstanceStage) -> State {
    match stage {
        InstanceStage::Idle => State::Idle,
        InstanceStage::Rsp => State::Rsp,
        InstanceStage::Check { .. } => State::Check,
        InstanceStage::Accepted => State::Verified,
        InstanceStage::Abandoned => State::Abandoned,
    }
}

fn draw_ring(ctx: &CanvasRenderingContext2d, v: &Viz, f: &Frame) -> Result<(), JsValue> {
    let (w, h, _, dpr) = v.size;
    let pal = v.palette();
    let lay = &v.lay;
    let u = lay.u;
    let n = v.run.params.n;
    ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0)?;
    ctx.set_fill_style_str(pal.background);
    ctx.fill_rect(0.0, 0.0, w, h);
    let stall = State::Stall.colour();

    // Links: k parallel lines (one per generator), then the Bell-pair storage box.
    for (lf, ll) in f.links.iter().zip(&lay.links) {
        let hovered = v.hover == Some(Hover::Link(lf.link as usize));
        let (p0, p1) = ll.ends;
        let (dx, dy) = (p1.0 - p0.0, p1.1 - p0.1);
        let len = dx.hypot(dy).max(1e-9);
        let (nx, ny) = (-dy / len, dx / len);
        let k = lf.generators.clamp(1, layout::MAX_PIES);
        let lw = if lf.stalled { 4.0 * u } else { 2.5 * u };
        let pitch = (lw + 3.0 * u).max(4.0);
        ctx.set_stroke_style_str(if lf.stalled { stall } else { pal.link });
        ctx.set_line_width(lw);
        ctx.set_line_cap("round");
        for i in 0..k {
            let off = (f64::from(i) - f64::from(k - 1) / 2.0) * pitch;
            ctx.begin_path();
            ctx.move_to(p0.0 + nx * off, p0.1 + ny * off);
            ctx.line_to(p1.0 + nx * off, p1.1 + ny * off);
            ctx.stroke();
        }
        // Pairs in flight: a dot travelling along its generator's line as τ_e elapses.
        for (i, &(_, frac)) in lf.in_flight.iter().take(k as usize).enumerate() {
            let off = (i as f64 - f64::from(k - 1) / 2.0) * pitch;
            let a = (p0.0 + nx * off, p0.1 + ny * off);
            let b = (p1.0 + nx * off, p1.1 + ny * off);
            // Both halves of a pair meet in the middle: one dot from each end.
            let t = 0.5 * frac.clamp(0.0, 1.0);
            ctx.set_fill_style_str(State::PairInFlight.colour_in(pal));
            for (x, y) in [
                (a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t),
                (b.0 + (a.0 - b.0) * t, b.1 + (a.1 - b.1) * t),
            ] {
                ctx.begin_path();
                ctx.arc(x, y, (2.2 * u).max(2.0), 0.0, TAU)?;
                ctx.fill();
            }
        }
        let b = ll.boxr;
        // A thin leader from the link's middle to its storage box (boxes sit where their
        // labels fit, sometimes away from the line).
        let mid = ((p0.0 + p1.0) / 2.0, (p0.1 + p1.1) / 2.0);
        let (bx, by) = b.centre();
        if (bx - mid.0).hypot(by - mid.1) > 0.5 * b.h {
            ctx.set_stroke_style_str(if lf.stalled { stall } else { pal.guide });
            ctx.set_line_width(1.5);
            ctx.set_line_dash(&js_sys::Array::of2(&4.0.into(), &3.0.into()))?;
            ctx.begin_path();
            ctx.move_to(mid.0, mid.1);
            ctx.line_to(bx, by);
            ctx.stroke();
            ctx.set_line_dash(&js_sys::Array::new())?;
        }
        ctx.set_fill_style_str(pal.box_bg);
        ctx.begin_path();
        ctx.round_rect_with_f64(b.x, b.y, b.w, b.h, 6.0 * u)?;
        ctx.fill();
        if lf.stalled {
            // Hatched like every stall while the injection waits for pairs.
            ctx.save();
            ctx.clip();
            ctx.set_global_alpha(0.22);
            palette::fill_rect(ctx, State::Stall, pal, b.x, b.y, b.w, b.h, u);
            ctx.restore();
            ctx.begin_path();
            ctx.round_rect_with_f64(b.x, b.y, b.w, b.h, 6.0 * u)?;
        }
        ctx.set_stroke_style_str(if hovered {
            pal.focus
        } else if lf.stalled {
            stall
        } else {
            pal.guide
        });
        ctx.set_line_width(if hovered {
            3.0
        } else if lf.stalled {
            2.0
        } else {
            1.0
        });
        ctx.stroke();
        let label = layout::link_label(lf.link as usize, lf.stored, lf.needed);
        let lr = ll.label.rect;
        font(ctx, 600, ll.label.px);
        let tw = ctx.measure_text(&label)?.width();
        let lpx = if tw > lr.w {
            ll.label.px * lr.w / tw
        } else {
            ll.label.px
        };
        font(ctx, 600, lpx);
        ctx.set_fill_style_str(pal.text);
        ctx.set_text_align("left");
        ctx.set_text_baseline("middle");
        ctx.fill_text(&label, lr.x, lr.y + lr.h / 2.0)?;
        // Generator pies: the pair each generator is making, filling clockwise over τ_e.
        for (i, &(cx, cy)) in ll.pies.iter().enumerate() {
            let frac = lf.in_flight.get(i).map_or(0.0, |x| x.1.clamp(0.0, 1.0));
            ctx.set_stroke_style_str(pal.muted);
            ctx.set_line_width(1.0);
            ctx.begin_path();
            ctx.arc(cx, cy, lay.pie_r, 0.0, TAU)?;
            ctx.stroke();
            if frac > 0.0 {
                ctx.set_fill_style_str(State::PairInFlight.colour_in(pal));
                ctx.begin_path();
                ctx.move_to(cx, cy);
                ctx.arc(cx, cy, lay.pie_r, -FRAC_PI_2, -FRAC_PI_2 + TAU * frac)?;
                ctx.close_path();
                ctx.fill();
            }
        }
        // Pairs: one dot per pair for small n, else a bar (consumed hollow, stored filled).
        let bar = ll.bar;
        if n <= layout::DOTS_MAX_N {
            let pitch = lay.dot_pitch;
            let per_row = ((bar.w / pitch).floor() as usize).max(1);
            let rad = 0.36 * pitch;
            for j in 0..n as usize {
                let (cx, cy) = (
                    bar.x + pitch * ((j % per_row) as f64 + 0.5),
                    bar.y + pitch * ((j / per_row) as f64 + 0.5),
                );
                if (j as u32) < lf.generated {
                    palette::pair_dot(ctx, (j as u32) < lf.consumed, pal, cx, cy, rad)?;
                } else {
                    ctx.set_fill_style_str(pal.pair_empty);
                    ctx.begin_path();
                    ctx.arc(cx, cy, rad * 0.7, 0.0, TAU)?;
                    ctx.fill();
                }
            }
        } else {
            let nn = f64::from(n.max(1));
            ctx.set_fill_style_str(pal.pair_empty);
            ctx.fill_rect(bar.x, bar.y, bar.w, bar.h);
            let used = bar.w * (lf.consumed_smooth / nn).clamp(0.0, 1.0);
            if used > 0.0 {
                palette::fill_rect(ctx, State::PairConsumed, pal, bar.x, bar.y, used, bar.h, u);
            }
            // Stored pairs, drained smoothly during the CX layer.
            let stored = (f64::from(lf.generated) - lf.consumed_smooth).max(0.0);
            ctx.set_fill_style_str(State::PairStored.colour_in(pal));
            ctx.fill_rect(
                bar.x + used,
                bar.y,
                (bar.w * stored / nn).min(bar.w - used),
                bar.h,
            );
        }
    }

    // The data register as a token travelling around the ring (no text on it).
    let k = lay.nodes.len();
    if k > 0 {
        let pos = f.token;
        let i = (pos.floor().max(0.0) as usize) % k;
        let frac = pos - pos.floor();
        let inner = |q: usize| {
            let (x, y) = lay.nodes[q].centre;
            let (dx, dy) = (lay.centre.0 - x, lay.centre.1 - y);
            let l = dx.hypot(dy).max(1e-9);
            let r = lay.nodes[q].r;
            (x + dx / l * r * 0.95, y + dy / l * r * 0.95)
        };
        let a = inner(i);
        let b = inner((i + 1) % k);
        let (tx, ty) = (a.0 + (b.0 - a.0) * frac, a.1 + (b.1 - a.1) * frac);
        let tr = (lay.node_r * 0.28).max(5.0);
        ctx.set_fill_style_str(State::Data.colour());
        ctx.begin_path();
        ctx.arc(tx, ty, tr, 0.0, TAU)?;
        ctx.fill();
        ctx.set_stroke_style_str(pal.ink);
        ctx.set_line_width(1.5);
        ctx.stroke();
    }

    // QPUs.
    let restart = State::Restart.colour();
    for (q, (qf, nl)) in f.qpus.iter().zip(&lay.nodes).enumerate() {
        let (x, y) = nl.centre;
        let r = nl.r;
        let state = stage_state(qf.stage);
        let colour = state.colour_in(pal);
        if qf.flash {
            // A restart: a dashed ring in the restart colour (never the stall's).
            ctx.set_stroke_style_str(restart);
            ctx.set_line_width(0.14 * r);
            ctx.set_line_dash(&js_sys::Array::of2(&(0.22 * r).into(), &(0.13 * r).into()))?;
            ctx.begin_path();
            ctx.arc(x, y, r * 1.16, 0.0, TAU)?;
            ctx.stroke();
            ctx.set_line_dash(&js_sys::Array::new())?;
        }
        palette::fill_circle(ctx, state, pal, x, y, r, u)?;
        if v.hover == Some(Hover::Qpu(q)) {
            ctx.set_stroke_style_str(pal.focus);
            ctx.set_line_width(3.0);
            ctx.begin_path();
            ctx.arc(x, y, r + 2.0, 0.0, TAU)?;
            ctx.stroke();
        }
        // Progress within the stage; two-sided RSP: the a side (left half) and the b side
        // (right half) each fill from the bottom as their circuit runs.
        let sides = qf.instances.iter().find_map(|i| i.rsp_sides);
        let arc_r = r * 1.08;
        ctx.set_stroke_style_str(pal.text);
        ctx.set_line_width((0.07 * r).max(2.0));
        match sides {
            Some((a, b)) if v.run.params.knobs.two_sided_rsp => {
                let bottom = FRAC_PI_2;
                if a > 0.0 {
                    ctx.begin_path();
                    ctx.arc(x, y, arc_r, bottom, bottom + std::f64::consts::PI * a)?;
                    ctx.stroke();
                }
                if b > 0.0 {
                    ctx.begin_path();
                    ctx.arc_with_anticlockwise(
                        x,
                        y,
                        arc_r,
                        bottom,
                        bottom - std::f64::consts::PI * b,
                        true,
                    )?;
                    ctx.stroke();
                }
            }
            _ => {
                if qf.progress > 0.0
                    && !matches!(
                        qf.stage,
                        Stage::Idle | Stage::Done | Stage::HoldingData | Stage::Verified
                    )
                {
                    ctx.begin_path();
                    ctx.arc(x, y, arc_r, -FRAC_PI_2, -FRAC_PI_2 + TAU * qf.progress)?;
                    ctx.stroke();
                }
            }
        }
        let ink = palette::label_colour(state, pal);
        text_in(ctx, &format!("Q{q}"), &nl.name.rect, 700, nl.name.px, ink)?;
        if nl.role.rect.w > 0.0 {
            let role = if q == 0 {
                "input/output".to_string()
            } else {
                format!("block {q}")
            };
            text_in(ctx, &role, &nl.role.rect, 500, nl.role.px, ink)?;
        }
        for (tb, side) in nl.sides.iter().zip(["a", "b"]) {
            text_in(ctx, side, &tb.rect, 700, tb.px, ink)?;
        }
        // Stage pill; instance chips (m > 1).
        let (pill_bg, pill_fg) = if state.pattern() == palette::Pattern::Hollow {
            (pal.guide, pal.text)
        } else {
            (colour, palette::text_on(colour))
        };
        pill_in(
            ctx,
            &qf.stage.label(),
            &nl.stage.rect,
            nl.stage.px,
            pill_bg,
            pill_fg,
        )?;
        let m = qf.instances.len();
        for (i, (&(cx, cy), tb)) in nl.chips.iter().zip(&nl.chip_text).enumerate() {
            let more = i + 1 == nl.chips.len() && m > nl.chips.len();
            let st = qf
                .instances
                .get(i)
                .map_or(State::Idle, |x| instance_state(x.stage));
            palette::fill_circle(ctx, st, pal, cx, cy, lay.chip_r, u)?;
            let label = if more {
                "+".to_string()
            } else {
                (i + 1).to_string()
            };
            text_in(
                ctx,
                &label,
                &tb.rect,
                700,
                tb.px,
                palette::label_colour(st, pal),
            )?;
        }
        if let Some(badge) = nl.badge {
            if qf.restarts > 0 || qf.flash {
                let text = if qf.flash {
                    format!("restart! ({})", qf.restarts)
                } else if qf.restarts == 1 {
                    "1 restart".to_string()
                } else {
                    format!("{} restarts", qf.restarts)
                };
                pill_in(
                    ctx,
                    &text,
                    &badge.rect,
                    badge.px,
                    restart,
                    palette::text_on(restart),
                )?;
            }
        }
    }
    Ok(())
}

/// The clock line: τ, what the playback slows for, monolithic and direct at τ.
fn clock_line(v: &Viz, f: &Frame) -> String {
    let mut out = format!(
        "τ = {:.1} layers · depths: distributed {}, monolithic {}, direct {}",
        f.time,
        v.run.summary.depth_distributed,
        v.run.summary.depth_monolithic,
        v.run.summary.depth_direct
    );
    for lane in v.run.lanes.iter().rev().take(2) {
        let depth = match lane.implementation {
            Implementation::Monolithic => v.run.summary.depth_monolithic,
            _ => v.run.summary.depth_direct,
        };
        let what = match frame::segment_at(lane, f.time).map(|s| s.kind) {
            Some(SegmentKind::Attempt { block, attempt, .. }) => {
                format!("block {block}, attempt {attempt}")
            }
            Some(SegmentKind::Inject {
                which: InjectionKind::Rsi(kk),
            }) => format!("RSI {kk}"),
            Some(SegmentKind::Direct) => "running C".to_string(),
            _ if f.time >= f64::from(depth) => "done".to_string(),
            _ => "waiting".to_string(),
        };
        let name = if lane.implementation == Implementation::Monolithic {
            "monolithic"
        } else {
            "direct"
        };
        let _ = write!(out, " · {name}: {what}");
    }
    if let Some(w) = v.pb.warp().and_then(|w| w.slowed_for(f.time)) {
        if v.pb.playing {
            let _ = write!(out, " · slowed for: {}", w.what);
        }
    }
    out
}
