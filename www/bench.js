// Browser benchmark of one simulation point (bench.html; README "Benchmarks").
//
// Starts one dedicated Web Worker — the page's own worker module (./worker_loader.js), so the
// timed code is exactly what the app runs — and posts it the same `simulate` job (src/jobs.rs)
// several times, timing each from postMessage to the report with performance.now(). The first
// run is reported apart from the others: V8 compiles wasm lazily and tiers up hot functions,
// so it includes warm-up. The median is over the repetitions after it.
//
// Results are shown on the page and left for tests in `window.__bench` (and
// `window.__benchRun()` times one more run); <html data-bench="done"> (or "error") marks the end.

/** Numeric fields of `Params` (src/protocol/params.rs) the query string may set. */
const PARAM_KEYS = ['n', 's', 't', 'r', 'p', 'tau_e', 'circuits', 'shots', 'seed'];
const JSON_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;
const DEFAULT_REPS = 5;
const MAX_REPS = 50;

const out = document.getElementById('out');
const lines = [];

function show(line) {
  lines.push(line);
  out.textContent = lines.join('\n');
}

const ms = (x) => `${x.toFixed(1)} ms`;

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/**
 * Reads `reps` and parameter overrides from the query string. The parameters default to
 * { n: 85 } plus the engine's defaults (the Fig. 3 point); the worker validates them.
 */
function readOptions(search) {
  const fields = new Map([['n', '85']]);
  let reps = DEFAULT_REPS;
  for (const [key, value] of new URLSearchParams(search)) {
    if (key === 'reps') {
      reps = Number(value);
      if (!Number.isInteger(reps) || reps < 0 || reps > MAX_REPS) {
        throw new Error(`reps must be an integer in [0, ${MAX_REPS}], not '${value}'`);
      }
    } else if (PARAM_KEYS.includes(key)) {
      if (!JSON_NUMBER.test(value)) throw new Error(`${key} must be a number, not '${value}'`);
      fields.set(key, value);
    } else {
      throw new Error(`unknown option '${key}' (known: reps, ${PARAM_KEYS.join(', ')})`);
    }
  }
  // Built as text, so a 64-bit seed reaches the worker without passing through a JS number.
  const params = `{${[...fields].map(([k, v]) => `"${k}":${v}`).join(',')}}`;
  return { reps, params };
}

/**
 * Starts the worker and resolves, once it has posted `ready`, with `simulate(params)`: runs
 * one job (one at a time) and resolves with the report JSON text the worker sent.
 */
function startWorker() {
  return new Promise((resolveReady, rejectReady) => {
    const worker = new Worker('./worker_loader.js');
    let nextId = 1;
    let pending = null; // the job in flight: { id, resolve, reject }

    const simulate = (params) =>
      new Promise((resolve, reject) => {
        pending = { id: nextId, resolve, reject };
        worker.postMessage(`{"id":${nextId},"kind":"simulate","engine":"fast","params":${params}}`);
        nextId += 1;
      });

    worker.onerror = (event) => {
      const error = new Error(`the worker failed: ${event.message || 'it did not load'}`);
      if (pending) pending.reject(error);
      else rejectReady(error);
    };
    worker.onmessage = (event) => {
      const reply = JSON.parse(event.data);
      if (reply.kind === 'ready') {
        resolveReady(simulate);
        return;
      }
      // Progress replies (one per circuit) are not needed here.
      if (!pending || reply.id !== pending.id || reply.kind === 'progress') return;
      const job = pending;
      pending = null;
      if (reply.kind === 'report') job.resolve(reply.json);
      else job.reject(new Error(reply.kind === 'error' ? reply.message : `unexpected reply '${reply.kind}'`));
    };
  });
}

async function main() {
  const { reps, params } = readOptions(window.location.search);
  show(`params ${params}, one worker (single thread); ${navigator.hardwareConcurrency} logical cores`);
  const t0 = performance.now();
  const simulate = await startWorker();
  const startupMs = performance.now() - t0;
  show(`worker start (fetch, compile and instantiate the wasm): ${ms(startupMs)}`);

  const timed = async () => {
    const start = performance.now();
    const json = await simulate(params);
    return { ms: performance.now() - start, json };
  };
  const first = await timed();
  show(`run 1 (first, includes warm-up): ${ms(first.ms)}`);
  const timesMs = [];
  let identical = true;
  for (let i = 0; i < reps; i += 1) {
    const run = await timed();
    timesMs.push(run.ms);
    identical &&= run.json === first.json;
    show(`run ${i + 2}: ${ms(run.ms)}`);
  }
  const medianMs = reps > 0 ? median(timesMs) : null;
  if (reps > 0) {
    show(`median of runs 2–${reps + 1}: ${ms(medianMs)}; reports identical across runs: ${identical}`);
  }
  window.__bench = { params, startupMs, firstMs: first.ms, timesMs, medianMs, identical, report: first.json };
  // One more timed run on demand, for a caller that interleaves it with other work (the
  // end-to-end test alternates it with native runs, so both see the same machine load).
  window.__benchRun = async () => {
    const run = await timed();
    return { ms: run.ms, identical: run.json === first.json };
  };
  document.documentElement.dataset.bench = 'done';
}

main().catch((error) => {
  show(`error: ${error.message}`);
  window.__bench = { error: error.message };
  document.documentElement.dataset.bench = 'error';
});
