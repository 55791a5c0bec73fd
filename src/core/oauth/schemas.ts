import * as v from 'valibot';
import type { HttpRequest, HttpResponse } from '../http.js';
import { invalidResponse } from './error-response.js';
import { MAX_LIFETIME_SECONDS, type TokenResponse } from './response.js';

// The valibot schemas for provider flows (tokenmint/providers uses them; so can yours). The core's own
// token path (processTokenResponse) checks by hand, so that a client_credentials program does not pay
// for valibot.

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

/** RFC 6749 §5.1 (and RFC 8693 §2.2.1): required fields checked, unknown fields ignored. */
export const TokenResponseSchema: v.GenericSchema<unknown, TokenResponse> = v.object({
  access_token: NonEmpty,
  token_type: NonEmpty,
  expires_in: v.optional(Seconds),
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
