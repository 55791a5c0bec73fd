// tokenmint/worker/proxy: the token-mediating proxy, `/v1/proxy/{profile}/{path…}` (docs/worker.md, "Proxy").
// Hand `proxy()` to createMintWorker; a Worker built without it refuses configs whose profiles have one.
import { checkKeys, configError } from '../../core/kit.js';
import type { ProxyFeature } from '../features.js';
import type { Handler } from '../http/context.js';
import type { ProxyGuard } from './guard.js';
import { checkProxy } from './check.js';
import { PROXY_PREFIX, proxy as handleProxy } from './handler.js';

export type { ProxyGuard, ProxySession } from './guard.js';
export type { VerifiedSession } from './session-token.js';
export type { ProxyFeature } from '../features.js';

export interface ProxyOptions {
  /**
   * The proxy's last check, after the session token and the allow-list passed and before anything
   * goes upstream: `false` answers 403 `guard_refused` (an amount limit, a merchant id in the body).
   */
  guard?: ProxyGuard;
}

/**
 * The proxy part of a mint Worker.
 * @example
 * import { createMintWorker } from 'tokenmint/worker';
 * import { proxy } from 'tokenmint/worker/proxy';
 * export default createMintWorker({ proxy: proxy({ guard: (request, session) => session.claims.scope.includes('checkout') }) });
 */
export function proxy(options: ProxyOptions = {}): ProxyFeature {
  checkKeys('proxy', options, 'guard');
  const { guard } = options;
  if (guard !== undefined && typeof guard !== 'function') throw configError('proxy', 'guard', 'must be a function');
  const handler: Handler = (context) => handleProxy(context, guard);
  return { part: 'proxy', route: (pathname) => (pathname.startsWith(PROXY_PREFIX) ? handler : undefined), check: checkProxy };
}
