// DEV ONLY. The in-isolate emulator behind `"upstream": "emulator"` profiles, and its control surface
// under /__emulator/… for the playground: fault injection, token lifetimes, a request log, reset.
// Only the dev entry (dev/main.ts: `npm start`, the workerd tests) hands it to the Worker, so the
// production entry (main.ts) bundles no emulator and no demo credential. Served only when the config has
// `devEmulator` (which itself needs TOKENMINT_DEV_EMULATOR=on).
// The request log is reduced to method/path/time: headers and bodies carry credentials.
import * as v from 'valibot';
import type { Clock } from '../../core/index.js';
import { createEmulator, type Emulator, type EmulatorOptions, type Fault } from '../../emulator/index.js';
import { EmulatorLifetimesSchema, type EmulatorLifetimes } from '../config/schema.js';
import { problem } from '../http/problem.js';
import { readJsonBody } from '../http/request.js';
import { json, respond } from '../http/respond.js';
import type { DevEmulatorFactory } from '../types.js';
/** `/{prefix}/…/authorize`: an emulated provider's authorize page, served for the vault's onboarding. */
const AUTHORIZE_PAGE = /^\/[a-z0-9][a-z0-9_-]*(?:\/[a-z0-9_-]+)*\/authorize$/;

const FaultSchema: v.GenericSchema<unknown, Fault> = v.strictObject({
  provider: v.optional(v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9_-]{0,63}$/))),
  times: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1000))),
  status: v.optional(v.pipe(v.number(), v.integer(), v.minValue(200), v.maxValue(599))),
  retryAfter: v.optional(v.union([v.pipe(v.number(), v.integer(), v.minValue(0)), v.pipe(v.string(), v.maxLength(64))])),
  body: v.optional(
    v.union([
      v.picklist(['malformed-json', 'html', 'empty']),
      v.strictObject({ json: v.unknown() }),
      v.strictObject({ text: v.pipe(v.string(), v.maxLength(4096)), contentType: v.optional(v.pipe(v.string(), v.maxLength(128))) }),
    ]),
  ),
  delay: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(60_000))),
  hang: v.optional(v.boolean()),
}) as v.GenericSchema<unknown, Fault>;

function emulatorOptions(clock: Clock, lifetimes: EmulatorLifetimes): EmulatorOptions {
  const options: EmulatorOptions = { clock: { now: () => clock.now() } };
  if (lifetimes.oauth2 !== undefined) options.oauth2 = { expiresIn: lifetimes.oauth2 };
  if (lifetimes.openbanking !== undefined) options.openbanking = { expiresIn: lifetimes.openbanking };
  if (lifetimes.paypal !== undefined || lifetimes.paypalClientToken !== undefined) {
    options.paypal = {
      ...(lifetimes.paypal === undefined ? {} : { expiresIn: lifetimes.paypal }),
      ...(lifetimes.paypalClientToken === undefined ? {} : { clientTokenExpiresIn: lifetimes.paypalClientToken }),
    };
  }
  return options;
}

/**
 * The `devEmulator` option of `createMintWorker`: builds the in-isolate emulator with `create` (tests pass
 * one with their own credentials) when a config enables it.
 */
export function devEmulatorFactory(create: (options: EmulatorOptions) => Emulator = createEmulator): DevEmulatorFactory {
  return (clock, lifetimes) => new DevEmulator(create, clock, lifetimes);
}

export class DevEmulator {
  readonly #create: (options: EmulatorOptions) => Emulator;
  readonly #clock: Clock;
  #lifetimes: EmulatorLifetimes;
  #emulator: Emulator;

  constructor(create: (options: EmulatorOptions) => Emulator, clock: Clock, lifetimes: EmulatorLifetimes) {
    this.#create = create;
    this.#clock = clock;
    this.#lifetimes = lifetimes;
    this.#emulator = create(emulatorOptions(clock, lifetimes));
  }

  /** Always the current emulator's handler, also after a lifetime change replaced it. */
  readonly fetch: typeof fetch = (input, init) => this.#emulator.fetch(input, init);

  baseUrl(prefix: string): string {
    return this.#emulator.baseUrl(prefix);
  }

  get emulator(): Emulator {
    return this.#emulator;
  }

  /**
   * Answers `/__emulator/…`. `forgetServerTokens` drops the Worker's cached server tokens (reset),
   * so the next request fetches from the emulator again.
   */
  async control(request: Request, path: string, forgetServerTokens: () => void): Promise<Response> {
    const route = `${request.method} ${path}`;
    switch (route) {
      case 'GET ':
      case 'GET /':
        return json(200, { lifetimes: this.#lifetimes, requests: this.#emulator.requests.length });
      case 'GET /requests':
        return json(200, { requests: this.#emulator.requests.map((r) => ({ provider: r.provider, method: r.method, path: r.path, at: r.at })) });
      case 'POST /faults': {
        const fault = parse(FaultSchema, await readJsonBody(request));
        return json(201, { remaining: this.#emulator.inject(fault).remaining });
      }
      case 'DELETE /faults':
        this.#emulator.clearFaults();
        return respond(204, null);
      case 'PUT /lifetimes': {
        this.#lifetimes = { ...this.#lifetimes, ...parse(EmulatorLifetimesSchema, await readJsonBody(request)) };
        this.#emulator = this.#create(emulatorOptions(this.#clock, this.#lifetimes));
        forgetServerTokens();
        return json(200, { lifetimes: this.#lifetimes });
      }
      case 'POST /reset':
        // A JSON body is required so that a cross-site form cannot post here (it would need a preflight).
        await readJsonBody(request);
        this.#emulator.reset();
        forgetServerTokens();
        return respond(204, null);
      default:
        if (request.method === 'GET' && AUTHORIZE_PAGE.test(path)) return this.#authorizePage(request, path);
        throw problem('not_found');
    }
  }

  /** An emulated provider's authorize page (vault onboarding, docs/vault.md), which redirects with a code. */
  async #authorizePage(request: Request, path: string): Promise<Response> {
    const answer = await this.#emulator.fetch(`${this.#emulator.origin}${path}${new URL(request.url).search}`);
    const location = answer.headers.get('location');
    return respond(answer.status, await answer.text(), {
      'content-type': answer.headers.get('content-type') ?? 'text/plain',
      ...(location === null ? {} : { location }),
    });
  }
}

function parse<T>(schema: v.GenericSchema<unknown, T>, input: unknown): T {
  const parsed = v.safeParse(schema, input);
  if (!parsed.success) throw problem('invalid_request', { detail: 'See docs/worker.md for the /__emulator request shapes.' });
  return parsed.output;
}
