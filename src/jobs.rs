//! The job protocol between the page and its Web Worker: JSON strings in, JSON strings out.
//!
//! Pure Rust, so the very function the worker runs ([`handle`]) is unit-tested natively, and a
//! job gives the same answer in the browser as on the command line. A request is
//! `{"id": 1, "kind": "ping", "seed": 42}`; its reply is `{"id": 1, "kind": "pong", "value":
//! "…"}`. Numbers that may exceed 2^53 travel as decimal strings, because JavaScript numbers
//! cannot hold every `u64`.
//!
//! To add a job: add a variant to [`Job`], one to [`Outcome`] and a match arm in [`run`].

use rand::RngExt;
use serde::{Deserialize, Serialize};

use crate::rng;

/// Stream tag of the ping job (distinct from the engine's tags in [`rng::tag`]).
pub const PING_TAG: u64 = 9;

/// A request sent to the worker.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Request {
    /// Chosen by the sender and echoed in the reply.
    pub id: u32,
    #[serde(flatten)]
    pub job: Job,
}

/// What the worker is asked to do.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Job {
    /// Draw the first `u64` of `rng::stream(seed, &[PING_TAG])`: proves the worker runs the
    /// engine and that wasm and native agree bit for bit.
    Ping { seed: u64 },
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

/// Runs one job.
pub fn run(job: &Job) -> Outcome {
    match *job {
        Job::Ping { seed } => Outcome::Pong {
            value: ping_value(seed).to_string(),
        },
    }
}

/// Answers one JSON request with one JSON reply; never panics on bad input.
pub fn handle(request: &str) -> String {
    let reply = match serde_json::from_str::<Request>(request) {
        Ok(req) => Reply {
            id: req.id,
            outcome: run(&req.job),
        },
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

    #[test]
    fn different_seeds_give_different_pings() {
        assert_ne!(ping_value(42), ping_value(43));
    }
}
