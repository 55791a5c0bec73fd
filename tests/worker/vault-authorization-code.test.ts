// The generic authorizationCode provider through the vault, on the RFC 6749 emulator: the authorize
// redirect carries state and a PKCE S256 challenge, the callback's exchange proves the verifier, and
// the rotating refresh token is then held and spent by the vault object alone.
import { describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, codeOf, vaultFleet } from './_vault-helpers.js';

const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
const oauth2 = {
  provider: 'authorizationCode',
  options: { tokenUrl: 'https://emulator.invalid/oauth2/token', authorizeUrl: 'https://emulator.invalid/oauth2/authorize', scope: 'payments' },
};
const tokenRequests = (f: Awaited<ReturnType<typeof vaultFleet>>, grant: string): number =>
  f.emulator.requests.filter((r) => r.path === '/oauth2/token' && new URLSearchParams(r.body).get('grant_type') === grant).length;

describe('vault: the generic authorizationCode provider (PKCE)', () => {
  it('onboards with state + PKCE, mints, and refreshes through the rotating refresh token', async () => {
    const f = await vaultFleet({ provider: oauth2, seed: false });
    const before = await f.mint();
    expect([before.status, await codeOf(before)]).toEqual([503, 'onboarding_required']);

    const start = await f.call(0, new Request('https://mint.example/v1/vault/cybs/authorize', { headers: admin, redirect: 'manual' }));
    const page = new URL(start.headers.get('location')!);
    expect(Object.fromEntries(page.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: 'demo-client',
      redirect_uri: 'https://mint.example/v1/vault/cybs/callback',
      scope: 'payments',
      code_challenge_method: 'S256',
      code_challenge: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      state: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });
    const callback = (await f.emulator.fetch(page.toString(), { redirect: 'manual' })).headers.get('location')!;
    expect((await f.call(0, new Request(callback))).status).toBe(200);
    const exchange = f.emulator.requests.find((r) => r.path === '/oauth2/token')!;
    expect(new URLSearchParams(exchange.body).get('code_verifier')).toMatch(/^[A-Za-z0-9_-]{43}$/);

    expect((await f.mint(1)).status).toBe(200);
    f.clock.advance(3600 * 1000);
    expect((await f.mint(2)).status).toBe(200);
    expect([tokenRequests(f, 'authorization_code'), tokenRequests(f, 'refresh_token')]).toEqual([1, 1]);
  });

  it('a code exchanged without the right verifier is refused: 502 onboarding_exchange_failed, nothing stored', async () => {
    const f = await vaultFleet({ provider: oauth2, seed: false });
    const start = await f.call(0, new Request('https://mint.example/v1/vault/cybs/authorize', { headers: admin, redirect: 'manual' }));
    const page = new URL(start.headers.get('location')!);
    page.searchParams.set('code_challenge', 'A'.repeat(43)); // an attacker's challenge: the vault's verifier cannot match
    const callback = (await f.emulator.fetch(page.toString(), { redirect: 'manual' })).headers.get('location')!;
    const refused = await f.call(0, new Request(callback));
    expect([refused.status, await codeOf(refused)]).toEqual([502, 'onboarding_exchange_failed']);
    expect(f.storage().data.has('vault')).toBe(false);
    expect(await codeOf(await f.mint())).toBe('onboarding_required');
  });
});
