// Prism's token RPC on the mint Worker (docs/prism-service.md): the service of tokenmint/prism built
// from TOKENMINT_CONFIG.prismService and Worker secrets, over the Worker's own store, with each
// profile's token fetched through its flow key's Durable Object when coordinated.
import { TokenError, type TokenFlow, type TokenStore } from '../../core/index.js';
import { TOKEN_CONNECTORS } from '../../prism/connectors.js';
import { normaliseConnector, readCredentials } from '../../prism/credentials.js';
import { createPrismService, withHiddenKey, type PrismService, type PrismServiceProfile } from '../../prism/service/index.js';
import type { HandlerContext } from '../http/context.js';
import type { MintConfig } from '../config/parse.js';
import { COORDINATOR_BINDING } from '../coordinator/protocol.js';
import type { DurableObjectNamespaceLike } from '../durable-object.js';
import { problem } from '../http/problem.js';
import { emulatorPrefix, type PrismServiceConfig } from './config.js';
import { readSecret } from '../config/secrets.js';
import type { MintState } from '../state.js';
import type { MintEnv } from '../types.js';

/** Coordinator asks for these profiles are `prism:<environment>:<profile>`. */
export const PRISM_ASK_PREFIX = 'prism:';
type Environment = 'sandbox' | 'production';

/** One profile's credentials and hosts, from the secrets it names. */
function profileOptions(state: MintState, config: MintConfig, env: MintEnv, name: string): PrismServiceProfile {
  const profile = config.prismService!.profiles[name]!;
  const connector = normaliseConnector(profile.connector ?? name);
  const user = `prismService profile "${name}"`;
  const credentials = Object.fromEntries(Object.entries(profile.secrets).map(([field, secret]) => [field, readSecret(env, secret, state.log, user)]));
  const emulator = profile.upstream === 'emulator' ? state.emulator(config) : undefined;
  return {
    connector,
    credentials,
    environment: profile.environment,
    ...(emulator !== undefined ? { baseUrl: emulator.baseUrl(emulatorPrefix(connector)), fetch: emulator.fetch } : { fetch: state.fetch }),
    ...(profile.baseUrl === undefined ? {} : { baseUrl: profile.baseUrl }),
  };
}

/** The flow the facade builds for a profile in one environment, under its hidden key (the coordinator builds the same). */
function profileFlow(options: PrismServiceProfile, environment: Environment): TokenFlow {
  const credentials = readCredentials({ ...options.credentials, ...(options.baseUrl === undefined ? {} : { baseUrl: options.baseUrl }) }, 'credentials');
  const connector = TOKEN_CONNECTORS[options.connector!]!;
  return withHiddenKey(connector.flow({ credentials, environment, baseUrl: options.baseUrl, fetch: options.fetch }));
}

/** The store the service sees: always the Worker's current one (a dev emulator reset replaces it). */
function workerStore(state: MintState): TokenStore {
  return {
    get size() {
      return state.store.size;
    },
    source: (flow) => state.store.source(flow),
    dispose() {},
    [Symbol.dispose]() {},
    async [Symbol.asyncDispose]() {},
  };
}

interface Mounted {
  config: MintConfig;
  /** The secret values it was built from (kept in memory only, to notice a rotation). */
  secrets: string;
  service: PrismService;
}

const mounted = new WeakMap<MintState, Mounted>();

function secretNames(section: PrismServiceConfig): string[] {
  return [section.apiKeySecret, ...Object.values(section.profiles).flatMap((profile) => Object.values(profile.secrets))];
}

function build(state: MintState, config: MintConfig, env: MintEnv): PrismService {
  const section = config.prismService!;
  const secrets = secretNames(section)
    .map((name) => readSecret(env, name, state.log, 'prismService'))
    .join('\0');
  const known = mounted.get(state);
  if (known !== undefined && known.config === config && known.secrets === secrets) return known.service;
  known?.service.dispose();
  const profiles = Object.fromEntries(Object.keys(section.profiles).map((name) => [name, profileOptions(state, config, env, name)]));
  const emulator = state.emulator(config);
  const namespace = env[COORDINATOR_BINDING] as DurableObjectNamespaceLike;
  let service: PrismService;
  try {
    service = createPrismService({
      apiKeys: readSecret(env, section.apiKeySecret, state.log, 'prismService').split(/[\s,]+/).filter(Boolean),
      profiles,
      store: workerStore(state),
      clock: state.clock,
      fetch: emulator?.fetch ?? state.fetch,
      ...(section.headerCredentials === undefined
        ? {}
        : { headerCredentials: { environment: section.headerCredentials.environment, ...(emulator === undefined ? {} : { baseUrl: (connector: string) => emulator.baseUrl(emulatorPrefix(connector)) }) } }),
      wrapFlow: (flow, name) => {
        if (section.coordination === 'isolate' || name === undefined) return flow;
        const environment = (['sandbox', 'production'] as const).find((candidate) => profileFlow(profiles[name]!, candidate).key === flow.key);
        if (environment === undefined) return flow;
        const ask = { profile: `${PRISM_ASK_PREFIX}${environment}:${name}`, ...(section.profiles[name]!.upstream === 'emulator' ? { epoch: state.emulatorEpoch } : {}) };
        return state.coordination.flow(flow, ask, namespace);
      },
    });
  } catch (error) {
    // A key too short, or credentials a connector refuses: the message names fields, never values.
    state.log.once('error', `secret_invalid: prismService: ${error instanceof TokenError ? error.message : 'could not be built'}`);
    throw problem('secret_invalid');
  }
  mounted.set(state, { config, secrets, service });
  return service;
}

/** The Prism routes: a 404 unless TOKENMINT_CONFIG has `prismService`. */
export async function prismRoute(context: HandlerContext): Promise<Response> {
  const config = context.state.config.load(context.env);
  if (config.prismService === undefined) throw problem('not_found');
  const service = build(context.state, config, context.env);
  const { ctx } = context;
  return (await service.handle(context.request, ctx === undefined ? {} : { waitUntil: (promise) => ctx.waitUntil(promise) }))!;
}

/** The coordinator's side: the flow a `prism:<environment>:<profile>` ask names, or why not. */
export function prismAskFlow(state: MintState, env: MintEnv, ask: string): TokenFlow | string {
  const [environment, name] = ask.slice(PRISM_ASK_PREFIX.length).split(':');
  const config = state.config.load(env);
  if ((environment !== 'sandbox' && environment !== 'production') || name === undefined || config.prismService === undefined || !Object.hasOwn(config.prismService.profiles, name)) return 'unknown_profile';
  return profileFlow(profileOptions(state, config, env, name), environment);
}
