// The README's example snippets are the programs of examples/ (which tests/node/packed.test.ts runs): each
// block after an `<!-- example: path -->` marker must be that file, byte for byte, so the two cannot drift.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const marked = [...readme.matchAll(/<!-- example: (\S+) -->\n```\w+\n([\s\S]*?)```/g)].map(([, path, code]) => ({ path: path!, code: code! }));

describe('README snippets from examples/', () => {
  it('every marked block is its example file, byte for byte', () => {
    expect(marked.length).toBeGreaterThan(0);
    for (const { path, code } of marked) expect(code, `README block for ${path} differs from the file: copy the file into the README`).toBe(readFileSync(join(ROOT, path), 'utf8'));
  });

  it('every example program is in the README or linked from it', () => {
    const programs = readdirSync(join(ROOT, 'examples'));
    for (const dir of programs) expect(readme, `examples/${dir}`).toContain(`examples/${dir}/`);
  });
});
