// The connector registry: Prism connector name → provider factory + which credentials it reads.
import type { TokenFlow } from '../core/index.js';
import {
  airwallex,
  cybersource,
  getnet,
  globalpay,
  iatapay,
  jpmorgan,
  kitegateway,
  openBankingPlatform,
  paypal,
  paypalClientToken,
  pinelabs,
  trustpay,
  truelayer,
  volt,
  type Environment,
  type ProviderOptions,
} from '../providers/index.js';

/** What a connector needs to build a flow for one request. */
export interface ConnectorRequest {
  /** Prism credentials, SecretStrings unwrapped, names in camelCase. */
  credentials: Readonly<Record<string, unknown>>;
  environment: Environment;
  baseUrl?: string | undefined;
  fetch?: typeof fetch | undefined;
  /** Only for connectors that take one (`scope` set in their spec). */
  scope?: string | undefined;
  /** Only for connectors that take one (`expiresIn` set in their spec). */
  expiresIn?: number | undefined;
}

/** What a connector needs to build a client-token flow for one request. */
export interface ClientTokenRequest {
  credentials: Readonly<Record<string, unknown>>;
  environment: Environment;
  baseUrl?: string | undefined;
  fetch?: typeof fetch | undefined;
  /** The customer whose saved payment methods the page may show (vaulting). */
  customerId?: string | undefined;
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
  const common = (request: ConnectorRequest | ClientTokenRequest): Record<string, unknown> => {
    const options: Record<string, unknown> = { environment: request.environment };
    for (const field of spec.fields) if (request.credentials[field] !== undefined) options[field] = request.credentials[field];
    if (request.baseUrl !== undefined) options.baseUrl = request.baseUrl;
    if (request.fetch !== undefined) options.fetch = request.fetch;
    return options;
  };
  const clientFactory = spec.clientToken;
  return {
    fields: spec.fields,
    takesScope: spec.scope !== undefined,
    takesExpiresIn: spec.expiresIn !== undefined,
    flow(request) {
      const options = common(request);
      if (spec.scope !== undefined && request.scope !== undefined) options[spec.scope] = request.scope;
      if (spec.expiresIn !== undefined && request.expiresIn !== undefined) options[spec.expiresIn] = request.expiresIn;
      return factory(options as O);
    },
    ...(clientFactory === undefined
      ? {}
      : {
          clientToken(request: ClientTokenRequest) {
            const options = common(request);
            if (request.customerId !== undefined) options.customerId = request.customerId;
            return clientFactory(options as O & { customerId?: string });
          },
        }),
  };
}

/**
 * Connectors with an access-token flow, by normalised name (lower case, no separators). The Prism
 * access-token connectors of docs/providers.md#2-prisms-access-token-connectors join with one line each. The single record of which
 * connectors have a browser-safe client token too: those whose entry has `clientToken`.
 * CyberSource here is its OAuth flow (client id/secret + code or refresh token); Prism's own
 * CyberSource connector signs requests with an API key and has no token.
 */
export const TOKEN_CONNECTORS: Readonly<Record<string, TokenConnector>> = {
  kitegateway: tokenConnector(kitegateway, { fields: ['apiKey', 'secretKey', 'expiresIn'], expiresIn: 'expiresIn' }),
  openbankingplatform: tokenConnector(openBankingPlatform, { fields: ['clientId', 'clientSecret', 'scope'], scope: 'scope' }),
  cybersource: tokenConnector(cybersource, { fields: ['clientId', 'clientSecret', 'code', 'refreshToken', 'onRefreshToken', 'correlationId'] }),
  // Prism's access-token connectors (docs/providers.md#2-prisms-access-token-connectors), with the credential names of Prism's
  // `<Connector>Config` messages; the fields a token does not need (PayPal's payerId, IATA Pay's
  // merchantId, Getnet's sellerId, TrustPay's apiKey, J.P. Morgan's descriptors…) are accepted and ignored.
  // PayPal also has a browser-safe client token (for its JS SDK's `data-client-token`).
  paypal: tokenConnector(paypal, { fields: ['clientId', 'clientSecret'], clientToken: paypalClientToken }),
  airwallex: tokenConnector(airwallex, { fields: ['clientId', 'apiKey'] }),
  volt: tokenConnector(volt, { fields: ['username', 'password', 'clientId', 'clientSecret'] }),
  trustpay: tokenConnector(trustpay, { fields: ['projectId', 'secretKey'] }),
  globalpay: tokenConnector(globalpay, { fields: ['appId', 'appKey'] }),
  iatapay: tokenConnector(iatapay, { fields: ['clientId', 'clientSecret'] }),
  jpmorgan: tokenConnector(jpmorgan, { fields: ['clientId', 'clientSecret'] }),
  truelayer: tokenConnector(truelayer, { fields: ['clientId', 'clientSecret'] }),
  getnet: tokenConnector(getnet, { fields: ['apiKey', 'apiSecret'] }),
  pinelabsonline: tokenConnector(pinelabs, { fields: ['clientId', 'clientSecret'] }),
};

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
