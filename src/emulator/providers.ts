// The providers' emulators, keyed by the `emulatorPrefix` of each provider's descriptor
// (src/providers/list.ts): a separate list so that nothing built from the descriptors (the production
// Worker above all) pulls an emulator in. tests/providers/descriptors.test.ts checks that both lists
// name the same providers. Adding one: its file here, one line in each half below.
import { createAirwallexEmulator, AIRWALLEX_DEMO, type AirwallexEmulator, type AirwallexEmulatorOptions } from './airwallex.js';
import { createCyberSourceEmulator, CYBERSOURCE_DEMO, type CyberSourceEmulator, type CyberSourceEmulatorOptions } from './cybersource.js';
import { createGetnetEmulator, GETNET_DEMO, type GetnetEmulator, type GetnetEmulatorOptions } from './getnet.js';
import { createGlobalPayEmulator, GLOBALPAY_DEMO, type GlobalPayEmulator, type GlobalPayEmulatorOptions } from './globalpay.js';
import { createIataPayEmulator, IATAPAY_DEMO, type IataPayEmulator, type IataPayEmulatorOptions } from './iatapay.js';
import { createJpMorganEmulator, JPMORGAN_DEMO, type JpMorganEmulator, type JpMorganEmulatorOptions } from './jpmorgan.js';
import { createKitegatewayEmulator, KITEGATEWAY_DEMO, type KitegatewayEmulator, type KitegatewayEmulatorOptions } from './kitegateway.js';
import { createOpenBankingEmulator, OPEN_BANKING_DEMO, type OpenBankingEmulator, type OpenBankingEmulatorOptions } from './open-banking-platform.js';
import { createPayPalEmulator, PAYPAL_DEMO, type PayPalEmulator, type PayPalEmulatorOptions } from './paypal.js';
import { createPineLabsEmulator, PINELABS_DEMO, type PineLabsEmulator, type PineLabsEmulatorOptions } from './pinelabs.js';
import { createTrueLayerEmulator, TRUELAYER_DEMO, type TrueLayerEmulator, type TrueLayerEmulatorOptions } from './truelayer.js';
import { createTrustPayEmulator, TRUSTPAY_DEMO, type TrustPayEmulator, type TrustPayEmulatorOptions } from './trustpay.js';
import { createVoltEmulator, VOLT_DEMO, type VoltEmulator, type VoltEmulatorOptions } from './volt.js';
import type { EmulatorEnv, ProviderEmulator } from './types.js';

/** What an emulator accepts out of the box: credentials by option name (a fresh code for code grants), and a scope where the provider needs one. */
export interface EmulatorDemo {
  credentials: Readonly<Record<string, string>>;
  scope?: string;
}

/** One provider's emulator: how it is made, and what it accepts out of the box. */
export interface EmulatorEntry<E extends ProviderEmulator = ProviderEmulator, O = unknown> {
  create(options: O | undefined, env: EmulatorEnv): E;
  demo(emulator: E): EmulatorDemo;
}

const entry = <E extends ProviderEmulator, O>(create: (options: O | undefined, env: EmulatorEnv) => E, demo: (emulator: E) => EmulatorDemo): EmulatorEntry<E, O> => ({ create, demo });

/** The list, as a type: the emulator and its options per prefix (`Emulator` and `EmulatorOptions` are derived from it). */
export type ProviderEmulators = {
  kitegateway: EmulatorEntry<KitegatewayEmulator, KitegatewayEmulatorOptions>;
  openbanking: EmulatorEntry<OpenBankingEmulator, OpenBankingEmulatorOptions>;
  cybersource: EmulatorEntry<CyberSourceEmulator, CyberSourceEmulatorOptions>;
  paypal: EmulatorEntry<PayPalEmulator, PayPalEmulatorOptions>;
  airwallex: EmulatorEntry<AirwallexEmulator, AirwallexEmulatorOptions>;
  volt: EmulatorEntry<VoltEmulator, VoltEmulatorOptions>;
  trustpay: EmulatorEntry<TrustPayEmulator, TrustPayEmulatorOptions>;
  globalpay: EmulatorEntry<GlobalPayEmulator, GlobalPayEmulatorOptions>;
  iatapay: EmulatorEntry<IataPayEmulator, IataPayEmulatorOptions>;
  jpmorgan: EmulatorEntry<JpMorganEmulator, JpMorganEmulatorOptions>;
  truelayer: EmulatorEntry<TrueLayerEmulator, TrueLayerEmulatorOptions>;
  getnet: EmulatorEntry<GetnetEmulator, GetnetEmulatorOptions>;
  pinelabs: EmulatorEntry<PineLabsEmulator, PineLabsEmulatorOptions>;
};

export const PROVIDER_EMULATORS: ProviderEmulators = {
  kitegateway: entry(createKitegatewayEmulator, () => ({ credentials: { ...KITEGATEWAY_DEMO } })),
  openbanking: entry(createOpenBankingEmulator, () => ({ credentials: OPEN_BANKING_DEMO, scope: 'accountinformation private' })),
  cybersource: entry(createCyberSourceEmulator, (emulator) => ({ credentials: { ...CYBERSOURCE_DEMO, code: emulator.authorize() } })),
  paypal: entry(createPayPalEmulator, () => ({ credentials: PAYPAL_DEMO })),
  airwallex: entry(createAirwallexEmulator, () => ({ credentials: { ...AIRWALLEX_DEMO } })),
  volt: entry(createVoltEmulator, () => ({ credentials: { ...VOLT_DEMO } })),
  trustpay: entry(createTrustPayEmulator, () => ({ credentials: TRUSTPAY_DEMO })),
  globalpay: entry(createGlobalPayEmulator, () => ({ credentials: GLOBALPAY_DEMO })),
  iatapay: entry(createIataPayEmulator, () => ({ credentials: IATAPAY_DEMO })),
  jpmorgan: entry(createJpMorganEmulator, () => ({ credentials: JPMORGAN_DEMO })),
  truelayer: entry(createTrueLayerEmulator, () => ({ credentials: TRUELAYER_DEMO })),
  getnet: entry(createGetnetEmulator, () => ({ credentials: GETNET_DEMO })),
  pinelabs: entry(createPineLabsEmulator, () => ({ credentials: PINELABS_DEMO })),
};
