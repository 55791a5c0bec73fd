// A tiny static server on another loopback port: an origin the Worker does not allow. It serves a
// merchant-like page that imports the widget bundle, and a few bad endpoints of its own:
//   POST /not-json[?status=N]  an HTML page (status 200 unless N)
//   POST /mint?k=KEY           a valid token body living 2 s; requests counted per KEY
//   POST /hang                 never answers; aborted requests counted
//   GET  /stats                { mint: { KEY: n }, hangAborted: n }
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { ROOT } from '../../scripts/lib/hermetic-env.mjs';

export interface OtherOrigin {
  url: string;
  close(): Promise<void>;
}

export function startOtherOrigin(): Promise<OtherOrigin> {
  const stats = { mint: {} as Record<string, number>, hangAborted: 0 };
  const send = (res: ServerResponse, status: number, type: string, body: string) => res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const route = `${req.method} ${url.pathname}`;
    if (route === 'GET /') return send(res, 200, 'text/html', readFileSync(`${ROOT}tests/playground/fixtures/other-origin.html`, 'utf8'));
    if (route === 'GET /widget.js') return send(res, 200, 'text/javascript', readFileSync(`${ROOT}playground/build/widget.js`, 'utf8'));
    if (route === 'GET /stats') return send(res, 200, 'application/json', JSON.stringify(stats));
    if (route === 'POST /not-json') return send(res, Number(url.searchParams.get('status') ?? 200), 'text/html', '<!doctype html><h1>Welcome to our shop</h1>');
    if (route === 'POST /mint') {
      const key = url.searchParams.get('k') ?? '';
      stats.mint[key] = (stats.mint[key] ?? 0) + 1;
      const body = { accessToken: `fixture-${key}-${stats.mint[key]}`, tokenType: 'Bearer', expiresIn: 2, expiresAt: Date.now() + 2000 };
      return send(res, 200, 'application/json', JSON.stringify(body));
    }
    if (route === 'POST /hang') {
      res.on('close', () => res.writableEnded || stats.hangAborted++);
      return;
    }
    send(res, 404, 'text/plain', 'not found');
  };
  const server = createServer(handle);
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () => new Promise((done) => (server.closeAllConnections(), server.close(() => done()))),
      });
    });
  });
}
