// npm's `prepare` script: builds dist/ after `npm install` in a fresh clone, and when npm prepares
// tokenmint as a git dependency (it clones, installs devDependencies, runs `prepare`, packs `files`).
// It builds only when dist/ is missing: the build costs about 10 s of CPU, and a later `npm install`
// (adding a dependency) should not pay it again. Nothing stale can ship: `npm pack` / `npm publish` run
// `prepack`, which always builds, and `npm test` builds first. Skipped too when devDependencies are not
// installed (`--omit=dev`): there is no rollup to build with.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const rollup = `${ROOT}node_modules/rollup/dist/bin/rollup`;

if (existsSync(`${ROOT}dist/core/index.js`)) {
  // Already built (a later install, or `npm pack`, whose prepack has just built it).
} else if (!existsSync(rollup)) {
  console.log('prepare: devDependencies are not installed (--omit=dev?), so dist/ is not built; `npm run build` builds it');
} else {
  console.log('prepare: building dist/ (npm run build)');
  const result = spawnSync(process.execPath, [rollup, '-c', '--silent'], { cwd: ROOT, stdio: 'inherit' });
  process.exitCode = result.status ?? 1;
}
