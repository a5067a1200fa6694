// End-to-end tests of the live p_L and depth plots (issue 7): controls → shared store →
// worker pool → plots, exports, shared links, main-thread responsiveness, and screenshots of
// the Fig. 3 presets (tests/e2e/output/fig3a.png, fig3b.png). Same browser set-up as
// shell.test.mjs. Small circuits × shots keep the suite short on 2 cores.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { launch, repo, output } from './harness.mjs';

// Made by the native CLI (see README): clinr simulate --n 12 --circuits 3 --shots 50 --seed 5 --format json
const FIXTURE = readFileSync(path.join(repo, 'tests/fixtures/simulate_n12_seed5.json'), 'utf8');

let server;
let baseUrl;
let browser;

before(async () => {
  ({ server, baseUrl, browser } = await launch('/clinr/e2e/sub/path/'));
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** Opens the app at `hash`; records long tasks from the start and collects errors. */
async function openApp(hash, contextOptions = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...contextOptions });
  await context.addInitScript(() => {
    window.__longtasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longtasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console.error: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  await page.goto(baseUrl + hash);
  await page.waitForSelector('html[data-ready="true"]', { timeout: 30_000 });
  return { context, page, problems };
}

const plots = (page) => page.locator('#plots');

async function waitDone(page, timeout = 60_000) {
  await page.waitForSelector('#plots[data-state="done"]', { timeout });
}

async function generation(page) {
  return Number(await plots(page).getAttribute('data-generation'));
}

async function current(page) {
  return JSON.parse(await plots(page).getAttribute('data-current'));
}

/** Clicks an export button and returns the downloaded file's text. */
async function exportText(page, button) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click(button)]);
  return readFileSync(await download.path(), 'utf8');
}

/** Commits a value in a number field (the 'change' event, as when the user presses Enter). */
async function setField(page, key, value) {
  await page.fill(`#ctl-${key}`, String(value));
  await page.dispatchEvent(`#ctl-${key}`, 'change');
}

test('the exported JSON of a seeded point equals the native CLI output, and its link reproduces it', async () => {
  const { context, page, problems } = await openApp('#n=12&circuits=3&shots=50&seed=5');
  try {
    await waitDone(page);
    const json = await exportText(page, '#export-json');
    assert.equal(json, FIXTURE, 'page export = clinr simulate --format json, byte for byte');
    // Under its header block (# lines, checked in exports.test.mjs), the data: a header row
    // and one row per x value.
    const csv = await exportText(page, '#export-csv');
    const rows = csv.trim().split('\n').filter((l) => !l.startsWith('#'));
    assert.match(rows[0], /^n,direct_logical_error_rate_mean,/);
    assert.equal(rows.length, 1 + (await plots(page).getAttribute('data-xs')).split(',').length);
    const stim = await exportText(page, '#export-stim');
    assert.match(stim, /^(H|S|CX|S_DAG|SQRT_X|CZ|X|Y|Z|I)\b/m, 'Stim text');
    // Hover read-out.
    const box = await page.locator('#plot-pl').boundingBox();
    const pixelXs = await page.evaluate(() => null);
    void pixelXs;
    let shown = false;
    for (let f = 0.1; f < 0.95 && !shown; f += 0.02) {
      await page.mouse.move(box.x + box.width * f, box.y + box.height / 2);
      shown = await page.locator('.plot-tooltip:not([hidden])').count() > 0;
    }
    assert.ok(shown, 'hovering a point shows its values');
    assert.match(await page.locator('.plot-tooltip:not([hidden])').first().textContent(), /distributed: /);

    const shared = page.url();
    assert.match(shared, /seed=5/);
    const again = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      const p2 = await again.newPage();
      await p2.goto(shared);
      await waitDone(p2);
      assert.equal(await exportText(p2, '#export-json'), json, 'the shared link reproduces the JSON');
    } finally {
      await again.close();
    }
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('moving τ_e and n updates the plots quickly without long tasks on the main thread', async () => {
  // The paper's point (n = 85, t = r = 3, p = 1e-4, τ_e = 1) with small statistics.
  const { context, page, problems } = await openApp('#n=85&circuits=2&shots=40&seed=3&x=tau_e');
  try {
    await waitDone(page);
    const before = await current(page);
    assert.equal(before.tau_e, 1);
    assert.equal(await plots(page).getAttribute('data-x'), 'tau_e');
    await page.evaluate(() => { window.__longtasks = []; });

    // τ_e: commit 3 in the number field; time the first estimate at the new point.
    const g0 = await generation(page);
    const t0 = Date.now();
    await setField(page, 'tau_e', 3);
    await page.waitForFunction((g) => {
      const el = document.getElementById('plots');
      return Number(el.dataset.generation) > g && el.dataset.firstMs !== undefined;
    }, g0);
    const outside = Date.now() - t0;
    const firstMs = Number(await plots(page).getAttribute('data-first-ms'));
    const afterTau = await current(page);
    assert.equal(afterTau.tau_e, 3);
    assert.match(page.url(), /tau_e=3/);
    console.log(`# first estimate after a τ_e change (idle pool): ${firstMs.toFixed(1)} ms in the page, ${outside} ms seen by the test`);

    // n: drag the slider (several input events while the workers are busy).
    const g1 = await generation(page);
    const slider = page.locator('#ctl-n-range');
    const box = await slider.boundingBox();
    await page.mouse.move(box.x + box.width * 0.66, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2, { steps: 6 });
    await page.mouse.up();
    await page.waitForFunction((g) => {
      const el = document.getElementById('plots');
      return Number(el.dataset.generation) > g && el.dataset.firstMs !== undefined;
    }, g1);
    const firstBusy = Number(await plots(page).getAttribute('data-first-ms'));
    console.log(`# first estimate after an n drag (busy pool, workers respawned): ${firstBusy.toFixed(1)} ms`);
    const afterN = await current(page);
    assert.notEqual(afterN.n, 85, 'n moved');
    assert.equal(afterN.tau_e, 3);
    assert.notDeepEqual(afterN.logical_error_rate, afterTau.logical_error_rate);
    await waitDone(page);
    const final = await current(page);
    assert.equal(final.final, true);
    assert.equal(final.circuits, 2);

    const longtasks = await page.evaluate(() => window.__longtasks);
    const maxLong = longtasks.reduce((m, t) => Math.max(m, t.duration), 0);
    console.log(`# long tasks during the interaction: ${longtasks.length}, max ${maxLong.toFixed(0)} ms`);
    // The speed targets (first estimate within 100 ms, no task over 50 ms) are measured and
    // printed above, not asserted: CI machines are shared and noisy. These bounds only catch a
    // page that never answers or freezes.
    assert.ok(firstMs < 10_000, `first estimate took ${firstMs} ms`);
    assert.ok(maxLong < 1000, `the main thread froze for ${maxLong} ms`);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('invalid inputs are refused next to their control; K1 is in the main view', async () => {
  const { context, page, problems } = await openApp('#n=12&circuits=1&shots=10&seed=2');
  try {
    await waitDone(page);
    const url = page.url();
    await setField(page, 'n', 500);
    const err = page.locator('.control[data-key="n"] .error');
    await err.waitFor({ state: 'visible' });
    assert.match(await err.textContent(), /Refused: must be in \[2, 128\]/);
    assert.equal(page.url(), url, 'nothing applied');
    await setField(page, 'n', 14);
    await err.waitFor({ state: 'hidden' });
    assert.match(page.url(), /n=14/);

    await page.click('#knobs-summary');
    await setField(page, 'storage_idle_rate', 0.5);
    const kerr = page.locator('.control[data-key="storage_idle_rate"] .error');
    await kerr.waitFor({ state: 'visible' });
    assert.match(await kerr.textContent(), /only 0 is modelled/);

    const k1 = page.locator('#ctl-idle_on_resource_during_rspv');
    assert.ok(await k1.isVisible(), 'K1 visible');
    assert.equal(await k1.isChecked(), false, 'K1 off by default (paper-consistent reading)');
    await page.click('#preset-k1-toggle');
    assert.equal(await k1.isChecked(), true, 'the preset switches to the literal reading');
    assert.equal(await page.locator('.control[data-key="idle_on_resource_during_rspv"][data-non-default]').count(), 1);
    assert.match(page.url(), /idle_on_resource_during_rspv=true/);
    assert.match(await page.textContent('#knobs-summary'), /1 changed/);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('the Fig. 3a and Fig. 3b presets plot the paper axes (screenshots)', async () => {
  const { context, page, problems } = await openApp('#circuits=3&shots=100&seed=1', { deviceScaleFactor: 1 });
  try {
    mkdirSync(output, { recursive: true });
    // Small statistics keep the test short: the presets keep them only when asked.
    await page.check('#keep-statistics');
    await page.click('#preset-fig3a');
    await page.waitForFunction(() => document.getElementById('plots').dataset.x === 'n');
    await waitDone(page, 90_000);
    assert.equal(await plots(page).getAttribute('data-xs'), '50,60,70,85,100');
    const a = await current(page);
    assert.equal(a.n, 85);
    assert.ok(a.depth[2] < a.depth[1], `distributed shallower than monolithic: ${a.depth}`);
    await page.locator('#plots').screenshot({ path: path.join(output, 'fig3a.png') });

    await page.click('#preset-fig3b');
    await page.waitForFunction(() => document.getElementById('plots').dataset.x === 'tau_e');
    await waitDone(page, 90_000);
    // The paper's τ_e values, then on to 40 where the advantage fades (issue 12 item 5).
    assert.equal(await plots(page).getAttribute('data-xs'), '1,2,3,5,8,10,15,20,25,30,35,40');
    assert.match(page.url(), /x=tau_e/);
    await page.locator('#plots').screenshot({ path: path.join(output, 'fig3b.png') });
    console.log(`# Fig. 3b preset computed in ${await plots(page).getAttribute('data-done-ms')} ms`);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
