// What isolates and the token coordinator (one Durable Object per flow key) say to each other, over
// the object's fetch handler. The request names a profile and the flow key, never a credential: the
// object reads the secrets from its own env. Replies are checked on arrival, so an object running
// another version during a deployment is a fallback, not a crash.
import * as v from 'valibot';
import { TokenError, type AccessToken, type TokenErrorCode } from '../../core/index.js';

/** The Durable Object binding (`[[durable_objects.bindings]]` in wrangler.toml), class `TokenCoordinator`. */
export const COORDINATOR_BINDING = 'TOKENMINT_COORDINATOR';

/** Origin of requests to the object (never resolved: stubs route by object, not by host). */
export const COORDINATOR_ORIGIN = 'https://coordinator.tokenmint.invalid';
export const TOKEN_PATH = '/token';

export interface TokenAsk {
  /** A profile whose flow has `key`; the object builds the flow from its own env. */
  profile: string;
  key: string;
  /**
   * Dev emulator profiles only: which emulator the asking isolate has. A token obtained under another
   * epoch came from an emulator since reset or restarted, so the object fetches a new one.
   */
  epoch?: string | undefined;
  /**
   * SHA-256 (hex) of an access token the provider refused (the proxy saw a 401): if the object still
   * hands out that token it fetches a new one now, once for every isolate that reports it.
   */
  rejected?: string | undefined;
}

/** What crosses to isolates and into storage: the token without its refresh token. */
export interface WireToken {
  accessToken: string;
  tokenType: string;
  expiresAt: number;
  scope?: string;
}

/** An upstream failure as the object saw it; messages come from the core, which scrubs credentials. */
export interface WireError {
  code: TokenErrorCode;
  message: string;
  status?: number;
  provider?: string;
  retryable?: boolean;
  retryAfter?: number;
}

/**
 * `token`: a token (the current one, or a new one if it was due). `error`: the upstream failed and
 * there is no valid token; isolates report it rather than hit a failing upstream themselves.
 * `unavailable`: the object cannot run this flow (config, secret, or a key its env does not produce):
 * isolates fetch on their own.
 */
export type TokenReply = { ok: true; token: WireToken } | { ok: false; error: WireError } | { ok: false; unavailable: string };

const Token = v.object({ accessToken: v.pipe(v.string(), v.minLength(1)), tokenType: v.string(), expiresAt: v.number(), scope: v.optional(v.string()) });
const ErrorShape = v.object({
  code: v.string(),
  message: v.string(),
  status: v.optional(v.number()),
  provider: v.optional(v.string()),
  retryable: v.optional(v.boolean()),
  retryAfter: v.optional(v.number()),
});
const ReplySchema = v.union([
  v.object({ ok: v.literal(true), token: Token }),
  v.object({ ok: v.literal(false), error: ErrorShape }),
  v.object({ ok: v.literal(false), unavailable: v.string() }),
]);

export const TokenAskSchema: v.GenericSchema<unknown, TokenAsk> = v.object({ profile: v.string(), key: v.string(), epoch: v.optional(v.string()), rejected: v.optional(v.string()) });

/** The reply, or undefined if it is not one (another version, a proxy's error page). */
export function parseReply(body: unknown): TokenReply | undefined {
  const parsed = v.safeParse(ReplySchema, body);
  return parsed.success ? (parsed.output as TokenReply) : undefined;
}

export function toWireToken(token: AccessToken): WireToken {
  const wire: WireToken = { accessToken: token.accessToken, tokenType: token.tokenType, expiresAt: token.expiresAt };
  if (token.scope !== undefined) wire.scope = token.scope;
  return wire;
}

export function toWireError(error: TokenError): WireError {
  const wire: WireError = { code: error.code, message: error.message, retryable: error.retryable };
  if (error.status !== undefined) wire.status = error.status;
  if (error.provider !== undefined) wire.provider = error.provider;
  if (error.retryAfter !== undefined) wire.retryAfter = error.retryAfter;
  return wire;
}

export function fromWireError(wire: WireError): TokenError {
  return new TokenError(wire.code, wire.message, {
    ...(wire.status === undefined ? {} : { status: wire.status }),
    ...(wire.provider === undefined ? {} : { provider: wire.provider }),
    ...(wire.retryable === undefined ? {} : { retryable: wire.retryable }),
    ...(wire.retryAfter === undefined ? {} : { retryAfter: wire.retryAfter }),
  });
}
