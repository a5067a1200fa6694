//! Applying a preset (issue 12 item 6), shared by the panels that offer one (the controls'
//! preset buttons, the claims panel's "show it" buttons): [`Preset::apply_with`] sets
//! everything the preset names (n, τ_e, p, t, r, 20 × 200 unless "keep my statistics" is
//! chosen, the paper-consistent reading with every other knob at its default, the x axis and
//! its range), as one history entry; listeners (the controls) then show the preset's
//! description.
//!
//! "Keep my statistics" is a visible choice, held here so every panel's presets honour it.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use crate::view::plot_data::{Preset, PresetApplied, PresetOptions, RANGE_KEYS};

use super::format::hash_number;
use super::state::{History, Store};

type Listener = Rc<dyn Fn(Preset, &PresetApplied)>;

/// The presets service of the page.
pub struct Presets {
    store: Rc<Store>,
    keep_statistics: Cell<bool>,
    listeners: RefCell<Vec<Listener>>,
}

impl Presets {
    pub fn new(store: Rc<Store>) -> Rc<Presets> {
        Rc::new(Presets {
            store,
            keep_statistics: Cell::new(false),
            listeners: RefCell::new(Vec::new()),
        })
    }

    /// Whether presets keep the current circuits × samples (off: the paper's 20 × 200).
    pub fn keep_statistics(&self) -> bool {
        self.keep_statistics.get()
    }

    pub fn set_keep_statistics(&self, keep: bool) {
        self.keep_statistics.set(keep);
    }

    /// Calls `f` after every applied preset.
    pub fn subscribe(&self, f: impl Fn(Preset, &PresetApplied) + 'static) {
        self.listeners.borrow_mut().push(Rc::new(f));
    }

    /// Applies `preset` to the page's state (parameters, x axis, range) as one history entry.
    pub fn apply(&self, preset: Preset) -> Result<PresetApplied, String> {
        let snap = self.store.snapshot();
        let applied = preset.apply_with(
            &snap.params,
            snap.axis(),
            PresetOptions {
                keep_statistics: self.keep_statistics.get(),
            },
        );
        let mut view: Vec<(&str, Option<String>)> = vec![("x", Some(applied.axis.name().into()))];
        match applied.range {
            Some(r) => {
                view.push(("from", Some(hash_number(r.from))));
                view.push(("to", Some(hash_number(r.to))));
                view.push(("pts", Some(r.points.to_string())));
                view.push(("scale", Some(r.scale.name().into())));
                view.push(("paper", r.paper.then(|| "1".to_string())));
            }
            // A preset that keeps the axis keeps its range; a new axis starts from its default.
            None if applied.axis != snap.axis() => {
                view.extend(RANGE_KEYS.iter().map(|k| (*k, None)));
            }
            None => {}
        }
        self.store.set_with(applied.params, &view, History::Push)?;
        let listeners: Vec<Listener> = self.listeners.borrow().clone();
        for l in listeners {
            l(preset, &applied);
        }
        Ok(applied)
    }
}
