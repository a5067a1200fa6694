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
