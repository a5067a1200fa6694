//! How numbers are written as text: one rule per kind of output, each exact (the text parses
//! back to the same `f64`, bit for bit) and short.
//!
//! | output | rule | e.g. |
//! |---|---|---|
//! | Stim text (`protocol::stim_export`, `circuit::stim_text`), CSV, the CLI's tables | [`shortest`] | `0.0001`, `1e-8`, `5e-324` |
//! | JSON (reports, jobs) | serde_json's own (ryu): shortest digits | `0.0001`, `1e-8` |
//! | URL hash (`view::share`), and the page's boxes and ring header | [`human`] | `1e-4`, `1.02e-5`, `1.14` |
//!
//! Why not Rust's `{}`: it never uses an exponent, so p = 1e-300 prints 302 characters, and
//! Stim reads at most 63 characters per number (its parser copies a number into a 64-byte
//! buffer; `X_ERROR(0.000…01)` with more digits is refused). Both rules here write at most 26
//! characters for any finite `f64` and never `inf` or `NaN` for finite input.
//!
//! Pure functions, no platform dependence (Rust's float formatting is the same natively and in
//! wasm), so the page, the CLI and the worker write the same text.

/// The shortest text that reads back as exactly `x`: plain decimal when 1e-7 ≤ |x| < 1e21
/// (JavaScript's `Number.prototype.toString` rule, so ordinary values look as they always
/// did, e.g. `0.001`, `2.5`, `5562`), scientific otherwise (`1e-8`, `2.2250738585072014e-308`,
/// `1e21`). ±0 is `0`. Non-finite values (never valid anywhere in this app) are `NaN`, `inf`
/// and `-inf`, which no reader of ours accepts.
pub fn shortest(x: f64) -> String {
    write_with(x, 1e-7, 1e21)
}

/// A number as a person would write it: the shortest text that reads back as exactly `x`,
/// plain decimal when 1e-3 ≤ |x| < 1e6 (`1.14`, `0.001`, `85`, `250000`), otherwise
/// scientific with the shortest mantissa (`1e-4`, `1.02e-5`, `5e-324`, `1e6`). ±0 is `0`.
///
/// This is the display rule of issue 12 item 7: the URL hash writes every real parameter with
/// it, and the page's boxes and ring header should show values with it. A value typed by the
/// user is shown as parsed (`human("1.02e-5".parse()?)` is `1.02e-5`); a value produced by a
/// slider should first be snapped with [`snap_significant`] (3 digits), so dragging shows
/// `τ_e = 1.14`, not `1.1399999999999999`. `human(x).parse::<f64>() == x` for every finite x.
pub fn human(x: f64) -> String {
    write_with(x, 1e-3, 1e6)
}

/// `x` rounded to `digits` significant decimal digits (1..=17; 0 is treated as 1), as the
/// nearest `f64` of that decimal: `snap_significant(1.1399999, 3) == 1.14`,
/// `snap_significant(1.0234e-5, 3) == 1.02e-5`. Zero and non-finite values come back
/// unchanged, and so do values within a rounding step of `f64::MAX`. Meant for slider positions mapped to parameter values, before [`human`].
pub fn snap_significant(x: f64, digits: u32) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    let d = digits.clamp(1, 17) as usize;
    let snapped: f64 = format!("{:.*e}", d - 1, x).parse().unwrap_or(x);
    // Rounding up the largest values can overflow (1.8e308); they stay as they are.
    if snapped.is_finite() {
        snapped
    } else {
        x
    }
}

fn write_with(x: f64, plain_from: f64, plain_below: f64) -> String {
    if x == 0.0 {
        return "0".to_string();
    }
    if x.is_nan() {
        return "NaN".to_string();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf" } else { "-inf" }.to_string();
    }
    let a = x.abs();
    if (plain_from..plain_below).contains(&a) {
        // Rust's Display: the shortest round-trip digits, without exponent.
        format!("{x}")
    } else {
        // Rust's LowerExp: the shortest round-trip digits, as `d.ddde±x`.
        format!("{x:e}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Finite values at the edges of every range the app accepts, plus awkward ones.
    fn extremes() -> Vec<f64> {
        let mut v = vec![
            0.0,
            -0.0,
            5e-324,
            1e-323,
            2.2250738585072014e-308,
            2.225073858507201e-308,
            1e-300,
            1e-100,
            1e-20,
            1e-7,
            f64::from_bits(1e-7f64.to_bits() - 1),
            1.02e-5,
            1e-4,
            1e-3,
            0.1 + 0.2,
            1.0 / 3.0,
            0.3333333333333333,
            0.75,
            15.0 / 16.0,
            1.0 - f64::EPSILON / 2.0,
            1.0,
            1.14,
            85.0,
            1e6,
            999999.9999999999,
            1e21,
            1.7976931348623157e308,
            f64::MIN_POSITIVE,
            f64::EPSILON,
        ];
        let negs: Vec<f64> = v.iter().map(|x| -x).collect();
        v.extend(negs);
        v
    }

    #[test]
    fn both_rules_round_trip_exactly_and_stay_short() {
        for x in extremes() {
            for (name, text) in [("shortest", shortest(x)), ("human", human(x))] {
                let back: f64 = text.parse().expect("parses");
                assert_eq!(
                    back.to_bits(),
                    (x + 0.0).to_bits(),
                    "{name}({x:e}) = {text}"
                );
                assert!(text.len() <= 26, "{name}({x:e}) = {text} is long");
                assert!(
                    text.bytes()
                        .all(|b| b.is_ascii_digit() || b"-.e".contains(&b)),
                    "{name}({x:e}) = {text}"
                );
            }
        }
    }

    #[test]
    fn shortest_keeps_ordinary_values_as_before() {
        // Within 1e-7..1e21, identical to Rust's `{}` (and to earlier output).
        for x in [0.001, 0.0001, 1e-5, 1e-6, 1e-7, 2.5, 0.6766, 5562.0, 1e20] {
            assert_eq!(shortest(x), format!("{x}"));
        }
        assert_eq!(shortest(0.0), "0");
        assert_eq!(shortest(-0.0), "0");
        assert_eq!(shortest(1e-8), "1e-8");
        assert_eq!(shortest(5e-324), "5e-324");
        assert_eq!(shortest(1e-300), "1e-300");
        assert_eq!(shortest(2.2250738585072014e-308), "2.2250738585072014e-308");
        assert_eq!(shortest(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(shortest(1e21), "1e21");
        assert_eq!(shortest(f64::NAN), "NaN");
        assert_eq!(shortest(f64::INFINITY), "inf");
    }

    #[test]
    fn human_writes_values_as_people_do() {
        assert_eq!(human(1.14), "1.14");
        assert_eq!(human(1.02e-5), "1.02e-5");
        assert_eq!(human(1e-4), "1e-4");
        assert_eq!(human(0.001), "0.001");
        assert_eq!(human(0.01), "0.01");
        assert_eq!(human(85.0), "85");
        assert_eq!(human(1e6), "1e6");
        assert_eq!(human(250000.0), "250000");
        assert_eq!(human(0.1), "0.1");
        assert_eq!(human(0.0), "0");
    }

    #[test]
    fn snapping_gives_the_numbers_a_slider_should_show() {
        let dragged = f64::from_bits(1.14f64.to_bits() - 1); // 1.1399999999999999
        assert_eq!(snap_significant(dragged, 3), 1.14);
        assert_eq!(human(snap_significant(dragged, 3)), "1.14");
        assert_eq!(snap_significant(1.0234e-5, 3), 1.02e-5);
        assert_eq!(human(snap_significant(1.0234e-5, 3)), "1.02e-5");
        assert_eq!(snap_significant(14.96, 3), 15.0);
        assert_eq!(snap_significant(0.0, 3), 0.0);
        assert_eq!(snap_significant(123456.0, 0), 100000.0);
        assert_eq!(snap_significant(0.1 + 0.2, 17), 0.1 + 0.2);
        assert!(snap_significant(f64::NAN, 3).is_nan());
        assert_eq!(snap_significant(f64::MAX, 3), f64::MAX);
        for x in extremes().into_iter().filter(|x| x.abs() < 1e308) {
            let s = snap_significant(x, 3);
            assert!(s.is_finite());
            // Three digits at most, in the human text.
            let mantissa = human(s).split('e').next().unwrap().replace(['-', '.'], "");
            assert!(
                mantissa.trim_start_matches('0').trim_end_matches('0').len() <= 3,
                "{x:e} → {s:e}"
            );
        }
    }

    /// JSON (serde_json with `float_roundtrip`, as every reader of ours parses it) reads the
    /// same extremes back exactly; without that feature it can be 1 ulp off.
    #[test]
    fn json_round_trips_the_extremes() {
        for x in extremes() {
            let text = serde_json::to_string(&x).unwrap();
            let back: f64 = serde_json::from_str(&text).unwrap();
            assert_eq!(back.to_bits(), x.to_bits(), "{text}");
        }
        let awkward: f64 = 29.698484809834994;
        let back: f64 = serde_json::from_str(&serde_json::to_string(&awkward).unwrap()).unwrap();
        assert_eq!(back.to_bits(), awkward.to_bits());
    }

    #[test]
    fn random_values_round_trip() {
        // Every 1009th bit pattern over the whole f64 range, finite ones only.
        let mut bits: u64 = 1;
        for _ in 0..20_000 {
            bits = bits
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let x = f64::from_bits(bits);
            if !x.is_finite() {
                continue;
            }
            for text in [shortest(x), human(x)] {
                assert_eq!(text.parse::<f64>().unwrap().to_bits(), (x + 0.0).to_bits());
                assert!(text.len() <= 26, "{text}");
            }
        }
    }
}
