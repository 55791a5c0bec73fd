// The admin credential of the vault routes: a Worker secret sent as a bearer token. Both sides are
// hashed before the comparison, which then runs over 64 hex digits whatever was sent: its time says
// nothing about the secret.
import { bearerCredential, sameDigest, sha256Hex } from '../../core/kit.js';
import type { HandlerContext } from '../http/context.js';
import { problem } from '../http/problem.js';
import { readSecret } from '../config/secrets.js';

export const ADMIN_SECRET = 'TOKENMINT_ADMIN_TOKEN';
/** Shorter secrets are refused: a bearer credential guessed online must be out of reach. */
const MIN_LENGTH = 32;

/** Passes when the request carries `Authorization: Bearer <TOKENMINT_ADMIN_TOKEN>`; a 401 problem otherwise. */
export async function requireAdmin(context: HandlerContext): Promise<void> {
  const expected = readSecret(context.env, ADMIN_SECRET, context.state.log, 'the vault admin routes');
  if (expected.length < MIN_LENGTH) {
    context.state.log.once('error', `secret_invalid: the secret ${ADMIN_SECRET} must be at least ${MIN_LENGTH} characters (e.g. 32 random bytes in base64url)`);
    throw problem('secret_invalid');
  }
  const presented = bearerCredential(context.request.headers.get('authorization'));
  if (presented === undefined || !sameDigest(sha256Hex(presented), sha256Hex(expected))) {
    throw problem('admin_unauthorized', { headers: { 'www-authenticate': 'Bearer realm="tokenmint-admin"' } });
  }
}
