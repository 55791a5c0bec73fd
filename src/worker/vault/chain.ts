// The refresh-token chain one vault object owns: sealed in storage, opened once per object, refreshed
// one at a time, and the rotated token written to storage BEFORE the new access token is returned
// (a crash between the two leaves the new refresh token stored, never the spent one). A token the
// provider refuses (`invalid_grant`) or that has expired marks the profile for re-authorisation, after
// which nothing is sent upstream until onboarding stores a new one. A record the configured keys cannot
// open is never overwritten.
import { TokenError, createPkce, type AccessToken, type Clock, type TokenFlow } from '../../core/index.js';
import { base64url, sha256Hex } from '../../core/kit.js';
import type { Profile } from '../config/parse.js';
import type { DurableObjectStorageLike } from '../durable-object.js';
import type { OnceLogger } from '../log.js';
import type { FlowInput } from '../config/registry.js';
import type { VaultGrant } from './grants.js';
import type { CompleteAsk, VaultProblem, VaultStatus } from './protocol.js';
import { open, seal, VAULT_KEYS_SECRET, type Sealed, type VaultKeys } from './seal.js';

const RECORD_KEY = 'vault';
const PENDING_KEY = 'onboarding';
/** An onboarding `state` lives as long as the provider's codes (10 minutes). */
export const STATE_LIFETIME = 600_000;
const MAX_PENDING = 8;
/** The warning point of a refresh token's life. */
const WARN_RATIO = 0.8;
/** A code exchange's access token is handed to the next ask while it has this much life left. */
const HANDOFF_MARGIN = 60_000;

/** Storage as the vault uses it: the coordinator's surface plus `delete`. */
export interface VaultStorage extends DurableObjectStorageLike {
  delete(key: string): Promise<boolean>;
}

/** What storage holds for the profile: the sealed refresh token and times, nothing in clear. */
interface VaultRecord {
  v: 1;
  sealed?: Sealed;
  source: 'seed' | 'onboarding';
  /** When this refresh token was stored. */
  storedAt: number;
  /** When it expires, if the provider said. */
  expiresAt?: number;
  /** Set once the provider refused it or it expired: no refresh is sent until onboarding. */
  reauthorize?: { reason: 'rejected' | 'expired'; since: number };
}

/** Pending onboardings, by SHA-256 of their `state` (the state itself is not stored). */
type Pending = Record<string, { verifier?: string; redirectUri: string; expiresAt: number }>;

/** A profile as the vault object resolves it from its own env. */
export interface VaultTarget {
  profile: Profile;
  grant: VaultGrant;
  /** Credentials, options and (dev) the emulator, as the registry's `create` takes them. */
  input: FlowInput<unknown>;
  /** The seed secret's value, if set. */
  seed: string | undefined;
  seedSecret: string;
}

/** A reason the vault answers with instead of a token. */
export class VaultStop extends Error {
  override readonly name: string = 'VaultStop';
  readonly problem: VaultProblem;
  constructor(problem: VaultProblem) {
    super(problem);
    this.problem = problem;
  }
}

export interface ChainOptions {
  storage: VaultStorage;
  clock: Clock;
  log: OnceLogger;
  /** The imported keys, or the problem with the secret (already logged). */
  keys(): Promise<VaultKeys | VaultProblem>;
}

const isRecord = (value: unknown): value is VaultRecord => (value as VaultRecord | undefined)?.v === 1;
const context = (target: VaultTarget): string => `tokenmint vault ${target.profile.name}/${target.profile.provider}`;
const at = (target: VaultTarget): string => `vault: profile "${target.profile.name}"`;
const onboardHint = (target: VaultTarget): string => `onboard it: GET /v1/vault/${target.profile.name}/authorize with the admin credential (docs/vault.md)`;

export class RefreshChain {
  readonly #o: ChainOptions;
  #record: VaultRecord | undefined;
  #loaded: Promise<void> | undefined;
  /** The opened refresh token (memory only). */
  #refreshToken: string | undefined;
  /** The access token of a code exchange, for the next ask. */
  #handoff: AccessToken | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  /** `storedAt` of the refresh token the expiry warning was logged for. */
  #warned: number | undefined;

  constructor(options: ChainOptions) {
    this.#o = options;
  }

  /** Runs `task` after every earlier one: one refresh, onboarding or seed at a time. */
  #serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task, task);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  #load(): Promise<void> {
    this.#loaded ??= this.#o.storage.get(RECORD_KEY).then((stored) => {
      if (isRecord(stored)) this.#record = stored;
    });
    return this.#loaded;
  }

  async #put(record: VaultRecord, refreshToken: string | undefined): Promise<void> {
    await this.#o.storage.put(RECORD_KEY, record);
    this.#record = record;
    this.#refreshToken = refreshToken;
  }

  /**
   * The keys, after checking that they open the stored record (re-sealing it under the current key
   * when an older one opened it). Writes nothing when they do not.
   */
  async #keysFor(target: VaultTarget): Promise<VaultKeys | VaultProblem> {
    await this.#load();
    const keys = await this.#o.keys();
    if (typeof keys === 'string') return keys;
    const record = this.#record;
    if (record?.sealed === undefined || this.#refreshToken !== undefined) return keys;
    const opened = await open(keys, record.sealed, context(target));
    if (typeof opened !== 'string') {
      const why =
        opened.failed === 'unknown_kid'
          ? `its refresh token is sealed with key id "${record.sealed.kid}", which ${VAULT_KEYS_SECRET} does not list`
          : `the key listed as "${record.sealed.kid}" in ${VAULT_KEYS_SECRET} does not open its refresh token`;
      this.#o.log.once('error', `vault_key_invalid: ${at(target)}: ${why}; restore that key (to rotate, list the new key first and keep the old one after it). Nothing is overwritten meanwhile.`);
      return 'vault_key_invalid';
    }
    this.#refreshToken = opened;
    if (record.sealed.kid !== keys.current) {
      await this.#put({ ...record, sealed: await seal(keys, opened, context(target)) }, opened);
      this.#o.log.log('info', `${at(target)}: refresh token re-sealed from key id "${record.sealed.kid}" to "${keys.current}"`);
    }
    return keys;
  }

  /** The refresh token to use now (seeding it on first use), or why there is none. */
  async #current(target: VaultTarget): Promise<{ keys: VaultKeys; refreshToken: string } | VaultProblem> {
    const keys = await this.#keysFor(target);
    if (typeof keys === 'string') return keys;
    const record = this.#record;
    const now = this.#o.clock.now();
    if (record === undefined) {
      if (target.seed === undefined) {
        this.#o.log.once('warn', `onboarding_required: ${at(target)} holds no refresh token and ${target.seedSecret} is not set; ${onboardHint(target)}`);
        return 'onboarding_required';
      }
      await this.#put({ v: 1, sealed: await seal(keys, target.seed, context(target)), source: 'seed', storedAt: now }, target.seed);
      this.#o.log.log('info', `${at(target)}: refresh token seeded from ${target.seedSecret}; the vault's rotated copy is used from now on, and that secret is stale`);
      return { keys, refreshToken: target.seed };
    }
    if (record.reauthorize !== undefined || this.#refreshToken === undefined) return 'reauthorization_required';
    if (record.expiresAt !== undefined && now >= record.expiresAt) {
      await this.#markReauthorize(target, 'expired');
      return 'reauthorization_required';
    }
    this.#warnIfExpiring(target, record, now);
    return { keys, refreshToken: this.#refreshToken };
  }

  #warnIfExpiring(target: VaultTarget, record: VaultRecord, now: number): void {
    if (record.expiresAt === undefined || this.#warned === record.storedAt) return;
    if (now < record.storedAt + (record.expiresAt - record.storedAt) * WARN_RATIO) return;
    this.#warned = record.storedAt;
    this.#o.log.log('warn', `${at(target)}: its refresh token expires at ${new Date(record.expiresAt).toISOString()} (80 % of its life has passed); a refresh renews it, or ${onboardHint(target)}`);
  }

  async #markReauthorize(target: VaultTarget, reason: 'rejected' | 'expired'): Promise<void> {
    const record = this.#record!;
    const { sealed: _dead, ...rest } = record;
    await this.#put({ ...rest, reauthorize: { reason, since: this.#o.clock.now() } }, undefined);
    const what = reason === 'rejected' ? 'the provider refused its refresh token (invalid_grant)' : 'its refresh token has expired';
    this.#o.log.log('error', `reauthorization_required: ${at(target)}: ${what}; no refresh is sent until it is onboarded again: ${onboardHint(target)}`);
  }

  /** Why the vault cannot serve `target` now, without writing anything (undefined: it can try). */
  async problem(target: VaultTarget): Promise<VaultProblem | undefined> {
    const keys = await this.#keysFor(target);
    if (typeof keys === 'string') return keys;
    if (this.#record === undefined) return target.seed === undefined ? 'onboarding_required' : undefined;
    return this.#record.reauthorize === undefined ? undefined : 'reauthorization_required';
  }

  /**
   * A new access token through the refresh token (`run` sends the flow), the rotated refresh token
   * stored first. @throws VaultStop when there is no usable refresh token; the flow's TokenError.
   */
  refresh(target: VaultTarget, run: (flow: TokenFlow) => Promise<AccessToken>): Promise<AccessToken> {
    return this.#serial(async () => {
      const current = await this.#current(target);
      if (typeof current === 'string') throw new VaultStop(current);
      const handoff = this.#handoff;
      this.#handoff = undefined;
      if (handoff !== undefined && handoff.expiresAt - this.#o.clock.now() > HANDOFF_MARGIN) return handoff;
      let token: AccessToken;
      try {
        token = await run(target.profile.entry.create({ ...target.input, refreshToken: current.refreshToken }));
      } catch (error) {
        if (error instanceof TokenError && error.code === 'invalid_grant') await this.#markReauthorize(target, 'rejected');
        throw error;
      }
      await this.#store(target, current.keys, token, this.#record!.source, current.refreshToken);
      return token;
    });
  }

  /** Seals and stores the token's refresh token (or keeps `previous` when the provider kept it). */
  async #store(target: VaultTarget, keys: VaultKeys, token: AccessToken, source: VaultRecord['source'], previous?: string): Promise<void> {
    const refreshToken = token.refreshToken ?? previous!;
    const record: VaultRecord = { v: 1, sealed: await seal(keys, refreshToken, context(target)), source, storedAt: this.#o.clock.now() };
    const expiresAt = token.refreshTokenExpiresAt ?? (refreshToken === previous ? this.#record?.expiresAt : undefined);
    if (expiresAt !== undefined) record.expiresAt = expiresAt;
    await this.#put(record, refreshToken);
  }

  /** Starts an onboarding: a single-use `state` (and PKCE verifier) kept here; the provider's authorize URL. */
  begin(target: VaultTarget, redirectUri: string, emulatorBase: string | undefined): Promise<{ location: string } | VaultProblem> {
    return this.#serial(async () => {
      const keys = await this.#keysFor(target);
      if (typeof keys === 'string') return keys;
      const state = base64url(crypto.getRandomValues(new Uint8Array(32)));
      const pkce = target.grant.pkce ? await createPkce() : undefined;
      const now = this.#o.clock.now();
      const pending = Object.entries(((await this.#o.storage.get(PENDING_KEY)) ?? {}) as Pending)
        .filter(([, entry]) => entry.expiresAt > now)
        .slice(-(MAX_PENDING - 1));
      pending.push([sha256Hex(state), { redirectUri, expiresAt: now + STATE_LIFETIME, ...(pkce === undefined ? {} : { verifier: pkce.codeVerifier }) }]);
      await this.#o.storage.put(PENDING_KEY, Object.fromEntries(pending));
      const location = target.grant.authorizeUrl(target.input, { state, redirectUri, codeChallenge: pkce?.codeChallenge, emulatorBase });
      return { location };
    });
  }

  /**
   * The provider's redirect back: the `state` must be one this object issued, unused and unexpired
   * (it is spent whatever follows); then the code is exchanged and the tokens stored.
   */
  complete(target: VaultTarget, ask: CompleteAsk, run: (flow: TokenFlow) => Promise<AccessToken>): Promise<'ok' | VaultProblem> {
    return this.#serial(async () => {
      const now = this.#o.clock.now();
      const pending = ((await this.#o.storage.get(PENDING_KEY)) ?? {}) as Pending;
      const digest = sha256Hex(ask.state);
      const entry = Object.hasOwn(pending, digest) ? pending[digest] : undefined;
      if (entry === undefined || entry.expiresAt <= now) {
        this.#o.log.log('warn', `${at(target)}: onboarding callback with an unknown, used or expired state; nothing stored`);
        return 'onboarding_state_invalid';
      }
      delete pending[digest];
      await this.#o.storage.put(PENDING_KEY, pending);
      if (ask.error !== undefined) {
        const code = /^[a-z_]{1,64}$/.test(ask.error) ? ask.error : 'an unrecognised error';
        this.#o.log.log('warn', `${at(target)}: the provider answered the authorisation with ${code}; nothing stored`);
        return 'onboarding_denied';
      }
      if (ask.code === undefined || ask.code === '') return 'onboarding_code_missing';
      const keys = await this.#keysFor(target);
      if (typeof keys === 'string') return keys;
      let token: AccessToken;
      try {
        token = await run(target.grant.exchange(target.input, { code: ask.code, redirectUri: entry.redirectUri, codeVerifier: entry.verifier }));
      } catch (error) {
        const why = error instanceof TokenError ? `${error.code}: ${error.message}` : error instanceof Error ? error.name : typeof error;
        this.#o.log.log('warn', `${at(target)}: the code exchange failed (${why}); nothing stored`);
        return 'onboarding_exchange_failed';
      }
      if (token.refreshToken === undefined) {
        this.#o.log.log('error', `${at(target)}: the provider returned no refresh token for the code; nothing stored`);
        return 'onboarding_exchange_failed';
      }
      await this.#store(target, keys, token, 'onboarding');
      this.#handoff = token;
      this.#o.log.log('info', `${at(target)}: onboarded; its refresh token is held by the vault`);
      return 'ok';
    });
  }

  /** States and times only. */
  async status(target: VaultTarget): Promise<VaultStatus> {
    const base = { profile: target.profile.name, provider: target.profile.provider };
    const keys = await this.#keysFor(target);
    if (keys === 'vault_key_invalid') return { ...base, state: 'vault_key_invalid' };
    if (typeof keys === 'string') return { ...base, state: 'unavailable' };
    const record = this.#record;
    if (record === undefined) return target.seed === undefined ? { ...base, state: 'onboarding_required' } : { ...base, state: 'ready', source: 'seed' };
    if (record.reauthorize !== undefined) return { ...base, state: 'reauthorization_required', source: record.source };
    const now = this.#o.clock.now();
    const status: VaultStatus = { ...base, state: 'ready', source: record.source };
    if (record.expiresAt !== undefined) {
      this.#warnIfExpiring(target, record, now);
      if (now >= record.expiresAt) status.state = 'reauthorization_required';
      status.refreshTokenExpiresAt = record.expiresAt;
      status.expiresSoon = now >= record.storedAt + (record.expiresAt - record.storedAt) * WARN_RATIO;
    }
    return status;
  }
}
