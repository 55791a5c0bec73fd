// The connector registry: Prism connector name → the provider's flows and which credentials they read,
// built from the providers' descriptors (src/providers/list.ts).
import type { TokenFlow } from '../core/index.js';
import { normaliseName, optionsFor, type ClientTokenFlowRequest, type FlowRequest } from '../providers/descriptor.js';
import { PROVIDER_DESCRIPTORS, findProvider, type Environment, type ProviderDescriptor, type ProviderOptions } from '../providers/index.js';

/** What a connector needs to build a flow for one request (credentials: SecretStrings unwrapped, names in camelCase). */
export interface ConnectorRequest extends FlowRequest {
  environment: Environment;
}

/** What a connector needs to build a client-token flow for one request. */
export interface ClientTokenRequest extends Omit<ClientTokenFlowRequest, 'scope' | 'expiresIn'> {
  environment: Environment;
}

/** A connector that authenticates with an access token. */
export interface TokenConnector {
  /** Credential fields read from the Prism config (camelCase; snake_case is accepted too). */
  readonly fields: readonly string[];
  /** Does a requested scope reach the provider? (If not, asking for one is refused, never ignored.) */
  readonly takesScope: boolean;
  /** Does a requested lifetime reach the provider? (If not, it is a hint and ignored.) */
  readonly takesExpiresIn: boolean;
  flow(request: ConnectorRequest): TokenFlow;
  /**
   * The browser-safe client token (e.g. for a payment page's JS SDK), for connectors that have one.
   * Absent: the connector has no client token, and its server token must never stand in for one.
   */
  clientToken?(request: ClientTokenRequest): TokenFlow;
}

export interface TokenConnectorSpec<O> {
  /** Option names copied from the credentials when present (Prism spells them the same). */
  fields: readonly (keyof O & string)[];
  /** The option a per-request scope goes to. */
  scope?: keyof O & string;
  /** The option a per-request lifetime goes to. */
  expiresIn?: keyof O & string;
  /** The browser-safe client-token factory, taking the same credentials (plus `customerId`). Its flows must be `browserSafe`. */
  clientToken?: (options: O & { customerId?: string | undefined }) => TokenFlow;
}

/**
 * Declares a connector from a provider factory. The factory itself checks the credentials (a missing
 * one is a `config` error naming the field), so this only moves values into place.
 * @example
 * paypal: tokenConnector(paypal, { fields: ['clientId', 'clientSecret'] }),
 */
export function tokenConnector<O extends ProviderOptions>(factory: (options: O) => TokenFlow, spec: TokenConnectorSpec<O>): TokenConnector {
  const clientFactory = spec.clientToken;
  return {
    fields: spec.fields,
    takesScope: spec.scope !== undefined,
    takesExpiresIn: spec.expiresIn !== undefined,
    flow: (request) => factory(optionsFor(spec.fields, request, spec) as O),
    ...(clientFactory === undefined
      ? {}
      : {
          clientToken(request: ClientTokenRequest) {
            const options = optionsFor(spec.fields, request);
            if (request.customerId !== undefined) options.customerId = request.customerId;
            return clientFactory(options as O & { customerId?: string });
          },
        }),
  };
}

/** A provider's connector: its descriptor's flows, reading the descriptor's fields. */
export function descriptorConnector(descriptor: ProviderDescriptor): TokenConnector {
  const clientToken = descriptor.clientToken;
  return {
    fields: descriptor.fields,
    takesScope: descriptor.scope !== undefined,
    takesExpiresIn: descriptor.expiresIn,
    flow: (request) => descriptor.flow(request),
    ...(clientToken === undefined ? {} : { clientToken: (request: ClientTokenRequest) => clientToken.flow(request) }),
  };
}

/** The connectors of these descriptors, each under Prism's spelling of its name, normalised. */
export function tokenConnectors(descriptors: readonly ProviderDescriptor[]): Record<string, TokenConnector> {
  return Object.fromEntries(descriptors.map((descriptor) => [connectorKey(descriptor), descriptorConnector(descriptor)]));
}

/** Where a descriptor's connector is listed: Prism's name for it, normalised (`pinelabsonline`). */
export const connectorKey = (descriptor: ProviderDescriptor): string => normaliseName(descriptor.prism ?? descriptor.name);

/**
 * Connectors with an access-token flow, by normalised name (lower case, no separators): one per
 * provider descriptor (src/providers/list.ts), so a provider added there is a connector here. The single
 * record of which connectors have a browser-safe client token too: those whose entry has `clientToken`.
 * CyberSource here is its OAuth flow (client id/secret + code or refresh token); Prism's own
 * CyberSource connector signs requests with an API key and has no token. Fields a token does not need
 * (PayPal's payerId, IATA Pay's merchantId, Getnet's sellerId, TrustPay's apiKey…) are accepted and ignored.
 */
export const TOKEN_CONNECTORS: Readonly<Record<string, TokenConnector>> = tokenConnectors(PROVIDER_DESCRIPTORS);

/**
 * A connector name as TOKEN_CONNECTORS lists it: normalised, and any other name of a provider (its
 * canonical name, emulator prefix or aliases) read as Prism's (`pinelabs` → `pinelabsonline`).
 */
export function connectorName(name: string): string {
  const descriptor = findProvider(name);
  return descriptor === undefined ? normaliseName(name) : connectorKey(descriptor);
}

/**
 * Prism connectors that authenticate every call with an API key (or keys/signatures) and have no
 * access token: asking them for one is a `config` error, and the key is never handed back as a token.
 */
export const API_KEY_CONNECTORS: readonly string[] = [
  'stripe',
  'adyen',
  'checkout',
  'braintree',
  'authorizedotnet',
  'razorpay',
  'worldpay',
  'nuvei',
  'mollie',
  'klarna',
  'bluesnap',
  'rapyd',
  'shift4',
  'xendit',
  'cashfree',
  'dlocal',
  'helcim',
  'novalnet',
  'elavon',
  'fiserv',
];
