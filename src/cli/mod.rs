//! The `clinr` command line (native only): argument definitions in the paper's notation,
//! input checks with one-line errors (exit code 2), and the calls into [`crate::estimate`].
//!
//! Flags of the model knobs are the identifiers of protocol.md §17 in kebab-case; their values
//! are the serde names of src/protocol/params.rs (parsed by [`serde_arg::SerdeEnum`]), and the
//! defaults shown by `--help` are read from `Params::default()` at run time.

pub mod output;
pub mod serde_arg;
pub mod shard_file;
pub mod sinter;

use crate::circuit::layers::SplitRule;
use crate::circuit::random::{CircuitGenerator, PaddingGates, SizeCount};
use crate::circuit::stim_text;
use crate::circuit::synthesis::{self, Method};
use crate::circuit::Circuit;
use crate::estimate::{self, EngineError, Progress, Vary};
use crate::protocol::params::*;
use crate::sim::EngineKind;
use clap::{ArgAction, Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use serde_arg::SerdeEnum;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

/// Simulate direct, monolithic CliNR_{t,r} and distributed CliNR_{t,r} implementations of
/// random n-qubit Clifford circuits (Dobbs, Delfosse, Brodutch, arXiv:2512.10693).
#[derive(Parser, Debug)]
#[command(name = "clinr", version, arg_required_else_help = true)]
pub struct Cli {
    #[command(subcommand)]
    pub cmd: Cmd,
}

#[derive(Subcommand, Debug)]
pub enum Cmd {
    /// Estimate p_L and depth of the three implementations at one parameter point.
    Simulate(SimulateArgs),
    /// Repeat `simulate` along one parameter (--vary n=…, tau-e=…, p=…, t=…).
    Sweep(SweepArgs),
    /// Print random circuit C (exactly the one `simulate` uses) as Stim text.
    Circuit(CircuitArgs),
    /// Combine the shard files of `clinr sweep … --shard I/N` (I = 1..N) into exactly what the
    /// unsharded sweep prints.
    Merge(MergeArgs),
    /// Print a noisy Stim circuit with exactly the simulators' noise, for cross-checking with
    /// Stim: the direct implementation (with a noiseless reference register; logical error iff
    /// any observable flips) or one RSP&V attempt of block k (one detector per check; residual
    /// error iff any observable flips).
    ExportStim(ExportStimArgs),
    /// Synthesize a Clifford again: read a unitary Clifford circuit in Stim text (a file or
    /// standard input), compute its tableau, and print the circuit that --method makes of it
    /// (gate for gate as Stim or Qiskit would), as Stim text.
    Synthesize(SynthesizeArgs),
    /// The claim map: which readings make the paper's claims Q1–Q5 hold (protocol.md §14).
    /// For every combination of K1 × K4 × K2 × K3 (all values unless restricted), computes
    /// the paper's points (Fig. 3a: n = 50, 60, 70, 85, 100 at τ_e = 1; Fig. 3b: τ_e = 1, 2,
    /// 3, 5, 8, 10, 15 at n = 85) and prints a matrix of readings × claims with verdicts
    /// holds / fails / unresolved / not-shown (paired difference over circuits beyond 2
    /// standard errors or not).
    Claims(ClaimsArgs),
}

/// The simulation point, in the paper's notation.
#[derive(Args, Debug, Clone)]
#[command(next_help_heading = "Parameters (paper notation)")]
pub struct ParamArgs {
    /// n: qubits of the circuit C (and of each QPU's register); with --circuit-file, the
    /// files' qubit count
    #[arg(long)]
    pub n: Option<u32>,
    /// s: size of C in gates [default: n²]; not with --circuit-file (s is the file's size)
    #[arg(long)]
    pub s: Option<u32>,
    /// t: number of subcircuits C_1..C_t (blocks); distributed CliNR uses t+1 QPUs
    #[arg(long)]
    pub t: Option<u32>,
    /// r: verification checks (stabilizer measurements S_j) per resource state in RSV
    #[arg(long)]
    pub r: Option<u32>,
    /// p: physical noise parameter (paper model: 1q p/10, 2q p, remote 3p, meas. p/10, idle p/100)
    #[arg(long, allow_negative_numbers = true)]
    pub p: Option<f64>,
    /// τ_e: layers to generate one Bell pair on one link (non-integer allowed)
    #[arg(long, allow_negative_numbers = true)]
    pub tau_e: Option<f64>,
    /// Random circuits per point (the error bar is the std over circuits); with
    /// --circuit-file, the number of files
    #[arg(long)]
    pub circuits: Option<u32>,
    /// Protocol samples per circuit
    #[arg(long)]
    pub shots: Option<u32>,
    /// Seed of every random draw (circuits, checks, samples)
    #[arg(long)]
    pub seed: Option<u64>,
    #[command(flatten)]
    pub knobs: KnobArgs,
}

/// The model knobs of protocol.md §16–§17.
#[derive(Args, Debug, Clone)]
#[command(next_help_heading = "Model knobs (protocol.md §16–§17)")]
pub struct KnobArgs {
    /// K1: idle noise (p/100 per layer) on resource qubits a, b inside RSP&V attempts: false =
    /// paper-consistent reading (the paper's p_L ordering appears), true = literal reading
    #[arg(long, value_name = "BOOL", action = ArgAction::Set, value_parser = clap::value_parser!(bool))]
    pub idle_on_resource_during_rspv: Option<bool>,
    /// K2: verification Paulis P^(j): uniform non-identity (weight ≈ 1.5n) or one random X/Y/Z
    #[arg(long, value_parser = SerdeEnum::<CheckKind>::new())]
    pub check_kind: Option<CheckKind>,
    /// K3: check readout: H then M_Z (w+4 layers) or direct M_X (w+3)
    #[arg(long, value_parser = SerdeEnum::<CheckMeasurement>::new())]
    pub check_measurement: Option<CheckMeasurement>,
    /// K4: random circuit generator: a uniform random Clifford synthesized as Stim's
    /// Tableau.to_circuit("elimination"), Qiskit's synth_clifford_greedy or synth_clifford_ag
    /// (gate for gate), or independent random gates. Former names synthesized_elimination
    /// (= qiskit_ag) and synthesized_greedy (= qiskit_greedy) are still accepted
    #[arg(long, alias = "generator", value_parser = SerdeEnum::<CircuitGenerator>::new())]
    pub circuit_generator: Option<CircuitGenerator>,
    /// K5: what the size s counts
    #[arg(long, value_parser = SerdeEnum::<SizeCount>::new())]
    pub size_count: Option<SizeCount>,
    /// K6: gates used to pad C up to size s
    #[arg(long, value_parser = SerdeEnum::<PaddingGates>::new())]
    pub padding_gates: Option<PaddingGates>,
    /// K7: how C is split into C_1..C_t
    #[arg(long, value_parser = SerdeEnum::<SplitRule>::new())]
    pub split_rule: Option<SplitRule>,
    /// K8: when the input |ψ⟩ appears on the data qubits
    #[arg(long, value_parser = SerdeEnum::<InputTiming>::new())]
    pub input_timing: Option<InputTiming>,
    /// K9: noise on the Pauli-correction layer of RSI and teleportation
    #[arg(long, value_parser = SerdeEnum::<CorrectionNoise>::new())]
    pub correction_noise: Option<CorrectionNoise>,
    /// K10: teleportation gadget of the final Q_t → Q_0 transfer
    #[arg(long, value_parser = SerdeEnum::<TeleportModel>::new())]
    pub teleport_model: Option<TeleportModel>,
    /// K11: time (layers) at which every link starts generating Bell pairs
    #[arg(long, value_name = "LAYERS", allow_negative_numbers = true)]
    pub bell_start: Option<f64>,
    /// K11: idle noise rate per layer on stored Bell-pair halves (only 0 is modelled)
    #[arg(long, value_name = "RATE", allow_negative_numbers = true)]
    pub storage_idle_rate: Option<f64>,
    /// K12: which arriving Bell pair a qubit consumes
    #[arg(long, value_parser = SerdeEnum::<PairAssignment>::new())]
    pub pair_assignment: Option<PairAssignment>,
    /// K13: draw the verification Paulis once per circuit or afresh for every attempt
    #[arg(long, value_parser = SerdeEnum::<CheckRedraw>::new())]
    pub check_redraw: Option<CheckRedraw>,
    /// K16: noise model: paper (§IV rates) or uniform (all p, no idle: Props. 1–2's setting)
    #[arg(long, value_parser = SerdeEnum::<NoiseModelKind>::new())]
    pub noise_model: Option<NoiseModelKind>,
    /// k: Bell-pair generators per link working in parallel (effective τ_e/k, paper §V)
    #[arg(long, value_name = "K")]
    pub parallel_links: Option<u32>,
    /// Restart at the first failing check, or only at the end of RSV (paper §V)
    #[arg(long, value_parser = SerdeEnum::<RestartRule>::new())]
    pub restart_rule: Option<RestartRule>,
    /// m: RSP&V instances per block run side by side, the first accepted one injected (paper
    /// §VI); m resource registers and m check ancillas per QPU
    #[arg(long, value_name = "M")]
    pub instances: Option<u32>,
    /// Two-sided RSP (paper §VI): C_k = B·A split at its middle layer, A^T on the a register
    /// and B on the b register in parallel (about half the RSP depth)
    #[arg(long, value_name = "BOOL", num_args = 0..=1, default_missing_value = "true",
          action = ArgAction::Set, value_parser = clap::value_parser!(bool))]
    pub two_sided_rsp: Option<bool>,
}

/// How samples are computed.
#[derive(Args, Debug, Clone)]
#[command(next_help_heading = "Run")]
pub struct RunArgs {
    /// Read circuit C from a Stim file instead of drawing it (repeatable, one circuit per file;
    /// --circuits then defaults to the number of files; a byte-order mark is skipped). Files obey
    /// the caps of drawn circuits (n ≤ 512, s ≤ 4194304). --s, --circuit-generator,
    /// --size-count and --padding-gates describe a drawn circuit and are refused with it
    #[arg(long, value_name = "C.stim")]
    pub circuit_file: Vec<PathBuf>,
    /// Simulator: fast (fault sampling) or reference (stabilizer simulation of every operation)
    #[arg(long, value_parser = SerdeEnum::<EngineKind>::new())]
    pub engine: Option<EngineKind>,
    /// Print progress on stderr even when it is not a terminal
    #[arg(long)]
    pub progress: bool,
    /// Threads to spread the circuits over [default: every core]; the numbers never depend
    /// on it
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub threads: Option<u32>,
}

impl RunArgs {
    fn threads(&self) -> u32 {
        self.threads
            .unwrap_or_else(crate::parallel::available_threads)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SimulateFormat {
    Table,
    Json,
    Csv,
    /// Stim's sinter CSV (one row per implementation; see README)
    Sinter,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SweepFormat {
    Table,
    Csv,
    Jsonl,
    /// Stim's sinter CSV (one row per point and implementation; see README)
    Sinter,
}

#[derive(Args, Debug)]
pub struct SimulateArgs {
    #[command(flatten)]
    pub params: ParamArgs,
    #[command(flatten)]
    pub run: RunArgs,
    /// Output: table (human), json (one Report), csv (one row per circuit), sinter (sinter's
    /// CSV, one row per implementation)
    #[arg(long, value_enum, default_value_t = SimulateFormat::Table)]
    pub format: SimulateFormat,
}

#[derive(Args, Debug)]
pub struct SweepArgs {
    /// The varied parameter and its values: n=50,60  tau-e=1,2,3  p=1e-4,2e-4  t=2,3,4
    #[arg(long, value_parser = parse_vary, allow_hyphen_values = true)]
    pub vary: Vary,
    #[command(flatten)]
    pub params: ParamArgs,
    #[command(flatten)]
    pub run: RunArgs,
    /// Output: table (human), csv (one row per point), jsonl (one Report per line), sinter
    /// (sinter's CSV, one row per point and implementation)
    #[arg(long, value_enum, default_value_t = SweepFormat::Table)]
    pub format: SweepFormat,
    /// Also find, at every point, the fewest parallel links per connection k for which no
    /// sampled run waits for Bell pairs (mean wait at k−1 and k), beside the fit c·t/ln t, the
    /// Prop. 2 prediction (Eq. 8 solved for k) and Eqs. 6–7
    #[arg(long)]
    pub min_links: bool,
    /// Compute only shard I of N (1 ≤ I ≤ N, e.g. $SLURM_ARRAY_TASK_ID/N) of the
    /// (point, circuit) work and print it as a shard file for `clinr merge`
    #[arg(long, value_name = "I/N", value_parser = estimate::shard::parse_shard)]
    pub shard: Option<(u32, u32)>,
}

#[derive(Args, Debug)]
pub struct MergeArgs {
    /// The shard files of one sweep, one per shard 1..N, in any order
    #[arg(required = true, value_name = "FILES")]
    pub files: Vec<PathBuf>,
    /// Output format [default: the one given to the sharded sweep]
    #[arg(long, value_enum)]
    pub format: Option<SweepFormat>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ClaimsFormat {
    Table,
    Json,
    Csv,
}

/// Arguments of `clinr claims`.
#[derive(Args, Debug)]
pub struct ClaimsArgs {
    /// Random circuits per point [default: 20, the paper's]
    #[arg(long)]
    pub circuits: Option<u32>,
    /// Protocol samples per circuit [default: 200, the paper's]
    #[arg(long)]
    pub shots: Option<u32>,
    /// Seed of every random draw [default: 1]
    #[arg(long)]
    pub seed: Option<u64>,
    /// p: physical noise parameter [default: 1e-4, the paper's]
    #[arg(long, allow_negative_numbers = true)]
    pub p: Option<f64>,
    /// t: number of blocks [default: 3, the paper's]
    #[arg(long)]
    pub t: Option<u32>,
    /// r: checks per resource state [default: 3, the paper's]
    #[arg(long)]
    pub r: Option<u32>,
    /// K1 values to cross, comma-separated: off (paper-consistent reading), on (literal
    /// reading) [default: off,on]
    #[arg(long, value_name = "on,off", value_delimiter = ',', value_parser = parse_on_off)]
    pub k1: Vec<bool>,
    /// K4 circuit generators to cross, comma-separated [default: every generator]
    #[arg(long, value_name = "GENERATORS", value_delimiter = ',', value_parser = SerdeEnum::<CircuitGenerator>::new())]
    pub k4: Vec<CircuitGenerator>,
    /// K2 check kinds to cross, comma-separated [default: every kind]
    #[arg(long, value_name = "KINDS", value_delimiter = ',', value_parser = SerdeEnum::<CheckKind>::new())]
    pub k2: Vec<CheckKind>,
    /// K3 check measurements to cross, comma-separated [default: every measurement]
    #[arg(long, value_name = "MEASUREMENTS", value_delimiter = ',', value_parser = SerdeEnum::<CheckMeasurement>::new())]
    pub k3: Vec<CheckMeasurement>,
    /// Sweeps per reading, comma-separated: fig3a (Q1, Q2), fig3b (Q3, Q4), larger_t (Q5: t =
    /// 3, 4, 5, 6 at n = 100; not in the paper) [default: fig3a,fig3b]
    #[arg(long, value_name = "FIGURES", value_delimiter = ',', value_parser = parse_figure)]
    pub figures: Vec<crate::claims::map::Figure>,
    /// Output: table (matrix of verdicts), json (verdicts with their evidence), csv (one row
    /// per reading)
    #[arg(long, value_enum, default_value_t = ClaimsFormat::Table)]
    pub format: ClaimsFormat,
    /// Show progress on stderr even when it is not a terminal (one line per sweep)
    #[arg(long)]
    pub progress: bool,
    /// Threads to spread the circuits over [default: every core]; the numbers never depend
    /// on it
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub threads: Option<u32>,
}

fn parse_on_off(s: &str) -> Result<bool, String> {
    match s.trim() {
        "on" | "true" | "literal" => Ok(true),
        "off" | "false" | "paper_consistent" => Ok(false),
        other => Err(format!("'{other}': expected on or off")),
    }
}

fn parse_figure(s: &str) -> Result<crate::claims::map::Figure, String> {
    use crate::claims::map::Figure;
    Figure::parse(s.trim()).ok_or_else(|| {
        let ids: Vec<&str> = Figure::ALL.iter().map(|f| f.id()).collect();
        format!("'{s}': expected one of {}", ids.join(", "))
    })
}

/// What `export-stim` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExportImpl {
    /// The direct implementation of C on n qubits, plus n noiseless reference qubits
    Direct,
    /// One RSP&V attempt of block --block on 2n+1 qubits (a, b, ancilla) with its fixed checks
    RspAttempt,
}

#[derive(Args, Debug)]
pub struct ExportStimArgs {
    /// Which operation list to export
    #[arg(long = "impl", value_enum)]
    pub implementation: ExportImpl,
    /// Block k (1-based) for --impl rsp-attempt [default: 1]
    #[arg(long, value_name = "K")]
    pub block: Option<u32>,
    /// Which circuit of the point (0-based; the i-th circuit `simulate` draws); it also picks
    /// the checks' random stream
    #[arg(long, default_value_t = 0)]
    pub index: u32,
    /// Use circuit C from this Stim file instead of drawing it (n defaults to its qubit count;
    /// --s, --circuit-generator, --size-count and --padding-gates are refused with it)
    #[arg(long, value_name = "C.stim")]
    pub circuit_file: Option<PathBuf>,
    #[command(flatten)]
    pub params: ParamArgs,
}

#[derive(Args, Debug)]
pub struct CircuitArgs {
    /// Which circuit of the point (0-based; the i-th circuit `simulate` draws)
    #[arg(long, default_value_t = 0)]
    pub index: u32,
    #[command(flatten)]
    pub params: ParamArgs,
}

#[derive(Args, Debug)]
pub struct SynthesizeArgs {
    /// Synthesis: stim_elimination (Stim 1.16.0 Tableau.to_circuit("elimination")),
    /// qiskit_greedy (Qiskit 2.6.2 synth_clifford_greedy), qiskit_ag (Qiskit 2.6.2
    /// synth_clifford_ag); SWAPs are written as three CX
    #[arg(long, value_parser = SerdeEnum::<Method>::new(), default_value = "stim_elimination")]
    pub method: Method,
    /// Read the circuit from this Stim file [default: standard input]. Only unitary Clifford
    /// gates (TICK and QUBIT_COORDS are ignored)
    #[arg(long, value_name = "C.stim")]
    pub circuit_file: Option<PathBuf>,
    /// Qubits of the Clifford [default: the file's, 1 + its largest qubit index]; larger pads
    /// with idle qubits, smaller is refused
    #[arg(long)]
    pub n: Option<u32>,
}

/// The largest n `synthesize` accepts (its tables grow as n²).
pub const SYNTHESIZE_MAX_N: u32 = 4096;

/// Parses `--vary NAME=v1,v2,…`.
pub fn parse_vary(s: &str) -> Result<Vary, String> {
    let (name, values) = s
        .split_once('=')
        .ok_or_else(|| "expected NAME=v1,v2,… with NAME one of n, tau-e, p, t".to_string())?;
    let items: Vec<&str> = values.split(',').map(str::trim).collect();
    if items.iter().any(|v| v.is_empty()) {
        return Err("empty value in the list".into());
    }
    fn nums<T: std::str::FromStr>(items: &[&str]) -> Result<Vec<T>, String> {
        items
            .iter()
            .map(|v| {
                v.parse::<T>()
                    .map_err(|_| format!("'{v}' is not a valid number"))
            })
            .collect()
    }
    match name.trim() {
        "n" => Ok(Vary::N(nums(&items)?)),
        "t" => Ok(Vary::T(nums(&items)?)),
        "p" => Ok(Vary::P(nums(&items)?)),
        "tau-e" | "tau_e" => Ok(Vary::TauE(nums(&items)?)),
        other => Err(format!(
            "unknown parameter '{other}': expected one of n, tau-e, p, t"
        )),
    }
}

impl KnobArgs {
    fn apply(&self, k: &mut Knobs) {
        macro_rules! set {
            ($($f:ident),*) => { $( if let Some(v) = self.$f { k.$f = v; } )* };
        }
        set!(
            idle_on_resource_during_rspv,
            check_kind,
            check_measurement,
            circuit_generator,
            size_count,
            padding_gates,
            split_rule,
            input_timing,
            correction_noise,
            teleport_model,
            bell_start,
            storage_idle_rate,
            pair_assignment,
            check_redraw,
            noise_model,
            parallel_links,
            restart_rule,
            instances,
            two_sided_rsp
        );
    }
}

impl ParamArgs {
    /// The parameters (defaults for anything not given; n and circuits may come from files).
    pub fn to_params(&self, n_from_files: Option<u32>, files: usize) -> Params {
        let d = Params::default();
        let mut knobs = Knobs::default();
        self.knobs.apply(&mut knobs);
        Params {
            n: self.n.or(n_from_files).unwrap_or(d.n),
            s: self.s,
            t: self.t.unwrap_or(d.t),
            r: self.r.unwrap_or(d.r),
            p: self.p.unwrap_or(d.p),
            tau_e: self.tau_e.unwrap_or(d.tau_e),
            circuits: self
                .circuits
                .or((files > 0).then(|| u32::try_from(files).unwrap_or(u32::MAX)))
                .unwrap_or(d.circuits),
            shots: self.shots.unwrap_or(d.shots),
            seed: self.seed.unwrap_or(d.seed),
            knobs,
        }
    }
}

/// A user-facing failure: one line on stderr and an exit code.
#[derive(Debug)]
pub struct Failure {
    pub message: String,
    pub code: i32,
}

impl Failure {
    fn input(message: impl Into<String>) -> Self {
        Failure {
            message: message.into(),
            code: 2,
        }
    }
}

impl From<EngineError> for Failure {
    fn from(e: EngineError) -> Self {
        // Every EngineError is a refusal of the input.
        Failure::input(e.to_string())
    }
}

/// Reads circuit files: one circuit per file, all on the same number of qubits, equal to `n`
/// when given. Each file obeys the caps of drawn circuits while it is read (at most
/// `limits::MAX_N` qubits and `limits::MAX_S` gates, [`stim_text::ReadLimits::new`]), so a
/// huge file is refused before it fills memory. Errors name the file (and the line for
/// malformed text).
pub fn read_circuits(files: &[PathBuf], n: Option<u32>) -> Result<Vec<Circuit>, Failure> {
    let mut out: Vec<Circuit> = Vec::with_capacity(files.len());
    let mut left = MAX_GIVEN_GATES;
    for f in files {
        let name = f.display();
        let file = std::fs::File::open(f)
            .map_err(|e| Failure::input(format!("{name}: cannot read: {e}")))?;
        let caps = stim_text::ReadLimits::new(limits::MAX_N, u64::from(limits::MAX_S).min(left));
        let mut c = stim_text::read_circuit(std::io::BufReader::new(file), &caps).map_err(|e| {
            if caps.max_gates < u64::from(limits::MAX_S) && e.message.contains(" gates, the cap") {
                Failure::input(format!(
                    "{name}: the circuit files hold more than {MAX_GIVEN_GATES} gates \
                     together, the cap on all files"
                ))
            } else {
                Failure::input(format!("{name}: {e}"))
            }
        })?;
        c.gates.shrink_to_fit();
        left -= c.len() as u64;
        if c.n == 0 {
            return Err(Failure::input(format!(
                "{name}: the circuit acts on no qubit"
            )));
        }
        let expected = n.or(out.first().map(|c0| c0.n));
        if let Some(want) = expected {
            if c.n != want {
                let by = if n.is_some() {
                    format!("--n {want}")
                } else {
                    format!("{} (qubit count of the first file)", files[0].display())
                };
                return Err(Failure::input(format!(
                    "{name}: the circuit has {} qubits (1 + largest qubit index) but expected {want} from {by}",
                    c.n
                )));
            }
        }
        out.push(c);
    }
    Ok(out)
}

/// Cap on the gates of all circuit files of one run together (16 bytes each in memory: at most
/// 128 MiB; the run's memory budget, [`crate::budget`], then decides what fits).
pub const MAX_GIVEN_GATES: u64 = 1 << 23;

/// The flags that describe a drawn circuit, by clap id and flag name: with `--circuit-file`
/// the circuit comes from the file, so they are refused when given explicitly.
pub const DRAWN_CIRCUIT_FLAGS: [(&str, &str); 4] = [
    ("s", "--s"),
    ("circuit_generator", "--circuit-generator"),
    ("size_count", "--size-count"),
    ("padding_gates", "--padding-gates"),
];

/// The refusal of flags that describe a drawn circuit when `--circuit-file` is given too
/// (both on the command line), as one line; `None` if there is nothing to refuse.
fn drawn_flags_with_files(sub: &clap::ArgMatches) -> Option<String> {
    use clap::parser::ValueSource;
    let explicit = |id: &str| {
        sub.try_contains_id(id).unwrap_or(false)
            && sub.value_source(id) == Some(ValueSource::CommandLine)
    };
    if !explicit("circuit_file") {
        return None;
    }
    let given: Vec<&str> = DRAWN_CIRCUIT_FLAGS
        .iter()
        .filter(|(id, _)| explicit(id))
        .map(|&(_, flag)| flag)
        .collect();
    match given.as_slice() {
        [] => None,
        [one] => Some(format!(
            "{one} does not apply with --circuit-file: it describes a drawn circuit, and the \
             circuit comes from the file (s = its gate count); drop {one}"
        )),
        many => Some(format!(
            "{} do not apply with --circuit-file: they describe a drawn circuit, and the \
             circuit comes from the file (s = its gate count); drop them",
            many.join(", ")
        )),
    }
}

/// Parameters and optional circuits for `simulate`/`sweep`, validated.
fn prepare(params: &ParamArgs, run: &RunArgs) -> Result<(Params, Option<Vec<Circuit>>), Failure> {
    let circuits = if run.circuit_file.is_empty() {
        None
    } else {
        Some(read_circuits(&run.circuit_file, params.n)?)
    };
    let n_from_files = circuits.as_ref().and_then(|c| c.first()).map(|c| c.n);
    let p = params.to_params(n_from_files, run.circuit_file.len());
    p.validate().map_err(|e| Failure::input(e.to_string()))?;
    if let Some(cs) = &circuits {
        if p.circuits as usize != cs.len() {
            return Err(Failure::input(format!(
                "--circuits {} but {} --circuit-file given (one circuit per file)",
                p.circuits,
                cs.len()
            )));
        }
    }
    Ok((p, circuits))
}

/// Progress on stderr: carriage-return updates on a terminal, one line per update otherwise.
struct ProgressLine {
    enabled: bool,
    tty: bool,
    dirty: bool,
}

impl ProgressLine {
    fn new(forced: bool) -> Self {
        let tty = std::io::stderr().is_terminal();
        ProgressLine {
            enabled: forced || tty,
            tty,
            dirty: false,
        }
    }

    fn update(&mut self, p: Progress) {
        if !self.enabled {
            return;
        }
        let point = if p.points > 1 {
            format!("point {}/{}, ", p.point + 1, p.points)
        } else {
            String::new()
        };
        let mut e = std::io::stderr().lock();
        let _ = if self.tty {
            write!(e, "\r{point}circuit {}/{}   ", p.circuits_done, p.circuits)
        } else {
            writeln!(
                e,
                "progress: {point}circuit {}/{}",
                p.circuits_done, p.circuits
            )
        };
        let _ = e.flush();
        self.dirty = self.tty;
    }

    fn finish(&mut self) {
        if self.dirty {
            let _ = writeln!(std::io::stderr());
            self.dirty = false;
        }
    }
}

fn run_simulate(a: &SimulateArgs) -> Result<String, Failure> {
    let (params, circuits) = prepare(&a.params, &a.run)?;
    let engine = a.run.engine.unwrap_or_default();
    let mut bar = ProgressLine::new(a.run.progress);
    let report = estimate::simulate_on(
        a.run.threads(),
        &params,
        engine,
        circuits.as_deref(),
        &mut |p| bar.update(p),
    );
    bar.finish();
    let report = report?;
    Ok(match a.format {
        SimulateFormat::Table => output::report_table(&report),
        SimulateFormat::Json => output::to_json(&report)? + "\n",
        SimulateFormat::Csv => output::report_csv(&report),
        SimulateFormat::Sinter => sinter::csv([&report]),
    })
}

fn run_sweep(a: &SweepArgs) -> Result<String, Failure> {
    let (params, circuits) = prepare(&a.params, &a.run)?;
    let engine = a.run.engine.unwrap_or_default();
    let mut bar = ProgressLine::new(a.run.progress);
    if let Some((shard, shards)) = a.shard {
        let spec = shard_file::SweepSpec {
            params,
            vary: a.vary.clone(),
            engine,
            circuit_files_sha256: circuits
                .as_deref()
                .map(shard_file::fingerprints)
                .unwrap_or_default(),
            format: a.format,
            min_links: a.min_links,
        };
        let items = estimate::shard::shard_items(
            u32::try_from(a.vary.len()).unwrap_or(u32::MAX),
            params.circuits,
            shard,
            shards,
        );
        let done = estimate::sweep_items_on(
            a.run.threads(),
            &params,
            &a.vary,
            engine,
            circuits.as_deref(),
            &items,
            &mut |p| bar.update(p),
        );
        bar.finish();
        let file = shard_file::ShardFile::new(shard, shards, spec, done?);
        return Ok(output::to_json(&file)? + "\n");
    }
    let points = estimate::sweep_on(
        a.run.threads(),
        &params,
        &a.vary,
        engine,
        circuits.as_deref(),
        &mut |p| bar.update(p),
    );
    bar.finish();
    render_sweep(a.format, a.min_links, a.vary.name(), &points?)
}

/// What `sweep` prints for these reports (also what `merge` prints).
fn render_sweep(
    format: SweepFormat,
    min_links: bool,
    var: &str,
    points: &[(f64, estimate::Report)],
) -> Result<String, Failure> {
    let scaling = min_links.then(|| output::PointScaling::of_points(points));
    let scaling = scaling.as_deref();
    Ok(match format {
        SweepFormat::Table => {
            output::sweep_table(var, points) + &output::scaling_table(var, points, scaling)
        }
        SweepFormat::Csv => output::with_scaling_columns(output::sweep_csv(var, points), scaling),
        SweepFormat::Jsonl => output::sweep_jsonl_scaling(var, points, scaling)?,
        SweepFormat::Sinter => sinter::csv(points.iter().map(|(_, r)| r)),
    })
}

fn run_merge(a: &MergeArgs) -> Result<String, Failure> {
    let (spec, items) = shard_file::read_and_check(&a.files)?;
    let points = estimate::sweep_from_items(
        &spec.params,
        &spec.vary,
        spec.engine,
        items,
        !spec.circuit_files_sha256.is_empty(),
    )?;
    render_sweep(
        a.format.unwrap_or(spec.format),
        spec.min_links,
        spec.vary.name(),
        &points,
    )
}

/// The values in order, each once; `all` when none is given.
fn chosen<T: PartialEq + Copy>(given: &[T], all: Vec<T>) -> Vec<T> {
    if given.is_empty() {
        return all;
    }
    let mut out: Vec<T> = Vec::new();
    for &v in given {
        if !out.contains(&v) {
            out.push(v);
        }
    }
    out
}

/// Progress of `clinr claims` on stderr: an indicatif bar on a terminal, one line per sweep
/// with `--progress` elsewhere, nothing otherwise.
enum ClaimsProgress {
    Bar(indicatif::ProgressBar),
    Lines,
    Quiet,
}

impl ClaimsProgress {
    fn new(forced: bool, total: u64) -> Self {
        if std::io::stderr().is_terminal() {
            let bar = indicatif::ProgressBar::new(total);
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                // wide_msg: the reading is cut to the terminal's width, never wrapped.
                "[{bar:20}] {percent:>3}% eta {eta:>3} {wide_msg}",
            ) {
                bar.set_style(style.progress_chars("=> "));
            }
            ClaimsProgress::Bar(bar)
        } else if forced {
            ClaimsProgress::Lines
        } else {
            ClaimsProgress::Quiet
        }
    }
}

fn reading_words(k: &Knobs) -> String {
    format!(
        "K1 {}, {}, {}, {}",
        if k.idle_on_resource_during_rspv {
            "on"
        } else {
            "off"
        },
        serde_arg::serde_name(&k.circuit_generator),
        serde_arg::serde_name(&k.check_kind),
        serde_arg::serde_name(&k.check_measurement)
    )
}

fn run_claims(a: &ClaimsArgs) -> Result<String, Failure> {
    use crate::claims::map::{self, Figure, KnobGrid};
    let d = Params::default();
    let base = Params {
        circuits: a.circuits.unwrap_or(d.circuits),
        shots: a.shots.unwrap_or(d.shots),
        seed: a.seed.unwrap_or(d.seed),
        p: a.p.unwrap_or(d.p),
        t: a.t.unwrap_or(d.t),
        r: a.r.unwrap_or(d.r),
        ..d
    };
    let default_grid = KnobGrid::default();
    let grid = KnobGrid {
        k1: chosen(&a.k1, default_grid.k1),
        k4: chosen(&a.k4, default_grid.k4),
        k2: chosen(&a.k2, default_grid.k2),
        k3: chosen(&a.k3, default_grid.k3),
    };
    let figures = chosen(&a.figures, Figure::PAPER.to_vec());
    // Every point of every figure, for every reading, is validated before any work.
    for knobs in grid.readings(&base.knobs) {
        for &f in &figures {
            let fb = f.base(&Params { knobs, ..base });
            let v = f.vary();
            for i in 0..v.len() {
                v.point(&fb, i)
                    .1
                    .validate()
                    .map_err(|e| Failure::input(e.to_string()))?;
            }
        }
    }
    let readings = grid.readings(&base.knobs);
    let per = u64::from(map::reading_work(&figures, base.circuits));
    let mut bar = ClaimsProgress::new(a.progress, per * readings.len() as u64);
    let mut last: Option<(usize, Figure)> = None;
    let result = map::run_map(
        &base,
        &grid,
        &figures,
        a.run_threads(),
        &mut |i, count, p| match &bar {
            ClaimsProgress::Bar(b) => {
                b.set_position(i as u64 * per + u64::from(p.done));
                if last != Some((i, p.figure)) {
                    b.set_message(format!(
                        "{}/{count} {}: {}",
                        i + 1,
                        p.figure.id(),
                        reading_words(&readings[i])
                    ));
                    last = Some((i, p.figure));
                }
            }
            ClaimsProgress::Lines => {
                if readings_figure_done(&figures, base.circuits, p) {
                    eprintln!(
                        "progress: reading {}/{count} ({}): {} done",
                        i + 1,
                        reading_words(&readings[i]),
                        p.figure.id()
                    );
                }
            }
            ClaimsProgress::Quiet => {}
        },
    );
    if let ClaimsProgress::Bar(b) = &mut bar {
        b.finish_and_clear();
    }
    let claim_map = result?;
    Ok(match a.format {
        ClaimsFormat::Table => claim_map.to_table(),
        ClaimsFormat::Json => claim_map.to_json(),
        ClaimsFormat::Csv => claim_map.to_csv(),
    })
}

/// Whether progress `p` is the last unit of its figure.
fn readings_figure_done(
    figures: &[crate::claims::map::Figure],
    circuits: u32,
    p: crate::claims::map::ReadingProgress,
) -> bool {
    let mut end = 0;
    for f in figures {
        end += f.work(circuits);
        if *f == p.figure {
            return p.done == end;
        }
    }
    false
}

impl ClaimsArgs {
    fn run_threads(&self) -> u32 {
        self.threads
            .unwrap_or_else(crate::parallel::available_threads)
    }
}

fn run_circuit(a: &CircuitArgs) -> Result<String, Failure> {
    let params = a.params.to_params(None, 0);
    params
        .validate()
        .map_err(|e| Failure::input(e.to_string()))?;
    // One writer for the CLI and the page's Stim export (header line included).
    Ok(crate::jobs::circuit_file_text(&params, a.index))
}

fn run_synthesize(a: &SynthesizeArgs) -> Result<String, Failure> {
    // Read while enforcing the caps (issue 15's bounded reader): at most SYNTHESIZE_MAX_N
    // qubits and limits::MAX_S gates, lines ≤ 64 MiB, input ≤ 256 MiB, so /dev/zero or a
    // multi-gigabyte file is refused before it fills memory.
    let caps = stim_text::ReadLimits::new(SYNTHESIZE_MAX_N, u64::from(limits::MAX_S));
    let (name, read) = match &a.circuit_file {
        Some(f) => {
            let file = std::fs::File::open(f)
                .map_err(|e| Failure::input(format!("{}: cannot read: {e}", f.display())))?;
            (
                f.display().to_string(),
                stim_text::read_circuit(std::io::BufReader::new(file), &caps),
            )
        }
        None => {
            let stdin = std::io::stdin();
            if stdin.is_terminal() {
                return Err(Failure::input(
                    "no circuit: give --circuit-file C.stim or pipe Stim text on standard input",
                ));
            }
            (
                "standard input".to_string(),
                stim_text::read_circuit(stdin.lock(), &caps),
            )
        }
    };
    let mut c = read.map_err(|e| Failure::input(format!("{name}: {e}")))?;
    let used = c.n;
    let n = a.n.unwrap_or(used);
    if used > n {
        return Err(Failure::input(format!(
            "{name}: the circuit uses {used} qubits (1 + largest qubit index) but --n is {n}"
        )));
    }
    if n == 0 {
        return Err(Failure::input(format!(
            "{name}: the circuit acts on no qubit (give --n to synthesize the identity)"
        )));
    }
    if n > SYNTHESIZE_MAX_N {
        return Err(Failure::input(format!(
            "{name}: {n} qubits is more than synthesize accepts ({SYNTHESIZE_MAX_N})"
        )));
    }
    c.n = n;
    let t = crate::tableau::Tableau::from_circuit(&c);
    let out = synthesis::synthesize(&t, a.method);
    let counts = out.counts();
    let mut text = format!(
        "# clinr synthesize: n={} method={} gates={} two_qubit_gates={} depth={}\n",
        n,
        a.method.name(),
        out.len(),
        counts.two_qubit,
        out.depth()
    );
    let stim = out.to_stim();
    if stim.num_qubits() < n {
        text += &format!("QUBIT_COORDS({}) {}\n", n - 1, n - 1);
    }
    text += &stim.to_string();
    Ok(text)
}

fn run_export_stim(a: &ExportStimArgs) -> Result<String, Failure> {
    use crate::protocol::block::Instance;
    use crate::protocol::stim_export::{export_direct, export_rsp_attempt};
    let circuit = match &a.circuit_file {
        Some(f) => read_circuits(std::slice::from_ref(f), a.params.n)?.pop(),
        None => None,
    };
    let params = a.params.to_params(circuit.as_ref().map(|c| c.n), 0);
    params
        .validate()
        .map_err(|e| Failure::input(e.to_string()))?;
    let inst = match circuit {
        Some(c) => Instance::with_circuit(&params, a.index, c),
        None => Instance::generate(&params, a.index),
    };
    match a.implementation {
        ExportImpl::Direct => match a.block {
            Some(_) => Err(Failure::input("--block applies to --impl rsp-attempt only")),
            None => Ok(export_direct(&inst, &params)),
        },
        ExportImpl::RspAttempt => export_rsp_attempt(&inst, &params, a.block.unwrap_or(1))
            .map_err(|e| Failure::input(e.to_string())),
    }
}

/// Sets the help defaults from `Params::default()` and `EngineKind::default()` (the one source
/// of defaults). `n` and `circuits` only get a note, since circuit files can supply them.
fn with_defaults(mut cmd: clap::Command) -> clap::Command {
    fn leak(s: String) -> &'static str {
        Box::leak(s.into_boxed_str())
    }
    let d = serde_json::to_value(Params::default()).unwrap_or_default();
    let mut defaults: Vec<(String, String)> = Vec::new();
    // The simulator (simulate, sweep).
    defaults.push((
        "engine".into(),
        serde_arg::serde_name(&EngineKind::default()),
    ));
    // Knobs left out of the JSON at their defaults (instances, two_sided_rsp).
    let k = Knobs::default();
    defaults.push(("instances".into(), k.instances.to_string()));
    defaults.push(("two_sided_rsp".into(), k.two_sided_rsp.to_string()));
    if let Some(obj) = d.as_object() {
        for (k, v) in obj {
            if let Some(knobs) = v.as_object().filter(|_| k == "knobs") {
                for (kk, kv) in knobs {
                    defaults.push((kk.clone(), json_scalar(kv)));
                }
            } else if !v.is_null() {
                defaults.push((k.clone(), json_scalar(v)));
            }
        }
    }
    for name in ["simulate", "sweep", "circuit", "export-stim"] {
        cmd = cmd.mut_subcommand(name, |mut sc| {
            for (id, value) in &defaults {
                if !sc.get_arguments().any(|a| a.get_id() == id.as_str()) {
                    continue;
                }
                if id == "n" || id == "circuits" {
                    let help = sc
                        .get_arguments()
                        .find(|a| a.get_id() == id.as_str())
                        .and_then(|a| a.get_help())
                        .map(|h| h.to_string())
                        .unwrap_or_default();
                    let help = leak(format!("{help} [default: {value}]"));
                    sc = sc.mut_arg(id.as_str(), |a| a.help(help));
                } else {
                    let value = leak(value.clone());
                    sc = sc.mut_arg(id.as_str(), |a| a.default_value(value));
                }
            }
            sc
        });
    }
    cmd
}

fn json_scalar(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Collapses a clap error to its first paragraph on one line (the error and, for enums, the
/// accepted values).
fn one_line(rendered: &str) -> String {
    rendered
        .lines()
        .take_while(|l| !l.trim().is_empty())
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Runs the CLI on `args` (including the program name) and returns the exit code.
pub fn main_with(args: Vec<std::ffi::OsString>) -> i32 {
    let cmd = with_defaults(Cli::command());
    let matches = match cmd.try_get_matches_from(args) {
        Ok(m) => m,
        Err(e) => return clap_exit(e),
    };
    if let Some(message) = matches
        .subcommand()
        .and_then(|(_, sub)| drawn_flags_with_files(sub))
    {
        eprintln!("error: {message}");
        return 2;
    }
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => return clap_exit(e),
    };
    let out = match &cli.cmd {
        Cmd::Simulate(a) => run_simulate(a),
        Cmd::Sweep(a) => run_sweep(a),
        Cmd::Merge(a) => run_merge(a),
        Cmd::Circuit(a) => run_circuit(a),
        Cmd::ExportStim(a) => run_export_stim(a),
        Cmd::Synthesize(a) => run_synthesize(a),
        Cmd::Claims(a) => run_claims(a),
    };
    match out {
        Ok(text) => {
            let mut stdout = std::io::stdout().lock();
            match stdout
                .write_all(text.as_bytes())
                .and_then(|_| stdout.flush())
            {
                Ok(()) => 0,
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
                Err(e) => {
                    eprintln!("error: cannot write output: {e}");
                    1
                }
            }
        }
        Err(f) => {
            eprintln!("error: {}", f.message.replace('\n', " "));
            f.code
        }
    }
}

fn clap_exit(e: clap::Error) -> i32 {
    use clap::error::ErrorKind::*;
    match e.kind() {
        DisplayHelp | DisplayVersion | DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            if e.kind() == DisplayHelpOnMissingArgumentOrSubcommand {
                2
            } else {
                0
            }
        }
        _ => {
            let mut line = one_line(&e.render().to_string());
            if let Some(tip) = suggestion(&e) {
                line = format!("{line} (tip: {tip})");
            }
            eprintln!("{line}");
            2
        }
    }
}

/// clap's "did you mean" for a mistyped flag, subcommand or value (`--tau_e` → `--tau-e`), which
/// [`one_line`] would drop with the rest of the message after its first paragraph.
fn suggestion(e: &clap::Error) -> Option<String> {
    use clap::error::{ContextKind, ContextValue};
    [
        (ContextKind::SuggestedArg, "argument"),
        (ContextKind::SuggestedSubcommand, "subcommand"),
        (ContextKind::SuggestedValue, "value"),
    ]
    .into_iter()
    .find_map(|(kind, what)| match e.get(kind)? {
        ContextValue::String(s) => Some(format!("a similar {what} exists: '{s}'")),
        ContextValue::Strings(v) if v.len() == 1 => {
            Some(format!("a similar {what} exists: '{}'", v[0]))
        }
        ContextValue::Strings(v) if !v.is_empty() => {
            let quoted: Vec<String> = v.iter().map(|s| format!("'{s}'")).collect();
            Some(format!("similar {what}s exist: {}", quoted.join(", ")))
        }
        _ => None,
    })
}

/// Entry point of the `clinr` binary.
pub fn main() -> i32 {
    main_with(std::env::args_os().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_knob_is_a_flag_with_its_default() {
        let cmd = with_defaults(Cli::command());
        let sim = cmd
            .get_subcommands()
            .find(|s| s.get_name() == "simulate")
            .expect("simulate");
        let knobs = serde_json::to_value(Knobs::default()).unwrap();
        for (id, v) in knobs.as_object().unwrap() {
            let arg = sim
                .get_arguments()
                .find(|a| a.get_id() == id.as_str())
                .unwrap_or_else(|| panic!("no flag for knob {id}"));
            assert_eq!(arg.get_long(), Some(id.replace('_', "-").as_str()));
            let dv: Vec<String> = arg
                .get_default_values()
                .iter()
                .map(|s| s.to_string_lossy().into_owned())
                .collect();
            assert_eq!(dv, vec![json_scalar(v)], "{id}");
        }
    }

    #[test]
    fn vary_parses() {
        assert_eq!(parse_vary("n=50,60").unwrap(), Vary::N(vec![50, 60]));
        assert_eq!(
            parse_vary("tau-e=1,2.5").unwrap(),
            Vary::TauE(vec![1.0, 2.5])
        );
        assert_eq!(parse_vary("p=1e-4").unwrap(), Vary::P(vec![1e-4]));
        assert_eq!(parse_vary("t=2,3").unwrap(), Vary::T(vec![2, 3]));
        assert!(parse_vary("x=1").is_err());
        assert!(parse_vary("n=1,,2").is_err());
        assert!(parse_vary("n=a").is_err());
        assert!(parse_vary("n").is_err());
    }

    #[test]
    fn clap_errors_collapse_to_one_line() {
        let s = "error: invalid value 'x' for '--k'\n  [possible values: a, b]\n\nFor more information, try '--help'.\n";
        assert_eq!(
            one_line(s),
            "error: invalid value 'x' for '--k' [possible values: a, b]"
        );
    }
}
