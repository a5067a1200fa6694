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

/// One block of [`Circuit::split_layered`].
#[derive(Clone, Debug)]
pub struct LayeredBlock {
    /// C_k.
    pub circuit: Circuit,
    /// C_k's ASAP layers, as [`Circuit::layered`] gives them.
    pub layers: Vec<Vec<Gate>>,
}

/// The result of [`Circuit::split_layered`].
#[derive(Clone, Debug)]
pub struct LayeredSplit {
    /// Δ of the whole circuit.
    pub depth: u32,
    /// The t blocks, C_1 first.
    pub blocks: Vec<LayeredBlock>,
}

/// `gates` grouped by their 1-based ASAP layers `asap` (`depth` of them).
fn group_by_layer(gates: &[Gate], asap: &[u32], depth: u32) -> Vec<Vec<Gate>> {
    let per_layer = layer_sizes(asap, depth);
    let mut out = vec![Vec::new(); depth as usize];
    for (g, &l) in gates.iter().zip(asap) {
        let l = (l - 1) as usize;
        push_sized(&mut out[l], *g, per_layer[l]);
    }
    out
}

/// The number of gates in each layer, from the 1-based ASAP layers `asap`.
fn layer_sizes(asap: &[u32], depth: u32) -> Vec<u32> {
    let mut per_layer = vec![0u32; depth as usize];
    for &l in asap {
        per_layer[(l - 1) as usize] += 1;
    }
    per_layer
}

/// Pushes `g` onto a layer that will hold `size` gates in all, allocating it at that exact
/// size on its first gate. Allocating there rather than up front keeps the fresh memory in
/// cache while it is filled (a random Clifford at s = n² has thousands of tiny layers).
#[inline]
fn push_sized(layer: &mut Vec<Gate>, g: Gate, size: u32) {
    if layer.capacity() == 0 {
        *layer = Vec::with_capacity(size as usize);
    }
    layer.push(g);
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
                // A one-qubit gate counts as a "two-qubit gate" on (a, a): the same layer,
                // without a branch on the gate's arity (mixed gate kinds defeat prediction).
                let (a, b) = g.qubits();
                let (a, b) = (a as usize, b.unwrap_or(a) as usize);
                let l = last[a].max(last[b]) + 1;
                last[a] = l;
                last[b] = l;
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
        let asap = self.asap_layers();
        let depth = asap.iter().copied().max().unwrap_or(0);
        group_by_layer(&self.gates, &asap, depth)
    }

    /// [`Circuit::split`] and each block's [`Circuit::layered`] (and Δ) from a single ASAP
    /// pass, with every vector allocated at its final size: generation at the paper's size
    /// (s = n² gates, Δ in the thousands) is dominated by these many small vectors.
    ///
    /// Under [`SplitRule::EqualDepth`] the layers of a block are the circuit's layers shifted
    /// by the layers of the blocks before it: a gate past the block's first layer has an
    /// earlier gate on one of its qubits in the layer just before, which is in the block too.
    pub fn split_layered(&self, t: u32, rule: SplitRule) -> LayeredSplit {
        let asap = self.asap_layers();
        let depth = asap.iter().copied().max().unwrap_or(0);
        let blocks = match rule {
            _ if t == 0 => Vec::new(),
            SplitRule::EqualDepth => {
                // Block k covers the 0-based layers ranges[k].
                let mut first = 0;
                let ranges: Vec<std::ops::Range<u32>> = part_sizes(depth, t)
                    .into_iter()
                    .map(|size| {
                        first += size;
                        first - size..first
                    })
                    .collect();
                let per_layer = layer_sizes(&asap, depth);
                let mut blocks: Vec<LayeredBlock> = ranges
                    .iter()
                    .map(|r| {
                        let counts = &per_layer[r.start as usize..r.end as usize];
                        let mut circuit = Circuit::new(self.n);
                        circuit
                            .gates
                            .reserve_exact(counts.iter().sum::<u32>() as usize);
                        LayeredBlock {
                            circuit,
                            layers: vec![Vec::new(); counts.len()],
                        }
                    })
                    .collect();
                let mut k = 0;
                for (g, &l) in self.gates.iter().zip(&asap) {
                    // The owner of layer l, stepping from the previous gate's block (gates
                    // come roughly in layer order).
                    let l = l - 1;
                    while l < ranges[k].start {
                        k -= 1;
                    }
                    while l >= ranges[k].end {
                        k += 1;
                    }
                    let b = &mut blocks[k];
                    b.circuit.gates.push(*g);
                    push_sized(
                        &mut b.layers[(l - ranges[k].start) as usize],
                        *g,
                        per_layer[l as usize],
                    );
                }
                blocks
            }
            SplitRule::EqualGates => self
                .split(t, rule)
                .into_iter()
                .map(|circuit| LayeredBlock {
                    layers: circuit.layered(),
                    circuit,
                })
                .collect(),
        };
        LayeredSplit { depth, blocks }
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

    #[test]
    fn split_layered_matches_split_and_layered() {
        use rand::RngExt;
        let mut rng = crate::rng::from_seed(3);
        for n in [1u32, 2, 5, 9] {
            for s in [0u32, 1, 7, 40, 200] {
                let mut c = Circuit::new(n);
                for _ in 0..s {
                    let a = rng.random_range(0..n);
                    let b = (a + rng.random_range(1..n.max(2))) % n;
                    c.push(if b != a && rng.random_range(0..2u32) == 0 {
                        Gate::Cx(a, b)
                    } else {
                        Gate::H(a)
                    });
                }
                for t in [0u32, 1, 3, 50] {
                    for rule in [SplitRule::EqualDepth, SplitRule::EqualGates] {
                        let got = c.split_layered(t, rule);
                        assert_eq!(got.depth, c.depth());
                        let want = c.split(t, rule);
                        assert_eq!(got.blocks.len(), want.len());
                        for (b, w) in got.blocks.iter().zip(&want) {
                            assert_eq!(b.circuit, *w);
                            assert_eq!(b.layers, w.layered(), "n={n} s={s} t={t} {rule:?}");
                        }
                    }
                }
            }
        }
    }
}
