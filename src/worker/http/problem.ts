// RFC 9457 problem details with a stable `code`. A problem renders itself (`toResponse`), so handlers
// throw and the entry point answers. Titles and details are fixed strings: never a secret, a token,
// an upstream body or a value from the request.
import { json } from './respond.js';

export type ProblemCode =
  | 'not_found'
  | 'method_not_allowed'
  | 'origin_missing'
  | 'origin_not_allowed'
  | 'invalid_preflight'
  | 'unsupported_media_type'
  | 'payload_too_large'
  | 'incomplete_body'
  | 'malformed_json'
  | 'unknown_field'
  | 'invalid_request'
  | 'unknown_profile'
  | 'invalid_scope'
  | 'rate_limited'
  | 'config_missing'
  | 'config_invalid'
  | 'secret_missing'
  | 'secret_invalid'
  | 'upstream_unavailable'
  | 'upstream_rejected'
  | 'upstream_invalid_response'
  | 'internal_error'
  // The vault (docs/vault.md): refresh tokens held by a Durable Object, onboarding.
  | 'admin_unauthorized'
  | 'onboarding_required'
  | 'reauthorization_required'
  | 'vault_key_invalid'
  | 'vault_unavailable'
  | 'onboarding_state_invalid'
  | 'onboarding_denied'
  | 'onboarding_code_missing'
  | 'onboarding_exchange_failed'
  // The proxy (/v1/proxy/{profile}/…).

  | 'invalid_token'
  | 'route_not_allowed'
  | 'guard_refused'
  | 'upstream_api_unavailable';

/** Every `code` the Worker answers with: status and title. Stable: clients match on codes. */
export const PROBLEMS: Readonly<Record<ProblemCode, readonly [status: number, title: string]>> = {
  not_found: [404, 'Not Found'],
  method_not_allowed: [405, 'Method Not Allowed'],
  origin_missing: [403, 'Origin header required'],
  origin_not_allowed: [403, 'Origin not allowed'],
  invalid_preflight: [400, 'Invalid CORS preflight'],
  unsupported_media_type: [415, 'Content-Type must be application/json'],
  payload_too_large: [413, 'Request body too large'],
  incomplete_body: [400, 'Request body incomplete'],
  malformed_json: [400, 'Request body is not valid JSON'],
  unknown_field: [400, 'Request body has an unknown field'],
  invalid_request: [400, 'Invalid request body'],
  unknown_profile: [400, 'Unknown profile'],
  invalid_scope: [400, 'Scope not allowed for this profile'],
  rate_limited: [429, 'Too Many Requests'],
  config_missing: [503, 'Worker not configured'],
  config_invalid: [503, 'Worker configuration invalid'],
  secret_missing: [503, 'A required secret is not set'],
  secret_invalid: [503, 'A required secret is malformed'],
  upstream_unavailable: [502, 'Token provider unavailable'],
  upstream_rejected: [502, 'Token provider refused the request'],
  upstream_invalid_response: [502, 'Token provider answered unexpectedly'],
  internal_error: [500, 'Internal Error'],
  admin_unauthorized: [401, 'Admin credential required'],
  onboarding_required: [503, 'Profile not onboarded yet'],
  reauthorization_required: [503, 'Profile needs re-authorisation'],
  vault_key_invalid: [503, 'The vault key does not open the stored refresh token'],
  vault_unavailable: [503, 'Vault unavailable'],
  onboarding_state_invalid: [400, 'Unknown, used or expired onboarding state'],
  onboarding_denied: [400, 'The provider returned an error instead of a code'],
  onboarding_code_missing: [400, 'Callback without an authorization code'],
  onboarding_exchange_failed: [502, 'The provider refused the authorization code'],
  // The proxy (/v1/proxy/{profile}/…).
  invalid_token: [401, 'Invalid session token'],
  route_not_allowed: [403, 'Route not allowed for this session'],
  guard_refused: [403, 'Refused by the Worker policy'],
  upstream_api_unavailable: [502, 'Provider API unavailable'],
};

export interface ProblemOptions {
  /** A fixed, human explanation (never request or upstream text). */
  detail?: string;
  /** Extra headers: `Retry-After`, `Allow`. */
  headers?: Record<string, string>;
  /** A fixed note for the operator's log, at info level: the client's doing, worth a trace, not an alert. */
  note?: string;
}

export class MintProblem extends Error {
  override readonly name: string = 'MintProblem';
  readonly code: ProblemCode;
  readonly status: number;
  readonly detail: string | undefined;
  readonly headers: Record<string, string>;
  readonly note: string | undefined;

  constructor(code: ProblemCode, options: ProblemOptions = {}) {
    super(`${code}${options.detail ? `: ${options.detail}` : ''}`);
    this.code = code;
    this.status = PROBLEMS[code][0];
    this.detail = options.detail;
    this.headers = options.headers ?? {};
    this.note = options.note;
  }

  /** The problem+json response, plus `headers` (CORS, decided by the caller). */
  toResponse(headers: Record<string, string> = {}): Response {
    const body: Record<string, unknown> = { type: 'about:blank', title: PROBLEMS[this.code][1], status: this.status, code: this.code };
    if (this.detail !== undefined) body.detail = this.detail;
    return json(this.status, body, { ...this.headers, ...headers, 'content-type': 'application/problem+json' });
  }
}

export const problem = (code: ProblemCode, options?: ProblemOptions): MintProblem => new MintProblem(code, options);
