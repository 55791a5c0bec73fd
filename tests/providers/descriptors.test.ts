// One descriptor per provider (src/providers/list.ts) is what Prism, the Worker's registry and the
// emulator router are built from. Here: the two lists (descriptors, emulators) name the same providers;
// every provider is reachable under one name in Prism and in the emulator, minting with the emulator's
// demo credentials (the Worker's side runs in workerd: tests/worker/descriptors.test.ts); each emulator
// accepts the planted credentials its entry is told to, and no others. A provider added by a folder and a
// line in the list is picked up by all of them: tests/node/adding-a-provider.test.ts.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TokenError, createTokenStore } from '../../src/core/index.js';
import { PROVIDER_EMULATORS, createEmulator } from '../../src/emulator/index.js';
import { MerchantAuthenticationClient, TOKEN_CONNECTORS } from '../../src/prism/index.js';
import { CONNECTOR_NUMBERS } from '../../src/prism/service/index.js';
import { CODE_GRANT_PROVIDERS, CREDENTIAL_PROVIDERS, PROVIDER_DESCRIPTORS, findProvider, normaliseName } from '../../src/providers/index.js';
import { namesOf } from '../../src/providers/descriptor.js';
import { PROVIDERS, VAULT_NAMES, findEntry } from '../../src/worker/config/registry.js';
import { VAULT_PROVIDERS } from '../../src/worker/vault/providers.js';
import { FLOWS } from '../hardening/_flows.js';
import { PLANTED_CREDENTIALS, plantedEmulatorOptions, secretsOf } from '../hardening/_planted.js';
import { EMULATORS, emulated, useFakeClock } from './_helpers.js';

/** The Worker's providers with its vault part (which brings the code-grant ones). */
const WORKER_PROVIDERS = { ...PROVIDERS, ...VAULT_PROVIDERS };

beforeEach(useFakeClock);
afterEach(() => void vi.useRealTimers());

describe('the lists agree', () => {
  it('the emulators list is keyed by exactly the descriptors’ emulator prefixes, each emulator serving its own', () => {
    expect(Object.keys(PROVIDER_EMULATORS).sort()).toEqual(PROVIDER_DESCRIPTORS.map((d) => d.emulatorPrefix).sort());
    const emulator = createEmulator();
    for (const descriptor of PROVIDER_DESCRIPTORS) expect(emulator[descriptor.emulatorPrefix as keyof typeof PROVIDER_EMULATORS].prefix).toBe(descriptor.emulatorPrefix);
  });

  it('no two descriptors share a name, and none takes a name of the generic flows', () => {
    const names = PROVIDER_DESCRIPTORS.flatMap(namesOf);
    expect(new Set(names).size).toBe(names.length);
    for (const generic of ['oauth2', 'authorizationcode']) expect(names).not.toContain(generic);
  });

  it('Prism lists one connector per descriptor, the Worker one entry per descriptor and client-token flow, the fault matrix a row for each', () => {
    expect(Object.keys(TOKEN_CONNECTORS)).toEqual(PROVIDER_DESCRIPTORS.map((d) => normaliseName(d.prism ?? d.name)));
    const clientTokens = PROVIDER_DESCRIPTORS.flatMap((d) => (d.clientToken === undefined ? [] : [d.clientToken.name]));
    expect(Object.keys(PROVIDERS).sort()).toEqual(['oauth2', ...PROVIDER_DESCRIPTORS.filter((d) => !d.codeGrant).map((d) => d.name), ...clientTokens].sort());
    // A code-grant provider's entry comes with the vault part, and only there.
    expect(Object.keys(VAULT_PROVIDERS).sort()).toEqual([...VAULT_NAMES].sort());
    expect(VAULT_NAMES).toEqual(['authorizationCode', ...PROVIDER_DESCRIPTORS.filter((d) => d.codeGrant).map((d) => d.name)]);
    // The two sublists split the providers by codeGrant, so the Worker's registry reads only the first.
    expect(CODE_GRANT_PROVIDERS).toEqual(PROVIDER_DESCRIPTORS.filter((d) => d.codeGrant));
    expect(CREDENTIAL_PROVIDERS).toEqual(PROVIDER_DESCRIPTORS.filter((d) => !d.codeGrant));
    for (const name of [...PROVIDER_DESCRIPTORS.map((d) => d.name), ...clientTokens]) expect(FLOWS.some((row) => row.name.split(' ')[0] === name)).toBe(true);
  });

  it('the planted secrets are plain words (as an error code quoting one looks) and ones with " \\ space + / : (JSON, form and Basic spellings), one of each in a provider with two', () => {
    const special = (secret: string): boolean => /["\\ +/:]/.test(secret);
    const secrets = PROVIDER_DESCRIPTORS.map((descriptor) => secretsOf(descriptor, PLANTED_CREDENTIALS[descriptor.name]!));
    expect(new Set(secrets.flat().map(special))).toEqual(new Set([true, false]));
    for (const pair of secrets.filter((list) => list.length >= 2)) expect(new Set(pair.map(special))).toEqual(new Set([true, false]));
  });

  it('Prism’s gRPC Connector enum numbers the token connectors as Prism does, from the descriptors', () => {
    const tokenConnectors = { AIRWALLEX: 4, CYBERSOURCE: 22, GETNET: 33, GLOBALPAY: 34, IATAPAY: 41, JPMORGAN: 43, PAYPAL: 62, TRUSTPAY: 78, VOLT: 80, TRUELAYER: 110, PINELABS_ONLINE: 117 };
    expect(CONNECTOR_NUMBERS).toMatchObject({ ...tokenConnectors, STRIPE: 75, ADYEN: 3 });
    expect(new Set(Object.values(CONNECTOR_NUMBERS)).size).toBe(Object.keys(CONNECTOR_NUMBERS).length);
  });

  it('each descriptor’s credentials are the Worker’s secrets and part of the fields Prism reads', () => {
    for (const descriptor of PROVIDER_DESCRIPTORS) {
      expect(WORKER_PROVIDERS[descriptor.name]!.secrets).toEqual(descriptor.credentials);
      expect(WORKER_PROVIDERS[descriptor.name]!.emulatorPrefix).toBe(descriptor.emulatorPrefix);
      expect(TOKEN_CONNECTORS[normaliseName(descriptor.prism ?? descriptor.name)]!.fields).toEqual(expect.arrayContaining(Object.keys(descriptor.credentials)));
    }
  });
});

describe.each(PROVIDER_DESCRIPTORS.map((descriptor) => ({ name: descriptor.name, descriptor })))('$name is reachable under one name', ({ descriptor }) => {
  // The emulator prefix is the one name every layer takes: the emulator routes by it, and Prism and the
  // Worker take it as they take the canonical name and Prism's spelling.
  const names = [...new Set([descriptor.name, descriptor.emulatorPrefix, ...(descriptor.prism === undefined ? [] : [descriptor.prism])])];

  it.each(names)('Prism: connector "%s" mints through the emulator', async (name) => {
    const emulator = createEmulator();
    const { baseUrl, demo } = emulated(emulator, descriptor);
    const prism = new MerchantAuthenticationClient({ connectorConfig: { [name]: { ...demo.credentials, baseUrl } }, options: { fetch: emulator.fetch } });
    expect(prism.connector).toBe(normaliseName(descriptor.prism ?? descriptor.name));
    const answer = await prism.createServerAuthenticationToken(demo.scope === undefined ? {} : { scope: demo.scope });
    expect(answer).toMatchObject({ status: 'SUCCESS', accessToken: expect.any(String) });
    if (descriptor.clientToken !== undefined) expect(await prism.createClientAuthenticationToken()).toMatchObject({ status: 'SUCCESS' });
    expect(emulator.requests.every((request) => request.provider === descriptor.emulatorPrefix)).toBe(true);
    prism.dispose();
  });

  it.each(names)('the Worker registry: provider "%s" is its entry', (name) => {
    expect(findEntry(name, WORKER_PROVIDERS)).toEqual([descriptor.name, WORKER_PROVIDERS[descriptor.name]]);
    expect(findEntry(name.toUpperCase(), WORKER_PROVIDERS)?.[0]).toBe(descriptor.name);
    // Without the vault part, a code-grant provider is known (and refused by name), never unknown.
    expect(findEntry(name)).toEqual([descriptor.name, descriptor.codeGrant ? undefined : PROVIDERS[descriptor.name]]);
  });

  it('the emulator router serves it under its prefix, a name its descriptor answers to', () => {
    const emulator = createEmulator();
    expect(emulator.baseUrl(descriptor.emulatorPrefix)).toBe(`https://emulator.invalid/${descriptor.emulatorPrefix}`);
    expect(findProvider(descriptor.emulatorPrefix)).toBe(descriptor);
  });
});

describe.each(PROVIDER_DESCRIPTORS.map((descriptor) => ({ name: descriptor.name, descriptor })))('$name: its emulator, told to accept the planted credentials', ({ descriptor }) => {
  const mint = async (credentials: Readonly<Record<string, string>>) => {
    const emulator = createEmulator(plantedEmulatorOptions());
    const { baseUrl, demo } = emulated(emulator, descriptor);
    const store = createTokenStore({ fetch: emulator.fetch, http: { retries: 0 } });
    const flow = descriptor.flow({ credentials: { ...demo.credentials, ...credentials }, baseUrl, ...(demo.scope === undefined ? {} : { scope: demo.scope }) });
    try {
      return await store.source(flow).get();
    } finally {
      store.dispose();
    }
  };
  const planted = PLANTED_CREDENTIALS[descriptor.name]!;

  it('plants a secret for every credential but its identifiers, which are its demo’s', () => {
    expect(Object.keys(planted).sort()).toEqual(Object.keys(descriptor.credentials).sort());
    expect(descriptor.identifiers.every((option) => option in descriptor.credentials)).toBe(true);
    for (const secret of secretsOf(descriptor, planted)) expect(secret).toMatch(new RegExp(`^S3CR3T-${descriptor.emulatorPrefix}-`));
    expect(secretsOf(descriptor, planted)).toHaveLength(Object.keys(descriptor.credentials).length - descriptor.identifiers.length);
  });

  it('mints with them, and refuses the demo’s secrets and a planted secret changed by one character', async () => {
    expect((await mint(planted)).accessToken).toEqual(expect.any(String));
    const demo = emulated(createEmulator(), descriptor).demo.credentials;
    await expect(mint(Object.fromEntries(Object.keys(planted).map((option) => [option, demo[option]!])))).rejects.toBeInstanceOf(TokenError);
    for (const option of Object.keys(planted).filter((o) => !descriptor.identifiers.includes(o))) {
      await expect(mint({ ...planted, [option]: `${planted[option]}x` })).rejects.toBeInstanceOf(TokenError);
    }
  });
});

describe.each(PROVIDER_DESCRIPTORS.map((descriptor) => ({ name: descriptor.name, descriptor })))('$name: its emulator entry describes its token answers as they are', ({ descriptor }) => {
  const entry = EMULATORS[descriptor.emulatorPrefix]!;
  const at = (body: unknown, path: readonly string[]): unknown => path.reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], body);
  const flows = [{ kind: 'server' as const, make: descriptor.flow }, ...(descriptor.clientToken === undefined ? [] : [{ kind: 'clientToken' as const, make: descriptor.clientToken.flow }])];

  it.each(flows)('its $kind flow asks exactly the described answers, in order, each keeping the token, lifetime and type where described', async ({ kind, make }) => {
    const emulator = createEmulator();
    const { baseUrl, demo } = emulated(emulator, descriptor);
    const answers: { path: string; body: unknown }[] = [];
    const recording: typeof fetch = async (input, init) => {
      const response = await emulator.fetch(input, init);
      answers.push({ path: new URL(new Request(input).url).pathname.slice(descriptor.emulatorPrefix.length + 1), body: await response.clone().json() });
      return response;
    };
    const store = createTokenStore({ fetch: recording });
    await store.source(make({ credentials: demo.credentials, baseUrl, ...(demo.scope === undefined ? {} : { scope: demo.scope }) })).get();
    store.dispose();
    const described = entry.tokenAnswers.filter((answer) => answer.flows.includes(kind));
    expect(answers.map((answer) => answer.path)).toEqual(described.map((answer) => answer.path));
    for (const [i, { body }] of answers.entries()) {
      const answer = described[i]!;
      expect(at(body, answer.token), 'token').toEqual(expect.stringMatching(/./));
      const lifetime = at(body, answer.lifetime.path);
      const now = Date.now() / 1000;
      if (answer.lifetime.kind === 'iso') expect(Date.parse(String(lifetime)) / 1000, 'lifetime').toBeGreaterThan(now);
      else if (answer.lifetime.kind === 'epoch') expect(lifetime, 'lifetime').toBeGreaterThan(now);
      else expect(lifetime, 'lifetime').toBeGreaterThan(0);
      // A token type is stated only where described (the emulator may leave it out).
      if (answer.tokenType !== undefined && at(body, answer.tokenType) !== undefined) expect(at(body, answer.tokenType), 'token type').toMatch(/^bearer$/i);
      if (answer.tokenType === undefined) expect(at(body, ['token_type']), 'an undescribed token type').toBeUndefined();
    }
  });
});
