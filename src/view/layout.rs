//! Static geometry of the ring view: where the QPUs sit, how large they are drawn, and where
//! every label goes so that nothing is drawn over anything.
//!
//! Coordinates are CSS pixels with the origin at the top left and y pointing down. QPU 0 sits
//! at the top and the others follow clockwise, evenly spaced on a circle centred in the area.
//!
//! [`ring`] lays out the whole ring canvas for a run's shape ([`RingSpec`]: QPUs, n, m
//! instances, k generators, presentation mode) in a `width` × `height` area: the QPU discs,
//! each QPU's *stack* (the row of m instance chips, then its stage pill) and restart badge,
//! each link's Bell-pair storage box (label, fill bar or dots, k generator pies), and every text
//! box inside them. Labels are placed greedily at candidate spots (outside the ring first) and
//! never overlap one another, a disc or the canvas edge; the fonts shrink (never below
//! [`MIN_LABEL_PX`], or [`MIN_PRESENT_PX`] in presentation mode) and the ring shrinks until
//! everything fits. Text widths are estimated from the longest label each box can show
//! ([`text_width`]); the painter measures the real text and shrinks it into its box, so what is
//! drawn stays inside what was reserved.

use std::f64::consts::{FRAC_PI_2, PI, TAU};

/// Radius of the ring, as a fraction of the smaller side of the drawing area.
const RING_FRACTION: f64 = 0.34;
/// Largest QPU radius, as a fraction of the smaller side (leaves a margin inside the area).
const MAX_NODE_FRACTION: f64 = 0.12;
/// QPU radius as a fraction of the distance between neighbours (so neighbours never touch).
const NODE_PER_CHORD: f64 = 0.3;

fn side(width: f64, height: f64) -> f64 {
    let s = width.min(height);
    if s.is_finite() && s > 0.0 {
        s
    } else {
        0.0
    }
}

/// Radius of the circle the QPU centres lie on.
pub fn ring_radius(width: f64, height: f64) -> f64 {
    RING_FRACTION * side(width, height)
}

/// Centres of `num_qpus` QPUs on a ring in a `width` × `height` area: QPU 0 at the top, the
/// rest clockwise. One QPU sits in the centre; zero QPUs give an empty vector.
pub fn ring_layout(num_qpus: usize, width: f64, height: f64) -> Vec<(f64, f64)> {
    let (cx, cy) = (width.max(0.0) / 2.0, height.max(0.0) / 2.0);
    match num_qpus {
        0 => Vec::new(),
        1 => vec![(cx, cy)],
        n => {
            let r = ring_radius(width, height);
            (0..n)
                .map(|i| {
                    let angle = -FRAC_PI_2 + TAU * i as f64 / n as f64;
                    (cx + r * angle.cos(), cy + r * angle.sin())
                })
                .collect()
        }
    }
}

/// Radius to draw each QPU with, so that neighbours never overlap and every QPU stays inside
/// the area.
pub fn node_radius(num_qpus: usize, width: f64, height: f64) -> f64 {
    let max = MAX_NODE_FRACTION * side(width, height);
    if num_qpus <= 1 {
        return max;
    }
    let chord = 2.0 * ring_radius(width, height) * (PI / num_qpus as f64).sin();
    (NODE_PER_CHORD * chord).min(max)
}

/// The links of the ring as pairs of QPU indices `(i, i + 1 mod n)`; two QPUs share one link.
pub fn ring_links(num_qpus: usize) -> Vec<(usize, usize)> {
    match num_qpus {
        0 | 1 => Vec::new(),
        2 => vec![(0, 1)],
        n => (0..n).map(|i| (i, (i + 1) % n)).collect(),
    }
}

/// Smallest font of link labels, stage pills and badges in the page (CSS px).
pub const MIN_LABEL_PX: f64 = 12.0;
/// Smallest font of those labels in presentation mode (CSS px).
pub const MIN_PRESENT_PX: f64 = 18.0;
/// Average advance of a character of the labels, in em (DejaVu Sans / system-ui at weight
/// 600, digits and capitals included, rounded up).
const EM_PER_CHAR: f64 = 0.66;
/// How far a disc's restart flash ring reaches beyond its radius, as a fraction of it.
const FLASH_OUT: f64 = 0.25;
/// Margin kept free along the canvas edges (CSS px).
const EDGE: f64 = 4.0;
/// At most this many instance chips are drawn per QPU (m up to 64): the last shows "+".
pub const MAX_CHIPS: u32 = 8;
/// At most this many generator pies are drawn per link.
pub const MAX_PIES: u32 = 8;
/// Links with at most this many pairs show one dot per pair (16 per row); more, a fill bar.
pub const DOTS_MAX_N: u32 = 32;

/// Estimated width (CSS px) of `text` at `px`: [`EM_PER_CHAR`] per character.
pub fn text_width(text: &str, px: f64) -> f64 {
    text.chars().count() as f64 * EM_PER_CHAR * px
}

/// An axis-aligned box in CSS px.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Rect {
    /// The box of size `w` × `h` centred on (cx, cy).
    pub fn centred(cx: f64, cy: f64, w: f64, h: f64) -> Rect {
        Rect {
            x: cx - w / 2.0,
            y: cy - h / 2.0,
            w,
            h,
        }
    }

    pub fn centre(&self) -> (f64, f64) {
        (self.x + self.w / 2.0, self.y + self.h / 2.0)
    }

    pub fn right(&self) -> f64 {
        self.x + self.w
    }

    pub fn bottom(&self) -> f64 {
        self.y + self.h
    }

    /// Whether the interiors overlap (touching edges do not).
    pub fn intersects(&self, o: &Rect) -> bool {
        self.x < o.right() && o.x < self.right() && self.y < o.bottom() && o.y < self.bottom()
    }

    /// Whether the box lies within [EDGE, width − EDGE] × [EDGE, height − EDGE].
    pub fn inside(&self, width: f64, height: f64) -> bool {
        self.x >= EDGE - 1e-9
            && self.y >= EDGE - 1e-9
            && self.right() <= width - EDGE + 1e-9
            && self.bottom() <= height - EDGE + 1e-9
    }

    /// Whether `o` lies within this box.
    pub fn contains(&self, o: &Rect) -> bool {
        o.x >= self.x - 1e-9
            && o.y >= self.y - 1e-9
            && o.right() <= self.right() + 1e-9
            && o.bottom() <= self.bottom() + 1e-9
    }

    fn translate(&self, dx: f64, dy: f64) -> Rect {
        Rect {
            x: self.x + dx,
            y: self.y + dy,
            ..*self
        }
    }
}

/// What a run looks like on the ring, as far as the layout cares.
#[derive(Clone, Debug, PartialEq)]
pub struct RingSpec {
    /// t + 1 QPUs (≥ 2).
    pub qpus: usize,
    /// n: Bell pairs each link stores for its injection.
    pub n: u32,
    /// m: RSP&V instances per QPU (chips are drawn when m > 1).
    pub instances: u32,
    /// k: generators per link (one pie each).
    pub generators: u32,
    /// Two-sided RSP: the a and b sides are labelled inside the QPU discs.
    pub two_sided: bool,
    /// Presentation mode: larger fonts, at least [`MIN_PRESENT_PX`].
    pub presentation: bool,
}

impl RingSpec {
    /// The shape of a run of `p` (t + 1 QPUs, n, m = `instances`, k = `parallel_links`,
    /// two-sided RSP), in presentation mode or not.
    pub fn of(p: &crate::protocol::params::Params, presentation: bool) -> RingSpec {
        RingSpec {
            qpus: p.t as usize + 1,
            n: p.n,
            instances: p.knobs.instances.max(1),
            generators: p.knobs.parallel_links.max(1),
            two_sided: p.knobs.two_sided_rsp,
            presentation,
        }
    }
}

/// What a text box holds (for tests and the painter).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextKind {
    /// "Q1" inside a disc.
    QpuName,
    /// "block 1" / "input/output" inside a disc.
    QpuRole,
    /// "a" / "b" inside a disc (two-sided RSP).
    Side,
    /// The stage pill under (or beside) a QPU.
    Stage,
    /// The restart badge.
    Restarts,
    /// An instance chip's number.
    Instance,
    /// A link's label ("ℓ1: 42/85 pairs").
    Link,
}

impl TextKind {
    pub fn id(self) -> &'static str {
        match self {
            TextKind::QpuName => "qpu-name",
            TextKind::QpuRole => "qpu-role",
            TextKind::Side => "side",
            TextKind::Stage => "stage",
            TextKind::Restarts => "restarts",
            TextKind::Instance => "instance",
            TextKind::Link => "link",
        }
    }
}

/// A box reserved for one text, and its font size.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TextBox {
    pub rect: Rect,
    pub px: f64,
    pub kind: TextKind,
    /// The QPU (or link, for [`TextKind::Link`]) it belongs to.
    pub owner: usize,
}

/// One QPU's place on the canvas.
#[derive(Clone, Debug, PartialEq)]
pub struct NodeLayout {
    pub centre: (f64, f64),
    pub r: f64,
    pub name: TextBox,
    pub role: TextBox,
    /// "a", "b" (two-sided RSP only).
    pub sides: Vec<TextBox>,
    /// The stage pill (its text box is the pill).
    pub stage: TextBox,
    /// Instance chips (m > 1): centres, in instance order, at most [`MAX_CHIPS`].
    pub chips: Vec<(f64, f64)>,
    /// Their numbers.
    pub chip_text: Vec<TextBox>,
    /// The restart badge, if it found a place.
    pub badge: Option<TextBox>,
}

/// One link's place on the canvas.
#[derive(Clone, Debug, PartialEq)]
pub struct LinkLayout {
    /// ℓ (0..=t).
    pub link: usize,
    /// The QPUs it joins.
    pub qpus: (usize, usize),
    /// The line's two ends (on the discs' rims).
    pub ends: ((f64, f64), (f64, f64)),
    /// The storage box.
    pub boxr: Rect,
    pub label: TextBox,
    /// The fill bar (n > [`DOTS_MAX_N`]) or the grid of dots (one per pair).
    pub bar: Rect,
    /// Generator pies: centres; radius [`RingLayout::pie_r`].
    pub pies: Vec<(f64, f64)>,
}

/// The whole ring canvas.
#[derive(Clone, Debug, PartialEq)]
pub struct RingLayout {
    pub width: f64,
    pub height: f64,
    pub centre: (f64, f64),
    /// Radius of the ring: horizontal `ring_r · stretch.0`, vertical `ring_r · stretch.1`.
    pub ring_r: f64,
    pub stretch: (f64, f64),
    pub node_r: f64,
    /// Font of link labels and stage pills (CSS px).
    pub label_px: f64,
    /// Radius of an instance chip and a generator pie.
    pub chip_r: f64,
    pub pie_r: f64,
    /// Pitch of the pair dots (n ≤ [`DOTS_MAX_N`]).
    pub dot_pitch: f64,
    /// Size unit of strokes (1 at 45 px discs).
    pub u: f64,
    pub nodes: Vec<NodeLayout>,
    pub links: Vec<LinkLayout>,
    /// Every label has a place of its own; false when even the smallest fonts and ring did not
    /// fit and restart badges had to be left out.
    pub complete: bool,
}

impl RingLayout {
    /// Every text box of the canvas (empty boxes of a [`ring`] fallback left out).
    pub fn text_boxes(&self) -> Vec<TextBox> {
        let mut out = Vec::new();
        for n in &self.nodes {
            out.push(n.name);
            out.push(n.role);
            out.extend(n.sides.iter().copied());
            out.push(n.stage);
            out.extend(n.chip_text.iter().copied());
            out.extend(n.badge);
        }
        for l in &self.links {
            out.push(l.label);
        }
        out.retain(|b| b.rect.w > 0.0 && b.rect.h > 0.0);
        out
    }

    /// Every placed region that must not overlap another: each disc (with its flash ring),
    /// each stack (chips and pill), badge and storage box (empty ones left out).
    pub fn regions(&self) -> Vec<Rect> {
        let mut out = Vec::new();
        for n in &self.nodes {
            out.push(disc_box(n.centre, n.r));
            out.push(stack_box(n, self.chip_r));
            out.extend(n.badge.map(|b| b.rect));
        }
        for l in &self.links {
            out.push(l.boxr);
        }
        out.retain(|r| r.w > 0.0 && r.h > 0.0);
        out
    }
}

/// The square a disc of radius `r` occupies with its restart flash ring (r + FLASH_OUT·r).
fn disc_box(c: (f64, f64), r: f64) -> Rect {
    let e = r * (1.0 + FLASH_OUT);
    Rect::centred(c.0, c.1, 2.0 * e, 2.0 * e)
}

/// The box of a node's chips and pill.
fn stack_box(n: &NodeLayout, chip_r: f64) -> Rect {
    let mut r = n.stage.rect;
    for &(x, y) in &n.chips {
        let c = Rect::centred(x, y, 2.0 * chip_r, 2.0 * chip_r);
        let (x0, y0) = (r.x.min(c.x), r.y.min(c.y));
        let (x1, y1) = (r.right().max(c.right()), r.bottom().max(c.bottom()));
        r = Rect {
            x: x0,
            y: y0,
            w: x1 - x0,
            h: y1 - y0,
        };
    }
    r
}

/// The stage labels a QPU can show (the pill reserves the widest): `frame::Stage::label` of
/// every stage QPU q can be in (checks as "check 9/9"; larger r shrinks the text to fit).
fn stage_texts(q: usize, qpus: usize, _two_sided: bool) -> Vec<String> {
    use crate::protocol::schedule::InjectionKind;
    use crate::view::frame::Stage;
    let t = qpus - 1;
    let mut stages = vec![Stage::HoldingData, Stage::Idle, Stage::Done];
    let mut inject = |which| {
        for stalled in [false, true] {
            stages.push(Stage::Injecting { which, stalled });
        }
    };
    if q == 0 {
        inject(InjectionKind::Rsi(1));
        inject(InjectionKind::Teleport);
    } else {
        inject(InjectionKind::Rsi(q as u32));
        if q < t {
            inject(InjectionKind::Rsi(q as u32 + 1));
        } else {
            inject(InjectionKind::Teleport);
        }
        stages.extend([Stage::Rsp, Stage::Check { j: 9, r: 9 }, Stage::Verified]);
    }
    stages.iter().map(Stage::label).collect()
}

fn widest(texts: &[String], px: f64) -> f64 {
    texts.iter().map(|s| text_width(s, px)).fold(0.0, f64::max)
}

/// A link's label: "ℓ1: 42/85" (pairs stored / n).
pub fn link_label(link: usize, stored: u32, n: u32) -> String {
    format!("ℓ{link}: {stored}/{n}")
}

/// The widest label a link's box shows.
pub fn link_label_texts(link: usize, n: u32) -> [String; 1] {
    [link_label(link, n, n)]
}

/// One attempt at a layout with fixed fonts and ring radius; None if a label finds no place.
struct Attempt<'a> {
    spec: &'a RingSpec,
    width: f64,
    height: f64,
    px: f64,
    ring_r: f64,
    /// (horizontal, vertical) factors on `ring_r` (one of them 1): a tall narrow canvas (a
    /// phone) stretches the ring into an upright ellipse, a wide short one (a projector's
    /// half) into a flat one, to make room for the labels.
    stretch: (f64, f64),
    /// Factor on the natural disc radius (≤ 1: smaller discs leave room for labels).
    node_shrink: f64,
    allow_drop: bool,
}

impl Attempt<'_> {
    fn run(&self) -> Result<RingLayout, String> {
        let spec = self.spec;
        let (w, h, px) = (self.width, self.height, self.px);
        let k = spec.qpus.max(2);
        let centre = (w / 2.0, h / 2.0);
        let ring_r = self.ring_r;
        let centres: Vec<(f64, f64)> = (0..k)
            .map(|i| {
                let a = -FRAC_PI_2 + TAU * i as f64 / k as f64;
                (
                    centre.0 + self.stretch.0 * ring_r * a.cos(),
                    centre.1 + self.stretch.1 * ring_r * a.sin(),
                )
            })
            .collect();
        // The closest neighbours (the ellipse's sides are further apart than its ends).
        let chord = (0..k)
            .map(|i| {
                let (a, b) = (centres[i], centres[(i + 1) % k]);
                (a.0 - b.0).hypot(a.1 - b.1)
            })
            .fold(f64::INFINITY, f64::min);
        let node_r = ((0.3 * chord).min(0.13 * w.min(h)).min(3.2 * px + 24.0) * self.node_shrink)
            .max(1.9 * px);
        let u = (node_r / 45.0).clamp(0.5, 1.6);
        let mut placed: Vec<Rect> = Vec::new();
        for &c in &centres {
            let d = disc_box(c, node_r);
            if !d.inside(w, h) || placed.iter().any(|p| p.intersects(&d)) {
                return Err("disc".into());
            }
            placed.push(d);
        }
        let gap = 0.3 * px;
        let pill_h = 1.5 * px;
        let chip_r = 0.8 * px;
        let chips = spec.instances.min(MAX_CHIPS) as usize;
        let show_chips = spec.instances > 1;
        let chips_w = if show_chips {
            chips as f64 * 2.0 * chip_r + (chips as f64 - 1.0) * 0.35 * px
        } else {
            0.0
        };
        // Stacks (chips above the pill, or below it when the stack sits above the disc).
        let mut nodes = Vec::with_capacity(k);
        for (q, &c) in centres.iter().enumerate() {
            // Q0 holds the data and prepares no resource: no instance chips.
            let show_chips = show_chips && q > 0;
            let chips_w = if show_chips { chips_w } else { 0.0 };
            let pill_w = widest(&stage_texts(q, k, spec.two_sided), px) + px;
            let stack_w = pill_w.max(chips_w);
            let stack_h = pill_h + if show_chips { 2.0 * chip_r + gap } else { 0.0 };
            let e = node_r * (1.0 + FLASH_OUT);
            let below = c.1 >= centre.1 - 0.2 * node_r;
            let outward_x = if c.0 >= centre.0 { 1.0 } else { -1.0 };
            // Candidate stack boxes: on the outer side first, then the others.
            let vert = |down: bool| {
                let y = if down {
                    c.1 + e + gap
                } else {
                    c.1 - e - gap - stack_h
                };
                Rect {
                    x: c.0 - stack_w / 2.0,
                    y,
                    w: stack_w,
                    h: stack_h,
                }
            };
            let side = |sx: f64| {
                let x = if sx > 0.0 {
                    c.0 + e + gap
                } else {
                    c.0 - e - gap - stack_w
                };
                Rect {
                    x,
                    y: c.1 - stack_h / 2.0,
                    w: stack_w,
                    h: stack_h,
                }
            };
            let candidates = [vert(below), side(outward_x), vert(!below), side(-outward_x)];
            let stack = first_free(&candidates, &placed, w, h).ok_or(format!("stack {q}"))?;
            placed.push(stack);
            // Inside the stack: chips nearer the disc, the pill further out.
            let pill_at_top = stack.y < c.1 - e;
            let (pill_y, chip_y) = if pill_at_top {
                (stack.y, stack.y + pill_h + gap + chip_r)
            } else {
                (stack.bottom() - pill_h, stack.y + chip_r)
            };
            let (pill_y, chip_y) = if show_chips {
                (pill_y, chip_y)
            } else {
                (stack.y, 0.0)
            };
            let sx = stack.centre().0;
            let stage = TextBox {
                rect: Rect::centred(sx, pill_y + pill_h / 2.0, pill_w, pill_h),
                px,
                kind: TextKind::Stage,
                owner: q,
            };
            let mut chip_centres = Vec::new();
            let mut chip_text = Vec::new();
            if show_chips {
                let x0 = sx - chips_w / 2.0 + chip_r;
                for i in 0..chips {
                    let cx = x0 + i as f64 * (2.0 * chip_r + 0.35 * px);
                    chip_centres.push((cx, chip_y));
                    let cpx = px;
                    chip_text.push(TextBox {
                        rect: Rect::centred(cx, chip_y, 1.2 * chip_r, 1.2 * chip_r),
                        px: cpx,
                        kind: TextKind::Instance,
                        owner: q,
                    });
                }
            }
            // Inside the disc: the name above the centre, the role below, a/b at the sides.
            // Every text at least the minimum label font: a role that would be smaller is
            // left out (the stage pill and the name say enough).
            let min_px = if spec.presentation {
                MIN_PRESENT_PX
            } else {
                MIN_LABEL_PX
            };
            let name_px = (0.5 * node_r).clamp(min_px, 40.0);
            let role_px = (0.24 * node_r).min(24.0);
            let role = if q == 0 {
                "input/output".to_string()
            } else {
                format!("block {q}")
            };
            let name = TextBox {
                rect: Rect::centred(
                    c.0,
                    c.1 - 0.16 * node_r,
                    text_width(&format!("Q{q}"), name_px),
                    1.15 * name_px,
                ),
                px: name_px,
                kind: TextKind::QpuName,
                owner: q,
            };
            let role_box = TextBox {
                rect: Rect::centred(
                    c.0,
                    c.1 + 0.36 * node_r,
                    text_width(&role, role_px).min(1.5 * node_r),
                    1.15 * role_px,
                ),
                px: role_px,
                kind: TextKind::QpuRole,
                owner: q,
            };
            let disc = Rect::centred(c.0, c.1, 2.0 * node_r, 2.0 * node_r);
            // Texts that do not fit a small disc are left out (the stage pill says it all).
            let fits = |b: &TextBox, others: &[&TextBox]| {
                disc.contains(&b.rect) && others.iter().all(|o| !o.rect.intersects(&b.rect))
            };
            let role_box = if role_px >= min_px && fits(&role_box, &[&name]) {
                role_box
            } else {
                TextBox {
                    rect: Rect::centred(c.0, c.1, 0.0, 0.0),
                    ..role_box
                }
            };
            let mut sides = Vec::new();
            if spec.two_sided && q > 0 {
                let spx = (0.26 * node_r).clamp(min_px, 24.0);
                for dx in [-0.72, 0.72] {
                    sides.push(TextBox {
                        rect: Rect::centred(
                            c.0 + dx * node_r,
                            c.1 + 0.02 * node_r,
                            text_width("a", spx),
                            1.15 * spx,
                        ),
                        px: spx,
                        kind: TextKind::Side,
                        owner: q,
                    });
                }
                if !sides.iter().all(|b| fits(b, &[&name, &role_box])) {
                    sides.clear();
                }
            }
            nodes.push(NodeLayout {
                centre: c,
                r: node_r,
                name,
                role: role_box,
                sides,
                stage,
                chips: chip_centres,
                chip_text,
                badge: None,
            });
        }
        // Links: ℓ_k joins Q_{k−1} and Q_k; ℓ_0 joins Q_t and Q_0.
        let t = k - 1;
        let pad = 0.45 * px;
        let pie_r = 0.45 * px;
        let pies = spec.generators.clamp(1, MAX_PIES) as usize;
        let pies_w = pies as f64 * 2.0 * pie_r + (pies as f64 - 1.0) * 0.3 * px;
        let dots = spec.n <= DOTS_MAX_N;
        let dot_pitch = 0.8 * px;
        let (bar_w, bar_h) = if dots {
            let cols = spec.n.clamp(1, 16) as f64;
            let rows = f64::from(spec.n.div_ceil(16).max(1));
            (cols * dot_pitch, rows * dot_pitch)
        } else {
            (7.0 * px, 0.75 * px)
        };
        struct LinkGeom {
            a: usize,
            b: usize,
            ends: ((f64, f64), (f64, f64)),
            base: Rect,
            normal: (f64, f64),
            along: (f64, f64),
            len: f64,
            label_w: f64,
        }
        let line_h = 1.25 * px;
        let geoms: Vec<LinkGeom> = (0..k)
            .map(|l| {
                let (a, b) = if l == 0 { (t, 0) } else { (l - 1, l) };
                let (pa, pb) = (centres[a], centres[b]);
                let label_w = link_label_texts(l, spec.n)
                    .iter()
                    .map(|s| text_width(s, px))
                    .fold(0.0, f64::max);
                let inner_w = (label_w + 0.4 * px + pies_w).max(bar_w);
                let bw = inner_w + 2.0 * pad;
                let bh = pad + line_h + 0.3 * px + bar_h + pad;
                let (dx, dy) = (pb.0 - pa.0, pb.1 - pa.1);
                let len = dx.hypot(dy).max(1e-9);
                let (ux, uy) = (dx / len, dy / len);
                let mid = ((pa.0 + pb.0) / 2.0, (pa.1 + pb.1) / 2.0);
                // Two links between the same two QPUs (t = 1): side by side, left and right.
                let (off, nx, ny) = if k == 2 {
                    let side = if l == 1 { 1.0 } else { -1.0 };
                    (side * node_r * 0.45, side, 0.0)
                } else {
                    let (mx, my) = (mid.0 - centre.0, mid.1 - centre.1);
                    let ml = mx.hypot(my).max(1e-9);
                    (0.0, mx / ml, my / ml)
                };
                LinkGeom {
                    a,
                    b,
                    ends: (
                        (pa.0 + ux * node_r + off, pa.1 + uy * node_r),
                        (pb.0 - ux * node_r + off, pb.1 - uy * node_r),
                    ),
                    base: Rect::centred(mid.0 + off, mid.1, bw, bh),
                    normal: (nx, ny),
                    along: (ux, uy),
                    len,
                    label_w,
                }
            })
            .collect();
        let step = 0.25 * px;
        let reach = self.stretch.0.max(self.stretch.1) * ring_r + 0.5 * w.max(h);
        // First every box pushed out by the same distance (a symmetric picture), the smallest
        // that clears everything; failing that, each box on its own.
        let mut boxes: Option<Vec<Rect>> = None;
        let mut d = 0.0;
        while d <= reach && boxes.is_none() {
            let cand: Vec<Rect> = geoms
                .iter()
                .map(|g| g.base.translate(g.normal.0 * d, g.normal.1 * d))
                .collect();
            let ok = cand.iter().enumerate().all(|(i, c)| {
                c.inside(w, h)
                    && placed.iter().all(|p| !p.intersects(c))
                    && cand[..i].iter().all(|o| !o.intersects(c))
            });
            if ok {
                boxes = Some(cand);
            }
            d += step;
        }
        let boxes = match boxes {
            Some(b) => {
                placed.extend(b.iter().copied());
                b
            }
            None => {
                let mut out = Vec::with_capacity(k);
                for (l, g) in geoms.iter().enumerate() {
                    let mut candidates = Vec::new();
                    let mut d = 0.0;
                    while d <= reach {
                        candidates.push(g.base.translate(g.normal.0 * d, g.normal.1 * d));
                        d += step;
                    }
                    // Then slid along the link, then inward.
                    for s in [-1.0, 1.0] {
                        let mut d = step;
                        while d <= 0.5 * g.len {
                            candidates.push(g.base.translate(g.along.0 * d * s, g.along.1 * d * s));
                            d += step;
                        }
                    }
                    let mut d = step;
                    while d <= ring_r {
                        candidates.push(g.base.translate(-g.normal.0 * d, -g.normal.1 * d));
                        d += step;
                    }
                    let boxr = first_free(&candidates, &placed, w, h)
                        .ok_or_else(|| format!("link {l}"))?;
                    placed.push(boxr);
                    out.push(boxr);
                }
                out
            }
        };
        let links: Vec<LinkLayout> = geoms
            .iter()
            .zip(boxes)
            .enumerate()
            .map(|(l, (g, boxr))| {
                let label = TextBox {
                    rect: Rect {
                        x: boxr.x + pad,
                        y: boxr.y + pad,
                        w: g.label_w,
                        h: line_h,
                    },
                    px,
                    kind: TextKind::Link,
                    owner: l,
                };
                let pies_x = boxr.right() - pad - pies_w + pie_r;
                let pies_c: Vec<(f64, f64)> = (0..pies)
                    .map(|i| {
                        (
                            pies_x + i as f64 * (2.0 * pie_r + 0.3 * px),
                            boxr.y + pad + line_h / 2.0,
                        )
                    })
                    .collect();
                let bar = Rect {
                    x: boxr.x + pad,
                    y: boxr.y + pad + line_h + 0.3 * px,
                    w: boxr.w - 2.0 * pad,
                    h: bar_h,
                };
                LinkLayout {
                    link: l,
                    qpus: (g.a, g.b),
                    ends: g.ends,
                    boxr,
                    label,
                    bar,
                    pies: pies_c,
                }
            })
            .collect();
        // Restart badges: on the side opposite the stack, else anywhere free.
        let bpx = px;
        let badge_w = text_width("restart! (99)", bpx) + bpx;
        let badge_h = 1.5 * bpx;
        let mut complete = true;
        for node in nodes.iter_mut() {
            let c = node.centre;
            let e = node_r * (1.0 + FLASH_OUT);
            let stack_below = node.stage.rect.y > c.1;
            let gap = 0.3 * px;
            let vert = |down: bool| {
                let y = if down {
                    c.1 + e + gap
                } else {
                    c.1 - e - gap - badge_h
                };
                Rect::centred(c.0, y + badge_h / 2.0, badge_w, badge_h)
            };
            let side = |sx: f64| {
                let x = if sx > 0.0 {
                    c.0 + e + gap + badge_w / 2.0
                } else {
                    c.0 - e - gap - badge_w / 2.0
                };
                Rect::centred(x, c.1, badge_w, badge_h)
            };
            let candidates = [
                vert(!stack_below),
                side(1.0),
                side(-1.0),
                vert(stack_below),
                // Diagonals, further out.
                Rect::centred(c.0 + e, c.1 - e - badge_h, badge_w, badge_h),
                Rect::centred(c.0 - e, c.1 - e - badge_h, badge_w, badge_h),
                Rect::centred(c.0 + e, c.1 + e + badge_h, badge_w, badge_h),
                Rect::centred(c.0 - e, c.1 + e + badge_h, badge_w, badge_h),
            ];
            match first_free(&candidates, &placed, w, h) {
                Some(b) => {
                    placed.push(b);
                    node.badge = Some(TextBox {
                        rect: b,
                        px: bpx,
                        kind: TextKind::Restarts,
                        owner: node.name.owner,
                    });
                }
                None if self.allow_drop => complete = false,
                None => return Err("badge".into()),
            }
        }
        Ok(RingLayout {
            width: w,
            height: h,
            centre,
            ring_r,
            stretch: self.stretch,
            node_r,
            label_px: px,
            chip_r,
            pie_r,
            dot_pitch,
            u,
            nodes,
            links,
            complete,
        })
    }
}

/// The first candidate inside the canvas that overlaps nothing placed.
fn first_free(candidates: &[Rect], placed: &[Rect], width: f64, height: f64) -> Option<Rect> {
    candidates
        .iter()
        .find(|c| c.inside(width, height) && placed.iter().all(|p| !p.intersects(c)))
        .copied()
}

/// The label font a canvas `width` CSS px wide asks for (before any shrinking to fit).
pub fn label_px(width: f64, presentation: bool) -> f64 {
    if presentation {
        (width / 55.0).clamp(MIN_PRESENT_PX, 28.0)
    } else {
        (width / 80.0).clamp(MIN_LABEL_PX, 15.0)
    }
}

/// Lays out the ring canvas (see the module documentation). Tries the page's font for the
/// width, then smaller fonts down to the minimum, each with the ring as large as fits; if
/// nothing fits even then, the smallest layout leaves out restart badges that found no place
/// (`complete` = false). Degenerate sizes give a layout with `complete` = false.
pub fn ring(spec: &RingSpec, width: f64, height: f64) -> RingLayout {
    let w = if width.is_finite() {
        width.max(1.0)
    } else {
        1.0
    };
    let h = if height.is_finite() {
        height.max(1.0)
    } else {
        1.0
    };
    let min_px = if spec.presentation {
        MIN_PRESENT_PX
    } else {
        MIN_LABEL_PX
    };
    let mut px = label_px(w, spec.presentation);
    loop {
        if let Some(l) = try_radii(spec, w, h, px, false) {
            return l;
        }
        if px <= min_px {
            break;
        }
        px = (px * 0.9).max(min_px);
    }
    try_radii(spec, w, h, min_px, true).unwrap_or_else(|| fallback(spec, w, h, min_px))
}

fn try_radii(spec: &RingSpec, w: f64, h: f64, px: f64, allow_drop: bool) -> Option<RingLayout> {
    let side = w.min(h);
    // A circle first; an upright ellipse on canvases taller than wide, a flat one on wide
    // ones.
    let stretches: &[(f64, f64)] = if h > 1.15 * w {
        &[(1.0, 1.0), (1.0, 1.3), (1.0, 1.6), (1.0, 2.0)]
    } else if w > 1.15 * h {
        &[(1.0, 1.0), (1.3, 1.0), (1.6, 1.0), (2.0, 1.0)]
    } else {
        &[(1.0, 1.0)]
    };
    for &stretch in stretches {
        for node_shrink in [1.0, 0.8] {
            let mut f = 0.46;
            while f >= 0.16 {
                let a = Attempt {
                    spec,
                    width: w,
                    height: h,
                    px,
                    ring_r: f * side,
                    stretch,
                    node_shrink,
                    allow_drop,
                };
                if let Ok(l) = a.run() {
                    return Some(l);
                }
                f -= 0.02;
            }
        }
    }
    None
}

/// A layout for an area too small for the labels: discs only, nothing placed outside them.
fn fallback(spec: &RingSpec, w: f64, h: f64, px: f64) -> RingLayout {
    let k = spec.qpus.max(2);
    let centre = (w / 2.0, h / 2.0);
    let ring_r = 0.3 * w.min(h);
    let chord = 2.0 * ring_r * (PI / k as f64).sin();
    // Disc boxes (with the flash ring) of neighbours at any angle must not overlap: their
    // centres are `chord` apart, so half a box must stay under chord / (2√2).
    let node_r = (0.1 * w.min(h)).min(0.27 * chord).max(0.5);
    let nodes = (0..k)
        .map(|q| {
            let a = -FRAC_PI_2 + TAU * q as f64 / k as f64;
            let c = (centre.0 + ring_r * a.cos(), centre.1 + ring_r * a.sin());
            let empty = |kind| TextBox {
                rect: Rect::centred(c.0, c.1, 0.0, 0.0),
                px: 0.0,
                kind,
                owner: q,
            };
            NodeLayout {
                centre: c,
                r: node_r,
                name: empty(TextKind::QpuName),
                role: empty(TextKind::QpuRole),
                sides: Vec::new(),
                stage: empty(TextKind::Stage),
                chips: Vec::new(),
                chip_text: Vec::new(),
                badge: None,
            }
        })
        .collect();
    RingLayout {
        width: w,
        height: h,
        centre,
        ring_r,
        stretch: (1.0, 1.0),
        node_r,
        label_px: px,
        chip_r: 0.0,
        pie_r: 0.0,
        dot_pitch: 0.0,
        u: 0.5,
        nodes,
        links: Vec::new(),
        complete: false,
    }
}

/// The smallest canvas height (CSS px, a multiple of 10) at which the ring of `spec` is laid
/// out completely at the page's font for `width` (never below 0.25 × width, at most 2.5 ×
/// width). When no height gives a complete layout, 2.5 × width, unless a square draws every
/// QPU and as many links: then the square (t = 32 or 64 on a page: the tall canvas only added
/// empty space above and below the same ring of discs). The page gives the canvas at least
/// this height outside presentation mode.
pub fn min_height(spec: &RingSpec, width: f64) -> f64 {
    let w = if width.is_finite() {
        width.max(1.0)
    } else {
        1.0
    };
    let px = label_px(w, spec.presentation);
    let mut h = (0.25 * w / 10.0).ceil() * 10.0;
    while h < 2.5 * w {
        if try_radii(spec, w, h, px, false).is_some() {
            return h;
        }
        h += 10.0;
    }
    let square = (w / 10.0).ceil() * 10.0;
    if square < h {
        let (sq, tall) = (ring(spec, w, square), ring(spec, w, h));
        if sq.nodes.len() == spec.qpus && sq.links.len() >= tall.links.len() {
            return square;
        }
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dist(a: (f64, f64), b: (f64, f64)) -> f64 {
        (a.0 - b.0).hypot(a.1 - b.1)
    }

    #[test]
    fn four_qpus_sit_on_a_square_starting_at_the_top_clockwise() {
        let p = ring_layout(4, 800.0, 600.0);
        let r = ring_radius(800.0, 600.0);
        assert_eq!(p.len(), 4);
        let close = |a: (f64, f64), b: (f64, f64)| dist(a, b) < 1e-9;
        assert!(close(p[0], (400.0, 300.0 - r)), "Q0 at the top: {:?}", p[0]);
        assert!(
            close(p[1], (400.0 + r, 300.0)),
            "Q1 to the right: {:?}",
            p[1]
        );
        assert!(
            close(p[2], (400.0, 300.0 + r)),
            "Q2 at the bottom: {:?}",
            p[2]
        );
        assert!(
            close(p[3], (400.0 - r, 300.0)),
            "Q3 to the left: {:?}",
            p[3]
        );
    }

    #[test]
    fn qpus_are_evenly_spaced_inside_the_area_and_never_overlap() {
        for n in 2..=32 {
            for &(w, h) in &[(800.0, 600.0), (300.0, 900.0), (1.0, 1.0)] {
                let p = ring_layout(n, w, h);
                let r = node_radius(n, w, h);
                assert_eq!(p.len(), n);
                let step = dist(p[0], p[1]);
                for i in 0..n {
                    let (x, y) = p[i];
                    assert!(x - r >= 0.0 && x + r <= w && y - r >= 0.0 && y + r <= h);
                    let next = p[(i + 1) % n];
                    assert!((dist(p[i], next) - step).abs() < 1e-9 * w.max(h));
                    if n > 2 {
                        assert!(dist(p[i], next) > 2.0 * r, "n={n}: neighbours overlap");
                    }
                }
            }
        }
    }

    #[test]
    fn degenerate_areas_and_counts_give_finite_geometry() {
        assert!(ring_layout(0, 100.0, 100.0).is_empty());
        assert_eq!(ring_layout(1, 100.0, 50.0), vec![(50.0, 25.0)]);
        for &(w, h) in &[(0.0, 0.0), (-5.0, 10.0), (f64::NAN, 10.0)] {
            for n in 0..6 {
                let r = node_radius(n, w, h);
                assert!(r.is_finite() && r >= 0.0);
                for (x, y) in ring_layout(n, w, h) {
                    assert!(x.is_finite() && y.is_finite());
                }
            }
        }
    }

    fn spec(qpus: usize, n: u32, m: u32, k: u32, two_sided: bool, present: bool) -> RingSpec {
        RingSpec {
            qpus,
            n,
            instances: m,
            generators: k,
            two_sided,
            presentation: present,
        }
    }

    /// Checks what the page relies on: every region and every text box inside the canvas,
    /// no two regions and no two text boxes overlapping, each text inside its region, the
    /// label fonts at least the minimum.
    fn check(l: &RingLayout, what: &str) {
        let regions = l.regions();
        for (i, a) in regions.iter().enumerate() {
            assert!(
                a.inside(l.width, l.height),
                "{what}: region {a:?} leaves the canvas"
            );
            for b in &regions[i + 1..] {
                assert!(!a.intersects(b), "{what}: regions {a:?} and {b:?} overlap");
            }
        }
        let texts = l.text_boxes();
        for (i, a) in texts.iter().enumerate() {
            assert!(
                a.rect.inside(l.width, l.height),
                "{what}: {a:?} leaves the canvas"
            );
            for b in &texts[i + 1..] {
                assert!(
                    !a.rect.intersects(&b.rect),
                    "{what}: text boxes {a:?} and {b:?} overlap"
                );
            }
        }
        for n in &l.nodes {
            let disc = Rect::centred(n.centre.0, n.centre.1, 2.0 * n.r, 2.0 * n.r);
            for tb in [n.name, n.role].iter().chain(&n.sides) {
                assert!(disc.contains(&tb.rect), "{what}: {tb:?} outside its disc");
            }
        }
        if l.complete {
            let min = if l.label_px >= MIN_PRESENT_PX {
                MIN_LABEL_PX.max(l.label_px.min(MIN_PRESENT_PX))
            } else {
                MIN_LABEL_PX
            };
            for tb in &texts {
                assert!(tb.px >= min - 1e-9, "{what}: {tb:?} below {min} px");
            }
        }
        for link in &l.links {
            assert!(link.boxr.contains(&link.label.rect), "{what}: link label");
            assert!(link.boxr.contains(&link.bar), "{what}: link bar");
        }
    }

    #[test]
    fn no_two_text_boxes_intersect_for_every_t_and_page_width() {
        // Canvas heights as the page gives them: its CSS height (60 % of a 720 / 1080 px
        // viewport, at most 560 px) or the layout's minimum height when that is larger.
        for t in 1..=8usize {
            for (width, css_h) in [(390.0, 0.0), (1280.0, 432.0), (1920.0, 560.0)] {
                for (n, m, k, two) in [
                    (85, 1, 1, false),
                    (12, 1, 1, false),
                    (85, 2, 3, false),
                    (85, 2, 1, true),
                ] {
                    let s = spec(t + 1, n, m, k, two, false);
                    let h = min_height(&s, width).max(css_h);
                    let l = ring(&s, width, h);
                    let what = format!("t={t} {width}×{h} n={n} m={m} k={k} two-sided={two}");
                    // A phone fits every label up to t = 6; beyond, restart badges may be
                    // left out (never drawn over anything).
                    if t <= 6 || width > 1000.0 {
                        assert!(l.complete, "{what}: incomplete");
                    }
                    assert_eq!(l.nodes.len(), t + 1);
                    assert_eq!(l.links.len(), t + 1);
                    assert!(l.label_px >= MIN_LABEL_PX, "{what}: {} px", l.label_px);
                    check(&l, &what);
                    if m > 1 {
                        assert!(l.nodes[1..].iter().all(|n| n.chips.len() == m as usize));
                        assert!(l.nodes[0].chips.is_empty(), "Q0 runs no RSP&V");
                    }
                    assert!(l.links.iter().all(|x| x.pies.len() == k as usize));
                }
                // Presentation mode (a projector, not a phone): a third of the width or the
                // minimum height (at most 0.7 × the width), fonts ≥ 18 px.
                if width > 1000.0 {
                    let s = spec(t + 1, 85, 1, 1, false, true);
                    let h = min_height(&s, width).max(width * 0.33);
                    assert!(h <= 0.7 * width, "presentation t={t}: {h} px tall");
                    let l = ring(&s, width, h);
                    let what = format!("presentation t={t} {width}×{h}");
                    assert!(l.label_px >= MIN_PRESENT_PX, "{what}");
                    assert!(l.complete, "{what}: incomplete");
                    check(&l, &what);
                }
                // Whatever the area, nothing overlaps (small areas drop labels, never overlap).
                for h in [120.0, 300.0] {
                    let l = ring(&spec(t + 1, 85, 2, 3, true, width < 1000.0), width, h);
                    check(&l, &format!("small t={t} {width}×{h}"));
                }
            }
        }
    }

    #[test]
    fn the_phone_gets_a_taller_canvas_than_its_css_and_desktop_fonts_are_larger() {
        let s = spec(4, 85, 1, 1, false, false);
        let phone = min_height(&s, 390.0);
        assert!((200.0..=800.0).contains(&phone), "{phone}");
        assert_eq!(phone % 10.0, 0.0);
        let l = ring(&s, 390.0, phone);
        assert_eq!(l.label_px, MIN_LABEL_PX);
        let wide = ring(&s, 1280.0, 432.0);
        assert!(wide.label_px > MIN_LABEL_PX);
        assert!(wide.node_r > l.node_r);
        // Too small for any label: discs only, flagged incomplete, still finite.
        let tiny = ring(&s, 60.0, 40.0);
        assert!(!tiny.complete);
        assert!(tiny.nodes.iter().all(|n| n.centre.0.is_finite()));
        let nan = ring(&s, f64::NAN, -3.0);
        assert!(!nan.complete);
    }

    #[test]
    fn a_ring_too_crowded_to_label_gets_a_square_not_a_tall_strip() {
        // t = 32 and 64 on a page: no height labels every QPU or draws the links, so the
        // canvas is a square (it was 2.5 × width: 2311 px of empty space at 922 px).
        for (qpus, w) in [(65, 1280.0), (65, 922.0), (33, 922.0), (65, 390.0)] {
            let crowded = spec(qpus, 85, 1, 1, false, false);
            let h = min_height(&crowded, w);
            assert_eq!(h, (w / 10.0f64).ceil() * 10.0, "t + 1 = {qpus}, width {w}");
            assert_eq!(ring(&crowded, w, h).nodes.len(), qpus, "every QPU is drawn");
        }
        // A phone with t = 7 still gets the tall canvas that draws its links.
        let phone = spec(8, 85, 1, 1, false, false);
        let l = ring(&phone, 390.0, min_height(&phone, 390.0));
        assert_eq!(l.links.len(), 8);
    }

    #[test]
    fn rects_and_text_widths() {
        let a = Rect::centred(10.0, 10.0, 4.0, 4.0);
        assert_eq!((a.x, a.y, a.right(), a.bottom()), (8.0, 8.0, 12.0, 12.0));
        assert!(a.intersects(&Rect::centred(13.0, 10.0, 4.0, 4.0)));
        assert!(
            !a.intersects(&Rect::centred(14.0, 10.0, 4.0, 4.0)),
            "touching"
        );
        assert!(a.contains(&Rect::centred(10.0, 10.0, 2.0, 2.0)));
        assert!(a.inside(20.0, 20.0) && !a.inside(11.0, 20.0));
        assert!((text_width("ℓ1: 85/85 pairs", 12.0) - 15.0 * EM_PER_CHAR * 12.0).abs() < 1e-9);
    }

    #[test]
    fn links_close_the_ring() {
        assert!(ring_links(1).is_empty());
        assert_eq!(ring_links(2), vec![(0, 1)]);
        assert_eq!(ring_links(4), vec![(0, 1), (1, 2), (2, 3), (3, 0)]);
    }
}
