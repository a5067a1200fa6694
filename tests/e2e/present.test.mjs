// End-to-end tests of presentation mode (issue 13; src/web/presentation.rs) at 1280×720 and
// 1920×1080: every slide shows its panels inside the window with no overlap and large text,
// and leaving it (the button, Escape, the end of full screen) puts the normal page back exactly
// as it was. Screenshots: tests/e2e/output/present-*.png.
//
// The reading banner (#reading) and the claims panel (#claims) are another panel's work; when
// the page has none yet, stand-ins with the same ids are added to the page first, so their
// slots are tested too.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { launch, openPage, output } from './harness.mjs';
import { textBoxes, overlapping, describePairs, boxesOf, pixelDiff, settle } from './layout.mjs';

let server;
let baseUrl;
let browser;

before(async () => {
  ({ server, baseUrl, browser } = await launch('/clinr/e2e/present/'));
  mkdirSync(output, { recursive: true });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** Adds stand-ins for #reading and #claims where the page has none. */
function addStandIns(page) {
  return page.evaluate(() => {
    const view = document.getElementById('view');
    if (!document.getElementById('reading')) {
      const r = document.createElement('section');
      r.id = 'reading';
      r.setAttribute('aria-label', 'Reading');
      r.innerHTML = '<b>Paper-consistent reading</b> — resource qubits do not idle noisily inside RSP&amp;V attempts (K1 off); under the literal reading CliNR loses its advantage.';
      r.style.padding = '0.4rem 0.8rem';
      view.prepend(r);
    }
    if (!document.getElementById('claims')) {
      const c = document.createElement('section');
      c.id = 'claims';
      c.setAttribute('aria-label', 'Claims');
      const rows = [
        ['Q1', 'holds', 'Distributed depth below direct for n = 50…100'],
        ['Q2', 'holds', 'Distributed p_L at most monolithic'],
        ['Q3', 'unresolved', 'p_L advantage at τ_e ≤ 5'],
        ['Q4', 'not-shown', 'Advantage fades as τ_e grows (preset Fig. 3b)'],
        ['Q5', 'not-shown', 'More QPUs, larger advantage'],
      ];
      c.innerHTML = `<h2>Claims</h2><ul>${rows.map(([q, v, t]) => `<li data-claim="${q}" data-verdict="${v}"><b>${q}</b> ${v}: ${t}</li>`).join('')}</ul>`;
      document.getElementById('plots').after(c);
    }
  });
}

/** What must come back exactly: every element's place, id and classes, <html>'s attributes,
 * the scroll position and the focus. */
function pageState(page) {
  return page.evaluate(() => {
    const path = (e) => {
      const parts = [];
      for (let a = e; a && a !== document.body; a = a.parentElement) {
        parts.push(`${a.tagName}#${a.id}`);
      }
      return parts.reverse().join('>');
    };
    const elements = [...document.body.querySelectorAll('*')]
      .filter((e) => !e.closest('#presentation'))
      .map((e) => `${path(e)}.${e.getAttribute('class') ?? ''}`);
    const html = document.documentElement;
    return {
      htmlClass: html.getAttribute('class'),
      htmlAttributes: html.getAttributeNames().filter((n) => !n.startsWith('data-worker')).sort(),
      elements,
      scroll: [scrollX, scrollY],
      focus: document.activeElement?.id ?? null,
      overlayHidden: document.getElementById('presentation')?.hidden,
    };
  });
}

/** A screenshot of the normal page with the mouse out of the way and nothing focused. */
async function normalShot(page) {
  await page.mouse.move(0, 0);
  const focus = await page.evaluate(() => {
    const id = document.activeElement?.id;
    document.activeElement?.blur();
    return id;
  });
  await settle(page);
  const shot = await page.screenshot();
  if (focus) await page.focus(`#${focus}`);
  return shot;
}

/** Waits for presentation mode to end, then checks that the normal page is exactly as it was
 * before (`before` from pageState, `beforeShot` from normalShot): every element in its place,
 * <html>'s attributes, the scroll position, the focus back on the button that entered, no full
 * screen, and the same picture. */
async function expectRestored(page, before, beforeShot, size, way) {
  await page
    .waitForFunction(() => !document.documentElement.classList.contains('presentation'), null, { timeout: 10_000 })
    .catch(() => assert.fail(`after ${way}: still in presentation mode`));
  await settle(page);
  const after = await pageState(page);
  assert.deepEqual(
    { ...after, focus: undefined },
    { ...before, focus: undefined },
    `after ${way}: the page is as it was`,
  );
  assert.equal(after.focus, 'ring-present', `after ${way}: the focus is back on the button`);
  assert.equal(await page.evaluate(() => document.fullscreenElement), null, `after ${way}: not full screen`);
  const afterShot = await normalShot(page);
  const diff = await pixelDiff(page, beforeShot, afterShot);
  if (diff.n) {
    const stem = path.join(output, `present-exit-${size.width}x${size.height}`);
    writeFileSync(`${stem}-before.png`, beforeShot);
    writeFileSync(`${stem}-after.png`, afterShot);
  }
  // The same picture. Chromium may anti-alias a rounded panel corner differently once
  // the panel has been composited in the overlay (seen: 9–22 pixels, all on corners);
  // anything moved by even 1 px would change thousands of pixels.
  console.log(`# ${size.width}×${size.height} after ${way}: ${diff.n} pixels differ ${diff.where}`);
  assert.ok(diff.n <= 100, `after ${way}: the page looks as it did (${diff.n} pixels differ: ${diff.where})`);
}

const SLIDES = {
  ring: { key: '1', shown: ['#ring', '#timeline', '#reading', '.ring-toolbar', '.ring-legend'], hidden: ['#plot-pl', '#claims'] },
  plots: { key: '2', shown: ['#plot-pl', '#plot-depth', '#reading', '#claims'], hidden: ['#ring', '#timeline'] },
  // The overview: the ring and its playback bar beside the plots (the lanes are on slide 1).
  both: { key: '3', shown: ['#ring', '#plot-pl', '#plot-depth', '#reading', '.ring-toolbar'], hidden: ['#claims', '#timeline'] },
};

/** Checks one slide: its panels inside the window and apart, the text apart, large enough and
 * off the canvases. */
async function checkSlide(page, name, size) {
  const { shown, hidden } = SLIDES[name];
  await page.waitForSelector(`#presentation-stage[data-slide="${name}"]`);
  await settle(page);
  await settle(page);
  const panels = await boxesOf(page, [...shown, ...hidden, '.pres-bar']);
  for (const s of shown) {
    const b = panels[s];
    assert.ok(b, `${name} ${size.width}×${size.height}: ${s} is shown`);
    assert.ok(
      b.left >= -0.5 && b.top >= -0.5 && b.right <= size.width + 0.5 && b.bottom <= size.height + 0.5,
      `${name}: ${s} inside the window: ${JSON.stringify(b)}`,
    );
    const canvas = ['#ring', '#timeline', '#plot-pl', '#plot-depth'].includes(s);
    const [w, h] = canvas ? [240, 120] : [120, 30];
    assert.ok(b.right - b.left >= w && b.bottom - b.top >= h, `${name}: ${s} large enough: ${JSON.stringify(b)}`);
  }
  for (const s of hidden) assert.ok(!panels[s], `${name}: ${s} is not on this slide`);
  // The panels, as blocks, do not overlap (the toolbar and legend belong to the ring panel and
  // are compared with the plots and the claims only).
  const blocks = ['#ring', '#timeline', '#plot-pl', '#plot-depth', '#reading', '#claims', '.pres-bar']
    .map((s) => panels[s])
    .filter(Boolean);
  const clash = overlapping(blocks);
  assert.equal(clash.length, 0, `${name}: panels overlap: ${describePairs(clash)}`);

  const texts = await textBoxes(page, '#presentation');
  assert.ok(texts.length > 20, `${name}: text on the slide (${texts.length} boxes)`);
  const textClash = overlapping(texts);
  assert.equal(textClash.length, 0, `${name}: text overlaps: ${describePairs(textClash)}`);
  const canvases = ['#ring', '#timeline', '#plot-pl', '#plot-depth'].map((s) => panels[s]).filter(Boolean);
  const onCanvas = texts.flatMap((t) => canvases.filter((c) => overlapping([t, c]).length).map((c) => [t, c]));
  assert.equal(onCanvas.length, 0, `${name}: HTML text over a canvas: ${describePairs(onCanvas)}`);
  // Readable from the back of the room: 1/60 of the window height (18 px at 1080p).
  const minPx = size.height / 60;
  const small = texts.filter((t) => t.fontSize < minPx - 0.05);
  assert.equal(small.length, 0, `${name}: text under ${minPx} px: ${small.slice(0, 5).map((t) => `${t.text} (${t.where}, ${t.fontSize}px)`).join('; ')}`);
  const smallest = Math.min(...texts.map((t) => t.fontSize));
  console.log(`# ${size.width}×${size.height} slide ${name}: ${texts.length} text boxes, smallest ${smallest.toFixed(1)} px`);
  await page.screenshot({ path: path.join(output, `present-${name}-${size.width}x${size.height}.png`) });
}

for (const size of [{ width: 1280, height: 720 }, { width: 1920, height: 1080 }]) {
  test(`presentation at ${size.width}×${size.height}: three slides, no overlap, large text; every way out restores the page`, async () => {
    const { context, page, problems } = await openPage(browser, `${baseUrl}#n=12&circuits=2&shots=20`, { viewport: size });
    try {
      await page.waitForSelector('#plots[data-state="done"]', { timeout: 90_000 });
      await addStandIns(page);
      // Somewhere down the page, so that the scroll position has to come back.
      await page.evaluate(() => window.scrollTo(0, 200));
      await settle(page);
      const before = await pageState(page);
      const beforeShot = await normalShot(page);

      // In by the ring's button; slides by key; out by the button.
      await page.click('#ring-present');
      await page.waitForSelector('html.presentation[data-presentation="true"]');
      assert.equal(await page.isVisible(`#presentation-exit`), true);
      assert.match(await page.textContent('#presentation-exit'), /Exit presentation/);
      assert.match(await page.textContent('.pres-keys'), /Esc/);
      for (const name of ['ring', 'plots', 'both']) {
        await page.keyboard.press(SLIDES[name].key);
        await checkSlide(page, name, size);
      }
      // PageDown / PageUp (a presentation clicker) step through the slides.
      await page.keyboard.press('PageDown');
      await page.waitForSelector('#presentation-stage[data-slide="ring"]');
      await page.keyboard.press('PageUp');
      await page.waitForSelector('#presentation-stage[data-slide="both"]');
      // Keys still reach the ring: space plays, space pauses.
      await page.keyboard.press(' ');
      await page.waitForSelector('canvas#ring[data-playing="true"]');
      await page.keyboard.press(' ');
      await page.waitForSelector('canvas#ring[data-playing="false"]');
      // Back to the start, where the page was (the screenshots compare the ring too).
      await page.keyboard.press('Home');
      await page.waitForSelector('canvas#ring[data-time="0.00"]');

      const ways = [
        ['the Exit button', async () => page.click('#presentation-exit')],
        ['Escape', async () => page.keyboard.press('Escape')],
        ['leaving full screen', async () => page.evaluate(() => document.exitFullscreen())],
      ];
      for (const [i, [way, leave]] of ways.entries()) {
        if (i > 0) {
          await page.evaluate(() => window.scrollTo(0, 200));
          await page.click('#ring-present');
          await page.waitForSelector('html.presentation');
        }
        const fullscreen = await page.evaluate(() => document.fullscreenElement?.tagName ?? null);
        if (way === 'leaving full screen') {
          assert.equal(fullscreen, 'HTML', 'presentation mode asked for full screen (and got it)');
        }
        await leave();
        await expectRestored(page, before, beforeShot, size, way);
      }
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
}

// Escape leaves presentation mode from anywhere in it, also while one of its fields has the
// focus: a text field and a number field (the slides have none of their own yet, so two are
// added to the reading banner, which every slide shows), the x-axis and speed selects (closed),
// the ring's slider. Run with full screen refused (an iframe, a phone, a kiosk browser), where
// no browser takes Escape first, and with full screen granted.
test('Escape leaves presentation mode while a field inside it has the focus', async () => {
  const size = { width: 1280, height: 720 };
  const { context, page, problems } = await openPage(browser, `${baseUrl}#n=12&circuits=2&shots=20`, { viewport: size });
  try {
    await page.waitForSelector('#plots[data-state="done"]', { timeout: 90_000 });
    await addStandIns(page);
    await page.evaluate(() => {
      const reading = document.getElementById('reading');
      for (const [id, type] of [['pres-test-text', 'text'], ['pres-test-number', 'number']]) {
        const input = document.createElement('input');
        input.id = id;
        input.type = type;
        input.setAttribute('aria-label', `test ${type} field`);
        reading.append(input);
      }
    });
    await page.evaluate(() => window.scrollTo(0, 200));
    await settle(page);
    const before = await pageState(page);
    const beforeShot = await normalShot(page);
    const fields = [
      ['#pres-test-text', 'ring', 'a text field'],
      ['#pres-test-number', 'plots', 'a number field'],
      ['#x-axis', 'plots', 'a select'],
      ['#ring-speed', 'ring', 'the speed select'],
      ['#ring-scrub', 'both', 'a slider'],
    ];
    for (const fullscreen of ['refused', 'granted']) {
      if (fullscreen === 'refused') {
        await page.evaluate(() => {
          window.__requestFullscreen = Element.prototype.requestFullscreen;
          Element.prototype.requestFullscreen = () => Promise.reject(new TypeError('refused by the test'));
        });
      } else {
        await page.evaluate(() => { Element.prototype.requestFullscreen = window.__requestFullscreen; });
      }
      for (const [selector, slide, what] of fields) {
        const way = `Escape in ${what} (${selector}), full screen ${fullscreen}`;
        await page.evaluate(() => window.scrollTo(0, 200));
        await page.click('#ring-present');
        await page.waitForSelector('html.presentation');
        await page.keyboard.press(SLIDES[slide].key);
        await page.waitForSelector(`#presentation-stage[data-slide="${slide}"]`);
        await page.focus(selector);
        const focused = await page.evaluate((s) => document.activeElement === document.querySelector(s)
          && !!document.activeElement.closest('#presentation'), selector);
        assert.ok(focused, `${way}: the field inside the presentation has the focus`);
        const isFull = await page.evaluate(() => document.fullscreenElement !== null);
        assert.equal(isFull, fullscreen === 'granted', `${way}: full screen as set up`);
        await page.keyboard.press('Escape');
        await expectRestored(page, before, beforeShot, size, way);
      }
    }
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
