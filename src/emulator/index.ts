// tokenmint/emulator: offline emulators of every provider's token endpoint, as one fetch handler.
export { createEmulator, type Emulator, type EmulatorOptions, type EmulatorProviders } from './emulator.js';
// Every provider's emulator (src/providers/<name>/emulator.ts), and the list of them by prefix.
export * from './providers.js';
export type { ProviderEmulators } from './emulator.js';
export type { EmulatorClock, EmulatorDemo, EmulatorEntry, EmulatorEnv, LifetimeKind, ProviderEmulator, RecordedRequest, TokenAnswer } from './types.js';
export type { Fault, FaultBody, FaultHandle } from './faults.js';
export { authenticateClient, CodeBook, CODE_REFUSALS, type CodeRefusal } from './client-auth.js';
export { json, oauthError, oauthTokenAnswer, fakeJwt, randomToken } from './respond.js';
export { createOAuth2Emulator, OAUTH2_DEMO, OAUTH2_PUBLIC_DEMO, type OAuth2Authorization, type OAuth2Emulator, type OAuth2EmulatorOptions } from './oauth2.js';
export { checkClientCredentials, type ClientCredentialsRefusal } from './client-auth.js';
