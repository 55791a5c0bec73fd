// The Worker's opt-in parts (docs/worker.md, "What a Worker carries"): a Worker built without the proxy,
// the vault or Prism's service refuses a config that uses one, naming the import that adds it, and
// answers the part's paths 404; createMintWorker's options are strict; the Durable Object classes take
// their state from the Worker they are given, and refuse anything else.
import { describe, expect, it } from 'vitest';
import { createMintWorker, createTokenCoordinator, type MintWorker, type MintWorkerOptions } from '../../src/worker/index.js';
import { prismService } from '../../src/worker/prism/index.js';
import { proxy } from '../../src/worker/proxy/index.js';
import { createTokenVault, vault } from '../../src/worker/vault/index.js';
import { harness, ORIGIN, problemOf, tokenRequest } from './_mint-helpers.js';
import { proxyConfig } from './_proxy-helpers.js';

const PRISM_SECTION = { coordination: 'isolate', profiles: { paypal: { environment: 'sandbox', secrets: { client_id: 'PAYPAL_CLIENT_ID', client_secret: 'PAYPAL_CLIENT_SECRET' }, baseUrl: 'https://emulator.invalid/paypal' } } };

/** A harness whose Worker lacks `part`; everything else as the dev entry builds it. */
const without = (part: 'proxy' | 'vault' | 'prismService', env = {}) => harness({ env, worker: { [part]: undefined } as MintWorkerOptions });
const logsOf = (h: Awaited<ReturnType<typeof harness>>): string => h.logs.map((entry) => entry.message).join('\n');

describe('a Worker built without a part', () => {
  it('refuses a profile with a proxy: 503 config_invalid, the log names the import', async () => {
    const h = await without('proxy', { TOKENMINT_CONFIG: proxyConfig() });
    const response = await h.call(tokenRequest({ profile: 'checkout' }));
    expect([response.status, (await problemOf(response)).code]).toEqual([503, 'config_invalid']);
    expect(logsOf(h)).toContain(`profile "checkout" has a proxy, but this Worker was built without it: pass proxy() from 'tokenmint/worker/proxy' to createMintWorker`);
  });

  it('answers the proxy path 404 when no profile needs it, and the same config works with the part', async () => {
    const bare = await without('proxy');
    const path = new Request('https://mint.example/v1/proxy/checkout/v2/checkout/orders', { method: 'POST', headers: { origin: ORIGIN } });
    expect((await problemOf(await bare.call(path))).code).toBe('not_found');
    const withPart = await harness({ env: { TOKENMINT_CONFIG: proxyConfig() } });
    expect((await withPart.call(tokenRequest({ profile: 'checkout' }))).status).toBe(200);
  });

  it('refuses prismService without prismService(), naming the import', async () => {
    const config = JSON.parse(proxyConfig()) as Record<string, unknown>;
    config.prismService = PRISM_SECTION;
    const h = await without('prismService', { TOKENMINT_CONFIG: JSON.stringify(config), TOKENMINT_PRISM_API_KEY: 'k'.repeat(32) });
    const response = await h.call(tokenRequest({ profile: 'checkout' }));
    expect([response.status, (await problemOf(response)).code]).toEqual([503, 'config_invalid']);
    expect(logsOf(h)).toContain("TOKENMINT_CONFIG.prismService is set, but this Worker was built without it: pass prismService() from 'tokenmint/worker/prism'");
  });

  it('answers the vault paths 404', async () => {
    const h = await without('vault');
    const response = await h.call(new Request('https://mint.example/v1/vault/status'));
    expect([response.status, (await problemOf(response)).code]).toEqual([404, 'not_found']);
  });
});

describe('createMintWorker options are strict', () => {
  it('an unknown option is a config error naming it (the old top-level guard moved into proxy())', () => {
    expect(() => createMintWorker({ guard: () => true } as MintWorkerOptions)).toThrow(expect.objectContaining({ code: 'config', message: expect.stringContaining('guard') }));
  });

  it('a part given under another option is refused', () => {
    expect(() => createMintWorker({ proxy: vault() } as unknown as MintWorkerOptions)).toThrow(expect.objectContaining({ code: 'config', message: expect.stringContaining("proxy() from 'tokenmint/worker/proxy'") }));
    expect(() => proxy({ gaurd: () => true } as never)).toThrow(expect.objectContaining({ code: 'config', message: expect.stringContaining('did you mean guard') }));
  });

  it('the Durable Object classes refuse a Worker not made by createMintWorker', () => {
    const fake = { fetch: async () => new Response(null) } as unknown as MintWorker;
    expect(() => createTokenCoordinator(fake)).toThrow(expect.objectContaining({ code: 'config' }));
    expect(() => createTokenVault(fake)).toThrow(expect.objectContaining({ code: 'config' }));
    const real = createMintWorker({ vault: vault(), prismService: prismService() });
    expect(typeof createTokenCoordinator(real)).toBe('function');
    expect(typeof createTokenVault(real)).toBe('function');
  });
});
