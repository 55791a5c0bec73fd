// Comments, docs and the generated .d.ts point only at files that ship with the project: never at the
// team's private notes (a `shared/` folder outside the repository), and every `docs/*.md` they name exists,
// down to the heading of docs/providers.md they link to.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/lib/hermetic-env.mjs';

const PRIVATE = /shared\/|\b(?:TOOLCHAIN|DESIGN|STYLE|PROVIDERS)\.md\b/;
const SELF = 'tests/node/shipped-references.test.ts';

function files(dir: string, keep: (path: string) => boolean): string[] {
  if (!existsSync(`${ROOT}${dir}`)) return [];
  return readdirSync(`${ROOT}${dir}`, { recursive: true, encoding: 'utf8' })
    .map((name) => `${dir}/${name}`)
    .filter((path) => statSync(`${ROOT}${path}`).isFile() && keep(path));
}

const text = (path: string) => /\.(ts|mts|mjs|js|md|json|toml|html)$/.test(path);
const sources = ['README.md', ...files('src', text), ...files('docs', text), ...files('scripts', text), ...files('bench', text), ...files('tests', text).filter((path) => path !== SELF)];
const declarations = files('dist', (path) => path.endsWith('.d.ts'));

/** `path:line` of each line matching `pattern`. */
function hits(paths: readonly string[], pattern: RegExp): string[] {
  return paths.flatMap((path) =>
    readFileSync(`${ROOT}${path}`, 'utf8')
      .split('\n')
      .flatMap((line, i) => (pattern.test(line) ? [`${path}:${i + 1}: ${line.trim().slice(0, 120)}`] : [])),
  );
}

/** GitHub's anchor of a Markdown heading. */
const anchor = (heading: string) => heading.toLowerCase().replace(/[^a-z0-9 -]/g, '').replaceAll(' ', '-');

describe('references point at files that ship', () => {
  it('src, docs, README, scripts, bench and tests never cite the private shared/ notes', () => {
    expect(sources.length).toBeGreaterThan(100);
    expect(hits(sources, PRIVATE)).toEqual([]);
  });

  it.skipIf(declarations.length === 0)('the generated dist/**/*.d.ts never cites them (after `npm run build`)', () => {
    expect(hits(declarations, PRIVATE)).toEqual([]);
  });

  it('every docs/*.md that src and dist name exists, and each docs/providers.md#anchor is a heading', () => {
    const named = [...sources.filter((path) => path.startsWith('src/')), ...declarations].flatMap((path) =>
      [...readFileSync(`${ROOT}${path}`, 'utf8').matchAll(/\bdocs\/([\w-]+\.md)(?:#([\w-]+))?/g)].map((m) => ({ path: relative(ROOT, `${ROOT}${path}`), file: m[1]!, anchor: m[2] })),
    );
    expect(named.filter((ref) => ref.file === 'providers.md').length).toBeGreaterThan(40);
    const headings = new Set([...readFileSync(`${ROOT}docs/providers.md`, 'utf8').matchAll(/^#+ (.+)$/gm)].map((m) => anchor(m[1]!)));
    const broken = named.filter((ref) => !existsSync(`${ROOT}docs/${ref.file}`) || (ref.file === 'providers.md' && ref.anchor !== undefined && !headings.has(ref.anchor)));
    expect(broken.map((ref) => `${ref.path}: docs/${ref.file}${ref.anchor ? `#${ref.anchor}` : ''}`)).toEqual([]);
  });
});
