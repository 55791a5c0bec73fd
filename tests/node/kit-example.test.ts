// docs/kit.md's example flow, as the page shows it (the block must equal the fixture), against the
// emulator's generic OAuth 2 endpoint, through the built package entries `tokenmint` and `tokenmint/kit`.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { createTokenStore, TokenError } from 'tokenmint';
import { createEmulator, OAUTH2_DEMO } from 'tokenmint/emulator';
import { ROOT } from '../../scripts/lib/hermetic-env.mjs';
import { acme } from './fixtures/kit/acme-flow.js';

const FIXTURE = 'tests/node/fixtures/kit/acme-flow.ts';

it('docs/kit.md shows the fixture as it is', () => {
  const page = readFileSync(`${ROOT}docs/kit.md`, 'utf8');
  const block = /```ts\n([\s\S]*?)```/.exec(page)?.[1];
  const fixture = readFileSync(`${ROOT}${FIXTURE}`, 'utf8').replace(/^(\/\/.*\n)+/, '');
  expect(block).toBe(fixture);
});

it('the example flow gets a token from an RFC 6749 endpoint, and refuses bad options', async () => {
  const emulator = createEmulator();
  const store = createTokenStore({ fetch: emulator.fetch });
  const flow = acme({ tokenUrl: `${emulator.baseUrl('oauth2')}/token`, ...OAUTH2_DEMO });
  const token = await store.source(flow).get();
  expect(token.accessToken).not.toBe('');
  expect(token.scope).toBe('payments');
  expect(() => acme({ tokenUrl: 'ftp://x', ...OAUTH2_DEMO })).toThrow(TokenError);
  store.dispose();
});
