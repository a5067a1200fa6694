// The τ_e drag of tests/e2e/ring_events.test.mjs under 4× CPU throttling, traced: prints the
// main-thread tasks over 50 ms, the first estimate after release, and what the long tasks held
// (trace event names summed). Not a test: a tool to compare builds (README, "Dragging a slider").
// Usage: node scripts/perf/drag-trace.mjs   (env: ROOT=dist directory, HASH=#…, EACH=1 per task,
// DETAIL=1 layout/paint invalidations, STYLE=css injected before the drag)
import { chromium } from 'playwright-core';
import { startServer } from '../../tests/e2e/serve.mjs';
import path from 'node:path';
const server = await startServer({ root: path.resolve(process.env.ROOT ?? 'dist'), prefix: '/p/' });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless','--no-sandbox','--disable-gpu'] });
const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
const page = await context.newPage();
page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') console.log('console', m.text()); });
const cdp = await context.newCDPSession(page);
await page.goto(server.url + (process.env.HASH ?? ''));
await page.waitForSelector('html[data-ready="true"]');
if (process.env.STYLE) await page.addStyleTag({ content: process.env.STYLE });
await page.waitForTimeout(3000);
const slider = page.locator('#ctl-tau_e-range');
await slider.scrollIntoViewIfNeeded();
const box = await slider.boundingBox();
await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
await page.evaluate(() => { window.__lt = []; new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__lt.push(Math.round(e.duration)); }).observe({ type: 'longtask' }); });
await cdp.send('Tracing.start', { categories: 'devtools.timeline,disabled-by-default-devtools.timeline,blink.user_timing' + (process.env.DETAIL ? ',disabled-by-default-devtools.timeline.invalidationTracking' : ''), transferMode: 'ReturnAsStream' });
const x0 = box.x + box.width * (Math.log(10) / Math.log(500)), x1 = box.x + box.width - 1, y = box.y + box.height / 2;
await page.mouse.move(x0, y); await page.mouse.down();
for (let i = 1; i <= 40; i++) { await page.mouse.move(x0 + ((x1 - x0) * i) / 40, y); await page.waitForTimeout(16); }
await page.mouse.up();
const t0 = Date.now();
await page.waitForFunction(() => document.querySelector('#plots')?.getAttribute('data-first-ms') != null || true);
await page.waitForTimeout(1500);
const first = await page.evaluate(() => [...document.querySelectorAll('[data-first-ms]')].map((e) => e.id + ':' + e.getAttribute('data-first-ms')));
const lt = await page.evaluate(() => window.__lt);
const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
await cdp.send('Tracing.end'); const { stream } = await done;
let data = ''; for (;;) { const c = await cdp.send('IO.read', { handle: stream }); data += c.data; if (c.eof) break; }
await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
console.log(`drag: ${lt.length} long tasks, longest ${Math.max(0, ...lt)}: ${lt.join(' ')}; first-ms ${first}`);
const parsed = JSON.parse(data); const ev = parsed.traceEvents ?? parsed;
const main = ev.find((x) => x.name === 'thread_name' && x.args?.name === 'CrRendererMain');
const mine = ev.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X');
const tasks = mine.filter((e) => e.name === 'RunTask' && e.dur > 50000);
const agg = new Map(); const top = new Map();
for (const t of tasks) {
  const kids = mine.filter((e) => e !== t && e.ts >= t.ts && e.ts + (e.dur ?? 0) <= t.ts + t.dur);
  const names = new Map();
  for (const k of kids) names.set(k.name + (k.args?.data?.functionName ? ':' + k.args.data.functionName : '') + (k.args?.data?.type ? ':' + k.args.data.type : ''), (names.get(k.name + (k.args?.data?.functionName ? ':' + k.args.data.functionName : '') + (k.args?.data?.type ? ':' + k.args.data.type : '')) ?? 0) + k.dur / 1000);
  for (const [k, v] of names) agg.set(k, (agg.get(k) ?? 0) + v);
  if (process.env.EACH) console.log(`task ${(t.dur/1000).toFixed(0)} ms: ${[...names].sort((a,b)=>b[1]-a[1]).slice(0,8).map(([k,v])=>`${k} ${v.toFixed(0)}`).join(', ')}`);
}
console.log(`${tasks.length} RunTasks > 50 ms; summed child events (nested, so overlapping):`);
for (const [k, v] of [...agg].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(v.toFixed(0).padStart(7), k);
if (process.env.DETAIL) {
  const lay = mine.filter((e) => e.name === 'Layout').slice(0, 400);
  const objs = new Map();
  for (const e of lay) { const k = `${e.args?.beginData?.dirtyObjects}/${e.args?.beginData?.totalObjects} partial=${e.args?.beginData?.partialLayout}`; objs.set(k, (objs.get(k) ?? 0) + 1); }
  console.log('Layout dirty/total:', [...objs].sort((a,b)=>b[1]-a[1]).slice(0,10).map(([k,v])=>`${k} ×${v}`).join('; '));
  const inv = ev.filter((e) => e.pid === main.pid && (e.name === 'InvalidateLayout' || e.name === 'ScheduleStyleInvalidationTracking' || e.name === 'LayoutInvalidationTracking' || e.name === 'StyleRecalcInvalidationTracking'));
  const why = new Map();
  for (const e of inv) { const d = e.args?.data ?? {}; const k = `${e.name} ${d.nodeName ?? ''} ${d.reason ?? ''} ${(d.stackTrace?.[0]?.functionName ?? '')}`; why.set(k, (why.get(k) ?? 0) + 1); }
  console.log([...why].sort((a,b)=>b[1]-a[1]).slice(0,25).map(([k,v])=>`${v}× ${k}`).join('\n'));
  const paints = mine.filter((e) => e.name === 'Paint');
  const pk = new Map();
  for (const e of paints) { const d = e.args?.data ?? {}; const c = d.clip ?? []; const k = `node ${d.nodeId} layer ${d.layerId} ${c.length ? Math.round(Math.abs(c[2]-c[0]))+'x'+Math.round(Math.abs(c[5]-c[1])) : ''}`; const o = pk.get(k) ?? [0,0]; pk.set(k, [o[0]+1, o[1]+e.dur/1000]); }
  console.log('Paint:', [...pk].sort((a,b)=>b[1][1]-a[1][1]).slice(0,10).map(([k,v])=>`${k} ×${v[0]} ${v[1].toFixed(0)}ms`).join('; '));
}
await browser.close(); await server.close();
