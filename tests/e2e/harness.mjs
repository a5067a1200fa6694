// Shared set-up of the end-to-end tests (not a test file itself): the Chromium launch flags
// that work offline as root, and the app's URL — E2E_BASE_URL from scripts/test.sh, or a
// server of our own (tests/e2e/serve.mjs) serving dist/ under a sub-path.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from './serve.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repo = path.resolve(here, '../..');
export const output = path.join(here, 'output');

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Starts Chromium alone (for pages opened from file://). */
export function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}

/** Starts Chromium (and a server under `prefix` when no E2E_BASE_URL is given). */
export async function launch(prefix) {
  let server;
  let baseUrl = process.env.E2E_BASE_URL;
  if (!baseUrl) {
    server = await startServer({ root: path.join(repo, 'dist'), prefix });
    baseUrl = server.url;
  }
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  return { server, baseUrl, browser };
}

/**
 * Opens `url` in a fresh context of `browser` and waits for the app; collects console errors,
 * page errors, failed loads and HTTP errors in `problems`.
 */
export async function openPage(browser, url, contextOptions = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...contextOptions });
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
  await page.goto(url);
  await page.waitForSelector('html[data-ready="true"]', { timeout: 30_000 });
  await page.waitForSelector('canvas#ring[data-time]', { timeout: 30_000 });
  return { context, page, problems };
}

/** Clicks `selector` and returns the downloaded file as a Buffer. */
export async function download(page, selector) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  const { readFileSync } = await import('node:fs');
  return readFileSync(await file.path());
}

/** The URL hash as key → value (without the `#`). */
export function hashParams(url) {
  const hash = new URL(url).hash.replace(/^#/, '');
  return Object.fromEntries(hash.split('&').filter(Boolean).map((kv) => kv.split('=')));
}
