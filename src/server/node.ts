// node:http ⇄ fetch: the request's body is streamed (the service reads what it needs and cancels the
// rest, which ends the socket's upload), the response is written once.
// node:http is described structurally (the package has no Node types) and loaded on first use.
import type { FetchHandler, Listening } from './listen.js';

interface IncomingMessage {
  method?: string;
  url?: string;
  rawHeaders: string[];
  on(event: 'data', listener: (chunk: Uint8Array) => void): void;
  on(event: 'end', listener: () => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
  destroy(): void;
}
interface ServerResponse {
  headersSent: boolean;
  writeHead(status: number, headers?: string[] | Record<string, string>): void;
  end(body?: Uint8Array): void;
}
interface NodeServer {
  once(event: 'error', listener: (error: Error) => void): void;
  listen(port: number, hostname: string, callback: () => void): void;
  address(): { port: number } | string | null;
  close(callback: () => void): void;
  closeAllConnections(): void;
}
interface NodeHttp {
  createServer(handler: (req: IncomingMessage, res: ServerResponse) => void): NodeServer;
}

function toRequest(req: IncomingMessage, origin: string): Request {
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  const body = hasBody
    ? new ReadableStream<Uint8Array>({
        start(controller) {
          req.on('data', (chunk: Uint8Array) => controller.enqueue(new Uint8Array(chunk)));
          req.on('end', () => controller.close());
          req.on('error', (error) => controller.error(error));
        },
        cancel() {
          req.destroy();
        },
      })
    : null;
  return new Request(new URL(req.url ?? '/', origin), { method: req.method ?? 'GET', headers, body, ...(hasBody ? { duplex: 'half' } : {}) } as RequestInit);
}

async function send(response: Response, res: ServerResponse): Promise<void> {
  res.writeHead(response.status, [...response.headers].flat());
  res.end(new Uint8Array(await response.arrayBuffer()));
}

export async function listenNode(handler: FetchHandler, port: number, hostname: string, host: string): Promise<Listening> {
  const specifier = 'node:http';
  const { createServer } = (await import(specifier)) as NodeHttp;
  const server = createServer((req, res) => {
    const origin = `http://${host}`;
    handler(toRequest(req, origin))
      .then((response) => send(response, res))
      .catch(() => {
        if (!res.headersSent) res.writeHead(500, { 'cache-control': 'no-store' });
        res.end();
      });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, hostname, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address !== null ? address.port : port;
      resolve({
        url: `http://${host}:${bound}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
