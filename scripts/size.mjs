// Bundle-size budget of the core: bundles bench/size/core-client-credentials.ts for browsers (esbuild,
// minified ESM, valibot included, tree-shaken) and reports raw and gzip (level 9) bytes.
// `node scripts/size.mjs` prints the figures; tests/node/size.test.ts enforces the budget.
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export const ROOT = fileURLToPath(new URL('../', import.meta.url));
export const SIZE_ENTRY = 'bench/size/core-client-credentials.ts';
// The target of issues #2 and #16: oauth4webapi's client_credentials program, which caches nothing. Not met
// yet (issue 16 took the program from 7,318 to the ceiling below; what is left is in BENCHMARKS.md): the
// synchronous SHA-256 behind flow keys is ~550 B gzip of it, the store ~1.8 KB, the HTTP helper ~1.2 KB.
// CI holds the line at the ceiling, the figure reached, so that no change gives those bytes back.
export const GZIP_TARGET = 5052;
export const GZIP_CEILING = 7296;

/**
 * @returns {Promise<{ entry: string, raw: number, gzip: number, inputs: string[],
 *   modules: { path: string, bytes: number }[] }>} modules: minified bytes each input adds, largest first;
 *   `options` are extra esbuild options
 */
export async function measureSize(entry = SIZE_ENTRY, options = {}) {
  const result = await build({
    entryPoints: [entry],
    absWorkingDir: ROOT,
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    metafile: true,
    legalComments: 'none',
    logLevel: 'silent',
    ...options, // other platforms (the Worker script), same measurement
  });
  const code = result.outputFiles[0].contents;
  const [output] = Object.values(result.metafile.outputs);
  const modules = Object.entries(output.inputs)
    .map(([path, { bytesInOutput }]) => ({ path, bytes: bytesInOutput }))
    .filter((m) => m.bytes > 0)
    .sort((a, b) => b.bytes - a.bytes);
  return {
    entry,
    raw: code.byteLength,
    gzip: gzipSync(code, { level: 9 }).byteLength,
    inputs: Object.keys(result.metafile.inputs),
    modules,
  };
}

export const formatModules = (modules) => modules.map((m) => `${String(m.bytes).padStart(7)} B  ${m.path}`).join('\n');

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { entry, raw, gzip, inputs, modules } = await measureSize();
  console.log(`${entry}: ${raw} B minified, ${gzip} B gzip (ceiling ≤ ${GZIP_CEILING} B; target ${GZIP_TARGET} B ${gzip < GZIP_TARGET ? 'met' : 'NOT met'}), ${inputs.length} modules`);
  console.log(`minified bytes per module:\n${formatModules(modules)}`);
  process.exitCode = gzip <= GZIP_CEILING ? 0 : 1;
}
