#!/usr/bin/env node
// Makes dist/clinr-explorer.html: the whole app in one HTML file that works opened from
// file:// with no server and no network (README "Download this one file to present offline").
//
// Run by Trunk after every build (Trunk.toml, [[hooks]] stage "post_build", on the staging
// folder in TRUNK_STAGING_DIR), or by hand: `node scripts/single-file.mjs [DIR]` (default dist/).
// No dependencies: Node's zlib and fs only.
//
// What goes in, from Trunk's output in DIR:
//   - index.html, with its stylesheet inlined as <style> and Trunk's loader, preloads and
//     module-preloads removed;
//   - the page's wasm-bindgen module (the JS glue named by Trunk's loader, and its _bg.wasm);
//   - the worker (worker_loader.js names its glue, worker.js, and its wasm, worker_bg.wasm).
// The JS glue and the wasm are stored gzip-compressed in base64 strings and unpacked in the
// browser with DecompressionStream (Chrome 80, Firefox 113, Safari 16.4). The page's glue runs
// from a Blob URL module, its wasm is handed over as bytes (never fetched). The worker is a
// Blob URL whose script holds its glue and its compressed wasm; the page tells the worker pool
// to start it through `globalThis.CLINR_WORKER_URL` (src/web/worker_pool.rs).
//
// The script fails (exit 1, one line on stderr) when Trunk's output does not look as expected,
// so a change of Trunk or wasm-bindgen cannot silently produce a broken file.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const OUTPUT = 'clinr-explorer.html';

function fail(message) {
  console.error(`single-file: ${message}`);
  process.exit(1);
}

const dir = path.resolve(process.argv[2] ?? process.env.TRUNK_STAGING_DIR ?? 'dist');
const read = (name) => {
  const file = path.join(dir, name);
  if (!existsSync(file)) fail(`${file} is missing (run trunk build first)`);
  return readFileSync(file);
};
const packed = (bytes) => gzipSync(bytes, { level: 9 }).toString('base64');

let html = read('index.html').toString('utf8');

// Trunk's loader of the page module: import init from './X.js'; init({ module_or_path: './X_bg.wasm' }).
const loader = html.match(/<script type="module">\s*import init, \* as bindings from '\.\/([\w.-]+\.js)';[\s\S]*?<\/script>/);
if (!loader) fail('Trunk\'s module loader was not found in index.html');
const pageGlueName = loader[1];
const pageWasmName = loader[0].match(/module_or_path: '\.\/([\w.-]+\.wasm)'/)?.[1];
if (!pageWasmName) fail('the page\'s wasm file was not found in Trunk\'s loader');

// The worker: Trunk's loader shim names its glue and its wasm.
const shim = read('worker_loader.js').toString('utf8');
const workerGlueName = shim.match(/importScripts\("\.\/([\w.-]+\.js)"\)/)?.[1];
const workerWasmName = shim.match(/wasm_bindgen\("\.\/([\w.-]+\.wasm)"\)/)?.[1];
if (!workerGlueName || !workerWasmName) fail(`unexpected worker_loader.js: ${shim.slice(0, 200)}`);

const pageGlue = read(pageGlueName).toString('utf8');
const workerGlue = read(workerGlueName).toString('utf8');
for (const [name, glue] of [[pageGlueName, pageGlue], [workerGlueName, workerGlue]]) {
  // wasm-bindgen snippets (inline JS of dependencies) would be separate files: not supported.
  if (/\bfrom\s+['"]\.\.?\//.test(glue) || /\bimport\s*\(\s*['"]\.\.?\//.test(glue)) {
    fail(`${name} imports other files; the single-file page cannot hold them`);
  }
}

// The worker's script: its glue (which defines `wasm_bindgen`), then a start-up that unpacks
// its wasm and starts it. A failure is rethrown outside the promise so that it reaches the
// page as the worker's `error` event (the pool then reports it).
const workerBoot = `
;(async () => {
  const packed = ${JSON.stringify(packed(read(workerWasmName)))};
  const bytes = Uint8Array.from(atob(packed), (c) => c.charCodeAt(0));
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  await wasm_bindgen({ module_or_path: await new Response(stream).arrayBuffer() });
})().catch((e) => setTimeout(() => { throw e; }));
`;

const boot = `<script type="module">
// CliNR Explorer as one file (scripts/single-file.mjs): unpack, then start as Trunk's loader does.
const unpack = async (b64) => {
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Response(stream).arrayBuffer();
};
const text = async (b64) => new TextDecoder().decode(await unpack(b64));
const blobUrl = (source) => URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
const [pageGlue, pageWasm, workerScript] = await Promise.all([
  text(${JSON.stringify(packed(Buffer.from(pageGlue)))}),
  unpack(${JSON.stringify(packed(read(pageWasmName)))}),
  text(${JSON.stringify(packed(Buffer.from(workerGlue + workerBoot)))}),
]);
globalThis.CLINR_WORKER_URL = blobUrl(workerScript);
const bindings = await import(blobUrl(pageGlue));
const wasm = await bindings.default({ module_or_path: pageWasm });
window.wasmBindings = bindings;
dispatchEvent(new CustomEvent('TrunkApplicationStarted', { detail: { wasm } }));
</script>`;

html = html.replace(loader[0], () => boot);
// The stylesheet, inlined.
html = html.replace(/<link rel="stylesheet" href="\.\/([\w.-]+\.css)"[^>]*>/g, (_, name) => {
  const css = read(name).toString('utf8');
  if (/url\(\s*['"]?(?!data:)/.test(css)) fail(`${name} refers to other files (url(...))`);
  return `<style>\n${css.replace(/<\/style/gi, '<\\/style')}\n</style>`;
});
// Preloads of files that are not there any more.
html = html.replace(/<link rel="(?:modulepreload|preload)"[^>]*>/g, '');
html = html.replace('<title>CliNR Explorer</title>', '<title>CliNR Explorer</title>\n    <meta name="generator" content="scripts/single-file.mjs: the whole app in one file" />');

// Nothing may still point at a file next to the page.
const leftover = html.match(/(?:src|href)="(?!data:|#)[^"]*"/);
if (leftover) fail(`the page still refers to a file: ${leftover[0]}`);

writeFileSync(path.join(dir, OUTPUT), html);
const kib = (n) => `${(n / 1024).toFixed(0)} KiB`;
console.log(`single-file: wrote ${path.join(dir, OUTPUT)} (${kib(Buffer.byteLength(html))}; wasm ${kib(read(pageWasmName).length)} + ${kib(read(workerWasmName).length)} before compression)`);
