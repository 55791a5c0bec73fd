// processTokenResponse: RFC 6749 §5.1 success normalisation, §5.2 error mapping, and what an error
// message may say (never a token or a secret from the request or the bad body).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { clientCredentials, OAUTH_ERROR_CODES } from '../../src/core/index.js';
import { errorFromResponse, processTokenResponse, type ProcessOptions } from '../../src/core/kit.js';
import { createOAuthServer, json } from '../helpers/oauth-server.js';
import { _ctx, _drain, _errorTexts, _expectNoLeak, _request, _response, _tokenError } from './_oauth-helpers.js';

const NOW = Date.UTC(2030, 0, 1, 12, 0, 0);
const LEAK = 'at-LEAK-9f8e7d6c5b4a';
const SECRET = 'cs-very:secret/42';
const REFRESH = 'rt-very:secret/43';

const _process = (status: number, body: string | object, headers: Record<string, string> = {}, options: Partial<ProcessOptions> = {}) =>
  processTokenResponse(_request({ secrets: [SECRET, REFRESH] }), _response(status, body, headers), { now: NOW, ...options });

/** The TokenError `_process` throws, checked for `code`. */
function _thrown(code: string, ...args: Parameters<typeof _process>) {
  let error: unknown;
  try {
    _process(...args);
  } catch (caught) {
    error = caught;
  }
  expect(error, 'expected processTokenResponse to throw').toBeDefined();
  expect(error).toMatchObject({ name: 'TokenError', code, status: args[0], provider: 'oauth2' });
  return error as Error & { code: string; retryable: boolean; retryAfter?: number };
}

describe('processTokenResponse: success', () => {
  it('normalises a full RFC 6749 §5.1 body; lifetimes count from the local receipt time', () => {
    const token = _process(200, {
      access_token: 'at-1', token_type: 'bearer', expires_in: 3600, scope: 'payments read',
      refresh_token: 'rt-1', refresh_token_expires_in: 86_400, issued_token_type: 'x', id_token: 'ignored',
    });
    expect(token).toStrictEqual({
      accessToken: 'at-1', tokenType: 'Bearer', expiresAt: NOW + 3_600_000, scope: 'payments read',
      refreshToken: 'rt-1', refreshTokenExpiresAt: NOW + 86_400_000,
    });
  });

  it('a minimal body has no optional fields at all', () => {
    expect(_process(200, { access_token: 'at-1', token_type: 'Bearer', expires_in: 60 })).toStrictEqual({
      accessToken: 'at-1', tokenType: 'Bearer', expiresAt: NOW + 60_000,
    });
  });

  it.each(['bearer', 'Bearer', 'BEARER'])('token_type %j becomes "Bearer"', (tokenType) => {
    expect(_process(200, { access_token: 'a', token_type: tokenType, expires_in: 1 }).tokenType).toBe('Bearer');
  });

  it.each([['3600', 3_600_000], ['90.5', 90_500], [0.5, 500]])('expires_in %j is accepted', (expiresIn, ms) => {
    expect(_process(200, { access_token: 'a', token_type: 'Bearer', expires_in: expiresIn }).expiresAt).toBe(NOW + ms);
  });

  // Issue 12 item 2: RFC 6749 §5.1 only RECOMMENDS expires_in; an answer without it was refused.
  describe('without expires_in', () => {
    const jwt = (claims: object) => `eyJhbGciOiJIUzI1NiJ9.${btoa(JSON.stringify(claims)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_')}.c2ln`;
    it('a JWT access token lives until its own exp (exp − iat)', () => {
      const token = _process(200, { access_token: jwt({ iat: 1_000, exp: 1_000 + 1_800, sub: 'x' }), token_type: 'Bearer' });
      expect(token.expiresAt).toBe(NOW + 1_800_000);
    });
    it('a JWT without iat lives until exp on the local clock', () => {
      expect(_process(200, { access_token: jwt({ exp: NOW / 1000 + 600 }), token_type: 'Bearer' }).expiresAt).toBe(NOW + 600_000);
    });
    it.each([
      ['an opaque token', 'opaque-at-1'],
      ['a JWT without exp', jwt({ sub: 'x' })],
      ['a JWT already expired by its exp', jwt({ exp: NOW / 1000 - 60 })],
      ['a JWT with exp as text', jwt({ exp: 'tomorrow' })],
      ['three dots of garbage', 'a.%%%.c'],
    ])('%s gets the default lifetime, 300 s', (_name, accessToken) => {
      expect(_process(200, { access_token: accessToken, token_type: 'Bearer' }).expiresAt).toBe(NOW + 300_000);
    });
    it('the flow’s defaultExpiresIn replaces the default', () => {
      expect(_process(200, { access_token: 'opaque', token_type: 'Bearer' }, {}, { defaultExpiresIn: 60 }).expiresAt).toBe(NOW + 60_000);
    });
    it('expires_in, when present, wins over the JWT’s exp', () => {
      expect(_process(200, { access_token: jwt({ iat: 0, exp: 7_200 }), token_type: 'Bearer', expires_in: 30 }).expiresAt).toBe(NOW + 30_000);
    });
  });

  it('accepts a configured token type and keeps its spelling', () => {
    const token = _process(200, { access_token: 'a', token_type: 'JWT', expires_in: 1 }, {}, { tokenTypes: ['bearer', 'jwt'] });
    expect(token.tokenType).toBe('JWT');
  });
});

describe('processTokenResponse: a bad 200 is invalid_response and never quotes the token', () => {
  const valid = { access_token: LEAK, token_type: 'Bearer', expires_in: 3600 };
  it.each([
    ['expires_in negative', { ...valid, expires_in: -1 }, 'expires_in'],
    ['expires_in zero', { ...valid, expires_in: 0 }, 'expires_in'],
    ['expires_in "0"', { ...valid, expires_in: '0' }, 'expires_in'],
    ['expires_in "abc"', { ...valid, expires_in: 'abc' }, 'expires_in'],
    ['expires_in "-5"', { ...valid, expires_in: '-5' }, 'expires_in'],
    ['expires_in ""', { ...valid, expires_in: '' }, 'expires_in'],
    ['expires_in null', { ...valid, expires_in: null }, 'expires_in'],
    ['expires_in a 400-digit string (Infinity)', { ...valid, expires_in: '9'.repeat(400) }, 'expires_in'],
    ['expires_in 1e999 (JSON Infinity)', JSON.stringify(valid).replace('3600', '1e999'), 'expires_in'],
    ['refresh_token_expires_in negative', { ...valid, refresh_token_expires_in: -3 }, 'refresh_token_expires_in'],
    ['access_token missing', { ...valid, access_token: undefined }, 'access_token'],
    ['access_token empty', { ...valid, access_token: '' }, 'access_token'],
    ['access_token a number', { ...valid, access_token: 12345 }, 'access_token'],
    ['token_type missing', { ...valid, token_type: undefined }, 'token_type'],
    ['an RFC 6749 error body with status 200', { error: 'invalid_grant', error_description: LEAK }, 'access_token'],
  ])('%s', (_name, body, field) => {
    const error = _thrown('invalid_response', 200, body);
    expect(error.message).toContain(field);
    expect(error.retryable).toBe(false);
    for (const text of _errorTexts(error)) expect(text).not.toContain(LEAK);
  });

  it.each([
    ['token_type "mac"', { ...valid, token_type: 'mac' }],
    ['token_type "N_A" (not accepted by default)', { ...valid, token_type: 'N_A' }],
    ['a form-encoded body', `access_token=${LEAK}&token_type=bearer&expires_in=3600`],
    ['an HTML page', `<html><body>Welcome! your token: ${LEAK}</body></html>`],
    ['an empty body', ''],
    ['JSON null', 'null'],
    ['a JSON string', JSON.stringify(LEAK)],
    ['a JSON array', JSON.stringify([valid])],
    ['truncated JSON', JSON.stringify(valid).slice(0, 30)],
  ])('%s', (_name, body) => {
    const error = _thrown('invalid_response', 200, body);
    for (const text of _errorTexts(error)) expect(text).not.toContain(LEAK);
  });
});

describe('processTokenResponse: error mapping (RFC 6749 §5.2)', () => {
  it.each(OAUTH_ERROR_CODES)('400 %s keeps its code, not retryable', (code) => {
    const error = _thrown(code, 400, { error: code, error_description: 'nope' });
    expect(error.retryable).toBe(false);
    expect(error.message).toContain(code);
  });

  // Issue 12 item 3: registered codes beyond RFC 6749 came back as upstream_error.
  it.each([
    ['invalid_target', 'RFC 8707 / RFC 8693'],
    ['invalid_authorization_details', 'RFC 9396'],
    ['invalid_dpop_proof', 'RFC 9449'],
    ['use_dpop_nonce', 'RFC 9449'],
  ])('400 %s (%s) gets its own code, not upstream_error', (code) => {
    const error = _thrown(code, 400, { error: code, error_description: 'resource not allowed for this client' });
    expect([error.code, error.upstreamCode, error.retryable]).toEqual([code, code, false]);
  });

  it('400 invalid_grant carries the provider description', () => {
    const error = _thrown('invalid_grant', 400, { error: 'invalid_grant', error_description: 'refresh token expired' });
    expect(error.message).toMatch(/oauth2: POST https:\/\/auth\.example\.test\/oauth\/token: answered 400 invalid_grant: refresh token expired/);
  });

  it.each([
    ['with an RFC body', { error: 'invalid_client' }],
    ['without a body', ''],
    ['with an HTML page', '<html>401 Unauthorized</html>'],
    ['with an unknown error code', { error: 'unauthorized' }],
  ])('401 %s is invalid_client', (_name, body) => {
    expect(_thrown('invalid_client', 401, body).retryable).toBe(false);
  });

  it('403 without an RFC code is invalid_client', () => {
    _thrown('invalid_client', 403, '');
  });

  it('429 is rate_limited, retryable, with Retry-After as seconds (delta or HTTP-date)', () => {
    expect(_thrown('rate_limited', 429, { error: 'slow_down' }, { 'retry-after': '30' })).toMatchObject({ retryable: true, retryAfter: 30 });
    const date = new Date(NOW + 120_000).toUTCString();
    expect(_thrown('rate_limited', 429, '', { 'retry-after': date })).toMatchObject({ retryAfter: 120 });
    expect(_thrown('rate_limited', 429, '').retryAfter).toBeUndefined();
  });

  it.each([500, 502, 503, 504])('%i is upstream_error and retryable, whatever code the body claims', (status) => {
    expect(_thrown('upstream_error', status, { error: 'invalid_grant' }).retryable).toBe(true);
  });

  it('503 keeps its Retry-After', () => {
    expect(_thrown('upstream_error', 503, '', { 'retry-after': '7' }).retryAfter).toBe(7);
  });

  it('408 is a retryable timeout', () => {
    expect(_thrown('timeout', 408, '').retryable).toBe(true);
  });

  it.each([
    ['an unknown error code', 400, { error: 'server_exploded' }],
    ['no body', 400, ''],
    ['a 404 page', 404, '<html>not found</html>'],
    ['a non-200 success status', 201, { access_token: 'a', token_type: 'Bearer', expires_in: 1 }],
  ])('%s is upstream_error, not retryable', (_name, status, body) => {
    expect(_thrown('upstream_error', status, body).retryable).toBe(false);
  });

  it('redacts the request secrets (plain and URL-encoded) from error_description', () => {
    const description = `client_secret ${SECRET} does not match; refresh_token=${encodeURIComponent(REFRESH)} unknown`;
    const error = _thrown('invalid_client', 401, { error: 'invalid_client', error_description: description });
    expect(error.message).toContain('[redacted]');
    _expectNoLeak(error, [SECRET, REFRESH]);
  });

  it('keeps error_description to one printable line of at most 200 characters', () => {
    const error = _thrown('invalid_grant', 400, { error: 'invalid_grant', error_description: `bad\r\nFORGED LOG LINE\u0000${'x'.repeat(500)}` });
    expect(error.message).not.toMatch(/[\r\n\u0000]/);
    expect(error.message.length).toBeLessThan(400);
  });

  it('does not quote an error code that is not a plain token', () => {
    const error = _thrown('upstream_error', 400, { error: 'bad code\nFORGED LOG LINE' });
    expect(error.message).not.toContain('FORGED');
  });
});

describe('processTokenResponse: through a flow and the HTTP helper', () => {
  afterEach(() => void vi.useRealTimers());
  const _flow = (server: ReturnType<typeof createOAuthServer>) =>
    clientCredentials({ tokenUrl: 'https://auth.example.test/token', clientId: 'client-1', clientSecret: 'secret-1', fetch: server.fetch });

  it('a 429 with a long Retry-After comes back at once as rate_limited with retryAfter', async () => {
    const server = createOAuthServer();
    server.failNext(1, () => json(429, { error: 'slow_down' }, { 'retry-after': '60' }));
    const error = await _tokenError(_flow(server).fetchToken(_ctx(server.fetch)), 'rate_limited');
    expect(error).toMatchObject({ status: 429, retryAfter: 60, retryable: true });
    expect(server.requests).toHaveLength(1);
  });

  it('a persistent 503 is upstream_error and retryable after the retries', async () => {
    vi.useFakeTimers();
    const server = createOAuthServer();
    server.failNext(10, () => new Response('<html>maintenance</html>', { status: 503 }));
    const error = await _tokenError(_drain(_flow(server).fetchToken(_ctx(server.fetch))), 'upstream_error');
    expect(error).toMatchObject({ status: 503, retryable: true });
    expect(server.requests).toHaveLength(3);
  });

  it('a 503 then a token: the token, expiring `expires_in` after the local receipt time', async () => {
    vi.useFakeTimers({ now: NOW });
    const server = createOAuthServer({ expiresIn: '120' });
    server.failNext(1, () => json(503, {}, { 'retry-after': '2' }));
    const token = await _drain(_flow(server).fetchToken(_ctx(server.fetch)));
    expect(token).toStrictEqual({ accessToken: server.issued[0], tokenType: 'Bearer', expiresAt: NOW + 2_000 + 120_000 });
  });
});

describe('upstreamCode', () => {
  const request = { provider: 'oauth2', url: 'https://auth.test/token', headers: {}, secrets: ['secret-in-code-1'] };
  const answer = (status: number, body: unknown) => ({ status, headers: new Headers(), text: JSON.stringify(body) });
  it('carries the server’s own code, and never a secret echoed as one', () => {
    expect(errorFromResponse(request, answer(400, {}), { code: 'credentials_invalid' })).toMatchObject({ code: 'upstream_error', upstreamCode: 'credentials_invalid' });
    expect(errorFromResponse(request, answer(400, {}), { code: 'invalid_grant' })).toMatchObject({ code: 'invalid_grant', upstreamCode: 'invalid_grant' });
    const echoed = errorFromResponse(request, answer(400, {}), { code: 'secret-in-code-1' });
    expect(echoed.upstreamCode).toBeUndefined();
    expect(JSON.stringify({ ...echoed, message: echoed.message })).not.toContain('secret-in-code-1');
  });
});
