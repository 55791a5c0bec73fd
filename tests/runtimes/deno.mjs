// Deno entry (spawned by scripts/run-deno.mjs): `deno run ... tests/runtimes/deno.mjs <baseUrl>`.
import * as tokenmint from '../../dist/core/index.js';
import * as emulator from '../../dist/emulator/index.js';
import * as server from '../../dist/server/index.js';
import { runPrismServerScenario } from './prism-server.mjs';
import { runScenario } from './scenario.mjs';

const [baseUrl] = Deno.args;
try {
  const passed = await runScenario({ tokenmint, baseUrl });
  console.log(`deno ${Deno.version.deno}: ${passed.length} scenario checks passed`);
  const prism = await runPrismServerScenario({ server, emulator });
  console.log(`deno ${Deno.version.deno}: ${prism.length} Prism server checks passed`);
} catch (err) {
  console.error(`deno ${Deno.version.deno}: smoke scenario FAILED\n${err?.stack ?? err}`);
  Deno.exit(1);
}
