// The session widget pays through the Worker's proxy: "Pay" creates a PayPal order (emulated) with the
// server token the Worker attaches; the page never holds that token. A route outside the allow-list
// and a provider outage show their problem codes; the timeline marks proxied calls.
import { emulator, expect, playgroundLog, test, widget, workerUrl } from './_fixtures.ts';

test.beforeEach(async () => {
  await emulator('DELETE', '/faults');
  await emulator('POST', '/reset', {});
});

const order = (page: import('@playwright/test').Page) => page.locator('.panel[data-mode="session"] .order');

test('Pay creates an order through the proxy and shows its id; the timeline marks the call', async ({ page }) => {
  await page.goto(workerUrl());
  await expect(widget(page, 'session')).toHaveAttribute('data-state', 'ready');
  await page.locator('.panel[data-mode="session"] .pay').click();
  await expect(order(page)).toHaveText(/^Order [0-9A-Z]{17} CREATED \(through the proxy\)$/);
  const id = /Order (\w+)/.exec((await order(page).textContent()) ?? '')![1];

  const log = await playgroundLog(page);
  expect(log.filter((e) => (e.type as string) === 'proxy')).toEqual([expect.objectContaining({ mode: 'session', status: 201, orderId: id })]);
  await expect(page.locator('#timeline .proxy').first()).toBeAttached();
  // The emulator saw the order created with the Worker's server token: the browser never sent one.
  const { requests } = (await (await fetch(`${workerUrl()}/__emulator/requests`)).json()) as { requests: { method: string; path: string }[] };
  expect(requests.map((r) => `${r.method} ${r.path}`)).toContain('POST /paypal/v2/checkout/orders');
});

test('a route outside the allow-list shows route_not_allowed; a provider outage shows upstream_api_unavailable', async ({ page }) => {
  await page.goto(workerUrl());
  await expect(widget(page, 'session')).toHaveAttribute('data-state', 'ready');
  await page.locator('.panel[data-mode="session"] .refund').click();
  await expect(order(page)).toHaveText('Proxy refused: route_not_allowed');

  await emulator('POST', '/faults', { provider: 'paypal', status: 503, times: 1 });
  await page.locator('.panel[data-mode="session"] .pay').click();
  await expect(order(page)).toHaveText('Proxy refused: upstream_api_unavailable');
  const codes = (await playgroundLog(page)).filter((e) => (e.type as string) === 'proxy-error').map((e) => [e.status, e.code]);
  expect(codes).toEqual([[403, 'route_not_allowed'], [502, 'upstream_api_unavailable']]);

  // Once the provider answers again, paying works.
  await page.locator('.panel[data-mode="session"] .pay').click();
  await expect(order(page)).toHaveText(/^Order [0-9A-Z]{17} CREATED/);
});
