// tokenmint/providers: one TokenFlow factory per provider (one file each); wire facts in docs/providers.md.
export type { Environment, ProviderOptions } from './options.js';
export { kitegateway, KITEGATEWAY_HOSTS, type KitegatewayOptions } from './kitegateway/flow.js';
export {
  openBankingPlatform,
  openBankingPlatformAuthorizationCode,
  openBankingScope,
  OPEN_BANKING_PLATFORM_HOSTS,
  OPEN_BANKING_API_SCOPES,
  OPEN_BANKING_PSU_CONTEXTS,
  type OpenBankingPlatformOptions,
  type OpenBankingPlatformAuthorizationCodeOptions,
  type OpenBankingAuthorisation,
} from './openbanking/flow.js';
export { cybersource, CYBERSOURCE_HOSTS, type CyberSourceOptions } from './cybersource/flow.js';
export { paypal, paypalClientToken, PAYPAL_HOSTS, type PayPalOptions, type PayPalClientTokenOptions } from './paypal/flow.js';
export { airwallex, AIRWALLEX_HOSTS, type AirwallexOptions } from './airwallex/flow.js';
export { volt, VOLT_HOSTS, type VoltOptions } from './volt/flow.js';
export { trustpay, TRUSTPAY_HOSTS, TRUSTPAY_FALLBACK_LIFETIME, type TrustPayOptions } from './trustpay/flow.js';
export { globalpay, sha512Hex, GLOBALPAY_HOSTS, GLOBALPAY_API_VERSION, type GlobalPayOptions } from './globalpay/flow.js';
export { iatapay, IATAPAY_HOSTS, IATAPAY_SCOPE, type IataPayOptions } from './iatapay/flow.js';
export { jpmorgan, JPMORGAN_HOSTS, JPMORGAN_SCOPES, type JpMorganOptions } from './jpmorgan/flow.js';
export { truelayer, TRUELAYER_HOSTS, TRUELAYER_SCOPE, type TrueLayerOptions } from './truelayer/flow.js';
export { getnet, GETNET_HOSTS, type GetnetOptions } from './getnet/flow.js';
export { pinelabs, PINELABS_HOSTS, type PineLabsOptions } from './pinelabs/flow.js';
// The descriptors Prism, the Worker and the emulator's tables are built from (docs/providers.md#adding-a-provider).
export { CODE_GRANT_PROVIDERS, CREDENTIAL_PROVIDERS, PROVIDER_DESCRIPTORS, findProvider } from './list.js';
export { defineProvider, normaliseName, type ProviderDescriptor, type ProviderSpec, type FlowRequest, type ClientTokenFlowRequest } from './descriptor.js';
