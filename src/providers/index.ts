// tokenmint/providers: one TokenFlow factory per provider (one file each); wire formats in shared/PROVIDERS.md.
export type { Environment, ProviderOptions } from './_shared.js';
export { kitegateway, KITEGATEWAY_HOSTS, type KitegatewayOptions } from './kitegateway.js';
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
} from './open-banking-platform.js';
export { cybersource, CYBERSOURCE_HOSTS, type CyberSourceOptions } from './cybersource.js';
export { paypal, paypalClientToken, PAYPAL_HOSTS, type PayPalOptions, type PayPalClientTokenOptions } from './paypal.js';
