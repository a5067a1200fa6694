//! Paired differences over circuits: the statistic behind every claim verdict and every
//! measured crossing.
//!
//! All three implementations run on the same circuits (and a sweep over τ_e, p or t keeps the
//! circuits), so a comparison of two series A and B uses the per-circuit differences
//! d_i = A_i − B_i, i = 1..m: their mean d̄ and its standard error SE = s_d/√m (s_d the sample
//! standard deviation, divisor m − 1). Pairing removes the spread *between* circuits (a deep
//! circuit is deep in every implementation), which is most of the paper's error bar.
//!
//! **Shot noise.** A per-circuit p_L is a binomial estimate from the circuit's samples, so each
//! d_i carries that shot noise too. Circuits are drawn independently and each circuit's shots
//! are independent of the other circuits', so the d_i are i.i.d. and s_d² estimates the whole
//! variance of one d_i: spread between circuits *plus* the shot noise of both estimates. SE
//! therefore already includes the binomial noise; adding a separate binomial term would count
//! it twice. (With m = 1 there is no estimate of the spread: the SE is absent and the
//! comparison cannot be resolved.)
//!
//! **Ties.** When every d_i is exactly 0 (e.g. p = 0, or a τ_e sweep below the stall threshold
//! where the reused samples are identical), SE = 0 and d̄ = 0: [`Significance::Tied`]. The
//! claims decide what a tie means for each quantity (see `claims::Relation`).

use serde::{Deserialize, Serialize};

/// The paired difference of two per-circuit series.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Paired {
    /// d̄: mean over circuits of A_i − B_i (0 when there is no circuit).
    pub difference: f64,
    /// s_d/√m, the standard error of d̄; `None` with fewer than 2 circuits.
    pub standard_error: Option<f64>,
    /// m: the circuits paired (the shorter series' length).
    pub circuits: u32,
    /// Every pair was exactly equal (m ≥ 1).
    pub tied: bool,
}

/// Where d̄ lies relative to its standard error.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Significance {
    /// d̄ < −2 SE: A is significantly below B.
    Below,
    /// d̄ > +2 SE: A is significantly above B.
    Above,
    /// Every pair equal.
    Tied,
    /// |d̄| ≤ 2 SE, or no SE (one circuit).
    Unresolved,
}

/// The number of standard errors a difference must exceed to count (≈ 95 %, two-sided, for
/// each comparison on its own; no correction for comparing several points).
pub const SIGNIFICANCE_SE: f64 = 2.0;

/// Pairs `a[i]` with `b[i]` for i below the shorter length.
pub fn paired(a: &[f64], b: &[f64]) -> Paired {
    let d: Vec<f64> = a.iter().zip(b).map(|(x, y)| x - y).collect();
    let m = d.len();
    if m == 0 {
        return Paired {
            difference: 0.0,
            standard_error: None,
            circuits: 0,
            tied: false,
        };
    }
    let tied = a.iter().zip(b).all(|(x, y)| x == y);
    let mean = d.iter().sum::<f64>() / m as f64;
    let standard_error = (m >= 2).then(|| {
        let var = d.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (m - 1) as f64;
        (var / m as f64).sqrt()
    });
    Paired {
        difference: if tied { 0.0 } else { mean },
        standard_error: if tied { Some(0.0) } else { standard_error },
        circuits: u32::try_from(m).unwrap_or(u32::MAX),
        tied,
    }
}

impl Paired {
    /// Below, above, tied or unresolved at [`SIGNIFICANCE_SE`] standard errors.
    pub fn significance(&self) -> Significance {
        if self.tied {
            return Significance::Tied;
        }
        match self.standard_error {
            Some(se) if se.is_finite() && self.difference < -SIGNIFICANCE_SE * se => {
                Significance::Below
            }
            Some(se) if se.is_finite() && self.difference > SIGNIFICANCE_SE * se => {
                Significance::Above
            }
            _ => Significance::Unresolved,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mean_and_standard_error_of_the_differences() {
        let p = paired(&[3.0, 5.0, 7.0, 9.0], &[1.0, 2.0, 3.0, 4.0]);
        // d = 2, 3, 4, 5: mean 3.5, sample sd √(5/3), SE = √(5/3)/2.
        assert_eq!(p.circuits, 4);
        assert!((p.difference - 3.5).abs() < 1e-12);
        assert!((p.standard_error.unwrap() - (5.0f64 / 3.0).sqrt() / 2.0).abs() < 1e-12);
        assert!(!p.tied);
        assert_eq!(p.significance(), Significance::Above);
        let q = paired(&[1.0, 2.0, 3.0, 4.0], &[3.0, 5.0, 7.0, 9.0]);
        assert_eq!(q.significance(), Significance::Below);
    }

    #[test]
    fn pairing_removes_the_spread_between_circuits() {
        // Circuits differ a lot (100, 1000, 10000) but A is always 1 above B: resolved,
        // although the unpaired error bars overlap completely.
        let b = [100.0, 1000.0, 10000.0];
        let a = [101.0, 1001.0, 10001.0];
        let p = paired(&a, &b);
        assert_eq!(p.difference, 1.0);
        assert_eq!(p.significance(), Significance::Above);
    }

    #[test]
    fn small_differences_are_unresolved_and_ties_are_ties() {
        let p = paired(&[0.10, 0.30, 0.20], &[0.20, 0.20, 0.19]);
        assert_eq!(p.significance(), Significance::Unresolved);
        let t = paired(&[0.0, 0.0, 0.0], &[0.0, 0.0, 0.0]);
        assert!(t.tied);
        assert_eq!(t.significance(), Significance::Tied);
        assert_eq!((t.difference, t.standard_error), (0.0, Some(0.0)));
        // A constant non-zero difference is resolved with SE = 0.
        let c = paired(&[2.0, 3.0], &[1.0, 2.0]);
        assert_eq!(c.standard_error, Some(0.0));
        assert_eq!(c.significance(), Significance::Above);
        // One circuit: no standard error, never resolved (unless tied).
        let one = paired(&[5.0], &[1.0]);
        assert_eq!(one.standard_error, None);
        assert_eq!(one.significance(), Significance::Unresolved);
        assert_eq!(paired(&[1.0], &[1.0]).significance(), Significance::Tied);
        // Nothing to pair.
        let none = paired(&[], &[1.0]);
        assert_eq!((none.circuits, none.difference), (0, 0.0));
        assert_eq!(none.significance(), Significance::Unresolved);
        // The shorter series decides how many pairs.
        assert_eq!(paired(&[1.0, 2.0, 3.0], &[0.0, 0.0]).circuits, 2);
    }
}
