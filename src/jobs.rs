//! The job protocol between the page and its Web Worker: JSON strings in, JSON strings out.
//!
//! Pure Rust, so the very function the worker runs ([`handle`]) is unit-tested natively, and a
//! job gives the same answer in the browser as on the command line. A request is
//! `{"id": 1, "kind": "ping", "seed": 42}`; its reply is `{"id": 1, "kind": "pong", "value":
//! "…"}`. Numbers that may exceed 2^53 travel as decimal strings, because JavaScript numbers
//! cannot hold every `u64`.
//!
//! To add a job: add a variant to [`Job`], one to [`Outcome`] and a match arm in [`run_with`].
//!
//! A [`Job::Simulate`] runs [`estimate::simulate`] and answers with the report as JSON text,
//! serialized exactly as `clinr simulate --format json` prints it (compact, one line, then a
//! newline), so the page can export it byte for byte; while it runs, the worker posts
//! [`Outcome::Progress`] replies after every circuit.
//!
//! A [`Job::ClaimMap`] computes one reading of the claim map (`clinr claims`): the paper's
//! sweeps for that reading and the verdicts on Q1–Q5, answered as [`Outcome::ClaimRow`] with
//! exactly the JSON of that reading's element of `readings` in `clinr claims --format json`.
//! One job per reading keeps jobs short (≈ 0.3 s at 20 × 200 on one thread), so the page can
//! spread readings over its workers and cancel by restarting them.
//!
//! A [`Job::MinLinks`] is a [`Job::Simulate`] that also answers the minimum-links search of
//! issue 14 ([`estimate::scaling::min_parallel_links`]) on the same samples: the report JSON
//! does not carry the runs' T_1 histogram (`Report::first_acceptance`), so the search must run
//! in the worker, next to the report. The page's scaling view (x axis t) sends it.

use rand::RngExt;
use serde::{Deserialize, Serialize};

use crate::circuit::Circuit;
use crate::claims::map::{self as claim_map, Figure};
use crate::estimate;
use crate::protocol::params::Params;
use crate::rng;
use crate::sim::EngineKind;

/// Stream tag of the ping job (distinct from the engine's tags in [`rng::tag`]).
pub const PING_TAG: u64 = 9;

/// A request sent to the worker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Request {
    /// Chosen by the sender and echoed in the reply.
    pub id: u32,
    #[serde(flatten)]
    pub job: Job,
}

/// What the worker is asked to do.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Job {
    /// Draw the first `u64` of `rng::stream(seed, &[PING_TAG])`: proves the worker runs the
    /// engine and that wasm and native agree bit for bit.
    Ping { seed: u64 },
    /// Simulate one point with [`estimate::simulate`] on random circuits. The seed travels
    /// inside `params` as a JSON number; `u64` values above 2^53 would lose bits in
    /// JavaScript, but the page only forwards the string it received, never a JS number.
    Simulate {
        params: Params,
        #[serde(default)]
        engine: EngineKind,
    },
    /// The random circuit `index` of `params` as a Stim file, as `clinr circuit` writes it
    /// ([`circuit_file_text`]: header line, then the gates).
    Circuit { params: Params, index: u32 },
    /// One reading of the claim map ([`claim_map::run_reading`]): the sweeps of `figures`
    /// (default: paper Fig. 3a and 3b) with the reading `params.knobs` and the statistics,
    /// seed, p, t and r of `params` (n and τ_e come from the figures). Replies:
    /// [`Outcome::Progress`] with `circuits_done` / `circuits` counting units of
    /// [`claim_map::reading_work`] (circuits × points for an n sweep, circuits for the τ_e
    /// sweep), then [`Outcome::ClaimRow`].
    ClaimMap {
        params: Params,
        #[serde(default = "paper_figures")]
        figures: Vec<Figure>,
    },
    /// Simulate one point as [`Job::Simulate`] (fast engine) and search the fewest Bell-pair
    /// generators per link for which no sampled run waits for pairs
    /// ([`estimate::scaling::min_parallel_links`], at the point's τ_e and `bell_start`).
    /// Replies: [`Outcome::Progress`] after every circuit, then [`Outcome::MinLinks`].
    MinLinks { params: Params },
}

fn paper_figures() -> Vec<Figure> {
    Figure::PAPER.to_vec()
}

/// A message from the worker.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reply {
    /// The id of the request this answers; 0 for `ready` and for unparseable requests.
    pub id: u32,
    #[serde(flatten)]
    pub outcome: Outcome,
}

/// The content of a [`Reply`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Outcome {
    /// Sent once by the worker when it listens; requests sent before it are lost.
    Ready,
    /// Answer to [`Job::Ping`]: a `u64` as a decimal string.
    Pong { value: String },
    /// A [`Job::Simulate`] finished `circuits_done` of `circuits` (sent before the report).
    Progress { circuits_done: u32, circuits: u32 },
    /// Answer to [`Job::Simulate`]: the [`estimate::Report`] as the CLI prints it with
    /// `--format json` (see [`report_json`]), kept as text so no float is re-parsed.
    Report { json: String },
    /// Answer to [`Job::Circuit`]: the circuit as Stim text.
    Stim { text: String },
    /// Answer to [`Job::ClaimMap`]: `{"claims": {"Q1": {"evidence": …, "verdict": …}, …},
    /// "knobs": …}` as compact JSON ([`claim_map::row_json`]).
    ClaimRow { json: String },
    /// Answer to [`Job::MinLinks`]: the report exactly as [`Outcome::Report`] gives it, and
    /// the search's [`estimate::scaling::MinLinks`] as compact JSON (what `clinr sweep
    /// --min-links` writes per point under `scaling`, without the fit).
    MinLinks { json: String, min_links: String },
    /// The request could not be parsed or run.
    Error { message: String },
}

impl Request {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a request always serializes")
    }
}

impl Reply {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a reply always serializes")
    }

    pub fn parse(json: &str) -> Result<Reply, serde_json::Error> {
        serde_json::from_str(json)
    }

    /// The message a worker posts once it is listening.
    pub fn ready() -> Reply {
        Reply {
            id: 0,
            outcome: Outcome::Ready,
        }
    }
}

/// The value a ping with `seed` answers: the first `u64` of `rng::stream(seed, &[PING_TAG])`.
pub fn ping_value(seed: u64) -> u64 {
    rng::stream(seed, &[PING_TAG]).random()
}

/// The report as `clinr simulate --format json` prints it: compact JSON and a newline.
pub fn report_json(report: &estimate::Report) -> Result<String, serde_json::Error> {
    Ok(serde_json::to_string(report)? + "\n")
}

/// Runs one job.
pub fn run(job: &Job) -> Outcome {
    run_with(job, &mut |_| {})
}

/// Runs one job, reporting progress of long jobs through `progress`.
pub fn run_with(job: &Job, progress: &mut dyn FnMut(Outcome)) -> Outcome {
    match job {
        Job::Ping { seed } => Outcome::Pong {
            value: ping_value(*seed).to_string(),
        },
        Job::Simulate { params, engine } => {
            let mut on_progress = |p: estimate::Progress| {
                progress(Outcome::Progress {
                    circuits_done: p.circuits_done,
                    circuits: p.circuits,
                })
            };
            match estimate::simulate(params, *engine, None, &mut on_progress) {
                Ok(report) => match report_json(&report) {
                    Ok(json) => Outcome::Report { json },
                    Err(e) => Outcome::Error {
                        message: format!("cannot serialize the report: {e}"),
                    },
                },
                Err(e) => Outcome::Error {
                    message: e.to_string(),
                },
            }
        }
        Job::MinLinks { params } => {
            let mut on_progress = |p: estimate::Progress| {
                progress(Outcome::Progress {
                    circuits_done: p.circuits_done,
                    circuits: p.circuits,
                })
            };
            match estimate::simulate(params, EngineKind::Fast, None, &mut on_progress) {
                Ok(report) => {
                    let search = estimate::scaling::min_parallel_links(&report);
                    match (report_json(&report), serde_json::to_string(&search)) {
                        (Ok(json), Ok(min_links)) => Outcome::MinLinks { json, min_links },
                        (Err(e), _) | (_, Err(e)) => Outcome::Error {
                            message: format!("cannot serialize the result: {e}"),
                        },
                    }
                }
                Err(e) => Outcome::Error {
                    message: e.to_string(),
                },
            }
        }
        Job::ClaimMap { params, figures } => {
            if figures.is_empty() {
                return Outcome::Error {
                    message: "a claim-map job needs at least one figure".into(),
                };
            }
            let mut on_progress = |p: claim_map::ReadingProgress| {
                progress(Outcome::Progress {
                    circuits_done: p.done,
                    circuits: p.total,
                })
            };
            match claim_map::run_reading(
                params,
                figures,
                crate::parallel::available_threads(),
                &mut on_progress,
            ) {
                Ok(row) => Outcome::ClaimRow {
                    json: claim_map::row_json(&row),
                },
                Err(e) => Outcome::Error {
                    message: e.to_string(),
                },
            }
        }
        Job::Circuit { params, index } => match params.validate() {
            Err(e) => Outcome::Error {
                message: e.to_string(),
            },
            Ok(()) if *index >= params.circuits => Outcome::Error {
                message: format!(
                    "circuit {index} does not exist (circuits = {})",
                    params.circuits
                ),
            },
            Ok(()) => Outcome::Stim {
                text: circuit_file_text(params, *index),
            },
        },
    }
}

/// The serde name of a unit enum value (`synthesized_elimination`), as the CLI prints it.
fn serde_name<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

/// The header line of a circuit file: `# clinr circuit: n=… s=… seed=… index=…` and the
/// knobs that shape the circuit (K4–K6). `clinr circuit` and the page's Stim export write it.
pub fn circuit_header(params: &Params, index: u32) -> String {
    format!(
        "# clinr circuit: n={} s={} seed={} index={} circuit_generator={} size_count={} padding_gates={}\n",
        params.n,
        params.size(),
        params.seed,
        index,
        serde_name(&params.knobs.circuit_generator),
        serde_name(&params.knobs.size_count),
        serde_name(&params.knobs.padding_gates),
    )
}

/// Random circuit `index` of `params` as a Stim file: [`circuit_header`], then the gates. A
/// file's qubit count is 1 + its largest index, so the last qubit is declared with
/// `QUBIT_COORDS` when no gate uses it. What `clinr circuit` prints, byte for byte.
pub fn circuit_file_text(params: &Params, index: u32) -> String {
    let c = crate::protocol::block::random_circuit(params, index);
    let mut text = circuit_header(params, index);
    let stim = c.to_stim();
    if stim.num_qubits() < c.n {
        text += &format!("QUBIT_COORDS({}) {}\n", c.n - 1, c.n - 1);
    }
    text += &stim.to_string();
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text
}

/// A circuit as Stim text ending with a newline.
pub fn stim_text(circuit: &Circuit) -> String {
    let mut text = circuit.to_stim_text();
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text
}

/// Answers one JSON request with one JSON reply; never panics on bad input.
pub fn handle(request: &str) -> String {
    handle_with(request, &mut |_| {})
}

/// Like [`handle`], and passes every intermediate reply (progress) as JSON to `post` before
/// returning the final one.
pub fn handle_with(request: &str, post: &mut dyn FnMut(String)) -> String {
    let reply = match serde_json::from_str::<Request>(request) {
        Ok(req) => {
            let id = req.id;
            let mut progress = |outcome: Outcome| post(Reply { id, outcome }.to_json());
            Reply {
                id,
                outcome: run_with(&req.job, &mut progress),
            }
        }
        Err(e) => Reply {
            id: serde_json::from_str::<serde_json::Value>(request)
                .ok()
                .and_then(|v| v.get("id")?.as_u64())
                .and_then(|id| u32::try_from(id).ok())
                .unwrap_or(0),
            outcome: Outcome::Error {
                message: format!("bad request: {e}"),
            },
        },
    };
    reply.to_json()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fixture the wasm test and the browser end-to-end test compare against too.
    const FIXTURE: &str = include_str!("../tests/fixtures/worker_ping.json");

    fn fixture() -> (u64, String) {
        let v: serde_json::Value = serde_json::from_str(FIXTURE).unwrap();
        (
            v["seed"].as_u64().unwrap(),
            v["value"].as_str().unwrap().to_string(),
        )
    }

    #[test]
    fn ping_for_seed_42_matches_the_pinned_fixture() {
        let (seed, value) = fixture();
        assert_eq!(seed, 42);
        assert_eq!(ping_value(seed).to_string(), value);
        let reply = handle(r#"{"id": 7, "kind": "ping", "seed": 42}"#);
        assert_eq!(
            reply,
            format!(r#"{{"id":7,"kind":"pong","value":"{value}"}}"#)
        );
    }

    #[test]
    fn requests_and_replies_round_trip_in_the_documented_shape() {
        let req = Request {
            id: 3,
            job: Job::Ping { seed: u64::MAX },
        };
        let json = req.to_json();
        assert_eq!(
            json,
            format!(r#"{{"id":3,"kind":"ping","seed":{}}}"#, u64::MAX)
        );
        assert_eq!(serde_json::from_str::<Request>(&json).unwrap(), req);
        assert_eq!(Reply::ready().to_json(), r#"{"id":0,"kind":"ready"}"#);
        let pong = Reply::parse(&handle(&json)).unwrap();
        assert_eq!(pong.id, 3);
        assert_eq!(
            pong.outcome,
            Outcome::Pong {
                value: ping_value(u64::MAX).to_string()
            }
        );
    }

    #[test]
    fn bad_requests_get_an_error_reply_with_the_id_when_known() {
        for (input, id) in [
            ("not json", 0),
            (r#"{"id": 5, "kind": "nope"}"#, 5),
            (r#"{"id": 6, "kind": "ping"}"#, 6),
            (r#"{"kind": "ping", "seed": 1}"#, 0),
        ] {
            let reply = Reply::parse(&handle(input)).unwrap();
            assert_eq!(reply.id, id, "{input}");
            assert!(matches!(reply.outcome, Outcome::Error { .. }), "{input}");
        }
    }

    /// Made by the native CLI: `cargo run --release --bin clinr -- simulate --n 12 --circuits 3
    /// --shots 50 --seed 5 --format json > tests/fixtures/simulate_n12_seed5.json`.
    const SIMULATE_FIXTURE: &str = include_str!("../tests/fixtures/simulate_n12_seed5.json");

    fn fixture_params() -> Params {
        Params {
            n: 12,
            circuits: 3,
            shots: 50,
            seed: 5,
            ..Default::default()
        }
    }

    #[test]
    fn simulate_job_answers_the_cli_json_byte_for_byte_with_progress() {
        let req = Request {
            id: 4,
            job: Job::Simulate {
                params: fixture_params(),
                engine: EngineKind::Fast,
            },
        };
        let mut posted = Vec::new();
        let reply = Reply::parse(&handle_with(&req.to_json(), &mut |m| posted.push(m))).unwrap();
        assert_eq!(reply.id, 4);
        assert_eq!(
            reply.outcome,
            Outcome::Report {
                json: SIMULATE_FIXTURE.to_string()
            }
        );
        let progress: Vec<Outcome> = posted
            .iter()
            .map(|m| Reply::parse(m).unwrap().outcome)
            .collect();
        assert_eq!(
            progress,
            (1..=3)
                .map(|d| Outcome::Progress {
                    circuits_done: d,
                    circuits: 3
                })
                .collect::<Vec<_>>()
        );
        // The engine defaults to the fast sampler when the request does not name one.
        let json = serde_json::to_string(&serde_json::json!({
            "id": 1, "kind": "simulate", "params": fixture_params()
        }))
        .unwrap();
        assert!(
            handle(&json).contains("\\n\"}"),
            "the report JSON ends with a newline"
        );
    }

    #[test]
    fn bad_simulate_and_circuit_jobs_get_error_replies() {
        let bad = Params {
            n: 0,
            ..fixture_params()
        };
        assert!(matches!(
            run(&Job::Simulate {
                params: bad,
                engine: EngineKind::Fast
            }),
            Outcome::Error { .. }
        ));
        assert!(matches!(
            run(&Job::Circuit {
                params: fixture_params(),
                index: 3
            }),
            Outcome::Error { .. }
        ));
    }

    #[test]
    fn circuit_job_answers_the_random_circuit_as_stim_text() {
        let p = fixture_params();
        let Outcome::Stim { text } = run(&Job::Circuit {
            params: p,
            index: 1,
        }) else {
            panic!("expected Stim text");
        };
        let parsed = crate::circuit::stim_text::parse(&text).unwrap();
        assert!(!parsed.instructions.is_empty());
        // The CLI's header line, then the circuit's gates.
        let header = circuit_header(&p, 1);
        assert!(
            header.starts_with("# clinr circuit: n=12 s=144 seed=5 index=1 "),
            "{header}"
        );
        assert!(header.contains(" index=1 circuit_generator="), "{header}");
        let body = text.strip_prefix(&header).expect("starts with the header");
        let circuit = crate::protocol::block::Instance::generate(&p, 1).circuit;
        let gates = stim_text(&circuit);
        assert!(
            body == gates || body == format!("QUBIT_COORDS({0}) {0}\n{gates}", circuit.n - 1),
            "{body}"
        );
        assert!(text.ends_with('\n'));
        assert_eq!(text, circuit_file_text(&p, 1));
    }

    #[test]
    fn claim_map_job_answers_one_reading_row_with_progress() {
        let params = Params {
            circuits: 2,
            shots: 4,
            seed: 3,
            ..Default::default()
        };
        let json =
            r#"{"id": 9, "kind": "claim_map", "params": {"circuits": 2, "shots": 4, "seed": 3}}"#;
        let mut posted = Vec::new();
        let reply = Reply::parse(&handle_with(json, &mut |m| posted.push(m))).unwrap();
        assert_eq!(reply.id, 9);
        let Outcome::ClaimRow { json: row } = reply.outcome else {
            panic!("expected a claim row, got {:?}", reply.outcome);
        };
        // The same row as computing the reading directly (what `clinr claims` prints).
        let direct = claim_map::run_reading(&params, &Figure::PAPER, 1, &mut |_| {}).unwrap();
        assert_eq!(row, claim_map::row_json(&direct));
        let v: serde_json::Value = serde_json::from_str(&row).unwrap();
        assert_eq!(v["knobs"], serde_json::to_value(params.knobs).unwrap());
        for q in ["Q1", "Q2", "Q3", "Q4", "Q5"] {
            let verdict = v["claims"][q]["verdict"].as_str().unwrap();
            assert!(
                ["holds", "fails", "unresolved", "not-shown"].contains(&verdict),
                "{q}: {verdict}"
            );
        }
        assert_eq!(v["claims"]["Q5"]["verdict"], "not-shown");
        // Progress counts units up to the total: 5 n points × 2 circuits + 2 circuits of τ_e.
        let progress: Vec<Outcome> = posted
            .iter()
            .map(|m| Reply::parse(m).unwrap().outcome)
            .collect();
        assert_eq!(progress.len(), 12);
        assert_eq!(
            progress.last(),
            Some(&Outcome::Progress {
                circuits_done: 12,
                circuits: 12
            })
        );
        // Bad requests get an error reply.
        let bad = Job::ClaimMap {
            params: Params {
                circuits: 0,
                ..params
            },
            figures: Figure::PAPER.to_vec(),
        };
        assert!(matches!(run(&bad), Outcome::Error { .. }));
        let none = Job::ClaimMap {
            params,
            figures: Vec::new(),
        };
        assert!(matches!(run(&none), Outcome::Error { .. }));
    }

    /// Made by the native CLI: `cargo run --release --bin clinr -- claims --format json
    /// --circuits 2 --shots 4 --seed 2 --k1 off --k2 uniform --k3 h_then_mz >
    /// tests/fixtures/claims_small.json` (one reading per circuit generator).
    const CLAIMS_FIXTURE: &str = include_str!("../tests/fixtures/claims_small.json");

    #[test]
    fn claim_map_job_answers_the_cli_row_byte_for_byte() {
        let map: serde_json::Value = serde_json::from_str(CLAIMS_FIXTURE).unwrap();
        let knobs = crate::protocol::reading::ReadingKind::PaperConsistent
            .knobs()
            .unwrap();
        let row = map["readings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["knobs"] == serde_json::to_value(knobs).unwrap())
            .expect("the paper-consistent reading is in the fixture");
        let job = Job::ClaimMap {
            params: Params {
                circuits: 2,
                shots: 4,
                seed: 2,
                knobs,
                ..Default::default()
            },
            figures: Figure::PAPER.to_vec(),
        };
        assert_eq!(
            run(&job),
            Outcome::ClaimRow {
                json: row.to_string()
            }
        );
    }

    #[test]
    fn min_links_job_answers_the_report_and_the_search_on_its_samples() {
        let params = Params {
            n: 12,
            t: 4,
            tau_e: 30.0,
            circuits: 3,
            shots: 50,
            seed: 5,
            ..Default::default()
        };
        let json = format!(
            r#"{{"id": 2, "kind": "min_links", "params": {}}}"#,
            serde_json::to_string(&params).unwrap()
        );
        let mut posted = Vec::new();
        let reply = Reply::parse(&handle_with(&json, &mut |m| posted.push(m))).unwrap();
        assert_eq!(reply.id, 2);
        let Outcome::MinLinks {
            json: report_text,
            min_links,
        } = reply.outcome
        else {
            panic!("expected min links, got {:?}", reply.outcome);
        };
        // The same report as a simulate job, and the search on that very report.
        let direct = estimate::simulate(&params, EngineKind::Fast, None, &mut |_| {}).unwrap();
        assert_eq!(report_text, report_json(&direct).unwrap());
        let search: estimate::scaling::MinLinks = serde_json::from_str(&min_links).unwrap();
        assert_eq!(search, estimate::scaling::min_parallel_links(&direct));
        assert_eq!(search.runs, 150);
        // Slow links at small n: one generator per link is not enough.
        let k = search.min_parallel_links.expect("some k suffices");
        assert!(k > 1, "k = {k}");
        assert!(search.mean_wait_at_k_minus_1.unwrap() > 0.0);
        assert_eq!(posted.len(), 3, "progress after every circuit");
        assert!(matches!(
            run(&Job::MinLinks {
                params: Params { n: 0, ..params }
            }),
            Outcome::Error { .. }
        ));
    }

    #[test]
    fn different_seeds_give_different_pings() {
        assert_ne!(ping_value(42), ping_value(43));
    }
}
