import { sha256Hex } from './sha256.js';

/**
 * A flow's cache key: readable, non-secret parts first (grant, endpoint, client id), then a digest of
 * everything else that changes the token — secrets included — so that two flows that differ in any
 * of them are two sources, and the key never reveals a secret. 128 bits of the digest are kept.
 */
export function flowKey(
  grant: string,
  endpoint: string,
  clientId: string,
  identity: readonly unknown[],
): string {
  // Only origin and path are shown: a query string may carry credentials, so it goes into the digest.
  const url = new URL(endpoint);
  const digest = sha256Hex(JSON.stringify([url.search, ...identity])).slice(0, 32);
  // join() builds one flat string: a template literal would keep a rope alive, and the slice its
  // 64-digit parent, in every source for its whole life.
  return [grant, url.origin + url.pathname, clientId, digest].join(' ');
}
