//! The control panel (`<aside id="controls">`): sliders and number inputs for the protocol
//! parameters, issue 14's what-ifs (k parallel links, m instances with the qubit count they
//! imply, two-sided RSP), every model knob of protocol.md §17 with its default and a one-line
//! explanation, and the presets: each sets everything it names and then shows its
//! description (`#preset-description`); "keep my statistics" (`#keep-statistics`) is a visible
//! choice (`web::presets`).
//!
//! Every edit goes through the shared [`Store`] (validation, URL hash, listeners). A value
//! outside the page's range or refused by `Params::validate` is not applied: a message appears
//! next to its control. Knobs that differ from their defaults are flagged (`data-non-default`
//! on the row, a "changed" mark). Controls are generic over the serde names of `Params`, so
//! the identifiers are those of the CLI and the JSON output.

use std::rc::Rc;

use serde_json::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlInputElement, HtmlSelectElement};

use crate::protocol::params::{Knobs, Params};
use crate::view::panels::qubit_line;
use crate::view::plot_data::{ui_range, Preset};

use super::dom::{el, on};
use super::format::value_text as shown;
use super::presets::Presets;
use super::shell::Shell;
use super::state::{History, Store};

/// How a control edits its value.
#[derive(Clone, Copy)]
enum Input {
    /// Slider + number input; `log` sliders move on a log scale.
    Number {
        min: f64,
        max: f64,
        log: bool,
        integer: bool,
    },
    /// Number input only.
    Plain {
        min: f64,
        max: f64,
        integer: bool,
    },
    Check,
    Choice(&'static [&'static str]),
}

struct Spec {
    key: &'static str,
    /// Inside `knobs`.
    knob: bool,
    label: &'static str,
    help: &'static str,
    input: Input,
}

const fn num(min: f64, max: f64, log: bool, integer: bool) -> Input {
    Input::Number {
        min,
        max,
        log,
        integer,
    }
}

/// The main parameters (always visible), then K1.
const MAIN: &[Spec] = &[
    Spec { key: "n", knob: false, label: "n", help: "Qubits of the random Clifford circuit (s = n² gates).", input: num(ui_range::N.0 as f64, ui_range::N.1 as f64, false, true) },
    Spec { key: "tau_e", knob: false, label: "τ_e", help: "Layers a link needs to make one Bell pair.", input: num(ui_range::TAU_E.0, ui_range::TAU_E.1, true, false) },
    Spec { key: "p", knob: false, label: "p", help: "Physical noise: p/10 one-qubit, p two-qubit, 3p remote, p/100 idle.", input: num(ui_range::P.0, ui_range::P.1, true, false) },
    Spec { key: "t", knob: false, label: "t", help: "Blocks; distributed CliNR uses t + 1 QPUs.", input: num(ui_range::T.0 as f64, ui_range::T.1 as f64, false, true) },
    Spec { key: "r", knob: false, label: "r", help: "Verification checks per resource state.", input: num(ui_range::R.0 as f64, ui_range::R.1 as f64, false, true) },
    Spec { key: "circuits", knob: false, label: "circuits", help: "Random circuits per point; error bars are the std over circuits.", input: num(ui_range::CIRCUITS.0 as f64, ui_range::CIRCUITS.1 as f64, false, true) },
    Spec { key: "shots", knob: false, label: "shots", help: "Protocol samples per circuit.", input: num(ui_range::SHOTS.0 as f64, ui_range::SHOTS.1 as f64, true, true) },
    Spec { key: "seed", knob: false, label: "seed", help: "Seed of every random draw (same seed, same numbers).", input: Input::Plain { min: ui_range::SEED.0 as f64, max: ui_range::SEED.1 as f64, integer: true } },
    Spec { key: "idle_on_resource_during_rspv", knob: true, label: "K1 idle noise on resources in RSP&V", help: "Resource qubits a, b idle (p/100 per layer) inside RSP&V attempts: on = literal reading; off (default) = paper-consistent reading.", input: Input::Check },
];

/// Beyond the paper (issue 14, protocol.md §13, §15.4–§15.5): always visible.
const BEYOND: &[Spec] = &[
    Spec {
        key: "parallel_links",
        knob: true,
        label: "k links",
        help: "Bell-pair generators per link working in lockstep: k pairs arrive every τ_e, so a link acts as if τ_e were τ_e/k (paper §V, Prop. 2).",
        input: num(ui_range::PARALLEL_LINKS.0 as f64, ui_range::PARALLEL_LINKS.1 as f64, false, true),
    },
    Spec {
        key: "instances",
        knob: true,
        label: "m instances",
        help: "RSP&V instances each QPU (and the monolithic QPU) runs side by side; the first accepted one is injected, ties to the lowest index (paper §VI, protocol.md §15.4). Costs qubits, see below.",
        input: num(ui_range::INSTANCES.0 as f64, ui_range::INSTANCES.1 as f64, false, true),
    },
    Spec {
        key: "two_sided_rsp",
        knob: true,
        label: "two-sided RSP",
        help: "C_k split at its middle layer: A^T on the a side and B on the b side in parallel, so RSP takes ⌈Δ_k/2⌉ + 3 layers instead of Δ_k + 3 (paper §VI, protocol.md §15.5).",
        input: Input::Check,
    },
];

/// The other knobs of protocol.md §17.
const KNOBS: &[Spec] = &[
    Spec {
        key: "check_kind",
        knob: true,
        label: "K2 check_kind",
        help: "Verification Paulis: uniform non-identity, or one random single-qubit Pauli.",
        input: Input::Choice(&["uniform", "single_qubit"]),
    },
    Spec {
        key: "check_measurement",
        knob: true,
        label: "K3 check_measurement",
        help: "Check ancilla read-out: H then M_Z (w + 4 layers) or M_X (w + 3).",
        input: Input::Choice(&["h_then_mz", "mx"]),
    },
    Spec {
        key: "circuit_generator",
        knob: true,
        label: "K4 circuit_generator",
        help: "Random circuits: a uniform Clifford synthesized as Stim's elimination, Qiskit's greedy or Qiskit's AG, gate for gate; or random gates.",
        input: Input::Choice(&["stim_elimination", "qiskit_greedy", "qiskit_ag", "random_gates"]),
    },
    Spec {
        key: "size_count",
        knob: true,
        label: "K5 size_count",
        help: "What the size s counts: all gates or two-qubit gates.",
        input: Input::Choice(&["all_gates", "two_qubit_gates"]),
    },
    Spec {
        key: "padding_gates",
        knob: true,
        label: "K6 padding_gates",
        help: "Gates padding the circuit up to size s.",
        input: Input::Choice(&["h_s_cx", "random_two_qubit_clifford"]),
    },
    Spec {
        key: "split_rule",
        knob: true,
        label: "K7 split_rule",
        help: "Blocks of equal depth or of equal gate count.",
        input: Input::Choice(&["equal_depth", "equal_gates"]),
    },
    Spec {
        key: "input_timing",
        knob: true,
        label: "K8 input_timing",
        help: "Input present from time 0, or prepared just in time for RSI 1.",
        input: Input::Choice(&["from_start", "just_in_time"]),
    },
    Spec {
        key: "correction_noise",
        knob: true,
        label: "K9 correction_noise",
        help: "Pauli corrections applied with one-qubit noise, or kept in a noiseless frame.",
        input: Input::Choice(&["applied_paulis", "noiseless_frame"]),
    },
    Spec {
        key: "teleport_model",
        knob: true,
        label: "K10 teleport_model",
        help: "Final transfer Q_t → Q_0: one-bit teleportation with a remote CX.",
        input: Input::Choice(&["remote_cx"]),
    },
    Spec {
        key: "bell_start",
        knob: true,
        label: "K11 bell_start",
        help: "Time (layers) at which every link starts making Bell pairs.",
        input: Input::Plain {
            min: ui_range::BELL_START.0,
            max: ui_range::BELL_START.1,
            integer: false,
        },
    },
    Spec {
        key: "storage_idle_rate",
        knob: true,
        label: "K11 storage_idle_rate",
        help: "Idle noise on stored Bell-pair halves; only 0 is modelled.",
        input: Input::Plain {
            min: ui_range::STORAGE_IDLE_RATE.0,
            max: ui_range::STORAGE_IDLE_RATE.1,
            integer: false,
        },
    },
    Spec {
        key: "pair_assignment",
        knob: true,
        label: "K12 pair_assignment",
        help: "Qubit i consumes pair i of its link.",
        input: Input::Choice(&["index_order"]),
    },
    Spec {
        key: "check_redraw",
        knob: true,
        label: "K13 check_redraw",
        help: "Checks drawn once per circuit, or afresh for every attempt.",
        input: Input::Choice(&["per_circuit", "per_attempt"]),
    },
    Spec {
        key: "noise_model",
        knob: true,
        label: "K16 noise_model",
        help: "Paper §IV rates, or uniform p without idle noise (Props. 1–2).",
        input: Input::Choice(&["paper", "uniform"]),
    },
    Spec {
        key: "restart_rule",
        knob: true,
        label: "restart_rule",
        help: "Restart at the first failing check, or only at the end of RSV (paper §V).",
        input: Input::Choice(&["first_failure", "end_of_rsv"]),
    },
];

/// Slider positions of a log slider.
const LOG_STEPS: f64 = 1000.0;

struct Row {
    spec: &'static Spec,
    row: Element,
    slider: Option<HtmlInputElement>,
    field: Element,
    error: Element,
}

/// The JSON value of `key` in `params` (top level or in `knobs`). Knobs the JSON leaves out at
/// their defaults (m, two-sided RSP) are read from the fields.
fn get(params: &Params, spec: &Spec) -> Value {
    match spec.key {
        "instances" => return Value::from(params.knobs.instances),
        "two_sided_rsp" => return Value::from(params.knobs.two_sided_rsp),
        _ => {}
    }
    let v = serde_json::to_value(params).unwrap_or_default();
    if spec.knob {
        v["knobs"][spec.key].clone()
    } else {
        v[spec.key].clone()
    }
}

fn default_of(spec: &Spec) -> Value {
    get(&Params::default(), spec)
}

/// `params` with `key` set to `value`, or why not.
fn with(params: &Params, spec: &Spec, value: Value) -> Result<Params, String> {
    let mut v = serde_json::to_value(params).map_err(|e| e.to_string())?;
    let target = if spec.knob { &mut v["knobs"] } else { &mut v };
    if let Some(obj) = target.as_object_mut() {
        obj.insert(spec.key.to_string(), value);
    }
    serde_json::from_value(v).map_err(|e| format!("bad value: {e}"))
}

fn slider_pos(x: f64, min: f64, max: f64, log: bool) -> f64 {
    if log {
        LOG_STEPS * (x.max(min).ln() - min.ln()) / (max.ln() - min.ln())
    } else {
        x
    }
}

fn slider_value(pos: f64, min: f64, max: f64, log: bool, integer: bool) -> f64 {
    let x = if log {
        // 3 significant digits, as the nearest f64 of that decimal, so the box and the hash
        // show `1.14`, not `1.1399999999999999` (numbers.rs).
        crate::numbers::snap_significant(
            (min.ln() + pos / LOG_STEPS * (max.ln() - min.ln())).exp(),
            3,
        )
    } else {
        pos
    };
    if integer {
        x.round()
    } else {
        x
    }
}

/// Parses the text of a number field and checks the page's range.
fn parse_number(text: &str, min: f64, max: f64, integer: bool) -> Result<Value, String> {
    let x: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("'{}' is not a number", text.trim()))?;
    if !x.is_finite() || x < min || x > max {
        return Err(format!(
            "must be in [{}, {}]",
            shown(&num_value(min, integer)),
            shown(&num_value(max, integer))
        ));
    }
    if integer && x.fract() != 0.0 {
        return Err("must be an integer".into());
    }
    Ok(num_value(x, integer))
}

fn num_value(x: f64, integer: bool) -> Value {
    if integer {
        Value::from(x as u64)
    } else {
        Value::from(x)
    }
}

/// Builds the panel into `shell.controls` and keeps it in step with `store`; presets go
/// through `presets`.
pub fn mount(shell: &Shell, store: Rc<Store>, presets_service: Rc<Presets>) -> Result<(), JsValue> {
    let doc = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let aside = &shell.controls;
    while let Some(placeholder) = aside.query_selector(".placeholder")? {
        placeholder.remove();
    }

    let presets = el(&doc, "div", &[("class", "presets")], None)?;
    presets.append_child(&*el(&doc, "h3", &[], Some("Presets"))?)?;
    let buttons = el(&doc, "div", &[("class", "preset-buttons")], None)?;
    for preset in Preset::ALL {
        let b = el(
            &doc,
            "button",
            &[
                ("type", "button"),
                ("id", &format!("preset-{}", preset.id())),
                ("title", &preset.description()),
            ],
            Some(preset.label()),
        )?;
        let service = presets_service.clone();
        on(&b, "click", move || {
            if let Err(e) = service.apply(preset) {
                web_sys::console::warn_1(&format!("preset refused: {e}").into());
            }
        })?;
        buttons.append_child(&b)?;
    }
    presets.append_child(&buttons)?;
    let keep_label = el(&doc, "label", &[("class", "keep-statistics")], None)?;
    let keep = el(
        &doc,
        "input",
        &[("type", "checkbox"), ("id", "keep-statistics")],
        None,
    )?;
    keep_label.append_child(&keep)?;
    keep_label.append_with_str_1(
        " Keep my statistics (circuits × samples); otherwise presets use the paper's 20 × 200",
    )?;
    presets.append_child(&keep_label)?;
    {
        let service = presets_service.clone();
        let keep = keep.clone();
        on(&keep.clone(), "change", move || {
            service.set_keep_statistics(keep.unchecked_ref::<HtmlInputElement>().checked());
        })?;
    }
    let description = el(
        &doc,
        "p",
        &[
            ("id", "preset-description"),
            ("class", "preset-description"),
            ("role", "status"),
        ],
        None,
    )?;
    description.set_attribute("hidden", "")?;
    presets.append_child(&description)?;
    {
        let description = description.clone();
        presets_service.subscribe(move |preset, applied| {
            description.set_text_content(Some(&applied.description));
            let _ = description.remove_attribute("hidden");
            let _ = description.set_attribute("data-preset", preset.id());
        });
    }
    aside.append_child(&presets)?;

    let mut rows = Vec::new();
    let main = el(&doc, "div", &[("class", "params")], None)?;
    for spec in MAIN {
        rows.push(build_row(&doc, &main, spec, &store)?);
    }
    aside.append_child(&main)?;
    let beyond = el(&doc, "div", &[("class", "params beyond")], None)?;
    beyond.append_child(&*el(
        &doc,
        "h3",
        &[],
        Some("Beyond the paper: links, instances, two-sided RSP"),
    )?)?;
    for spec in BEYOND {
        rows.push(build_row(&doc, &beyond, spec, &store)?);
    }
    let qubits = el(
        &doc,
        "p",
        &[("id", "qubit-count"), ("class", "derived")],
        None,
    )?;
    // Right under the m control.
    let m_row = rows
        .iter()
        .find(|r| r.spec.key == "instances")
        .map(|r| r.row.clone());
    match m_row {
        Some(row) => {
            row.append_child(&qubits)?;
        }
        None => {
            beyond.append_child(&qubits)?;
        }
    }
    aside.append_child(&beyond)?;
    let details = el(&doc, "details", &[("class", "knobs")], None)?;
    let summary = el(
        &doc,
        "summary",
        &[("id", "knobs-summary")],
        Some("Model knobs (protocol.md §17)"),
    )?;
    details.append_child(&summary)?;
    for spec in KNOBS {
        rows.push(build_row(&doc, &details, spec, &store)?);
    }
    aside.append_child(&details)?;

    let rows = Rc::new(rows);
    refresh(&rows, &summary, &store.get());
    show_qubits(&qubits, &store.get());
    {
        let rows = rows.clone();
        store.subscribe(move |s, change| {
            if change.params {
                refresh(&rows, &summary, &s.params);
                show_qubits(&qubits, &s.params);
            }
        });
    }
    // Edits: a slider moves the value at once, a number field when it is committed.
    for (i, r) in rows.iter().enumerate() {
        let spec = r.spec;
        let commit = {
            let store = store.clone();
            let rows = rows.clone();
            move |value: Result<Value, String>, how: History| {
                let row = &rows[i];
                let result = value
                    .and_then(|v| with(&store.get(), spec, v))
                    .and_then(|p| store.set_with(p, &[], how));
                match result {
                    Ok(()) => clear_refusal(row),
                    Err(e) => {
                        row.error.set_text_content(Some(&format!("Refused: {e}")));
                        let _ = row.error.remove_attribute("hidden");
                        let _ = row.row.set_attribute("data-invalid", "true");
                        let _ = row.field.set_attribute("aria-invalid", "true");
                    }
                }
            }
        };
        let commit = Rc::new(commit);
        if let (
            Some(slider),
            Input::Number {
                min,
                max,
                log,
                integer,
            },
        ) = (&r.slider, spec.input)
        {
            // Dragging: one history entry for the whole gesture, closed on release.
            let commit = commit.clone();
            let s = slider.clone();
            let c = Closure::<dyn FnMut()>::new(move || {
                let pos: f64 = s.value().parse().unwrap_or(0.0);
                commit(
                    Ok(num_value(
                        slider_value(pos, min, max, log, integer),
                        integer,
                    )),
                    History::Drag,
                );
            });
            slider.add_event_listener_with_callback("input", c.as_ref().unchecked_ref())?;
            c.forget();
            let store = store.clone();
            on(slider, "change", move || store.end_drag())?;
        }
        let field = r.field.clone();
        let c = Closure::<dyn FnMut()>::new(move || {
            let value = match spec.input {
                Input::Number {
                    min, max, integer, ..
                }
                | Input::Plain { min, max, integer } => {
                    let text = field.unchecked_ref::<HtmlInputElement>().value();
                    parse_number(&text, min, max, integer)
                }
                Input::Check => Ok(Value::Bool(
                    field.unchecked_ref::<HtmlInputElement>().checked(),
                )),
                Input::Choice(_) => Ok(Value::String(
                    field.unchecked_ref::<HtmlSelectElement>().value(),
                )),
            };
            commit(value, History::Push);
        });
        r.field
            .add_event_listener_with_callback("change", c.as_ref().unchecked_ref())?;
        c.forget();
    }
    Ok(())
}

/// Shows why a link's state was refused (`Some`), or removes that message (`None`). At
/// start-up the page then shows the defaults; later (a hand-edited hash) it keeps what it
/// showed.
pub fn show_link_error(shell: &Shell, error: Option<&str>, at_start: bool) -> Result<(), JsValue> {
    let doc = super::dom::document()?;
    let existing = doc.get_element_by_id("link-error");
    let Some(error) = error else {
        if let Some(p) = existing {
            p.remove();
        }
        return Ok(());
    };
    let text = if at_start {
        format!("The link's settings were refused ({error}); showing the defaults.")
    } else {
        format!(
            "The address was not applied ({error}); the page still shows the previous settings."
        )
    };
    let p = match existing {
        Some(p) => p,
        None => {
            let p = el(
                &doc,
                "p",
                &[("id", "link-error"), ("class", "error"), ("role", "alert")],
                None,
            )?;
            shell.controls.insert_before(
                &p,
                shell
                    .controls
                    .first_child()
                    .and_then(|c| c.next_sibling())
                    .as_ref(),
            )?;
            p
        }
    };
    p.set_text_content(Some(&text));
    Ok(())
}

fn build_row(
    doc: &Document,
    parent: &Element,
    spec: &'static Spec,
    store: &Rc<Store>,
) -> Result<Row, JsValue> {
    let _ = store;
    let id = format!("ctl-{}", spec.key);
    let row = el(
        doc,
        "div",
        &[("class", "control"), ("data-key", spec.key)],
        None,
    )?;
    let head = el(doc, "div", &[("class", "control-head")], None)?;
    let label = el(doc, "label", &[("for", &id)], Some(spec.label))?;
    head.append_child(&label)?;
    let mut slider = None;
    let field = match spec.input {
        Input::Number {
            min,
            max,
            log,
            integer,
        } => {
            let (smin, smax, step) = if log {
                (0.0, LOG_STEPS, "1".to_string())
            } else {
                (min, max, if integer { "1".into() } else { "any".into() })
            };
            let s = el(
                doc,
                "input",
                &[
                    ("type", "range"),
                    ("id", &format!("{id}-range")),
                    ("min", &smin.to_string()),
                    ("max", &smax.to_string()),
                    ("step", &step),
                    ("aria-label", spec.label),
                ],
                None,
            )?
            .dyn_into::<HtmlInputElement>()?;
            slider = Some(s);
            el(
                doc,
                "input",
                &[("type", "number"), ("id", &id), ("step", "any")],
                None,
            )?
        }
        Input::Plain { .. } => el(
            doc,
            "input",
            &[("type", "number"), ("id", &id), ("step", "any")],
            None,
        )?,
        Input::Check => el(doc, "input", &[("type", "checkbox"), ("id", &id)], None)?,
        Input::Choice(options) => {
            let s = el(doc, "select", &[("id", &id)], None)?;
            for o in options {
                s.append_child(&*el(doc, "option", &[("value", o)], Some(o))?)?;
            }
            s
        }
    };
    head.append_child(&field)?;
    head.append_child(&*el(doc, "span", &[("class", "flag")], Some("changed"))?)?;
    row.append_child(&head)?;
    if let Some(s) = &slider {
        row.append_child(s)?;
    }
    let help = format!("{} Default: {}.", spec.help, shown(&default_of(spec)));
    row.append_child(&*el(doc, "p", &[("class", "help")], Some(&help))?)?;
    let error = el(doc, "p", &[("class", "error"), ("role", "alert")], None)?;
    error.set_attribute("hidden", "")?;
    row.append_child(&error)?;
    parent.append_child(&row)?;
    Ok(Row {
        spec,
        row,
        slider,
        field,
        error,
    })
}

/// The qubits that m instances imply, under the m control.
fn show_qubits(p: &Element, params: &Params) {
    p.set_text_content(Some(&qubit_line(
        params.n,
        params.t,
        params.knobs.instances,
    )));
}

/// Shows `params` in every control and flags the knobs that differ from their defaults.
/// Removes a row's "Refused: …" message and its invalid marks.
fn clear_refusal(row: &Row) {
    if row.row.has_attribute("data-invalid") {
        row.error.set_text_content(None);
        let _ = row.error.set_attribute("hidden", "");
        let _ = row.row.remove_attribute("data-invalid");
        let _ = row.field.remove_attribute("aria-invalid");
    }
}

/// Shows `params` in every control. A refusal shown under a box is cleared: the box now shows
/// the accepted value (a change from the address bar, Back, a preset or another control), so
/// the message would describe a value no longer there.
fn refresh(rows: &[Row], summary: &Element, params: &Params) {
    // Only what differs is written: a change while a slider is dragged comes every frame, and
    // setting every control's value each time cost a long task under CPU throttling (issue 13
    // item 9).
    let set_text = |input: &HtmlInputElement, text: &str| {
        if input.value() != text {
            input.set_value(text);
        }
    };
    for r in rows {
        clear_refusal(r);
        let v = get(params, r.spec);
        match r.spec.input {
            Input::Number { min, max, log, .. } => {
                let x = v.as_f64().unwrap_or(min);
                if let Some(s) = &r.slider {
                    set_text(s, &slider_pos(x, min, max, log).to_string());
                }
                set_text(r.field.unchecked_ref::<HtmlInputElement>(), &shown(&v));
            }
            Input::Plain { .. } => {
                set_text(r.field.unchecked_ref::<HtmlInputElement>(), &shown(&v));
            }
            Input::Check => {
                let input = r.field.unchecked_ref::<HtmlInputElement>();
                let on = v.as_bool().unwrap_or(false);
                if input.checked() != on {
                    input.set_checked(on);
                }
            }
            Input::Choice(_) => {
                let select = r.field.unchecked_ref::<HtmlSelectElement>();
                let text = shown(&v);
                if select.value() != text {
                    select.set_value(&text);
                }
            }
        }
        let non_default = r.spec.knob && v != default_of(r.spec);
        if non_default != r.row.has_attribute("data-non-default") {
            if non_default {
                let _ = r.row.set_attribute("data-non-default", "true");
            } else {
                let _ = r.row.remove_attribute("data-non-default");
            }
        }
    }
    let changed = Knobs::non_default(&params.knobs).len();
    let text = if changed == 0 {
        "Model knobs (protocol.md §17): all default".to_string()
    } else {
        format!("Model knobs (protocol.md §17): {changed} changed")
    };
    if summary.text_content().as_deref() != Some(text.as_str()) {
        summary.set_text_content(Some(&text));
    }
}
