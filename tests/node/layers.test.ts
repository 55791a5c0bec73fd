// Layers (README "Package layout"): core imports nothing above it, and nothing above core reaches into
// core's private modules — what another layer needs from core is exported by `tokenmint` (core/index.ts)
// or `tokenmint/kit` (core/kit.ts). Checked on the relative import specifiers of every source file.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, test } from 'vitest';

const PUBLIC_CORE = new Set(['src/core/index.ts', 'src/core/kit.ts']);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Each relative import of `file` as a repository path (`.js` specifiers name their `.ts` source). */
function imports(file: string, text: string): string[] {
  const specs = [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map((m) => m[1] as string);
  return specs.map((spec) => normalize(join(dirname(file), spec)).replace(/\.js$/, '.ts'));
}

/** `from → to` for every import that breaks the layer rule. */
function layerViolations(files: readonly string[], read: (file: string) => string): string[] {
  const found: string[] = [];
  for (const file of files) {
    const inCore = file.startsWith('src/core/');
    for (const target of imports(file, read(file))) {
      const toCore = target.startsWith('src/core/');
      if (inCore && !toCore) found.push(`${file} → ${target} (core imports nothing above it)`);
      if (!inCore && toCore && !PUBLIC_CORE.has(target)) found.push(`${file} → ${target} (private to core)`);
    }
  }
  return found;
}

describe('layers', () => {
  const files = sources('src').map((path) => relative('.', path));

  test('src has sources to check', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(files).toContain('src/core/kit.ts');
  });

  test('core imports nothing above it; other layers import only core/index and core/kit', () => {
    expect(layerViolations(files, (file) => readFileSync(file, 'utf8'))).toEqual([]);
  });

  test('the check flags a private core import and core reaching up, and passes the public entries', () => {
    const fixture: Record<string, string> = {
      'src/worker/coordinator/schedule.ts': "import { backoff } from '../../core/clock.js';",
      'src/core/store/x.ts': "import type { MintEnv } from '../../worker/index.js';",
      'src/fetch/ok.ts': "import { sendRequest } from '../core/kit.js';\nimport { TokenError } from '../core/index.js';",
      'src/core/ok.ts': "import { backoff } from './clock.js';",
    };
    expect(layerViolations(Object.keys(fixture), (file) => fixture[file] ?? '')).toEqual([
      'src/worker/coordinator/schedule.ts → src/core/clock.ts (private to core)',
      'src/core/store/x.ts → src/worker/index.ts (core imports nothing above it)',
    ]);
  });
});
