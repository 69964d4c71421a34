// The one way the tests and the benchmark open the built page: preview/dist served on 127.0.0.1 by python3's
// http.server, and headless Chromium (Debian's /usr/bin/chromium, or $CHROMIUM) driven by playwright-core.
// Used by preview/test/e2e.mjs and bench/browser.mjs; it opens no page itself.

import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** Serves preview/dist and launches Chromium: `{ base, browser, close }` (close stops both). */
export async function start() {
  const server = spawn('python3', ['-u', '-m', 'http.server', '0', '--bind', '127.0.0.1', '--directory',
    join(root, 'preview/dist')], { stdio: ['ignore', 'pipe', 'ignore'] });
  let browser;
  const close = async () => {
    await browser?.close();
    server.kill();
  };
  try {
    const base = await new Promise((ok, fail) => {
      const timer = setTimeout(() => fail(new Error('the server did not start within 10 s')), 10_000);
      server.stdout.on('data', (chunk) => {
        const port = /port (\d+)/.exec(String(chunk))?.[1];
        if (port) {
          clearTimeout(timer);
          ok(`http://127.0.0.1:${port}/`);
        }
      });
      server.on('exit', (code) => fail(new Error(`the server exited (${code})`)));
    });
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    return { base, browser, close };
  } catch (e) {
    await close();
    throw e;
  }
}
