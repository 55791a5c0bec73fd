// Smoke scenario inside workerd (vitest `workerd` project, @cloudflare/vitest-plugin). The test module and
// dist/core/index.js run in the Workers runtime; the token server runs in Node (vitest globalSetup).
// workerd's fetch reaches http://127.0.0.1:<port> directly, with no outboundService or service binding:
// miniflare's default `internet` outbound network allows public *and* private ranges (miniflare #412).
import { expect, inject, test } from 'vitest';
import * as tokenmint from '../../dist/core/index.js';
import { runScenario } from './scenario.mjs';

test('workerd: client_credentials smoke scenario against dist/core/index.js', async () => {
  expect(navigator.userAgent).toBe('Cloudflare-Workers'); // really inside workerd, not Node
  const passed = await runScenario({ tokenmint, baseUrl: inject('tokenServerUrl') });
  expect(passed.length).toBeGreaterThan(20);
});
