// Development secrets for the mint Worker: what `npm start` writes to .dev.vars (gitignored) when it
// is missing, and what the workerd test project binds. DEVELOPMENT ONLY: a fresh ES256 signing key,
// the emulator's demo PayPal app (PAYPAL_DEMO in src/providers/paypal/emulator.ts), and the switch that lets a
// config use the in-isolate emulator. Production secrets are set with `wrangler secret put`.
import { webcrypto } from 'node:crypto';
import { existsSync, readFileSync, appendFileSync, writeFileSync } from 'node:fs';

/**
 * The Worker module `npm start` and the workerd tests run: the mint Worker with the in-isolate emulator.
 * wrangler.toml's `main` is the production entry, which carries neither emulator nor demo credentials.
 */
export const DEV_ENTRY = 'src/worker/dev/main.ts';

/** A private EC P-256 JWK for signing session tokens (its kid is derived by the Worker). */
export async function generateSessionKey() {
  const { privateKey } = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
  const { kty, crv, x, y, d } = await webcrypto.subtle.exportKey('jwk', privateKey);
  return JSON.stringify({ kty, crv, x, y, d, alg: 'ES256', use: 'sig' });
}

/** Every development secret the demo profiles of wrangler.toml need. */
export async function devVars() {
  return {
    TOKENMINT_DEV_EMULATOR: 'on',
    TOKENMINT_SESSION_KEY: await generateSessionKey(),
    PAYPAL_CLIENT_ID: 'paypal-demo-client',
    PAYPAL_CLIENT_SECRET: 'paypal-demo-secret',
    // The vault (docs/vault.md): a throwaway key for refresh tokens at rest, the admin credential of
    // the onboarding routes, and the CyberSource emulator's demo client (CYBERSOURCE_DEMO).
    TOKENMINT_VAULT_KEYS: `dev:${Buffer.from(webcrypto.getRandomValues(new Uint8Array(32))).toString('base64url')}`,
    TOKENMINT_ADMIN_TOKEN: Buffer.from(webcrypto.getRandomValues(new Uint8Array(32))).toString('base64url'),
    CYBERSOURCE_CLIENT_ID: 'cybs-demo-client',
    CYBERSOURCE_CLIENT_SECRET: 'cybs-demo-secret',
  };
}

const HEADER = `# DEVELOPMENT ONLY (written by npm start). A throwaway session signing key and the emulator's demo
# credentials. Never deploy these: set production secrets with \`wrangler secret put NAME\`.
`;

/** Names of the variables set in a .dev.vars text (dotenv syntax). */
function names(text) {
  return new Set([...text.matchAll(/^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/gm)].map((match) => match[1]));
}

/**
 * Creates `file` with every development secret, or adds the ones it lacks; never changes a value that
 * is there. Returns the names it wrote.
 */
export async function ensureDevVars(file) {
  const existing = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  const present = existing === undefined ? new Set() : names(existing);
  const missing = Object.entries(await devVars()).filter(([name]) => !present.has(name));
  if (missing.length === 0) return [];
  // Single quotes: dotenv keeps the JSON key as it is.
  const lines = missing.map(([name, value]) => `${name}='${value}'`).join('\n');
  if (existing === undefined) writeFileSync(file, `${HEADER}${lines}\n`, { mode: 0o600 });
  else appendFileSync(file, `${existing.endsWith('\n') || existing === '' ? '' : '\n'}${HEADER}${lines}\n`);
  return missing.map(([name]) => name);
}
