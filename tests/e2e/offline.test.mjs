// End-to-end test of the single-file page (issue 13): dist/clinr-explorer.html, made by
// scripts/single-file.mjs after `trunk build`, opened from file:// with every network request
// refused. It must start (data-ready), animate (the playhead advances), and compute plot
// points in its workers (Blob URL workers with inlined wasm) — with no request other than
// file:, blob: and data: URLs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchBrowser, repo } from './harness.mjs';

const fixture = JSON.parse(readFileSync(path.join(repo, 'tests/fixtures/worker_ping.json'), 'utf8'));
const FILE = path.join(repo, 'dist', 'clinr-explorer.html');

let browser;

before(async () => {
  // No server: the file is opened directly.
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

test('the single-file page works from file:// with no network', async () => {
  const size = statSync(FILE).size;
  console.log(`# ${path.relative(repo, FILE)}: ${(size / 1024).toFixed(0)} KiB (${size} bytes)`);
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const requests = [];
  const refused = [];
  // Everything but the file itself and what it makes in memory is refused.
  await context.route(/.*/, (route) => {
    const url = route.request().url();
    if (/^(file|blob|data):/.test(url)) return route.continue();
    refused.push(url);
    return route.abort();
  });
  context.on('request', (r) => requests.push(r.url()));
  const page = await context.newPage();
  const problems = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console.error: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('requestfailed', (req) => problems.push(`request failed: ${req.url()} (${req.failure()?.errorText})`));
  try {
    await page.goto(`${pathToFileURL(FILE).href}#n=12&circuits=2&shots=20`);
    await page.waitForSelector('html[data-ready="true"]', { timeout: 60_000 });
    await page.waitForSelector('canvas#ring[data-time]');
    // A worker answers (the start-up ping, checked against the native value) …
    await page.waitForSelector('html[data-worker-pong]', { timeout: 60_000 });
    assert.equal(await page.getAttribute('html', 'data-worker-pong'), fixture.value);
    // … and computes the plots' points.
    await page.waitForSelector('#plots[data-state="done"]', { timeout: 90_000 });
    const current = JSON.parse(await page.getAttribute('#plots', 'data-current'));
    assert.ok(current && typeof current === 'object', 'a plot point was computed');
    // The ring animates.
    const t0 = Number(await page.getAttribute('canvas#ring', 'data-time'));
    await page.click('#ring-play');
    await page.waitForFunction((t) => Number(document.getElementById('ring').dataset.time) > t + 1, t0);
    await page.click('#ring-play');
    const foreign = requests.filter((u) => !/^(file|blob|data):/.test(u));
    assert.deepEqual(foreign, [], 'no request left the machine');
    assert.deepEqual(refused, [], 'nothing had to be refused');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
