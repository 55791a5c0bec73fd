// The smallest real use of the core: what a browser pays to get a cached client_credentials token.
// Bundled and gzipped by scripts/size.mjs.
import { clientCredentials, createTokenStore } from '../../src/core/index.ts';

const store = createTokenStore();
const source = store.source(
  clientCredentials({ tokenUrl: 'https://auth.example.com/oauth2/token', clientId: 'id', clientSecret: 'secret' }),
);
export const token = source.get();
