// The browser benchmark (issue 5): one Fig. 3 point — n = 85, p = 1e-4, t = r = 3, 20 circuits ×
// 200 samples, all three implementations, circuit generation included — in one Web Worker of
// the built app (dist/bench.html, www/bench.js), against the native CLI on the same work
// (`clinr simulate --n 85 --format json`). Prints one timing line. Asserts only that the browser
// and the CLI computed the same report byte for byte and that nothing froze: never a speed
// target (CI machines are shared and noisy; the README records measured numbers).
//
// The native side is target/release/clinr (scripts/test.sh builds it before these tests), or
// the binary named by CLINR_BIN. When the CLI has `--threads`, the one-worker wasm run is
// compared with `--threads 1` (same work, same thread count) and the default is printed too.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { launch, repo, output } from './harness.mjs';

/** Timed repetitions after the first (warm-up) run, in the browser and natively. */
const REPS = 5;
/** Freeze guard per run (the point takes well under a second natively). */
const FREEZE_MS = 60_000;
const SIMULATE = ['simulate', '--n', '85', '--format', 'json'];
const CLINR =
  process.env.CLINR_BIN ?? path.resolve(repo, process.env.CARGO_TARGET_DIR ?? 'target', 'release', 'clinr');

let server;
let baseUrl;
let browser;

before(async () => {
  ({ server, baseUrl, browser } = await launch('/clinr/e2e/bench/'));
});

after(async () => {
  await browser?.close();
  await server?.close();
});

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** One CLI run on the point; its wall time includes process start (a few ms). */
function runNative(extraArgs) {
  const start = performance.now();
  const stdout = execFileSync(CLINR, [...SIMULATE, ...extraArgs], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    timeout: FREEZE_MS,
  });
  return { ms: performance.now() - start, stdout };
}

const fmt = (ms) => `${ms.toFixed(0)} ms`;

test('Fig. 3 point in one browser worker vs the native CLI: same report, timings printed', async () => {
  assert.ok(
    existsSync(CLINR),
    `no native binary at ${CLINR}: run \`cargo build --release --bin clinr\` first (scripts/test.sh does)`,
  );
  // With --threads, compare like with like (one worker = one thread) and also show the default.
  const help = execFileSync(CLINR, ['simulate', '--help'], { encoding: 'utf8' });
  const natives = help.includes('--threads')
    ? [
        { label: 'native --threads 1', args: ['--threads', '1'] },
        { label: 'native default (all cores)', args: [] },
      ]
    : [{ label: 'native', args: [] }];

  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const problems = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(`console.error: ${msg.text()}`);
    });
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    // reps=0: the page starts the worker and does the first (warm-up) run only; the timed
    // runs below alternate with the native ones, so both see the same load on a shared machine.
    await page.goto(`${baseUrl}bench.html?reps=0`);
    await page.waitForSelector('html[data-bench]', { timeout: 2 * FREEZE_MS });
    const wasm = await page.evaluate(() => window.__bench);
    assert.equal(wasm.error, undefined, `the benchmark page failed: ${wasm.error}`);
    assert.equal(await page.getAttribute('html', 'data-bench'), 'done');

    for (const native of natives) {
      native.first = runNative(native.args);
      assert.equal(wasm.report, native.first.stdout, `browser report = clinr ${[...SIMULATE, ...native.args].join(' ')}, byte for byte`);
      native.timesMs = [];
    }
    const wasmMs = [];
    for (let i = 0; i < REPS; i += 1) {
      const run = await page.evaluate(() => window.__benchRun());
      assert.ok(run.identical, 'every browser run gives the same report');
      wasmMs.push(run.ms);
      for (const native of natives) {
        const again = runNative(native.args);
        assert.equal(again.stdout, native.first.stdout, `${native.label} is deterministic`);
        native.timesMs.push(again.ms);
      }
    }
    // The freeze guard: generous, never a speed target.
    for (const ms of [wasm.firstMs, ...wasmMs]) assert.ok(ms < FREEZE_MS, `a browser run took ${ms} ms`);
    assert.deepEqual(problems, []);

    const wasmMedian = median(wasmMs);
    const [single, ...others] = natives.map((n) => ({ ...n, medianMs: median(n.timesMs) }));
    let line =
      `fig3 point: wasm median ${fmt(wasmMedian)} (${REPS} runs, first ${fmt(wasm.firstMs)}, ` +
      `worker start ${fmt(wasm.startupMs)}) vs ${single.label} median ${fmt(single.medianMs)} ` +
      `→ ratio ${(wasmMedian / single.medianMs).toFixed(2)}`;
    for (const other of others) line += `; ${other.label} median ${fmt(other.medianMs)}`;
    line += ` (load average ${os.loadavg()[0].toFixed(1)}, ${os.availableParallelism()} cores)`;
    console.log(line);

    mkdirSync(output, { recursive: true });
    const results = {
      reps: REPS,
      wasm: { startupMs: wasm.startupMs, firstMs: wasm.firstMs, timesMs: wasmMs, medianMs: wasmMedian },
      native: [single, ...others].map(({ label, args, first, timesMs, medianMs }) => ({
        label,
        args,
        firstMs: first.ms,
        timesMs,
        medianMs,
      })),
    };
    writeFileSync(path.join(output, 'bench.json'), `${JSON.stringify(results, null, 2)}\n`);
  } finally {
    await context.close();
  }
});

test('the benchmark page takes parameters from the query string and refuses bad ones', async () => {
  const fixture = readFileSync(path.join(repo, 'tests/fixtures/simulate_n12_seed5.json'), 'utf8');
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${baseUrl}bench.html?n=12&circuits=3&shots=50&seed=5&reps=1`);
    await page.waitForSelector('html[data-bench]', { timeout: FREEZE_MS });
    const small = await page.evaluate(() => window.__bench);
    assert.equal(small.report, fixture, 'same point as tests/fixtures/simulate_n12_seed5.json');
    assert.equal(small.timesMs.length, 1);
    assert.match(await page.textContent('#out'), /median of runs 2–2: /);

    for (const [query, message] of [
      ['?n=12&colour=red', /unknown option 'colour'/],
      ['?n=twelve', /n must be a number/],
      ['?reps=100', /reps must be an integer in \[0, 50\]/],
      ['?n=0', /an integer in 1\.\.=/], // refused by the worker (Params::validate)
    ]) {
      await page.goto(`${baseUrl}bench.html${query}`);
      await page.waitForSelector('html[data-bench="error"]', { timeout: FREEZE_MS });
      assert.match(await page.evaluate(() => window.__bench.error), message, query);
    }
  } finally {
    await context.close();
  }
});
