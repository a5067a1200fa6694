//! What the page's panels say, decided without a browser (issue 12 items 1–4, issue 13 item 5,
//! issue 14 item 4): verdict marks (icon and word, never colour alone), the sentence the live
//! region reads when the claims are evaluated, the data tables that stand in for the plots,
//! the rows of marker labels drawn above a plot, the claim map's current reading, and the
//! qubit count that m instances imply.
//!
//! The panels in `web` (`claims_panel`, `claim_map`, `plots`, `scaling_plot`, `controls`) only
//! paint what these functions return; everything here is unit-tested natively.

use crate::claims::{ClaimResult, Verdict};
use crate::estimate::QubitCounts;
use crate::protocol::params::Knobs;
use crate::view::plot_data::{format_value, Preset, XAxis};
use crate::view::scaling::Scaling;

/// The mark of a verdict: an icon and a word, so it reads without colour (issue 12 item 2):
/// holds ✓, fails ✗, not resolved ?, not shown –.
pub fn verdict_mark(v: Verdict) -> (&'static str, &'static str) {
    match v {
        Verdict::Holds => ("✓", "holds"),
        Verdict::Fails => ("✗", "fails"),
        Verdict::Unresolved => ("?", "not resolved"),
        Verdict::NotShown => ("–", "not shown"),
    }
}

/// One sentence for the live region: "Claims: Q1 holds, Q2 holds, Q3 not shown (preset Paper
/// Fig. 3b), …".
pub fn claims_sentence(results: &[ClaimResult]) -> String {
    let parts: Vec<String> = results
        .iter()
        .map(|r| {
            let (_, word) = verdict_mark(r.verdict);
            match (r.verdict, Preset::parse(&r.preset)) {
                (Verdict::NotShown, Some(p)) => {
                    format!("{} {word} (preset {})", r.claim.id(), p.label())
                }
                _ => format!("{} {word}", r.claim.id()),
            }
        })
        .collect();
    format!("Claims: {}.", parts.join(", "))
}

/// A label to place in the band above a plot: it belongs to a vertical line at `anchor` (pixels)
/// and is `width` wide; `connectors` are the x of the lines that run from the label down to
/// the plot (the marker's line, or both edges of a shaded span).
#[derive(Clone, Debug, PartialEq)]
pub struct LabelSpec {
    pub anchor: f64,
    pub width: f64,
    pub connectors: Vec<f64>,
}

/// Where a label goes: its row (0 = nearest the plot) and its left edge (pixels).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Placed {
    pub row: usize,
    pub start: f64,
}

/// Places labels in rows above a plot spanning `[left, right)` pixels: each label starts
/// `gap` right of its anchor, or ends `gap` left of it when it would run past `right`; it
/// takes the lowest row where it keeps `gap` from the labels of that row, no connector of a
/// label in a higher row runs through it, and its own connectors run through no label of a
/// lower row (connectors go down to the plot). Labels are placed from the rightmost anchor to
/// the leftmost, in at most `labels.len()` rows. When no row meets all three rules (a label
/// whose lines must cross a label already placed below), the label takes the lowest row that
/// keeps it apart from its row and from the lines above it, so labels never overlap each other
/// and the search always ends (it is at most quadratic in the number of labels).
pub fn place_labels(labels: &[LabelSpec], left: f64, right: f64, gap: f64) -> Vec<Placed> {
    let span = |l: &LabelSpec| -> (f64, f64) {
        let start = if l.anchor + gap + l.width > right {
            (l.anchor - gap - l.width).max(left.min(l.anchor))
        } else {
            l.anchor + gap
        };
        (start, start + l.width)
    };
    let crosses =
        |xs: &[f64], (s, e): (f64, f64)| xs.iter().any(|&x| x > s - gap / 2.0 && x < e + gap / 2.0);
    let mut order: Vec<usize> = (0..labels.len()).collect();
    order.sort_by(|&a, &b| labels[b].anchor.total_cmp(&labels[a].anchor));
    let mut placed: Vec<Option<Placed>> = vec![None; labels.len()];
    for &i in &order {
        let me = span(&labels[i]);
        // `strict`: also keep this label's own lines off the labels below it.
        let fits = |row: usize, strict: bool| {
            placed.iter().enumerate().all(|(j, p)| {
                let Some(p) = p else { return true };
                let other = span(&labels[j]);
                if p.row == row {
                    me.1 + gap <= other.0 || me.0 >= other.1 + gap
                } else if p.row > row {
                    !crosses(&labels[j].connectors, me)
                } else {
                    !strict || !crosses(&labels[i].connectors, other)
                }
            })
        };
        // Row `labels.len()` is above every placed label, so the relaxed search always ends.
        let rows = 0..=labels.len();
        let row = rows
            .clone()
            .find(|&r| fits(r, true))
            .or_else(|| rows.clone().find(|&r| fits(r, false)))
            .unwrap_or(labels.len());
        placed[i] = Some(Placed { row, start: me.0 });
    }
    placed
        .into_iter()
        .map(|p| {
            p.unwrap_or(Placed {
                row: 0,
                start: left,
            })
        })
        .collect()
}

/// Tick values (in data units, increasing) for an axis from `lo` to `hi` drawn on `scale`, at
/// most `max` of them: on a linear axis multiples of 1, 2 or 5 × 10^k; on a log axis the
/// values 1, 2 and 5 × 10^k inside the range, or only the powers of ten when those are too
/// many (and 1, 2, 5 × 10^k again when fewer than two powers of ten fit).
pub fn axis_ticks(scale: crate::view::plot_data::Scale, lo: f64, hi: f64, max: usize) -> Vec<f64> {
    use crate::view::plot_data::{round_significant, Scale};
    if !(lo.is_finite() && hi.is_finite() && hi > lo) || max == 0 {
        return Vec::new();
    }
    match scale {
        Scale::Lin => {
            let raw = (hi - lo) / max.max(1) as f64;
            let mag = 10f64.powf(raw.log10().floor());
            let step = [1.0, 2.0, 5.0, 10.0]
                .iter()
                .map(|m| m * mag)
                .find(|&s| ((hi - lo) / s).floor() + 1.0 <= max as f64)
                .unwrap_or(10.0 * mag);
            let first = (lo / step).ceil() as i64;
            let last = (hi / step).floor() as i64;
            (first..=last)
                .map(|k| round_significant(k as f64 * step, 12))
                .collect()
        }
        Scale::Log => {
            if lo <= 0.0 {
                return Vec::new();
            }
            let (a, b) = (lo.log10().floor() as i32, hi.log10().ceil() as i32);
            let pick = |mults: &[f64]| -> Vec<f64> {
                (a..=b)
                    .flat_map(|e| {
                        mults
                            .iter()
                            .map(move |m| round_significant(m * 10f64.powi(e), 12))
                    })
                    .filter(|&v| v >= lo * (1.0 - 1e-12) && v <= hi * (1.0 + 1e-12))
                    .collect()
            };
            let all = pick(&[1.0, 2.0, 5.0]);
            if all.len() <= max {
                return all;
            }
            let decades = pick(&[1.0]);
            if decades.len() >= 2 {
                decades.into_iter().take(max).collect()
            } else {
                all.into_iter().take(max).collect()
            }
        }
    }
}

/// A data table standing in for a plot: caption, column headers, rows of text.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    pub caption: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// The plot a table stands in for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlotKind {
    LogicalErrorRate,
    Depth,
}

/// "0.3110 ± 0.0412" (p_L, 4 decimals) or "1586.2 ± 31.0" (depth, 1 decimal) over
/// `circuits` circuits; "0.3110 ± n/a" for a single circuit (no spread to estimate: its std
/// is 0); "–" when the mean is not a number.
pub fn mean_std_text(kind: PlotKind, mean: f64, std: f64, circuits: u32) -> String {
    if !mean.is_finite() {
        return "–".into();
    }
    let prec = match kind {
        PlotKind::LogicalErrorRate => 4,
        PlotKind::Depth => 1,
    };
    if circuits < 2 {
        format!("{mean:.prec$} ± n/a")
    } else {
        format!("{mean:.prec$} ± {std:.prec$}")
    }
}

/// The table of one plot: one row per x value (sorted), the three implementations' mean ± std
/// over circuits, the statistics of the point, and on the depth plot the uniform-model bounds
/// the plot draws (Prop. 1, 4(t+1) bound).
pub fn plot_table(
    kind: PlotKind,
    axis: XAxis,
    points: &[crate::view::plot_data::PlotPoint],
) -> Table {
    let mut pts: Vec<&crate::view::plot_data::PlotPoint> = points.iter().collect();
    pts.sort_by(|a, b| a.x.total_cmp(&b.x));
    let what = match kind {
        PlotKind::LogicalErrorRate => "Logical error rate p_L",
        PlotKind::Depth => "Depth (layers)",
    };
    let mut header = vec![
        axis.name().to_string(),
        "distributed".to_string(),
        "monolithic".to_string(),
        "direct".to_string(),
    ];
    if kind == PlotKind::Depth {
        header.push("Prop. 1 (uniform model)".into());
        header.push("bound 4(t+1) (uniform model)".into());
    }
    header.push("circuits × samples".into());
    let rows = pts
        .iter()
        .map(|p| {
            let vals = match kind {
                PlotKind::LogicalErrorRate => p.logical_error_rates(),
                PlotKind::Depth => p.depths(),
            };
            // Columns in the order of the legend: distributed, monolithic, direct.
            let mut row = vec![format_value(p.x)];
            for m in [vals[2], vals[1], vals[0]] {
                row.push(mean_std_text(kind, m.mean, m.std, p.circuits));
            }
            if kind == PlotKind::Depth {
                for b in [
                    p.prop1_monolithic_depth_uniform_model,
                    p.prop2_distributed_depth_bound_uniform_model,
                ] {
                    row.push(if b.is_finite() {
                        format!("{b:.1}")
                    } else {
                        "–".into()
                    });
                }
            }
            row.push(format!("{} × {}", p.circuits, p.shots));
            row
        })
        .collect();
    Table {
        caption: format!(
            "{what} against {} (mean ± standard deviation over circuits)",
            axis.label()
        ),
        header,
        rows,
    }
}

/// The tables of the scaling view: the fewest links per connection against t (measured,
/// fitted c·t/ln t, Prop. 2), and the depths against t (measured, Eqs. 6–7).
pub fn scaling_tables(s: &Scaling) -> (Table, Table) {
    let opt = |v: Option<f64>| v.map_or("–".to_string(), |v| format!("{v:.2}"));
    let links = Table {
        caption: format!(
            "Bell-pair generators per link needed so that no sampled run waits, against t{}",
            s.fit_c
                .map_or(String::new(), |c| format!(" (fit: k ≈ {c:.3}·t/ln t)"))
        ),
        header: vec![
            "t".into(),
            "measured k".into(),
            "fit c·t/ln t".into(),
            "Prop. 2 (Eq. 8 solved for k)".into(),
        ],
        rows: s
            .rows
            .iter()
            .map(|r| {
                vec![
                    r.t.to_string(),
                    r.min_parallel_links
                        .map_or("none ≤ n".to_string(), |k| k.to_string()),
                    opt(r.fitted_c_t_over_ln_t),
                    format!("{:.2}", r.prop2_min_parallel_links),
                ]
            })
            .collect(),
    };
    let depth = Table {
        caption: "Depth of monolithic and distributed CliNR against t, measured and by Eqs. 6–7 \
                  (identical blocks, mean δ and q)"
            .into(),
        header: vec![
            "t".into(),
            "distributed (measured)".into(),
            "Eq. 7 bound".into(),
            "monolithic (measured)".into(),
            "Eq. 6".into(),
        ],
        rows: s
            .rows
            .iter()
            .map(|r| {
                vec![
                    r.t.to_string(),
                    format!("{:.1}", r.distributed_depth),
                    format!("{:.1}", r.eq7_distributed_depth_bound),
                    format!("{:.1}", r.monolithic_depth),
                    format!("{:.1}", r.eq6_monolithic_depth),
                ]
            })
            .collect(),
    };
    (links, depth)
}

/// The index of `current` among the claim map's `readings`, if it is one of them (every knob
/// equal).
pub fn current_reading(readings: &[Knobs], current: &Knobs) -> Option<usize> {
    readings.iter().position(|k| k == current)
}

/// The qubits that m instances imply (protocol.md §15.4), one line for the page:
/// "Qubits with m = 2: monolithic QPU 85 + 2·171 = 427; each distributed QPU 342 compute +
/// 170 storage (4 QPUs)".
pub fn qubit_line(n: u32, t: u32, m: u32) -> String {
    let q = QubitCounts::of(n, t, m);
    format!(
        "Qubits with m = {}: monolithic QPU n + m(2n+1) = {} + {}·{} = {}; each distributed QPU \
         m(2n+1) = {} compute + 2n = {} storage ({} QPUs)",
        q.instances,
        n,
        q.instances,
        2 * n + 1,
        q.monolithic,
        q.distributed_compute_per_qpu,
        q.distributed_storage_per_qpu,
        q.distributed_qpus
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claims::{evaluate, Series};
    use crate::estimate;
    use crate::protocol::params::Params;
    use crate::sim::EngineKind;
    use crate::view::plot_data::PlotPoint;
    use crate::view::scaling::{scaling, ScalingInput};

    #[test]
    fn verdicts_have_an_icon_and_a_word() {
        let marks: Vec<_> = [
            Verdict::Holds,
            Verdict::Fails,
            Verdict::Unresolved,
            Verdict::NotShown,
        ]
        .map(verdict_mark)
        .to_vec();
        assert_eq!(
            marks,
            [
                ("✓", "holds"),
                ("✗", "fails"),
                ("?", "not resolved"),
                ("–", "not shown")
            ]
        );
    }

    #[test]
    fn placed_labels_cross_neither_labels_nor_lines() {
        let l = |anchor: f64, width: f64| LabelSpec {
            anchor,
            width,
            connectors: vec![anchor],
        };
        // Far apart: one row, to the right of their lines.
        let p = place_labels(&[l(10.0, 50.0), l(200.0, 50.0)], 0.0, 400.0, 4.0);
        assert_eq!(
            p,
            [
                Placed {
                    row: 0,
                    start: 14.0
                },
                Placed {
                    row: 0,
                    start: 204.0
                }
            ]
        );
        // Close lines: the left one's label would cover the right one's line, so it goes up.
        let p = place_labels(&[l(100.0, 80.0), l(130.0, 80.0)], 0.0, 400.0, 4.0);
        assert_eq!(
            p[1],
            Placed {
                row: 0,
                start: 134.0
            }
        );
        assert_eq!(p[0].row, 1);
        // Near the right edge a label ends left of its line.
        let p = place_labels(&[l(390.0, 80.0)], 0.0, 400.0, 4.0);
        assert_eq!(
            p[0],
            Placed {
                row: 0,
                start: 306.0
            }
        );
        // A shaded span's bracket (connectors at both edges) stays under labels placed above.
        let shade = LabelSpec {
            anchor: 20.0,
            width: 150.0,
            connectors: vec![20.0, 160.0],
        };
        let p = place_labels(&[shade, l(200.0, 120.0), l(60.0, 40.0)], 0.0, 400.0, 4.0);
        // Check every pair: same row → apart; different rows → the upper one's connectors
        // miss the lower label.
        let specs = [
            (20.0, 150.0, vec![20.0, 160.0]),
            (200.0, 120.0, vec![200.0]),
            (60.0, 40.0, vec![60.0]),
        ];
        for i in 0..3 {
            for j in 0..3 {
                if i == j {
                    continue;
                }
                let (a, b) = (p[i], p[j]);
                let (ea, eb) = (a.start + specs[i].1, b.start + specs[j].1);
                if a.row == b.row {
                    assert!(ea <= b.start || eb <= a.start, "{i} {j} {p:?}");
                } else if a.row > b.row {
                    for &x in &specs[i].2 {
                        assert!(x < b.start - 2.0 || x > eb + 2.0, "{i} over {j}: {p:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn unsatisfiable_labels_still_end_apart() {
        // The span's right edge (160) must cross the label of the line at 150, whichever row
        // it takes: the search ends (it once looped forever here) and labels stay apart.
        let shade = LabelSpec {
            anchor: 20.0,
            width: 150.0,
            connectors: vec![20.0, 160.0],
        };
        let line = |a: f64, w: f64| LabelSpec {
            anchor: a,
            width: w,
            connectors: vec![a],
        };
        let specs = [shade, line(150.0, 120.0), line(60.0, 40.0)];
        let p = place_labels(&specs, 0.0, 400.0, 4.0);
        assert!(p.iter().all(|q| q.row < specs.len()), "{p:?}");
        for i in 0..3 {
            for j in 0..3 {
                if i != j && p[i].row == p[j].row {
                    let (ea, eb) = (p[i].start + specs[i].width, p[j].start + specs[j].width);
                    assert!(ea <= p[j].start || eb <= p[i].start, "{i} {j} {p:?}");
                }
            }
        }
    }

    #[test]
    fn ticks_are_round_numbers() {
        use crate::view::plot_data::Scale;
        assert_eq!(
            axis_ticks(Scale::Lin, 0.0, 40.0, 8),
            [0.0, 10.0, 20.0, 30.0, 40.0]
        );
        assert_eq!(
            axis_ticks(Scale::Lin, 47.0, 103.0, 8),
            [50.0, 60.0, 70.0, 80.0, 90.0, 100.0]
        );
        assert_eq!(
            axis_ticks(Scale::Lin, 0.9, 2.1, 8),
            [1.0, 1.2, 1.4, 1.6, 1.8, 2.0]
        );
        assert_eq!(axis_ticks(Scale::Log, 1.7, 37.0, 8), [2.0, 5.0, 10.0, 20.0]);
        assert_eq!(
            axis_ticks(Scale::Log, 0.8, 50.0, 8),
            [1.0, 2.0, 5.0, 10.0, 20.0, 50.0]
        );
        assert_eq!(
            axis_ticks(Scale::Log, 8e-6, 1.2e-2, 8),
            [1e-5, 1e-4, 1e-3, 1e-2]
        );
        assert!(axis_ticks(Scale::Log, 0.0, 1.0, 8).is_empty());
        assert!(axis_ticks(Scale::Lin, 1.0, 1.0, 8).is_empty());
    }

    fn report(params: &Params) -> estimate::Report {
        estimate::simulate(params, EngineKind::Fast, None, &mut |_| {}).unwrap()
    }

    #[test]
    fn plot_tables_hold_the_plotted_numbers() {
        let base = Params {
            n: 8,
            circuits: 2,
            shots: 30,
            seed: 4,
            ..Default::default()
        };
        let pts: Vec<PlotPoint> = [3.0, 1.0]
            .iter()
            .map(|&tau| PlotPoint::from_report(tau, &report(&Params { tau_e: tau, ..base })))
            .collect();
        let t = plot_table(PlotKind::LogicalErrorRate, XAxis::TauE, &pts);
        assert!(t.caption.starts_with("Logical error rate p_L against τ_e"));
        assert_eq!(
            t.header[..4],
            ["tau_e", "distributed", "monolithic", "direct"]
        );
        assert_eq!(t.rows.len(), 2);
        // Sorted by x; values as the plot's points hold them.
        assert_eq!(t.rows[0][0], "1");
        assert_eq!(t.rows[1][0], "3");
        let p = &pts[1];
        assert_eq!(
            t.rows[0][1],
            format!(
                "{:.4} ± {:.4}",
                p.distributed_logical_error_rate.mean, p.distributed_logical_error_rate.std
            )
        );
        assert_eq!(t.rows[0][4], "2 × 30");
        let d = plot_table(PlotKind::Depth, XAxis::TauE, &pts);
        assert_eq!(d.header.len(), 7);
        assert_eq!(
            d.rows[1][3],
            mean_std_text(
                PlotKind::Depth,
                pts[0].direct_depth.mean,
                pts[0].direct_depth.std,
                pts[0].circuits
            )
        );
        assert_eq!(
            d.rows[1][4],
            format!("{:.1}", pts[0].prop1_monolithic_depth_uniform_model)
        );
        assert_eq!(mean_std_text(PlotKind::Depth, f64::NAN, 0.0, 2), "–");
        // One circuit: no spread to estimate, not "± 0.0000".
        assert_eq!(
            mean_std_text(PlotKind::LogicalErrorRate, 0.475, 0.0, 1),
            "0.4750 ± n/a"
        );
        assert_eq!(
            mean_std_text(PlotKind::Depth, 1586.25, 0.0, 2),
            "1586.2 ± 0.0"
        );
        let mut one = pts.clone();
        for p in &mut one {
            p.circuits = 1;
        }
        let t1 = plot_table(PlotKind::LogicalErrorRate, XAxis::TauE, &one);
        assert!(t1
            .rows
            .iter()
            .all(|r| r[1..4].iter().all(|c| c.ends_with("± n/a"))));
    }

    #[test]
    fn the_claims_sentence_names_each_verdict_and_the_preset_that_shows_it() {
        let r = report(&Params {
            n: 6,
            circuits: 2,
            shots: 10,
            ..Default::default()
        });
        let results = evaluate(&[Series::new(XAxis::N, [(6.0, &r)])]);
        let s = claims_sentence(&results);
        assert!(
            s.starts_with("Claims: Q1 not shown (preset Paper Fig. 3a), "),
            "{s}"
        );
        assert!(s.contains("Q3 not shown (preset Paper Fig. 3b)"), "{s}");
        assert!(
            s.ends_with("Q5 not shown (preset Larger t (claim Q5))."),
            "{s}"
        );
    }

    #[test]
    fn the_current_reading_is_found_in_the_grid() {
        let grid = crate::claims::map::KnobGrid::default().readings(&Knobs::default());
        let i = current_reading(&grid, &Knobs::default()).expect("the default is in the grid");
        assert_eq!(grid[i], Knobs::default());
        let off = Knobs {
            parallel_links: 2,
            ..Knobs::default()
        };
        assert_eq!(current_reading(&grid, &off), None);
    }

    #[test]
    fn qubit_counts_follow_section_15_4() {
        assert_eq!(
            qubit_line(85, 3, 1),
            "Qubits with m = 1: monolithic QPU n + m(2n+1) = 85 + 1·171 = 256; each distributed \
             QPU m(2n+1) = 171 compute + 2n = 170 storage (4 QPUs)"
        );
        assert!(qubit_line(85, 3, 2).contains("= 85 + 2·171 = 427;"));
        assert!(qubit_line(85, 3, 2).contains("342 compute + 2n = 170 storage"));
    }

    #[test]
    fn scaling_tables_list_every_point() {
        let mk = |t: u32, k: Option<u32>| ScalingInput {
            t,
            n: 10,
            tau_e: 5.0,
            parallel_links: 1,
            rspv_depths_mean: vec![100.0; t as usize],
            restart_probability: vec![0.1; t as usize],
            monolithic_depth: 300.0,
            distributed_depth: 150.0,
            min_parallel_links: k,
        };
        let s = scaling(&[mk(2, Some(1)), mk(4, Some(2)), mk(8, None)]);
        let (links, depth) = scaling_tables(&s);
        assert_eq!(links.rows.len(), 3);
        assert_eq!(links.rows[1][..2], ["4", "2"]);
        assert_eq!(links.rows[2][1], "none ≤ n");
        assert!(links.caption.contains("fit: k ≈ "), "{}", links.caption);
        assert_eq!(depth.rows[0][1], "150.0");
        assert_eq!(depth.header.len(), 5);
    }
}
