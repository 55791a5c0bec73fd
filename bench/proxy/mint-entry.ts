// The mint Worker as bench/proxy/overhead.mjs runs it: the library's createMintWorker with the proxy part,
// whose upstream calls (server token and proxied API calls) go through the `UPSTREAM` service binding
// to the emulator's worker. Under Miniflare a worker's global fetch() first passes through Miniflare's
// own outbound worker (a JavaScript worker that rewrites headers), a hop that a deployed Worker's fetch
// does not make and the bench's direct call does not make either; the binding reaches the emulator as
// directly as the page's call does. The bench measures that outbound worker apart.
import { createMintWorker, type MintEnv, type WaitUntilContext } from '../../src/worker/index.js';
import { proxy } from '../../src/worker/proxy/index.js';

interface Upstream {
  fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>;
}

let upstream: Upstream | undefined;
const mint = createMintWorker({ proxy: proxy(), fetch: (input, init) => upstream!.fetch(input, init) });

export default {
  fetch(request: Request, env: MintEnv & { UPSTREAM: Upstream }, ctx: WaitUntilContext): Promise<Response> {
    upstream = env.UPSTREAM;
    return mint.fetch(request, env, ctx);
  },
};
