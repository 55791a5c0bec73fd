import { clientCredentials, type TokenFlow } from '../../core/index.js';
import { checkOptions, fetchOption, resolveBase, resolveEnvironment, type Environment, type ProviderOptions } from '../_shared.js';
import { defineProvider, type ProviderDescriptor } from '../descriptor.js';

const PROVIDER = 'jpmorgan';

/** One identity host for both environments; the scope tells them apart. @see docs/providers.md#jp-morgan */
export const JPMORGAN_HOSTS: Readonly<Record<Environment, string>> = {
  sandbox: 'https://id.payments.jpmorgan.com',
  production: 'https://id.payments.jpmorgan.com',
};

/**
 * The scope per environment. Sandbox: `jpm:payments:sandbox` (documented). Production: unverified —
 * the documented pattern read without its `:sandbox` suffix, `jpm:payments` (Prism itself sends the
 * sandbox scope everywhere). Kept here, in one place, for when J.P. Morgan confirms it.
 */
export const JPMORGAN_SCOPES: Readonly<Record<Environment, string>> = {
  sandbox: 'jpm:payments:sandbox',
  production: 'jpm:payments',
};

export interface JpMorganOptions extends ProviderOptions {
  clientId: string;
  clientSecret: string;
}

/**
 * J.P. Morgan Payments' token (ForgeRock AM): client credentials as a form with Basic credentials and the
 * environment's scope; tokens live about an hour. Server-only.
 * @see docs/providers.md#jp-morgan; RFC 6749 §4.4
 * @example
 * const source = store.source(jpmorgan({ clientId, clientSecret: env.JPM_SECRET, environment: 'production' }));
 */
export function jpmorgan(options: JpMorganOptions): TokenFlow {
  checkOptions(PROVIDER, options, 'clientId clientSecret');
  return clientCredentials({
    provider: PROVIDER,
    tokenUrl: `${resolveBase(PROVIDER, JPMORGAN_HOSTS, options)}/am/oauth2/alpha/access_token`,
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    scope: JPMORGAN_SCOPES[resolveEnvironment(PROVIDER, options)],
    auth: 'client_secret_basic',
    ...fetchOption(PROVIDER, options),
  });
}

/** The provider's descriptor (docs/providers.md#adding-a-provider). */
export const JPMORGAN_PROVIDER: ProviderDescriptor = /* @__PURE__ */ defineProvider(jpmorgan, {
  name: 'jpmorgan',
  prismNumber: 43,
  emulatorPrefix: 'jpmorgan',
  hosts: JPMORGAN_HOSTS,
  credentials: { clientId: 'JPMORGAN_CLIENT_ID', clientSecret: 'JPMORGAN_CLIENT_SECRET' },
  identifiers: ['clientId'],
});
