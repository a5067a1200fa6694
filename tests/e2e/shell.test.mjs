// End-to-end tests of the built app (dist/) in headless Chromium, driven by playwright-core.
// Run with `node --test tests/e2e/` after `trunk build --release`. scripts/test.sh serves
// dist/ under a sub-path and passes its URL in E2E_BASE_URL; without it, these tests start
// their own server (tests/e2e/serve.mjs) under a sub-path.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { launch, repo, output } from './harness.mjs';

const fixture = JSON.parse(readFileSync(path.join(repo, 'tests/fixtures/worker_ping.json'), 'utf8'));

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

/** Opens the app in a fresh context; collects console errors, page errors and failed loads. */
async function openApp(contextOptions = {}) {
  const context = await browser.newContext({ viewport: { width: 1200, height: 800 }, ...contextOptions });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console.error: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('requestfailed', (req) => problems.push(`request failed: ${req.url()} (${req.failure()?.errorText})`));
  page.on('response', (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()} for ${res.url()}`);
  });
  await page.goto(baseUrl);
  await page.waitForSelector('html[data-ready="true"]', { timeout: 30_000 });
  return { context, page, problems };
}

/** Pixel statistics of the ring canvas, read back with getImageData. */
function canvasStats(page) {
  return page.evaluate(() => {
    const canvas = document.getElementById('ring');
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    const background = data.slice(0, 4).join(',');
    const colours = new Set();
    let samples = 0;
    let painted = 0;
    for (let i = 0; i < data.length; i += 4 * 5) {
      const px = `${data[i]},${data[i + 1]},${data[i + 2]},${data[i + 3]}`;
      colours.add(px);
      samples += 1;
      if (px !== background) painted += 1;
    }
    return {
      width: canvas.width,
      height: canvas.height,
      cssWidth: canvas.clientWidth,
      cssHeight: canvas.clientHeight,
      dpr: window.devicePixelRatio,
      background,
      colours: colours.size,
      paintedFraction: painted / samples,
    };
  });
}

test('the app shell loads under a sub-path and the ring view is painted', async () => {
  const { context, page, problems } = await openApp();
  try {
    assert.equal(await page.title(), 'CliNR Explorer');
    assert.equal(await page.textContent('h1'), 'CliNR Explorer');
    assert.equal(await page.locator('aside#controls').count(), 1);
    assert.equal(await page.locator('div#plots').count(), 1);
    assert.equal(await page.getAttribute('canvas#ring', 'data-qpus'), '4');
    const stats = await canvasStats(page);
    assert.ok(stats.cssWidth > 100 && stats.cssHeight > 100, `canvas too small: ${JSON.stringify(stats)}`);
    assert.equal(stats.background, '255,255,255,255');
    assert.ok(stats.colours >= 3, `canvas looks blank: ${JSON.stringify(stats)}`);
    assert.ok(stats.paintedFraction > 0.02, `too little painted: ${JSON.stringify(stats)}`);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('the web worker answers the ping with the value computed natively', async () => {
  const { context, page, problems } = await openApp();
  try {
    // The check stays out of sight (no debug text in the page): a data attribute on <html>.
    await page.waitForSelector('html[data-worker-pong]', { timeout: 30_000 });
    const pong = await page.getAttribute('html', 'data-worker-pong');
    assert.equal(pong, fixture.value, `worker pong for seed ${fixture.seed}`);
    assert.doesNotMatch(await page.evaluate(() => document.body.innerText), new RegExp(fixture.value));
    mkdirSync(output, { recursive: true });
    await page.screenshot({ path: path.join(output, 'shell.png') });
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('the ring canvas follows devicePixelRatio and window resizes', async () => {
  const { context, page, problems } = await openApp({ deviceScaleFactor: 2 });
  try {
    const before = await canvasStats(page);
    assert.equal(before.dpr, 2);
    assert.equal(before.width, Math.round(before.cssWidth * 2));
    assert.equal(before.height, Math.round(before.cssHeight * 2));
    await page.setViewportSize({ width: 800, height: 600 });
    await page.waitForFunction((w) => document.getElementById('ring').width !== w, before.width);
    const after = await canvasStats(page);
    assert.ok(after.cssWidth < before.cssWidth, 'canvas shrank with the window');
    assert.equal(after.width, Math.round(after.cssWidth * 2));
    assert.equal(after.height, Math.round(after.cssHeight * 2));
    assert.ok(after.colours >= 3 && after.paintedFraction > 0.02, 'repainted after resize');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
