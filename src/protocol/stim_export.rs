//! Stim circuit text of the direct implementation and of one RSP&V attempt, with exactly the
//! noise the simulators use (the operation lists of [`crate::protocol::ops`] and the rates of
//! [`NoiseRates`]), so Stim can cross-check our samplers (`clinr export-stim`).
//!
//! Noise translation (protocol.md §9): an operation's depolarizing channel becomes
//! `DEPOLARIZE1(rate)` / `DEPOLARIZE2(rate)` on its support right after it (a preparation is
//! `R` then `DEPOLARIZE1`), an idle layer is `DEPOLARIZE1(idle)` on the idle qubits, and a
//! measurement flip is Stim's flipped-record measurement `M(p)` / `MX(p)`, which, like our
//! simulators, flips the recorded outcome only. Zero-rate channels are omitted (a rate that
//! underflows to 0, e.g. p/100 at p = 5e-324, is omitted by the simulators too). Layers are
//! separated by `TICK`. Rates are written by [`crate::numbers::shortest`]: exact, at most 26
//! characters (Stim reads at most 63 per number; Rust's `{}` would write p = 1e-300 with 302),
//! so Stim reads back exactly the rates the simulators use. Every rate is in [0, 1] for valid
//! parameters; rates above 3/4 (one-qubit) or 15/16 (two-qubit), possible in the uniform model
//! and for remote gates, are "over-mixing" depolarizing channels: Stim samples them (X, Y, Z
//! each rate/3, as our simulators do) but refuses to build a detector error model of them.
//!
//! Stim's `DETECTOR`s and observables are parities relative to the noiseless circuit, which is
//! exactly our rules: a check fails when its outcome differs from the noiseless outcome, and a
//! logical (or residual) error is any deviation of the noiseless decoding measurements.

use std::fmt::Write;

use crate::circuit::{Circuit, Gate};
use crate::noise::{NoiseClass, NoiseRates};
use crate::numbers::shortest;
use crate::protocol::block::Instance;
use crate::protocol::ops::{OpKind, OpList};
use crate::protocol::params::Params;

/// Why an export is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ExportError {
    #[error("block {block} does not exist: this instance has blocks 1..={t}")]
    NoSuchBlock { block: u32, t: u32 },
}

/// The inverse of a gate of the gate set.
pub fn inverse_gate(g: &Gate) -> Gate {
    match *g {
        Gate::S(q) => Gate::Sdg(q),
        Gate::Sdg(q) => Gate::S(q),
        Gate::SqrtX(q) => Gate::SqrtXdg(q),
        Gate::SqrtXdg(q) => Gate::SqrtX(q),
        other => other,
    }
}

/// Accumulates Stim text.
struct Text {
    out: String,
}

impl Text {
    fn line(&mut self, s: impl AsRef<str>) {
        self.out.push_str(s.as_ref());
        self.out.push('\n');
    }

    fn gate(&mut self, g: &Gate, offset: u32) {
        let g = g.map_qubits(|q| offset + q);
        match g.qubits() {
            (a, None) => self.line(format!("{} {a}", g.stim_name())),
            (a, Some(b)) => self.line(format!("{} {a} {b}", g.stim_name())),
        }
    }

    fn depolarize(&mut self, g: &Gate, offset: u32, rate: f64) {
        if rate <= 0.0 {
            return;
        }
        match g.qubits() {
            (a, None) => self.line(format!("DEPOLARIZE1({}) {}", shortest(rate), offset + a)),
            (a, Some(b)) => self.line(format!(
                "DEPOLARIZE2({}) {} {}",
                shortest(rate),
                offset + a,
                offset + b
            )),
        }
    }

    /// A noisy operation list on the register starting at `offset`; `DETECTOR rec[-1]` after
    /// each measurement when `detectors` (an attempt's check outcomes).
    fn ops(&mut self, ops: &OpList, offset: u32, rates: &NoiseRates, detectors: bool) {
        self.ops_side_by_side(ops, &[offset], rates, detectors);
    }

    /// Copies of one operation list run side by side on the registers at `offsets`, layer by
    /// layer (one TICK per layer). With several copies, detectors carry coordinates
    /// (copy index, measurement index).
    fn ops_side_by_side(
        &mut self,
        ops: &OpList,
        offsets: &[u32],
        rates: &NoiseRates,
        detectors: bool,
    ) {
        let idle_by_layer = ops.idle_by_layer();
        let mut measured = vec![0u32; offsets.len()];
        for (layer, idle_qubits) in ops.layers().zip(&idle_by_layer) {
            for (copy, &offset) in offsets.iter().enumerate() {
                for op in layer {
                    let rate = rates.rate(op.noise);
                    match op.kind {
                        OpKind::Prep(q) => {
                            self.line(format!("R {}", offset + q));
                            if rate > 0.0 {
                                self.line(format!(
                                    "DEPOLARIZE1({}) {}",
                                    shortest(rate),
                                    offset + q
                                ));
                            }
                        }
                        OpKind::Gate(g) => {
                            self.gate(&g, offset);
                            self.depolarize(&g, offset, rate);
                        }
                        OpKind::MeasureZ { qubit, .. } | OpKind::MeasureX { qubit, .. } => {
                            let name = match op.kind {
                                OpKind::MeasureX { .. } => "MX",
                                _ => "M",
                            };
                            if rate > 0.0 {
                                self.line(format!("{name}({}) {}", shortest(rate), offset + qubit));
                            } else {
                                self.line(format!("{name} {}", offset + qubit));
                            }
                            if detectors && offsets.len() > 1 {
                                self.line(format!("DETECTOR({copy}, {}) rec[-1]", measured[copy]));
                            } else if detectors {
                                self.line("DETECTOR rec[-1]");
                            }
                            measured[copy] += 1;
                        }
                    }
                }
            }
            let idle = rates.rate(NoiseClass::Idle);
            if idle > 0.0 && !idle_qubits.is_empty() {
                let qs: Vec<String> = offsets
                    .iter()
                    .flat_map(|&offset| idle_qubits.iter().map(move |q| (offset + q).to_string()))
                    .collect();
                self.line(format!("DEPOLARIZE1({}) {}", shortest(idle), qs.join(" ")));
            }
            self.line("TICK");
        }
    }

    /// Noiseless C⁻¹ on the register at `offset`.
    fn inverse(&mut self, c: &Circuit, offset: u32) {
        for g in c.gates.iter().rev() {
            self.gate(&inverse_gate(g), offset);
        }
    }

    /// Noiseless Bell measurement of pairs (first + i, second + i): CX(first_i → second_i),
    /// H(first_i), M on all 2n, one observable per outcome (0..2n−1).
    fn bell_measure(&mut self, n: u32, first: u32, second: u32) {
        self.bell_measure_from(n, first, second, 0);
    }

    /// [`Text::bell_measure`] with observables `obs0 .. obs0 + 2n − 1`.
    fn bell_measure_from(&mut self, n: u32, first: u32, second: u32, obs0: u32) {
        for i in 0..n {
            self.line(format!("CX {} {}", first + i, second + i));
        }
        let firsts: Vec<String> = (0..n).map(|i| (first + i).to_string()).collect();
        let seconds: Vec<String> = (0..n).map(|i| (second + i).to_string()).collect();
        if n > 0 {
            self.line(format!("H {}", firsts.join(" ")));
            self.line(format!("M {} {}", firsts.join(" "), seconds.join(" ")));
        }
        for j in 0..2 * n {
            self.line(format!(
                "OBSERVABLE_INCLUDE({}) rec[-{}]",
                obs0 + j,
                2 * n - j
            ));
        }
    }
}

/// The noisy direct implementation of C with a noiseless reference register (protocol.md
/// §11.3). Qubits: data d_i = i, reference R_i = n + i. Bell pairs (R_i, d_i), the noisy
/// operations of [`Instance::direct_ops`], then noiselessly C⁻¹ on d, CX(R_i → d_i), H(R_i)
/// and M on all 2n qubits with observables 0..2n−1: a logical error iff any observable flips.
pub fn export_direct(inst: &Instance, params: &Params) -> String {
    let n = inst.n;
    let rates = NoiseRates::for_params(params);
    let mut t = Text { out: String::new() };
    let _ = writeln!(
        t.out,
        "# CliNR Explorer: direct implementation, n = {n}, Δ = {}, s = {}, p = {}, noise model \
         {:?}, seed {}.\n# Qubits 0..{n}: data; {n}..{}: noiseless reference R. Logical error \
         iff any observable flips.",
        inst.depth,
        inst.circuit.len(),
        shortest(params.p),
        params.knobs.noise_model,
        params.seed,
        2 * n
    );
    if n > 0 {
        let rs: Vec<String> = (n..2 * n).map(|q| q.to_string()).collect();
        t.line(format!(
            "R {}",
            (0..2 * n)
                .map(|q| q.to_string())
                .collect::<Vec<_>>()
                .join(" ")
        ));
        t.line(format!("H {}", rs.join(" ")));
        for i in 0..n {
            t.line(format!("CX {} {i}", n + i));
        }
    }
    t.line("TICK");
    t.ops(&inst.direct_ops(), 0, &rates, false);
    t.inverse(&inst.circuit, 0);
    t.bell_measure(n, n, 0);
    t.out
}

/// One RSP&V attempt of block `block` (1-based) with its fixed checks (under K13 per_attempt,
/// these are one representative draw). Qubits: a_i = i, b_i = n + i, anc = 2n. One `DETECTOR`
/// per check (fires iff the check fails); the attempt is accepted iff no detector fires. Then
/// the noiseless decoding of the resource: C_k⁻¹ on b, CX(a_i → b_i), H(a_i), M on a and b,
/// with observables 0..2n−1. They all stay 0 iff the residual error A_res of the resource is
/// trivial (protocol.md §4.5). With two-sided RSP the RSP layers are A^T on a and B on b
/// (protocol.md §15.5); the decoding is the same, since the prepared state is.
///
/// With m = `instances` > 1 (protocol.md §15.4), m copies of the attempt run side by side, copy
/// i on qubits i(2n+1) ..; `DETECTOR(i, j)` is check j of copy i and observables
/// 2n·i .. 2n·i + 2n − 1 decode copy i. All copies run every check (no early stop), so the
/// injected copy is the lowest-index one whose detectors all stay silent.
pub fn export_rsp_attempt(
    inst: &Instance,
    params: &Params,
    block: u32,
) -> Result<String, ExportError> {
    let t_blocks = inst.blocks.len() as u32;
    if block == 0 || block > t_blocks {
        return Err(ExportError::NoSuchBlock { block, t: t_blocks });
    }
    let b = &inst.blocks[block as usize - 1];
    let n = inst.n;
    let rates = NoiseRates::for_params(params);
    let ops = b.attempt_ops_for(&b.checks, &params.knobs);
    let mut t = Text { out: String::new() };
    let _ = writeln!(
        t.out,
        "# CliNR Explorer: one RSP&V attempt of block {block} of {t_blocks}, n = {n}, Δ_k = {}, \
         check weights {:?}, δ_k = {}, p = {}, noise model {:?}, seed {}.\n# Qubits 0..{n}: a; \
         {n}..{}: b; {}: ancilla. Accepted iff no detector fires; residual error iff any \
         observable flips.",
        b.depth(),
        b.check_weights(),
        b.timing(&params.knobs).delta(),
        shortest(params.p),
        params.knobs.noise_model,
        params.seed,
        2 * n,
        2 * n
    );
    if params.knobs.two_sided_rsp {
        let _ = writeln!(
            t.out,
            "# Two-sided RSP: A^T (C_k's first {} layers, transposed) on a and B (its last {}) on \
             b in parallel, then the checks.",
            b.depth().div_ceil(2),
            b.depth() / 2
        );
    }
    let m = params.knobs.instances.max(1);
    if m > 1 {
        let _ = writeln!(
            t.out,
            "# m = {m} instances side by side: instance i (0-based) on qubits {}i..; DETECTOR(i, j) \
             is its check j, observables {}i..{}i+{} decode it. The first instance with no \
             detector firing is injected.",
            2 * n + 1,
            2 * n,
            2 * n,
            2 * n - 1
        );
    }
    if m == 1 {
        t.ops(&ops, 0, &rates, true);
        t.inverse(&b.circuit, n);
        t.bell_measure(n, 0, n);
    } else {
        let offsets: Vec<u32> = (0..m).map(|i| i * (2 * n + 1)).collect();
        t.ops_side_by_side(&ops, &offsets, &rates, true);
        for (i, &o) in offsets.iter().enumerate() {
            t.inverse(&b.circuit, o + n);
            t.bell_measure_from(n, o, o + n, 2 * n * i as u32);
        }
    }
    Ok(t.out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::circuit::stim_text::{parse, StimOp};

    fn small() -> Params {
        Params {
            n: 4,
            t: 2,
            r: 3,
            p: 0.01,
            ..Default::default()
        }
    }

    fn count(text: &str, op: StimOp) -> usize {
        parse(text)
            .expect("our parser accepts the export")
            .instructions
            .iter()
            .filter(|i| i.op == op)
            .count()
    }

    #[test]
    fn exports_parse_and_have_the_expected_annotations() {
        let params = small();
        let inst = Instance::generate(&params, 1);
        let d = export_direct(&inst, &params);
        assert_eq!(count(&d, StimOp::ObservableInclude), 8);
        assert_eq!(count(&d, StimOp::Detector), 0);
        assert_eq!(parse(&d).unwrap().num_qubits(), 8);
        for k in 1..=2 {
            let a = export_rsp_attempt(&inst, &params, k).unwrap();
            assert_eq!(count(&a, StimOp::Detector), 3);
            assert_eq!(count(&a, StimOp::ObservableInclude), 8);
            assert_eq!(parse(&a).unwrap().num_qubits(), 9);
            let ops = inst.blocks[k as usize - 1]
                .attempt_ops_for(&inst.blocks[k as usize - 1].checks, &params.knobs);
            // One TICK per layer of the attempt.
            assert_eq!(count(&a, StimOp::Tick), ops.num_layers());
        }
        assert_eq!(
            export_rsp_attempt(&inst, &params, 3),
            Err(ExportError::NoSuchBlock { block: 3, t: 2 })
        );
        assert!(export_rsp_attempt(&inst, &params, 0).is_err());
    }

    #[test]
    fn noiseless_export_has_no_noise_channels() {
        let params = Params { p: 0.0, ..small() };
        let inst = Instance::generate(&params, 0);
        let a = export_rsp_attempt(&inst, &params, 1).unwrap();
        assert_eq!(
            count(&a, StimOp::Depolarize1) + count(&a, StimOp::Depolarize2),
            0
        );
        let d = export_direct(&inst, &params);
        assert_eq!(
            count(&d, StimOp::Depolarize1) + count(&d, StimOp::Depolarize2),
            0
        );
    }
}
