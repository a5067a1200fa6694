// End-to-end tests of the ring view (issue 6): the animation of one sampled run, its
// playback controls, stalls on slow links, restarts, screenshots and frame times.
// Same set-up as shell.test.mjs: E2E_BASE_URL from scripts/test.sh, or an own server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { launch, repo, output } from './harness.mjs';

let server;
let baseUrl;
let browser;

before(async () => {
  ({ server, baseUrl, browser } = await launch('/clinr/e2e/ring/'));
  mkdirSync(output, { recursive: true });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** Opens the app with `hash`; collects console errors, page errors and failed loads. */
async function openRing(hash = '') {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console.error: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('requestfailed', (req) => problems.push(`request failed: ${req.url()}`));
  page.on('response', (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()} for ${res.url()}`);
  });
  await page.goto(baseUrl + hash);
  await page.waitForSelector('html[data-ready="true"]', { timeout: 30_000 });
  await page.waitForSelector('canvas#ring[data-time]', { timeout: 30_000 });
  return { context, page, problems };
}

const attr = (page, name) => page.getAttribute('canvas#ring', name);
const num = async (page, name) => Number(await attr(page, name));

/** Moves the playhead to `time` through the scrub slider (as a user dragging it would). */
async function scrubTo(page, time) {
  await page.locator('#ring-scrub').fill(String(time));
  await page.waitForFunction(
    (t) => Math.abs(Number(document.getElementById('ring').dataset.time) - t) < 0.01,
    time,
  );
}

/** Luminance variance and distinct colours of the ring canvas (non-blank check). */
function canvasVariance(page) {
  return page.evaluate(() => {
    const c = document.getElementById('ring');
    const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
    let sum = 0;
    let sum2 = 0;
    let k = 0;
    const colours = new Set();
    for (let i = 0; i < data.length; i += 4 * 7) {
      const l = 0.2126 * data[i] + 0.7152 * data[i + 1] + 0.0722 * data[i + 2];
      sum += l;
      sum2 += l * l;
      k += 1;
      colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
    }
    const mean = sum / k;
    return { variance: sum2 / k - mean * mean, colours: colours.size };
  });
}

async function shoot(page, name) {
  const v = await canvasVariance(page);
  assert.ok(v.variance > 100 && v.colours > 20, `${name} looks blank: ${JSON.stringify(v)}`);
  await page.locator('.ring-panel').screenshot({ path: path.join(output, name) });
}

test('slow links stall RSI 1 and make the distributed run longer (τ_e = 20 vs 1)', async () => {
  const slow = await openRing('#n=12&tau_e=20');
  let slowDepth;
  let monoDepth;
  try {
    const { page, problems } = slow;
    assert.equal(await attr(page, 'data-qpus'), '4');
    assert.equal(await attr(page, 'data-n'), '12');
    assert.equal(await attr(page, 'data-ever-stalled'), 'true');
    const [rsi1] = (await attr(page, 'data-rsi-starts')).split(',').map(Number);
    assert.ok(rsi1 > 0);
    // Moment 1: every block QPU preparing or verifying in parallel, pairs trickling in.
    await scrubTo(page, Math.round(rsi1 * 0.45));
    const early = (await attr(page, 'data-qpu-stages')).split(',');
    assert.equal(early[0], 'data', 'Q0 holds the input');
    for (const s of early.slice(1)) assert.match(s, /^(rsp|check\d+\/3|verified)$/);
    assert.equal(await num(page, 'data-stalled-links'), 0);
    await page.hover('#timeline', { position: { x: 300, y: 40 } });
    assert.match(await page.textContent('#ring-explain'), /Distributed, Q\d/);
    await shoot(page, 'ring-1.png');
    // Moment 2: scrub into RSI 1: link ℓ1 has too few pairs, the injection waits.
    await scrubTo(page, rsi1 + 2);
    assert.ok((await num(page, 'data-stalled-links')) >= 1, 'a link is stalled in RSI 1');
    assert.match(await attr(page, 'data-qpu-stages'), /stalled/);
    const [qx, qy] = (await attr(page, 'data-qpu-xy')).split(';')[1].split(',').map(Number);
    await page.hover('canvas#ring', { position: { x: qx, y: qy } });
    await page.waitForFunction(() => /^Q1 /.test(document.getElementById('ring-explain').textContent));
    assert.match(await page.textContent('#ring-explain'), /Q1 is stalled.*pairs/);
    await shoot(page, 'ring-2.png');
    slowDepth = await num(page, 'data-depth-distributed');
    monoDepth = await num(page, 'data-depth-monolithic');
    assert.deepEqual(problems, []);
  } finally {
    await slow.context.close();
  }
  const fast = await openRing('#n=12&tau_e=1');
  try {
    const { page, problems } = fast;
    const fastDepth = await num(page, 'data-depth-distributed');
    assert.ok(slowDepth > fastDepth, `distributed depth: τ_e=20 → ${slowDepth}, τ_e=1 → ${fastDepth}`);
    assert.equal(await num(page, 'data-depth-monolithic'), monoDepth, 'monolithic does not use links');
    assert.equal(await attr(page, 'data-ever-stalled'), 'false');
    // "Next stall" finds nothing to jump to; the time stays put.
    await page.click('#ring-next-stall');
    assert.equal(await num(page, 'data-time'), 0);
    console.log(`# distributed depth n=12: tau_e=20 -> ${slowDepth}, tau_e=1 -> ${fastDepth}; monolithic ${monoDepth}`);
    assert.deepEqual(problems, []);
  } finally {
    await fast.context.close();
  }
});

test('restarts show up at high p: "new sample" until a run restarts, then jump to it', async () => {
  const { context, page, problems } = await openRing('#n=8&p=0.01');
  try {
    let tries = 0;
    while ((await num(page, 'data-restarts')) === 0 && tries < 40) {
      const shot = await attr(page, 'data-shot');
      await page.click('#ring-new-sample');
      await page.waitForFunction((s) => document.getElementById('ring').dataset.shot !== s, shot);
      tries += 1;
    }
    const restarts = await num(page, 'data-restarts');
    assert.ok(restarts > 0, `no restart in ${tries + 1} samples`);
    console.log(`# first restart at shot ${await attr(page, 'data-shot')}: ${restarts} restart(s)`);
    await page.click('#ring-next-restart');
    await page.waitForFunction(() => Number(document.getElementById('ring').dataset.time) > 0);
    const t = await num(page, 'data-time');
    // Just after a restart the QPU is back in RSP.
    assert.match(await attr(page, 'data-qpu-stages'), /rsp/);
    await shoot(page, 'ring-3.png');
    // Keyboard: with the ring focused, space plays and pauses, arrows step one layer.
    await page.focus('#ring');
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction((x) => Number(document.getElementById('ring').dataset.time) > x, t);
    assert.ok(Math.abs((await num(page, 'data-time')) - (t + 1)) < 0.02);
    await page.evaluate(() => document.activeElement?.blur());
    await page.keyboard.press('Space');
    await page.waitForSelector('canvas#ring[data-playing="true"]');
    await page.keyboard.press('Space');
    await page.waitForSelector('canvas#ring[data-playing="false"]');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('playback at n = 85 runs at frame rate (draw time measured in the page)', async () => {
  const { context, page, problems } = await openRing('');
  try {
    assert.equal(await attr(page, 'data-n'), '85');
    await page.click('#ring-play');
    await page.waitForSelector('canvas#ring[data-playing="true"]');
    await page.waitForTimeout(2500);
    await page.waitForSelector('canvas#ring[data-frame-ms-median]');
    const stats = {
      drawMedian: await num(page, 'data-frame-ms-median'),
      drawMax: await num(page, 'data-frame-ms-max'),
      rafMedian: await num(page, 'data-raf-ms-median'),
      rafMax: await num(page, 'data-raf-ms-max'),
      samples: await num(page, 'data-frame-samples'),
      sampleMs: await num(page, 'data-sample-ms'),
    };
    console.log(`# n=85 playback: ${JSON.stringify(stats)}`);
    assert.ok(await num(page, 'data-time') > 0, 'time advanced');
    assert.ok(stats.samples >= 32, 'enough frames drawn');
    // Frame times are measured and printed (the 60 fps target is a benchmark figure, not a
    // test: CI machines are shared). These bounds only catch an animation that stalls.
    assert.ok(stats.drawMedian < 100, `median draw ${stats.drawMedian} ms`);
    assert.ok(stats.rafMedian < 250, `median frame interval ${stats.rafMedian} ms`);
    // Presentation mode switches to large type and high contrast.
    await page.click('#ring-present');
    await page.waitForSelector('html[data-presentation="true"]');
    await page.click('#ring-play');
    await page.waitForSelector('canvas#ring[data-playing="false"]');
    await page.locator('.ring-panel').screenshot({ path: path.join(output, 'ring-present.png') });
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('t = 64: too many QPUs to label — a square canvas, not a tall strip, and a line that says how to name them', async () => {
  const { context, page, problems } = await openRing('#t=64');
  try {
    await page.waitForFunction(() => document.querySelector('canvas#ring').getAttribute('data-layout-complete') === 'false');
    const box = await page.$eval('canvas#ring', (c) => ({ w: c.clientWidth, h: c.clientHeight }));
    // It was 2.5 × the width (2311 px at this width) of empty space around the same ring.
    assert.ok(box.h <= box.w + 10, `canvas ${box.w}×${box.h}`);
    assert.equal((await attr(page, 'data-qpu-xy')).split(';').length, 65, 'every QPU is drawn');
    assert.match(await page.textContent('#ring-explain'), /Too many QPUs to label/);
    // Back to t = 3: labelled again, and the usual hint.
    await page.evaluate(() => { location.hash = '#t=3'; });
    await page.waitForFunction(() => document.querySelector('canvas#ring').getAttribute('data-layout-complete') === 'true');
    assert.doesNotMatch(await page.textContent('#ring-explain'), /Too many QPUs/);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
