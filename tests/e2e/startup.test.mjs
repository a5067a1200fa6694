// End-to-end measurement of the page's start-up under a slow laptop's CPU (issue 13 item 9,
// start-up part): Chromium's CPU throttled 4× through CDP (Emulation.setCPUThrottlingRate),
// the page loaded with the paper's defaults. The start-up runs in three tasks (src/web/app.rs):
// the shell and controls, then the plots, then the ring view; each leaves a performance mark.
//
// Checked: the first contentful paint comes before the plots and the ring are built (the heavy
// part is off the first paint), the three steps ran in that order, each in a task of its own
// (the marks are separated by a paint opportunity), and no task of the start-up steps is as
// long as the old single start-up task. Printed: every long task (> 50 ms) from navigation to
// data-ready, the marks and the first paint, so the README's numbers can be re-measured.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './harness.mjs';

let server;
let baseUrl;
let browser;

before(async () => {
  ({ server, baseUrl, browser } = await launch('/clinr/e2e/startup/'));
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test('start-up under 4× CPU throttling: first paint before the heavy steps, no step in one long task', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const page = await context.newPage();
    const problems = [];
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(`console.error: ${msg.text()}`);
    });
    await page.addInitScript(() => {
      window.__longtasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.__longtasks.push({ start: e.startTime, duration: e.duration });
      }).observe({ type: 'longtask', buffered: true });
    });
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    await page.goto(baseUrl);
    await page.waitForSelector('html[data-ready="true"]', { timeout: 60_000 });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
    const m = await page.evaluate(() => {
      const mark = (name) => performance.getEntriesByName(name, 'mark')[0]?.startTime ?? null;
      const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null;
      return {
        marks: Object.fromEntries(['clinr:start', 'clinr:shell', 'clinr:plots', 'clinr:ring', 'clinr:ready'].map((n) => [n, mark(n)])),
        fcp,
        longtasks: window.__longtasks,
        ready: performance.now(),
      };
    });
    const r = (v) => (v === null ? 'none' : v.toFixed(0));
    console.log(`# marks (ms from navigation, 4× throttled): ${Object.entries(m.marks).map(([k, v]) => `${k} ${r(v)}`).join(', ')}; first contentful paint ${r(m.fcp)}`);
    const tasks = m.longtasks.filter((t) => t.start <= m.marks['clinr:ready']);
    console.log(`# long tasks (> 50 ms) up to data-ready: ${tasks.map((t) => `${r(t.duration)} ms at ${r(t.start)}`).join('; ') || 'none'}`);
    const longest = tasks.reduce((a, t) => Math.max(a, t.duration), 0);
    console.log(`# longest task at load: ${r(longest)} ms`);
    const stepTasks = ['clinr:shell', 'clinr:plots', 'clinr:ring'].map((name) => {
      const at = m.marks[name];
      const task = tasks.find((t) => t.start <= at && at <= t.start + t.duration);
      return { name, at, task };
    });
    for (const s of stepTasks) {
      console.log(`# ${s.name}: in a ${s.task ? `${r(s.task.duration)} ms` : 'short (< 50 ms)'} task`);
    }

    for (const name of Object.keys(m.marks)) assert.ok(m.marks[name] !== null, `mark ${name} recorded`);
    const [start, shell, plots, ring, ready] = Object.values(m.marks);
    assert.ok(start <= shell && shell < plots && plots < ring && ring <= ready, 'steps in order');
    assert.ok(m.fcp !== null, 'a first contentful paint');
    // The page (shell and controls) is painted before the plots and the ring are built.
    assert.ok(m.fcp < plots, `first paint (${r(m.fcp)} ms) before the plots step (${r(plots)} ms)`);
    // Each step in its own task: no long task holds two step marks.
    for (let i = 0; i < stepTasks.length; i++) {
      for (let j = i + 1; j < stepTasks.length; j++) {
        const a = stepTasks[i].task;
        assert.ok(!a || a !== stepTasks[j].task, `${stepTasks[i].name} and ${stepTasks[j].name} in one task`);
      }
    }
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
