// Shared by the Worker hardening suites (workerd): a config with one profile per provider descriptor,
// env secrets planted for all of them, an emulator that knows only those, a switchable upstream fault
// in front of it, the tokens it issued, a clock driver for hanging upstreams, and the `HARDENING` line
// that scripts/test-hardening.mjs collects (workerd has no file system).
import { createEmulator, type Emulator } from '../../src/emulator/index.js';
import { PROVIDER_DESCRIPTORS } from '../../src/providers/index.js';
import { devEmulatorFactory } from '../../src/worker/dev/emulator.js';
import type { MintEnv } from '../../src/worker/index.js';
import { ID, PLANTED_CREDENTIALS, SECRET, plantedEmulatorOptions } from '../hardening/_planted.js';
import { emulated } from '../providers/_helpers.js';
import { ORIGIN, harness, type Harness } from './_mint-helpers.js';

const sample = createEmulator();

/** Secret values by Worker secret name (the registry's default names, docs/worker.md). */
export const ENV_SECRETS: Record<string, string> = { OAUTH2_CLIENT_SECRET: SECRET.oauth2 };
/** Identifiers: not secret to the provider, but no page needs them either. */
export const ENV_IDS: Record<string, string> = { OAUTH2_CLIENT_ID: ID.oauth2 };
/** One profile per registered provider; vault-held ones (CyberSource) are the vault suites' (docs/worker.md). */
export const PROVIDER_PROFILES: { profile: string; provider: string; mode: 'session' | 'upstream'; options?: Record<string, unknown> }[] = [
  { profile: 'p-oauth2', provider: 'oauth2', mode: 'session', options: { scope: 'payments' } },
];
for (const descriptor of PROVIDER_DESCRIPTORS) {
  for (const [field, secret] of Object.entries(descriptor.credentials)) {
    (descriptor.identifiers.includes(field) ? ENV_IDS : ENV_SECRETS)[secret] = PLANTED_CREDENTIALS[descriptor.name]![field]!;
  }
  if (descriptor.codeGrant) continue;
  // A provider that needs a scope gets the one its emulator accepts out of the box.
  const { scope } = emulated(sample, descriptor).demo;
  PROVIDER_PROFILES.push({ profile: `p-${descriptor.emulatorPrefix}`, provider: descriptor.name, mode: 'session', ...(scope === undefined ? {} : { options: { scope } }) });
  if (descriptor.clientToken !== undefined) PROVIDER_PROFILES.push({ profile: `p-${descriptor.emulatorPrefix}-client`, provider: descriptor.clientToken.name, mode: 'upstream' });
}

export function allProvidersConfig(): string {
  const profiles: Record<string, unknown> = {};
  for (const p of PROVIDER_PROFILES) {
    profiles[p.profile] = {
      mode: p.mode,
      provider: p.provider,
      upstream: 'emulator',
      ...(p.options ? { options: p.options } : {}),
      allowedOrigins: [ORIGIN],
      scopes: ['pay', 'refund'],
      defaultScope: 'pay',
      maxExpiresIn: 300,
      ...(p.mode === 'session' ? { audience: 'https://api.shop.example', shareAudience: true } : {}),
      rateLimit: { burst: 1000, perMinute: 10_000, ceiling: { burst: 100_000, perMinute: 1_000_000 } },
    };
  }
  return JSON.stringify({ issuer: 'https://mint.example', devEmulator: {}, profiles });
}

/** What the upstream does instead of answering: `undefined` answers normally. */
export type UpstreamFault = ((request: Request, emulator: Emulator) => Promise<Response>) | undefined;

export interface HardeningHarness extends Harness {
  /** Every token the emulator issued (server tokens, client tokens), as sent. */
  issuedTokens: Set<string>;
  setFault(fault: UpstreamFault): void;
  /** Calls the Worker, moving its clock 1 s at a time while the answer is pending (hanging upstreams). */
  drive(request: Request): Promise<Response>;
}

const TOKEN_FIELDS = new Set(['access_token', 'client_token', 'token', 'refresh_token']);

export async function hardeningHarness(env: MintEnv = {}): Promise<HardeningHarness> {
  const issuedTokens = new Set<string>();
  let fault: UpstreamFault;
  const h = await harness({
    env: { TOKENMINT_CONFIG: allProvidersConfig(), ...ENV_SECRETS, ...ENV_IDS, ...env },
    worker: {
      devEmulator: devEmulatorFactory((options) => {
        const planted = plantedEmulatorOptions();
        const emulator = createEmulator({ ...options, ...planted, paypal: { ...options.paypal, ...planted.paypal } });
        const faulty: typeof fetch = async (input, init) => {
          const request = new Request(input, init);
          if (fault) return fault(request, emulator);
          const response = await emulator.fetch(request);
          try {
            const body = JSON.stringify(await response.clone().json());
            for (const [, key, value] of body.matchAll(/"(\w+)":"([^"]+)"/g)) {
              if (TOKEN_FIELDS.has(key!)) for (const form of [value!, value!.replace(/^JWT /, '')]) issuedTokens.add(form);
            }
          } catch {
            // not JSON
          }
          return response;
        };
        return { ...emulator, fetch: faulty };
      }),
    },
  });
  return {
    ...h,
    issuedTokens,
    setFault: (next) => void (fault = next),
    async drive(request) {
      let done = false;
      const pending = h.call(request).finally(() => (done = true));
      for (let i = 0; i < 600 && !done; i++) {
        await new Promise((resolve) => setTimeout(resolve, 0));
        if (!done) h.clock.advance(1_000);
      }
      return pending;
    },
  };
}

/** One figure set on stdout, collected by scripts/test-hardening.mjs. */
export function report(name: string, figures: Record<string, unknown>): void {
  console.log(`HARDENING ${name} ${JSON.stringify({ name, ...figures })}`);
}

/** Every spelling of a value that could appear in a response or a log line. */
export function forms(value: string): string[] {
  return [...new Set([value, encodeURIComponent(value), new URLSearchParams({ v: value }).toString().slice(2), JSON.stringify(value).slice(1, -1)])];
}
