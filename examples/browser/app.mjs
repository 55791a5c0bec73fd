// A browser app signing its user in with the authorization code grant and PKCE, as a public client (no
// secret: never put one in a page). Bundle it for the page: `npx esbuild app.mjs --bundle --format=esm
// --outfile=app.js` (after `npm install tokenmint esbuild`). Open index.html?emulator to run it against
// the in-page emulator, which stands in for the authorization server and the user's consent.
import { authorizationCode, createPkce, createTokenStore } from 'tokenmint';
import { createEmulator, OAUTH2_PUBLIC_DEMO } from 'tokenmint/emulator';

const emulator = new URLSearchParams(location.search).has('emulator') ? createEmulator() : undefined;
const server = emulator
  ? { authorizeUrl: undefined, tokenUrl: `${emulator.baseUrl('oauth2')}/token`, clientId: OAUTH2_PUBLIC_DEMO.clientId }
  : { authorizeUrl: 'https://auth.example.com/oauth/authorize', tokenUrl: 'https://auth.example.com/oauth/token', clientId: 'spa' };
const redirectUri = location.origin + location.pathname;
const show = (text) => (document.getElementById('status').textContent = text);

/** Step 1: send the user to the authorization server with a PKCE challenge (the emulator answers at once). */
async function authorize() {
  const pkce = await createPkce();
  if (emulator) {
    const code = emulator.oauth2.authorize({ clientId: server.clientId, redirectUri, codeChallenge: pkce.codeChallenge });
    return { code, codeVerifier: pkce.codeVerifier };
  }
  sessionStorage.setItem('pkce-verifier', pkce.codeVerifier); // only the verifier, only until the redirect returns
  const url = new URL(server.authorizeUrl);
  url.search = new URLSearchParams({ response_type: 'code', client_id: server.clientId, redirect_uri: redirectUri, code_challenge: pkce.codeChallenge, code_challenge_method: pkce.codeChallengeMethod }).toString();
  location.assign(url);
  return undefined;
}

/** Step 2, back from the redirect (or straight from the emulator): the code and its verifier. */
function callback() {
  const code = new URLSearchParams(location.search).get('code');
  const codeVerifier = sessionStorage.getItem('pkce-verifier');
  sessionStorage.removeItem('pkce-verifier');
  return code && codeVerifier ? { code, codeVerifier } : undefined;
}

const grant = emulator ? await authorize() : (callback() ?? (await authorize()));
if (grant) {
  const store = createTokenStore({ fetch: emulator?.fetch });
  const source = store.source(authorizationCode({ tokenUrl: server.tokenUrl, clientId: server.clientId, redirectUri, ...grant }));
  try {
    const token = await source.get(); // kept in memory only; refreshed with the (rotating) refresh token
    const refreshed = await source.refresh();
    show(`signed in: ${token.tokenType} token, refreshed: ${refreshed.accessToken !== token.accessToken}`);
  } catch (error) {
    show(`sign-in failed: ${error.code}`);
  }
  addEventListener('pagehide', () => store.dispose());
}
