import { OAUTH_ERROR_CODES, TokenError, redact, type TokenErrorCode } from '../errors.js';
import { describeRequest, parseRetryAfter, type HttpRequest, type HttpResponse } from '../http.js';

// Reading an upstream's answer without valibot, so that clients of our own servers (the widget) do
// not pay for the schema machinery the token-response validation needs.

/** Parses a JSON body; a body that is not JSON is an `invalid_response`, its content never quoted. */
export function parseJson(request: HttpRequest, response: HttpResponse): unknown {
  try {
    return JSON.parse(response.text);
  } catch {
    throw invalidResponse(request, response, 'a body that is not JSON');
  }
}

export function invalidResponse(request: HttpRequest, response: HttpResponse, what: string): TokenError {
  return new TokenError('invalid_response', `${describeRequest(request)}: answered ${response.status} with ${what}`, {
    status: response.status,
    provider: request.provider,
  });
}

/**
 * Maps a non-success answer to a `TokenError`: 429 → `rate_limited`, 408 → `timeout`, 5xx →
 * `upstream_error` (all retryable); an RFC 6749 `error` code is kept; otherwise 401/403 →
 * `invalid_client`, other 4xx → `upstream_error`. `detail` is the provider's own description,
 * scrubbed of the request's secrets and shortened.
 */
export function errorFromResponse(
  request: HttpRequest,
  response: HttpResponse,
  error?: { code?: string | undefined; detail?: string | undefined },
  now: number = Date.now(),
): TokenError {
  const { status } = response;
  const oauthCode = OAUTH_ERROR_CODES.find((code) => code === error?.code);
  const code: TokenErrorCode =
    status === 429 ? 'rate_limited'
    : status === 408 ? 'timeout'
    : status >= 500 ? 'upstream_error'
    : oauthCode ?? (status === 401 || status === 403 ? 'invalid_client' : 'upstream_error');
  const retryAfter = parseRetryAfter(response.headers.get('retry-after'), now);
  const detail = error?.detail ? `: ${redact(error.detail, request.secrets ?? []).replace(/[^\x20-\x7e]+/g, ' ').slice(0, 200)}` : '';
  // The code is the server's words too: a server that echoes what it received may put a secret there.
  const said = error?.code === undefined ? '' : redact(error.code, request.secrets ?? []);
  const word = /^[\w.-]{1,64}$/.test(said) ? said : undefined;
  const label = word ? ` ${word}` : said.includes('[redacted]') ? ' [redacted]' : '';
  return new TokenError(code, `${describeRequest(request)}: answered ${status}${label}${detail}`, {
    status,
    provider: request.provider,
    retryable: code === 'rate_limited' || code === 'timeout' || status >= 500,
    ...(retryAfter === undefined ? {} : { retryAfter }),
    ...(word === undefined ? {} : { upstreamCode: word }),
  });
}

/** Reads an RFC 6749 §5.2 error body if there is one (`error`, `error_description`). */
export function oauthErrorFromResponse(request: HttpRequest, response: HttpResponse, now?: number): TokenError {
  let body: unknown;
  try {
    body = JSON.parse(response.text);
  } catch {
    body = undefined;
  }
  const fields = (body ?? {}) as { error?: unknown; error_description?: unknown };
  return errorFromResponse(request, response, {
    code: typeof fields.error === 'string' ? fields.error : undefined,
    detail: typeof fields.error_description === 'string' ? fields.error_description : undefined,
  }, now);
}

