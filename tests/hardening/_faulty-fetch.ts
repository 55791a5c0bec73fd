// The fetch in front of the emulator: plays a fault on the row's requests while armed, records every
// call (to check redirect: 'manual'), every token the emulator issued and every per-request secret.
import type { Emulator } from '../../src/emulator/index.js';
import type { FlowRow } from './_flows.js';
import type { FaultContext, FaultSpec } from './_faults.js';

export interface FaultyFetch {
  fetch: typeof fetch;
  arm(): void;
  disarm(): void;
  /** Requests that met the armed fault. */
  readonly attempts: number;
  readonly calls: { url: string; redirect: RequestRedirect | undefined; signal: boolean }[];
  /** Tokens the emulator issued (access, refresh, client tokens), in every form they were sent. */
  readonly issued: Set<string>;
  /** Values a request carried that are as secret as a credential (GlobalPay's per-request hash). */
  readonly derived: Set<string>;
}

const TOKEN_FIELDS = new Set(['access_token', 'refresh_token', 'client_token', 'token']);

function collectTokens(value: unknown, into: Set<string>): void {
  if (value === null || typeof value !== 'object') return;
  for (const [key, field] of Object.entries(value)) {
    if (typeof field === 'string' && TOKEN_FIELDS.has(key)) {
      into.add(field);
      into.add(field.replace(/^JWT\s+/i, ''));
    } else collectTokens(field, into);
  }
}

/** Everything the request carried, decoded, as a server that quotes its input would (`issued`: plus tokens it issued earlier). */
function echoOf(url: string, init: RequestInit | undefined, issued: ReadonlySet<string>): string {
  const headers = [...new Headers(init?.headers)].map(([name, value]) => `${name}: ${value}`);
  const body = typeof init?.body === 'string' ? init.body : '';
  const decoded: string[] = [];
  try {
    decoded.push(...Object.values(JSON.parse(body) as Record<string, unknown>).map(String));
  } catch {
    decoded.push(...new URLSearchParams(body).values());
  }
  const basic = /^Basic (.+)$/.exec(new Headers(init?.headers).get('authorization') ?? '')?.[1];
  if (basic) decoded.push(atob(basic));
  return `${url} ${headers.join(' ')} ${body} ${decoded.join(' ')} ${[...issued].join(' ')}`;
}

/** The values the request carried, decoded, then its body as sent: what a server quoting a request body it could not use says. */
function bodyEcho(init: RequestInit | undefined): string {
  const body = typeof init?.body === 'string' ? init.body : '';
  const values = [...new Headers(init?.headers).values()];
  try {
    values.push(...Object.values(JSON.parse(body) as Record<string, unknown>).map(String));
  } catch {
    values.push(...new URLSearchParams(body).values());
  }
  return `${values.join(' ')} ${body}`;
}

export function faultyFetch(emulator: Emulator, row: FlowRow, fault: FaultSpec): FaultyFetch {
  let armed = false;
  let attempts = 0;
  const calls: FaultyFetch['calls'] = [];
  const issued = new Set<string>();
  const derived = new Set<string>();
  const fetchFn: typeof fetch = async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    calls.push({ url, redirect: init?.redirect, signal: init?.signal instanceof AbortSignal });
    try {
      const secret = (JSON.parse(String(init?.body)) as { secret?: unknown }).secret;
      if (typeof secret === 'string') derived.add(secret);
    } catch {
      // not a JSON body
    }
    const active = armed && row.path.test(new URL(url).pathname) && !(fault.once && attempts >= 1);
    if (active) attempts++;
    const ctx: FaultContext = { row, echo: echoOf(url, init, issued), requestEcho: echoOf(url, init, new Set()), bodyEcho: bodyEcho(init), url, init };
    if (active && fault.replace) return fault.replace(ctx);
    if (active && fault.inject) emulator.inject({ ...fault.inject(Date.now()), times: 1 });
    const response = await emulator.fetch(input, init);
    try {
      collectTokens(await response.clone().json(), issued);
    } catch {
      // not JSON: nothing issued
    }
    return active && fault.transform ? fault.transform(response, ctx) : response;
  };
  return {
    fetch: fetchFn,
    arm: () => void (armed = true),
    disarm: () => void (armed = false),
    get attempts() {
      return attempts;
    },
    calls,
    issued,
    derived,
  };
}
