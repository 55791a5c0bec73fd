// Loopback OAuth 2 token endpoint (RFC 6749 §4.4 client_credentials) shared by every runtime's smoke run.
// It also serves the few static files the browser run needs, so the page and the token URL are same-origin.
//
//   POST [/runs/<id>]/token   Basic smoke-client:smoke-secret -> 200 §5.1 JSON, else 401 invalid_client
//   GET  [/runs/<id>]/stats   what that run's token endpoint saw (counts + last request)
//   POST [/runs/<id>]/reset   zero that run's counters
//   GET  /dist/**, /node_modules/{valibot,ofetch,destr,ufo}/dist/**, /tests/runtimes/**, /tests/browser/**
//
// Counters live per run id, so runtimes sharing one server (vitest's node + workerd projects) cannot see
// each other's requests.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CLIENT_ID = 'smoke-client';
export const CLIENT_SECRET = 'smoke-secret';
export const EXPIRES_IN = 3600;

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
// Only these folders are served; everything else is 404 (no directory listing, no traversal).
const STATIC_ROOTS = [
  'dist/',
  'node_modules/valibot/dist/',
  'node_modules/ofetch/dist/',
  'node_modules/destr/dist/',
  'node_modules/ufo/dist/',
  'tests/runtimes/',
  'tests/browser/',
];
const MIME = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.html': 'text/html', '.map': 'application/json' };
const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-allow-headers': 'authorization, content-type, accept',
  'access-control-max-age': '600',
};

/** `application/x-www-form-urlencoded` component decoding ('+' is a space), as §2.3.1 requires. */
const formDecode = (s) => decodeURIComponent(s.replace(/\+/g, ' '));

function parseBasic(header) {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!m) return undefined;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  try {
    return { id: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) };
  } catch {
    return undefined;
  }
}

function newRun() {
  return { tokenRequests: 0, issued: 0, rejected: 0, last: undefined };
}

async function readBody(req, limit = 64 * 1024) {
  let size = 0;
  const chunks = [];
  for await (const chunk of req) {
    size += chunk.length;
    if (size > limit) throw new Error('body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function send(res, status, body, headers = {}) {
  const isJson = typeof body !== 'string' && !Buffer.isBuffer(body);
  res.writeHead(status, {
    ...CORS,
    'cache-control': 'no-store',
    ...(isJson ? { 'content-type': 'application/json;charset=UTF-8' } : {}),
    ...headers,
  });
  res.end(isJson ? JSON.stringify(body) : body);
}

export async function startTokenServer({ host = '127.0.0.1' } = {}) {
  const runs = new Map();
  let serial = 0; // process-wide, so tokens stay unique across runs and resets
  const runOf = (id) => {
    if (!runs.has(id)) runs.set(id, newRun());
    return runs.get(id);
  };

  async function handleToken(req, res, run) {
    const body = await readBody(req);
    const params = new URLSearchParams(body);
    run.tokenRequests += 1;
    run.last = {
      method: req.method,
      contentType: req.headers['content-type'] ?? null,
      authorization: req.headers.authorization ?? null,
      params: Object.fromEntries(params),
    };
    const creds = parseBasic(req.headers.authorization);
    if (!creds || creds.id !== CLIENT_ID || creds.secret !== CLIENT_SECRET) {
      run.rejected += 1;
      // §5.2: 401 + WWW-Authenticate when the client authenticated with the Authorization header.
      return send(res, 401, { error: 'invalid_client', error_description: 'client authentication failed' }, {
        'www-authenticate': 'Basic realm="tokenmint-smoke"',
        pragma: 'no-cache',
      });
    }
    if (!/^application\/x-www-form-urlencoded\b/i.test(run.last.contentType ?? '')) {
      return send(res, 400, { error: 'invalid_request', error_description: 'form body expected' });
    }
    if (params.get('grant_type') !== 'client_credentials') {
      return send(res, 400, { error: 'unsupported_grant_type' });
    }
    run.issued += 1;
    serial += 1;
    const token = { access_token: `smoke-at-${serial}-${Math.random().toString(36).slice(2, 10)}`, token_type: 'Bearer', expires_in: EXPIRES_IN };
    if (params.has('scope')) token.scope = params.get('scope');
    return send(res, 200, token, { pragma: 'no-cache' });
  }

  async function handleStatic(res, path) {
    const rel = decodeURIComponent(path).replace(/^\/+/, '');
    const file = resolve(ROOT, rel);
    const allowed = STATIC_ROOTS.some((r) => file.startsWith(resolve(ROOT, r) + sep));
    if (!allowed) return send(res, 404, { error: 'not_found' });
    try {
      const data = await readFile(file);
      return send(res, 200, data, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream' });
    } catch {
      return send(res, 404, { error: 'not_found' });
    }
  }

  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://loopback');
      if (req.method === 'OPTIONS') return send(res, 204, '');
      const m = /^(?:\/runs\/([\w-]{1,64}))?\/(token|stats|reset)$/.exec(url.pathname);
      if (m) {
        const run = runOf(m[1] ?? 'default');
        if (m[2] === 'token' && req.method === 'POST') return await handleToken(req, res, run);
        if (m[2] === 'stats' && req.method === 'GET') return send(res, 200, run);
        if (m[2] === 'reset' && req.method === 'POST') {
          runs.set(m[1] ?? 'default', newRun());
          return send(res, 200, { ok: true });
        }
        return send(res, 405, { error: 'method_not_allowed' });
      }
      if (req.method === 'GET') return await handleStatic(res, url.pathname);
      return send(res, 404, { error: 'not_found' });
    } catch (err) {
      return send(res, 500, { error: 'server_error', error_description: String(err?.message ?? err) });
    }
  });

  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(0, host, ok);
  });
  const { port } = server.address();
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise((ok) => {
        server.closeAllConnections?.();
        server.close(() => ok());
      }),
  };
}
