// /__emulator/…: the dev emulator's control surface, served only when the config enables devEmulator,
// and then only to a loopback Host with a same-origin or absent Origin.
import { describe, expect, it } from 'vitest';
import { NOW, harness, problemOf, testConfig, tokenRequest } from './_mint-helpers.js';

const DEV = 'http://127.0.0.1:8787';
const control = (path: string, method: string, body?: unknown, contentType = 'application/json', base = DEV, headers: Record<string, string> = {}): Request =>
  new Request(`${base}/__emulator${path}`, { method, headers: { ...headers, ...(body === undefined ? {} : { 'content-type': contentType }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

describe('dev emulator control surface', () => {
  it('is a plain 404 when the config has no devEmulator', async () => {
    const config = testConfig((c) => {
      delete c.devEmulator;
      for (const profile of Object.values(c.profiles)) {
        delete profile.upstream;
        profile.options = { ...(profile.options as object), environment: 'sandbox' };
      }
    });
    const h = await harness({ env: { TOKENMINT_CONFIG: config } });
    for (const request of [control('', 'GET'), control('/requests', 'GET'), control('/faults', 'POST', { status: 500 })]) {
      expect(await problemOf(await h.call(request))).toMatchObject({ status: 404, code: 'not_found' });
    }
  });

  it('injected faults reach the profiles that use the emulator; DELETE clears them', async () => {
    const h = await harness();
    const injected = await h.call(control('/faults', 'POST', { provider: 'paypal', status: 500, times: 3 }));
    expect([injected.status, await injected.json()]).toEqual([201, { remaining: 3 }]);
    expect(await problemOf(await h.call(tokenRequest({ profile: 'widget' })))).toMatchObject({ code: 'upstream_unavailable' });
    await h.call(control('/faults', 'POST', { provider: 'paypal', status: 500 }));
    expect((await h.call(control('/faults', 'DELETE'))).status).toBe(204);
    expect((await h.call(tokenRequest({ profile: 'widget' }))).status).toBe(200);
  });

  it('lifetimes: PUT replaces the emulator and forgets the server tokens, so the next token has the new lifetime', async () => {
    const h = await harness();
    await h.call(tokenRequest({ profile: 'widget' }));
    const put = await h.call(control('/lifetimes', 'PUT', { paypalClientToken: 45 }));
    expect(await put.json()).toEqual({ lifetimes: { paypalClientToken: 45 } });
    expect(await (await h.call(tokenRequest({ profile: 'widget' }))).json()).toMatchObject({ expiresIn: 45, expiresAt: NOW + 45_000 });
    expect(h.emulators).toHaveLength(2);
    expect(await (await h.call(control('', 'GET'))).json()).toEqual({ lifetimes: { paypalClientToken: 45 }, requests: 2 });
  });

  it('the request log shows method, path and time only (headers and bodies carry credentials)', async () => {
    const h = await harness();
    await h.call(tokenRequest({ profile: 'widget' }));
    const text = await (await h.call(control('/requests', 'GET'))).text();
    expect(JSON.parse(text)).toEqual({
      requests: [
        { provider: 'paypal', method: 'POST', path: '/paypal/v1/oauth2/token', at: NOW },
        { provider: 'paypal', method: 'POST', path: '/paypal/v1/identity/generate-token', at: NOW },
      ],
    });
    expect(text).not.toContain('PLANTED');
  });

  it('reset (JSON POST) forgets requests, faults and the cached server tokens', async () => {
    const h = await harness();
    await h.call(tokenRequest({ profile: 'checkout' }));
    await h.call(control('/faults', 'POST', { provider: 'kitegateway', status: 500 }));
    expect((await h.call(control('/reset', 'POST', {}))).status).toBe(204);
    expect(h.emulators[0]!.requests).toEqual([]);
    await h.call(tokenRequest({ profile: 'checkout' }));
    expect(h.emulators[0]!.requests.map((r) => r.path)).toEqual(['/paypal/v1/oauth2/token']); // fetched again
  });

  it('mutations need a JSON body, so a cross-site form cannot drive them; bad shapes are 400', async () => {
    const h = await harness();
    expect(await problemOf(await h.call(control('/reset', 'POST', {}, 'text/plain')))).toMatchObject({ status: 415 });
    expect(await problemOf(await h.call(control('/faults', 'POST', { status: 'boom' })))).toMatchObject({ status: 400, code: 'invalid_request' });
    expect(await problemOf(await h.call(control('/lifetimes', 'PUT', { kitegateway: 5 })))).toMatchObject({ status: 400, code: 'invalid_request' });
    expect(await problemOf(await h.call(control('/nope', 'GET')))).toMatchObject({ status: 404 });
  });

  it('answers only a loopback Host with a same-origin or absent Origin: a DNS-rebinding page drives nothing', async () => {
    const h = await harness();
    // A rebinding page: its own name now resolves to 127.0.0.1, so the browser sends that name as Host and
    // the page's origin as Origin (same-origin, as far as the browser knows).
    const rebound = 'http://rebind.attacker.example:8787';
    for (const request of [
      control('/requests', 'GET', undefined, undefined, rebound),
      control('/faults', 'POST', { provider: 'paypal', status: 500, times: 100 }, undefined, rebound, { origin: rebound }),
      control('/reset', 'POST', {}, undefined, rebound, { origin: rebound }),
      control('/requests', 'GET', undefined, undefined, 'https://mint.example'),
    ]) {
      expect(await problemOf(await h.call(request)), request.url).toMatchObject({ status: 404, code: 'not_found' });
    }
    // The real loopback name, driven by another site's page: refused.
    for (const origin of ['https://evil.example', 'http://localhost:8787', 'null']) {
      const response = await h.call(control('/faults', 'POST', { provider: 'paypal', status: 500, times: 100 }, undefined, DEV, { origin }));
      expect(await problemOf(response), origin).toMatchObject({ status: 403, code: 'origin_not_allowed' });
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
    }
    // Nothing of that reached the emulator: no fault was injected.
    expect((await h.call(tokenRequest({ profile: 'widget' }))).status).toBe(200);
    // The playground page itself (same origin) and tools such as curl (no Origin) are served, on every loopback name.
    expect((await h.call(control('/faults', 'DELETE', undefined, undefined, DEV, { origin: DEV }))).status).toBe(204);
    for (const base of [DEV, 'http://localhost:8787', 'http://[::1]:8787', 'http://127.0.0.2:9000']) {
      expect((await h.call(control('/requests', 'GET', undefined, undefined, base))).status, base).toBe(200);
    }
  });
});
