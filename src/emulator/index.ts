// tokenmint/emulator: offline emulators of every provider's token endpoint, as one fetch handler.
export { createEmulator, type Emulator, type EmulatorOptions, type EmulatorProviders } from './emulator.js';
export type { EmulatorClock, EmulatorEnv, ProviderEmulator, RecordedRequest } from './types.js';
export type { Fault, FaultBody, FaultHandle } from './faults.js';
export { authenticateClient, CodeBook, CODE_REFUSALS, type ClientAuthMethod, type CodeRefusal } from './_oauth.js';
export { json, oauthError, fakeJwt, randomToken } from './_respond.js';
export { createOAuth2Emulator, OAUTH2_DEMO, type OAuth2Authorization, type OAuth2Emulator, type OAuth2EmulatorOptions } from './oauth2.js';
export { createKitegatewayEmulator, KITEGATEWAY_DEMO, type KitegatewayCredentials, type KitegatewayEmulator, type KitegatewayEmulatorOptions } from './kitegateway.js';
export { createOpenBankingEmulator, OPEN_BANKING_DEMO, type OpenBankingEmulator, type OpenBankingEmulatorOptions, type OpenBankingGrant } from './open-banking-platform.js';
export { createCyberSourceEmulator, CYBERSOURCE_DEMO, type CyberSourceEmulator, type CyberSourceEmulatorOptions } from './cybersource.js';
