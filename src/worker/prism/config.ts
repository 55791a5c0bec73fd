// TOKENMINT_CONFIG.prismService: Prism's token RPC on the mint Worker (docs/prism-service.md). Off
// unless present. Structure here; what needs the env (the dev switch, the coordinator binding) is
// checked by `checkPrismService`, which config.ts calls.
import * as v from 'valibot';
import { TOKEN_CONNECTORS } from '../../prism/connectors.js';
import { normaliseConnector } from '../../prism/credentials.js';
import { findProvider } from '../../providers/index.js';
import { BindingName } from '../config/schema.js';
import { COORDINATOR_BINDING } from '../coordinator/protocol.js';
import { isNamespace } from '../durable-object.js';
import type { MintEnv } from '../types.js';

const Environment = v.picklist(['sandbox', 'production'], 'must be "sandbox" or "production"');

/** One named credential set, its values read from Worker secrets. */
export interface PrismProfileJson {
  /** A Prism connector name. Default: the profile's name. */
  connector?: string | undefined;
  environment: 'sandbox' | 'production';
  /** Credential field (Prism's name, e.g. `client_id`) → the secret holding it. */
  secrets: Record<string, string>;
  /** `emulator` (dev only): the in-isolate emulator answers. */
  upstream: 'provider' | 'emulator';
  /** Replaces the provider host. */
  baseUrl?: string | undefined;
}

export interface PrismServiceJson {
  /** The secret holding the callers' bearer keys (several, separated by commas, while rotating). */
  apiKeySecret: string;
  profiles: Record<string, PrismProfileJson>;
  /** DEV ONLY (needs TOKENMINT_DEV_EMULATOR=on): credentials from `x-connector-config`, as Prism's own server. */
  headerCredentials?: { environment: 'sandbox' | 'production' } | undefined;
  /** Who fetches a profile's token: one Durable Object per flow key (default when bound) or each isolate. */
  coordination?: 'isolate' | 'durable-object' | undefined;
}

export const PrismServiceSchema: v.GenericSchema<unknown, PrismServiceJson> = v.strictObject({
  apiKeySecret: v.optional(BindingName, 'TOKENMINT_PRISM_API_KEY'),
  profiles: v.optional(
    v.record(
      v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9_-]{0,63}$/i, 'profile names are letters, digits, "-" and "_" (64 at most)')),
      v.strictObject({
        connector: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,40}$/, 'must be a connector name'))),
        environment: Environment,
        secrets: v.pipe(
          v.record(v.pipe(v.string(), v.regex(/^[a-z][A-Za-z0-9_]{0,63}$/, 'credential fields are names such as client_id')), BindingName),
          v.check((secrets) => Object.keys(secrets).length > 0, 'must name at least one secret'),
        ),
        upstream: v.optional(v.picklist(['provider', 'emulator'], 'must be "provider" or "emulator"'), 'provider'),
        baseUrl: v.optional(v.pipe(v.string(), v.url('must be an absolute URL'))),
      }),
    ),
    {},
  ),
  headerCredentials: v.optional(v.strictObject({ environment: Environment })),
  coordination: v.optional(v.picklist(['isolate', 'durable-object'], 'must be "isolate" or "durable-object"')),
});

/** Where a connector is served in the emulator (`"upstream": "emulator"`): its provider's `emulatorPrefix`. */
export const emulatorPrefix = (connector: string): string => findProvider(connector)?.emulatorPrefix ?? connector;

/** The checked section: coordination resolved. */
export interface PrismServiceConfig extends PrismServiceJson {
  readonly coordination: 'isolate' | 'durable-object';
}

/** The section checked; problems go to `errors` (field and secret names only, never values). */
export function checkPrismService(input: unknown, devEmulator: boolean, devSwitch: boolean, env: MintEnv, errors: string[], describe: (issue: v.BaseIssue<unknown>) => string): PrismServiceConfig | undefined {
  const parsed = v.safeParse(PrismServiceSchema, input);
  if (!parsed.success) {
    errors.push(...parsed.issues.map(describe));
    return undefined;
  }
  const raw = parsed.output;
  const at = 'prismService';
  if (Object.keys(raw.profiles).length === 0 && raw.headerCredentials === undefined) errors.push(`${at}: define at least one profile`);
  if (raw.headerCredentials !== undefined && !devSwitch) {
    errors.push(`${at}.headerCredentials is for development only and needs TOKENMINT_DEV_EMULATOR=on (a deployed Worker takes credentials from its profiles' secrets)`);
  }
  for (const [name, profile] of Object.entries(raw.profiles)) {
    const connector = normaliseConnector(profile.connector ?? name);
    if (TOKEN_CONNECTORS[connector] === undefined) errors.push(`${at}.profiles.${name}: connector "${connector}" has no access token here (known: ${Object.keys(TOKEN_CONNECTORS).join(', ')})`);
    if (profile.upstream === 'emulator' && !devEmulator) errors.push(`${at}.profiles.${name}: "upstream": "emulator" needs devEmulator (development only)`);
    if (profile.upstream === 'emulator' && profile.baseUrl !== undefined) errors.push(`${at}.profiles.${name}: baseUrl conflicts with "upstream": "emulator"`);
  }
  const bound = isNamespace(env[COORDINATOR_BINDING]);
  if (raw.coordination === 'durable-object' && !bound) errors.push(`${at}.coordination "durable-object" needs the Durable Object binding ${COORDINATOR_BINDING} (see docs/scaling.md), or set "isolate"`);
  return { ...raw, coordination: raw.coordination ?? (bound ? 'durable-object' : 'isolate') };
}
