// The widget bundle on a page the Worker does not serve: an origin it does not allow, an endpoint
// that is not there, one that answers HTML, and dispose() while requests and timers are pending.
import { expect, test, workerUrl } from './_fixtures.ts';
import { startOtherOrigin, type OtherOrigin } from './_other-origin.ts';
import { freePort } from './_ports.ts';

interface Attempt {
  ok: boolean;
  code?: string;
  tokenError?: boolean;
  errors: string[];
}
type Page = import('@playwright/test').Page;
const attempt = (page: Page, options: Record<string, unknown>): Promise<Attempt> =>
  page.evaluate((o) => (window as unknown as { attempt(o: unknown): Promise<Attempt> }).attempt(o), options);

let other: OtherOrigin;
test.beforeAll(async () => {
  other = await startOtherOrigin();
});
test.afterAll(() => other.close());
test.beforeEach(async ({ page }) => {
  await page.goto(other.url);
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
});

test('a page on a disallowed origin is refused by CORS: the fetch fails, the widget reports a typed error', async ({ page }) => {
  const endpoint = `${workerUrl()}/v1/tokens`;
  const consoleErrors: string[] = [];
  page.on('console', (message) => message.type() === 'error' && consoleErrors.push(message.text()));

  // The Worker refuses this origin (no CORS headers), so the browser does not let the page read anything.
  const server = await fetch(endpoint, { method: 'POST', headers: { origin: other.url, 'content-type': 'application/json' }, body: '{"profile":"demo-session"}' });
  expect(server.status).toBe(403);
  expect(server.headers.get('access-control-allow-origin')).toBeNull();
  const raw = await page.evaluate(async (url) => {
    try {
      await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"profile":"demo-session"}' });
      return 'answered';
    } catch (error) {
      return (error as Error).name;
    }
  }, endpoint);
  expect(raw).toBe('TypeError');

  const result = await attempt(page, { endpoint, profile: 'demo-session' });
  expect(result).toMatchObject({ ok: false, code: 'network', tokenError: true });
  expect(result.errors).toContain('network');
  expect(consoleErrors.some((text) => text.includes('blocked by CORS policy')), consoleErrors.join('\n')).toBe(true);
});

test('an unreachable endpoint, or one answering HTML: a typed error through get() and onError', async ({ page }) => {
  const closed = `http://127.0.0.1:${await freePort()}/v1/tokens`;
  const [unreachable, html, html502] = await Promise.all([
    attempt(page, { endpoint: closed, profile: 'demo-session' }),
    attempt(page, { endpoint: '/not-json', profile: 'demo-session' }),
    attempt(page, { endpoint: '/not-json?status=502', profile: 'demo-session' }),
  ]);
  expect(unreachable).toEqual({ ok: false, code: 'network', tokenError: true, errors: ['network'] });
  expect(html).toEqual({ ok: false, code: 'invalid_response', tokenError: true, errors: ['invalid_response'] });
  // An HTML 5xx (a CDN's error page) keeps its status's meaning, after the retries.
  expect(html502).toEqual({ ok: false, code: 'upstream_error', tokenError: true, errors: ['upstream_error'] });
});

test('dispose() stops every timer and request', async ({ page }) => {
  const stats = async () => (await (await fetch(`${other.url}/stats`)).json()) as { mint: Record<string, number>; hangAborted: number };
  const result = await page.evaluate(async () => {
    type Tracked = { clock: unknown; live: Set<unknown> };
    const w = window as unknown as { tokenmint: typeof import('../../src/widget/index.ts'); trackingClock(): Tracked };
    const { createWidgetTokenClient } = w.tokenmint;
    const client = (endpoint: string, tracked: Tracked) => createWidgetTokenClient({ endpoint, profile: 'p', clock: tracked.clock as never });
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    // Tokens live 2 s, so a client left running refreshes after ~1 s; the disposed one must not.
    const [controlTimers, disposedTimers, hangingTimers] = [w.trackingClock(), w.trackingClock(), w.trackingClock()];
    const control = client('/mint?k=control', controlTimers);
    const disposed = client('/mint?k=disposed', disposedTimers);
    await Promise.all([control.get(), disposed.get()]);
    const scheduled = disposedTimers.live.size; // its refresh timer
    disposed.dispose();
    await sleep(50);
    const disposedLeft = disposedTimers.live.size;
    const afterDispose = await disposed.get().then(() => 'resolved', (error) => error.code);
    // A request under way (with its timeout timer) is aborted.
    const hanging = client('/hang', hangingTimers);
    const pending = hanging.get().then(() => 'resolved', (error) => error.code);
    await sleep(300);
    const hangingScheduled = hangingTimers.live.size;
    hanging.dispose();
    const hangingResult = await pending;
    await sleep(2_500);
    const controlScheduled = controlTimers.live.size;
    control.dispose();
    await sleep(50);
    return {
      afterDispose,
      hanging: hangingResult,
      before: { disposed: scheduled, hanging: hangingScheduled, control: controlScheduled },
      after: { disposed: disposedLeft, hanging: hangingTimers.live.size, control: controlTimers.live.size },
    };
  });
  expect(result.afterDispose).toBe('aborted');
  expect(result.hanging).toBe('aborted');
  // The clocks did see timers while the clients ran, and none is left once they were disposed.
  expect(Object.values(result.before).every((n) => n > 0), JSON.stringify(result.before)).toBe(true);
  expect(result.after).toEqual({ disposed: 0, hanging: 0, control: 0 });
  const seen = await stats();
  expect(seen.mint.control, 'the running client refreshed meanwhile').toBeGreaterThanOrEqual(2);
  expect(seen.mint.disposed, 'the disposed client asked once, before dispose()').toBe(1);
  await expect.poll(async () => (await stats()).hangAborted, { message: 'the hanging request was aborted' }).toBe(1);
});
