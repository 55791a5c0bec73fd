// Reading the token request: JSON only, at most 2 KB counted while reading (Content-Length is a hint
// a client controls, not a limit), known fields only.
import * as v from 'valibot';
import { readCapped } from '../../core/kit.js';
import { problem } from './problem.js';

export const MAX_BODY_BYTES = 2048;

/** What `POST /v1/tokens` accepts. */
export interface TokenRequest {
  profile: string;
  /** Space-separated; default: the profile's `defaultScope`. */
  scope?: string | undefined;
  /** Seconds; clamped to the profile's `maxExpiresIn`. */
  expiresIn?: number | undefined;
}

const TokenRequestSchema: v.GenericSchema<unknown, TokenRequest> = v.strictObject({
  profile: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
  scope: v.optional(v.pipe(v.string(), v.maxLength(1024))),
  expiresIn: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
});

/** `application/json`, optionally with `charset=utf-8`; JSON has no other encoding (RFC 8259 §8.1). */
function isJson(contentType: string | null): boolean {
  if (contentType === null) return false;
  const [type = '', ...params] = contentType.split(';').map((part) => part.trim().toLowerCase());
  return type === 'application/json' && params.every((param) => param === '' || param.replace(/\s/g, '') === 'charset=utf-8' || param.replace(/\s/g, '') === 'charset="utf-8"');
}

async function readBody(request: Request, max: number): Promise<Uint8Array> {
  const tooLarge = () => problem('payload_too_large', { detail: `At most ${max} bytes.` });
  if (Number(request.headers.get('content-length')) > max) throw tooLarge();
  let bytes: Uint8Array | null;
  try {
    bytes = await readCapped(request.body, max);
  } catch (error) {
    // The body comes from the client: a stream that fails mid-way means it went away (or sent garbage).
    throw problem('incomplete_body', { note: `the client stopped sending the body (${error instanceof Error ? error.name : typeof error})` });
  }
  if (bytes === null) throw tooLarge();
  return bytes;
}

/** A JSON body of at most `max` bytes, or the problem (415, 413, 400) that says why not (a cut-off body: 400 `incomplete_body`). */
export async function readJsonBody(request: Request, max: number = MAX_BODY_BYTES): Promise<unknown> {
  if (!isJson(request.headers.get('content-type'))) throw problem('unsupported_media_type');
  const bytes = await readBody(request, max);
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw problem('malformed_json');
  }
}

/** The body as a TokenRequest, or the problem that says what is wrong with it. */
export async function readTokenRequest(request: Request): Promise<TokenRequest> {
  const body = await readJsonBody(request);
  const invalid = () => problem('invalid_request', { detail: 'Expected {"profile": string, "scope"?: string, "expiresIn"?: positive integer}.' });
  // valibot's strictObject takes an array for an object (its indexes then read as unknown fields).
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalid();
  const parsed = v.safeParse(TokenRequestSchema, body);
  if (parsed.success) return parsed.output;
  const unknownField = parsed.issues.some((issue) => issue.type === 'strict_object' && issue.expected === 'never');
  throw unknownField ? problem('unknown_field', { detail: 'Allowed fields: profile, scope, expiresIn.' }) : invalid();
}
