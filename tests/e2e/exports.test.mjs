// End-to-end tests of the exports (issue 13): each file stands alone. The plot CSV carries a
// header block (version, reading, every parameter and knob); the PNGs are at device resolution
// with a caption (drawn, and as iTXt metadata); the Stim export is byte for byte what
// `clinr circuit` prints (target/release/clinr, or CLINR_BIN; scripts/test.sh builds it).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { launch, openPage, download, repo } from './harness.mjs';

const CLINR =
  process.env.CLINR_BIN ?? path.resolve(repo, process.env.CARGO_TARGET_DIR ?? 'target', 'release', 'clinr');

let server;
let baseUrl;
let browser;

before(async () => {
  ({ server, baseUrl, browser } = await launch('/clinr/e2e/exports/'));
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** PNG facts: size from IHDR, and the iTXt chunks as keyword → text. */
function readPng(buf) {
  assert.deepEqual([...buf.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
  assert.equal(buf.toString('latin1', 12, 16), 'IHDR');
  const info = { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20), texts: {} };
  let at = 8;
  while (at + 12 <= buf.length) {
    const len = buf.readUInt32BE(at);
    const kind = buf.toString('latin1', at + 4, at + 8);
    if (kind === 'iTXt') {
      const body = buf.subarray(at + 8, at + 8 + len);
      const zero = body.indexOf(0);
      const key = body.toString('latin1', 0, zero);
      // flag, method, language\0, translated keyword\0, UTF-8 text
      let rest = body.subarray(zero + 3);
      rest = rest.subarray(rest.indexOf(0) + 1);
      rest = rest.subarray(rest.indexOf(0) + 1);
      info.texts[key] = rest.toString('utf8');
    }
    at += 12 + len;
  }
  return info;
}

test('the plot CSV starts with a header block: version, reading, every parameter and knob', async () => {
  const { context, page, problems } = await openPage(browser, `${baseUrl}#n=12&circuits=2&shots=20&seed=5`);
  try {
    await page.waitForSelector('#plots[data-state="done"]', { timeout: 60_000 });
    const k1 = await page.isChecked('#ctl-idle_on_resource_during_rspv');
    const reading = k1 ? 'Literal reading' : 'Paper-consistent reading';
    const csv = (await download(page, '#export-csv')).toString('utf8');
    const lines = csv.split('\n');
    const header = lines.filter((l) => l.startsWith('# '));
    const body = lines.filter((l) => l && !l.startsWith('#'));
    assert.equal(lines.findIndex((l) => !l.startsWith('#')), header.length, 'the block comes first');
    assert.match(header[0], /^# CliNR Explorer: p_L and depth plot data$/);
    assert.match(header[1], /^# version: clinr_explorer \d+\.\d+\.\d+( \(git [0-9a-f]{4,40}\))?$/);
    assert.ok(header[2].startsWith(`# reading: ${reading} (K1 idle_on_resource_during_rspv = ${k1}`), header[2]);
    assert.ok(header.includes('# x axis: n (one row per plotted point; every other parameter as below)'));
    // Values as the JSON output writes them (τ_e = 1 may read 1 or 1.0).
    for (const [k, v] of [['n', '12'], ['circuits', '2'], ['shots', '20'], ['seed', '5'], ['tau_e', '1']]) {
      assert.ok(
        header.some((l) => l.startsWith(`#   ${k} = `) && Number(l.split(' = ')[1]) === Number(v)),
        `${k} = ${v} in the header`,
      );
    }
    // Every control of the panel (parameters and knobs) is named in the block.
    const keys = await page.$$eval('.control[data-key]', (rows) => rows.map((r) => r.dataset.key));
    assert.ok(keys.length >= 20, `controls: ${keys}`);
    for (const key of keys) {
      assert.ok(header.some((l) => l.startsWith(`#   ${key} = `)), `${key} missing from the header block`);
    }
    assert.match(body[0], /^n,direct_logical_error_rate_mean,/);
    const xs = (await page.getAttribute('#plots', 'data-xs')).split(',');
    assert.equal(body.length, 1 + xs.length);

    // The other reading is named when K1 flips (and the changed knob is marked).
    await page.click('#preset-k1-toggle');
    await page.waitForFunction((k) => document.getElementById('ctl-idle_on_resource_during_rspv').checked === k, !k1);
    await page.waitForSelector('#plots[data-state="done"]', { timeout: 60_000 });
    const flipped = (await download(page, '#export-csv')).toString('utf8');
    const other = k1 ? 'Paper-consistent reading' : 'Literal reading';
    assert.ok(flipped.includes(`\n# reading: ${other} (K1 idle_on_resource_during_rspv = ${!k1}`), flipped.slice(0, 400));
    assert.ok(flipped.includes(`\n#   idle_on_resource_during_rspv = ${!k1}  (changed)\n`));
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('PNG exports are at device resolution with a caption of parameters, reading and version', async () => {
  const { context, page, problems } = await openPage(browser, `${baseUrl}#n=12&circuits=2&shots=20&seed=5&tau_e=3`, {
    deviceScaleFactor: 2,
  });
  try {
    await page.waitForSelector('#plots[data-state="done"]', { timeout: 60_000 });
    const k1 = await page.isChecked('#ctl-idle_on_resource_during_rspv');
    const reading = k1 ? 'Literal reading' : 'Paper-consistent reading';
    const plot = await page.evaluate(() => {
      const c = document.getElementById('plot-pl');
      return { width: c.width, height: c.height, css: c.clientWidth };
    });
    assert.equal(plot.width, Math.round(plot.css * 2), 'the canvas itself is at 2× resolution');
    const pl = readPng(await download(page, '#export-png-0'));
    assert.equal(pl.width, plot.width, 'same pixels as the canvas (devicePixelRatio 2)');
    assert.ok(pl.height > plot.height + 40, `a caption strip under the plot (${pl.height} vs ${plot.height})`);
    const caption = pl.texts.Description;
    assert.ok(caption, 'the caption is in the file as metadata');
    assert.match(caption, /^CliNR Explorer: logical error rate p_L against n/);
    assert.match(caption, /n = 12, t = 3 \(4 QPUs\), r = 3, p = 0\.0001, τ_e = 3, 2 circuits × 20 samples, seed 5/);
    assert.ok(caption.includes(reading), caption);
    assert.match(caption, /clinr_explorer \d+\.\d+\.\d+/);
    const depth = readPng(await download(page, '#export-png-1'));
    assert.match(depth.texts.Description, /^CliNR Explorer: depth against n/);

    await page.locator('#ring-scrub').fill('40');
    await page.waitForFunction(() => Number(document.getElementById('ring').dataset.time) === 40);
    const sizes = await page.evaluate(() => {
      const r = document.getElementById('ring');
      const t = document.getElementById('timeline');
      return { width: r.width, height: r.height, tl: t.height };
    });
    const ring = readPng(await download(page, '#export-ring'));
    assert.equal(ring.width, sizes.width);
    assert.ok(ring.height > sizes.height + sizes.tl, 'ring, timeline lanes and caption');
    assert.match(ring.texts.Description, /one sampled run \(shot 0 of circuit 0 at τ = 40 layers\)/);
    assert.ok(ring.texts.Description.includes(reading));
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('the Stim export is what `clinr circuit` prints, header line included', async () => {
  const { context, page, problems } = await openPage(browser, `${baseUrl}#n=12&circuits=2&shots=20&seed=5`);
  try {
    const stim = (await download(page, '#export-stim')).toString('utf8');
    assert.match(stim.split('\n')[0], /^# clinr circuit: n=12 s=144 seed=5 index=0 circuit_generator=\S+ size_count=\S+ padding_gates=\S+$/);
    const cli = execFileSync(CLINR, ['circuit', '--n', '12', '--seed', '5', '--index', '0'], { encoding: 'utf8' });
    assert.equal(stim, cli, 'page export = clinr circuit, byte for byte');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
