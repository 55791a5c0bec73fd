// THE list of providers: one line each, the name of its folder here. A folder (src/providers/<name>/)
// holds a provider's flow and descriptor (flow.ts) and its emulator (emulator.ts); its name is the
// provider's emulator prefix, the one name every layer takes. scripts/providers.mjs builds the modules
// that import the folders from this list (all.ts here, src/emulator/providers.ts); `npm run build` and
// `npm start` run it. docs/providers.md#adding-a-provider.

/**
 * Providers whose tokens come from their credentials alone: what the mint Worker serves without its
 * vault part. A new provider goes here, unless its flow starts from an authorization code.
 */
export const CREDENTIALS = [
  'kitegateway',
  'openbanking',
  'paypal',
  'airwallex',
  'volt',
  'trustpay',
  'globalpay',
  'iatapay',
  'jpmorgan',
  'truelayer',
  'getnet',
  'pinelabs',
] as const;

/**
 * Providers whose first token comes from an authorization code (their descriptor says `codeGrant`): the
 * Worker's vault keeps their refresh tokens, and only its part carries their code (a list of its own, so
 * the production Worker, which names them only to refuse them, bundles none of it).
 */
export const CODE_GRANTS = ['cybersource'] as const;
