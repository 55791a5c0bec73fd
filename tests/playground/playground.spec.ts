// The playground against the real Worker under `wrangler dev` (started by _global-setup.ts), in real
// time: lifetimes are shortened instead of faking the page clock.
import { mkdirSync } from 'node:fs';
import { CACHE } from '../../scripts/lib/hermetic-env.mjs';
import { emulator, expect, playgroundLog, probe, test, widget, workerUrl, type LogEvent, type Probe } from './_fixtures.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const of = (log: LogEvent[], mode: string, ...types: string[]) => log.filter((e) => e.mode === mode && types.includes(e.type));

test.beforeEach(async () => {
  // Faults or lifetimes left by an earlier test must not leak into this one.
  await emulator('DELETE', '/faults');
  await emulator('POST', '/reset', {});
});

test('both modes: the widget gets a token; a session token shows its claims', async ({ page }) => {
  await page.goto(workerUrl());
  await expect(widget(page, 'session')).toHaveAttribute('data-state', 'ready');
  await expect(widget(page, 'upstream')).toHaveAttribute('data-state', 'ready');

  const session = page.locator('.panel[data-mode="session"]');
  const claim = (name: string) => session.locator('.claims tr', { has: page.locator(`th:text-is("${name}")`) }).locator('td');
  await expect(claim('aud')).toHaveText('tokenmint-demo');
  await expect(claim('origin')).toHaveText(workerUrl());
  await expect(claim('scope')).toHaveText('checkout');
  const iat = Number.parseInt((await claim('iat').textContent()) ?? '', 10);
  const exp = Number.parseInt((await claim('exp').textContent()) ?? '', 10);
  expect(exp - iat).toBe(300); // demo-session's maxExpiresIn
  await expect(session.locator('.t-type')).toContainText('Bearer, JWT');

  const upstream = page.locator('.panel[data-mode="upstream"]');
  await expect(upstream.locator('.t-type')).toContainText('ClientToken, opaque provider token');
  await expect(upstream.locator('.claims')).toBeHidden();
  const log = await playgroundLog(page);
  expect(of(log, 'session', 'issued')).toHaveLength(1);
  expect(of(log, 'upstream', 'issued')).toHaveLength(1);
  expect(log.filter((e) => e.type === 'error' || e.type === 'widget-error')).toEqual([]);
});

test('an upstream outage shorter than the token lifetime is invisible to the widget', async ({ page }, testInfo) => {
  test.setTimeout(90_000); // ~22 s of real time by design; the rest is slack for a loaded machine
  // 24 s tokens are refreshed at half-life (12 s). The outage covers that moment with seconds to spare
  // either side, 6 s → 16 s (later by however long the click takes), and ends well before the token
  // would stop being handed out (~21.6 s). Clicking at 11 s for 6 s missed the 12 s refresh under load.
  await page.goto(`${workerUrl()}/?session=5&upstream=24`);
  await expect(widget(page, 'upstream')).toHaveAttribute('data-state', 'ready');
  const first = of(await playgroundLog(page), 'upstream', 'issued')[0]!;
  await sleep(first.at + 6_000 - Date.now());
  const fault = page.locator('#fault');
  await fault.locator('input[value="seconds"]').check();
  await fault.locator('input[name="seconds"]').fill('10');
  const injected = Date.now(); // the page starts its 10 s at the click, after this
  await fault.getByRole('button', { name: 'Inject' }).click();

  // Meanwhile the widget keeps asking for its token, as a payment widget does before each call.
  const probes: Probe[] = [];
  const states = new Set<string | null>();
  await expect(async () => {
    probes.push(await probe(page, 'upstream'));
    states.add(await widget(page, 'upstream').getAttribute('data-state'));
    expect(of(await playgroundLog(page), 'upstream', 'refresh')).not.toHaveLength(0);
  }).toPass({ intervals: [250], timeout: 30_000 });

  const log = await playgroundLog(page);
  const refresh = of(log, 'upstream', 'refresh')[0]!;
  const errors = of(log, 'upstream', 'error');
  expect(errors.length, 'the outage made the scheduled refresh fail').toBeGreaterThan(0);
  expect(errors.every((e) => e.kept && e.status === 502)).toBe(true);
  expect(refresh.at, 'new token only once the outage was over').toBeGreaterThanOrEqual(injected + 10_000);
  expect(refresh.at, 'new token before the first one expired').toBeLessThan(first.expiresAt!);
  expect(probes.filter((p) => !p.ok || p.left <= 0)).toEqual([]);
  expect([...states]).toEqual(['ready']);
  expect(of(log, 'upstream', 'widget-error', 'expired', 'late')).toEqual([]);

  // The picture: session refreshes, the outage band, the failed refresh and the recovery.
  await page.waitForTimeout(1_000);
  const shot = await page.locator('#timeline-section').screenshot();
  await testInfo.attach('playground-timeline', { body: shot, contentType: 'image/png' });
  mkdirSync(CACHE, { recursive: true });
  await page.locator('#timeline-section').screenshot({ path: `${CACHE}/playground-timeline.png` });
});

test('short lifetimes: both widgets refresh before expiry and never see an error', async ({ page }) => {
  await page.goto(workerUrl());
  await expect(widget(page, 'session')).toHaveAttribute('data-state', 'ready');
  for (const mode of ['session', 'upstream'] as const) {
    const panel = page.locator(`.panel[data-mode="${mode}"]`);
    await panel.locator('input[name="expiresIn"]').fill('4');
    await panel.getByRole('button', { name: 'Restart widget' }).click();
  }
  const probes: Probe[] = [];
  await expect(async () => {
    probes.push(await probe(page, 'session'), await probe(page, 'upstream'));
    const log = await playgroundLog(page);
    expect(of(log, 'session', 'refresh').length).toBeGreaterThanOrEqual(3);
    expect(of(log, 'upstream', 'refresh').length).toBeGreaterThanOrEqual(3);
  }).toPass({ intervals: [500], timeout: 15_000 });

  const log = await playgroundLog(page);
  for (const mode of ['session', 'upstream']) {
    const restart = of(log, mode, 'start').at(-1)!;
    expect(restart.at).toBeGreaterThan(of(log, mode, 'start')[0]!.at);
    const tokens = of(log, mode, 'issued', 'refresh').filter((e) => e.at >= restart.at);
    // Each token lives at most the 4 s asked for, and its successor came before it expired.
    for (const [i, token] of tokens.entries()) {
      expect(token.expiresAt! - token.at).toBeLessThanOrEqual(4_100);
      if (i > 0) expect(token.at).toBeLessThan(tokens[i - 1]!.expiresAt!);
    }
  }
  expect(log.filter((e) => ['error', 'widget-error', 'expired', 'late'].includes(e.type))).toEqual([]);
  expect(probes.filter((p) => !p.ok || p.left <= 0)).toEqual([]);
});

test('no token in localStorage, sessionStorage, cookies, IndexedDB, Cache Storage, the URL or the page', async ({ page, context }) => {
  const tokens: string[] = [];
  const urls: string[] = [];
  page.on('request', (request) => urls.push(request.url()));
  // Passed through unchanged; the test keeps a copy of each token to look for it everywhere else.
  await page.route('**/v1/tokens', async (route) => {
    const response = await route.fetch();
    if (response.status() === 200) tokens.push(((await response.json()) as { accessToken: string }).accessToken);
    await route.fulfill({ response });
  });
  await page.goto(`${workerUrl()}/?session=4`);
  await expect.poll(async () => of(await playgroundLog(page), 'session', 'refresh').length, { timeout: 10_000 }).toBeGreaterThan(0);
  await expect.poll(() => tokens.length).toBeGreaterThanOrEqual(3); // session ×2, upstream ×1

  const kept = await page.evaluate(async () => ({
    local: JSON.stringify({ ...localStorage }),
    localKeys: Object.keys(localStorage),
    session: JSON.stringify({ ...sessionStorage }),
    sessionKeys: Object.keys(sessionStorage),
    cookie: document.cookie,
    indexedDB: JSON.stringify(await indexedDB.databases()),
    caches: JSON.stringify(await caches.keys()),
    url: location.href,
    html: document.documentElement.outerHTML,
    log: JSON.stringify((window as unknown as { playground: { log: unknown } }).playground.log),
  }));
  // Keys and names only in failure messages: a value found there could be a token.
  expect(kept.localKeys).toEqual([]);
  expect(kept.sessionKeys).toEqual([]);
  expect(kept.cookie === '', 'document.cookie is empty').toBe(true);
  expect((await context.cookies()).map((c) => c.name)).toEqual([]);
  const { localKeys, sessionKeys, ...texts } = kept;
  for (const token of tokens) {
    const signature = token.slice(-24); // enough to recognise it anywhere
    for (const [where, text] of Object.entries({ ...texts, urls: urls.join('\n'), pageUrl: page.url() })) {
      expect(text.includes(signature), `a token in ${where}`).toBe(false);
    }
  }
  // The 4 s session widget keeps refreshing: a refresh still in the route when the test ends failed the
  // run under load ("route.fetch: Test ended").
  await page.unrouteAll({ behavior: 'ignoreErrors' });
});

test('the Worker unreachable, or answering HTML: the widgets show typed errors, nothing goes unhandled', async ({ page }) => {
  await page.route('**/v1/tokens', (route) =>
    route.request().postDataJSON().profile === 'demo-session'
      ? route.abort('connectionrefused')
      : route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><p>maintenance</p>' }),
  );
  await page.goto(workerUrl());
  await expect(widget(page, 'session')).toHaveAttribute('data-state', 'error');
  await expect(widget(page, 'upstream')).toHaveAttribute('data-state', 'error');
  await expect(page.locator('.panel[data-mode="session"] .widget-status')).toHaveText('No token: network');
  await expect(page.locator('.panel[data-mode="upstream"] .widget-status')).toHaveText('No token: invalid_response');
  const log = await playgroundLog(page);
  expect(of(log, 'session', 'error').map((e) => e.code)).toContain('network');
  expect(of(log, 'upstream', 'error').map((e) => e.code)).toContain('invalid_response');
});
