// oauth4webapi's client_credentials program, caching nothing: a request and its response processing.
// The reference the core's 5,052 B target was taken from (scripts/size.mjs). Bundled by bench/lib/sizes.mjs.
import * as oauth from 'oauth4webapi';

const as = { issuer: 'https://auth.example.com', token_endpoint: 'https://auth.example.com/oauth2/token' };
const client = { client_id: 'id' };
export const token = oauth
  .clientCredentialsGrantRequest(as, client, oauth.ClientSecretBasic('secret'), new URLSearchParams())
  .then((response) => oauth.processClientCredentialsResponse(as, client, response));
