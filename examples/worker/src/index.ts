// A merchant's own Cloudflare Worker calling a payment API with a server token: the store lives at module
// scope (shared by every request of the isolate), refreshes on access and hands the refresh to
// ctx.waitUntil, so no request waits for it. Types: `npx wrangler types` (or @cloudflare/workers-types).
//   npx wrangler dev                                  TOKEN_URL, API_URL in wrangler.toml; secrets in .dev.vars
//   npx wrangler dev --var TOKENMINT_EMULATOR:1       the in-isolate emulator, no secrets
import { clientCredentials, createTokenStore, type TokenSource } from 'tokenmint';
import { createEmulator, OAUTH2_DEMO, type Emulator } from 'tokenmint/emulator';

interface Env {
  TOKEN_URL: string;
  API_URL: string;
  CLIENT_ID: string;
  CLIENT_SECRET: string;
  TOKENMINT_EMULATOR?: string;
}

const store = createTokenStore(); // timers do not run between requests on Workers: refresh on access
let source: TokenSource | undefined;
let emulator: Emulator | undefined;

function tokenSource(env: Env): TokenSource {
  if (env.TOKENMINT_EMULATOR === '1') emulator ??= createEmulator(); // created in a request: workerd allows no randomness at module scope
  source ??= store.source(
    clientCredentials({
      tokenUrl: emulator ? `${emulator.baseUrl('oauth2')}/token` : env.TOKEN_URL,
      clientId: emulator ? OAUTH2_DEMO.clientId : env.CLIENT_ID,
      clientSecret: emulator ? OAUTH2_DEMO.clientSecret : env.CLIENT_SECRET,
      ...(emulator ? { fetch: emulator.fetch } : {}),
    }),
  );
  return source;
}

export default {
  async fetch(_request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    const orders = tokenSource(env);
    const authorization = await orders.authorization({ waitUntil: (promise) => ctx.waitUntil(promise) });
    if (emulator) {
      // No payment API behind the emulator: show what would be sent, never the token itself.
      return Response.json({ authorization: `${authorization.split(' ')[0]} <token>`, tokenRequests: emulator.requests.length });
    }
    return fetch(`${env.API_URL}/v1/orders`, { headers: { authorization } });
  },
} satisfies ExportedHandler<Env>;
