// Smoke scenario inside Chromium: the page imports dist/core/index.js through an import map and runs the
// shared scenario; this test only drives it and reports.
import { expect, test } from '@playwright/test';

// Requests the page started but never finished, reported when the test fails or times out.
const inFlight = new Map<object, string>();

test.afterEach(async ({}, testInfo) => {
  if (testInfo.status !== testInfo.expectedStatus && inFlight.size > 0) {
    const list = [...inFlight.values()].join('\n  ');
    console.error(
      `requests still pending:\n  ${list}\n` +
        'hint: a same-origin 401 carrying WWW-Authenticate: Basic makes Chromium hold the fetch for a login ' +
        "prompt (forever, headless) unless the request is made with credentials: 'omit'.",
    );
  }
  inFlight.clear();
});

test('chromium: client_credentials smoke scenario against dist/core/index.js', async ({ page, browser }) => {
  const baseUrl = process.env.TOKEN_SERVER_URL;
  expect(baseUrl, 'TOKEN_SERVER_URL set by globalSetup').toBeTruthy();
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => msg.type() === 'error' && problems.push(`console: ${msg.text()} (${msg.location().url})`));
  page.on('request', (r) => inFlight.set(r, `${r.method()} ${r.url()}`));
  page.on('requestfinished', (r) => inFlight.delete(r));
  page.on('requestfailed', (r) => inFlight.delete(r));

  const nav = await page.goto(`${baseUrl}/tests/browser/smoke.html`);
  expect(nav?.status()).toBe(200);
  await page.waitForFunction(() => document.body.dataset.ready === 'true');
  const r = (await page.evaluate(() => (window as unknown as { runSmoke(): Promise<unknown> }).runSmoke())) as {
    ok: boolean;
    passed?: string[];
    error?: string;
    stack?: string;
  };

  console.log(`Chromium ${browser.version()}: ${r.passed?.length ?? 0} scenario checks passed`);
  expect(r.error ?? '', r.stack).toBe('');
  expect(r.ok).toBe(true);
  expect(r.passed?.length ?? 0).toBeGreaterThan(20);
  // The 401 of the wrong-credentials step is logged by Chromium as a console error; anything else is not expected.
  expect(problems.filter((p) => !/status of 401/.test(p))).toEqual([]);
});
