// The browser bundle of tokenmint/widget: a plain page cannot resolve the bare `valibot` imports of
// dist/, so esbuild inlines them into one minified ES module (playground/build/widget.js, gitignored).
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';
import { ROOT } from './hermetic-env.mjs';

export const WIDGET_ENTRY = 'src/widget/index.ts';
export const WIDGET_BUNDLE = 'playground/build/widget.js';

/** Builds the bundle; returns its path and sizes in bytes (minified, and gzip level 9). */
export async function buildWidgetBundle(outfile = WIDGET_BUNDLE) {
  await build({
    entryPoints: [WIDGET_ENTRY],
    absWorkingDir: ROOT,
    outfile,
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    legalComments: 'none',
    logLevel: 'warning',
  });
  const code = readFileSync(new URL(outfile, `file://${ROOT}`));
  return { file: outfile, bytes: code.length, gzip: gzipSync(code, { level: 9 }).length };
}
