// End-to-end tests of the page's state (issue 13): keys belong to the focused control; the
// URL hash is the state both ways (Back/Forward, hand edits, shared links with the shown run
// and the playhead). Same browser set-up as shell.test.mjs; small statistics keep it short.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, hashParams } from './harness.mjs';

let server;
let baseUrl;
let browser;

before(async () => {
  ({ server, baseUrl, browser } = await launch('/clinr/e2e/state/'));
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const ringAttr = (page, name) => page.getAttribute('canvas#ring', name);

/** Waits until the ring's playhead is at `time` (data-time has two decimals). */
async function waitTime(page, time) {
  await page.waitForFunction(
    (t) => Math.abs(Number(document.getElementById('ring').dataset.time) - t) < 0.006,
    time,
  );
}

/** Whether two hash or field values are the same (numbers compared as numbers: 7 = 7.0). */
const same = (a, b) => a === b || (a !== undefined && b !== undefined && a !== '' && Number(a) === Number(b));

/** Waits until the hash holds `key=value` (numbers compared as numbers). */
async function waitHash(page, key, value) {
  await page.waitForFunction(
    ([k, v]) => {
      const pairs = Object.fromEntries(
        location.hash.slice(1).split('&').filter(Boolean).map((kv) => kv.split('=')),
      );
      const got = pairs[k];
      return got === v || (got !== undefined && Number(got) === Number(v));
    },
    [key, value],
  );
}

/** Waits until control `key` shows `value` (numbers compared as numbers). */
async function waitField(page, key, value) {
  await page.waitForFunction(
    ([k, v]) => {
      const got = document.getElementById(`ctl-${k}`).value;
      return got === v || (got !== '' && Number(got) === Number(v));
    },
    [key, value],
  );
}

/** Commits a value in a number field (the 'change' event, as when the user presses Enter). */
async function setField(page, key, value) {
  await page.fill(`#ctl-${key}`, String(value));
  await page.dispatchEvent(`#ctl-${key}`, 'change');
}

test('keys on a focused slider move the slider, not the playhead; the ring takes its keys when focused', async () => {
  const { context, page, problems } = await openPage(browser, `${baseUrl}#n=12&tau_e=20&circuits=1&shots=10&time=30`);
  try {
    await waitTime(page, 30);
    // → on the focused circuits slider: circuits 1 → 2; the playhead stays (the run shown
    // does not depend on the statistics).
    await page.focus('#ctl-circuits-range');
    await page.keyboard.press('ArrowRight');
    await waitHash(page, 'circuits', '2');
    assert.equal(await page.inputValue('#ctl-circuits'), '2');
    assert.equal(await page.inputValue('#ctl-circuits-range'), '2');
    assert.equal(await ringAttr(page, 'data-time'), '30.00', '→ did not move the playhead');
    // End and Home act on the slider too.
    await page.keyboard.press('End');
    await waitHash(page, 'circuits', '200');
    await page.keyboard.press('Home');
    await waitHash(page, 'circuits', '1');
    assert.equal(await ringAttr(page, 'data-time'), '30.00', 'End/Home did not move the playhead');
    // A focused select keeps its keys too.
    await page.focus('#ring-speed');
    await page.keyboard.press('ArrowRight');
    assert.equal(await ringAttr(page, 'data-time'), '30.00');

    // The ring focused: → steps one layer, End goes to the end, ↑/↓ explain items in turn.
    await page.focus('#ring');
    await page.keyboard.press('ArrowRight');
    await waitTime(page, 31);
    await waitHash(page, 'time', '31');
    await page.keyboard.press('ArrowDown');
    await page.waitForSelector('canvas#ring[data-selected="qpu-0"]');
    assert.match(await page.textContent('#ring-explain'), /^Q0 /);
    await page.keyboard.press('ArrowDown');
    await page.waitForSelector('canvas#ring[data-selected="qpu-1"]');
    assert.match(await page.textContent('#ring-explain'), /^Q1 /);
    // Backwards past the first item wraps to the last lane (direct CliNR).
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    await page.waitForSelector('canvas#ring[data-selected="lane-5"]');
    assert.match(await page.textContent('#ring-explain'), /^Direct implementation at τ = 31/);
    assert.equal(await page.getAttribute('#ring-explain', 'aria-live'), 'polite');
    // Every QPU, link and lane is reachable: t+1 QPUs, t+1 links, t+3 lanes (t = 3).
    const seen = new Set();
    for (let i = 0; i < 14; i += 1) {
      const prev = await ringAttr(page, 'data-selected');
      await page.keyboard.press('ArrowDown');
      await page.waitForFunction((p) => document.getElementById('ring').dataset.selected !== p, prev);
      seen.add(await ringAttr(page, 'data-selected'));
    }
    const all = [0, 1, 2, 3].flatMap((i) => [`qpu-${i}`, `link-${i}`]).concat([0, 1, 2, 3, 4, 5].map((i) => `lane-${i}`));
    assert.deepEqual([...seen].sort(), all.sort(), 'every QPU, link and lane in 14 presses');
    // The timeline canvas takes the same keys.
    await page.focus('#timeline');
    await page.keyboard.press('End');
    await page.waitForFunction(() => {
      const d = document.getElementById('ring').dataset;
      return Math.abs(Number(d.time) - Number(d.maxTime)) < 0.01;
    });
    // Nothing focused (the page body): the ring's keys work.
    await page.evaluate(() => document.activeElement?.blur());
    await page.keyboard.press('Home');
    await waitTime(page, 0);
    // Focus is visible: the focused canvas has an outline.
    await page.focus('#ring');
    const outline = await page.evaluate(() => getComputedStyle(document.getElementById('ring')).outlineStyle);
    assert.notEqual(outline, 'none');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('Back and Forward keep the address bar, the controls, the ring and the plots in step', async () => {
  const { context, page, problems } = await openPage(browser, `${baseUrl}#n=12&circuits=1&shots=10&seed=2`);
  try {
    await page.waitForSelector('#plots[data-state="done"]', { timeout: 60_000 });
    await setField(page, 'n', 14);
    await waitHash(page, 'n', '14');
    await setField(page, 'tau_e', 5);
    await waitHash(page, 'tau_e', '5');
    assert.ok(same(await ringAttr(page, 'data-tau-e'), '5'));

    await page.goBack();
    await waitHash(page, 'tau_e', '1');
    assert.equal(hashParams(page.url()).n, '14');
    await waitField(page, 'tau_e', '1');
    assert.equal(await page.inputValue('#ctl-n'), '14');
    assert.ok(same(await ringAttr(page, 'data-tau-e'), '1'));
    assert.equal(await ringAttr(page, 'data-n'), '14');
    await page.waitForFunction(() => {
      const c = document.getElementById('plots').dataset.current;
      return c && JSON.parse(c).tau_e === 1 && JSON.parse(c).n === 14;
    });

    await page.goBack();
    await waitHash(page, 'n', '12');
    await page.waitForFunction(() => document.getElementById('ctl-n').value === '12');
    assert.equal(await ringAttr(page, 'data-n'), '12');
    await page.waitForFunction(() => JSON.parse(document.getElementById('plots').dataset.current ?? '{}').n === 12);

    await page.goForward();
    await waitHash(page, 'n', '14');
    await page.waitForFunction(() => document.getElementById('ctl-n').value === '14');
    assert.equal(await ringAttr(page, 'data-n'), '14');
    await page.goForward();
    await waitHash(page, 'tau_e', '5');
    assert.ok(same(await ringAttr(page, 'data-tau-e'), '5'));

    // A slider drag is one history entry, however many steps it takes.
    const before = await page.evaluate(() => history.length);
    const box = await page.locator('#ctl-n-range').boundingBox();
    await page.mouse.move(box.x + box.width * 0.2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.4, box.y + box.height / 2, { steps: 8 });
    await page.mouse.up();
    await page.waitForFunction(() => document.getElementById('ctl-n').value !== '14');
    const dragged = await page.inputValue('#ctl-n');
    assert.equal(await page.evaluate(() => history.length), before + 1, 'one entry for the drag');
    assert.equal(hashParams(page.url()).n, dragged);
    await page.goBack();
    await waitHash(page, 'n', '14');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('a hand-edited hash changes the page; a malformed one is refused with a message', async () => {
  const { context, page, problems } = await openPage(browser, `${baseUrl}#n=12&circuits=1&shots=10`);
  try {
    await page.evaluate(() => { location.hash = '#n=10&tau_e=7&circuits=1&shots=10&x=tau_e'; });
    await waitField(page, 'n', '10');
    assert.ok(same(await page.inputValue('#ctl-tau_e'), '7'));
    assert.equal(await ringAttr(page, 'data-n'), '10');
    assert.ok(same(await ringAttr(page, 'data-tau-e'), '7'));
    await page.waitForSelector('#plots[data-x="tau_e"]');
    assert.equal(await page.inputValue('#x-axis'), 'tau_e');
    await page.waitForFunction(() => JSON.parse(document.getElementById('plots').dataset.current ?? '{}').n === 10);
    // The hash is written back in full (every parameter), without a new history entry.
    await waitHash(page, 'seed', '1');

    await page.evaluate(() => { location.hash = '#n=11&shot=oops'; });
    const err = page.locator('#link-error');
    await err.waitFor({ state: 'visible' });
    assert.match(await err.textContent(), /shot=oops/);
    assert.equal(await page.inputValue('#ctl-n'), '10', 'nothing applied');
    assert.equal(await ringAttr(page, 'data-n'), '10');
    // The address bar shows the state again (a copied link shares what is on screen), and the
    // refusal stays on screen.
    await page.waitForFunction(() => !location.hash.includes('oops'));
    assert.match(page.url(), /[#&]n=10(&|$)/);
    assert.ok(await err.isVisible(), 'the refusal stays after the address bar is restored');

    // A refusal under a box goes once the box shows an accepted value from elsewhere.
    await page.fill('#ctl-n', '-5');
    await page.press('#ctl-n', 'Enter');
    const row = page.locator('[data-invalid="true"]');
    await row.waitFor({ state: 'visible' });
    assert.equal(await page.getAttribute('#ctl-n', 'aria-invalid'), 'true');

    await page.evaluate(() => { location.hash = '#n=11&shot=1&time=12.5'; });
    await err.waitFor({ state: 'detached' });
    await page.waitForFunction(() => document.getElementById('ctl-n').value === '11');
    assert.equal(await row.count(), 0, 'the stale "Refused" message is gone');
    assert.equal(await page.getAttribute('#ctl-n', 'aria-invalid'), null);
    assert.equal(await ringAttr(page, 'data-shot'), '1');
    await waitTime(page, 12.5);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('a shared link with the shot and the playhead reopens the same frame', async () => {
  const viewport = { width: 1280, height: 900 };
  const a = await openPage(browser, `${baseUrl}#n=12&tau_e=20&circuits=1&shots=10`, { viewport });
  let shared;
  let frame;
  try {
    const { page, problems } = a;
    for (const shot of ['1', '2', '3']) {
      await page.click('#ring-new-sample');
      await page.waitForSelector(`canvas#ring[data-shot="${shot}"]`);
    }
    // Scrubbing: the playhead goes to the hash without a history entry, a few times at most.
    const length = await page.evaluate(() => {
      window.__writes = { push: 0, replace: 0 };
      const { pushState, replaceState } = history;
      history.pushState = function (...args) { window.__writes.push += 1; return pushState.apply(this, args); };
      history.replaceState = function (...args) { window.__writes.replace += 1; return replaceState.apply(this, args); };
      return history.length;
    });
    const box = await page.locator('#ring-scrub').boundingBox();
    await page.mouse.move(box.x + 4, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2, { steps: 40 });
    await page.mouse.up();
    await page.waitForFunction(() => /[&#]time=/.test(location.hash));
    const writes = await page.evaluate(() => window.__writes);
    assert.equal(writes.push, 0, 'no history entry for the playhead');
    assert.ok(writes.replace <= 12, `playhead written ${writes.replace} times for 40 drag steps`);
    assert.equal(await page.evaluate(() => history.length), length);
    console.log(`# scrub drag of 40 steps: ${writes.replace} hash writes, no history entry`);
    await page.locator('#ring-scrub').fill('57.5');
    await waitTime(page, 57.5);
    await waitHash(page, 'time', '57.5');
    assert.equal(hashParams(page.url()).shot, '3');
    frame = await page.evaluate(() => {
      const ring = document.getElementById('ring');
      return {
        stages: ring.dataset.qpuStages,
        links: ring.dataset.stalledLinks,
        ring: ring.toDataURL(),
        timeline: document.getElementById('timeline').toDataURL(),
      };
    });
    shared = page.url();
    // "New sample" made one history entry per run: Back shows the previous one.
    await page.goBack();
    await page.waitForSelector('canvas#ring[data-shot="2"]');
    assert.deepEqual(problems, []);
  } finally {
    await a.context.close();
  }
  const b = await openPage(browser, shared, { viewport });
  try {
    const { page, problems } = b;
    await waitTime(page, 57.5);
    assert.equal(await ringAttr(page, 'data-shot'), '3');
    const again = await page.evaluate(() => {
      const ring = document.getElementById('ring');
      return {
        stages: ring.dataset.qpuStages,
        links: ring.dataset.stalledLinks,
        ring: ring.toDataURL(),
        timeline: document.getElementById('timeline').toDataURL(),
      };
    });
    assert.equal(again.stages, frame.stages);
    assert.equal(again.links, frame.links);
    assert.ok(again.ring === frame.ring, 'the ring canvas is pixel for pixel the same');
    assert.ok(again.timeline === frame.timeline, 'the timeline canvas is pixel for pixel the same');
    assert.deepEqual(problems, []);
  } finally {
    await b.context.close();
  }
});
