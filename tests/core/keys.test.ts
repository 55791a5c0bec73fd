// Flow keys (the cache identity): stable for equal options, different whenever the token would be,
// and never revealing a secret. sha256Hex (the synchronous digest behind them) against node:crypto.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { authorizationCode, clientCredentials, refreshTokenFlow, tokenExchange, type ClientCredentialsOptions } from '../../src/core/index.js';
import { digestText, sha256Hex } from '../../src/core/kit.js';

const TOKEN_URL = 'https://auth.example.test/oauth/token';
const SECRET = 'Sup3r secret/+%:é=ü';
const base: ClientCredentialsOptions = { tokenUrl: TOKEN_URL, clientId: 'client-1', clientSecret: SECRET, scope: 'read', audience: 'https://api.example.test' };
/** Options may be set to undefined here to mean "left out". */
const _key = (extra: Record<string, unknown> = {}) => clientCredentials({ ...base, ...extra } as ClientCredentialsOptions).key;

/** Every way a secret could be spelled inside a key. */
const _forms = (secret: string) => [secret, encodeURIComponent(secret), new URLSearchParams({ v: secret }).toString().slice(2), btoa(String.fromCharCode(...new TextEncoder().encode(secret)))];

describe('flow keys', () => {
  it('are equal for equal options, and readable: grant, endpoint, client id, digest', () => {
    expect(_key()).toBe(_key());
    expect(_key()).toMatch(/^client_credentials https:\/\/auth\.example\.test\/oauth\/token client-1 [0-9a-f]{32}$/);
  });

  it('do not depend on headers, the fetch or the provider name', () => {
    expect(_key({ headers: { 'x-trace': '1' }, fetch: async () => new Response(), provider: 'acme' })).toBe(_key());
  });

  it.each<[string, Record<string, unknown>]>([
    ['secret', { clientSecret: `${SECRET}2` }],
    ['client id', { clientId: 'client-2' }],
    ['scope', { scope: 'write' }],
    ['no scope', { scope: undefined }],
    ['audience', { audience: 'https://other.example.test' }],
    ['resource', { resource: 'https://r.example.test' }],
    ['resource list', { resource: ['https://r.example.test', 'https://s.example.test'] }],
    ['tokenUrl', { tokenUrl: 'https://auth.example.test/oauth/token2' }],
    ['auth method', { auth: 'client_secret_post' }],
    ['extraParams', { extraParams: { account: 'a' } }],
    ['extraParams value', { extraParams: { account: 'b' } }],
  ])('differ when the %s differs', (_name, change) => {
    expect(_key(change)).not.toBe(_key());
  });

  it('two flows with the same client id and different secrets are two keys', () => {
    const a = clientCredentials({ tokenUrl: TOKEN_URL, clientId: 'shared', clientSecret: 'secret-a' });
    const b = clientCredentials({ tokenUrl: TOKEN_URL, clientId: 'shared', clientSecret: 'secret-b' });
    expect(a.key).not.toBe(b.key);
  });

  it('differ between grants on the same endpoint and client', () => {
    const keys = [
      _key(),
      authorizationCode({ tokenUrl: TOKEN_URL, clientId: 'client-1', clientSecret: SECRET, code: 'c' }).key,
      refreshTokenFlow({ tokenUrl: TOKEN_URL, clientId: 'client-1', clientSecret: SECRET, refreshToken: 'r' }).key,
      tokenExchange({ tokenUrl: TOKEN_URL, clientId: 'client-1', clientSecret: SECRET, subjectToken: 's', subjectTokenType: 't' }).key,
    ];
    expect(new Set(keys).size).toBe(4);
  });

  it('differ per code, refresh token and subject; a subject function is keyed by subjectId', () => {
    const code = (c: string) => authorizationCode({ tokenUrl: TOKEN_URL, clientId: 'c', code: c }).key;
    const refresh = (r: string) => refreshTokenFlow({ tokenUrl: TOKEN_URL, clientId: 'c', refreshToken: r }).key;
    const exchange = (s: string | (() => string), subjectId?: string) =>
      tokenExchange({ tokenUrl: TOKEN_URL, subjectToken: s, subjectTokenType: 't', ...(subjectId ? { subjectId } : {}) }).key;
    expect(code('code-a')).not.toBe(code('code-b'));
    expect(refresh('rt-a')).not.toBe(refresh('rt-b'));
    expect(exchange('st-a')).not.toBe(exchange('st-b'));
    expect(exchange(() => 'x', 'user-1')).toBe(exchange(() => 'y', 'user-1'));
    expect(exchange(() => 'x', 'user-1')).not.toBe(exchange(() => 'x', 'user-2'));
  });

  it('never contain a secret, code, verifier, refresh, subject or actor token in any spelling', () => {
    const values = { secret: SECRET, code: 'code-Priv8 /+', verifier: 'verifier-Priv8-0123456789', refresh: 'rt-Priv8 /+', subject: 'st-Priv8 /+', actor: 'act-Priv8 /+' };
    const keys = [
      _key(),
      authorizationCode({ tokenUrl: TOKEN_URL, clientId: 'c', clientSecret: SECRET, code: values.code, codeVerifier: values.verifier }).key,
      refreshTokenFlow({ tokenUrl: TOKEN_URL, clientId: 'c', clientSecret: SECRET, refreshToken: values.refresh }).key,
      tokenExchange({ tokenUrl: TOKEN_URL, clientId: 'c', clientSecret: SECRET, subjectToken: values.subject, subjectTokenType: 't', actorToken: values.actor, actorTokenType: 't' }).key,
    ];
    for (const key of keys) for (const value of Object.values(values)) for (const form of _forms(value)) expect(key).not.toContain(form);
  });
});

describe('sha256Hex', () => {
  it('matches the FIPS 180-4 "abc" vector', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it.each([
    '', 'a', 'a'.repeat(55), 'a'.repeat(56), 'a'.repeat(63), 'a'.repeat(64), 'a'.repeat(65), 'a'.repeat(119), 'a'.repeat(120), 'x'.repeat(1_000),
    'héllo wörld € 😀', 'é'.repeat(40), `${'🔑'.repeat(20)}tail`, '["secret",null,"client_secret_basic"]',
  ])('matches node:crypto for %j', (text) => {
    expect(sha256Hex(text)).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
  });
});

describe('digestText (WebCrypto)', () => {
  it.each(['', 'abc', 'héllo wörld € 😀', 'x'.repeat(1_000)])('SHA-256 and SHA-512 of the UTF-8 bytes of %j, as node:crypto and sha256Hex', async (text) => {
    const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
    expect(hex(await digestText('SHA-256', text))).toBe(sha256Hex(text));
    expect(hex(await digestText('SHA-512', text))).toBe(createHash('sha512').update(text, 'utf8').digest('hex'));
  });
});

describe('token URLs with a query string', () => {
  it('keep the query out of the readable key but still tell the flows apart', () => {
    const flow = (tokenUrl: string) => clientCredentials({ tokenUrl, clientId: 'c', clientSecret: 'secret-1' });
    const a = flow('https://auth.example.test/token?api_key=q-secret-123').key;
    const b = flow('https://auth.example.test/token?api_key=q-secret-456').key;
    expect(a).not.toContain('q-secret-123');
    expect(a).toContain('https://auth.example.test/token');
    expect(a).not.toBe(b);
  });
});
