// The Worker of wrangler.toml, through workerd's own entrypoint (not an import of the module), so this
// also proves wrangler.toml's `main` and compatibility_date start in the bundled workerd.
import { exports } from 'cloudflare:workers';
import { expect, test } from 'vitest';

const call = (path: string, init?: RequestInit): Promise<Response> =>
  (exports as unknown as { default: { fetch(r: Request): Promise<Response> } }).default.fetch(
    new Request(`https://mint.example${path}`, init),
  );

test('GET /healthz answers 200 {"ok":true}, uncacheable', async () => {
  const res = await call('/healthz');
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  expect(res.headers.get('cache-control')).toBe('no-store');
  expect(await res.json()).toEqual({ ok: true });
});

test('anything else is a 404 problem+json with a stable code', async () => {
  const res = await call('/nope');
  expect(res.status).toBe(404);
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  expect(await res.json()).toMatchObject({ status: 404, code: 'not_found' });
});
