//! Unit tests of the claim logic on synthetic reports (per-circuit p_L and depth chosen by
//! hand), and the helper that builds them (shared with `view::thresholds`).

use super::*;
use crate::estimate::{aggregate, Report};
use crate::protocol::block::Instance;
use crate::protocol::params::Params;
use crate::sim::{AttemptCounts, CircuitSamples, EngineKind, Shot};

/// One circuit's (logical errors, depth) for direct, monolithic, distributed.
pub(crate) type Row = [(u32, u32); 3];

/// A report whose circuit i has `rows[i]`: in each implementation, that many of
/// `params.shots` samples with a logical error, every sample with that depth. The derived
/// values come from small stand-in instances (n = 4, same t and r).
pub(crate) fn synthetic_report(params: &Params, rows: &[Row]) -> Report {
    let p = Params {
        circuits: rows.len() as u32,
        ..*params
    };
    let tiny = Params { n: 4, s: None, ..p };
    let instances: Vec<Instance> = (0..p.circuits)
        .map(|i| Instance::generate(&tiny, i))
        .collect();
    let shots = |(errors, depth): (u32, u32)| -> Vec<Shot> {
        (0..p.shots)
            .map(|k| Shot {
                logical_error: k < errors,
                depth,
            })
            .collect()
    };
    let samples: Vec<CircuitSamples> = rows
        .iter()
        .map(|row| CircuitSamples {
            direct: shots(row[0]),
            monolithic: shots(row[1]),
            distributed: shots(row[2]),
            attempts: (0..p.t)
                .map(|_| AttemptCounts {
                    attempts: 10,
                    restarts: 1,
                })
                .collect(),
            attempts_by_impl: Default::default(),
            first_acceptance: Vec::new(),
        })
        .collect();
    aggregate(&p, EngineKind::Fast, &instances, &samples)
}

fn paper(n: u32, tau_e: f64) -> Params {
    Params {
        n,
        tau_e,
        shots: 200,
        knobs: ReadingKind::PaperConsistent.knobs().unwrap(),
        ..Default::default()
    }
}

/// Rows with a per-circuit wobble so standard errors are non-zero: circuit i adds i to every
/// depth and i errors to every count.
fn rows(m: u32, base: Row) -> Vec<Row> {
    (0..m)
        .map(|i| base.map(|(e, d)| (e + i, d + 7 * i)))
        .collect()
}

fn n_series(reports: &[(f64, Report)]) -> Series<'_> {
    Series::new(XAxis::N, reports.iter().map(|(x, r)| (*x, r)))
}

/// The paper's Fig. 3a points with the same rows at every n.
fn fig3a(base: Row, tau_e: f64) -> Vec<(f64, Report)> {
    [50u32, 60, 70, 85, 100]
        .iter()
        .map(|&n| {
            (
                f64::from(n),
                synthetic_report(&paper(n, tau_e), &rows(5, base)),
            )
        })
        .collect()
}

fn verdict(id: ClaimId, series: &[Series]) -> Verdict {
    evaluate_claim(id, series).verdict
}

#[test]
fn q1_holds_at_every_point_with_its_numbers() {
    // direct 1000, monolithic 2000, distributed 600 layers (plus the wobble).
    let data = fig3a([(60, 1000), (40, 2000), (30, 600)], 1.0);
    let s = [n_series(&data)];
    let r = evaluate_claim(ClaimId::Q1, &s);
    assert_eq!(r.verdict, Verdict::Holds, "{}", r.evidence.reason);
    assert_eq!(r.preset, "fig3a");
    assert_eq!(r.evidence.axis, Some(XAxis::N));
    assert_eq!(r.evidence.points.len(), 5);
    let p0 = &r.evidence.points[0];
    assert_eq!((p0.x, p0.n, p0.circuits, p0.shots), (50.0, 50, 5, 200));
    assert_eq!(p0.verdict, Some(Verdict::Holds));
    // Means are the per-implementation means (600 + 7·2 for distributed).
    assert!((p0.means.distributed.depth - 614.0).abs() < 1e-9);
    assert!((p0.means.direct.logical_error_rate - 62.0 / 200.0).abs() < 1e-12);
    let c = &p0.comparisons[0];
    assert_eq!(c.quantity, Quantity::Depth);
    assert_eq!(
        (
            c.left.implementation.as_str(),
            c.right.implementation.as_str()
        ),
        ("distributed", "direct")
    );
    assert_eq!(c.expected, Relation::Less);
    // Every circuit differs by exactly −400: SE 0, resolved.
    assert_eq!(c.paired.difference, -400.0);
    assert_eq!(c.paired.standard_error, Some(0.0));
    assert!(
        c.text.contains("distributed − direct = -400.0"),
        "{}",
        c.text
    );
    assert!(c.text.ends_with(": holds"), "{}", c.text);
    assert!(r.evidence.reason.starts_with("Holds at every point"));
    // Only the statistics differ from the paper's setting.
    assert_eq!(
        r.evidence.caveats,
        ["statistics 5 circuits × 200 samples (paper: 20 × 200)"]
    );
}

#[test]
fn q1_fails_when_one_point_fails_significantly() {
    let mut data = fig3a([(60, 1000), (40, 2000), (30, 600)], 1.0);
    // At n = 100 distributed is deeper than direct in every circuit.
    data[4].1 = synthetic_report(
        &paper(100, 1.0),
        &rows(5, [(60, 1000), (40, 2000), (30, 1100)]),
    );
    let r = evaluate_claim(ClaimId::Q1, &[n_series(&data)]);
    assert_eq!(r.verdict, Verdict::Fails);
    assert_eq!(r.evidence.points[4].verdict, Some(Verdict::Fails));
    assert_eq!(r.evidence.points[0].verdict, Some(Verdict::Holds));
    assert!(
        r.evidence.reason.contains("n = 100"),
        "{}",
        r.evidence.reason
    );
    assert!(
        r.evidence.reason.contains("+100.0"),
        "{}",
        r.evidence.reason
    );
}

#[test]
fn q1_is_unresolved_when_a_difference_is_within_two_standard_errors() {
    let mut data = fig3a([(60, 1000), (40, 2000), (30, 600)], 1.0);
    // Distributed − direct = +8, −8, +8, −8, +1: mean 0.2, far inside 2 SE.
    let noisy: Vec<Row> = [1008, 992, 1008, 992, 1001]
        .iter()
        .map(|&d| [(60, 1000), (40, 2000), (30, d)])
        .collect();
    data[2].1 = synthetic_report(&paper(70, 1.0), &noisy);
    let r = evaluate_claim(ClaimId::Q1, &[n_series(&data)]);
    assert_eq!(r.verdict, Verdict::Unresolved, "{}", r.evidence.reason);
    assert_eq!(r.evidence.points[2].verdict, Some(Verdict::Unresolved));
    assert!(r.evidence.reason.contains("n = 70"));
}

#[test]
fn q2_at_least_as_much_means_distributed_may_be_below_monolithic() {
    // Distributed well below monolithic, both below direct: holds.
    let below = fig3a([(120, 1000), (90, 2000), (50, 600)], 1.0);
    assert_eq!(verdict(ClaimId::Q2, &[n_series(&below)]), Verdict::Holds);
    // Distributed equal to monolithic: holds.
    let equal = fig3a([(120, 1000), (90, 2000), (90, 600)], 1.0);
    assert_eq!(verdict(ClaimId::Q2, &[n_series(&equal)]), Verdict::Holds);
    // Distributed significantly above monolithic (still below direct): fails.
    let above = fig3a([(120, 1000), (60, 2000), (90, 600)], 1.0);
    let r = evaluate_claim(ClaimId::Q2, &[n_series(&above)]);
    assert_eq!(r.verdict, Verdict::Fails);
    let failing: Vec<&Comparison> = r.evidence.points[0]
        .comparisons
        .iter()
        .filter(|c| c.outcome == Verdict::Fails)
        .collect();
    assert_eq!(failing.len(), 1);
    assert_eq!(failing[0].expected, Relation::AtMost);
    // Monolithic worse than direct (the literal reading's finding): fails.
    let worse = fig3a([(100, 1000), (120, 2000), (100, 600)], 1.0);
    assert_eq!(verdict(ClaimId::Q2, &[n_series(&worse)]), Verdict::Fails);
}

#[test]
fn identical_logical_error_rates_are_unresolved_and_identical_depths_are_not_shallower() {
    // p = 0: no error anywhere. "monolithic < direct" cannot be resolved from 0 against 0;
    // distributed ≤ monolithic holds.
    let zero = fig3a([(0, 1000), (0, 2000), (0, 600)], 1.0);
    let r = evaluate_claim(ClaimId::Q2, &[n_series(&zero)]);
    assert_eq!(r.verdict, Verdict::Unresolved);
    let outcomes: Vec<Verdict> = r.evidence.points[0]
        .comparisons
        .iter()
        .map(|c| c.outcome)
        .collect();
    assert_eq!(
        outcomes,
        [Verdict::Unresolved, Verdict::Unresolved, Verdict::Holds]
    );
    assert!(r.evidence.points[0].comparisons[0].paired.tied);
    assert!(r.evidence.points[0].comparisons[0]
        .text
        .contains("every circuit equal"));
    // Equal depths: distributed is not shallower than direct, certainly.
    let same_depth = fig3a([(0, 1000), (0, 2000), (0, 1000)], 1.0);
    assert_eq!(
        verdict(ClaimId::Q1, &[n_series(&same_depth)]),
        Verdict::Fails
    );
}

#[test]
fn relation_outcomes() {
    let p = |difference: f64, se: Option<f64>, tied: bool| Paired {
        difference,
        standard_error: se,
        circuits: 5,
        tied,
    };
    use Quantity::*;
    use Relation::*;
    let cases = [
        (Less, Depth, p(-5.0, Some(1.0), false), Verdict::Holds),
        (Less, Depth, p(5.0, Some(1.0), false), Verdict::Fails),
        (Less, Depth, p(-1.5, Some(1.0), false), Verdict::Unresolved),
        (Less, Depth, p(0.0, Some(0.0), true), Verdict::Fails),
        (
            Less,
            LogicalErrorRate,
            p(0.0, Some(0.0), true),
            Verdict::Unresolved,
        ),
        (Less, Depth, p(-5.0, None, false), Verdict::Unresolved),
        (Greater, Depth, p(5.0, Some(1.0), false), Verdict::Holds),
        (Greater, Depth, p(-5.0, Some(1.0), false), Verdict::Fails),
        (
            Greater,
            DepthAdvantage,
            p(0.0, Some(0.0), true),
            Verdict::Fails,
        ),
        (
            AtMost,
            LogicalErrorRate,
            p(-5.0, Some(1.0), false),
            Verdict::Holds,
        ),
        (
            AtMost,
            LogicalErrorRate,
            p(1.0, Some(1.0), false),
            Verdict::Holds,
        ),
        (
            AtMost,
            LogicalErrorRate,
            p(3.0, Some(1.0), false),
            Verdict::Fails,
        ),
        (
            AtMost,
            LogicalErrorRate,
            p(0.0, Some(0.0), true),
            Verdict::Holds,
        ),
        (
            AtMost,
            LogicalErrorRate,
            p(1.0, None, false),
            Verdict::Unresolved,
        ),
    ];
    for (rel, q, d, want) in cases {
        assert_eq!(rel.outcome(q, &d), want, "{rel:?} {q:?} {d:?}");
    }
    assert_eq!(Verdict::combine([]), Verdict::Unresolved);
    assert_eq!(
        Verdict::combine([Verdict::Holds, Verdict::Unresolved, Verdict::Fails]),
        Verdict::Fails
    );
    assert_eq!(Verdict::combine([Verdict::Holds; 3]), Verdict::Holds);
}

fn tau_series(reports: &[(f64, Report)]) -> Series<'_> {
    Series::new(XAxis::TauE, reports.iter().map(|(x, r)| (*x, r)))
}

/// A τ_e sweep at n = 85 where distributed's row at τ_e is `dist(τ_e)`.
fn fig3b(taus: &[f64], dist: impl Fn(f64) -> (u32, u32)) -> Vec<(f64, Report)> {
    taus.iter()
        .map(|&tau| {
            (
                tau,
                synthetic_report(
                    &paper(85, tau),
                    &rows(5, [(100, 1000), (80, 2000), dist(tau)]),
                ),
            )
        })
        .collect()
}

#[test]
fn q3_uses_only_tau_e_up_to_5() {
    // Distributed wins up to τ_e = 5 and loses badly from τ_e = 8 on: Q3 holds.
    let data = fig3b(&[1.0, 2.0, 3.0, 5.0, 8.0, 15.0], |tau| {
        if tau <= 5.0 {
            (50, 600)
        } else {
            (150, 3000)
        }
    });
    let r = evaluate_claim(ClaimId::Q3, &[tau_series(&data)]);
    assert_eq!(r.verdict, Verdict::Holds, "{}", r.evidence.reason);
    let xs: Vec<f64> = r.evidence.points.iter().map(|p| p.x).collect();
    assert_eq!(xs, [1.0, 2.0, 3.0, 5.0]);
    assert_eq!(r.evidence.points[0].comparisons.len(), 4);
    // Losing at τ_e = 5 makes it fail.
    let data = fig3b(
        &[1.0, 5.0],
        |tau| if tau < 5.0 { (50, 600) } else { (90, 2500) },
    );
    assert_eq!(verdict(ClaimId::Q3, &[tau_series(&data)]), Verdict::Fails);
}

#[test]
fn q4_compares_the_largest_and_smallest_tau_e_up_to_15() {
    let taus = [1.0, 2.0, 5.0, 10.0, 15.0, 40.0];
    // Both rise with τ_e.
    let rising = fig3b(&taus, |tau| (50 + tau as u32 * 2, 600 + tau as u32 * 30));
    let r = evaluate_claim(ClaimId::Q4, &[tau_series(&rising)]);
    assert_eq!(r.verdict, Verdict::Holds, "{}", r.evidence.reason);
    assert_eq!(
        r.evidence.points.len(),
        5,
        "τ_e = 40 is outside the paper's 1…15"
    );
    assert_eq!(r.evidence.trend.len(), 2);
    let depth = &r.evidence.trend[0];
    assert_eq!(depth.left.x, Some(15.0));
    assert_eq!(depth.right.x, Some(1.0));
    assert_eq!(depth.paired.difference, 14.0 * 30.0);
    assert!(r.evidence.points[0].comparisons.is_empty());
    assert_eq!(r.evidence.points[2].comparisons.len(), 2);
    assert!(r.evidence.points.iter().all(|p| p.verdict.is_none()));
    assert!(
        r.evidence.reason.contains("from τ_e = 1 to 15"),
        "{}",
        r.evidence.reason
    );
    // Perfectly flat (no stall below τ_e = 15): the depth does not rise, certainly.
    let flat = fig3b(&taus, |_| (50, 600));
    let r = evaluate_claim(ClaimId::Q4, &[tau_series(&flat)]);
    assert_eq!(r.verdict, Verdict::Fails);
    assert_eq!(r.evidence.trend[1].outcome, Verdict::Unresolved, "p_L tie");
    // Depth rises, p_L does not move: unresolved.
    let depth_only = fig3b(&taus, |tau| (50, 600 + tau as u32 * 30));
    assert_eq!(
        verdict(ClaimId::Q4, &[tau_series(&depth_only)]),
        Verdict::Unresolved
    );
    // One point in 1…15 is not a trend.
    let one = fig3b(&[1.0, 40.0], |_| (50, 600));
    let r = evaluate_claim(ClaimId::Q4, &[tau_series(&one)]);
    assert_eq!(r.verdict, Verdict::NotShown);
    assert!(
        r.evidence.reason.contains("only 1 point"),
        "{}",
        r.evidence.reason
    );
}

#[test]
fn q5_needs_a_t_axis_and_compares_the_depth_advantage() {
    let data: Vec<(f64, Report)> = [2u32, 3, 4, 6]
        .iter()
        .map(|&t| {
            let p = Params {
                t,
                ..paper(100, 1.0)
            };
            // Distributed gets shallower as t grows; direct stays.
            let d = 4000 - 300 * t;
            (
                f64::from(t),
                synthetic_report(&p, &rows(5, [(90, 5000), (80, 9000), (60, d)])),
            )
        })
        .collect();
    let s = [Series::new(XAxis::T, data.iter().map(|(x, r)| (*x, r)))];
    let r = evaluate_claim(ClaimId::Q5, &s);
    assert_eq!(r.verdict, Verdict::Holds, "{}", r.evidence.reason);
    let xs: Vec<f64> = r.evidence.points.iter().map(|p| p.x).collect();
    assert_eq!(xs, [3.0, 4.0, 6.0], "t = 2 is below the paper's t = 3");
    assert_eq!(r.evidence.trend[0].quantity, Quantity::DepthAdvantage);
    assert_eq!(r.evidence.trend[0].paired.difference, 900.0);
    assert!(
        r.evidence.trend[0].text.starts_with(
            "depth advantage (direct − distributed): advantage at t = 6 − advantage at t = 3 \
             = +900.0 ± 0.0"
        ),
        "{}",
        r.evidence.trend[0].text
    );
    // The t axis is Q5's setting, so t ≠ 3 is no caveat there.
    assert!(r.evidence.caveats.iter().all(|c| !c.starts_with("t =")));
    // On an n axis Q5 is not shown, and says which preset shows it.
    let fig = fig3a([(60, 1000), (40, 2000), (30, 600)], 1.0);
    let r = evaluate_claim(ClaimId::Q5, &[n_series(&fig)]);
    assert_eq!(r.verdict, Verdict::NotShown);
    assert_eq!(r.evidence.shown_by.as_deref(), Some("larger-t"));
    assert!(
        r.evidence.reason.contains("Larger t"),
        "{}",
        r.evidence.reason
    );
}

#[test]
fn claims_outside_the_data_are_not_shown_with_the_preset_that_shows_them() {
    // No data at all.
    for r in evaluate(&[]) {
        assert_eq!(r.verdict, Verdict::NotShown);
        assert_eq!(r.evidence.shown_by.as_deref(), Some(r.claim.preset().id()));
        assert!(r.evidence.reason.contains("there is no data"));
    }
    // An n axis at τ_e = 2 shows neither Q1 nor Q2, and no τ_e claim.
    let data = fig3a([(60, 1000), (40, 2000), (30, 600)], 2.0);
    let all = evaluate(&[n_series(&data)]);
    for r in &all {
        assert_eq!(r.verdict, Verdict::NotShown, "{:?}", r.claim);
    }
    assert!(
        all[0].evidence.reason.contains("not at τ_e = 1"),
        "{}",
        all[0].evidence.reason
    );
    assert!(
        all[2].evidence.reason.contains("Paper Fig. 3b"),
        "{}",
        all[2].evidence.reason
    );
    assert!(
        all[2].evidence.reason.contains("on the n axis"),
        "{}",
        all[2].evidence.reason
    );
    // An n axis outside 50…100.
    let small: Vec<(f64, Report)> = [6u32, 8]
        .iter()
        .map(|&n| {
            (
                f64::from(n),
                synthetic_report(&paper(n, 1.0), &rows(3, [(1, 10), (1, 20), (1, 5)])),
            )
        })
        .collect();
    let r = evaluate_claim(ClaimId::Q1, &[n_series(&small)]);
    assert_eq!(r.verdict, Verdict::NotShown);
    assert!(r
        .evidence
        .reason
        .contains("no point of the axis lies in the claim's range"));
    // With both figures every claim but Q5 is shown; the best series is picked per claim.
    let a = fig3a([(60, 1000), (40, 2000), (30, 600)], 1.0);
    let b = fig3b(&[1.0, 2.0, 5.0, 15.0], |tau| {
        (50 + tau as u32, 600 + tau as u32 * 10)
    });
    let all = evaluate(&[tau_series(&b), n_series(&a)]);
    let got: Vec<(ClaimId, Verdict)> = all.iter().map(|r| (r.claim, r.verdict)).collect();
    assert_eq!(
        got,
        [
            (ClaimId::Q1, Verdict::Holds),
            (ClaimId::Q2, Verdict::Holds),
            (ClaimId::Q3, Verdict::Holds),
            (ClaimId::Q4, Verdict::Holds),
            (ClaimId::Q5, Verdict::NotShown)
        ]
    );
}

#[test]
fn caveats_name_what_differs_from_the_paper() {
    let params = Params {
        p: 1e-3,
        r: 2,
        shots: 50,
        knobs: ReadingKind::Literal.knobs().unwrap(),
        ..paper(85, 1.0)
    };
    let one = [(
        85.0,
        synthetic_report(&params, &rows(1, [(10, 1000), (5, 2000), (3, 600)])),
    )];
    let r = evaluate_claim(ClaimId::Q1, &[n_series(&one)]);
    // One circuit: nothing can be resolved.
    assert_eq!(r.verdict, Verdict::Unresolved);
    assert!(r.evidence.points[0].comparisons[0]
        .text
        .contains("no standard error"));
    let c = r.evidence.caveats.join(" | ");
    for want in [
        "p = 0.001 (paper: 1e-4)",
        "r = 2 (paper: 3)",
        "statistics 1 circuits × 50 samples (paper: 20 × 200)",
        "one circuit",
        "reading: Literal reading",
    ] {
        assert!(c.contains(want), "{want} not in {c}");
    }
}

#[test]
fn verdicts_serialize_with_the_test_hook_names() {
    let names: Vec<String> = [
        Verdict::Holds,
        Verdict::Fails,
        Verdict::Unresolved,
        Verdict::NotShown,
    ]
    .iter()
    .map(|v| {
        let s = serde_json::to_value(v).unwrap();
        assert_eq!(s, v.id());
        v.id().to_string()
    })
    .collect();
    assert_eq!(names, ["holds", "fails", "unresolved", "not-shown"]);
    assert_eq!(serde_json::to_value(ClaimId::Q3).unwrap(), "Q3");
    let data = fig3a([(60, 1000), (40, 2000), (30, 600)], 1.0);
    let results = evaluate(&[n_series(&data)]);
    let v = verdicts_json(&results);
    let obj = v.as_object().unwrap();
    assert_eq!(
        obj.keys().collect::<Vec<_>>(),
        ["Q1", "Q2", "Q3", "Q4", "Q5"]
    );
    for (k, claim) in obj {
        let keys: Vec<&String> = claim.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["evidence", "verdict"], "{k}");
        assert!(claim["evidence"]["reason"].is_string());
    }
    assert_eq!(v["Q1"]["verdict"], "holds");
    assert_eq!(v["Q3"]["verdict"], "not-shown");
    assert_eq!(
        v["Q1"]["evidence"]["points"][0]["comparisons"][0]["standard_error"],
        0.0
    );
    // A result round-trips.
    let back: ClaimResult =
        serde_json::from_value(serde_json::to_value(&results[0]).unwrap()).unwrap();
    assert_eq!(back, results[0]);
    for id in ClaimId::ALL {
        assert!(id.statement().ends_with('.'));
        assert!(id.statement().contains("paper §IV"));
    }
}
