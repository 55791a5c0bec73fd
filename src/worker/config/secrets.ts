// Secrets come from Worker secrets only (`wrangler secret put NAME`; `.dev.vars` locally). A missing
// or malformed one is a 503 whose code tells the operator what kind of thing to fix; which secret is
// named in the log only, by NAME, never its value.
import type { Profile } from './parse.js';
import { importSigningKeys, KeyError, type SigningKeys } from '../mint/keys.js';
import type { OnceLogger } from '../log.js';
import { problem } from '../http/problem.js';
import type { MintEnv } from '../types.js';

const howToSet = (name: string): string => `run \`wrangler secret put ${name}\` (locally: add ${name}=… to .dev.vars)`;

/** A secret's value, or a logged `secret_missing` problem. */
export function readSecret(env: MintEnv, name: string, log: OnceLogger, user: string): string {
  const value = env[name];
  if (typeof value === 'string' && value !== '') return value;
  log.once('error', `secret_missing: ${user} needs the secret ${name}: ${howToSet(name)}`);
  throw problem('secret_missing');
}

/** Credential field → value for a profile's flow. */
export function readCredentials(env: MintEnv, profile: Profile, log: OnceLogger): Record<string, string> {
  const user = `profile "${profile.name}"`;
  return Object.fromEntries(Object.entries(profile.secretNames).map(([field, name]) => [field, readSecret(env, name, log, user)]));
}

/** What a secret's text imports to (a key, a key set), imported again only when that text changes. */
export class ImportedSecret<T> {
  #raw: string | undefined;
  #value: Promise<T> | undefined;
  readonly #load: (raw: string) => Promise<T>;

  constructor(load: (raw: string) => Promise<T>) {
    this.#load = load;
  }

  get(raw: string): Promise<T> {
    if (raw !== this.#raw || this.#value === undefined) {
      this.#raw = raw;
      this.#value = this.#load(raw);
    }
    return this.#value;
  }
}

/** Keeps the imported signing key for the isolate, re-importing only when the secret changes. */
export class SigningKeyCache {
  readonly #keys = new ImportedSecret(importSigningKeys);
  readonly #log: OnceLogger;

  constructor(log: OnceLogger) {
    this.#log = log;
  }

  async get(env: MintEnv, name: string): Promise<SigningKeys> {
    const raw = readSecret(env, name, this.#log, 'session mode and the JWKS');
    try {
      return await this.#keys.get(raw);
    } catch (error) {
      const reason = error instanceof KeyError ? error.message : 'could not be imported';
      this.#log.once('error', `secret_invalid: the secret ${name} ${reason}; generate one with \`npm start\` (dev) or see docs/worker.md, then ${howToSet(name)}`);
      throw problem('secret_invalid');
    }
  }
}
