//! ASAP layering and the split into t blocks (protocol.md §5).

use serde::{Deserialize, Serialize};

use super::{Circuit, Gate};

/// How [`Circuit::split`] cuts a circuit into blocks (knob K7).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SplitRule {
    /// t contiguous blocks of ⌊Δ/t⌋ or ⌈Δ/t⌉ ASAP layers, longer blocks first (default).
    #[default]
    EqualDepth,
    /// t contiguous blocks of ⌊s/t⌋ or ⌈s/t⌉ gates, longer blocks first.
    EqualGates,
}

/// Gate counts of a circuit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct GateCounts {
    pub total: u32,
    pub one_qubit: u32,
    pub two_qubit: u32,
}

/// Sizes of `t` parts of `total` items: ⌊total/t⌋ or ⌈total/t⌉, the longer ones first.
fn part_sizes(total: u32, t: u32) -> Vec<u32> {
    if t == 0 {
        return Vec::new();
    }
    let (base, extra) = (total / t, total % t);
    (0..t).map(|k| base + u32::from(k < extra)).collect()
}

impl Circuit {
    /// The 1-based ASAP layer of each gate: 1 + the largest layer among earlier gates sharing
    /// a qubit with it (0 if none).
    pub fn asap_layers(&self) -> Vec<u32> {
        let mut last = vec![0u32; self.n as usize];
        self.gates
            .iter()
            .map(|g| {
                let (a, b) = g.qubits();
                let mut l = last[a as usize];
                if let Some(b) = b {
                    l = l.max(last[b as usize]);
                }
                l += 1;
                last[a as usize] = l;
                if let Some(b) = b {
                    last[b as usize] = l;
                }
                l
            })
            .collect()
    }

    /// Δ: the number of ASAP layers (0 for the empty circuit).
    pub fn depth(&self) -> u32 {
        self.asap_layers().into_iter().max().unwrap_or(0)
    }

    /// Gates grouped by ASAP layer (index 0 = layer 1), original order kept inside a layer.
    pub fn layered(&self) -> Vec<Vec<Gate>> {
        let layers = self.asap_layers();
        let depth = layers.iter().copied().max().unwrap_or(0);
        let mut out = vec![Vec::new(); depth as usize];
        for (g, &l) in self.gates.iter().zip(&layers) {
            out[(l - 1) as usize].push(*g);
        }
        out
    }

    /// Splits into exactly `t` blocks `C_1 … C_t` (C_1 first in time); see protocol.md §5.
    /// Blocks may be empty when Δ < t (or s < t for [`SplitRule::EqualGates`]).
    /// `t = 0` gives no blocks.
    pub fn split(&self, t: u32, rule: SplitRule) -> Vec<Circuit> {
        if t == 0 {
            return Vec::new();
        }
        match rule {
            SplitRule::EqualDepth => {
                let layers = self.asap_layers();
                let depth = layers.iter().copied().max().unwrap_or(0);
                let sizes = part_sizes(depth, t);
                // block_of_layer[l-1] = block index.
                let mut block_of_layer = Vec::with_capacity(depth as usize);
                for (k, &sz) in sizes.iter().enumerate() {
                    block_of_layer.extend(std::iter::repeat_n(k, sz as usize));
                }
                let mut blocks: Vec<Circuit> = sizes.iter().map(|_| Circuit::new(self.n)).collect();
                for (g, &l) in self.gates.iter().zip(&layers) {
                    blocks[block_of_layer[(l - 1) as usize]].push(*g);
                }
                blocks
            }
            SplitRule::EqualGates => {
                let total = u32::try_from(self.gates.len()).unwrap_or(u32::MAX);
                let mut rest = self.gates.as_slice();
                part_sizes(total, t)
                    .into_iter()
                    .map(|sz| {
                        let (head, tail) = rest.split_at(sz as usize);
                        rest = tail;
                        Circuit {
                            n: self.n,
                            gates: head.to_vec(),
                        }
                    })
                    .collect()
            }
        }
    }

    /// Total, one-qubit and two-qubit gate counts.
    pub fn counts(&self) -> GateCounts {
        let two = self.gates.iter().filter(|g| g.is_two_qubit()).count() as u32;
        let total = self.gates.len() as u32;
        GateCounts {
            total,
            one_qubit: total - two,
            two_qubit: two,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_layering_and_split() {
        let mut c = Circuit::new(3);
        for g in [
            Gate::H(0),
            Gate::H(1),
            Gate::Cx(0, 1),
            Gate::S(2),
            Gate::Cx(1, 2),
            Gate::H(0),
        ] {
            c.push(g);
        }
        assert_eq!(c.asap_layers(), vec![1, 1, 2, 1, 3, 3]);
        assert_eq!(c.depth(), 3);
        assert_eq!(c.layered()[0], vec![Gate::H(0), Gate::H(1), Gate::S(2)]);
        let b = c.split(2, SplitRule::EqualDepth);
        assert_eq!(
            b[0].gates,
            vec![Gate::H(0), Gate::H(1), Gate::Cx(0, 1), Gate::S(2)]
        );
        assert_eq!(b[1].gates, vec![Gate::Cx(1, 2), Gate::H(0)]);
        let g = c.split(4, SplitRule::EqualGates);
        assert_eq!(
            g.iter().map(|b| b.len()).collect::<Vec<_>>(),
            vec![2, 2, 1, 1]
        );
        assert_eq!(c.split(5, SplitRule::EqualDepth).len(), 5);
        assert_eq!(c.counts().two_qubit, 2);
        assert_eq!(Circuit::new(2).depth(), 0);
    }
}
