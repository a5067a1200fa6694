//! A small pool of Web Workers running [`crate::jobs`] off the main thread.
//!
//! Lane 0 is the *preview lane*: it only takes jobs submitted as small (the cheap first pass
//! of the plots, Stim exports), so a first estimate never waits behind a long refinement job.
//! The other lanes take any job. [`Pool::cancel_all`] drops queued jobs and terminates the
//! workers busy with stale ones (a simulation cannot be interrupted from outside), then
//! respawns them; each worker posts `ready` before it gets work.
//!
//! A worker that fails (a panic in the engine traps the wasm, which raises `onerror`) reports
//! an [`Outcome::Error`] to the job's callback and is replaced.
//!
//! **Groups.** Every job belongs to a [`Group`] ([`Pool::group`] makes one per panel): the
//! plots and the claim map each cancel their own jobs with [`Pool::cancel_group`] without
//! touching the other's. **Background** jobs ([`Pool::submit_background`], e.g. the claim
//! map's readings) never run on the preview lane and are handed out only when no other job
//! waits, so a long background run does not hold up the plots' refinement.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::{Rc, Weak};

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, Worker};

use crate::jobs::{Job, Outcome, Reply, Request};

/// Where Trunk puts the worker's loader shim, relative to the page.
pub const WORKER_URL: &str = "./worker_loader.js";

/// The worker script to start: `globalThis.CLINR_WORKER_URL` when the page set it (the
/// single-file page, dist/clinr-explorer.html, points it at a Blob URL holding the worker and
/// its wasm; scripts/single-file.mjs), else [`WORKER_URL`].
pub fn worker_url() -> String {
    js_sys::Reflect::get(&js_sys::global(), &"CLINR_WORKER_URL".into())
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_else(|| WORKER_URL.to_string())
}

/// Called with every progress reply and then the final one of a job.
pub type Callback = Rc<RefCell<dyn FnMut(Outcome)>>;

struct Task {
    id: u32,
    json: String,
    small: bool,
    group: Group,
    background: bool,
    callback: Callback,
}

/// The jobs of one panel, cancelled together by [`Pool::cancel_group`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Group(u32);

/// The group of jobs submitted with [`Pool::submit`] (the plots' and the exports').
pub const DEFAULT_GROUP: Group = Group(0);

struct Lane {
    worker: Worker,
    ready: bool,
    busy: Option<Task>,
    preview_only: bool,
    // Kept alive as long as the worker; dropped when it is replaced.
    _onmessage: Closure<dyn FnMut(MessageEvent)>,
    _onerror: Closure<dyn FnMut(web_sys::Event)>,
}

struct Inner {
    lanes: Vec<Lane>,
    queue: VecDeque<Task>,
    next_id: u32,
    next_group: u32,
}

/// The pool; cheap to clone (shared state).
#[derive(Clone)]
pub struct Pool {
    inner: Rc<RefCell<Inner>>,
}

/// Workers for a machine with `cores` logical cores: one preview lane plus 1–3 others.
pub fn pool_size(cores: f64) -> usize {
    let cores = if cores.is_finite() { cores as usize } else { 2 };
    1 + cores.saturating_sub(1).clamp(1, 3)
}

/// Logical cores of this machine (`navigator.hardwareConcurrency`), 2 when unknown.
pub fn hardware_concurrency() -> f64 {
    web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w, &"navigator".into()).ok())
        .and_then(|n| js_sys::Reflect::get(&n, &"hardwareConcurrency".into()).ok())
        .and_then(|c| c.as_f64())
        .unwrap_or(2.0)
}

impl Pool {
    /// Starts `size` (≥ 2) workers.
    pub fn new(size: usize) -> Result<Pool, JsValue> {
        let pool = Pool {
            inner: Rc::new(RefCell::new(Inner {
                lanes: Vec::new(),
                queue: VecDeque::new(),
                next_id: 1,
                next_group: 1,
            })),
        };
        for i in 0..size.max(2) {
            let lane = spawn(&Rc::downgrade(&pool.inner), i, i == 0)?;
            pool.inner.borrow_mut().lanes.push(lane);
        }
        Ok(pool)
    }

    /// Number of workers.
    pub fn size(&self) -> usize {
        self.inner.borrow().lanes.len()
    }

    /// A new group of jobs (for a panel that cancels its own jobs).
    pub fn group(&self) -> Group {
        let mut inner = self.inner.borrow_mut();
        let g = Group(inner.next_group);
        inner.next_group = inner.next_group.wrapping_add(1).max(1);
        g
    }

    /// Queues `job` in [`DEFAULT_GROUP`]. Small jobs may run on the preview lane; `front` puts
    /// the job ahead of the queue. `callback` gets progress replies and then the final reply.
    pub fn submit(&self, job: Job, small: bool, front: bool, callback: Callback) {
        self.enqueue(job, small, front, DEFAULT_GROUP, false, callback);
    }

    /// Queues `job` in `group` ([`Pool::submit`] otherwise).
    pub fn submit_in(&self, group: Group, job: Job, small: bool, front: bool, callback: Callback) {
        self.enqueue(job, small, front, group, false, callback);
    }

    /// Queues a background job in `group`: never on the preview lane, and handed out only when
    /// no foreground job waits.
    pub fn submit_background(&self, group: Group, job: Job, callback: Callback) {
        self.enqueue(job, false, false, group, true, callback);
    }

    fn enqueue(
        &self,
        job: Job,
        small: bool,
        front: bool,
        group: Group,
        background: bool,
        callback: Callback,
    ) {
        {
            let mut inner = self.inner.borrow_mut();
            let id = inner.next_id;
            inner.next_id = inner.next_id.wrapping_add(1).max(1);
            let task = Task {
                id,
                json: Request { id, job }.to_json(),
                small: small && !background,
                group,
                background,
                callback,
            };
            if front {
                inner.queue.push_front(task);
            } else {
                inner.queue.push_back(task);
            }
        }
        pump(&self.inner);
    }

    /// Drops every queued job and restarts the workers busy with one; their callbacks are
    /// never called again.
    pub fn cancel_all(&self) -> Result<(), JsValue> {
        let weak = Rc::downgrade(&self.inner);
        let mut inner = self.inner.borrow_mut();
        inner.queue.clear();
        for i in 0..inner.lanes.len() {
            if inner.lanes[i].busy.is_some() {
                let preview = inner.lanes[i].preview_only;
                inner.lanes[i].worker.terminate();
                inner.lanes[i] = spawn(&weak, i, preview)?;
            }
        }
        Ok(())
    }

    /// Drops the queued jobs of `group` and restarts the workers busy with one of them; their
    /// callbacks are never called again. Other groups' jobs keep running.
    pub fn cancel_group(&self, group: Group) -> Result<(), JsValue> {
        let weak = Rc::downgrade(&self.inner);
        {
            let mut inner = self.inner.borrow_mut();
            inner.queue.retain(|t| t.group != group);
            for i in 0..inner.lanes.len() {
                if inner.lanes[i]
                    .busy
                    .as_ref()
                    .is_some_and(|t| t.group == group)
                {
                    let preview = inner.lanes[i].preview_only;
                    inner.lanes[i].worker.terminate();
                    inner.lanes[i] = spawn(&weak, i, preview)?;
                }
            }
        }
        pump(&self.inner);
        Ok(())
    }

    /// Jobs of `group` queued or running.
    pub fn pending_in(&self, group: Group) -> usize {
        let inner = self.inner.borrow();
        inner.queue.iter().filter(|t| t.group == group).count()
            + inner
                .lanes
                .iter()
                .filter(|l| l.busy.as_ref().is_some_and(|t| t.group == group))
                .count()
    }

    /// Jobs queued or running.
    pub fn pending(&self) -> usize {
        let inner = self.inner.borrow();
        inner.queue.len() + inner.lanes.iter().filter(|l| l.busy.is_some()).count()
    }
}

/// Starts the worker of lane `index`.
fn spawn(pool: &Weak<RefCell<Inner>>, index: usize, preview_only: bool) -> Result<Lane, JsValue> {
    let url = worker_url();
    let worker = Worker::new(&url)?;
    let weak = pool.clone();
    let me = worker.clone();
    let onmessage = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let Some(inner) = weak.upgrade() else { return };
        let text = event.data().as_string().unwrap_or_default();
        match Reply::parse(&text) {
            Ok(reply) => on_reply(&inner, index, &me, reply),
            Err(e) => web_sys::console::error_1(&format!("bad message from a worker: {e}").into()),
        }
    });
    let weak = pool.clone();
    let me = worker.clone();
    let onerror = Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
        event.prevent_default();
        let Some(inner) = weak.upgrade() else { return };
        let message = js_sys::Reflect::get(&event, &"message".into())
            .ok()
            .and_then(|m| m.as_string())
            .unwrap_or_else(|| format!("the worker at {url} failed to load or run"));
        on_failure(&inner, index, &me, message);
    });
    worker.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    worker.set_onerror(Some(onerror.as_ref().unchecked_ref()));
    Ok(Lane {
        worker,
        ready: false,
        busy: None,
        preview_only,
        _onmessage: onmessage,
        _onerror: onerror,
    })
}

/// Whether `worker` still is lane `index`'s worker (messages of a replaced one are ignored).
fn is_current(inner: &Inner, index: usize, worker: &Worker) -> bool {
    inner
        .lanes
        .get(index)
        .is_some_and(|l| JsValue::from(&l.worker) == JsValue::from(worker))
}

fn on_reply(pool: &Rc<RefCell<Inner>>, index: usize, worker: &Worker, reply: Reply) {
    let callback = {
        let mut inner = pool.borrow_mut();
        if !is_current(&inner, index, worker) {
            return;
        }
        let lane = &mut inner.lanes[index];
        match reply.outcome {
            Outcome::Ready => {
                lane.ready = true;
                None
            }
            Outcome::Progress { .. } => lane
                .busy
                .as_ref()
                .filter(|t| t.id == reply.id)
                .map(|t| (t.callback.clone(), false)),
            _ => {
                if lane.busy.as_ref().is_some_and(|t| t.id == reply.id) {
                    lane.busy.take().map(|t| (t.callback, true))
                } else {
                    None
                }
            }
        }
    };
    if let Some((cb, _final)) = callback {
        // The borrow is released: the callback may submit or cancel.
        (cb.borrow_mut())(reply.outcome);
    }
    pump(pool);
}

fn on_failure(pool: &Rc<RefCell<Inner>>, index: usize, worker: &Worker, message: String) {
    web_sys::console::warn_1(&format!("worker {index} failed: {message}").into());
    let task = {
        let weak = Rc::downgrade(pool);
        let mut inner = pool.borrow_mut();
        if !is_current(&inner, index, worker) {
            return;
        }
        let task = inner.lanes[index].busy.take();
        inner.lanes[index].worker.terminate();
        let preview = inner.lanes[index].preview_only;
        match spawn(&weak, index, preview) {
            Ok(lane) => inner.lanes[index] = lane,
            Err(e) => web_sys::console::error_2(&"cannot restart a worker".into(), &e),
        }
        task
    };
    if let Some(task) = task {
        (task.callback.borrow_mut())(Outcome::Error {
            message: format!("the computation failed in a worker: {message}"),
        });
    }
    pump(pool);
}

/// Hands queued jobs to idle, ready workers.
fn pump(pool: &Rc<RefCell<Inner>>) {
    let mut inner = pool.borrow_mut();
    let inner = &mut *inner;
    for lane in inner.lanes.iter_mut() {
        if !lane.ready || lane.busy.is_some() {
            continue;
        }
        let fits = |t: &Task| t.small || !lane.preview_only;
        let pos = inner
            .queue
            .iter()
            .position(|t| !t.background && fits(t))
            .or_else(|| inner.queue.iter().position(|t| t.background && fits(t)));
        let Some(task) = pos.and_then(|p| inner.queue.remove(p)) else {
            continue;
        };
        if let Err(e) = lane.worker.post_message(&JsValue::from_str(&task.json)) {
            web_sys::console::error_2(&"posting to a worker failed".into(), &e);
            inner.queue.push_front(task);
            continue;
        }
        lane.busy = Some(task);
    }
}
