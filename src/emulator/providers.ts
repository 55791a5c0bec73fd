// THE list of the providers' emulators, keyed by the `emulatorPrefix` of each provider's descriptor
// (src/providers/list.ts): a list apart, so that nothing built from the descriptors (the production
// Worker above all) pulls an emulator in. tests/providers/descriptors.test.ts checks that both lists
// name the same providers. Adding one: its file here, ending with its entry, and one line below.
// `Emulator`, `EmulatorOptions` and the router are derived from this module's exports.
export { KITEGATEWAY_EMULATOR as kitegateway } from '../providers/kitegateway/emulator.js';
export { OPEN_BANKING_EMULATOR as openbanking } from '../providers/openbanking/emulator.js';
export { CYBERSOURCE_EMULATOR as cybersource } from '../providers/cybersource/emulator.js';
export { PAYPAL_EMULATOR as paypal } from '../providers/paypal/emulator.js';
export { AIRWALLEX_EMULATOR as airwallex } from '../providers/airwallex/emulator.js';
export { VOLT_EMULATOR as volt } from '../providers/volt/emulator.js';
export { TRUSTPAY_EMULATOR as trustpay } from '../providers/trustpay/emulator.js';
export { GLOBALPAY_EMULATOR as globalpay } from '../providers/globalpay/emulator.js';
export { IATAPAY_EMULATOR as iatapay } from '../providers/iatapay/emulator.js';
export { JPMORGAN_EMULATOR as jpmorgan } from '../providers/jpmorgan/emulator.js';
export { TRUELAYER_EMULATOR as truelayer } from '../providers/truelayer/emulator.js';
export { GETNET_EMULATOR as getnet } from '../providers/getnet/emulator.js';
export { PINELABS_EMULATOR as pinelabs } from '../providers/pinelabs/emulator.js';
