// End-to-end tests of the page on a phone and for assistive technology (issue 13):
// - 390×844 touch: the ring first, the plots below, no horizontal scroll, no HTML text over
//   other text, every control at least 44 px to tap, text at least 14 px;
// - axe-core (WCAG 2 A/AA and best practices): no serious or critical violation on the main
//   page, in presentation mode and on the phone; every violation found is printed;
// - the skip link and the landmarks.
// Screenshots: tests/e2e/output/phone-*.png, main-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { launch, openPage, output } from './harness.mjs';
import { textBoxes, overlapping, describePairs, smallTargets, axe, settle } from './layout.mjs';

let server;
let baseUrl;
let browser;

before(async () => {
  ({ server, baseUrl, browser } = await launch('/clinr/e2e/access/'));
  mkdirSync(output, { recursive: true });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const HASH = '#n=12&tau_e=20&p=0.004&circuits=2&shots=20&shot=2';

/** Runs axe and fails on serious or critical violations; prints them all. */
async function axeClean(page, where) {
  const violations = await axe(page);
  for (const v of violations) console.log(`# axe ${where}: ${v.impact} ${v.id} (${v.help}): ${v.nodes.join(', ')}`);
  if (!violations.length) console.log(`# axe ${where}: no violations`);
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad, [], `${where}: serious or critical axe violations`);
}

test('phone 390×844: ring first, plots below, no overlap, 44 px targets, no horizontal scroll, axe clean', async () => {
  const { context, page, problems } = await openPage(browser, `${baseUrl}${HASH}`, {
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
    deviceScaleFactor: 2,
  });
  try {
    await page.waitForSelector('#plots[data-state="done"]', { timeout: 90_000 });
    // Open the model knobs too: their controls count.
    await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
    await settle(page);
    const where = await page.evaluate(() => {
      const top = (s) => document.querySelector(s).getBoundingClientRect().top + scrollY;
      return {
        ring: top('#ring'),
        ringBottom: document.querySelector('#ring').getBoundingClientRect().bottom + scrollY,
        plots: top('#plots'),
        controls: top('#controls'),
        scrollWidth: document.scrollingElement.scrollWidth,
        innerWidth,
      };
    });
    console.log(`# phone: ${JSON.stringify(where)}`);
    assert.ok(where.ringBottom <= 844, `the whole ring is on the first screen: ${where.ringBottom}`);
    assert.ok(where.ring < where.plots && where.plots < where.controls, 'ring, then plots, then controls');
    assert.ok(where.scrollWidth <= where.innerWidth, `no horizontal scroll: ${where.scrollWidth} > ${where.innerWidth}`);

    const boxes = await textBoxes(page);
    assert.ok(boxes.length > 50, `text measured (${boxes.length} boxes)`);
    const clash = overlapping(boxes);
    assert.equal(clash.length, 0, `text overlaps: ${describePairs(clash)}`);
    const small = boxes.filter((b) => b.fontSize < 14 - 0.05);
    assert.equal(small.length, 0, `text under 14 px: ${small.slice(0, 8).map((t) => `${t.text} (${t.where}, ${t.fontSize}px)`).join('; ')}`);
    const wide = boxes.filter((b) => b.right > 390.5 || b.left < -0.5);
    assert.equal(wide.length, 0, `text beyond the screen: ${wide.slice(0, 5).map((t) => t.text).join('; ')}`);
    const targets = await smallTargets(page);
    console.log(`# phone: ${targets.count} tap targets, ${targets.small.length} under 44 px`);
    assert.ok(targets.count > 30, `controls measured (${targets.count})`);
    assert.deepEqual(targets.small, [], 'tap targets under 44 × 44 px');

    await page.screenshot({ path: path.join(output, 'phone-top.png') });
    await page.evaluate(() => document.getElementById('plots').scrollIntoView());
    await settle(page);
    await page.screenshot({ path: path.join(output, 'phone-plots.png') });
    await axeClean(page, 'phone');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('keyboard and assistive technology: skip link, landmarks, axe clean on the page and in presentation mode', async () => {
  const { context, page, problems } = await openPage(browser, `${baseUrl}${HASH}`, { viewport: { width: 1280, height: 720 } });
  try {
    await page.waitForSelector('#plots[data-state="done"]', { timeout: 90_000 });
    // The first Tab stop is the skip link; it is visible when focused and moves the focus to
    // <main> without touching the hash (the page's state).
    const hash = await page.evaluate(() => location.hash);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.className), 'skip-link');
    const skip = await page.locator('.skip-link').boundingBox();
    assert.ok(skip && skip.y >= 0 && skip.height >= 20, `skip link visible when focused: ${JSON.stringify(skip)}`);
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'view');
    assert.equal(await page.evaluate(() => location.hash), hash, 'the hash is unchanged');
    const landmarks = await page.evaluate(() => ({
      banner: document.querySelectorAll('#app > header').length,
      // (Presentation mode's <main> is hidden while it is off.)
      main: [...document.querySelectorAll('main')].filter((m) => m.getClientRects().length).length,
      aside: document.querySelector('aside#controls')?.getAttribute('aria-label'),
      status: document.querySelector('#announcer[role="status"][aria-live="polite"]') !== null,
    }));
    assert.deepEqual(landmarks, { banner: 1, main: 1, aside: 'Controls', status: true });
    // Focus is visible: a focused button gets an outline.
    await page.focus('#ring-play');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Tab');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert.notEqual(outline, 'none', 'focused control has an outline');

    await page.screenshot({ path: path.join(output, 'main-1280x720.png') });
    await axeClean(page, 'main page');
    await page.click('#ring-present');
    await page.waitForSelector('html.presentation');
    await settle(page);
    await axeClean(page, 'presentation');
    await page.keyboard.press('2');
    await settle(page);
    await axeClean(page, 'presentation slide 2');
    await page.click('#presentation-exit');
    await page.setViewportSize({ width: 1920, height: 1080 });
    await settle(page);
    await page.screenshot({ path: path.join(output, 'main-1920x1080.png') });
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
