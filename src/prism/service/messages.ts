// The two messages of MerchantAuthenticationService.CreateServerAuthenticationToken (and the seed's
// CreateAccessToken, which has the same fields), with Prism's field numbers and names, in three
// encodings: binary protobuf, protobuf's canonical JSON (Connect), and the snake_case JSON of Prism's
// HTTP routes.
import { PROVIDER_DESCRIPTORS } from '../../providers/index.js';
import { OPERATION_STATUS, type OperationStatus } from '../status.js';
import { Writer, WireError, fieldString, fieldVarint, readFields } from './wire.js';

/**
 * The request. `connector` is Prism's `Connector` enum, read as its name (`'PAYPAL'`) or left empty;
 * `metadata` and `connector_feature_data` are accepted and not used by any token flow here.
 */
export interface TokenRequestMessage {
  merchantAccessTokenId?: string;
  connector?: string;
  testMode?: boolean;
}

/** The response, before encoding. `expiresInSeconds` is the token's remaining lifetime (see docs/prism-service.md). */
export interface TokenResponseMessage {
  accessToken?: string;
  tokenType?: string;
  expiresInSeconds?: number;
  status: OperationStatus;
  /** Written as `ErrorInfo.unified_details` (`code`, `message`). */
  error?: { code: string; message: string };
  statusCode: number;
  merchantAccessTokenId?: string;
}

/** Prism's `Connector` enum name of a provider: its Prism spelling in upper snake case (`pinelabsOnline` → `PINELABS_ONLINE`). */
const enumName = (name: string): string => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();

/**
 * Wire numbers of Prism's `Connector` enum for the connectors this service knows: the token connectors
 * (their descriptors' `prismNumber`) and the API-key ones the facade answers for. Kitegateway and the
 * Open Banking Platform have no number: they are named by the `x-connector` header or a profile.
 */
export const CONNECTOR_NUMBERS: Readonly<Record<string, number>> = {
  ...Object.fromEntries(PROVIDER_DESCRIPTORS.flatMap((d) => (d.prismNumber === undefined ? [] : [[enumName(d.prism ?? d.name), d.prismNumber]]))),
  ADYEN: 3,
  AUTHORIZEDOTNET: 5,
  BLUESNAP: 11,
  BRAINTREE: 13,
  CHECKOUT: 16,
  DLOCAL: 26,
  ELAVON: 28,
  FISERV: 29,
  HELCIM: 39,
  KLARNA: 45,
  MOLLIE: 47,
  NOVALNET: 56,
  NUVEI: 57,
  RAPYD: 68,
  RAZORPAY: 69,
  SHIFT4: 72,
  STRIPE: 75,
  WORLDPAY: 84,
  XENDIT: 89,
  CASHFREE: 93,
};

const CONNECTOR_NAMES = new Map(Object.entries(CONNECTOR_NUMBERS).map(([name, number]) => [number, name]));
const STATUS_NAMES = new Map(Object.entries(OPERATION_STATUS).map(([name, number]) => [number, `OPERATION_STATUS_${name}`]));

/** A number Prism's enum has but this service does not know keeps its number, so the answer can say which. */
const connectorFromNumber = (number: number): string | undefined => (number === 0 ? undefined : (CONNECTOR_NAMES.get(number) ?? `CONNECTOR_${number}`));

export function decodeRequest(bytes: Uint8Array): TokenRequestMessage {
  const message: TokenRequestMessage = {};
  for (const field of readFields(bytes)) {
    if (field.number === 1) message.merchantAccessTokenId = fieldString(field);
    else if (field.number === 2) {
      const connector = connectorFromNumber(Number(BigInt.asIntN(32, fieldVarint(field))));
      if (connector === undefined) delete message.connector;
      else message.connector = connector;
    } else if (field.number === 3 || field.number === 4) readFields(fieldBytes(field));
    else if (field.number === 5) message.testMode = fieldVarint(field) !== 0n;
  }
  return message;
}

function fieldBytes(field: ReturnType<typeof readFields>[number]): Uint8Array {
  if (!('bytes' in field)) throw new WireError(`field ${field.number} must be a message`);
  return field.bytes;
}

export function encodeResponse(message: TokenResponseMessage): Uint8Array<ArrayBuffer> {
  const writer = new Writer();
  if (message.accessToken !== undefined) writer.bytes(1, new Writer().string(1, message.accessToken).finish());
  if (message.tokenType !== undefined) writer.string(2, message.tokenType);
  if (message.expiresInSeconds !== undefined) writer.varint(3, BigInt(message.expiresInSeconds));
  const status = OPERATION_STATUS[message.status];
  if (status !== 0) writer.varint(4, status);
  if (message.error !== undefined) {
    const unified = new Writer().string(1, message.error.code).string(2, message.error.message).finish();
    writer.bytes(5, new Writer().bytes(1, unified).finish());
  }
  if (message.statusCode !== 0) writer.varint(6, message.statusCode);
  if (message.merchantAccessTokenId !== undefined) writer.string(7, message.merchantAccessTokenId);
  return writer.finish();
}

/** What is wrong with a JSON request, in words that quote nothing from it. */
export class MessageError extends Error {
  override readonly name: string = 'MessageError';
}

const FIELDS: Readonly<Record<string, keyof TokenRequestMessage | 'ignored'>> = {
  merchant_access_token_id: 'merchantAccessTokenId',
  merchantAccessTokenId: 'merchantAccessTokenId',
  connector: 'connector',
  test_mode: 'testMode',
  testMode: 'testMode',
  metadata: 'ignored',
  connector_feature_data: 'ignored',
  connectorFeatureData: 'ignored',
};

/** A SecretString in either JSON form: `{ "value": "…" }` (protobuf JSON) or a plain string (Prism's HTTP). */
const isSecretString = (value: unknown): boolean =>
  value === null || typeof value === 'string' || (typeof value === 'object' && !Array.isArray(value) && Object.keys(value).every((key) => key === 'value') && typeof (value as { value?: unknown }).value === 'string');

/** The request from parsed JSON: protobuf's JSON names or Prism's snake_case ones; unknown fields refused. */
export function requestFromJson(body: unknown): TokenRequestMessage {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new MessageError('the body must be a JSON object');
  const message: TokenRequestMessage = {};
  for (const [name, value] of Object.entries(body)) {
    const field = Object.hasOwn(FIELDS, name) ? FIELDS[name] : undefined;
    if (field === undefined) throw new MessageError(`unknown field (known: merchant_access_token_id, connector, metadata, connector_feature_data, test_mode)`);
    if (value === null) continue;
    if (field === 'ignored') {
      if (!isSecretString(value)) throw new MessageError(`${name} must be a SecretString`);
    } else if (field === 'merchantAccessTokenId') {
      if (typeof value !== 'string') throw new MessageError('merchant_access_token_id must be a string');
      message.merchantAccessTokenId = value;
    } else if (field === 'testMode') {
      if (typeof value !== 'boolean') throw new MessageError('test_mode must be a boolean');
      message.testMode = value;
    } else {
      const connector = typeof value === 'number' && Number.isInteger(value) ? connectorFromNumber(value) : typeof value === 'string' && /^[A-Za-z0-9_]{1,64}$/.test(value) ? value.toUpperCase() : null;
      if (connector === null) throw new MessageError('connector must be a Connector enum name or number');
      if (connector !== undefined && connector !== 'CONNECTOR_UNSPECIFIED') message.connector = connector;
    }
  }
  return message;
}

/** Protobuf's canonical JSON (what Connect clients and `buf curl` read): camelCase, int64 as a string. */
export function responseToProtoJson(message: TokenResponseMessage): Record<string, unknown> {
  return {
    ...(message.accessToken === undefined ? {} : { accessToken: { value: message.accessToken } }),
    ...(message.tokenType === undefined ? {} : { tokenType: message.tokenType }),
    ...(message.expiresInSeconds === undefined ? {} : { expiresInSeconds: String(message.expiresInSeconds) }),
    status: STATUS_NAMES.get(OPERATION_STATUS[message.status]),
    ...(message.error === undefined ? {} : { error: { unifiedDetails: { code: message.error.code, message: message.error.message } } }),
    statusCode: message.statusCode,
    ...(message.merchantAccessTokenId === undefined ? {} : { merchantAccessTokenId: message.merchantAccessTokenId }),
  };
}

/** Prism's HTTP route: the Rust field names (snake_case), SecretStrings as plain strings, int64 as a number. */
export function responseToPrismJson(message: TokenResponseMessage): Record<string, unknown> {
  return {
    ...(message.accessToken === undefined ? {} : { access_token: message.accessToken }),
    ...(message.tokenType === undefined ? {} : { token_type: message.tokenType }),
    ...(message.expiresInSeconds === undefined ? {} : { expires_in_seconds: message.expiresInSeconds }),
    status: STATUS_NAMES.get(OPERATION_STATUS[message.status]),
    ...(message.error === undefined ? {} : { error: { unified_details: { code: message.error.code, message: message.error.message } } }),
    status_code: message.statusCode,
    ...(message.merchantAccessTokenId === undefined ? {} : { merchant_access_token_id: message.merchantAccessTokenId }),
  };
}
