// Each provider emulator checks what the real endpoint checks and answers in the provider's own format.
import { describe, expect, it } from 'vitest';
import { CYBERSOURCE_DEMO, KITEGATEWAY_DEMO, OPEN_BANKING_DEMO, createEmulator } from '../../src/emulator/index.js';
import { NOW, manualClock } from '../providers/_helpers.js';

const ORIGIN = 'https://emulator.invalid';
const formInit = (params: Record<string, string>, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', ...headers },
  body: new URLSearchParams(params),
});
const answer = async (response: Response): Promise<[number, Record<string, unknown>]> => [response.status, await response.json()];

describe('kitegateway emulator', () => {
  const emulator = createEmulator({ clock: { now: () => NOW }, kitegateway: { credentials: [KITEGATEWAY_DEMO, { apiKey: 'second', secretKey: 'second-secret' }], maxExpiresIn: 3600 } });
  const send = (body: unknown, headers: Record<string, string> = {}, method = 'POST'): Promise<[number, Record<string, unknown>]> =>
    emulator
      .fetch(`${ORIGIN}/kitegateway/v1/auth/token`, {
        method,
        headers: { 'content-type': 'application/json', accept: 'application/json', 'secret-key': KITEGATEWAY_DEMO.secretKey, ...headers },
        ...(method === 'POST' ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
      })
      .then(answer);

  it('issues a "JWT …" token with its Unix expiry, for either key pair', async () => {
    const [status, body] = await send({ api_key: KITEGATEWAY_DEMO.apiKey, expires_in: 600 });
    expect(status).toBe(200);
    expect(body).toMatchObject({ code: 200, status: 'success', message: 'Token generated', data: { expires: NOW / 1000 + 600 } });
    expect((body.data as { token: string }).token).toMatch(/^JWT [\w-]+\.[\w-]+\.[\w-]+$/);
    expect((await send({ api_key: 'second' }, { 'secret-key': 'second-secret' }))[0]).toBe(200);
  });

  it.each([
    ['GET', {}, {}, 404, 'kitegateway_rest_no_route'],
    ['no Secret-Key', {}, { 'secret-key': '' }, 401, 'kitegateway_rest_missing_secret_key'],
    ['a form body', {}, { 'content-type': 'application/x-www-form-urlencoded' }, 400, 'kitegateway_rest_invalid_content_type'],
    ['Accept: text/html', {}, { accept: 'text/html' }, 400, 'kitegateway_rest_invalid_accept'],
    ['no api_key', {}, {}, 400, 'kitegateway_rest_missing_param'],
    ['expires_in over the maximum', { api_key: KITEGATEWAY_DEMO.apiKey, expires_in: 3601 }, {}, 400, 'kitegateway_rest_invalid_param'],
    ['a wrong secret', { api_key: KITEGATEWAY_DEMO.apiKey }, { 'secret-key': 'nope' }, 401, 'kitegateway_rest_invalid_credentials'],
    ['keys of two pairs mixed', { api_key: 'second' }, {}, 401, 'kitegateway_rest_invalid_credentials'],
  ])('%s → %i %s', async (what, body, headers, status, code) => {
    const [got, envelope] = await send(body, headers, what === 'GET' ? 'GET' : 'POST');
    expect(got).toBe(status);
    expect(envelope).toMatchObject({ code, status: 'error', data: { status } });
    expect(typeof envelope.message).toBe('string');
  });

  it('400 for a body that is not JSON', async () => {
    expect(await send('{nope')).toMatchObject([400, { code: 'kitegateway_rest_invalid_json' }]);
  });
});

describe('open banking emulator', () => {
  const emulator = createEmulator({ clock: { now: () => NOW } });
  const url = `${ORIGIN}/openbanking/connect/token`;
  const client = { client_id: OPEN_BANKING_DEMO.clientId, client_secret: OPEN_BANKING_DEMO.clientSecret };

  it('issues a Bearer token for a valid scope, with Basic or body credentials', async () => {
    expect(await emulator.fetch(url, formInit({ grant_type: 'client_credentials', scope: 'accountinformation private', ...client })).then(answer)).toMatchObject([
      200,
      { expires_in: 3600, token_type: 'Bearer', scope: 'accountinformation private' },
    ]);
    const basic = `Basic ${btoa(`${client.client_id}:${client.client_secret}`)}`;
    const response = await emulator.fetch(url, formInit({ grant_type: 'client_credentials', scope: 'paymentinitiation corporate' }, { authorization: basic }));
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it.each([
    ['accountinformation', 'invalid_scope'],
    ['accountinformation private corporate', 'invalid_scope'],
    ['accountinformation payments private', 'invalid_scope'],
    ['', 'invalid_scope'],
  ])('scope "%s" → 400 %s', async (scope, error) => {
    expect(await emulator.fetch(url, formInit({ grant_type: 'client_credentials', scope, ...client })).then(answer)).toMatchObject([400, { error }]);
  });

  it('checks client, grant type and content type', async () => {
    expect(await emulator.fetch(url, formInit({ grant_type: 'client_credentials', scope: 'accountinformation private', client_id: client.client_id, client_secret: 'x' })).then(answer)).toMatchObject([400, { error: 'invalid_client' }]);
    expect(await emulator.fetch(url, formInit({ grant_type: 'password', ...client })).then(answer)).toMatchObject([400, { error: 'unsupported_grant_type' }]);
    expect(await emulator.fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }).then(answer)).toMatchObject([400, { error: 'invalid_request' }]);
  });

  it('a code needs its consent headers and redirect URI, and works once', async () => {
    const code = emulator.openbanking.authorize({ consentId: 'c1', consentAuthorisationId: 'a1', redirectUri: 'https://m.example/cb' });
    const params = { grant_type: 'authorization_code', code, redirect_uri: 'https://m.example/cb', scope: 'accountinformation private', ...client };
    expect(await emulator.fetch(url, formInit(params)).then(answer)).toMatchObject([400, { error: 'invalid_request' }]); // headers missing (code now spent)
    const fresh = emulator.openbanking.authorize({ consentId: 'c1', consentAuthorisationId: 'a1', redirectUri: 'https://m.example/cb' });
    const headers = { 'x-consentid': 'c1', 'x-consentauthorisationid': 'a1' };
    expect((await emulator.fetch(url, formInit({ ...params, code: fresh, redirect_uri: 'https://evil.example/cb' }, headers)).then(answer))[1]).toMatchObject({ error: 'invalid_grant' });
    const third = emulator.openbanking.authorize({ consentId: 'c1', consentAuthorisationId: 'a1', redirectUri: 'https://m.example/cb' });
    expect((await emulator.fetch(url, formInit({ ...params, code: third }, headers))).status).toBe(200);
    expect(await emulator.fetch(url, formInit({ ...params, code: third }, headers)).then(answer)).toMatchObject([400, { error: 'invalid_grant', error_description: 'authorization code has already been used' }]);
  });
});

describe('cybersource emulator', () => {
  const url = `${ORIGIN}/cybersource/oauth2/v3/token`;
  const client = { client_id: CYBERSOURCE_DEMO.clientId, client_secret: CYBERSOURCE_DEMO.clientSecret };

  it('answers the documented body and headers, echoing the correlation id', async () => {
    const emulator = createEmulator({ clock: { now: () => NOW } });
    const response = await emulator.fetch(url, formInit({ grant_type: 'authorization_code', code: emulator.cybersource.authorize(), ...client }, { 'v-c-client-correlation-id': 'c-9' }));
    expect(response.status).toBe(200);
    expect(response.headers.get('v-c-client-correlation-id')).toBe('c-9');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('pragma')).toBe('no-cache');
    const body = await response.json();
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 900, refresh_token_expires_in: 31_536_000, scope: 'merchant_config', client_status: 'active' });
    expect(body.access_token.split('.')).toHaveLength(3);
  });

  it('codes are single use, bound to their client, valid 10 minutes', async () => {
    const clock = manualClock();
    const emulator = createEmulator({ clock, cybersource: { clients: { [client.client_id]: client.client_secret, other: 'other-secret' } } });
    const code = emulator.cybersource.authorize();
    expect((await emulator.fetch(url, formInit({ grant_type: 'authorization_code', code, client_id: 'other', client_secret: 'other-secret' })).then(answer))[1]).toMatchObject({ error: 'invalid_grant' });
    const late = emulator.cybersource.authorize();
    clock.advance(600_000);
    expect((await emulator.fetch(url, formInit({ grant_type: 'authorization_code', code: late, ...client })).then(answer))[1]).toMatchObject({ error: 'invalid_grant', error_description: 'authorization code has expired' });
  });

  it('rotates refresh tokens and expires them after their lifetime', async () => {
    const clock = manualClock();
    const emulator = createEmulator({ clock, cybersource: { refreshTokenLifetime: 100 } });
    const [, first] = await emulator.fetch(url, formInit({ grant_type: 'authorization_code', code: emulator.cybersource.authorize(), ...client })).then(answer);
    const [, second] = await emulator.fetch(url, formInit({ grant_type: 'refresh_token', refresh_token: first.refresh_token as string, ...client })).then(answer);
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(await emulator.fetch(url, formInit({ grant_type: 'refresh_token', refresh_token: first.refresh_token as string, ...client })).then(answer)).toMatchObject([400, { error: 'invalid_grant' }]);
    clock.advance(100_000);
    expect(await emulator.fetch(url, formInit({ grant_type: 'refresh_token', refresh_token: second.refresh_token as string, ...client })).then(answer)).toMatchObject([400, { error: 'invalid_grant', error_description: 'refresh token has expired' }]);
    expect(emulator.cybersource.activeRefreshTokens()).toEqual([]);
  });

  it('401 for bad client credentials (body only: Basic is not taken), 406 for a non-JSON Accept', async () => {
    const emulator = createEmulator();
    const basic = `Basic ${btoa(`${client.client_id}:${client.client_secret}`)}`;
    expect(await emulator.fetch(url, formInit({ grant_type: 'refresh_token', refresh_token: 'x' }, { authorization: basic })).then(answer)).toMatchObject([401, { error: 'invalid_client' }]);
    expect((await emulator.fetch(url, formInit({ grant_type: 'refresh_token', ...client }, { accept: 'text/html' }))).status).toBe(406);
    expect(await emulator.fetch(url, formInit({ grant_type: 'client_credentials', ...client })).then(answer)).toMatchObject([400, { error: 'unsupported_grant_type' }]);
  });
});
