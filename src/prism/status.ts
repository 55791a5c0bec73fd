import { TokenError, type TokenErrorCode } from '../core/index.js';

/** Prism's OperationStatus, by name and wire number. @see docs/providers.md#hyperswitch-prism */
export const OPERATION_STATUS: Readonly<Record<OperationStatus, number>> = {
  UNSPECIFIED: 0,
  SUCCESS: 1,
  FAILURE: 2,
  PENDING: 3,
  AUTHENTICATION_FAILED: 4,
  RATE_LIMITED: 5,
  INVALID_REQUEST: 6,
};

export type OperationStatus = 'UNSPECIFIED' | 'SUCCESS' | 'FAILURE' | 'PENDING' | 'AUTHENTICATION_FAILED' | 'RATE_LIMITED' | 'INVALID_REQUEST';

/** Which OperationStatus a failure is, and the HTTP-like status code used when upstream gave none. */
const BY_CODE: Readonly<Record<TokenErrorCode, readonly [OperationStatus, number]>> = {
  invalid_client: ['AUTHENTICATION_FAILED', 401],
  unauthorized_client: ['AUTHENTICATION_FAILED', 401],
  // A rejected code or refresh token: the merchant must authenticate again.
  invalid_grant: ['AUTHENTICATION_FAILED', 400],
  invalid_request: ['INVALID_REQUEST', 400],
  invalid_scope: ['INVALID_REQUEST', 400],
  unsupported_grant_type: ['INVALID_REQUEST', 400],
  invalid_target: ['INVALID_REQUEST', 400],
  invalid_authorization_details: ['INVALID_REQUEST', 400],
  invalid_dpop_proof: ['INVALID_REQUEST', 400],
  use_dpop_nonce: ['INVALID_REQUEST', 400],
  config: ['INVALID_REQUEST', 400],
  rate_limited: ['RATE_LIMITED', 429],
  timeout: ['FAILURE', 504],
  network: ['FAILURE', 502],
  invalid_response: ['FAILURE', 502],
  upstream_error: ['FAILURE', 502],
  aborted: ['FAILURE', 499],
};

/** The in-band status of a failure: `[status, statusCode]`. */
export function statusOf(error: unknown): [OperationStatus, number] {
  if (!(error instanceof TokenError)) return ['FAILURE', 500];
  const [status, fallback] = BY_CODE[error.code] ?? ['FAILURE', 500];
  return [status, error.status ?? fallback];
}
