export { createAuthorizedFetch, type AuthorizedFetchOptions } from './authorized-fetch.js';
