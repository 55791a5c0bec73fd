// The config is parsed on the first request and kept for the isolate. The cache is keyed on what the
// result depends on: the raw var, the dev switch, and whether the rate-limit and coordinator bindings
// are bound.
import { DEV_EMULATOR_SWITCH, parseConfig, type ConfigResult, type MintConfig } from './parse.js';
import { COORDINATOR_BINDING } from '../coordinator/protocol.js';
import { isNamespace } from '../durable-object.js';
import type { MintFeatures } from '../features.js';
import type { OnceLogger } from '../log.js';
import { problem } from '../http/problem.js';
import type { MintEnv } from '../types.js';

interface Entry {
  raw: unknown;
  dev: unknown;
  bound: readonly boolean[];
  /** Whether the coordinator binding was there: it decides each profile's default coordination. */
  coordinator: boolean;
  result: ConfigResult;
}

const bindingsOf = (result: ConfigResult): readonly string[] => (result.ok ? result.config.bindings : []);
const boundState = (env: MintEnv, names: readonly string[]): boolean[] =>
  names.map((name) => typeof (env[name] as { limit?: unknown } | undefined)?.limit === 'function');

export class ConfigCache {
  #entry: Entry | undefined;
  readonly #log: OnceLogger;
  readonly #hasDevEmulator: boolean;
  readonly #features: MintFeatures;

  /**
   * `hasDevEmulator`: whether the Worker was built with one (dev entry); if not, `devEmulator` is refused.
   * `features`: the opt-in parts it was built with; parseConfig refuses a config that uses another.
   */
  constructor(log: OnceLogger, hasDevEmulator: boolean, features: MintFeatures) {
    this.#log = log;
    this.#hasDevEmulator = hasDevEmulator;
    this.#features = features;
  }

  /** The checked config, or a 503 problem (`config_missing` / `config_invalid`) after logging why, once. */
  load(env: MintEnv): MintConfig {
    const result = this.#result(env);
    if (result.ok) return result.config;
    for (const error of result.errors) this.#log.once('error', `${result.code}: ${error}`);
    throw problem(result.code);
  }

  #result(env: MintEnv): ConfigResult {
    const entry = this.#entry;
    if (
      entry !== undefined &&
      entry.raw === env.TOKENMINT_CONFIG &&
      entry.dev === env[DEV_EMULATOR_SWITCH] &&
      entry.coordinator === isNamespace(env[COORDINATOR_BINDING]) &&
      boundState(env, bindingsOf(entry.result)).every((value, index) => value === entry.bound[index])
    ) {
      return entry.result;
    }
    const result = parseConfig(env, { ...this.#features, devEmulator: this.#hasDevEmulator });
    this.#entry = { raw: env.TOKENMINT_CONFIG, dev: env[DEV_EMULATOR_SWITCH], bound: boundState(env, bindingsOf(result)), coordinator: isNamespace(env[COORDINATOR_BINDING]), result };
    return result;
  }
}
