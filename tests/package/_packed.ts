// The package as a user gets it: `npm pack` of a fresh checkout (tracked files only, so no dist/: prepack
// must build it), installed offline into a scratch project from the tarball and the npm cache alone.
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hermeticEnv } from '../../scripts/lib/hermetic-env.mjs';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
// Outside the checkout, so nothing resolves from its node_modules by walking up: a dependency missing
// from the package would fail here as it fails for a user.
export const SCRATCH = mkdtempSync(join(tmpdir(), 'tokenmint-packed-'));
export const CHECKOUT = join(SCRATCH, 'checkout');
export const APP = join(SCRATCH, 'app');

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end (never throws on a non-zero exit), with the hermetic environment. */
export function run(cmd: string, args: string[], options: { cwd: string; env?: Record<string, string>; timeout?: number }): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: options.cwd, env: { ...hermeticEnv(), ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeout ?? 120_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ code: null, stdout, stderr: `${stderr}${error.message}` });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The checkout's own files as git sees them (committed or not, ignored ones left out): no dist/. */
function copyCheckout(): void {
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' })
    .split('\0')
    .filter((file) => file && existsSync(join(ROOT, file)));
  for (const file of files) {
    mkdirSync(dirname(join(CHECKOUT, file)), { recursive: true });
    cpSync(join(ROOT, file), join(CHECKOUT, file));
  }
  symlinkSync(join(ROOT, 'node_modules'), join(CHECKOUT, 'node_modules'), 'dir');
}

export interface Packed {
  tarball: string;
  /** Paths inside the tarball, without the `package/` prefix. */
  files: string[];
}

/** Packs the fresh checkout (prepack builds dist/) and installs the tarball into APP, offline. */
export async function packAndInstall(): Promise<Packed> {
  mkdirSync(APP, { recursive: true });
  copyCheckout();
  if (existsSync(join(CHECKOUT, 'dist'))) throw new Error('the fresh checkout has a dist/ before packing');
  const pack = await run('npm', ['pack', '--json', '--pack-destination', SCRATCH], { cwd: CHECKOUT, timeout: 300_000 });
  if (pack.code !== 0) throw new Error(`npm pack failed (${pack.code}):\n${pack.stderr.slice(-4000)}`);
  const [info] = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('['))) as { filename: string; integrity: string; files: { path: string }[] }[];
  const tarball = join(SCRATCH, info!.filename);

  writeLockedApp(info!.filename, info!.integrity);
  // --offline: the tarball and the npm cache (which the checkout's own install filled) are all it has.
  // The lockfile lets npm take the dependencies' tarballs from the cache by integrity, as `npm ci` does.
  const install = await run('npm', ['ci', '--offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: APP, timeout: 180_000 });
  if (install.code !== 0) {
    throw new Error(`npm ci --offline of the tarball failed (${install.code}); its dependencies must be in the npm cache (run npm install in the checkout first):\n${install.stderr.slice(-4000)}`);
  }
  return { tarball, files: info!.files.map((f) => f.path).sort() };
}

type LockEntry = { version?: string; resolved?: string; integrity?: string; dependencies?: Record<string, string>; [key: string]: unknown };

/**
 * The scratch project: depends on the tarball, locked to the versions the checkout's own lockfile holds
 * for the package's dependencies (their closure), so nothing needs the registry's metadata.
 */
function writeLockedApp(filename: string, integrity: string): void {
  const manifest = JSON.parse(readFileSync(join(CHECKOUT, 'package.json'), 'utf8')) as { version: string; dependencies: Record<string, string>; engines?: unknown; license?: string };
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const spec = `file:../${filename}`;
  const packages: Record<string, LockEntry> = {
    '': { name: 'packed-app', dependencies: { tokenmint: spec } },
    'node_modules/tokenmint': { version: manifest.version, resolved: spec, integrity, license: manifest.license, dependencies: manifest.dependencies, engines: manifest.engines },
  };
  const pending = Object.keys(manifest.dependencies);
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (packages[`node_modules/${name}`]) continue;
    const entry = lock.packages[`node_modules/${name}`];
    if (!entry) throw new Error(`package-lock.json has no node_modules/${name}, a dependency of the package`);
    const { dev: _dev, devOptional: _devOptional, peer: _peer, ...kept } = entry;
    packages[`node_modules/${name}`] = kept;
    pending.push(...Object.keys(entry.dependencies ?? {}));
  }
  writeFileSync(join(APP, 'package.json'), JSON.stringify({ name: 'packed-app', private: true, type: 'module', dependencies: { tokenmint: spec } }, null, 2));
  writeFileSync(join(APP, 'package-lock.json'), JSON.stringify({ name: 'packed-app', lockfileVersion: 3, requires: true, packages }, null, 2));
}

/** Every subpath export of the installed package.json, as import specifiers ('tokenmint', 'tokenmint/fetch', …). */
export function entrySpecifiers(exportsMap: Record<string, unknown>): string[] {
  return Object.keys(exportsMap)
    .filter((key) => key !== './package.json')
    .map((key) => (key === '.' ? 'tokenmint' : `tokenmint/${key.slice(2)}`));
}

export function removeScratch(): void {
  rmSync(SCRATCH, { recursive: true, force: true });
}
