//! Browser tests: `cargo test --target wasm32-unknown-unknown --test web` runs them in headless
//! Chromium (runner set in .cargo/config.toml). They check that the engine gives in wasm the
//! same numbers as natively, and that the ring view mounts on the shared store.
#![cfg(target_arch = "wasm32")]

use clinr_explorer::jobs::{self, Outcome, Reply};
use clinr_explorer::protocol::block::Instance;
use clinr_explorer::sim::sampler::sample_run;
use clinr_explorer::view::layout::{node_radius, ring_layout};
use clinr_explorer::web::ring_view;
use clinr_explorer::web::shell::Shell;
use clinr_explorer::web::state::Store;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const FIXTURE: &str = include_str!("fixtures/worker_ping.json");

fn fixture_value() -> String {
    let v: serde_json::Value = serde_json::from_str(FIXTURE).unwrap();
    assert_eq!(v["seed"].as_u64(), Some(42));
    v["value"].as_str().unwrap().to_string()
}

#[wasm_bindgen_test]
fn rng_stream_matches_the_native_fixture() {
    assert_eq!(jobs::ping_value(42).to_string(), fixture_value());
}

#[wasm_bindgen_test]
fn worker_job_handler_answers_a_ping_like_natively() {
    let reply = Reply::parse(&jobs::handle(r#"{"id":9,"kind":"ping","seed":42}"#)).unwrap();
    assert_eq!(reply.id, 9);
    assert_eq!(
        reply.outcome,
        Outcome::Pong {
            value: fixture_value()
        }
    );
}

#[wasm_bindgen_test]
fn ring_layout_geometry_is_the_same_in_wasm() {
    let p = ring_layout(4, 800.0, 600.0);
    let r = 0.34 * 600.0;
    let expected = [
        (400.0, 300.0 - r),
        (400.0 + r, 300.0),
        (400.0, 300.0 + r),
        (400.0 - r, 300.0),
    ];
    for (got, want) in p.iter().zip(expected) {
        assert!((got.0 - want.0).abs() < 1e-9 && (got.1 - want.1).abs() < 1e-9);
    }
    assert!((node_radius(4, 800.0, 600.0) - 0.12 * 600.0).abs() < 1e-9);
}

/// Resolves after two animation frames: the ring view coalesces re-sampling to one per frame
/// (issue 13 item 9), so a parameter change shows after the next frame.
async fn frames() {
    for _ in 0..2 {
        let p = js_sys::Promise::new(&mut |resolve, _| {
            web_sys::window()
                .unwrap()
                .request_animation_frame(&resolve)
                .unwrap();
        });
        wasm_bindgen_futures::JsFuture::from(p).await.unwrap();
    }
}

#[wasm_bindgen_test]
async fn ring_view_mounts_and_exposes_the_sampled_run() {
    let document = web_sys::window().unwrap().document().unwrap();
    let make = |tag: &str| document.create_element(tag).unwrap();
    let root = make("div");
    let panel = make("section");
    let ring = make("canvas")
        .dyn_into::<web_sys::HtmlCanvasElement>()
        .unwrap();
    ring.set_attribute("style", "display:block;width:300px;height:200px")
        .unwrap();
    panel.append_child(&ring).unwrap();
    root.append_child(&panel).unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    let shell = Shell {
        controls: make("aside"),
        ring: ring.clone(),
        plots: make("div"),
    };
    let (store, err) = Store::from_hash("#n=8&t=2&tau_e=5");
    assert!(err.is_none());
    ring_view::mount(&shell, store.clone()).unwrap();

    // The numbers on the canvas are those of the same run sampled here.
    let params = store.get();
    let inst = Instance::generate(&params, 0);
    let run = sample_run(&inst, &params, 0, 0).expect("small runs are accepted");
    let attr = |name: &str| ring.get_attribute(name).unwrap_or_default();
    assert_eq!(attr("data-qpus"), "3");
    assert_eq!(attr("data-shot"), "0");
    assert_eq!(attr("data-depth-direct"), run.direct.0.depth.to_string());
    assert_eq!(
        attr("data-depth-monolithic"),
        run.monolithic.0.depth.to_string()
    );
    assert_eq!(
        attr("data-depth-distributed"),
        run.distributed.0.depth.to_string()
    );
    // The panel gained the toolbar, the timeline lanes and the explanations.
    for id in [
        "ring-play",
        "ring-scrub",
        "ring-new-sample",
        "timeline",
        "ring-explain",
    ] {
        assert!(document.get_element_by_id(id).is_some(), "#{id}");
    }
    // A parameter change re-samples the run.
    store.update(|p| p.t = 3).unwrap();
    frames().await;
    assert_eq!(attr("data-qpus"), "4");
    // A hash read from the address bar (a shared link, Back, a hand edit) picks the shown run.
    store.apply_hash("#n=8&t=2&tau_e=5&shot=2&time=10").unwrap();
    frames().await;
    let params = store.get();
    let run = sample_run(&Instance::generate(&params, 0), &params, 0, 2).expect("accepted");
    assert_eq!(attr("data-qpus"), "3");
    assert_eq!(attr("data-shot"), "2");
    assert_eq!(
        attr("data-depth-distributed"),
        run.distributed.0.depth.to_string()
    );
    assert_eq!(store.snapshot().time(), Some(10.0));
    // A malformed hash changes nothing and says why.
    let err = store.apply_hash("#n=8&shot=minus-one").unwrap_err();
    assert!(err.contains("shot"), "{err}");
    assert_eq!(attr("data-shot"), "2");
    // Every state colour is on the canvas for tests, restart and stall apart.
    assert_ne!(attr("data-colour-restart"), attr("data-colour-stall"));
    assert_eq!(attr("data-colour-restart"), "#cc79a7");
    root.remove();
}

/// Made by the native CLI: `cargo run --release --bin clinr -- simulate --n 12 --circuits 3
/// --shots 50 --seed 5 --format json > tests/fixtures/simulate_n12_seed5.json`.
const SIMULATE_FIXTURE: &str = include_str!("fixtures/simulate_n12_seed5.json");

#[wasm_bindgen_test]
fn simulate_in_wasm_gives_the_native_cli_json_bit_for_bit() {
    use clinr_explorer::estimate;
    use clinr_explorer::protocol::params::Params;
    use clinr_explorer::sim::EngineKind;
    let params = Params {
        n: 12,
        circuits: 3,
        shots: 50,
        seed: 5,
        ..Default::default()
    };
    let report = estimate::simulate(&params, EngineKind::Fast, None, &mut |_| {}).unwrap();
    assert_eq!(jobs::report_json(&report).unwrap(), SIMULATE_FIXTURE);
    // The worker's job answers the same text.
    let request = jobs::Request {
        id: 2,
        job: jobs::Job::Simulate {
            params,
            engine: EngineKind::Fast,
        },
    };
    let reply = Reply::parse(&jobs::handle(&request.to_json())).unwrap();
    assert_eq!(
        reply.outcome,
        Outcome::Report {
            json: SIMULATE_FIXTURE.to_string()
        }
    );
}

/// `cargo run --release --bin clinr -- claims --format json --circuits 2 --shots 4 --seed 2
/// --k1 off --k2 uniform --k3 h_then_mz > tests/fixtures/claims_small.json`.
const CLAIMS_FIXTURE: &str = include_str!("fixtures/claims_small.json");

#[wasm_bindgen_test]
fn claim_map_job_in_wasm_gives_the_native_cli_row_bit_for_bit() {
    use clinr_explorer::claims::map::Figure;
    use clinr_explorer::protocol::params::Params;
    use clinr_explorer::protocol::reading::ReadingKind;
    let map: serde_json::Value = serde_json::from_str(CLAIMS_FIXTURE).unwrap();
    let knobs = ReadingKind::PaperConsistent.knobs().unwrap();
    let row = map["readings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["knobs"] == serde_json::to_value(knobs).unwrap())
        .expect("the paper-consistent reading is in the fixture");
    let request = jobs::Request {
        id: 3,
        job: jobs::Job::ClaimMap {
            params: Params {
                circuits: 2,
                shots: 4,
                seed: 2,
                knobs,
                ..Default::default()
            },
            figures: Figure::PAPER.to_vec(),
        },
    };
    let mut progress = 0;
    let reply = Reply::parse(&jobs::handle_with(&request.to_json(), &mut |_| {
        progress += 1
    }))
    .unwrap();
    assert_eq!(
        reply.outcome,
        Outcome::ClaimRow {
            json: row.to_string()
        }
    );
    assert_eq!(
        progress, 12,
        "5 n points × 2 circuits + 2 circuits of the τ_e sweep"
    );
}
