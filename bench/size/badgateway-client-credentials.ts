// @badgateway/oauth2-client's client_credentials program with its caching wrapper (OAuth2Fetch), as its
// README sets it up. Bundled by bench/lib/sizes.mjs.
import { OAuth2Client, OAuth2Fetch } from '@badgateway/oauth2-client';

const client = new OAuth2Client({ tokenEndpoint: 'https://auth.example.com/oauth2/token', clientId: 'id', clientSecret: 'secret' });
const wrapper = new OAuth2Fetch({ client, getNewToken: () => client.clientCredentials() });
export const token = wrapper.getToken();
