// `wrangler deploy --dry-run --outdir`: the Worker script exactly as a deploy would upload it, bundled
// offline (hermeticEnv turns off metrics and Cloudflare fetches). Through npx, so Node 22 runs wrangler.
// Used by tests/node/worker-deploy.test.ts (budget, no emulator, no demo credential; docs/deploy.md).
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CACHE, hermeticEnv, ROOT } from './hermetic-env.mjs';

/**
 * Bundles one Worker. `config`: a wrangler config file (default: the root wrangler.toml); `script`
 * overrides its `main`; `name` names the output folder under .cache/dry-run/.
 * @returns {Promise<{ code: string, raw: number, gzip: number, gzip9: number, inputs: string[], log: string }>}
 *   raw/gzip/gzip9: bytes of the script, gzip at zlib's default level (as wrangler reports it) and at 9;
 *   inputs: every module bundled (esbuild's metafile), paths relative to the checkout
 */
export async function dryRun({ name, config, script }) {
  const outdir = `${CACHE}/dry-run/${name}`;
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const args = ['wrangler', 'deploy', '--dry-run', '--outdir', outdir, '--metafile', `${outdir}/meta.json`];
  if (config !== undefined) args.push('--config', config);
  if (script !== undefined) args.push(script);
  const log = await new Promise((resolve, reject) => {
    const child = spawn('npx', args, { cwd: ROOT, env: hermeticEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (out += chunk));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`wrangler ${args.slice(1).join(' ')} exited ${code}:\n${out}`))));
  });
  // wrangler names the script after its entry module: main.js for main.ts, index.js for index.ts.
  const output = readdirSync(outdir).find((file) => file.endsWith('.js'));
  const code = readFileSync(`${outdir}/${output}`);
  const meta = JSON.parse(readFileSync(`${outdir}/meta.json`, 'utf8'));
  return {
    code: code.toString('utf8'),
    raw: code.byteLength,
    gzip: gzipSync(code).byteLength,
    gzip9: gzipSync(code, { level: 9 }).byteLength,
    // The metafile names inputs relative to the config's folder.
    inputs: Object.keys(meta.inputs).map((path) => relative(ROOT, resolve(config === undefined ? ROOT : dirname(config), path)).replaceAll('\\', '/')),
    log,
  };
}
