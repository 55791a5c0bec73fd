// A local RFC 6749 token endpoint as a fetch handler: the upstream for core tests. It checks what a
// real authorization server checks (client auth, grant, single-use codes, PKCE, refresh rotation) and
// lets a test inject failures, hold responses, and read every request it received.
import { createHash } from 'node:crypto';

export interface RecordedRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  params: URLSearchParams;
  body: string;
}

type Reply = (request: RecordedRequest, signal?: AbortSignal | null) => Response | Promise<Response>;

export interface OAuthServerOptions {
  clients?: Record<string, string>;
  /** Client ids allowed without a secret (public clients, which must use PKCE). */
  publicClients?: string[];
  /** Seconds, or a function of the request number (1-based). */
  expiresIn?: number | string | ((n: number) => number | string);
  rotateRefreshTokens?: boolean;
  tokenType?: string;
}

export interface OAuthServer {
  fetch: typeof fetch;
  requests: RecordedRequest[];
  /** Tokens issued so far. */
  issued: string[];
  /** Answers the next `count` requests with `reply` instead of the normal behaviour. */
  failNext(count: number, reply: Reply): void;
  /** Holds every response until `release()` is called. */
  hold(): { release(): void };
  /** Registers an authorization code (single use), optionally bound to a PKCE challenge. */
  addCode(code: string, challenge?: string): void;
  /** Valid refresh tokens. */
  refreshTokens: Set<string>;
}

export const json = (status: number, body: unknown, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers } });

export function createOAuthServer(options: OAuthServerOptions = {}): OAuthServer {
  const clients = options.clients ?? { 'client-1': 'secret-1' };
  const requests: RecordedRequest[] = [];
  const issued: string[] = [];
  const codes = new Map<string, string | undefined>();
  const refreshTokens = new Set<string>();
  const failures: Reply[] = [];
  let gate: Promise<void> | undefined;
  let counter = 0;

  const authenticate = (request: RecordedRequest): string | undefined => {
    const header = request.headers.authorization;
    if (header?.startsWith('Basic ')) {
      const [id, secret] = atob(header.slice(6)).split(':').map((part) => decodeURIComponent(part.replace(/\+/g, ' ')));
      return clients[id!] === secret ? id : undefined;
    }
    const id = request.params.get('client_id') ?? '';
    const secret = request.params.get('client_secret');
    if (secret === null) return options.publicClients?.includes(id) ? id : undefined;
    return clients[id] === secret ? id : undefined;
  };

  const issue = (scope: string | null, refresh: boolean): Response => {
    counter++;
    const accessToken = `at-${counter}-${Math.random().toString(36).slice(2)}`;
    issued.push(accessToken);
    const expiresIn = typeof options.expiresIn === 'function' ? options.expiresIn(counter) : options.expiresIn ?? 3600;
    const body: Record<string, unknown> = { access_token: accessToken, token_type: options.tokenType ?? 'Bearer', expires_in: expiresIn };
    if (scope) body.scope = scope;
    if (refresh) {
      const refreshToken = `rt-${counter}-${Math.random().toString(36).slice(2)}`;
      refreshTokens.add(refreshToken);
      body.refresh_token = refreshToken;
      body.refresh_token_expires_in = 86_400;
    }
    return json(200, body);
  };

  const handle = (request: RecordedRequest): Response => {
    if (request.method !== 'POST') return json(405, { error: 'invalid_request' });
    if (!request.headers['content-type']?.startsWith('application/x-www-form-urlencoded')) return json(400, { error: 'invalid_request' });
    const client = authenticate(request);
    if (client === undefined) return json(401, { error: 'invalid_client', error_description: 'client authentication failed' }, { 'www-authenticate': 'Basic' });
    const grant = request.params.get('grant_type');
    switch (grant) {
      case 'client_credentials':
        return issue(request.params.get('scope'), false);
      case 'authorization_code': {
        const code = request.params.get('code') ?? '';
        if (!codes.has(code)) return json(400, { error: 'invalid_grant', error_description: 'code invalid or already used' });
        const challenge = codes.get(code);
        codes.delete(code);
        if (challenge !== undefined) {
          const verifier = request.params.get('code_verifier') ?? '';
          if (createHash('sha256').update(verifier).digest('base64url') !== challenge) return json(400, { error: 'invalid_grant', error_description: 'PKCE verification failed' });
        }
        return issue(null, true);
      }
      case 'refresh_token': {
        const token = request.params.get('refresh_token') ?? '';
        if (!refreshTokens.has(token)) return json(400, { error: 'invalid_grant', error_description: 'refresh token invalid' });
        if (options.rotateRefreshTokens ?? true) refreshTokens.delete(token);
        return issue(request.params.get('scope'), options.rotateRefreshTokens ?? true);
      }
      case 'urn:ietf:params:oauth:grant-type:token-exchange':
        if (!request.params.get('subject_token') || !request.params.get('subject_token_type')) return json(400, { error: 'invalid_request' });
        return issue(request.params.get('scope'), false);
      default:
        return json(400, { error: 'unsupported_grant_type' });
    }
  };

  const server: OAuthServer = {
    requests,
    issued,
    refreshTokens,
    async fetch(input, init) {
      const req = new Request(input, init);
      const body = await req.text();
      const recorded: RecordedRequest = {
        url: req.url,
        method: req.method,
        headers: Object.fromEntries(req.headers),
        params: new URLSearchParams(body),
        body,
      };
      requests.push(recorded);
      if (gate) await gate;
      const failure = failures.shift();
      const response = failure ? await failure(recorded, init?.signal) : handle(recorded);
      if (init?.signal?.aborted) throw init.signal.reason;
      return response;
    },
    failNext(count, reply) {
      for (let i = 0; i < count; i++) failures.push(reply);
    },
    hold() {
      let release!: () => void;
      gate = new Promise((resolve) => (release = resolve));
      return {
        release: () => {
          gate = undefined;
          release();
        },
      };
    },
    addCode(code, challenge) {
      codes.set(code, challenge);
    },
  };
  return server;
}

/** A reply that never comes: it settles only when the request's signal aborts. */
export const hang = (signal?: AbortSignal | null): Promise<Response> =>
  new Promise((_, reject) => signal?.addEventListener('abort', () => reject(signal.reason), { once: true }));
