import { TokenError, systemClock, type AccessToken, type TokenFlow } from '../core/index.js';
import { errorFromResponse, invalidResponse, parseJson, sendRequest, type HttpResponse } from '../core/kit.js';
import type { MintedToken } from '../worker/mint/token-answer.js';

export interface WorkerFlowOptions {
  endpoint: string;
  profile: string;
  scope?: string | undefined;
  expiresIn?: number | undefined;
  fetch?: typeof fetch | undefined;
  /** Told of every failed token request (after the HTTP helper's retries). */
  onError?: (error: TokenError) => void;
}

/**
 * The fields of the mint Worker's success body the page uses, checked by hand (our own server). Its
 * `expiresAt` is on the Worker's clock, not the visitor's, so it is not read: the life is `expiresIn`.
 */
type Minted = Pick<MintedToken, 'accessToken' | 'tokenType' | 'expiresIn'> & Partial<Pick<MintedToken, 'scope'>>;

const isMinted = (body: unknown): body is Minted => {
  const b = body as Partial<MintedToken> | null;
  return typeof b?.accessToken === 'string' && b.accessToken !== '' && typeof b.tokenType === 'string' && Number.isFinite(b.expiresIn) && b.expiresIn! >= 0 && typeof (b.scope ?? '') === 'string';
};

/**
 * The Worker's answer as a TokenError. The status decides; the problem body only adds its code
 * (`upstreamCode`). Cloudflare's own 502 or a WAF's 429 arrive as HTML, and must still read as
 * upstream_error / rate_limited.
 */
export function problemError(url: string, response: HttpResponse): TokenError {
  let problem: { code?: unknown; title?: unknown } | undefined;
  try {
    problem = JSON.parse(response.text) as typeof problem;
  } catch {
    problem = undefined;
  }
  return errorFromResponse({ provider: 'tokenmint', url, headers: {} }, response, {
    code: typeof problem?.code === 'string' ? problem.code : undefined,
    detail: typeof problem?.title === 'string' ? problem.title : undefined,
  });
}

/**
 * A browser-safe flow: asks the mint Worker for a short-lived token. Errors are RFC 9457 problems
 * whose stable `code` is kept in the message; 429 carries `Retry-After`.
 */
export function workerFlow(options: WorkerFlowOptions): TokenFlow & { url: string } {
  const url = new URL(options.endpoint, globalThis.location?.href).href;
  const body = JSON.stringify({ profile: options.profile, scope: options.scope, expiresIn: options.expiresIn });
  return {
    key: url + body, // the body names profile, scope and lifetime
    url,
    browserSafe: true,
    provider: 'tokenmint',
    async fetchToken(ctx) {
      const request = { provider: 'tokenmint', url, headers: { 'content-type': 'application/json', accept: 'application/json' }, body };
      try {
        const response = await sendRequest(options.fetch ? { ...ctx, fetch: options.fetch } : ctx, request);
        if (response.status !== 200) throw problemError(url, response);
        const parsed = parseJson(request, response);
        if (!isMinted(parsed)) throw invalidResponse(request, response, 'an invalid token body');
        // Counted on the page's own clock from the answer's arrival: a visitor's clock minutes or hours
        // off still gets tokens and replaces them before the Worker's expiry.
        const { accessToken, tokenType, expiresIn, scope } = parsed;
        const token: AccessToken = { accessToken, tokenType, expiresAt: (ctx.clock ?? systemClock).now() + expiresIn * 1000 };
        if (scope !== undefined) token.scope = scope;
        return token;
      } catch (error) {
        if (error instanceof TokenError && error.code !== 'aborted') options.onError?.(error);
        throw error;
      }
    },
  };
}
