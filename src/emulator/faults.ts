// Failure injection: what a real endpoint does on a bad day, on demand and for as long as asked.
import type { EmulatorClock, ProviderEmulator } from './types.js';

/** A broken body: invalid JSON, an HTML error page, nothing, or exactly what you give. */
export type FaultBody = 'malformed-json' | 'html' | 'empty' | { json: unknown } | { text: string; contentType?: string };

export interface Fault {
  /** Only requests to this provider prefix (`'cybersource'`). Default: every request. */
  provider?: string;
  /** Applies to this many requests, then removes itself. Default: until cleared. */
  times?: number;
  /**
   * Answer with this status. Default: 429 when `retryAfter` is set, 200 when only `body` is set (a broken
   * success), else the normal answer (after `delay`).
   */
  status?: number;
  /** `Retry-After` value: seconds or an HTTP date. */
  retryAfter?: number | string;
  /** Extra response headers. */
  headers?: Record<string, string>;
  /** Without it, an error status gets the provider's own error body for that status. */
  body?: FaultBody;
  /** Wait this many ms (emulator timers) before answering; the request's abort signal ends the wait. */
  delay?: number;
  /** Never answer: only the request's abort signal ends it (with the signal's reason, as fetch does). */
  hang?: boolean;
  /**
   * The normal answer with these top-level JSON fields left out, e.g. `['expires_in']`: a conformant
   * server may omit what RFC 6749 §5.1 only recommends.
   */
  omit?: readonly string[];
}

export interface FaultHandle {
  /** Requests it will still apply to (`Infinity` until cleared). */
  readonly remaining: number;
  clear(): void;
}

interface Active {
  fault: Fault;
  remaining: number;
}

/** The faults in force, first injected first applied. */
export class FaultList {
  readonly #active: Active[] = [];

  add(fault: Fault): FaultHandle {
    const times = fault.times ?? Infinity;
    if (!(times > 0)) throw new RangeError('fault.times must be a positive number');
    const entry: Active = { fault: { ...fault }, remaining: times };
    this.#active.push(entry);
    const remove = (): void => {
      const index = this.#active.indexOf(entry);
      if (index >= 0) this.#active.splice(index, 1);
    };
    return {
      get remaining() {
        return entry.remaining;
      },
      clear: () => {
        entry.remaining = 0;
        remove();
      },
    };
  }

  /** Takes the first fault matching `provider`, counting one use. */
  take(provider: string | undefined): Fault | undefined {
    const entry = this.#active.find((item) => item.fault.provider === undefined || item.fault.provider === provider);
    if (entry === undefined) return undefined;
    if (--entry.remaining <= 0) this.#active.splice(this.#active.indexOf(entry), 1);
    return entry.fault;
  }

  clear(): void {
    this.#active.length = 0;
  }
}

/**
 * Plays a fault: waits or hangs as asked, then returns the fault's response, or undefined to let the
 * provider answer normally.
 */
export async function playFault(
  fault: Fault,
  provider: ProviderEmulator | undefined,
  clock: EmulatorClock,
  signal: AbortSignal | undefined,
): Promise<Response | undefined> {
  if (fault.hang) await wait(Infinity, clock, signal);
  else if (fault.delay !== undefined && fault.delay > 0) await wait(fault.delay, clock, signal);
  const status = fault.status ?? (fault.retryAfter !== undefined ? 429 : fault.body !== undefined ? 200 : undefined);
  if (status === undefined) return undefined;
  const base = fault.body === undefined ? (provider?.errorResponse?.(status) ?? genericError(status)) : faultBody(fault.body, status);
  const headers = new Headers(base.headers);
  if (fault.retryAfter !== undefined) headers.set('retry-after', String(fault.retryAfter));
  for (const [name, value] of Object.entries(fault.headers ?? {})) headers.set(name, value);
  return new Response(base.body, { status, headers });
}

/** `response` with the fault's `omit` fields taken out of its JSON body (a body that is not a JSON object is left as it is). */
export async function omitFields(response: Response, fields: readonly string[]): Promise<Response> {
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const headers = new Headers(response.headers);
  headers.delete('content-length');
  if (typeof body !== 'object' || body === null) return new Response(text, { status: response.status, headers });
  for (const field of fields) delete (body as Record<string, unknown>)[field];
  return new Response(JSON.stringify(body), { status: response.status, headers });
}

function faultBody(body: FaultBody, status: number): Response {
  const init = (contentType: string): ResponseInit => ({ status, headers: { 'content-type': contentType } });
  if (body === 'empty') return new Response(null, { status });
  if (body === 'malformed-json') return new Response('{"access_token": "tr', init('application/json'));
  if (body === 'html') return new Response(`<!DOCTYPE html><html><body><h1>${status} Bad Gateway</h1></body></html>`, init('text/html; charset=utf-8'));
  if ('json' in body) return new Response(JSON.stringify(body.json), init('application/json'));
  return new Response(body.text, init(body.contentType ?? 'text/plain; charset=utf-8'));
}

function genericError(status: number): Response {
  return new Response(JSON.stringify({ error: status === 429 ? 'rate_limited' : 'server_error', error_description: `injected failure (HTTP ${status})` }), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}

/** Resolves after `ms` (never for Infinity); rejects with the signal's reason when it aborts. */
function wait(ms: number, clock: EmulatorClock, signal: AbortSignal | undefined): Promise<void> {
  const set = clock.setTimeout?.bind(clock) ?? ((callback: () => void, delay: number): unknown => setTimeout(callback, delay));
  const clear = clock.clearTimeout?.bind(clock) ?? ((handle: unknown): void => clearTimeout(handle as ReturnType<typeof setTimeout>));
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const handle = ms === Infinity ? undefined : set(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    function onAbort(): void {
      if (handle !== undefined) clear(handle);
      reject(signal?.reason);
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
