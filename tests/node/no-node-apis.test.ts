// Layers (README "Package layout"): everything a browser or Worker loads imports no `node:` module and touches no Node global.
// Each entry is bundled with its dependencies (valibot, ofetch) and checked; entries not written yet are
// skipped, so adding a layer only means it exists on disk.
import { existsSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { findNodeApis, formatFindings, type Allowlist } from '../helpers/node-api-check.ts';

/** Every entry a browser or a Worker loads. Add new ones here. */
const BROWSER_AND_WORKER_ENTRIES = [
  'src/core/index.ts',
  'src/core/kit.ts',
  'src/fetch/index.ts',
  'src/providers/index.ts',
  'src/emulator/index.ts',
  'src/prism/index.ts',
  'src/widget/index.ts',
  'src/worker/index.ts',
  'src/worker/proxy/index.ts',
  'src/worker/vault/index.ts',
  'src/worker/prism/index.ts',
];

/** Dependency code we accept, each with a reason. Our own code (src/) is never allowlisted. */
const ALLOW: Allowlist = {
  'node_modules/ofetch/dist/index.mjs': {
    globals: ['global'],
    reason: 'feature-detection fallback, reached only when globalThis, self and window are all missing',
  },
};

describe('entries a browser or Worker loads use no Node API', () => {
  for (const entry of BROWSER_AND_WORKER_ENTRIES) {
    test.runIf(existsSync(entry))(entry, async () => {
      const { inputs, findings } = await findNodeApis(entry, { allow: ALLOW });
      expect(inputs).toContain(entry);
      expect(formatFindings(findings)).toEqual([]);
    });
  }
});

describe('the checker itself flags Node API use', () => {
  const fixture = (name: string): string => `tests/node/fixtures/node-apis/${name}`;

  test("flags import 'node:fs'", async () => {
    const { findings } = await findNodeApis(fixture('imports-node-fs.ts'));
    expect(formatFindings(findings)).toEqual([`${fixture('imports-node-fs.ts')}: imports "node:fs"`]);
  });

  test("flags bare builtins 'crypto' and 'fs/promises'", async () => {
    const { findings } = await findNodeApis(fixture('imports-bare-crypto.ts'));
    expect(findings.map((f) => f.name).sort()).toEqual(['crypto', 'fs/promises']);
  });

  test('flags process.env', async () => {
    const { findings } = await findNodeApis(fixture('reads-process-env.ts'));
    expect(formatFindings(findings)).toEqual([`${fixture('reads-process-env.ts')}: references the global process`]);
  });

  test('flags Buffer in a nested import, globalThis.process, require, __dirname, global', async () => {
    const { findings } = await findNodeApis(fixture('uses-node-globals.ts'));
    expect(formatFindings(findings).sort()).toEqual(
      [
        `${fixture('nested/uses-buffer.ts')}: references the global Buffer`,
        `${fixture('uses-node-globals.ts')}: references the global process`,
        `${fixture('uses-node-globals.ts')}: references the global require`,
        `${fixture('uses-node-globals.ts')}: references the global __dirname`,
        `${fixture('uses-node-globals.ts')}: references the global global`,
      ].sort(),
    );
  });

  test('passes web-only code whose locals share a Node global name', async () => {
    const { findings } = await findNodeApis(fixture('portable.ts'));
    expect(findings).toEqual([]);
  });

  test('an allowlist entry covers only the named global of the named file', async () => {
    const file = fixture('uses-node-globals.ts');
    const { findings } = await findNodeApis(file, { allow: { [file]: { globals: ['global'], reason: 'test' } } });
    expect(findings.map((f) => f.name).sort()).toEqual(['Buffer', '__dirname', 'process', 'require']);
  });
});
