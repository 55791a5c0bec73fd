// TokenKeeper on its own, with flows the registry cannot build: what it refuses to keep.
import { describe, expect, it } from 'vitest';
import type { AccessToken, TokenFlow } from '../../src/core/index.js';
import { TokenKeeper } from '../../src/worker/coordinator/keeper.js';
import { NOW, testClock } from './_mint-helpers.js';
import { FakeStorage } from './_fleet-helpers.js';

function keeper(tokens: AccessToken[]) {
  const storage = new FakeStorage();
  const logs: string[] = [];
  const flow: TokenFlow = { key: 'k', browserSafe: false, provider: 'custom', fetchToken: async () => tokens.shift()! };
  const k = new TokenKeeper({ storage, clock: testClock(), random: () => 0, log: (_, message) => void logs.push(message), build: () => flow, run: (f, signal) => f.fetchToken({ fetch, signal }) });
  return { k, storage, logs };
}

describe('TokenKeeper', () => {
  it.each([
    ['an infinite expiry (it would reach isolates as null)', Infinity],
    ['an expiry in the past', NOW - 1],
    ['no expiry at all', Number.NaN],
  ])('refuses a token with %s: invalid_response, nothing stored, no alarm', async (_, expiresAt) => {
    const { k, storage } = keeper([{ accessToken: 'SHOULD-NOT-BE-KEPT', tokenType: 'Bearer', expiresAt }]);
    const reply = await k.ask({ profile: 'p', key: 'k' });
    expect(reply).toEqual({ ok: false, error: { code: 'invalid_response', message: 'custom: the flow returned no usable token', provider: 'custom', retryable: false } });
    expect(JSON.stringify([...storage.data.values()])).not.toContain('SHOULD-NOT-BE-KEPT');
    expect(storage.alarm).toBeNull();
  });

  it('a lifetime beyond a day is refreshed as a day-long one (the store caps it the same way)', async () => {
    const { k, storage } = keeper([{ accessToken: 'long', tokenType: 'Bearer', expiresAt: NOW + 10 * 365 * 86_400_000 }]);
    expect((await k.ask({ profile: 'p', key: 'k' })).ok).toBe(true);
    expect(storage.alarm).toBe(NOW + 0.75 * 86_400_000 - 30_000);
  });
});
