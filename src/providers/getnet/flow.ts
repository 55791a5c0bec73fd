import { clientCredentials, type TokenFlow } from '../../core/index.js';
import { requireString } from '../../core/kit.js';
import { checkOptions, fetchOption, resolveBase, type Environment, type ProviderOptions } from '../_shared.js';
import { defineProvider, type ProviderDescriptor } from '../descriptor.js';

const PROVIDER = 'getnet';

/**
 * Sandbox is documented. Production is unverified: the sandbox host's pattern without its `-sbx.pre`
 * part, `https://api.globalgetnet.com`. Kept here, in one place; pass `baseUrl` if Getnet gave you another.
 * @see docs/providers.md#getnet
 */
export const GETNET_HOSTS: Readonly<Record<Environment, string>> = {
  sandbox: 'https://api-sbx.pre.globalgetnet.com',
  production: 'https://api.globalgetnet.com',
};

export interface GetnetOptions extends ProviderOptions {
  /** Basic user name. */
  apiKey: string;
  /** Basic password. */
  apiSecret: string;
}

/**
 * Getnet's token: client credentials as a form with the API key and secret as Basic credentials.
 * Server-only.
 * @see docs/providers.md#getnet; RFC 6749 §4.4
 * @example
 * const source = store.source(getnet({ apiKey, apiSecret: env.GETNET_SECRET }));
 */
export function getnet(options: GetnetOptions): TokenFlow {
  checkOptions(PROVIDER, options, 'apiKey apiSecret');
  return clientCredentials({
    provider: PROVIDER,
    tokenUrl: `${resolveBase(PROVIDER, GETNET_HOSTS, options)}/authentication/oauth2/access_token`,
    // The core flow names its options clientId/clientSecret; a missing key must name Getnet's own fields.
    clientId: requireString(PROVIDER, 'apiKey', options.apiKey),
    clientSecret: requireString(PROVIDER, 'apiSecret', options.apiSecret),
    auth: 'client_secret_basic',
    ...fetchOption(PROVIDER, options),
  });
}

/** The provider's descriptor (docs/providers.md#adding-a-provider). */
export const GETNET_PROVIDER: ProviderDescriptor = /* @__PURE__ */ defineProvider(getnet, {
  name: 'getnet',
  prismNumber: 33,
  emulatorPrefix: 'getnet',
  hosts: GETNET_HOSTS,
  credentials: { apiKey: 'GETNET_API_KEY', apiSecret: 'GETNET_API_SECRET' },
  identifiers: ['apiKey'],
});
