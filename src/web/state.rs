//! The shared parameter state of the page: one [`Params`] that the controls edit, the URL hash
//! mirrors, and every view (ring animation, timeline, plots) follows.
//!
//! Single-threaded (the page's main thread): an `Rc<Store>` is handed to each view at start-up;
//! a view calls [`Store::subscribe`] to be told of every accepted change. Only validated
//! parameters are stored, so nothing reaches the engine that it would reject.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsValue;

use crate::protocol::params::{ParamError, Params};
use crate::view::plot_data::{self, XAxis};
use crate::view::share;

type Listener = Box<dyn Fn(&Params)>;

/// The page's parameters and the views listening to them.
pub struct Store {
    params: RefCell<Params>,
    listeners: RefCell<Vec<Rc<Listener>>>,
}

impl Store {
    /// A store holding the parameters of the URL hash (defaults where absent). A malformed
    /// hash falls back to the defaults and returns the error so the page can show it.
    pub fn from_hash(hash: &str) -> (Rc<Store>, Option<ParamError>) {
        let (params, err) = match share::decode(hash) {
            Ok(p) => (p, None),
            Err(e) => (Params::default(), Some(e)),
        };
        (
            Rc::new(Store {
                params: RefCell::new(params),
                listeners: RefCell::new(Vec::new()),
            }),
            err,
        )
    }

    /// The current parameters (a copy: `Params` is `Copy`).
    pub fn get(&self) -> Params {
        *self.params.borrow()
    }

    /// Validates and stores `params`, updates the URL hash, and notifies every listener.
    /// Returns the validation error instead when they are refused.
    pub fn set(&self, params: Params) -> Result<(), ParamError> {
        params.validate()?;
        if *self.params.borrow() == params {
            return Ok(());
        }
        *self.params.borrow_mut() = params;
        write_hash(&params);
        // Clone the list first so a listener may subscribe or set without a borrow conflict.
        let listeners: Vec<Rc<Listener>> = self.listeners.borrow().clone();
        for l in listeners {
            l(&params);
        }
        Ok(())
    }

    /// Applies `edit` to a copy of the current parameters and stores the result.
    pub fn update(&self, edit: impl FnOnce(&mut Params)) -> Result<(), ParamError> {
        let mut p = self.get();
        edit(&mut p);
        self.set(p)
    }

    /// Calls `f` after every accepted change.
    pub fn subscribe(&self, f: impl Fn(&Params) + 'static) {
        self.listeners.borrow_mut().push(Rc::new(Box::new(f)));
    }
}

/// Mirrors the parameters into the URL hash without adding a history entry per slider step.
fn write_hash(params: &Params) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let hash = format!(
        "#{}",
        share::with_view_keys(&share::encode(params), &read_hash())
    );
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&hash));
    }
}

/// The current URL hash (empty when unavailable).
pub fn read_hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// The DOM event (on `window`) by which other views announce a change of the view keys in the
/// hash (e.g. a preset choosing the x axis).
pub const VIEW_EVENT: &str = "clinr-view";

/// The x axis chosen in the URL hash (`x=`), n by default.
pub fn current_axis() -> XAxis {
    plot_data::axis_from_hash(&read_hash()).unwrap_or_default()
}

/// Writes the view key `x=` into the URL hash (keeping the parameters).
pub fn write_axis(params: &Params, axis: XAxis) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let hash = format!(
        "#{}",
        share::with_view_keys(&share::encode(params), &format!("x={}", axis.name()))
    );
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&hash));
    }
}
