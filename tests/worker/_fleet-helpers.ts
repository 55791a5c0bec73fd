// Several mint Worker instances ("isolates": each its own state and TokenStore) on one hand-driven
// clock, one emulator (so upstream requests are counted across all of them), and one fake Durable
// Object namespace whose objects are the real TokenCoordinator class over in-memory storage. The
// namespace can be switched to fail the way a real one does (throw, 500, garbage, hang).
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { createEmulator, type Emulator } from '../../src/emulator/index.js';
import { devEmulatorFactory } from '../../src/worker/dev/emulator.js';
import {
  COORDINATOR_BINDING,
  createMintWorker,
  createTokenCoordinator,
  type DurableObjectClass,
  type DurableObjectLike,
  type DurableObjectNamespaceLike,
  type DurableObjectStorageLike,
  type MintEnv,
  type MintWorker,
} from '../../src/worker/index.js';
import { PLANTED, generateKey, testClock, testConfig, type TestClock } from './_mint-helpers.js';
import { prismService } from '../../src/worker/prism/index.js';
import { proxy } from '../../src/worker/proxy/index.js';

/** In-memory storage with the alarm; values are cloned, as real storage serialises them. */
export class FakeStorage implements DurableObjectStorageLike {
  readonly data = new Map<string, unknown>();
  alarm: number | null = null;
  async get(key: string): Promise<unknown> {
    return structuredClone(this.data.get(key));
  }
  async put(key: string, value: unknown): Promise<void> {
    this.data.set(key, structuredClone(value));
  }
  async deleteAll(): Promise<void> {
    this.data.clear();
  }
  async delete(key: string): Promise<boolean> {
    return this.data.delete(key);
  }
  async getAlarm(): Promise<number | null> {
    return this.alarm;
  }
  async setAlarm(time: number): Promise<void> {
    this.alarm = time;
  }
  async deleteAlarm(): Promise<void> {
    this.alarm = null;
  }
}

export type NamespaceMode = 'up' | 'throws' | 'http-500' | 'not-a-reply' | 'hangs';

/** One object per name, created on first use; `evict` drops the instance and keeps its storage. */
export class FakeNamespace implements DurableObjectNamespaceLike {
  mode: NamespaceMode = 'up';
  /** Calls to any stub, whatever the mode. */
  calls = 0;
  /** Requests each object received, by name. */
  readonly asks = new Map<string, number>();
  readonly storages = new Map<string, FakeStorage>();
  readonly #objects = new Map<string, DurableObjectLike>();
  #class: DurableObjectClass<MintEnv> | undefined;
  #env: MintEnv = {};

  host(objectClass: DurableObjectClass<MintEnv>, env: MintEnv): void {
    this.#class = objectClass;
    this.#env = env;
  }

  idFromName(name: string): unknown {
    return { name };
  }

  get(id: never): { fetch(request: Request): Promise<Response> } {
    const { name } = id as { name: string };
    return {
      fetch: async (request) => {
        this.calls++;
        if (this.mode === 'throws') throw new Error('Durable Object reset because its code was updated.');
        if (this.mode === 'http-500') return new Response('internal error', { status: 500 });
        if (this.mode === 'not-a-reply') return Response.json({ hello: 'from another version' });
        if (this.mode === 'hangs') return new Promise<Response>(() => {});
        this.asks.set(name, (this.asks.get(name) ?? 0) + 1);
        return this.object(name).fetch(request);
      },
    };
  }

  object(name: string): DurableObjectLike {
    let object = this.#objects.get(name);
    if (object === undefined) {
      let storage = this.storages.get(name);
      if (storage === undefined) this.storages.set(name, (storage = new FakeStorage()));
      object = new this.#class!({ storage }, this.#env);
      this.#objects.set(name, object);
    }
    return object;
  }

  evict(name: string): void {
    this.#objects.delete(name);
  }

  /** Runs the alarm of `name` if one is set and due on `clock` (the runtime's job in production). */
  async runAlarm(name: string, now: number): Promise<boolean> {
    const storage = this.storages.get(name);
    if (storage?.alarm == null || storage.alarm > now) return false;
    storage.alarm = null; // the runtime clears it before calling alarm()
    await this.object(name).alarm();
    return true;
  }

  get names(): string[] {
    return [...this.storages.keys()];
  }

  totalAsks(): number {
    return [...this.asks.values()].reduce((a, b) => a + b, 0);
  }
}

export const ORIGIN = 'https://shop.example';
export const ROTATED = { PAYPAL_CLIENT_ID: 'PLANTED-rotated-client-7d21', PAYPAL_CLIENT_SECRET: 'PLANTED-rotated-secret-0c44' };

export interface Fleet {
  clock: TestClock;
  emulator: Emulator;
  namespace: FakeNamespace;
  workers: MintWorker[];
  env: MintEnv;
  logs: { worker: number; level: string; message: string }[];
  /** PayPal token requests the emulator received, from every isolate and the object. */
  upstream(): number;
  /** `POST /v1/tokens` for `checkout` on isolate `i`, waiting for its waitUntil work. */
  mint(i: number, env?: MintEnv): Promise<Response>;
  call(i: number, request: Request, env?: MintEnv): Promise<Response>;
}

export interface FleetOptions {
  isolates?: number;
  /** PayPal token lifetime in seconds. */
  lifetime?: number;
  config?: Parameters<typeof testConfig>[0];
  /** Without the binding in env (coordination defaults to isolate). */
  unbound?: boolean;
}

export async function fleet(options: FleetOptions = {}): Promise<Fleet> {
  const clock = testClock();
  const logs: Fleet['logs'] = [];
  const emulator = createEmulator({
    clock,
    paypal: { expiresIn: options.lifetime ?? 1000, clients: { [PLANTED.PAYPAL_CLIENT_ID]: PLANTED.PAYPAL_CLIENT_SECRET, [ROTATED.PAYPAL_CLIENT_ID]: ROTATED.PAYPAL_CLIENT_SECRET } },
  });
  const namespace = new FakeNamespace();
  const key = await generateKey();
  const env: MintEnv = {
    TOKENMINT_CONFIG: testConfig((c) => {
      const checkout = c.profiles.checkout!;
      checkout.rateLimit = { burst: 1000, perMinute: 10_000, ceiling: { burst: 100_000, perMinute: 1_000_000 } }; // this is not a rate-limit test
      // Routed as to a real provider (the Worker's fetch is the shared emulator): every isolate and
      // the object reach the same upstream, whose requests are counted.
      checkout.upstream = 'provider';
      checkout.options = { environment: 'sandbox', baseUrl: 'https://emulator.invalid/paypal' };
      options.config?.(c);
    }),
    TOKENMINT_DEV_EMULATOR: 'on',
    TOKENMINT_SESSION_KEY: key.secret,
    ...PLANTED,
    ...(options.unbound ? {} : { [COORDINATOR_BINDING]: namespace }),
  };
  const workers = Array.from({ length: options.isolates ?? 3 }, (_, i) =>
    createMintWorker({ clock, random: () => 0, fetch: (input, init) => emulator.fetch(input, init), log: (level, message) => void logs.push({ worker: i, level, message }), devEmulator: devEmulatorFactory(() => emulator), proxy: proxy(), prismService: prismService() }),
  );
  // The object lives in isolate 0's script, as a Durable Object of the same Worker does.
  namespace.host(createTokenCoordinator(workers[0]!), env);
  const call = async (i: number, request: Request, callEnv: MintEnv = env): Promise<Response> => {
    const ctx = createExecutionContext();
    const response = await workers[i]!.fetch(request, callEnv, ctx);
    await waitOnExecutionContext(ctx);
    return response;
  };
  return {
    clock,
    emulator,
    namespace,
    workers,
    env,
    logs,
    upstream: () => emulator.requests.filter((r) => r.path === '/paypal/v1/oauth2/token').length,
    call,
    mint: (i, callEnv) => call(i, checkoutRequest(), callEnv),
  };
}

/** A checkout mint, as a page of ORIGIN sends it. */
export function checkoutRequest(): Request {
  return new Request('https://mint.example/v1/tokens', {
    method: 'POST',
    headers: { origin: ORIGIN, 'content-type': 'application/json', 'cf-connecting-ip': '198.51.100.7' },
    body: JSON.stringify({ profile: 'checkout' }),
  });
}
