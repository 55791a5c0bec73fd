import { clientCredentials, type TokenFlow } from '../../core/index.js';
import { checkOptions, fetchOption, resolveBase, type Environment, type ProviderOptions } from '../_shared.js';
import { defineProvider, type ProviderDescriptor } from '../descriptor.js';

const PROVIDER = 'truelayer';

/** @see docs/providers.md#truelayer */
export const TRUELAYER_HOSTS: Readonly<Record<Environment, string>> = {
  sandbox: 'https://auth.truelayer-sandbox.com',
  production: 'https://auth.truelayer.com',
};

/** The scope of TrueLayer's Payments API (both environments). */
export const TRUELAYER_SCOPE = 'payments';

export interface TrueLayerOptions extends ProviderOptions {
  clientId: string;
  clientSecret: string;
}

/**
 * TrueLayer's token: client credentials as a form, id and secret in the body, `scope=payments`;
 * tokens live an hour. Server-only.
 * @see docs/providers.md#truelayer; RFC 6749 §4.4
 * @example
 * const source = store.source(truelayer({ clientId, clientSecret: env.TRUELAYER_SECRET }));
 */
export function truelayer(options: TrueLayerOptions): TokenFlow {
  checkOptions(PROVIDER, options, 'clientId clientSecret');
  return clientCredentials({
    provider: PROVIDER,
    tokenUrl: `${resolveBase(PROVIDER, TRUELAYER_HOSTS, options)}/connect/token`,
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    scope: TRUELAYER_SCOPE,
    auth: 'client_secret_post',
    ...fetchOption(PROVIDER, options),
  });
}

/** The provider's descriptor (docs/providers.md#adding-a-provider). */
export const TRUELAYER_PROVIDER: ProviderDescriptor = /* @__PURE__ */ defineProvider(truelayer, {
  name: 'truelayer',
  prismNumber: 110,
  emulatorPrefix: 'truelayer',
  hosts: TRUELAYER_HOSTS,
  credentials: { clientId: 'TRUELAYER_CLIENT_ID', clientSecret: 'TRUELAYER_CLIENT_SECRET' },
  identifiers: ['clientId'],
});
