// THE list of providers: Prism's connectors, the Worker's registry and the test tables are built from
// it. Adding a provider: its file (flow + descriptor), one line here, its emulator and one line in
// src/emulator/providers.ts (docs/providers.md#adding-a-provider).
import { AIRWALLEX_PROVIDER } from './airwallex/flow.js';
import { CYBERSOURCE_PROVIDER } from './cybersource/flow.js';
import { findIn, type ProviderDescriptor } from './descriptor.js';
import { GETNET_PROVIDER } from './getnet/flow.js';
import { GLOBALPAY_PROVIDER } from './globalpay/flow.js';
import { IATAPAY_PROVIDER } from './iatapay/flow.js';
import { JPMORGAN_PROVIDER } from './jpmorgan/flow.js';
import { KITEGATEWAY_PROVIDER } from './kitegateway/flow.js';
import { OPEN_BANKING_PLATFORM_PROVIDER } from './openbanking/flow.js';
import { PAYPAL_PROVIDER } from './paypal/flow.js';
import { PINELABS_PROVIDER } from './pinelabs/flow.js';
import { TRUELAYER_PROVIDER } from './truelayer/flow.js';
import { TRUSTPAY_PROVIDER } from './trustpay/flow.js';
import { VOLT_PROVIDER } from './volt/flow.js';

/**
 * The providers whose tokens come from their credentials alone: what the mint Worker serves without its
 * vault part. A new provider goes here, unless its flow starts from an authorization code.
 */
export const CREDENTIAL_PROVIDERS: readonly ProviderDescriptor[] = [
  KITEGATEWAY_PROVIDER,
  OPEN_BANKING_PLATFORM_PROVIDER,
  PAYPAL_PROVIDER,
  AIRWALLEX_PROVIDER,
  VOLT_PROVIDER,
  TRUSTPAY_PROVIDER,
  GLOBALPAY_PROVIDER,
  IATAPAY_PROVIDER,
  JPMORGAN_PROVIDER,
  TRUELAYER_PROVIDER,
  GETNET_PROVIDER,
  PINELABS_PROVIDER,
];

/**
 * The providers whose first token comes from an authorization code (`codeGrant`): the Worker's vault
 * keeps their refresh tokens, and only its part carries their code (a list of its own, so the production
 * Worker, which names these providers only to refuse them, bundles none of it).
 */
export const CODE_GRANT_PROVIDERS: readonly ProviderDescriptor[] = [CYBERSOURCE_PROVIDER];

/** Every provider: Prism's connectors, the emulator and the test tables. */
export const PROVIDER_DESCRIPTORS: readonly ProviderDescriptor[] = /* @__PURE__ */ CREDENTIAL_PROVIDERS.concat(CODE_GRANT_PROVIDERS);

/** The descriptor answering to `name` (any of its names, without case or separators), if any. */
export function findProvider(name: string, descriptors: readonly ProviderDescriptor[] = PROVIDER_DESCRIPTORS): ProviderDescriptor | undefined {
  return findIn(descriptors, name);
}
