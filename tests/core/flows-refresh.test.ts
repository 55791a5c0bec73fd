// authorizationCode, refreshTokenFlow and createPkce: single-use codes, PKCE against a server that
// checks S256, refresh token rotation and the onRefreshToken hook.
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { authorizationCode, createPkce, refreshTokenFlow } from '../../src/core/index.js';
import { createOAuthServer, json, type OAuthServer } from '../helpers/oauth-server.js';
import { _ctx, _decodeBasic, _tokenError } from './_oauth-helpers.js';

const NOW = Date.UTC(2030, 0, 1, 12, 0, 0);
const TOKEN_URL = 'https://auth.example.test/oauth/token';
const DAY = 86_400_000;
beforeEach(() => void vi.useFakeTimers({ now: NOW }));
afterEach(() => void vi.useRealTimers());

const _params = (server: OAuthServer) => server.requests.map((request) => Object.fromEntries(request.params));

describe('authorizationCode', () => {
  function _setup(extra: Partial<Parameters<typeof authorizationCode>[0]> = {}) {
    const server = createOAuthServer();
    server.addCode('code-123');
    const onRefreshToken = vi.fn();
    const flow = authorizationCode({
      tokenUrl: TOKEN_URL, clientId: 'client-1', clientSecret: 'secret-1', code: 'code-123',
      redirectUri: 'https://app.example.test/callback', codeVerifier: 'v'.repeat(43), onRefreshToken, fetch: server.fetch, ...extra,
    });
    return { server, flow, onRefreshToken, fetch: () => flow.fetchToken(_ctx(server.fetch)) };
  }

  it('exchanges the code once (RFC 6749 §4.1.3), then refreshes with the latest refresh token', async () => {
    const { server, fetch, onRefreshToken } = _setup();
    const first = await fetch();
    const second = await fetch();
    const third = await fetch();
    expect(_params(server)).toEqual([
      { grant_type: 'authorization_code', code: 'code-123', redirect_uri: 'https://app.example.test/callback', code_verifier: 'v'.repeat(43) },
      { grant_type: 'refresh_token', refresh_token: first.refreshToken },
      { grant_type: 'refresh_token', refresh_token: second.refreshToken },
    ]);
    expect([...server.requests[0]!.params.keys()]).toEqual(['grant_type', 'code', 'redirect_uri', 'code_verifier']);
    for (const request of server.requests) {
      expect(request).toMatchObject({ method: 'POST', url: TOKEN_URL, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      expect(_decodeBasic(request.headers.authorization)).toMatchObject({ id: 'client-1', secret: 'secret-1' });
    }
    expect(first).toStrictEqual({ accessToken: server.issued[0], tokenType: 'Bearer', expiresAt: NOW + 3_600_000, refreshToken: first.refreshToken, refreshTokenExpiresAt: NOW + DAY });
    expect(third.accessToken).toBe(server.issued[2]);
    expect(onRefreshToken.mock.calls).toEqual([first, second, third].map((t) => [t.refreshToken, { expiresAt: NOW + DAY }]));
  });

  it('without a refresh token, a second fetch is invalid_grant and sends nothing (the code is never reused)', async () => {
    const { server, fetch } = _setup();
    server.failNext(1, () => json(200, { access_token: 'at-1', token_type: 'Bearer', expires_in: 60 }));
    expect((await fetch()).refreshToken).toBeUndefined();
    const error = await _tokenError(fetch(), 'invalid_grant');
    expect(error.message).not.toContain('code-123');
    expect(server.requests).toHaveLength(1);
  });

  it('a rejected exchange spends the code too: the next fetch sends nothing', async () => {
    const { server, fetch } = _setup();
    server.failNext(1, () => json(400, { error: 'invalid_grant', error_description: 'code expired' }));
    await _tokenError(fetch(), 'invalid_grant');
    await _tokenError(fetch(), 'invalid_grant');
    expect(server.requests).toHaveLength(1);
  });

  it('PKCE end to end: the server accepts the verifier whose S256 challenge it was given', async () => {
    const pkce = await createPkce();
    const { server, fetch } = _setup({ codeVerifier: pkce.codeVerifier });
    server.addCode('code-123', pkce.codeChallenge);
    expect((await fetch()).accessToken).toBe(server.issued[0]);
    expect(server.requests[0]!.params.get('code_verifier')).toBe(pkce.codeVerifier);
  });

  it('PKCE: a verifier of another pair is refused with invalid_grant', async () => {
    const [bound, other] = [await createPkce(), await createPkce()];
    const { server, fetch } = _setup({ codeVerifier: other.codeVerifier });
    server.addCode('code-123', bound.codeChallenge);
    await _tokenError(fetch(), 'invalid_grant');
  });

  it('a public client (no secret) sends client_id in the body, no secret, no Authorization', async () => {
    const pkce = await createPkce();
    const server = createOAuthServer({ publicClients: ['spa-app'] });
    server.addCode('code-123', pkce.codeChallenge);
    const flow = authorizationCode({ tokenUrl: TOKEN_URL, clientId: 'spa-app', code: 'code-123', codeVerifier: pkce.codeVerifier, fetch: server.fetch });
    const token = await flow.fetchToken(_ctx(server.fetch));
    await flow.fetchToken(_ctx(server.fetch));
    for (const request of server.requests) {
      expect(request.headers.authorization).toBeUndefined();
      expect(request.params.get('client_id')).toBe('spa-app');
      expect(request.params.has('client_secret')).toBe(false);
    }
    expect(server.requests[1]!.params.get('refresh_token')).toBe(token.refreshToken);
  });

  it('client_secret_post sends id and secret in the body', async () => {
    const { server, fetch } = _setup({ auth: 'client_secret_post' });
    await fetch();
    expect(server.requests[0]!.headers.authorization).toBeUndefined();
    expect(_params(server)[0]).toMatchObject({ client_id: 'client-1', client_secret: 'secret-1', code: 'code-123' });
  });
});

describe('refreshTokenFlow', () => {
  function _setup(options: { rotate?: boolean; hook?: (rt: string, info: { expiresAt?: number }) => unknown } = {}) {
    const server = createOAuthServer({ rotateRefreshTokens: options.rotate ?? true });
    server.refreshTokens.add('rt-0');
    const onRefreshToken = vi.fn(options.hook ?? (() => {}));
    const onHookError = vi.fn();
    const flow = refreshTokenFlow({
      tokenUrl: TOKEN_URL, clientId: 'client-1', clientSecret: 'secret-1', refreshToken: 'rt-0', scope: 'read', extraParams: { tenant: 't1' },
      onRefreshToken: onRefreshToken as never, fetch: server.fetch,
    });
    return { server, flow, onRefreshToken, onHookError, fetch: () => flow.fetchToken(_ctx(server.fetch, { onHookError })) };
  }

  it('sends grant_type, the refresh token, scope and extraParams with Basic client auth (RFC 6749 §6)', async () => {
    const { server, fetch } = _setup();
    await fetch();
    expect([...server.requests[0]!.params]).toEqual([['grant_type', 'refresh_token'], ['refresh_token', 'rt-0'], ['scope', 'read'], ['tenant', 't1']]);
    expect(_decodeBasic(server.requests[0]!.headers.authorization)).toMatchObject({ id: 'client-1', secret: 'secret-1' });
  });

  it('follows rotation: each fetch uses the latest refresh token, and the hook gets each new one with its expiry', async () => {
    const { server, fetch, onRefreshToken } = _setup();
    const tokens = [await fetch(), await fetch(), await fetch()];
    expect(server.requests.map((r) => r.params.get('refresh_token'))).toEqual(['rt-0', tokens[0]!.refreshToken, tokens[1]!.refreshToken]);
    expect(new Set(tokens.map((t) => t.refreshToken)).size).toBe(3);
    expect(onRefreshToken.mock.calls).toEqual(tokens.map((t) => [t.refreshToken, { expiresAt: NOW + DAY }]));
    expect(tokens[2]).toMatchObject({ accessToken: server.issued[2], scope: 'read', refreshTokenExpiresAt: NOW + DAY });
  });

  it.each([
    ['throws', () => { throw new Error('disk full'); }],
    ['rejects', async () => { throw new Error('disk full'); }],
  ])('a hook that %s still yields the token, reports to ctx.onHookError, and keeps the new refresh token', async (_name, hook) => {
    const { server, fetch, onHookError } = _setup({ hook });
    const token = await fetch();
    expect(token.accessToken).toBe(server.issued[0]);
    expect(token.refreshToken).toMatch(/^rt-1-/);
    expect(onHookError).toHaveBeenCalledWith(expect.objectContaining({ message: 'disk full' }));
    await fetch();
    expect(server.requests[1]!.params.get('refresh_token')).toBe(token.refreshToken);
  });

  it('a throwing hook without ctx.onHookError still yields the token', async () => {
    const { server, flow } = _setup({ hook: () => { throw new Error('x'); } });
    const token = await flow.fetchToken(_ctx(server.fetch));
    expect(token).toMatchObject({ accessToken: server.issued[0], refreshToken: expect.stringMatching(/^rt-1-/) });
  });

  it('a server that does not rotate: the old refresh token stays on the token and in use, no hook call', async () => {
    const { server, fetch, onRefreshToken } = _setup({ rotate: false });
    const first = await fetch();
    const second = await fetch();
    expect([first.refreshToken, second.refreshToken]).toEqual(['rt-0', 'rt-0']);
    expect(server.requests.map((r) => r.params.get('refresh_token'))).toEqual(['rt-0', 'rt-0']);
    expect(onRefreshToken).not.toHaveBeenCalled();
  });

  it('a server that returns the same refresh token again: no hook call', async () => {
    const { server, fetch, onRefreshToken } = _setup();
    server.failNext(1, () => json(200, { access_token: 'a', token_type: 'Bearer', expires_in: 60, refresh_token: 'rt-0' }));
    expect((await fetch()).refreshToken).toBe('rt-0');
    expect(onRefreshToken).not.toHaveBeenCalled();
  });

  it('a revoked refresh token is invalid_grant', async () => {
    const { server, fetch } = _setup();
    server.refreshTokens.clear();
    await _tokenError(fetch(), 'invalid_grant');
  });
});

describe('createPkce (RFC 7636)', () => {
  it('makes a 43-char base64url verifier, challenge = base64url(SHA-256(verifier)), method S256', async () => {
    const pkce = await createPkce();
    expect(pkce.codeVerifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(pkce.codeChallenge).toBe(createHash('sha256').update(pkce.codeVerifier).digest('base64url'));
    expect(pkce.codeChallengeMethod).toBe('S256');
  });

  it('two pairs differ', async () => {
    const [a, b] = [await createPkce(), await createPkce()];
    expect(a.codeVerifier).not.toBe(b.codeVerifier);
    expect(a.codeChallenge).not.toBe(b.codeChallenge);
  });
});

describe('authorizationCode: when the code counts as spent', () => {
  it('a network error leaves the code usable; the next fetch exchanges it', async () => {
    const server = createOAuthServer();
    server.addCode('code-net');
    let drop = true;
    const flaky = (async (input: RequestInfo | URL, init?: RequestInit) => {
      if (drop) {
        drop = false;
        throw new TypeError('connection reset');
      }
      return server.fetch(input, init);
    }) as typeof fetch;
    const flow = authorizationCode({ tokenUrl: 'https://auth.test/token', clientId: 'client-1', clientSecret: 'secret-1', code: 'code-net' });
    const ctx = { fetch: flaky, signal: new AbortController().signal, http: { retries: 0 } };
    await expect(flow.fetchToken(ctx)).rejects.toMatchObject({ code: 'network' });
    await expect(flow.fetchToken(ctx)).resolves.toMatchObject({ tokenType: 'Bearer' });
    expect(server.requests.map((r) => r.params.get('grant_type'))).toEqual(['authorization_code']);
  });

  it('an answer from the server spends it: a refused code is not sent again', async () => {
    const server = createOAuthServer(); // knows no code: answers invalid_grant
    const flow = authorizationCode({ tokenUrl: 'https://auth.test/token', clientId: 'client-1', clientSecret: 'secret-1', code: 'code-unknown' });
    const ctx = { fetch: server.fetch, signal: new AbortController().signal, http: { retries: 0 } };
    await expect(flow.fetchToken(ctx)).rejects.toMatchObject({ code: 'invalid_grant', status: 400 });
    await expect(flow.fetchToken(ctx)).rejects.toMatchObject({ code: 'invalid_grant', status: undefined });
    expect(server.requests).toHaveLength(1);
  });
});
