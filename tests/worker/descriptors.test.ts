// Inside workerd: every provider descriptor (src/providers/list.ts) is a provider the Worker's config
// accepts, under its canonical name and under its emulator prefix, and a session token is minted
// through the in-isolate emulator with that emulator's demo credentials; a provider with a client-token
// flow also mints it in upstream mode. A vault-held provider (CyberSource) is seeded with a refresh token
// its own flow obtained from the emulator. The Prism and emulator sides: tests/providers/descriptors.test.ts.
import { describe, expect, it } from 'vitest';
import { createEmulator, type Emulator, type EmulatorDemo } from '../../src/emulator/index.js';
import { PROVIDER_DESCRIPTORS, type ProviderDescriptor } from '../../src/providers/index.js';
import { devEmulatorFactory } from '../../src/worker/dev/emulator.js';
import type { MintEnv } from '../../src/worker/index.js';
import { VAULT_BINDING, createTokenVault } from '../../src/worker/vault/index.js';
import { VAULT_PROVIDERS } from '../../src/worker/vault/providers.js';
import { FakeNamespace } from './_fleet-helpers.js';
import { ORIGIN, harness, tokenRequest } from './_mint-helpers.js';
import { KEY_A } from './_vault-helpers.js';
import { emulated } from '../providers/_helpers.js';

/** What a descriptor's emulator on `emulator` accepts out of the box. */
const demoOf = (emulator: Emulator, descriptor: ProviderDescriptor): EmulatorDemo => emulated(emulator, descriptor).demo;

interface Case {
  profile: string;
  provider: string;
  descriptor: ProviderDescriptor;
  mode: 'session' | 'upstream';
}

/** Each descriptor under its canonical name and its emulator prefix; its client-token flow in upstream mode. */
const CASES: Case[] = PROVIDER_DESCRIPTORS.flatMap((descriptor) => [
  ...[...new Set([descriptor.name, descriptor.emulatorPrefix])].map((provider) => ({ profile: `p-${provider}`, provider, descriptor, mode: 'session' as const })),
  ...(descriptor.clientToken === undefined ? [] : [{ profile: `p-${descriptor.clientToken.name}`, provider: descriptor.clientToken.name, descriptor, mode: 'upstream' as const }]),
]);

async function setup() {
  const sample = createEmulator();
  const profiles: Record<string, unknown> = {};
  const secrets: MintEnv = {};
  for (const { profile, provider, descriptor, mode } of CASES) {
    const demo = demoOf(sample, descriptor);
    for (const [field, secret] of Object.entries(descriptor.credentials)) secrets[secret] = demo.credentials[field];
    profiles[profile] = {
      mode,
      provider,
      upstream: 'emulator',
      ...(demo.scope === undefined ? {} : { options: { scope: demo.scope } }),
      allowedOrigins: [ORIGIN],
      scopes: ['pay'],
      defaultScope: 'pay',
      maxExpiresIn: 300,
      ...(mode === 'session' ? { audience: 'https://api.shop.example', shareAudience: true } : {}),
      rateLimit: { burst: 1000, perMinute: 10_000, ceiling: { burst: 100_000, perMinute: 1_000_000 } },
    };
  }
  const vault = new FakeNamespace();
  let emulator: Emulator | undefined;
  const h = await harness({
    env: { TOKENMINT_CONFIG: JSON.stringify({ issuer: 'https://mint.example', devEmulator: {}, profiles }), ...secrets, [VAULT_BINDING]: vault, TOKENMINT_VAULT_KEYS: KEY_A },
    worker: { devEmulator: devEmulatorFactory((options) => (emulator = createEmulator(options))) },
  });
  vault.host(createTokenVault(h.worker), h.env);
  return { h, emulator: () => emulator };
}

describe('every provider descriptor, in the Worker', () => {
  it('is accepted by the config under its canonical name and its emulator prefix, and mints through the emulator', async () => {
    const { h, emulator } = await setup();
    const mint = async (profile: string) => {
      const response = await h.call(tokenRequest({ profile }));
      return { status: response.status, body: (await response.json()) as { accessToken?: string; tokenType?: string; code?: string } };
    };
    const [first, ...rest] = CASES.filter((c) => !c.descriptor.codeGrant);
    expect(await mint(first!.profile)).toMatchObject({ status: 200 }); // the config loads, the emulator is made
    // A vault-held provider starts from a refresh token: its own flow exchanges the emulator's demo code for one.
    for (const descriptor of PROVIDER_DESCRIPTORS) {
      if (!descriptor.codeGrant) continue;
      const grant = VAULT_PROVIDERS[descriptor.name]!.vault!;
      const made = emulator()!;
      const flow = descriptor.flow({ credentials: demoOf(made, descriptor).credentials, baseUrl: made.baseUrl(descriptor.emulatorPrefix), fetch: made.fetch });
      const token = await flow.fetchToken({ fetch: made.fetch, signal: new AbortController().signal, clock: h.clock });
      h.env[grant.seedSecret] = token.refreshToken;
    }
    for (const c of [...rest, ...CASES.filter((c) => c.descriptor.codeGrant)]) {
      const before = emulator()!.requests.length;
      const answer = await mint(c.profile);
      expect({ profile: c.profile, ...answer }).toMatchObject({ profile: c.profile, status: 200, body: { accessToken: expect.any(String) } });
      // Session mode signs its own token (the provider's is fetched once per provider); upstream hands out the provider's.
      if (c.mode === 'upstream') expect(emulator()!.requests.slice(before).map((r) => r.provider)).toContain(c.descriptor.emulatorPrefix);
    }
    const reached = new Set(emulator()!.requests.map((r) => r.provider));
    for (const descriptor of PROVIDER_DESCRIPTORS) expect(reached).toContain(descriptor.emulatorPrefix);
  });
});
