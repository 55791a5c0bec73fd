// The emulators of Prism's access-token connectors: each checks what the real endpoint checks
// (credentials and how they are sent, content type, grant, scope, GlobalPay's SHA-512 secret and
// X-GP-Version, PayPal's bearer for client tokens) and answers in its provider's own shapes.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  AIRWALLEX_DEMO,
  GETNET_DEMO,
  GLOBALPAY_DEMO,
  IATAPAY_DEMO,
  JPMORGAN_DEMO,
  PAYPAL_DEMO,
  PINELABS_DEMO,
  TRUELAYER_DEMO,
  TRUSTPAY_DEMO,
  VOLT_DEMO,
  createEmulator,
} from '../../src/emulator/index.js';
import { NOW, manualClock } from '../providers/_helpers.js';

const ORIGIN = 'https://emulator.invalid';
const basic = (id: string, secret: string): string => `Basic ${btoa(`${id}:${secret}`)}`;
const form = (params: Record<string, string>, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
  body: new URLSearchParams(params),
});
const json = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});
const answer = async (response: Response): Promise<[number, Record<string, unknown>]> => [response.status, await response.json()];

describe('paypal emulator', () => {
  const token = `${ORIGIN}/paypal/v1/oauth2/token`;
  const generate = `${ORIGIN}/paypal/v1/identity/generate-token`;
  const auth = { authorization: basic(PAYPAL_DEMO.clientId, PAYPAL_DEMO.clientSecret) };
  const serverToken = async (emulator: ReturnType<typeof createEmulator>): Promise<string> =>
    ((await emulator.fetch(token, form({ grant_type: 'client_credentials' }, auth)).then(answer))[1].access_token as string);

  it('issues a server token with PayPal’s fields, Basic credentials only', async () => {
    const emulator = createEmulator({ clock: { now: () => NOW } });
    const [status, body] = await emulator.fetch(token, form({ grant_type: 'client_credentials' }, auth)).then(answer);
    expect(status).toBe(200);
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 32_400, app_id: expect.stringMatching(/^APP-/), scope: expect.stringContaining('https://uri.paypal.com/'), nonce: expect.any(String) });
    expect(await emulator.fetch(token, form({ grant_type: 'client_credentials', client_id: PAYPAL_DEMO.clientId, client_secret: PAYPAL_DEMO.clientSecret })).then(answer)).toMatchObject([401, { error: 'invalid_client', error_description: 'Client Authentication failed' }]);
    expect(await emulator.fetch(token, form({ grant_type: 'password' }, auth)).then(answer)).toMatchObject([400, { error: 'unsupported_grant_type' }]);
    expect(await emulator.fetch(token, json({ grant_type: 'client_credentials' }, auth)).then(answer)).toMatchObject([400, { error: 'invalid_request' }]);
  });

  it('issues a client token (base64 JSON, never the server token) only for a bearer it issued and that is still valid', async () => {
    const clock = manualClock();
    const emulator = createEmulator({ clock, paypal: { expiresIn: 60 } });
    const bearer = await serverToken(emulator);
    const [status, body] = await emulator.fetch(generate, json({}, { authorization: `Bearer ${bearer}` })).then(answer);
    expect(status).toBe(200);
    expect(body.expires_in).toBe(3600);
    const decoded = atob(body.client_token as string);
    expect(JSON.parse(decoded)).toMatchObject({ paypal: { accessTokenFingerprint: expect.any(String) } });
    expect(decoded).not.toContain(bearer);
    expect(await emulator.fetch(generate, json({})).then(answer)).toMatchObject([401, { error: 'invalid_token' }]);
    expect(await emulator.fetch(generate, json({}, { authorization: 'Bearer A21AAforged' })).then(answer)).toMatchObject([401, { error: 'invalid_token' }]);
    expect((await emulator.fetch(generate, { method: 'POST', headers: { authorization: `Bearer ${bearer}`, 'content-type': 'text/plain' }, body: 'x' })).status).toBe(415);
    clock.advance(60_000);
    expect((await emulator.fetch(generate, json({}, { authorization: `Bearer ${bearer}` }))).status).toBe(401);
  });

  it('revokeAccessTokens() and reset() forget the server tokens', async () => {
    const emulator = createEmulator();
    const bearer = await serverToken(emulator);
    emulator.paypal.revokeAccessTokens();
    expect((await emulator.fetch(generate, json({}, { authorization: `Bearer ${bearer}` }))).status).toBe(401);
    const again = await serverToken(emulator);
    emulator.reset();
    expect((await emulator.fetch(generate, json({}, { authorization: `Bearer ${again}` }))).status).toBe(401);
  });
});

describe('airwallex emulator', () => {
  const url = `${ORIGIN}/airwallex/api/v1/authentication/login`;
  const headers = { 'x-client-id': AIRWALLEX_DEMO.clientId, 'x-api-key': AIRWALLEX_DEMO.apiKey };

  it('201 { token, expires_at } in Airwallex’s time format, 30 minutes out', async () => {
    const emulator = createEmulator({ clock: { now: () => NOW } });
    const [status, body] = await emulator.fetch(url, json({}, headers)).then(answer);
    expect(status).toBe(201);
    expect(body.expires_at).toBe('2026-06-01T12:30:00+0000');
    expect((body.token as string).split('.')).toHaveLength(3);
    expect((await emulator.fetch(url, { method: 'POST', headers })).status).toBe(201); // no body at all is fine
  });

  it.each([
    ['no headers', json({}), 401, 'unauthorized'],
    ['a wrong API key', json({}, { ...headers, 'x-api-key': 'nope' }), 401, 'credentials_invalid'],
    ['a form body', form({ a: 'b' }, headers), 400, 'validation_error'],
  ])('%s → %i %s', async (_, init, status, code) => {
    expect(await createEmulator().fetch(url, init).then(answer)).toMatchObject([status, { code, message: expect.any(String) }]);
  });
});

describe('volt emulator', () => {
  const url = `${ORIGIN}/volt/oauth`;
  const good = { grant_type: 'password', client_id: VOLT_DEMO.clientId, client_secret: VOLT_DEMO.clientSecret, username: VOLT_DEMO.username, password: VOLT_DEMO.password };

  it('the password grant as JSON → RFC 6749 body with a refresh token', async () => {
    expect(await createEmulator().fetch(url, json(good)).then(answer)).toMatchObject([200, { token_type: 'Bearer', expires_in: 3600, access_token: expect.any(String), refresh_token: expect.any(String) }]);
  });

  it.each([
    ['a wrong password', json({ ...good, password: 'nope' }), 401, 'Bad credentials.'],
    ['no password', json({ ...good, password: undefined }), 400, 'Missing parameter(s): password.'],
    ['client_credentials', json({ ...good, grant_type: 'client_credentials' }), 400, 'Invalid grant_type parameter or parameter missing.'],
    ['a form body', form(good), 400, 'Content-Type must be application/json.'],
    ['broken JSON', json('{nope'), 400, 'Invalid JSON body.'],
  ])('%s → %i { code, message }', async (_, init, status, message) => {
    expect(await createEmulator().fetch(url, init).then(answer)).toEqual([status, { code: status, message }]);
  });
});

describe('trustpay emulator', () => {
  const url = `${ORIGIN}/trustpay/api/oauth2/token`;
  const auth = { authorization: basic(TRUSTPAY_DEMO.projectId, TRUSTPAY_DEMO.secretKey) };

  it('Basic project credentials → token with ResultInfo; expires_in can be left out', async () => {
    expect(await createEmulator().fetch(url, form({ grant_type: 'client_credentials' }, auth)).then(answer)).toMatchObject([200, { token_type: 'Bearer', expires_in: 1800, ResultInfo: { ResultCode: 0 } }]);
    const [, body] = await createEmulator({ trustpay: { expiresIn: false } }).fetch(url, form({ grant_type: 'client_credentials' }, auth)).then(answer);
    expect(body).not.toHaveProperty('expires_in');
  });

  it('refusals carry only a ResultInfo', async () => {
    const emulator = createEmulator();
    expect(await emulator.fetch(url, form({ grant_type: 'client_credentials', client_id: TRUSTPAY_DEMO.projectId, client_secret: TRUSTPAY_DEMO.secretKey })).then(answer)).toEqual([
      401,
      { ResultInfo: { ResultCode: 1002, AdditionalInfo: 'Invalid project id or secret key', CorrelationId: expect.any(String) } },
    ]);
    expect(await emulator.fetch(url, form({ grant_type: 'password' }, auth)).then(answer)).toMatchObject([400, { ResultInfo: { ResultCode: 1001 } }]);
  });
});

describe('globalpay emulator', () => {
  const url = `${ORIGIN}/globalpay/ucp/accesstoken`;
  const version = { 'x-gp-version': '2021-03-22' };
  const request = (nonce: string, key = GLOBALPAY_DEMO.appKey, extra: Record<string, unknown> = {}) => ({
    app_id: GLOBALPAY_DEMO.appId,
    nonce,
    secret: createHash('sha512').update(nonce + key).digest('hex'),
    grant_type: 'client_credentials',
    ...extra,
  });

  it('recomputes SHA-512(nonce + app key) and answers GP’s token body', async () => {
    const emulator = createEmulator({ clock: { now: () => NOW } });
    const [status, body] = await emulator.fetch(url, json(request('n-1'), version)).then(answer);
    expect(status).toBe(200);
    expect(body).toMatchObject({ token: expect.any(String), type: 'Bearer', app_id: GLOBALPAY_DEMO.appId, seconds_to_expire: 86_400, time_created: new Date(NOW).toISOString() });
  });

  it.each([
    ['a secret made with another key', json(request('n-2', 'other-key'), version), 403, 'ACTION_NOT_AUTHORIZED', 'Credentials not recognized to create access token.'],
    ['an unknown app id', json(request('n-3', GLOBALPAY_DEMO.appKey, { app_id: 'nope' }), version), 403, 'ACTION_NOT_AUTHORIZED', 'App credentials not recognized'],
    ['no X-GP-Version', json(request('n-4')), 400, 'INVALID_REQUEST_DATA', 'Mandatory header X-GP-Version is missing'],
    ['another X-GP-Version', json(request('n-5'), { 'x-gp-version': '2020-12-22' }), 400, 'INVALID_REQUEST_DATA', 'X-GP-Version 2020-12-22 is not supported'],
    ['grant_type password', json(request('n-6', GLOBALPAY_DEMO.appKey, { grant_type: 'password' }), version), 400, 'INVALID_REQUEST_DATA', 'grant_type contains unexpected data'],
    ['no nonce', json(request('', GLOBALPAY_DEMO.appKey), version), 400, 'INVALID_REQUEST_DATA', 'Request expects the following fields nonce'],
    ['a form body', form({ app_id: GLOBALPAY_DEMO.appId }, version), 415, 'INVALID_REQUEST_DATA', 'Content-Type must be application/json'],
  ])('%s → %i %s', async (_, init, status, errorCode, description) => {
    const [got, body] = await createEmulator().fetch(url, init).then(answer);
    expect(got).toBe(status);
    expect(body).toEqual({ error_code: errorCode, detailed_error_code: expect.any(String), detailed_error_description: description });
  });

  it('a nonce works once', async () => {
    const emulator = createEmulator();
    expect((await emulator.fetch(url, json(request('once'), version))).status).toBe(200);
    expect(await emulator.fetch(url, json(request('once'), version)).then(answer)).toMatchObject([400, { detailed_error_description: 'nonce has already been used' }]);
    emulator.reset();
    expect((await emulator.fetch(url, json(request('once'), version))).status).toBe(200);
  });
});

describe('iatapay emulator', () => {
  const url = `${ORIGIN}/iatapay/api/v1/oauth/token`;
  const auth = { authorization: basic(IATAPAY_DEMO.clientId, IATAPAY_DEMO.clientSecret) };

  it('scope=payment → { access_token, expires_in } and nothing else', async () => {
    const [status, body] = await createEmulator().fetch(url, form({ grant_type: 'client_credentials', scope: 'payment' }, auth)).then(answer);
    expect(status).toBe(200);
    expect(Object.keys(body).sort()).toEqual(['access_token', 'expires_in']);
  });

  it('a failed client authentication gets Spring’s error body; other refusals RFC 6749 codes', async () => {
    const emulator = createEmulator({ clock: { now: () => NOW } });
    expect(await emulator.fetch(url, form({ grant_type: 'client_credentials', scope: 'payment' }, { authorization: basic(IATAPAY_DEMO.clientId, 'x') })).then(answer)).toEqual([
      401,
      { timestamp: new Date(NOW).toISOString(), status: 401, error: 'Unauthorized', path: '/api/v1/oauth/token' },
    ]);
    expect(await emulator.fetch(url, form({ grant_type: 'client_credentials' }, auth)).then(answer)).toMatchObject([400, { error: 'invalid_scope' }]);
    expect(await emulator.fetch(url, form({ grant_type: 'client_credentials', scope: 'payments' }, auth)).then(answer)).toMatchObject([400, { error: 'invalid_scope' }]);
  });
});

describe('jpmorgan emulator', () => {
  const url = `${ORIGIN}/jpmorgan/am/oauth2/alpha/access_token`;
  const auth = { authorization: basic(JPMORGAN_DEMO.clientId, JPMORGAN_DEMO.clientSecret) };

  it.each(['jpm:payments:sandbox', 'jpm:payments'])('scope %s → token echoing it', async (scope) => {
    expect(await createEmulator().fetch(url, form({ grant_type: 'client_credentials', scope }, auth)).then(answer)).toMatchObject([200, { scope, token_type: 'Bearer', expires_in: 3599 }]);
  });

  it('refuses another scope, a wrong secret (with WWW-Authenticate) and body credentials', async () => {
    const emulator = createEmulator();
    expect(await emulator.fetch(url, form({ grant_type: 'client_credentials', scope: 'payments' }, auth)).then(answer)).toMatchObject([400, { error: 'invalid_scope' }]);
    const wrong = await emulator.fetch(url, form({ grant_type: 'client_credentials', scope: 'jpm:payments' }, { authorization: basic(JPMORGAN_DEMO.clientId, 'x') }));
    expect(wrong.headers.get('www-authenticate')).toMatch(/^Basic/);
    expect(await answer(wrong)).toMatchObject([401, { error: 'invalid_client' }]);
    expect((await emulator.fetch(url, form({ grant_type: 'client_credentials', scope: 'jpm:payments', client_id: JPMORGAN_DEMO.clientId, client_secret: JPMORGAN_DEMO.clientSecret }))).status).toBe(401);
  });
});

describe('truelayer emulator', () => {
  const url = `${ORIGIN}/truelayer/connect/token`;
  const body = { grant_type: 'client_credentials', client_id: TRUELAYER_DEMO.clientId, client_secret: TRUELAYER_DEMO.clientSecret };

  it('body credentials and scope=payments → token; Basic is refused with a 400', async () => {
    const emulator = createEmulator();
    expect(await emulator.fetch(url, form({ ...body, scope: 'payments' })).then(answer)).toMatchObject([200, { scope: 'payments', expires_in: 3600, token_type: 'Bearer' }]);
    expect(await emulator.fetch(url, form({ grant_type: 'client_credentials', scope: 'payments' }, { authorization: basic(TRUELAYER_DEMO.clientId, TRUELAYER_DEMO.clientSecret) })).then(answer)).toMatchObject([400, { error: 'invalid_client' }]);
    expect(await emulator.fetch(url, form(body)).then(answer)).toMatchObject([400, { error: 'invalid_scope' }]);
    expect(await emulator.fetch(url, form({ ...body, scope: 'payments accounts' })).then(answer)).toMatchObject([400, { error: 'invalid_scope' }]);
  });
});

describe('getnet emulator', () => {
  const url = `${ORIGIN}/getnet/authentication/oauth2/access_token`;

  it('Basic API key and secret → RFC 6749 token; wrong secret → 401 invalid_client', async () => {
    const emulator = createEmulator();
    expect(await emulator.fetch(url, form({ grant_type: 'client_credentials' }, { authorization: basic(GETNET_DEMO.apiKey, GETNET_DEMO.apiSecret) })).then(answer)).toMatchObject([200, { token_type: 'Bearer', expires_in: 3600 }]);
    expect(await emulator.fetch(url, form({ grant_type: 'client_credentials' }, { authorization: basic(GETNET_DEMO.apiKey, 'x') })).then(answer)).toMatchObject([401, { error: 'invalid_client' }]);
    expect(await emulator.fetch(url, form({ grant_type: 'refresh_token' }, { authorization: basic(GETNET_DEMO.apiKey, GETNET_DEMO.apiSecret) })).then(answer)).toMatchObject([400, { error: 'unsupported_grant_type' }]);
  });
});

describe('pinelabs emulator', () => {
  const url = `${ORIGIN}/pinelabs/api/auth/v1/token`;
  const good = { client_id: PINELABS_DEMO.clientId, client_secret: PINELABS_DEMO.clientSecret, grant_type: 'client_credentials' };

  it('JSON credentials → { access_token, expires_at } with microseconds', async () => {
    expect(await createEmulator({ clock: { now: () => NOW } }).fetch(url, json(good)).then(answer)).toEqual([200, { access_token: expect.any(String), expires_at: '2026-06-01T13:00:00.000000Z' }]);
  });

  it.each([
    ['a wrong secret', json({ ...good, client_secret: 'x' }), 401, 'UNAUTHORIZED'],
    ['another grant', json({ ...good, grant_type: 'password' }), 400, 'INVALID_REQUEST'],
    ['no client_id', json({ ...good, client_id: undefined }), 400, 'INVALID_REQUEST'],
    ['a form body', form(good), 415, 'INVALID_REQUEST'],
  ])('%s → %i %s', async (_, init, status, code) => {
    expect(await createEmulator().fetch(url, init).then(answer)).toMatchObject([status, { code, message: expect.any(String) }]);
  });
});

describe('injected failures speak each provider’s error shape', () => {
  it.each([
    ['paypal', '/v1/oauth2/token', { name: 'RATE_LIMIT_REACHED' }],
    ['airwallex', '/api/v1/authentication/login', { code: 'too_many_requests' }],
    ['volt', '/oauth', { code: 429 }],
    ['trustpay', '/api/oauth2/token', { ResultInfo: { ResultCode: 1001 } }],
    ['globalpay', '/ucp/accesstoken', { error_code: 'TOO_MANY_REQUESTS' }],
    ['iatapay', '/api/v1/oauth/token', { status: 429, error: 'Too Many Requests' }],
    ['jpmorgan', '/am/oauth2/alpha/access_token', { error: 'temporarily_unavailable' }],
    ['truelayer', '/connect/token', { error: 'temporarily_unavailable' }],
    ['getnet', '/authentication/oauth2/access_token', { error: 'temporarily_unavailable' }],
    ['pinelabs', '/api/auth/v1/token', { code: 'TOO_MANY_REQUESTS' }],
  ])('%s: 429 with Retry-After', async (prefix, path, shape) => {
    const emulator = createEmulator();
    emulator.inject({ provider: prefix, retryAfter: 9, times: 1 });
    const response = await emulator.fetch(`${ORIGIN}/${prefix}${path}`, { method: 'POST' });
    expect(response.headers.get('retry-after')).toBe('9');
    expect(await answer(response)).toMatchObject([429, shape]);
  });
});
