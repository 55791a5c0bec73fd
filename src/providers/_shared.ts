// What every provider factory shares: the environment switch, the base URL override and the flow's own
// fetch. Internal (not re-exported one by one): providers import it, users see `ProviderOptions`.
import { configError, requireEndpoint, type FlowContext } from '../core/index.js';

/** Which of a provider's documented hosts to use. */
export type Environment = 'sandbox' | 'production';

/** Options every provider factory takes besides its credentials. */
export interface ProviderOptions {
  /** Picks the provider's documented hosts. Default `'sandbox'`. */
  environment?: Environment | undefined;
  /**
   * Replaces the host part (scheme, host, optional path prefix), e.g. an emulator's
   * `https://emulator.invalid/kitegateway`. https, or plain http on loopback only.
   */
  baseUrl?: string | undefined;
  /** The fetch this flow uses instead of the store's (e.g. an emulator's, or a Worker's mTLS binding). */
  fetch?: typeof fetch | undefined;
}

/** The base URL a flow talks to, without a trailing slash: `baseUrl` if given, else the environment's host. */
export function resolveBase(provider: string, hosts: Readonly<Record<Environment, string>>, options: ProviderOptions): string {
  const environment = options.environment ?? 'sandbox';
  if (environment !== 'sandbox' && environment !== 'production') {
    throw configError(provider, 'environment', 'must be "sandbox" or "production"');
  }
  const base = options.baseUrl === undefined ? hosts[environment] : requireEndpoint(provider, 'baseUrl', options.baseUrl);
  if (base.includes('?') || base.includes('#')) throw configError(provider, 'baseUrl', 'must not carry a query or fragment');
  return base.replace(/\/+$/, '');
}

/** The flow context with the flow's own fetch, when it has one. */
export function withFetch(ctx: FlowContext, fetchFn: typeof fetch | undefined): FlowContext {
  return fetchFn === undefined ? ctx : { ...ctx, fetch: fetchFn };
}
