// Smoke scenario in Node (vitest `node` project) against the built package entry.
import { expect, inject, test } from 'vitest';
import * as tokenmint from '../../dist/core/index.js';
import { runScenario } from './scenario.mjs';

test('node: client_credentials smoke scenario against dist/core/index.js', async () => {
  const passed = await runScenario({ tokenmint, baseUrl: inject('tokenServerUrl') });
  expect(passed.length).toBeGreaterThan(20);
});
