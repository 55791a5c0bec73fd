// The few Durable Object surfaces the coordinator uses, described structurally (as types.ts does for
// the rest of the runtime): Cloudflare's types are not a dependency, and tests can hand in fakes.

/** `ctx.storage`: the key-value API, which SQLite-backed objects keep as well. */
export interface DurableObjectStorageLike {
  get(key: string): Promise<unknown>;
  put(key: string, value: unknown): Promise<void>;
  deleteAll(): Promise<void>;
  getAlarm(): Promise<number | null>;
  setAlarm(scheduledTime: number): Promise<void>;
  deleteAlarm(): Promise<void>;
}

/** The `ctx` (DurableObjectState) a Durable Object class is constructed with. */
export interface DurableObjectStateLike {
  readonly storage: DurableObjectStorageLike;
}

export interface DurableObjectStubLike {
  fetch(request: Request): Promise<Response>;
}

/** A `[[durable_objects.bindings]]` binding as the Worker sees it in `env`. */
export interface DurableObjectNamespaceLike {
  idFromName(name: string): unknown;
  get(id: never): DurableObjectStubLike;
}

/** What workerd instantiates for a Durable Object class: `fetch` for requests, `alarm` for the alarm. */
export interface DurableObjectLike {
  fetch(request: Request): Promise<Response>;
  alarm(): Promise<void>;
}

export type DurableObjectClass<Env> = new (ctx: DurableObjectStateLike, env: Env) => DurableObjectLike;

/** Is `value` a Durable Object namespace binding? (Checked by shape: it may be a test's fake.) */
export function isNamespace(value: unknown): value is DurableObjectNamespaceLike {
  const candidate = value as Partial<DurableObjectNamespaceLike> | null | undefined;
  return typeof candidate?.idFromName === 'function' && typeof candidate.get === 'function';
}
