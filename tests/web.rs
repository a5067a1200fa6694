//! Browser tests: `cargo test --target wasm32-unknown-unknown --test web` runs them in headless
//! Chromium (runner set in .cargo/config.toml). They check that the engine gives in wasm the
//! same numbers as natively, and that the ring view paints.
#![cfg(target_arch = "wasm32")]

use clinr_explorer::jobs::{self, Outcome, Reply};
use clinr_explorer::view::layout::{node_radius, ring_layout};
use clinr_explorer::web::app::RingView;
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

#[wasm_bindgen_test]
fn ring_view_paints_qpus_on_a_hidpi_sized_canvas() {
    let window = web_sys::window().unwrap();
    let document = window.document().unwrap();
    let canvas = document
        .create_element("canvas")
        .unwrap()
        .dyn_into::<web_sys::HtmlCanvasElement>()
        .unwrap();
    canvas
        .set_attribute("style", "display:block;width:300px;height:200px")
        .unwrap();
    document.body().unwrap().append_child(&canvas).unwrap();

    RingView::new(canvas.clone(), 4)
        .unwrap()
        .draw(&window)
        .unwrap();
    let dpr = window.device_pixel_ratio();
    assert_eq!(canvas.width(), (300.0 * dpr).round() as u32);
    assert_eq!(canvas.height(), (200.0 * dpr).round() as u32);
    assert_eq!(canvas.get_attribute("data-qpus").as_deref(), Some("4"));

    let ctx = canvas
        .get_context("2d")
        .unwrap()
        .unwrap()
        .dyn_into::<web_sys::CanvasRenderingContext2d>()
        .unwrap();
    let pixel = |x: f64, y: f64| -> Vec<u8> {
        ctx.get_image_data((x * dpr).floor(), (y * dpr).floor(), 1.0, 1.0)
            .unwrap()
            .data()
            .to_vec()
    };
    // Centre of the area: background. Just below Q0's centre (clear of its label): QPU fill.
    let background = pixel(150.0, 100.0);
    assert_eq!(background, vec![255, 255, 255, 255]);
    let (qx, qy) = ring_layout(4, 300.0, 200.0)[0];
    let r = node_radius(4, 300.0, 200.0);
    let qpu = pixel(qx, qy + 0.75 * r);
    assert_eq!(
        qpu,
        vec![0x2f, 0x6f, 0xde, 255],
        "QPU 0 is drawn at its layout position"
    );
    canvas.remove();
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
