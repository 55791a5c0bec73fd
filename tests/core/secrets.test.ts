// No secret in errors: whatever the upstream does (echo the request, HTML debug pages, malformed
// success bodies, hanging), no logged form of the error holds the client secret, a code, a refresh,
// subject or actor token, or an access token the server issued.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { authorizationCode, clientCredentials, refreshTokenFlow, tokenExchange, type TokenFlow } from '../../src/core/index.js';
import { createOAuthServer, hang, json, type OAuthServer, type RecordedRequest } from '../helpers/oauth-server.js';
import { _ctx, _drain, _errorTexts, _expectNoLeak } from './_oauth-helpers.js';

const TOKEN_URL = 'https://auth.example.test/oauth/token';
const SECRET = 'cs-Sup3r:Secret+value/1';
const CODE = 'code-Auth-0123456789';
const VERIFIER = 'verifier-Pkce-0123456789-abcdefghijklmnopqrs';
const REFRESH = 'rt-Initial-Refresh-1';
const SUBJECT = 'st-Subject-Token-1';
const ACTOR = 'act-Actor-Token-1';
const ISSUED = 'at-Issued-Token-1';
const ALL = [SECRET, CODE, VERIFIER, REFRESH, SUBJECT, ACTOR, ISSUED];

beforeEach(() => void vi.useFakeTimers());
afterEach(() => void vi.useRealTimers());

function _server(secret = SECRET): OAuthServer {
  const server = createOAuthServer({ clients: { 'client-1': secret } });
  server.addCode(CODE);
  server.refreshTokens.add(REFRESH);
  return server;
}

const client = { tokenUrl: TOKEN_URL, clientId: 'client-1', clientSecret: SECRET };
const FLOWS: [string, (server: OAuthServer) => TokenFlow][] = [
  ['clientCredentials (basic)', (server) => clientCredentials({ ...client, fetch: server.fetch })],
  ['clientCredentials (post)', (server) => clientCredentials({ ...client, auth: 'client_secret_post', fetch: server.fetch })],
  ['authorizationCode', (server) => authorizationCode({ ...client, code: CODE, codeVerifier: VERIFIER, redirectUri: 'https://app.example.test/cb', fetch: server.fetch })],
  ['refreshTokenFlow (post)', (server) => refreshTokenFlow({ ...client, auth: 'client_secret_post', refreshToken: REFRESH, fetch: server.fetch })],
  ['tokenExchange', (server) => tokenExchange({ ...client, subjectToken: SUBJECT, subjectTokenType: 't', actorToken: ACTOR, actorTokenType: 't', fetch: server.fetch })],
];

/** Everything the request carried, as a careless server would echo it: decoded values and the raw body. */
const _echo = (request: RecordedRequest) => `rejected ${SECRET} ${[...request.params.values()].join(' ')} body=${request.body}`;

const FAILURES: [string, (request: RecordedRequest, signal?: AbortSignal | null) => Response | Promise<Response>][] = [
  ['401 echoing the request', (r) => json(401, { error: 'invalid_client', error_description: _echo(r) }, { 'www-authenticate': 'Basic' })],
  ['400 invalid_grant echoing the request', (r) => json(400, { error: 'invalid_grant', error_description: _echo(r) })],
  ['429 echoing the request', (r) => json(429, { error: 'slow_down', error_description: _echo(r) }, { 'retry-after': '600' })],
  ['500 HTML debug page', (r) => new Response(`<html><pre>${_echo(r)} issued=${ISSUED}</pre></html>`, { status: 500, headers: { 'content-type': 'text/html' } })],
  ['non-JSON 200', () => new Response(`access_token=${ISSUED}&token_type=bearer&expires_in=3600`, { status: 200 })],
  ['200 JSON with a bad token_type', () => json(200, { access_token: ISSUED, token_type: 'mac', expires_in: 60, refresh_token: ISSUED })],
  ['200 JSON with an unreadable expires_in', () => json(200, { access_token: ISSUED, token_type: 'Bearer', expires_in: 'soon' })],
  ['network error quoting the secret', () => Promise.reject(new TypeError(`socket closed after ${SECRET}`))],
  ['hang', (_r, signal) => hang(signal)],
];

/** The error of one fetch against a server failing with `reply`. */
async function _failure(flow: TokenFlow, server: OAuthServer, reply: (typeof FAILURES)[number][1]): Promise<unknown> {
  server.failNext(10, reply);
  return _drain(flow.fetchToken(_ctx(server.fetch))).then(
    () => expect.unreachable('expected the fetch to fail'),
    (error: unknown) => error,
  );
}

describe.each(FLOWS)('%s', (_name, build) => {
  it.each(FAILURES)('%s', async (_failureName, reply) => {
    const server = _server();
    const error = await _failure(build(server), server, reply);
    expect(error).toMatchObject({ name: 'TokenError' }); // provider: see the timeout bug in http.test.ts
    _expectNoLeak(error, ALL);
  });
});

describe('after a refresh token has rotated', () => {
  it.each<[string, (server: OAuthServer) => TokenFlow]>([
    ['refreshTokenFlow', (server) => refreshTokenFlow({ ...client, refreshToken: REFRESH, fetch: server.fetch })],
    ['authorizationCode', (server) => authorizationCode({ ...client, code: CODE, fetch: server.fetch })],
  ])('%s: the new refresh token is redacted from an echoing error', async (_name, build) => {
    const server = _server();
    const flow = build(server);
    const { refreshToken, accessToken } = await flow.fetchToken(_ctx(server.fetch));
    const error = await _failure(flow, server, (r) => json(400, { error: 'invalid_grant', error_description: _echo(r) }));
    expect(server.requests.at(-1)!.params.get('refresh_token')).toBe(refreshToken);
    _expectNoLeak(error, [...ALL, refreshToken!, accessToken]);
  });
});

// BUG in src/core/errors.ts redact (line 70) / src/core/oauth/grant.ts (line 49): only the raw and
// encodeURIComponent spellings of a secret are scrubbed, not the ones actually on the wire — the Basic
// credentials (base64, although the doc comment promises "base64 forms") and the form-urlencoded body
// ('+' for a space), so a server echoing the header or the raw body puts the secret in the message.
describe('encoded spellings of the client secret', () => {
  it('a 401 quoting the Authorization header does not leak the Basic credentials', async () => {
    const server = _server();
    const flow = clientCredentials({ ...client, fetch: server.fetch });
    const error = await _failure(flow, server, (r) => json(401, { error: 'invalid_client', error_description: `bad header: ${r.headers.authorization}` }));
    const credentials = server.requests[0]!.headers.authorization!.slice('Basic '.length);
    for (const text of _errorTexts(error)) expect(text).not.toContain(credentials);
  });

  it('a 400 quoting the raw form body does not leak a secret containing a space', async () => {
    const secret = 'cs with spaces 42';
    const server = _server(secret);
    const flow = clientCredentials({ ...client, clientSecret: secret, auth: 'client_secret_post', fetch: server.fetch });
    const error = await _failure(flow, server, (r) => json(400, { error: 'invalid_request', error_description: `cannot parse ${r.body}` }));
    expect(server.requests[0]!.body).toContain('cs+with+spaces+42');
    for (const text of _errorTexts(error)) expect(text).not.toContain('cs+with+spaces+42');
  });
});

// Issue 12 item 6: secrets escaped redaction when they came back JSON-escaped (a JSON request body
// echoed inside `error_description`, with a secret holding `"` or `\`), percent-encoded in lowercase
// hex, form-encoded with `+` for a space, or HTML-escaped.
describe('every spelling an upstream may echo a secret in', () => {
  const secret = 'cs "quoted" back\\slash/ü 9';
  const lowerHex = (text: string) => text.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase());
  const html = (text: string) => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  const body = JSON.stringify({ client_id: 'client-1', client_secret: secret });
  it.each([
    ['a JSON body echoed in error_description', body],
    ['the same, nested once more', JSON.stringify(body)],
    ['JSON with \\/ and \\u escapes', JSON.stringify(secret).replace(/\//g, '\\/').replace(/ü/g, '\\u00fc')],
    ['lowercase-hex percent-encoding', lowerHex(encodeURIComponent(secret))],
    ['form encoding, + for a space', new URLSearchParams({ client_secret: secret }).toString()],
    ['form encoding in lowercase hex', lowerHex(new URLSearchParams({ client_secret: secret }).toString())],
    ['HTML-escaped', html(secret)],
    ['HTML numeric entities', secret.replace(/"/g, '&#34;').replace(/\\/g, '&#x5c;')],
  ])('%s', async (_name, echoed) => {
    const server = _server(secret);
    const flow = clientCredentials({ ...client, clientSecret: secret, auth: 'client_secret_post', fetch: server.fetch });
    const error = await _failure(flow, server, () => json(400, { error: 'invalid_request', error_description: `could not read ${echoed}` }));
    expect((error as Error).message).toContain('[redacted]');
    _expectNoLeak(error, [secret]);
    for (const text of _errorTexts(error)) expect(text).not.toContain(echoed.slice(-12));
  });
});
