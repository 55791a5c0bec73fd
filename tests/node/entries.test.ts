// What each package entry offers (issue #13): the root `tokenmint` holds what applications call (store,
// flows, errors, types); `tokenmint/kit` the building blocks of provider flows, and nothing of the root;
// no public entry re-exports an internal `_` module; every rollup entry is a package.json export.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { entries } from '../../rollup.config.mjs';
import { ROOT } from '../../scripts/lib/hermetic-env.mjs';
import * as root from '../../src/core/index.js';
import * as kit from '../../src/core/kit.js';

const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { exports: Record<string, string | { default: string; types: string }>; bin?: Record<string, string> };

describe('tokenmint (root) and tokenmint/kit', () => {
  it('the root offers the store, the flows and the errors', () => {
    for (const name of ['createTokenStore', 'clientCredentials', 'authorizationCode', 'refreshTokenFlow', 'tokenExchange', 'createPkce', 'TokenError']) {
      expect(typeof (root as Record<string, unknown>)[name], name).toBe('function');
    }
  });

  it('the building blocks are in the kit, not in the root', () => {
    const blocks = ['sendRequest', 'oauthFlow', 'processTokenResponse', 'requireString', 'base64', 'base64url', 'basicAuth', 'TokenResponseSchema', 'Seconds', 'flowKey', 'redact', 'configError', 'sha256Hex', 'RefreshState', 'readCapped', 'parseJson'];
    for (const name of blocks) expect(Object.keys(kit), name).toContain(name);
    expect(Object.keys(root).filter((name) => Object.hasOwn(kit, name))).toEqual([]);
  });

  it('package.json exports tokenmint/kit from the built kit module', () => {
    expect(pkg.exports['./kit']).toEqual({ types: './dist/core/kit.d.ts', default: './dist/core/kit.js' });
  });
});

describe('every public entry', () => {
  it.each(entries)('%s is exported (or a command) by package.json', (entry) => {
    const built = `./${entry.replace(/^src\//, 'dist/').replace(/\.ts$/, '.js')}`;
    const exported = [...Object.values(pkg.exports).map((target) => (typeof target === 'string' ? target : target.default)), ...Object.values(pkg.bin ?? {})];
    expect(exported).toContain(built);
  });

  it.each(entries)('%s re-exports no internal `_` module', (entry) => {
    const source = readFileSync(`${ROOT}${entry}`, 'utf8');
    expect([...source.matchAll(/from '(\.\/(?:[\w-]+\/)*_[\w-]+\.js)'/g)].map((m) => m[1])).toEqual([]);
  });
});
