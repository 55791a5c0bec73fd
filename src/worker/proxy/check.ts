// A profile's `proxy` section against the rest of the profile: session mode only, scopes it names
// exist, and an API base it can reach (the emulator's, the configured one, or the provider's known one).
import * as v from 'valibot';
import { LOOPBACK } from '../../core/kit.js';
import type { RawProfile } from '../config/schema.js';
import type { Describe } from '../features.js';
import { ProxySchema, type ProxyConfigJson } from './schema.js';
import { compileRoutes, type ProxyRoute } from './routes.js';

/** The provider API bases the proxy knows, per environment; other providers need `proxy.apiBase`. */
export const KNOWN_API_BASES: Readonly<Record<string, Readonly<Record<'sandbox' | 'production', string>>>> = {
  // https://developer.paypal.com/api/rest/requests/
  paypal: { sandbox: 'https://api-m.sandbox.paypal.com', production: 'https://api-m.paypal.com' },
};

/** A profile's proxy as the handler uses it. */
export interface ProxyPolicy {
  readonly routes: readonly ProxyRoute[];
  /** Without a trailing slash; undefined for `"upstream": "emulator"` (the dev emulator's base is used). */
  readonly apiBase: string | undefined;
  readonly maxRequestBytes: number;
  readonly maxResponseBytes: number;
  readonly timeout: number;
  /** For CORS preflights: every method the allow-list names. */
  readonly methods: string;
}

function checkApiBase(url: URL): string | undefined {
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') return 'must have no query, fragment or credentials';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.test(url.hostname))) return 'must be https (http only for a loopback host)';
  return undefined;
}

/** The proxy policy of a profile, or undefined after pushing what is wrong to `errors`. */
export function checkProxy(at: string, profile: RawProfile, errors: string[], describe: Describe): ProxyPolicy | undefined {
  const parsed = v.safeParse(ProxySchema, profile.proxy);
  if (!parsed.success) {
    errors.push(...parsed.issues.map(describe));
    return undefined;
  }
  const proxy: ProxyConfigJson = parsed.output;
  const before = errors.length;
  if (profile.mode !== 'session') errors.push(`${at}: proxy applies to session mode only (upstream mode hands the provider's token to the page)`);
  for (const scope of Object.keys(proxy.allow)) {
    if (!profile.scopes.includes(scope)) errors.push(`${at}: proxy.allow.${scope}: "${scope}" is not one of the profile's scopes`);
  }
  let apiBase: string | undefined;
  if (profile.upstream === 'emulator') {
    if (proxy.apiBase !== undefined) errors.push(`${at}: proxy.apiBase conflicts with "upstream": "emulator" (the emulator's API is used)`);
  } else if (proxy.apiBase !== undefined) {
    const problem = checkApiBase(new URL(proxy.apiBase));
    if (problem !== undefined) errors.push(`${at}: proxy.apiBase ${problem}`);
    apiBase = proxy.apiBase.replace(/\/+$/, '');
  } else {
    const known = Object.hasOwn(KNOWN_API_BASES, profile.provider) ? KNOWN_API_BASES[profile.provider] : undefined;
    const environment = profile.options.environment;
    if (known === undefined) errors.push(`${at}: proxy.apiBase is required for provider "${profile.provider}" (the proxy knows the API base of: ${Object.keys(KNOWN_API_BASES).join(', ')})`);
    else if (environment !== 'sandbox' && environment !== 'production') errors.push(`${at}: the proxy needs options.environment ("sandbox" or "production") or proxy.apiBase to know where to forward`);
    else apiBase = known[environment];
  }
  if (errors.length > before) return undefined;
  const routes = compileRoutes(proxy.allow);
  return {
    routes,
    apiBase,
    maxRequestBytes: proxy.maxRequestBytes,
    maxResponseBytes: proxy.maxResponseBytes,
    timeout: proxy.timeout,
    methods: [...new Set(routes.map((route) => route.method))].join(', '),
  };
}
