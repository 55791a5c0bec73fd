// The standalone server in Node (the same scenario runs in Deno and Bun from tests/runtimes), and its
// config: strict, secrets from named environment variables, never a silent fall-back to a fake.
import { describe, expect, it } from 'vitest';
import * as emulator from '../../src/emulator/index.js';
import * as server from '../../src/server/index.js';
import { runPrismServerScenario } from '../runtimes/prism-server.mjs';

describe('tokenmint/server', () => {
  it('serves every protocol over real HTTP on Node', async () => {
    const passed = await runPrismServerScenario({ server, emulator });
    expect(passed).toHaveLength(8);
  }, 60_000); // a watchdog for a loaded machine, not a timing assertion

  it.each([
    ['not JSON', '{', 'option "config" is not valid JSON'],
    ['an unknown field', { profiles: {}, port: 1 }, 'config.port: unknown field'],
    ['a missing variable', { profiles: { paypal: { environment: 'sandbox', secrets: { client_id: 'NOPE_ID' } } } }, 'needs the environment variable NOPE_ID'],
    ['the emulator without --emulator', { profiles: { paypal: { environment: 'sandbox', upstream: 'emulator', secrets: { client_id: 'ID' } } } }, '"emulator" needs the emulator'],
    ['Worker-only coordination', { profiles: {}, headerCredentials: { environment: 'sandbox' }, coordination: 'isolate' }, 'applies to the Worker only'],
  ])('refuses %s with a config error', (_, config, message) => {
    const env = { TOKENMINT_PRISM_API_KEY: 'a-caller-key-long-enough', ID: 'PLANTED-client-id' };
    let thrown: unknown;
    try {
      server.prismServiceFromConfig({ config, env });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: 'config', message: expect.stringContaining(message) });
    expect(String((thrown as Error).message)).not.toContain('PLANTED');
  });
});
