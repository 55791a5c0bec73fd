// Builds every public entry to dist/<layer>/index.js as ESM with .d.ts beside it. Dependencies stay
// external so users' bundlers dedupe valibot/ofetch; preserveModules keeps tree-shaking per module.
import typescript from '@rollup/plugin-typescript';
import pkg from './package.json' with { type: 'json' };

const external = Object.keys(pkg.dependencies ?? {});

/** One file per public entry (the subpath exports of package.json). */
export const entries = ['src/core/index.ts', 'src/core/kit.ts', 'src/fetch/index.ts', 'src/providers/index.ts', 'src/prism/index.ts', 'src/emulator/index.ts', 'src/worker/index.ts', 'src/worker/proxy/index.ts', 'src/worker/vault/index.ts', 'src/worker/prism/index.ts', 'src/widget/index.ts', 'src/server/index.ts', 'src/server/cli.ts'];

export default {
  input: entries,
  external: (id) => external.some((dep) => id === dep || id.startsWith(`${dep}/`)),
  output: {
    dir: 'dist',
    format: 'esm',
    preserveModules: true,
    preserveModulesRoot: 'src',
    entryFileNames: '[name].js',
  },
  plugins: [typescript({ tsconfig: './tsconfig.json', outDir: 'dist', declaration: true, declarationDir: 'dist' })],
};
