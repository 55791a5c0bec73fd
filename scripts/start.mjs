// `npm start`: the mint Worker under `wrangler dev` on http://127.0.0.1:8787, serving the playground.
// Upstreams are the built-in emulators, so no real secret is needed: .dev.vars gets a development
// signing key and the emulator's demo credentials when it lacks them. PORT overrides the port (the demo
// profiles' loopback origins follow it). The widget's browser bundle is built first, so the page can
// import it and wrangler never sees it change. The modules that import the provider folders are
// rewritten first if src/providers/list.ts changed (scripts/providers.mjs).
import { spawn } from 'node:child_process';
import { demoConfigForPort } from './lib/demo-config.mjs';
import { DEV_ENTRY, ensureDevVars } from './lib/dev-vars.mjs';
import { hermeticEnv, ROOT } from './lib/hermetic-env.mjs';
import { buildWidgetBundle } from './lib/widget-bundle.mjs';
import { run as writeProviderModules } from './providers.mjs';

// A provider folder just added to src/providers/list.ts is served by the emulator without a build.
for (const path of writeProviderModules()) console.log(`  wrote ${path} (from src/providers/list.ts)`);

const bundle = await buildWidgetBundle();
console.log(`  ${bundle.file}: ${(bundle.bytes / 1024).toFixed(1)} KiB minified, ${(bundle.gzip / 1024).toFixed(1)} KiB gzip`);

const written = await ensureDevVars(`${ROOT}.dev.vars`);
if (written.length > 0) {
  console.warn(`\n  WARNING: wrote ${written.join(', ')} to .dev.vars — DEVELOPMENT ONLY.`);
  console.warn('  A throwaway session signing key and the emulator\'s demo credentials: never deploy them;');
  console.warn('  production secrets are set with `wrangler secret put NAME` (see docs/worker.md).\n');
}

const port = process.env.PORT ?? '8787';
const config = demoConfigForPort(port);
const vars = config === undefined ? [] : ['--var', `TOKENMINT_CONFIG:${JSON.stringify(config)}`];
const child = spawn(`${ROOT}node_modules/.bin/wrangler`, ['dev', DEV_ENTRY, '--ip', '127.0.0.1', '--port', port, '--show-interactive-dev-session=false', ...vars], {
  cwd: ROOT,
  env: hermeticEnv(),
  stdio: 'inherit',
});
// Forward Ctrl-C/SIGTERM to wrangler itself so workerd stops with it.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => {
  process.exitCode = signal ? 0 : (code ?? 1);
});
