// /__emulator/…: the dev emulator's control surface, served only when the config enables devEmulator.
import { describe, expect, it } from 'vitest';
import { NOW, get, harness, problemOf, testConfig, tokenRequest } from './_mint-helpers.js';

const control = (path: string, method: string, body?: unknown, contentType = 'application/json'): Request =>
  new Request(`https://mint.example/__emulator${path}`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': contentType } }) });

describe('dev emulator control surface', () => {
  it('is a plain 404 when the config has no devEmulator', async () => {
    const config = testConfig((c) => {
      delete c.devEmulator;
      for (const profile of Object.values(c.profiles)) delete profile.upstream;
    });
    const h = await harness({ env: { TOKENMINT_CONFIG: config } });
    for (const request of [get('/__emulator'), get('/__emulator/requests'), control('/faults', 'POST', { status: 500 })]) {
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
    expect(await (await h.call(get('/__emulator'))).json()).toEqual({ lifetimes: { paypalClientToken: 45 }, requests: 2 });
  });

  it('the request log shows method, path and time only (headers and bodies carry credentials)', async () => {
    const h = await harness();
    await h.call(tokenRequest({ profile: 'widget' }));
    const text = await (await h.call(get('/__emulator/requests'))).text();
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
});
