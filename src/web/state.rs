//! The page's state, and the URL hash that holds it both ways.
//!
//! One [`Store`] holds the [`Params`] that the controls edit and the view keys of the hash
//! (`x` = the plots' x axis, `shot` = the run the ring shows, `time` = its playhead, and any
//! key another view adds to `view::share`). Every view follows it through
//! [`Store::subscribe`]. Only validated parameters are stored, so nothing reaches the engine
//! that it would reject.
//!
//! **The URL is the state.** Every accepted change is written to the hash; a change of the
//! hash (typed by hand, Back, Forward, a pasted link) is read back with [`Store::apply_hash`]
//! and reaches every view. History policy (one Back step per thing the user did):
//! - [`History::Push`]: one new entry — a committed value (a number typed and entered, a
//!   select or checkbox, a preset, "New sample", the x axis);
//! - [`History::Drag`]: a slider being dragged — the first change of the gesture pushes one
//!   entry, the rest replace it, and [`Store::end_drag`] (the slider's `change` event, when the
//!   pointer is released) closes the gesture;
//! - [`History::Replace`]: no entry of its own — the playhead (written when playback pauses or
//!   the user seeks, at most four times a second while seeking and about once a second while
//!   playing, the last position always) and the canonical form of a hash read from the address
//!   bar.
//!
//! While a slider is dragged, the replacing writes are coalesced to one per
//! [`DRAG_HASH_MS`] (the address bar's last value is always written, at the latest when the
//! drag ends): `history.replaceState` costs ≈ 3 ms, and one per input event or per frame made
//! long main-thread tasks under CPU throttling (issue 13 item 9).
//!
//! Single-threaded (the page's main thread): an `Rc<Store>` is handed to each view at start-up.
//! Listeners may call back into the store (the list is copied before they run).

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use wasm_bindgen::JsValue;

use crate::protocol::params::Params;
use crate::view::plot_data::XAxis;
use crate::view::share;

/// What the hash holds: the parameters and the view pairs (in the order they were first set).
#[derive(Clone, Debug, PartialEq)]
pub struct Snapshot {
    pub params: Params,
    pub view: Vec<(String, String)>,
}

impl Snapshot {
    /// The value of view key `key`, if set.
    pub fn view(&self, key: &str) -> Option<&str> {
        self.view
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The plots' x axis (`x=`; n when absent).
    pub fn axis(&self) -> XAxis {
        self.view("x").and_then(XAxis::parse).unwrap_or_default()
    }

    /// The shot the ring shows (`shot=`; 0 when absent).
    pub fn shot(&self) -> u32 {
        self.view("shot")
            .and_then(|v| share::parse_shot(v).ok())
            .unwrap_or(0)
    }

    /// The ring's playhead τ in layers (`time=`), if set.
    pub fn time(&self) -> Option<f64> {
        self.view("time").and_then(|v| share::parse_time(v).ok())
    }

    /// The hash (without `#`).
    pub fn hash(&self) -> String {
        share::compose(&self.params, &self.view)
    }

    /// Whether the view pairs hold the same keys with the same values (order aside).
    fn same_view(&self, other: &[(String, String)]) -> bool {
        self.view.len() == other.len()
            && other.iter().all(|(k, v)| self.view(k) == Some(v.as_str()))
    }

    /// Keys whose value differs between the two views (set, changed or removed).
    fn changed_keys(&self, other: &[(String, String)]) -> Vec<String> {
        let mut keys: Vec<String> = Vec::new();
        for (k, v) in &self.view {
            if other.iter().find(|(k2, _)| k2 == k).map(|(_, v2)| v2) != Some(v) {
                keys.push(k.clone());
            }
        }
        for (k, _) in other {
            if self.view(k).is_none() {
                keys.push(k.clone());
            }
        }
        keys
    }
}

/// How a change enters the browser's history (see the module documentation).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum History {
    Push,
    Drag,
    Replace,
}

/// What changed, told to every listener.
#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    /// The parameters changed.
    pub params: bool,
    /// View keys that were set, changed or removed.
    pub keys: Vec<String>,
    /// The change came from the URL (start-up, a hand edit, Back/Forward), not from a panel.
    pub from_url: bool,
}

impl Change {
    /// Whether view key `key` changed.
    pub fn key(&self, key: &str) -> bool {
        self.keys.iter().any(|k| k == key)
    }

    /// Whether a view key of the plots changed (every view key but the ring's playback keys).
    pub fn plot_keys(&self) -> bool {
        self.keys
            .iter()
            .any(|k| !share::PLAYBACK_KEYS.contains(&k.as_str()))
    }
}

type Listener = Rc<dyn Fn(&Snapshot, &Change)>;

/// While a slider is dragged, the address bar is rewritten at most once per this many ms.
pub const DRAG_HASH_MS: i32 = 250;

/// The page's state and the views listening to it.
pub struct Store {
    state: RefCell<Snapshot>,
    listeners: RefCell<Vec<Listener>>,
    /// A slider drag has pushed its history entry and replaces it until [`Store::end_drag`].
    dragging: Cell<bool>,
    /// A replacing write of the hash waits for a timer (during a drag).
    hash_pending: Cell<bool>,
    /// The store itself, for the deferred write's callback.
    me: Weak<Store>,
    /// Called when a drag ends ([`Store::on_drag_end`]).
    drag_end: RefCell<Vec<Rc<dyn Fn()>>>,
}

impl Store {
    /// A store holding the state of the URL hash. A malformed hash falls back to the defaults
    /// (parameters, or the view keys alone when only they are wrong) and returns why, so the
    /// page can show it.
    pub fn from_hash(hash: &str) -> (Rc<Store>, Option<String>) {
        let (state, err) = match read(hash) {
            Ok(s) => (s, None),
            Err(e) => {
                let view = share::view_pairs(hash);
                let view = if share::check_view(&view).is_ok() {
                    view
                } else {
                    Vec::new()
                };
                let params = share::decode(hash).unwrap_or_default();
                (Snapshot { params, view }, Some(e))
            }
        };
        (
            Rc::new_cyclic(|me| Store {
                state: RefCell::new(state),
                listeners: RefCell::new(Vec::new()),
                dragging: Cell::new(false),
                hash_pending: Cell::new(false),
                me: me.clone(),
                drag_end: RefCell::new(Vec::new()),
            }),
            err,
        )
    }

    /// The current parameters (a copy: `Params` is `Copy`).
    pub fn get(&self) -> Params {
        self.state.borrow().params
    }

    /// The current parameters and view keys.
    pub fn snapshot(&self) -> Snapshot {
        self.state.borrow().clone()
    }

    /// Validates and stores `params` as one committed change ([`History::Push`]).
    pub fn set(&self, params: Params) -> Result<(), String> {
        self.set_with(params, &[], History::Push)
    }

    /// Applies `edit` to a copy of the current parameters and stores the result.
    pub fn update(&self, edit: impl FnOnce(&mut Params)) -> Result<(), String> {
        let mut p = self.get();
        edit(&mut p);
        self.set(p)
    }

    /// Stores `params` and sets (`Some`) or removes (`None`) view keys, as one change entering
    /// the history as `how` says; tells every listener. Refused parameters change nothing.
    pub fn set_with(
        &self,
        params: Params,
        view: &[(&str, Option<String>)],
        how: History,
    ) -> Result<(), String> {
        params.validate().map_err(|e| e.to_string())?;
        let old = self.snapshot();
        let mut new = Snapshot {
            params,
            view: old.view.clone(),
        };
        for (key, value) in view {
            match value {
                Some(v) => match new.view.iter_mut().find(|(k, _)| k == key) {
                    Some(slot) => slot.1.clone_from(v),
                    None => new.view.push((key.to_string(), v.clone())),
                },
                None => new.view.retain(|(k, _)| k != key),
            }
        }
        share::check_view(&new.view)?;
        self.install(old, new, how, false);
        Ok(())
    }

    /// Sets (`Some`) or removes (`None`) one view key.
    pub fn set_view(&self, key: &str, value: Option<String>, how: History) {
        if let Err(e) = self.set_with(self.get(), &[(key, value)], how) {
            web_sys::console::warn_1(&format!("view key refused: {e}").into());
        }
    }

    /// Ends a slider drag: the next change gets its own history entry, and the address bar
    /// gets the last value now.
    pub fn end_drag(&self) {
        let was = self.dragging.replace(false);
        if self.hash_pending.replace(false) {
            self.write_url();
        }
        if was {
            let listeners: Vec<Rc<dyn Fn()>> = self.drag_end.borrow().clone();
            for l in listeners {
                l();
            }
        }
    }

    /// Whether a slider is being dragged (between its first `input` and its `change`).
    pub fn is_dragging(&self) -> bool {
        self.dragging.get()
    }

    /// Calls `f` when a slider drag ends (after the change it made was told to every listener).
    pub fn on_drag_end(&self, f: impl Fn() + 'static) {
        self.drag_end.borrow_mut().push(Rc::new(f));
    }

    /// Reads the state from `hash` (typed by hand, Back/Forward, start-up) and tells every
    /// listener. A malformed hash changes nothing and returns why.
    pub fn apply_hash(&self, hash: &str) -> Result<(), String> {
        let new = read(hash)?;
        self.dragging.set(false);
        let old = self.snapshot();
        self.install(old, new, History::Replace, true);
        Ok(())
    }

    /// Writes the canonical hash of the current state to the address bar (no history entry).
    pub fn write_url(&self) {
        let hash = format!("#{}", self.state.borrow().hash());
        if hash != read_hash() {
            write_hash(&hash, false);
        }
    }

    /// Writes the canonical hash in [`DRAG_HASH_MS`] (once however many changes come before
    /// it); at once when no timer can be set.
    fn write_url_soon(&self) {
        if self.hash_pending.replace(true) {
            return;
        }
        let me = self.me.clone();
        let timer = super::dom::set_timeout(DRAG_HASH_MS, move || {
            if let Some(store) = me.upgrade() {
                if store.hash_pending.replace(false) {
                    store.write_url();
                }
            }
        });
        if timer.is_none() {
            self.hash_pending.set(false);
            self.write_url();
        }
    }

    /// Calls `f` after every change, with the new state and what changed.
    pub fn subscribe(&self, f: impl Fn(&Snapshot, &Change) + 'static) {
        self.listeners.borrow_mut().push(Rc::new(f));
    }

    fn install(&self, old: Snapshot, new: Snapshot, how: History, from_url: bool) {
        let change = Change {
            params: old.params != new.params,
            keys: new.changed_keys(&old.view),
            from_url,
        };
        let same = !change.params && new.same_view(&old.view);
        *self.state.borrow_mut() = new.clone();
        // The address bar: rewritten unless it already says exactly this.
        let hash = format!("#{}", new.hash());
        if hash != read_hash() {
            let how = match how {
                History::Drag if self.dragging.replace(true) => History::Replace,
                History::Drag => History::Push,
                other => other,
            };
            let push = how == History::Push && !same;
            if push || how != History::Replace || !self.dragging.get() {
                self.hash_pending.set(false);
                write_hash(&hash, push);
            } else {
                self.write_url_soon();
            }
        }
        if same {
            return;
        }
        // Copy the list first so a listener may subscribe or set without a borrow conflict.
        let listeners: Vec<Listener> = self.listeners.borrow().clone();
        for l in listeners {
            l(&new, &change);
        }
    }
}

/// The state a hash describes, or why it is malformed.
fn read(hash: &str) -> Result<Snapshot, String> {
    let params = share::decode(hash).map_err(|e| e.to_string())?;
    let view = share::view_pairs(hash);
    share::check_view(&view)?;
    Ok(Snapshot { params, view })
}

/// Writes `hash` (with `#`) to the address bar: a new history entry when `push`.
fn write_hash(hash: &str, push: bool) {
    let Some(history) = web_sys::window().and_then(|w| w.history().ok()) else {
        return;
    };
    let result = if push {
        history.push_state_with_url(&JsValue::NULL, "", Some(hash))
    } else {
        history.replace_state_with_url(&JsValue::NULL, "", Some(hash))
    };
    if let Err(e) = result {
        web_sys::console::warn_2(&"cannot write the URL hash".into(), &e);
    }
}

/// The current URL hash (empty when unavailable).
pub fn read_hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// Follows the address bar: a hand-edited hash, Back and Forward are read into `store`;
/// `on_error` gets the reason when the new hash is malformed (the page then keeps its state
/// and writes it back to the address bar), and `None` when a later hash is accepted.
pub fn follow_url(
    store: &Rc<Store>,
    on_error: impl Fn(Option<&str>) + 'static,
) -> Result<(), JsValue> {
    let window = super::dom::window()?;
    let on_error = Rc::new(on_error);
    for event in ["hashchange", "popstate"] {
        let store = store.clone();
        let on_error = on_error.clone();
        super::dom::on(&window, event, move || {
            let hash = read_hash();
            // Our own writes and the second of the two events of one navigation (after a
            // refusal, the address bar was given the state back): nothing new, and a refusal
            // just shown stays.
            if hash.trim_start_matches('#') == store.snapshot().hash() {
                return;
            }
            match store.apply_hash(&hash) {
                Ok(()) => on_error(None),
                Err(e) => {
                    on_error(Some(&e));
                    // The address bar shows the state again (a copied link shares what is on
                    // the screen); the refused address is quoted in the message.
                    store.write_url();
                }
            }
        })?;
    }
    Ok(())
}
