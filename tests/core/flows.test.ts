// clientCredentials and tokenExchange: the exact request each sends (method, URL, headers, every form
// parameter, RFC 6749 §2.3.1 client authentication) and what they return. The local token endpoint
// checks client authentication the way a real authorization server does.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { clientCredentials, tokenExchange, TOKEN_EXCHANGE_GRANT, type Clock } from '../../src/core/index.js';
import { createOAuthServer, json, type OAuthServer, type RecordedRequest } from '../helpers/oauth-server.js';
import { _ctx, _decodeBasic, _tokenError } from './_oauth-helpers.js';

const NOW = Date.UTC(2030, 0, 1, 12, 0, 0);
const TOKEN_URL = 'https://auth.example.test/oauth/token';
beforeEach(() => void vi.useFakeTimers({ now: NOW }));
afterEach(() => void vi.useRealTimers());

/** The only request the server received. */
function _only(server: OAuthServer): RecordedRequest {
  expect(server.requests).toHaveLength(1);
  return server.requests[0]!;
}

describe('clientCredentials', () => {
  const _flow = (server: OAuthServer, extra: Partial<Parameters<typeof clientCredentials>[0]> = {}) =>
    clientCredentials({ tokenUrl: TOKEN_URL, clientId: 'client-1', clientSecret: 'secret-1', fetch: server.fetch, ...extra });

  it('sends exactly one RFC 6749 §4.4 request with every parameter, and returns the normalised token', async () => {
    const server = createOAuthServer();
    const flow = _flow(server, {
      scope: 'payments:write refunds', audience: 'https://api.example.test', resource: ['https://r1.example.test', 'https://r2.example.test'],
      extraParams: { account_id: 'acme' }, headers: { 'x-request-source': 'tokenmint-test' },
    });
    const token = await flow.fetchToken(_ctx(server.fetch));
    const request = _only(server);
    expect(request).toMatchObject({ method: 'POST', url: TOKEN_URL });
    expect(request.headers).toMatchObject({ 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', 'x-request-source': 'tokenmint-test' });
    expect(_decodeBasic(request.headers.authorization)).toMatchObject({ id: 'client-1', secret: 'secret-1' });
    expect([...request.params]).toEqual([
      ['grant_type', 'client_credentials'], ['scope', 'payments:write refunds'], ['audience', 'https://api.example.test'],
      ['resource', 'https://r1.example.test'], ['resource', 'https://r2.example.test'], ['account_id', 'acme'],
    ]);
    expect(token).toStrictEqual({ accessToken: server.issued[0], tokenType: 'Bearer', expiresAt: NOW + 3_600_000, scope: 'payments:write refunds' });
  });

  it('sends no optional parameter that was not given', async () => {
    const server = createOAuthServer();
    await _flow(server).fetchToken(_ctx(server.fetch));
    expect([..._only(server).params]).toEqual([['grant_type', 'client_credentials']]);
  });

  it('a single resource is one parameter', async () => {
    const server = createOAuthServer();
    await _flow(server, { resource: 'https://r1.example.test' }).fetchToken(_ctx(server.fetch));
    expect(_only(server).params.getAll('resource')).toEqual(['https://r1.example.test']);
  });

  it('client_secret_basic form-urlencodes id and secret before base64 (RFC 6749 §2.3.1)', async () => {
    const id = 'my:client id+%é';
    const secret = 'p@ss:wörd +%/=&~*';
    const server = createOAuthServer({ clients: { [id]: secret } });
    const token = await _flow(server, { clientId: id, clientSecret: secret }).fetchToken(_ctx(server.fetch));
    expect(token.accessToken).toBe(server.issued[0]); // the server authenticated the client
    const decoded = _decodeBasic(_only(server).headers.authorization);
    expect(decoded).toEqual({ id, secret, raw: 'my%3Aclient+id%2B%25%C3%A9:p%40ss%3Aw%C3%B6rd+%2B%25%2F%3D%26%7E*' });
    expect(_only(server).params.has('client_id')).toBe(false);
    expect(_only(server).params.has('client_secret')).toBe(false);
  });

  it('client_secret_post puts id and secret in the body and sends no Authorization header', async () => {
    const id = 'my:client id+%é';
    const secret = 'p@ss:wörd +%/=&~*';
    const server = createOAuthServer({ clients: { [id]: secret } });
    await _flow(server, { clientId: id, clientSecret: secret, auth: 'client_secret_post', scope: 's' }).fetchToken(_ctx(server.fetch));
    const request = _only(server);
    expect(request.headers.authorization).toBeUndefined();
    expect([...request.params]).toEqual([['grant_type', 'client_credentials'], ['scope', 's'], ['client_id', id], ['client_secret', secret]]);
  });

  it('a wrong secret is invalid_client', async () => {
    const server = createOAuthServer();
    await _tokenError(_flow(server, { clientSecret: 'wrong-secret' }).fetchToken(_ctx(server.fetch)), 'invalid_client');
  });

  it('each fetch is a new request and a new token', async () => {
    const server = createOAuthServer();
    const flow = _flow(server);
    const first = await flow.fetchToken(_ctx(server.fetch));
    const second = await flow.fetchToken(_ctx(server.fetch));
    expect(server.requests).toHaveLength(2);
    expect(first.accessToken).not.toBe(second.accessToken);
  });

  it('the flow’s own fetch wins over the context’s; without one the context’s is used', async () => {
    const own = createOAuthServer();
    const context = createOAuthServer();
    await _flow(own).fetchToken(_ctx(context.fetch));
    expect([own.requests.length, context.requests.length]).toEqual([1, 0]);
    await clientCredentials({ tokenUrl: TOKEN_URL, clientId: 'client-1', clientSecret: 'secret-1' }).fetchToken(_ctx(context.fetch));
    expect([own.requests.length, context.requests.length]).toEqual([1, 1]);
  });

  it('expiresAt comes from the injected clock', async () => {
    const server = createOAuthServer({ expiresIn: 60 });
    const clock: Clock = { now: () => 1_000_000, setTimeout: (cb, ms) => setTimeout(cb, ms), clearTimeout: (h) => clearTimeout(h as never) };
    expect((await _flow(server).fetchToken(_ctx(server.fetch, { clock }))).expiresAt).toBe(1_060_000);
  });

  it('tokenTypes lets a non-Bearer type through', async () => {
    const server = createOAuthServer({ tokenType: 'JWT' });
    await _tokenError(_flow(server).fetchToken(_ctx(server.fetch)), 'invalid_response');
    expect((await _flow(server, { tokenTypes: ['jwt'] }).fetchToken(_ctx(server.fetch))).tokenType).toBe('JWT');
  });
});

describe('tokenExchange (RFC 8693)', () => {
  const base = { tokenUrl: TOKEN_URL, clientId: 'client-1', clientSecret: 'secret-1', subjectToken: 'subject-abc', subjectTokenType: 'urn:ietf:params:oauth:token-type:access_token' };

  it('sends the grant URN with subject, actor, audience, resource, scope and requested_token_type', async () => {
    const server = createOAuthServer();
    const flow = tokenExchange({
      ...base, fetch: server.fetch, audience: 'https://backend.example.test', resource: ['https://r1.example.test', 'https://r2.example.test'],
      scope: 'read', requestedTokenType: 'urn:ietf:params:oauth:token-type:jwt',
      actorToken: 'actor-xyz', actorTokenType: 'urn:ietf:params:oauth:token-type:id_token', headers: { 'x-tenant': 't1' },
    });
    const token = await flow.fetchToken(_ctx(server.fetch));
    const request = _only(server);
    expect(request).toMatchObject({ method: 'POST', url: TOKEN_URL, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-tenant': 't1' } });
    expect(_decodeBasic(request.headers.authorization)).toMatchObject({ id: 'client-1', secret: 'secret-1' });
    expect([...request.params]).toEqual([
      ['grant_type', TOKEN_EXCHANGE_GRANT], ['subject_token', 'subject-abc'], ['subject_token_type', 'urn:ietf:params:oauth:token-type:access_token'],
      ['audience', 'https://backend.example.test'], ['resource', 'https://r1.example.test'], ['resource', 'https://r2.example.test'],
      ['scope', 'read'], ['requested_token_type', 'urn:ietf:params:oauth:token-type:jwt'],
      ['actor_token', 'actor-xyz'], ['actor_token_type', 'urn:ietf:params:oauth:token-type:id_token'],
    ]);
    expect(TOKEN_EXCHANGE_GRANT).toBe('urn:ietf:params:oauth:grant-type:token-exchange');
    expect(token).toStrictEqual({ accessToken: server.issued[0], tokenType: 'Bearer', expiresAt: NOW + 3_600_000, scope: 'read' });
  });

  it('accepts the RFC 8693 token_type "N_A" and ignores issued_token_type', async () => {
    const server = createOAuthServer();
    server.failNext(1, () => json(200, { access_token: 'x-1', token_type: 'N_A', expires_in: 60, issued_token_type: 'urn:ietf:params:oauth:token-type:jwt' }));
    expect(await tokenExchange({ ...base, fetch: server.fetch }).fetchToken(_ctx(server.fetch))).toStrictEqual({ accessToken: 'x-1', tokenType: 'N_A', expiresAt: NOW + 60_000 });
  });

  it('asks an async subjectToken function for the current token on every fetch', async () => {
    const server = createOAuthServer();
    let n = 0;
    const subjectToken = vi.fn(async () => `subject-${++n}`);
    const flow = tokenExchange({ ...base, subjectToken, subjectId: 'user-42', fetch: server.fetch });
    await flow.fetchToken(_ctx(server.fetch));
    await flow.fetchToken(_ctx(server.fetch));
    expect(server.requests.map((r) => r.params.get('subject_token'))).toEqual(['subject-1', 'subject-2']);
    expect(subjectToken).toHaveBeenCalledTimes(2);
  });

  it('a subjectToken function without subjectId is a config error', () => {
    expect(() => tokenExchange({ ...base, subjectToken: async () => 'x' })).toThrowError(expect.objectContaining({ code: 'config', message: expect.stringContaining('"subjectId"') }));
  });

  it('a subjectToken function returning "" fails with config, sending nothing', async () => {
    const server = createOAuthServer();
    const flow = tokenExchange({ ...base, subjectToken: () => '', subjectId: 'u', fetch: server.fetch });
    await _tokenError(flow.fetchToken(_ctx(server.fetch)), 'config');
    expect(server.requests).toHaveLength(0);
  });

  it('an actorToken without actorTokenType is a config error', () => {
    expect(() => tokenExchange({ ...base, actorToken: 'a' })).toThrowError(expect.objectContaining({ code: 'config', message: expect.stringContaining('"actorTokenType"') }));
  });

  it('without client credentials it sends no client authentication at all', async () => {
    const server = createOAuthServer({ publicClients: [''] });
    const { clientId: _id, clientSecret: _secret, ...anonymous } = base;
    await tokenExchange({ ...anonymous, fetch: server.fetch }).fetchToken(_ctx(server.fetch));
    const request = _only(server);
    expect(request.headers.authorization).toBeUndefined();
    expect([...request.params.keys()]).toEqual(['grant_type', 'subject_token', 'subject_token_type']);
  });

  it('client_secret_post puts the client in the body', async () => {
    const server = createOAuthServer();
    await tokenExchange({ ...base, auth: 'client_secret_post', fetch: server.fetch }).fetchToken(_ctx(server.fetch));
    const request = _only(server);
    expect(request.headers.authorization).toBeUndefined();
    expect(request.params.get('client_id')).toBe('client-1');
    expect(request.params.get('client_secret')).toBe('secret-1');
  });
});

describe('request headers', () => {
  it('caller headers override accept (any case) but never the form content type', async () => {
    const server = createOAuthServer();
    const flow = clientCredentials({
      tokenUrl: 'https://auth.test/token', clientId: 'client-1', clientSecret: 'secret-1',
      headers: { Accept: 'application/json;charset=utf-8', 'Content-Type': 'text/plain', 'X-Trace': 't-1' },
      fetch: server.fetch,
    });
    await flow.fetchToken({ fetch: server.fetch, signal: new AbortController().signal });
    expect(server.requests[0]!.headers).toMatchObject({ accept: 'application/json;charset=utf-8', 'content-type': 'application/x-www-form-urlencoded', 'x-trace': 't-1' });
  });
});
