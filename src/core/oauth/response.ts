import * as v from 'valibot';
import type { HttpRequest, HttpResponse } from '../http.js';
import type { AccessToken } from '../types.js';
import { invalidResponse, oauthErrorFromResponse, parseJson } from './error-response.js';

/** Lifetimes longer than ten years are clamped to it, so `now + seconds × 1000` stays a finite epoch. */
export const MAX_LIFETIME_SECONDS = 315_360_000;

/**
 * Seconds as a positive finite number, at most `MAX_LIFETIME_SECONDS`; numeric strings ("3600") are
 * accepted, as some servers send them.
 */
export const Seconds: v.GenericSchema<number | string, number> = v.pipe(
  v.union([v.number(), v.pipe(v.string(), v.regex(/^\d+(\.\d+)?$/), v.transform(Number))]),
  v.finite(),
  v.gtValue(0),
  v.transform((seconds) => Math.min(seconds, MAX_LIFETIME_SECONDS)),
);

const NonEmpty = v.pipe(v.string(), v.minLength(1));

/** A token endpoint's success body after validation. */
export interface TokenResponse {
  access_token: string;
  token_type: string;
  expires_in: number;
  scope?: string | undefined;
  refresh_token?: string | undefined;
  refresh_token_expires_in?: number | undefined;
}

/** RFC 6749 §5.1 (and RFC 8693 §2.2.1): required fields checked, unknown fields ignored. */
export const TokenResponseSchema: v.GenericSchema<unknown, TokenResponse> = v.object({
  access_token: NonEmpty,
  token_type: NonEmpty,
  expires_in: Seconds,
  scope: v.optional(v.string()),
  refresh_token: v.optional(NonEmpty),
  refresh_token_expires_in: v.optional(Seconds),
});

/**
 * Validates a success body against a valibot schema. The error lists which fields were wrong, never
 * their values (a malformed success body may still hold a token).
 */
export function validateBody<S extends v.GenericSchema>(request: HttpRequest, response: HttpResponse, schema: S, body: unknown): v.InferOutput<S> {
  const result = v.safeParse(schema, body);
  if (result.success) return result.output;
  const fields = [...new Set(result.issues.map((issue) => v.getDotPath(issue) ?? '(body)'))].join(', ');
  throw invalidResponse(request, response, `an invalid token response (fields: ${fields})`);
}

export interface ProcessOptions {
  /** Local receipt time (epoch ms): lifetimes count from here, not from the server's Date. */
  now: number;
  /** Accepted `token_type`s, case-insensitive. Default: `bearer`. */
  tokenTypes?: readonly string[];
}

/** RFC 6749 §5.1/§5.2: turns a token endpoint's answer into an `AccessToken` or a `TokenError`. */
export function processTokenResponse(request: HttpRequest, response: HttpResponse, options: ProcessOptions): AccessToken {
  if (response.status !== 200) throw oauthErrorFromResponse(request, response, options.now);
  const body = validateBody(request, response, TokenResponseSchema, parseJson(request, response));
  const accepted = options.tokenTypes ?? ['bearer'];
  if (!accepted.includes(body.token_type.toLowerCase())) {
    throw invalidResponse(request, response, `an unsupported token_type (expected ${accepted.join(' or ')})`);
  }
  const token: AccessToken = {
    accessToken: body.access_token,
    tokenType: body.token_type.toLowerCase() === 'bearer' ? 'Bearer' : body.token_type,
    expiresAt: options.now + body.expires_in * 1000,
  };
  if (body.scope !== undefined) token.scope = body.scope;
  if (body.refresh_token !== undefined) token.refreshToken = body.refresh_token;
  if (body.refresh_token_expires_in !== undefined) token.refreshTokenExpiresAt = options.now + body.refresh_token_expires_in * 1000;
  return token;
}
