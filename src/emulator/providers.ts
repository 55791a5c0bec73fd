// THE list of the providers' emulators, keyed by the `emulatorPrefix` of each provider's descriptor
// (src/providers/list.ts): a list apart, so that nothing built from the descriptors (the production
// Worker above all) pulls an emulator in. tests/providers/descriptors.test.ts checks that both lists
// name the same providers. Adding one: its file here, ending with its entry, and one line below.
// `Emulator`, `EmulatorOptions` and the router are derived from this module's exports.
export { KITEGATEWAY_EMULATOR as kitegateway } from './kitegateway.js';
export { OPEN_BANKING_EMULATOR as openbanking } from './open-banking-platform.js';
export { CYBERSOURCE_EMULATOR as cybersource } from './cybersource.js';
export { PAYPAL_EMULATOR as paypal } from './paypal.js';
export { AIRWALLEX_EMULATOR as airwallex } from './airwallex.js';
export { VOLT_EMULATOR as volt } from './volt.js';
export { TRUSTPAY_EMULATOR as trustpay } from './trustpay.js';
export { GLOBALPAY_EMULATOR as globalpay } from './globalpay.js';
export { IATAPAY_EMULATOR as iatapay } from './iatapay.js';
export { JPMORGAN_EMULATOR as jpmorgan } from './jpmorgan.js';
export { TRUELAYER_EMULATOR as truelayer } from './truelayer.js';
export { GETNET_EMULATOR as getnet } from './getnet.js';
export { PINELABS_EMULATOR as pinelabs } from './pinelabs.js';
