// THE list of providers: Prism's connectors, the Worker's registry and the test tables are built from
// it. Adding a provider: its file (flow + descriptor), one line here, its emulator and one line in
// src/emulator/providers.ts (docs/providers.md#adding-a-provider).
import { AIRWALLEX_PROVIDER } from './airwallex.js';
import { CYBERSOURCE_PROVIDER } from './cybersource.js';
import { normaliseName, namesOf, type ProviderDescriptor } from './descriptor.js';
import { GETNET_PROVIDER } from './getnet.js';
import { GLOBALPAY_PROVIDER } from './globalpay.js';
import { IATAPAY_PROVIDER } from './iatapay.js';
import { JPMORGAN_PROVIDER } from './jpmorgan.js';
import { KITEGATEWAY_PROVIDER } from './kitegateway.js';
import { OPEN_BANKING_PLATFORM_PROVIDER } from './open-banking-platform.js';
import { PAYPAL_PROVIDER } from './paypal.js';
import { PINELABS_PROVIDER } from './pinelabs.js';
import { TRUELAYER_PROVIDER } from './truelayer.js';
import { TRUSTPAY_PROVIDER } from './trustpay.js';
import { VOLT_PROVIDER } from './volt.js';

/** Every provider, in the order Prism lists its connectors. */
export const PROVIDER_DESCRIPTORS: readonly ProviderDescriptor[] = [
  KITEGATEWAY_PROVIDER,
  OPEN_BANKING_PLATFORM_PROVIDER,
  CYBERSOURCE_PROVIDER,
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

/** The descriptor answering to `name` (any of its names, without case or separators), if any. */
export function findProvider(name: string, descriptors: readonly ProviderDescriptor[] = PROVIDER_DESCRIPTORS): ProviderDescriptor | undefined {
  const wanted = normaliseName(name);
  return descriptors.find((descriptor) => namesOf(descriptor).includes(wanted));
}
