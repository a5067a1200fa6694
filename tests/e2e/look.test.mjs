// End-to-end tests of the page's look (issue 13): one colour language (ring = timeline =
// legend = CSS; restart ≠ stall), no debug text, and screenshots at 1920×1080, 1280×720 and
// 390×844, plus the ring panel through a deuteranopia simulation and in grayscale, saved in
// tests/e2e/output/ to be looked at (look-*.png).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { launch, openPage, output } from './harness.mjs';

/** An SVG colour matrix simulating deuteranopia (Machado et al. 2009, severity 1), applied in
 * linear RGB as SVG filters work by default. */
const DEUTERANOPIA = `
  <svg xmlns="http://www.w3.org/2000/svg" width="0" height="0" style="position:absolute">
    <filter id="deuteranopia" color-interpolation-filters="linearRGB">
      <feColorMatrix type="matrix" values="
        0.367322 0.860646 -0.227968 0 0
        0.280085 0.672501  0.047413 0 0
       -0.011820 0.042940  0.968881 0 0
        0        0         0        1 0"/>
    </filter>
  </svg>`;

let server;
let baseUrl;
let browser;

before(async () => {
  ({ server, baseUrl, browser } = await launch('/clinr/e2e/look/'));
  mkdirSync(output, { recursive: true });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** Pixels of `canvasId` whose colour is exactly `hex`. */
function countColour(page, canvasId, hex) {
  return page.evaluate(
    ([id, h]) => {
      const c = document.getElementById(id) ?? document.querySelector(id);
      const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
      const [r, g, b] = [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16));
      let n = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (data[i] === r && data[i + 1] === g && data[i + 2] === b) n += 1;
      }
      return n;
    },
    [canvasId, hex],
  );
}

/** Draws new samples until the run has a restart (high p). */
async function sampleUntilRestart(page) {
  for (let tries = 0; tries < 40 && Number(await page.getAttribute('canvas#ring', 'data-restarts')) === 0; tries += 1) {
    const shot = await page.getAttribute('canvas#ring', 'data-shot');
    await page.click('#ring-new-sample');
    await page.waitForFunction((s) => document.getElementById('ring').dataset.shot !== s, shot);
  }
  assert.ok(Number(await page.getAttribute('canvas#ring', 'data-restarts')) > 0, 'a run with a restart');
}

test('one colour language: restart ≠ stall, and the ring, the timeline, the legend and the CSS agree', async () => {
  const { context, page, problems } = await openPage(browser, `${baseUrl}#n=12&tau_e=40&p=0.004&circuits=1&shots=10`);
  try {
    await sampleUntilRestart(page);
    const colours = await page.evaluate(() => {
      const ring = document.getElementById('ring').dataset;
      const legend = (s) => document.querySelector(`.ring-legend [data-state="${s}"]`)?.dataset.colour;
      const css = (s) => getComputedStyle(document.documentElement).getPropertyValue(`--state-${s}`).trim();
      return {
        ring: { restart: ring.colourRestart, stall: ring.colourStall },
        legend: { restart: legend('restart'), stall: legend('stall') },
        css: { restart: css('restart'), stall: css('stall') },
        states: [...document.querySelectorAll('.ring-legend [data-state]')].map((e) => e.dataset.state),
      };
    });
    assert.match(colours.ring.restart, /^#[0-9a-f]{6}$/);
    assert.notEqual(colours.ring.restart, colours.ring.stall, 'restart and stall differ');
    assert.deepEqual(colours.legend, colours.ring, 'the legend shows the ring colours');
    assert.deepEqual(colours.css, colours.ring, 'the CSS custom properties are the same values');
    for (const s of ['rsp', 'check', 'verified', 'rsi', 'teleport', 'stall', 'restart', 'idle', 'data', 'pair-stored', 'pair-consumed']) {
      assert.ok(colours.states.includes(s), `legend has ${s}`);
    }
    // The timeline paints the discarded attempts in the restart colour and the waits in the
    // stall colour (this run has both: restarts at high p, stalls at τ_e = 20).
    assert.equal(await page.getAttribute('canvas#ring', 'data-ever-stalled'), 'true');
    assert.ok((await countColour(page, 'timeline', colours.ring.restart)) > 20, 'restart pixels on the timeline');
    assert.ok((await countColour(page, 'timeline', colours.ring.stall)) > 20, 'stall pixels on the timeline');
    // The legend's swatches are painted with the same colours.
    const swatch = (s) => `.ring-legend [data-state="${s}"] canvas`;
    for (const s of ['restart', 'stall']) {
      const id = await page.evaluate((sel) => {
        const c = document.querySelector(sel);
        c.id = c.id || `swatch-${Math.random().toString(36).slice(2)}`;
        return c.id;
      }, swatch(s));
      const n = await countColour(page, id, colours.ring[s]);
      const total = await page.evaluate((i) => document.getElementById(i).width ** 2, id);
      // The pattern (stripes, crosses) covers part of the swatch; the rest is the colour.
      assert.ok(n > total * 0.15, `swatch ${s}: ${n} of ${total} pixels in its colour`);
    }
    // At the first restart the ring flashes in the restart colour, not the stall's.
    await page.click('#ring-next-restart');
    await page.waitForFunction(() => Number(document.getElementById('ring').dataset.time) > 0);
    assert.ok((await countColour(page, 'ring', colours.ring.restart)) > 50, 'restart flash on the ring');
    await shootFiltered(page, 'look-restart');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('no debug text in the page; the worker check stays in a data attribute', async () => {
  const { context, page, problems } = await openPage(browser, `${baseUrl}#n=12&circuits=1&shots=10`);
  try {
    await page.waitForSelector('html[data-worker-pong]', { timeout: 30_000 });
    const text = await page.evaluate(() => document.body.innerText);
    assert.doesNotMatch(text, /ping|pong|Worker:/i);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});


/** Screenshots of the ring panel as is, through deuteranopia and in grayscale. */
async function shootFiltered(page, stem) {
  const panel = page.locator('.ring-panel');
  await panel.screenshot({ path: path.join(output, `${stem}.png`) });
  await page.evaluate((svg) => {
    if (!document.getElementById('deuteranopia')) document.body.insertAdjacentHTML('beforeend', svg);
    document.querySelector('.ring-panel').style.filter = 'url(#deuteranopia)';
  }, DEUTERANOPIA);
  await panel.screenshot({ path: path.join(output, `${stem}-deuteranopia.png`) });
  await page.evaluate(() => { document.querySelector('.ring-panel').style.filter = 'grayscale(1)'; });
  await panel.screenshot({ path: path.join(output, `${stem}-grayscale.png`) });
  await page.evaluate(() => { document.querySelector('.ring-panel').style.filter = ''; });
}

test('screenshots at three sizes, and the ring through deuteranopia and grayscale', async () => {
  const views = [
    { name: '1920x1080', viewport: { width: 1920, height: 1080 } },
    { name: '1280x720', viewport: { width: 1280, height: 720 } },
    { name: '390x844', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
  ];
  for (const { name, ...options } of views) {
    const { context, page, problems } = await openPage(
      browser,
      `${baseUrl}#n=12&tau_e=20&p=0.004&circuits=2&shots=20&shot=2`,
      options,
    );
    try {
      await page.waitForSelector('#plots[data-state="done"]', { timeout: 90_000 });
      // A moment with a stall: into RSI 1.
      const rsi1 = Number((await page.getAttribute('canvas#ring', 'data-rsi-starts')).split(',')[0]);
      await page.locator('#ring-scrub').fill(String(rsi1 + 2));
      await page.waitForFunction((t) => Math.abs(Number(document.getElementById('ring').dataset.time) - t) < 0.01, rsi1 + 2);
      await page.screenshot({ path: path.join(output, `look-main-${name}.png`) });
      await page.screenshot({ path: path.join(output, `look-full-${name}.png`), fullPage: true });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      console.log(`# ${name}: horizontal overflow ${overflow} px`);
      if (name === '1280x720') await shootFiltered(page, 'look-stall');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  }
});
