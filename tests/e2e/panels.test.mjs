// End-to-end tests of the panels of issues 12–14 (src/web/{reading_panel,claims_panel,
// claim_map,scaling_plot,plots,controls,presets}.rs): the active reading and its switch, the
// claims panel's hooks and verdicts, the range editor, presets that set everything they name,
// threshold markers with labels, the claim map (run, cancel, CLI-identical exports), issue 14's
// k / m / two-sided RSP controls, the scaling view (min links against the CLI) and the plots'
// data tables. The CLI comparisons use target/release/clinr (CLINR_BIN to override;
// scripts/test.sh builds it).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { launch, openPage, download, hashParams, repo } from './harness.mjs';

const CLINR =
  process.env.CLINR_BIN ?? path.resolve(repo, process.env.CARGO_TARGET_DIR ?? 'target', 'release', 'clinr');

const VERDICTS = ['holds', 'fails', 'unresolved', 'not-shown'];

let server;
let baseUrl;
let browser;

before(async () => {
  ({ server, baseUrl, browser } = await launch('/clinr/e2e/panels/'));
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const done = (page, timeout = 120_000) => page.waitForSelector('#plots[data-state="done"]', { timeout });

/** Waits for the plots of the current generation to be done with the claims final. */
async function settled(page, timeout = 120_000) {
  await done(page, timeout);
  await page.waitForSelector('#claims[data-state="final"]', { timeout });
}

async function verdicts(page) {
  return page.$$eval('#claims [data-claim]', (els) =>
    Object.fromEntries(els.map((e) => [e.dataset.claim, e.dataset.verdict])),
  );
}

/** Commits a value in a number field (the 'change' event, as when the user presses Enter). */
async function setField(page, key, value) {
  await page.fill(`#ctl-${key}`, String(value));
  await page.dispatchEvent(`#ctl-${key}`, 'change');
}

async function waitHash(page, key, value) {
  await page.waitForFunction(
    ([k, v]) => new URLSearchParams(location.hash.slice(1)).get(k) === v,
    [key, value],
  );
}

/** Waits until the hash holds the number `value` under `key` (written 5, 5.0 or 5e0). */
async function waitHashNumber(page, key, value) {
  await page.waitForFunction(
    ([k, v]) => Number(new URLSearchParams(location.hash.slice(1)).get(k) ?? NaN) === v,
    [key, value],
  );
}

test('at the paper point the reading is named and the claims panel shows verdicts with their numbers', async () => {
  // The page's defaults: n = 85, t = r = 3, p = 1e-4, τ_e = 1, 20 × 200, paper-consistent.
  const { context, page, problems } = await openPage(browser, `${baseUrl}#`);
  try {
    const reading = page.locator('#reading');
    assert.equal(await reading.getAttribute('data-reading'), 'paper_consistent');
    assert.equal(await page.textContent('#reading .reading-name'), 'Paper-consistent reading');
    assert.match(await page.textContent('#reading .reading-summary'), /K1 off/);
    assert.match(await page.textContent('#reading-switch'), /literal reading/);
    // Verdict hooks exist from the first estimate on…
    await page.waitForSelector('#claims [data-claim="Q1"][data-verdict]');
    for (const v of Object.values(await verdicts(page))) assert.ok(VERDICTS.includes(v), v);
    // …and at the requested statistics (the final pass) Q1 and Q2 hold on Fig. 3a's n axis,
    // as the measured claim map says for this reading.
    await settled(page);
    const v = await verdicts(page);
    assert.deepEqual(Object.keys(v), ['Q1', 'Q2', 'Q3', 'Q4', 'Q5']);
    assert.equal(v.Q1, 'holds');
    assert.equal(v.Q2, 'holds');
    assert.equal(v.Q3, 'not-shown', 'Q3 needs a τ_e axis');
    // The numbers behind a verdict: means and paired differences ± SE per point.
    const q1 = page.locator('#claims [data-claim="Q1"]');
    await q1.locator('summary').click();
    const rows = await q1.locator('tbody tr').count();
    assert.equal(rows, 5, 'one row per n = 50, 60, 70, 85, 100');
    assert.match(await q1.locator('tbody tr').first().textContent(), /distributed − direct = −?\d+\.\d ± \d+\.\d/);
    // Colour-blind safe: an icon and a word in the badge.
    assert.match(await q1.locator('.verdict').textContent(), /✓\s*holds/);
    // The live region names the verdicts when the plots are done.
    assert.match(await page.textContent('#announcer'), /Claims: Q1 holds, Q2 holds, Q3 not shown/);

    // Q3's setting is not on screen: its button applies the preset that shows it.
    await page.click('#claims [data-claim="Q3"] button[data-preset="fig3b"]');
    await page.waitForFunction(() => document.getElementById('plots').dataset.x === 'tau_e');
    await settled(page);
    const w = await verdicts(page);
    assert.equal(w.Q3, 'holds', 'Q3 holds at the paper point (measured claim map)');
    // Q1 and Q2 stay shown, from the n plot computed before with the same settings.
    assert.equal(w.Q1, 'holds');
    assert.equal(await page.getAttribute('#claims [data-claim="Q1"]', 'data-from'), 'n');
    assert.equal(await page.getAttribute('#preset-description', 'data-preset'), 'fig3b');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('switching to the literal reading updates the banner, the hash and the verdicts live', async () => {
  const { context, page, problems } = await openPage(browser, `${baseUrl}#circuits=20&shots=200`);
  try {
    await settled(page);
    assert.equal((await verdicts(page)).Q2, 'holds');
    const g = Number(await page.getAttribute('#plots', 'data-generation'));
    await page.click('#reading-switch');
    await page.waitForSelector('#reading[data-reading="literal"]');
    assert.equal(await page.textContent('#reading .reading-name'), 'Literal reading');
    await waitHash(page, 'idle_on_resource_during_rspv', 'true');
    assert.equal(await page.isChecked('#ctl-idle_on_resource_during_rspv'), true);
    // The plots restart and the claims are re-evaluated as the new points come in.
    await page.waitForFunction((g0) => Number(document.getElementById('plots').dataset.generation) > g0, g);
    await page.waitForSelector('#claims[data-state="provisional"], #claims[data-state="waiting"]');
    await settled(page);
    // Under the literal reading monolithic CliNR is worse than direct at the paper's point:
    // Q2 no longer holds (the measured claim map says it fails).
    assert.equal((await verdicts(page)).Q2, 'fails');
    // And back, with one click.
    await page.click('#reading-switch');
    await page.waitForSelector('#reading[data-reading="paper_consistent"]');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('a custom reading lists its changed knobs in plain words and offers both named readings', async () => {
  const { context, page, problems } = await openPage(browser, `${baseUrl}#n=12&circuits=1&shots=10&check_kind=single_qubit`);
  try {
    await page.waitForSelector('#reading[data-reading="custom"]');
    assert.equal(await page.textContent('#reading .reading-name'), 'Custom');
    assert.deepEqual(await page.$$eval('#reading .reading-changes li', (l) => l.map((e) => e.textContent)), [
      'checks on single qubits (K2)',
    ]);
    await page.click('#reading-literal');
    await page.waitForSelector('#reading[data-reading="literal"]');
    assert.equal(hashParams(page.url()).check_kind, undefined, 'every other knob back at its default');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('the range editor sets from/to/points/scale in the hash and refuses bad values with a message', async () => {
  const { context, page, problems } = await openPage(browser, `${baseUrl}#n=12&circuits=1&shots=10&seed=2&x=tau_e`);
  try {
    await done(page);
    // The default τ_e range: the paper's values and on to 40.
    assert.equal(await page.getAttribute('#plots', 'data-xs'), '1,2,3,5,8,10,15,20,25,30,35,40');
    await page.fill('#range-from', '1');
    await page.fill('#range-to', '40');
    await page.fill('#range-pts', '12');
    await page.selectOption('#range-scale', 'lin');
    await page.uncheck('#range-paper');
    await page.click('#range-apply');
    await waitHash(page, 'pts', '12');
    const h = hashParams(page.url());
    assert.deepEqual([h.from, h.to, h.pts, h.scale, h.paper], ['1', '40', '12', 'lin', undefined]);
    // The paper's values also number 12: wait for the new ones (not 1, 2, …).
    await page.waitForFunction(() => {
      const xs = document.getElementById('plots').dataset.xs.split(',');
      return xs.length === 12 && xs[1] !== '2';
    });
    const xs = (await page.getAttribute('#plots', 'data-xs')).split(',').map(Number);
    assert.equal(xs[0], 1);
    assert.equal(xs[11], 40);
    assert.equal(xs[1], 4.55, 'linear steps of 39/11, 3 significant digits');
    await done(page);

    const url = page.url();
    for (const [field, value, message] of [
      ['#range-from', 'abc', /from: 'abc' is not a number/],
      ['#range-to', '60', /to = 60 is out of range: tau_e from 0\.1 to 50/],
      ['#range-pts', '1', /pts = 1 is out of range: 2 to 32 points/],
      ['#range-from', '45', /from = 45 must be below to = 40/],
    ]) {
      await page.fill('#range-from', '1');
      await page.fill('#range-to', '40');
      await page.fill('#range-pts', '12');
      await page.fill(field, value);
      await page.click('#range-apply');
      const err = page.locator('#range-error');
      await err.waitFor({ state: 'visible' });
      assert.match(await err.textContent(), message);
      assert.equal(page.url(), url, 'nothing applied');
    }
    // Log spacing is offered for τ_e; n is linear only.
    await page.fill('#range-from', '1');
    await page.fill('#range-to', '40');
    await page.fill('#range-pts', '4');
    await page.selectOption('#range-scale', 'log');
    await page.click('#range-apply');
    await waitHash(page, 'scale', 'log');
    await page.waitForSelector('#range-error', { state: 'hidden' });
    await page.waitForFunction(() => document.getElementById('plots').dataset.xs === '1,3.42,11.7,40');

    // τ_e = 50 no longer collapses the range: the default goes from 1 to 50.
    await page.click('#range-reset');
    await setField(page, 'tau_e', 50);
    await waitHashNumber(page, 'tau_e', 50);
    await page.waitForFunction(() => document.getElementById('plots').dataset.xs.split(',').length >= 12);
    const wide = (await page.getAttribute('#plots', 'data-xs')).split(',').map(Number);
    assert.equal(wide[0], 1);
    assert.equal(wide[wide.length - 1], 50);
    // A bad range in a hand-edited address is refused with a message; the default is shown.
    await page.evaluate(() => { location.hash = `${location.hash.slice(1)}&from=30&to=20`; });
    await page.waitForSelector('#range-error:not([hidden])');
    assert.match(await page.textContent('#range-error'), /The range in the address was refused \(from = 30 must be below to = 20\)/);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('presets set everything they name, say so, and keep the statistics only when asked', async () => {
  const { context, page, problems } = await openPage(
    browser,
    `${baseUrl}#n=12&t=2&r=1&p=0.001&tau_e=7&circuits=3&shots=50&seed=9&check_kind=single_qubit&instances=2`,
  );
  try {
    await page.click('#preset-fig3b');
    await waitHash(page, 'x', 'tau_e');
    const h = hashParams(page.url());
    for (const [k, v] of Object.entries({ n: 85, t: 3, r: 3, tau_e: 1, circuits: 20, shots: 200, seed: 9, p: 1e-4 })) {
      assert.equal(Number(h[k]), v, `${k} after the Fig. 3b preset`);
    }
    assert.equal(h.check_kind, undefined, 'knobs back at their defaults');
    assert.equal(h.instances, undefined);
    assert.deepEqual([h.from, h.to, h.pts, h.paper], ['1', '40', '12', '1']);
    assert.equal(await page.getAttribute('#reading', 'data-reading'), 'paper_consistent');
    const desc = page.locator('#preset-description');
    await desc.waitFor({ state: 'visible' });
    assert.match(await desc.textContent(), /Paper Fig\. 3b: .*20 circuits × 200 samples, the paper-consistent reading/);
    assert.equal(await page.getAttribute('#plots', 'data-xs'), '1,2,3,5,8,10,15,20,25,30,35,40');
    assert.equal(await page.isChecked('#keep-statistics'), false, 'keeping statistics is not the default');

    // "Keep my statistics", a visible checkbox, is honoured.
    await setField(page, 'circuits', 3);
    await setField(page, 'shots', 50);
    await page.check('#keep-statistics');
    await page.click('#preset-fig3a');
    await waitHash(page, 'x', 'n');
    const k = hashParams(page.url());
    assert.deepEqual([k.circuits, k.shots, k.n, k.tau_e].map(Number), [3, 50, 85, 1]);
    assert.match(await desc.textContent(), /your statistics \(3 circuits × 50 samples\)/);
    assert.equal(await page.getAttribute('#plots', 'data-xs'), '50,60,70,85,100');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('thresholds are drawn with labels: stalls on a τ_e axis, the §12 curve on an n axis', async () => {
  const { context, page, problems } = await openPage(browser, `${baseUrl}#circuits=4&shots=100&seed=3`);
  try {
    await page.check('#keep-statistics');
    await page.click('#preset-fig3b');
    await page.waitForFunction(() => document.getElementById('plots').dataset.x === 'tau_e');
    await done(page);
    const markers = async (id) => JSON.parse(await page.getAttribute(id, 'data-markers'));
    const pl = await markers('#plot-pl');
    const depth = await markers('#plot-depth');
    const stall = pl.find((m) => m.kind === 'stall_start');
    assert.ok(stall, JSON.stringify(pl));
    assert.ok(stall.x > 1 && stall.x < 40, `links stall from τ_e = ${stall.x} at n = 85`);
    assert.match(stall.label, /^links start to stall · τ_e = \d+(\.\d+)?$/);
    assert.ok(depth.some((m) => m.kind === 'stall_start'));
    assert.ok(depth.some((m) => m.kind === 'depth_cost_start' && /^depth starts to grow · τ_e = /.test(m.label)));
    for (const m of [...pl, ...depth].filter((m) => m.kind === 'advantage_lost')) {
      assert.match(m.label, /^(p_L|depth) advantage over (direct|monolithic) lost · τ_e ≈ /);
      assert.ok(m.x >= 1 && m.x <= 40);
    }
    // Each drawn marker is explained under the plots; the canvas' text alternative names it.
    assert.ok(await page.locator('#plot-notes li[data-kind="stall_start"]').count() >= 1);
    assert.match(await page.getAttribute('#plot-pl', 'aria-label'), /marked: links start to stall/);

    await page.click('#preset-fig3a');
    await page.waitForFunction(() => document.getElementById('plots').dataset.x === 'n');
    await done(page);
    assert.match(await page.textContent('#plot-notes li[data-kind="curve"]'), /§12 threshold on Δ/);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('the claim map runs in the workers, highlights the current reading, exports what `clinr claims` prints, and can be cancelled', async () => {
  const { context, page, problems } = await openPage(browser, `${baseUrl}#n=12&circuits=1&shots=10&seed=2`);
  try {
    await page.fill('#claim-map-circuits', '2');
    await page.fill('#claim-map-shots', '4');
    await page.click('#claim-map-run');
    await page.waitForSelector('#claim-map[data-state="running"]');
    await page.waitForSelector('#claim-map[data-state="done"]', { timeout: 180_000 });
    const total = Number(await page.getAttribute('#claim-map', 'data-total'));
    assert.ok(total >= 24, `readings: ${total}`);
    assert.equal(await page.locator('#claim-map-table tbody tr').count(), total);
    const cells = await page.$$eval('#claim-map-table td[data-claim]', (l) => l.map((e) => e.dataset.verdict));
    assert.equal(cells.length, 5 * total);
    for (const v of cells) assert.ok(VERDICTS.includes(v), v);
    const current = page.locator('#claim-map-table tr[data-current="true"]');
    assert.equal(await current.count(), 1);
    assert.match(await current.textContent(), /Paper-consistent reading/);
    console.log(`# claim map (${total} readings, 2 circuits × 4 samples) in the page: ${await page.getAttribute('#claim-map', 'data-ms')} ms`);

    // Exports: byte for byte the CLI's, for the same statistics, seed, p, t and r.
    const args = ['claims', '--circuits', '2', '--shots', '4', '--seed', '2', '--p', '1e-4', '--t', '3', '--r', '3'];
    const json = (await download(page, '#claim-map-json')).toString('utf8');
    assert.equal(json, execFileSync(CLINR, [...args, '--format', 'json'], { encoding: 'utf8' }));
    const csv = (await download(page, '#claim-map-csv')).toString('utf8');
    assert.equal(csv, execFileSync(CLINR, [...args, '--format', 'csv'], { encoding: 'utf8' }));
    assert.match(await page.textContent('.claim-map-cli'), /^Same as: clinr claims --circuits 2 --shots 4 --seed 2 /);

    // Switching the reading moves the highlight.
    await page.click('#reading-switch');
    await page.waitForFunction(() => /Literal reading/.test(document.querySelector('#claim-map-table tr[data-current="true"]')?.textContent ?? ''));

    // Cancel: stops the run, keeps what was computed, leaves the plots working.
    await page.fill('#claim-map-circuits', '20');
    await page.fill('#claim-map-shots', '200');
    await page.click('#claim-map-run');
    await page.waitForSelector('#claim-map[data-state="running"]');
    await page.click('#claim-map-cancel');
    await page.waitForSelector('#claim-map[data-state="cancelled"]');
    assert.ok(Number(await page.getAttribute('#claim-map', 'data-done')) < total);
    assert.equal(await page.isDisabled('#claim-map-json'), true, 'no export of an incomplete map');
    await setField(page, 'n', 10);
    await done(page);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('k links, m instances and two-sided RSP: controls, qubit count, hash, reading and exports', async () => {
  const { context, page, problems } = await openPage(browser, `${baseUrl}#n=12&circuits=2&shots=20&seed=5`);
  try {
    assert.match(await page.textContent('#qubit-count'), /m = 1: monolithic QPU n \+ m\(2n\+1\) = 12 \+ 1·25 = 37; each distributed QPU m\(2n\+1\) = 25 compute \+ 2n = 24 storage \(4 QPUs\)/);
    await setField(page, 'parallel_links', 3);
    await waitHash(page, 'parallel_links', '3');
    await setField(page, 'instances', 2);
    await waitHash(page, 'instances', '2');
    assert.match(await page.textContent('#qubit-count'), /= 12 \+ 2·25 = 62; each distributed QPU m\(2n\+1\) = 50 compute/);
    await page.check('#ctl-two_sided_rsp');
    await waitHash(page, 'two_sided_rsp', 'true');
    await page.waitForSelector('#reading[data-reading="custom"]');
    const changes = await page.$$eval('#reading .reading-changes li', (l) => l.map((e) => e.textContent));
    assert.deepEqual(changes.sort(), ['2 RSP&V instances per block (m)', '3 Bell-pair generators per link', 'two-sided RSP'].sort());
    await done(page);
    const csv = (await download(page, '#export-csv')).toString('utf8');
    for (const line of ['#   parallel_links = 3  (changed)', '#   instances = 2  (changed)', '#   two_sided_rsp = true  (changed)']) {
      assert.ok(csv.includes(`${line}\n`), line);
    }
    assert.match(csv, /\n# reading: Custom: 2 RSP&V instances per block \(m\); 3 Bell-pair generators per link; two-sided RSP \(K1/);
    const report = JSON.parse((await download(page, '#export-json')).toString('utf8'));
    assert.deepEqual(
      [report.params.knobs.parallel_links, report.params.knobs.instances, report.params.knobs.two_sided_rsp],
      [3, 2, true],
    );
    assert.equal(report.derived.qubits.monolithic, 62);
    // The same link reopens the same controls.
    const again = await openPage(browser, page.url());
    try {
      assert.equal(await again.page.inputValue('#ctl-parallel_links'), '3');
      assert.equal(await again.page.inputValue('#ctl-instances'), '2');
      assert.equal(await again.page.isChecked('#ctl-two_sided_rsp'), true);
    } finally {
      await again.context.close();
    }
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('the scaling view computes the fewest links per connection for each t, as `clinr sweep --min-links` does', async () => {
  const { context, page, problems } = await openPage(
    browser,
    `${baseUrl}#n=12&tau_e=20&circuits=2&shots=20&seed=4&x=t&from=2&to=16&pts=4&scale=log`,
  );
  try {
    await page.waitForSelector('#scaling[data-state="done"]', { timeout: 120_000 });
    assert.equal(await page.getAttribute('#plots', 'data-xs'), '2,3,4,8,16');
    const measured = JSON.parse(await page.getAttribute('#scaling', 'data-min-links'));
    assert.deepEqual(measured.map((m) => m.t), [2, 3, 4, 8, 16]);
    const lines = execFileSync(
      CLINR,
      ['sweep', '--vary', 't=2,3,4,8,16', '--n', '12', '--tau-e', '20', '--circuits', '2', '--shots', '20', '--seed', '4', '--min-links', '--format', 'jsonl'],
      { encoding: 'utf8' },
    )
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const cli = lines.map((l) => ({ t: l.params.t, k: l.scaling.min_parallel_links }));
    assert.deepEqual(measured, cli, 'the page and the CLI agree on every t');
    assert.ok(measured.some((m) => m.k > 1), `slow links need more than one generator somewhere: ${JSON.stringify(measured)}`);
    assert.ok(Number(await page.getAttribute('#scaling', 'data-fit-c')) > 0);
    // Its tables hold the same numbers.
    await page.click('#scaling-links-table-toggle');
    const rows = await page.$$eval('#scaling-links-table tbody tr', (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
    assert.deepEqual(rows.map((r) => [Number(r[0]), Number(r[1])]), cli.map((c) => [c.t, c.k]));
    // Leaving the t axis hides the view; the preset brings it back at n = 85, τ_e = 5.
    await page.selectOption('#x-axis', 'n');
    await page.waitForSelector('#scaling[data-state="hidden"]', { state: 'attached' });
    await page.check('#keep-statistics');
    await page.click('#preset-scaling');
    await waitHash(page, 'x', 't');
    const h = hashParams(page.url());
    assert.deepEqual([h.n, h.tau_e, h.from, h.to, h.pts].map(Number), [85, 5, 2, 32, 9]);
    assert.equal(h.scale, 'log');
    await page.waitForSelector('#scaling:not([hidden])');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('each plot has a keyboard-reachable data table that matches the plotted data', async () => {
  const { context, page, problems } = await openPage(browser, `${baseUrl}#n=12&circuits=3&shots=50&seed=5&x=tau_e`);
  try {
    await done(page);
    const toggle = page.locator('#plot-pl-table-toggle');
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    await toggle.focus();
    await page.keyboard.press('Enter');
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    await page.waitForSelector('#plot-pl-table table', { state: 'visible' });
    assert.match(await page.textContent('#plot-pl-table caption'), /^Logical error rate p_L against τ_e/);
    const table = await page.$$eval('#plot-pl-table tbody tr', (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
    const plot = JSON.parse((await download(page, '#export-plot-json')).toString('utf8'));
    assert.equal(table.length, plot.points.length);
    const sorted = [...plot.points].sort((a, b) => a.x - b.x);
    sorted.forEach((p, i) => {
      const row = table[i];
      assert.equal(Number(row[0]), p.x);
      const r = p.report.results;
      for (const [col, impl] of [[1, 'distributed'], [2, 'monolithic'], [3, 'direct']]) {
        const m = r[impl].logical_error_rate;
        assert.equal(row[col], `${m.mean.toFixed(4)} ± ${m.std.toFixed(4)}`, `${impl} at x = ${p.x}`);
      }
    });
    await page.click('#plot-depth-table-toggle');
    const depth = await page.$$eval('#plot-depth-table tbody tr', (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
    assert.equal(depth[0][1], `${sorted[0].report.results.distributed.depth.mean.toFixed(1)} ± ${sorted[0].report.results.distributed.depth.std.toFixed(1)}`);
    // Completion was announced through the live region.
    assert.match(await page.textContent('#announcer'), /^Plots: Done: 3 circuits × 50 samples per point/);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
