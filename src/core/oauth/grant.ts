import { systemClock } from '../clock.js';
import { basicAuth } from '../encoding.js';
import { sendRequest, type HttpRequest } from '../http.js';
import { flowKey } from '../key.js';
import type { AccessToken, FlowContext, TokenFlow } from '../types.js';
import { processTokenResponse } from './response.js';
import type { ClientAuthMethod } from './options.js';

/** Form parameters; repeated names (RFC 8707 `resource`) are kept. Encoded (`a=1&b=2`) where a flow keeps them. */
export type FormParams = [name: string, value: string][];

export interface ClientAuth {
  clientId?: string | undefined;
  clientSecret?: string | undefined;
  auth: ClientAuthMethod;
}

/**
 * Builds an RFC 6749 form request to a token endpoint with client authentication: Basic per §2.3.1,
 * or id and secret in the body. A public client (no secret) sends only `client_id`.
 */
export function buildFormRequest(
  provider: string,
  tokenUrl: string,
  client: ClientAuth,
  params: FormParams | string,
  headers: Record<string, string> = {},
  secrets: readonly string[] = [],
): HttpRequest {
  const body = new URLSearchParams(params);
  // Caller headers may override `accept` (CyberSource wants a charset); the body is always a form.
  const out: Record<string, string> = { accept: 'application/json' };
  for (const [name, value] of Object.entries(headers)) out[name.toLowerCase()] = value;
  out['content-type'] = 'application/x-www-form-urlencoded';
  if (client.clientId !== undefined) {
    if (client.clientSecret !== undefined && client.auth === 'client_secret_basic') {
      out.authorization = basicAuth(client.clientId, client.clientSecret);
    } else {
      body.set('client_id', client.clientId);
      if (client.clientSecret !== undefined) body.set('client_secret', client.clientSecret);
    }
  }
  const credentials = client.clientSecret === undefined ? [] : [client.clientSecret];
  // The Basic header's base64 can be echoed by a server too: it is as secret as the secret.
  if (out.authorization) credentials.push(out.authorization.slice(6));
  return { provider, url: tokenUrl, headers: out, body: body.toString(), secrets: [...credentials, ...secrets] };
}

/** Adds optional parameters, skipping absent ones; arrays become repeated parameters. */
export function optionalParams(params: Record<string, string | readonly string[] | undefined>): FormParams {
  const out: FormParams = [];
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined) continue;
    for (const item of typeof value === 'string' ? [value] : value) out.push([name, item]);
  }
  return out;
}

export interface OAuthFlowSpec {
  provider: string;
  grant: string;
  tokenUrl: string;
  clientId: string | undefined;
  /** Everything else that changes the token, secrets included: hashed into the key. */
  identity: readonly unknown[];
  browserSafe?: boolean;
  fetch?: typeof fetch | undefined;
  tokenTypes?: readonly string[] | undefined;
  /** Lifetime in seconds of a token answered without `expires_in` that is no JWT (see `processTokenResponse`). */
  defaultExpiresIn?: number | undefined;
  /**
   * Builds the request for this fetch (may depend on `ctx.previous` or on grant state). Without it, every
   * fetch sends `form` with the client's authentication (`clientSecret`, `auth`) and `headers`.
   */
  request?(ctx: FlowContext): HttpRequest | Promise<HttpRequest>;
  form?: string;
  clientSecret?: string | undefined;
  auth?: ClientAuthMethod | undefined;
  headers?: Record<string, string> | undefined;
  /** Runs after a successful response, e.g. to rotate a refresh token. */
  accept?(token: AccessToken, ctx: FlowContext): AccessToken | Promise<AccessToken>;
}

type Options = { [K in 'request' | 'accept' | 'fetch' | 'tokenTypes' | 'defaultExpiresIn' | 'headers']: OAuthFlowSpec[K] | undefined };

/**
 * The shape every generic flow shares: build request → send → validate → normalise. A class whose fields
 * are copied from the spec, so that a flow held by every source of a store is one object plus its key:
 * its methods live on the prototype, a constant request needs no closure, the options most flows leave
 * out share one field, and the identity, only needed for the key, is not kept.
 */
class OAuthFlow implements TokenFlow {
  readonly key: string;
  readonly browserSafe: boolean;
  readonly provider: string;
  readonly #url: string;
  readonly #clientId: string | undefined;
  readonly #clientSecret: string | undefined;
  readonly #auth: ClientAuthMethod;
  readonly #form: string | undefined;
  readonly #options: Options | undefined;

  constructor(spec: OAuthFlowSpec) {
    const { request, accept, fetch, tokenTypes, defaultExpiresIn, headers } = spec;
    this.key = flowKey(spec.grant, spec.tokenUrl, spec.clientId ?? '-', spec.identity);
    this.browserSafe = spec.browserSafe ?? false;
    this.provider = spec.provider;
    this.#url = spec.tokenUrl;
    this.#clientId = spec.clientId;
    this.#clientSecret = spec.clientSecret;
    this.#auth = spec.auth ?? 'client_secret_basic';
    this.#form = spec.form;
    if (request ?? accept ?? fetch ?? tokenTypes ?? defaultExpiresIn ?? headers) this.#options = { request, accept, fetch, tokenTypes, defaultExpiresIn, headers };
  }

  async fetchToken(ctx: FlowContext): Promise<AccessToken> {
    const { request, accept, fetch, tokenTypes, defaultExpiresIn, headers } = this.#options ?? {};
    const sent = request ? await request(ctx) : buildFormRequest(this.provider, this.#url, { clientId: this.#clientId, clientSecret: this.#clientSecret, auth: this.#auth }, this.#form!, headers);
    const response = await sendRequest(fetch ? { ...ctx, fetch } : ctx, sent);
    const token = processTokenResponse(sent, response, { now: (ctx.clock ?? systemClock).now(), tokenTypes, defaultExpiresIn });
    return accept ? accept(token, ctx) : token;
  }
}

export const oauthFlow = (spec: OAuthFlowSpec): TokenFlow => new OAuthFlow(spec);
