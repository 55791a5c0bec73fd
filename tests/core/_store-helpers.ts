import { vi } from 'vitest';
import { clientCredentials, createTokenStore, type TokenEvent, type TokenStoreOptions } from '../../src/core/index.js';
import { createOAuthServer, type OAuthServerOptions } from '../helpers/oauth-server.js';

export const SECRET = 'secret-1-Zq8LrT0pW';

/** A store on vitest's fake clock, a token endpoint, one client_credentials source and the events seen. */
export function _setup(options: { server?: OAuthServerOptions; store?: TokenStoreOptions } = {}) {
  const server = createOAuthServer({ clients: { 'client-1': SECRET }, ...options.server });
  const events: TokenEvent[] = [];
  const store = createTokenStore({ fetch: server.fetch, random: () => 0.5, onEvent: (event) => events.push(event), ...options.store });
  const flow = (scope = 'read') => clientCredentials({ tokenUrl: 'https://auth.test/token', clientId: 'client-1', clientSecret: SECRET, scope });
  const source = store.source(flow());
  return { server, store, source, events, flow };
}

/** Lets pending promise callbacks run without moving the clock. */
export const _flush = async (): Promise<void> => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
};

/** Moves the fake clock, running timers and the promise callbacks they start. */
export const _advance = (ms: number): Promise<void> => vi.advanceTimersByTimeAsync(ms);

/** Whether a promise has settled right now (without waiting on the clock). */
export async function _settledNow<T>(promise: Promise<T>): Promise<boolean> {
  let settled = false;
  promise.then(() => (settled = true), () => (settled = true));
  await _flush();
  return settled;
}
