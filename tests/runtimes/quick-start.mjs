// The README quick start as a user runs it against a real token endpoint (no emulator `fetch`): one
// token printed, then the process exits by itself. Spawned by tests/node/quick-start-exit.test.ts in
// Node, Deno and Bun: `<runtime> tests/runtimes/quick-start.mjs <tokenUrl>`. A failure is left uncaught
// on purpose, as in the README: the runtime prints the TokenError and exits 1.
import { clientCredentials, createTokenStore } from '../../dist/core/index.js';

const [tokenUrl] = globalThis.Deno?.args ?? process.argv.slice(2);
const store = createTokenStore();
const payments = store.source(clientCredentials({ tokenUrl, clientId: 'smoke-client', clientSecret: 'smoke-secret', scope: 'payments' }));

const token = await payments.get();
console.log(token.accessToken);
store.dispose();
