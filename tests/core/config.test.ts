// Options are checked when a flow is built: a `config` TokenError naming the field, before any request.
import { describe, expect, it } from 'vitest';
import { authorizationCode, clientCredentials, createTokenStore, refreshTokenFlow, tokenExchange, TokenError, type TokenFlow } from '../../src/core/index.js';
import { MerchantAuthenticationClient } from '../../src/prism/index.js';
import { kitegateway, paypal, paypalClientToken } from '../../src/providers/index.js';

const TOKEN_URL = 'https://auth.example.test/oauth/token';
type Factory = (options: Record<string, unknown>) => TokenFlow;

/** Each generic flow with valid options, its required string options and its optional ones. */
const FLOWS: [name: string, factory: Factory, valid: Record<string, unknown>, required: string[], optional: string[]][] = [
  ['clientCredentials', clientCredentials as unknown as Factory, { tokenUrl: TOKEN_URL, clientId: 'client-1', clientSecret: 'secret-1' }, ['clientId', 'clientSecret'], ['scope']],
  ['authorizationCode', authorizationCode as unknown as Factory, { tokenUrl: TOKEN_URL, clientId: 'client-1', clientSecret: 'secret-1', code: 'code-1' }, ['clientId', 'code'], ['clientSecret']],
  ['refreshTokenFlow', refreshTokenFlow as unknown as Factory, { tokenUrl: TOKEN_URL, clientId: 'client-1', clientSecret: 'secret-1', refreshToken: 'rt-1' }, ['clientId', 'refreshToken'], ['clientSecret', 'scope']],
  ['tokenExchange', tokenExchange as unknown as Factory, { tokenUrl: TOKEN_URL, subjectToken: 'st-1', subjectTokenType: 'urn:ietf:params:oauth:token-type:access_token' }, ['subjectToken', 'subjectTokenType'], ['clientId']],
];

/** The error `build()` throws: a TokenError with code `config` whose message names `field`. */
function _configError(build: () => unknown, field: string): TokenError {
  let error: unknown;
  try {
    build();
  } catch (caught) {
    error = caught;
  }
  expect(error, `expected a config error for ${field}`).toBeInstanceOf(TokenError);
  expect(error).toMatchObject({ code: 'config', provider: 'oauth2' });
  expect((error as Error).message).toContain(`"${field}"`);
  return error as TokenError;
}

describe.each(FLOWS)('%s options', (_name, factory, valid, required, optional) => {
  it('builds with the minimal valid options', () => {
    expect(factory(valid).key).toEqual(expect.any(String));
  });

  it.each(['tokenUrl', ...required].flatMap((field) => [undefined, '', '   ', 42].map((value) => [field, value] as const)))('%s = %j is refused', (field, value) => {
    _configError(() => factory({ ...valid, [field]: value }), field);
  });

  it.each(optional)('optional %s may be left out, but when given must be non-empty', (field) => {
    expect(() => factory({ ...valid, [field]: undefined })).not.toThrow();
    _configError(() => factory({ ...valid, [field]: '' }), field);
  });

  it.each([
    'http://example.com/token', 'ftp://auth.example.test/token', 'not a url', '/oauth/token',
    'http://127.0.0.1.evil.example/token', 'http://localhost.evil.example/token', 'http://10.0.0.1/token',
  ])('tokenUrl %j is refused', (tokenUrl) => {
    _configError(() => factory({ ...valid, tokenUrl }), 'tokenUrl');
  });

  it.each(['http://127.0.0.1:8080/token', 'http://localhost/token', 'http://localhost:3000/t', 'http://[::1]:9000/token', 'https://auth.example.test:8443/t'])(
    'tokenUrl %j is allowed',
    (tokenUrl) => {
      expect(() => factory({ ...valid, tokenUrl })).not.toThrow();
    },
  );

  it.each(['https://user:pw-in-url-77@auth.example.test/token', 'https://user@auth.example.test/token'])('tokenUrl with credentials %j is refused, without quoting them', (tokenUrl) => {
    const error = _configError(() => factory({ ...valid, tokenUrl }), 'tokenUrl');
    expect(error.message).not.toContain('pw-in-url-77');
    expect(error.message).not.toContain('user');
  });

  it.each(['private_key_jwt', 'basic', ''])('auth %j is refused', (auth) => {
    _configError(() => factory({ ...valid, auth }), 'auth');
  });

  it.each(['client_secret_basic', 'client_secret_post'])('auth %j is allowed', (auth) => {
    expect(() => factory({ ...valid, auth })).not.toThrow();
  });

  it.each(['fetch', {}, null, 1])('fetch %j is refused', (fetch) => {
    _configError(() => factory({ ...valid, fetch }), 'fetch');
  });

  it('names the custom provider in the error', () => {
    expect(() => factory({ ...valid, clientId: '', provider: 'acmepay' })).toThrowError(/^acmepay: option "clientId"/);
  });
});

describe.each(FLOWS.filter(([name]) => name === 'authorizationCode' || name === 'refreshTokenFlow'))('%s onRefreshToken', (_name, factory, valid) => {
  it.each(['persist', {}, 1])('%j is refused', (onRefreshToken) => {
    _configError(() => factory({ ...valid, onRefreshToken }), 'onRefreshToken');
  });
});

it('the secret never appears in a config error message', () => {
  const error = _configError(() => clientCredentials({ tokenUrl: 'http://example.com/t', clientId: 'c', clientSecret: 'cs-do-not-print-1' }), 'tokenUrl');
  expect(String(error)).not.toContain('cs-do-not-print-1');
});

describe('tokenExchange client authentication', () => {
  it('refuses a clientSecret without a clientId instead of silently sending no client authentication', () => {
    _configError(() => tokenExchange({ tokenUrl: TOKEN_URL, clientSecret: 'secret-1', subjectToken: 'st-1', subjectTokenType: 'urn:x' }), 'clientId');
  });

  it('accepts clientId with clientSecret, and clientId alone (public client)', () => {
    expect(() => tokenExchange({ tokenUrl: TOKEN_URL, clientId: 'c', clientSecret: 's-1234', subjectToken: 'st-1', subjectTokenType: 'urn:x' })).not.toThrow();
    expect(() => tokenExchange({ tokenUrl: TOKEN_URL, clientId: 'c', subjectToken: 'st-1', subjectTokenType: 'urn:x' })).not.toThrow();
  });
});

// Issue 12 item 7: unknown option names were silently ignored (`enviroment: 'production'` meant sandbox,
// `fetc:` was dropped). Every public factory refuses them with a config error naming the key.
describe('unknown option names are refused, with the near miss suggested', () => {
  const cases: [string, () => unknown, RegExp][] = [
    ...FLOWS.map(([name, factory, valid]): [string, () => unknown, RegExp] => [name, () => factory({ ...valid, fetc: globalThis.fetch }), /^oauth2: option "fetc" is unknown \(did you mean fetch\?\)$/]),
    ['clientCredentials, far from any name', () => clientCredentials({ tokenUrl: TOKEN_URL, clientId: 'c', clientSecret: 's-1', colour: 'blue' } as never), /^oauth2: option "colour" is unknown$/],
    ['createTokenStore', () => createTokenStore({ onEvnt: () => {} } as never), /^store: option "onEvnt" is unknown \(did you mean onEvent\?\)$/],
    ['createTokenStore refresh', () => createTokenStore({ refresh: { ratoi: 0.5 } } as never), /^store: option "refresh.ratoi" is unknown \(did you mean refresh.ratio\?\)$/],
    ['createTokenStore http', () => createTokenStore({ http: { timout: 5 } } as never), /^store: option "http.timout" is unknown \(did you mean http.timeout\?\)$/],
    ['paypal', () => paypal({ clientId: 'c', clientSecret: 's-1', enviroment: 'production' } as never), /^paypal: option "enviroment" is unknown \(did you mean environment\?\)$/],
    ['kitegateway', () => kitegateway({ apiKey: 'k-1', secretKey: 's-1', expiresIN: 60 } as never), /^kitegateway: option "expiresIN" is unknown \(did you mean expiresIn\?\)$/],
    ['paypalClientToken', () => paypalClientToken({ clientId: 'c', clientSecret: 's-1', customerID: 'x' } as never), /^paypal: option "customerID" is unknown \(did you mean customerId\?\)$/],
    ['Prism, seed config', () => new MerchantAuthenticationClient({ connector: 'paypal', credentials: { clientId: 'c', clientSecret: 's-1' }, enviroment: 'PRODUCTION' } as never), /^prism: option "enviroment" is unknown \(did you mean environment\?\)$/],
    ['Prism, current config options', () => new MerchantAuthenticationClient({ connectorConfig: { paypal: { clientId: 'c', clientSecret: 's-1' } }, options: { fetc: fetch } } as never), /^prism: option "options.fetc" is unknown \(did you mean options.fetch\?\)$/],
  ];
  it.each(cases)('%s', (_name, build, message) => {
    expect(build).toThrowError(message);
    try {
      build();
    } catch (error) {
      expect(error).toMatchObject({ name: 'TokenError', code: 'config' });
    }
  });

  it('known options set to undefined are fine', () => {
    expect(() => createTokenStore({ clock: undefined, refresh: { ratio: undefined } })).not.toThrow();
    expect(() => paypal({ clientId: 'c', clientSecret: 's-1', environment: undefined, baseUrl: undefined })).not.toThrow();
  });
});
