// examples/widget as a user runs it: app.mjs bundled with esbuild as its header says ('tokenmint/widget'
// resolved to this checkout's source), opened with ?emulator=<the Worker's URL>. Playwright serves the
// page under /widget-example/ of the Worker's own origin, one the demo profiles allow. (Served at
// http://localhost:PORT instead, Chromium's local network access checks refuse its calls to 127.0.0.1:
// a route-fulfilled page does not count as loopback.)
import { mkdirSync, readFileSync } from 'node:fs';
import { build } from 'esbuild';
import { CACHE, ROOT } from '../../scripts/lib/hermetic-env.mjs';
import { emulator, expect, test, workerUrl } from './_fixtures.ts';

const EXAMPLE = `${ROOT}examples/widget`;
const BUNDLE = `${CACHE}/playground/widget-example.js`;

test.beforeAll(async () => {
  mkdirSync(`${CACHE}/playground`, { recursive: true });
  await build({
    entryPoints: [`${EXAMPLE}/app.mjs`],
    absWorkingDir: ROOT,
    alias: { 'tokenmint/widget': './src/widget/index.ts' },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    outfile: BUNDLE,
    logLevel: 'warning',
  });
});

test.beforeEach(async () => {
  await emulator('DELETE', '/faults');
  await emulator('POST', '/reset', {});
});

test('the widget example gets a session token and creates an order through the proxy', async ({ page }) => {
  const worker = new URL(workerUrl());
  const pageUrl = `${worker.origin}/widget-example`;
  await page.route(`${pageUrl}/**`, (route) => {
    const file = new URL(route.request().url()).pathname.slice('/widget-example'.length);
    if (file === '/index.html') return route.fulfill({ contentType: 'text/html', body: readFileSync(`${EXAMPLE}/index.html`, 'utf8') });
    if (file === '/app.js') return route.fulfill({ contentType: 'text/javascript', body: readFileSync(BUNDLE, 'utf8') });
    return route.fulfill({ status: 404 });
  });
  const tokenRequests: string[] = [];
  page.on('request', (request) => request.url().startsWith(`${worker.origin}/v1/`) && tokenRequests.push(`${request.method()} ${new URL(request.url()).pathname}`));

  await page.goto(`${pageUrl}/index.html?emulator=${worker.origin}`);
  await expect(page.locator('#token')).toHaveText(/^Bearer token, expires at \S+/);
  await page.locator('#pay').click();
  await expect(page.locator('#order')).toHaveText(/^order [0-9A-Z]{17} CREATED$/);

  // The token came from the Worker's demo-session profile and the order went through its proxy; the
  // emulated PayPal saw the order created with the Worker's server token.
  expect(tokenRequests).toEqual(expect.arrayContaining(['POST /v1/tokens', 'POST /v1/proxy/demo-session/v2/checkout/orders']));
  const { requests } = (await (await fetch(`${workerUrl()}/__emulator/requests`)).json()) as { requests: { method: string; path: string }[] };
  expect(requests.map((r) => `${r.method} ${r.path}`)).toContain('POST /paypal/v2/checkout/orders');
});
