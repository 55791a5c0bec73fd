// Finds Node-only API use in what a browser or Worker would load from an entry: bundles the entry with
// esbuild for a neutral platform (so nothing Node-specific is assumed), then
//   - imports: every `node:*` or bare builtin specifier (`fs`, `crypto`, `buffer`, `fs/promises`, ...) is
//     caught at resolve time and recorded with its importer;
//   - globals: every bundled file is re-parsed by esbuild with `define` mapping each Node global to a
//     sentinel identifier. `define` replaces only free (unbound) references, so a local variable or
//     parameter named `process` is not flagged, while `process.env`, `typeof Buffer` and
//     `globalThis.process` are.
import { readFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { extname, relative } from 'node:path';
import { build, transform, type Loader, type Plugin } from 'esbuild';

export const NODE_GLOBALS = ['process', 'Buffer', 'require', '__dirname', '__filename', 'global'] as const;

export interface Finding {
  file: string; // relative to the project root
  kind: 'import' | 'global';
  name: string; // the specifier or the global
}

/** Dependency code allowed a specific global, with why it cannot run in a browser or Worker. */
export type Allowlist = Record<string, { globals: string[]; reason: string }>;

const SENTINEL = '__tokenmint_node_global_';
const builtins = new Set(builtinModules.filter((m) => !m.startsWith('_')));
const isBuiltin = (spec: string): boolean =>
  spec.startsWith('node:') || builtins.has(spec) || builtins.has(spec.split('/')[0] ?? '');

const LOADERS: Record<string, Loader> = { '.ts': 'ts', '.mts': 'ts', '.cts': 'ts', '.tsx': 'tsx', '.js': 'js', '.mjs': 'js', '.cjs': 'js', '.jsx': 'jsx', '.json': 'json' };

const DEFINE: Record<string, string> = Object.fromEntries(
  NODE_GLOBALS.flatMap((g) => [
    [g, `${SENTINEL}${g}`],
    [`globalThis.${g}`, `${SENTINEL}${g}`],
  ]),
);

function recordBuiltins(root: string, findings: Finding[]): Plugin {
  return {
    name: 'record-node-builtins',
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        if (args.kind === 'entry-point' || !isBuiltin(args.path)) return undefined;
        findings.push({ file: relative(root, args.importer), kind: 'import', name: args.path });
        return { path: args.path, external: true };
      });
    },
  };
}

/** `node_modules/pkg/...` however the folder was reached (symlinked or hoisted), else the path as is. */
const packagePath = (file: string): string => {
  const at = file.indexOf('node_modules/');
  return at < 0 ? file : file.slice(at);
};

/** Returns the bundled files and every Node API finding not covered by `allow`. */
export async function findNodeApis(
  entry: string,
  { root = process.cwd(), allow = {} }: { root?: string; allow?: Allowlist } = {},
): Promise<{ inputs: string[]; findings: Finding[] }> {
  const findings: Finding[] = [];
  const result = await build({
    entryPoints: [entry],
    absWorkingDir: root,
    bundle: true,
    write: false,
    metafile: true,
    format: 'esm',
    platform: 'neutral',
    // Resolve dependencies the way a browser/Worker bundler would (ofetch -> its web build).
    mainFields: ['module', 'main'],
    conditions: ['workerd', 'worker', 'browser', 'import'],
    logLevel: 'silent',
    plugins: [recordBuiltins(root, findings)],
  });
  const inputs = Object.keys(result.metafile.inputs);
  for (const file of inputs) {
    const loader = LOADERS[extname(file)];
    if (!loader || loader === 'json') continue;
    const { code } = await transform(await readFile(`${root}/${file}`, 'utf8'), { loader, format: 'esm', define: DEFINE, logLevel: 'silent' });
    const seen = new Set(code.match(new RegExp(`${SENTINEL}\\w+`, 'g')) ?? []);
    const key = packagePath(file);
    for (const s of seen) {
      const name = s.slice(SENTINEL.length);
      if (!allow[key]?.globals.includes(name)) findings.push({ file: key, kind: 'global', name });
    }
  }
  return { inputs, findings };
}

export const formatFindings = (findings: Finding[]): string[] =>
  findings.map((f) => `${f.file}: ${f.kind === 'import' ? `imports "${f.name}"` : `references the global ${f.name}`}`);
