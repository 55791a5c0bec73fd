// One fetch handler on whichever server runtime this is: Deno.serve, Bun.serve, or node:http (loaded
// only on Node, so this module imports in Deno and Bun too).

export type FetchHandler = (request: Request) => Promise<Response>;

export interface ListenOptions {
  /** Default 8080 (Prism's own). 0 picks a free port. */
  port?: number | undefined;
  /** Default `127.0.0.1`: beside your backend, not on the internet. */
  hostname?: string | undefined;
}

export interface Listening {
  /** `http://host:port`. */
  readonly url: string;
  close(): Promise<void>;
}

interface DenoLike {
  serve(options: { port: number; hostname: string; onListen?: () => void }, handler: FetchHandler): { addr: { port: number }; shutdown(): Promise<void> };
}
interface BunLike {
  serve(options: { port: number; hostname: string; fetch: FetchHandler }): { port: number; stop(force?: boolean): void };
}

/** Serves `handler` over HTTP/1.1 on this runtime. */
export async function listen(handler: FetchHandler, options: ListenOptions = {}): Promise<Listening> {
  const port = options.port ?? 8080;
  const hostname = options.hostname ?? '127.0.0.1';
  const host = hostname.includes(':') ? `[${hostname}]` : hostname;
  const runtime = globalThis as { Deno?: DenoLike; Bun?: BunLike };
  if (runtime.Deno !== undefined) {
    const server = runtime.Deno.serve({ port, hostname, onListen: () => {} }, handler);
    return { url: `http://${host}:${server.addr.port}`, close: () => server.shutdown() };
  }
  if (runtime.Bun !== undefined) {
    const server = runtime.Bun.serve({ port, hostname, fetch: handler });
    return { url: `http://${host}:${server.port}`, close: async () => server.stop(true) };
  }
  const { listenNode } = await import('./node.js');
  return listenNode(handler, port, hostname, host);
}
