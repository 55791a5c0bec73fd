// The standalone service: TOKENMINT_PRISM_CONFIG (the Worker's `prismService` section, secrets
// named by environment variable) → createPrismService → listen. Used by the CLI and by code.
import * as v from 'valibot';
import { TokenError } from '../core/index.js';
import { configError } from '../core/kit.js';
import { createEmulator, type Emulator } from '../emulator/index.js';
import { normaliseConnector } from '../prism/credentials.js';
import { createPrismService, type PrismService, type PrismServiceProfile } from '../prism/service/index.js';
import { describeIssue } from '../worker/config/parse.js';
import { PrismServiceSchema, emulatorPrefix, type PrismServiceJson } from '../worker/prism/config.js';
import { listen, type ListenOptions, type Listening } from './listen.js';

export interface ServePrismOptions extends ListenOptions {
  /** The config: an object, or its JSON text (the CLI passes TOKENMINT_PRISM_CONFIG). */
  config: PrismServiceJson | string | unknown;
  /** Where the named secrets are read: environment variables. */
  env: Readonly<Record<string, string | undefined>>;
  /**
   * Serve every `"upstream": "emulator"` profile (and header credentials) from an in-process emulator
   * of the providers (tests, demos). Default: refused, so no profile silently reaches a fake.
   */
  emulator?: Emulator | undefined;
  fetch?: typeof fetch | undefined;
}

export interface PrismServer extends Listening {
  readonly service: PrismService;
}

const fail = (field: string, problem: string): TokenError => configError('prism server', field, problem);

/** The service for a config and environment; throws a `config` error naming every problem (never a value). */
export function prismServiceFromConfig(options: Omit<ServePrismOptions, keyof ListenOptions>): PrismService {
  let input = options.config;
  if (typeof input === 'string') {
    try {
      input = JSON.parse(input);
    } catch {
      throw fail('config', 'is not valid JSON');
    }
  }
  const parsed = v.safeParse(PrismServiceSchema, input);
  if (!parsed.success) throw fail('config', parsed.issues.map((issue) => describeIssue(issue, 'config')).join('; '));
  const config = parsed.output;
  if (config.coordination !== undefined) throw fail('config.coordination', 'applies to the Worker only (one process has one store)');
  const read = (name: string, user: string): string => {
    const value = options.env[name];
    if (typeof value !== 'string' || value === '') throw fail(user, `needs the environment variable ${name}`);
    return value;
  };
  const emulator = options.emulator;
  const profiles: Record<string, PrismServiceProfile> = {};
  for (const [name, profile] of Object.entries(config.profiles)) {
    const connector = normaliseConnector(profile.connector ?? name);
    const at = `config.profiles.${name}`;
    if (profile.upstream === 'emulator' && emulator === undefined) throw fail(`${at}.upstream`, '"emulator" needs the emulator (--emulator)');
    profiles[name] = {
      connector,
      environment: profile.environment,
      credentials: Object.fromEntries(Object.entries(profile.secrets).map(([field, variable]) => [field, read(variable, at)])),
      ...(profile.upstream === 'emulator' ? { baseUrl: emulator!.baseUrl(emulatorPrefix(connector)), fetch: emulator!.fetch } : {}),
      ...(profile.baseUrl === undefined ? {} : { baseUrl: profile.baseUrl }),
    };
  }
  return createPrismService({
    apiKeys: read(config.apiKeySecret, 'config.apiKeySecret').split(/[\s,]+/).filter(Boolean),
    profiles,
    ...(config.headerCredentials === undefined
      ? {}
      : { headerCredentials: { environment: config.headerCredentials.environment, ...(emulator === undefined ? {} : { baseUrl: (connector: string) => emulator.baseUrl(emulatorPrefix(connector)) }) } }),
    ...(emulator !== undefined ? { fetch: emulator.fetch } : options.fetch === undefined ? {} : { fetch: options.fetch }),
  });
}

/**
 * Serves Prism's token RPC on Node, Deno or Bun (HTTP/1.1: the HTTP JSON route, Connect and gRPC-web).
 * @example
 * const server = await servePrism({ config: process.env.TOKENMINT_PRISM_CONFIG, env: process.env, port: 8080 });
 */
export async function servePrism(options: ServePrismOptions): Promise<PrismServer> {
  const service = prismServiceFromConfig(options);
  try {
    const listening = await listen((request) => service.fetch(request), options);
    return {
      url: listening.url,
      service,
      close: async () => {
        await listening.close();
        service.dispose();
      },
    };
  } catch (error) {
    service.dispose();
    throw error;
  }
}

export { createEmulator };
