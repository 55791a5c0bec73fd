// tokenmint/kit: the building blocks of provider flows — the HTTP helper, the OAuth grant and response
// processing, option checks, encodings, the valibot schemas. tokenmint/providers is written with these;
// so can a flow of yours be (docs/kit.md). What applications call (the store, the flows, errors, types)
// is the root entry, `tokenmint`.
export { readCapped } from './body.js';
export { sendRequest, describeRequest, parseRetryAfter, type HttpRequest, type HttpResponse } from './http.js';
export { buildFormRequest, oauthFlow, optionalParams, type FormParams, type OAuthFlowSpec } from './oauth/grant.js';
export { processTokenResponse, DEFAULT_EXPIRES_IN, type TokenResponse, type ProcessOptions } from './oauth/response.js';
export { validateBody, Seconds, TokenResponseSchema } from './oauth/schemas.js';
export { errorFromResponse, oauthErrorFromResponse, invalidResponse, parseJson } from './oauth/error-response.js';
export { requireString, optionalString, requireEndpoint, requireAuthMethod, optionalFunction, optionalSeconds, checkKeys, LOOPBACK } from './oauth/options.js';
export { RefreshState } from './oauth/refresh-state.js';
export { flowKey } from './key.js';
export { configError, redact } from './errors.js';
export { basicAuth, base64, base64url, fromBase64url } from './encoding.js';
export { sameDigest, sha256Hex } from './sha256.js';
export { digestText } from './digest.js';
export { bearerCredential } from './bearer.js';
// The store's schedule, for coordinators that keep tokens on its terms (the Worker's Durable Object).
export { backoff } from './clock.js';
export { REFRESH_DEFAULTS, RETRY_DEFAULTS } from './store/policy.js';
