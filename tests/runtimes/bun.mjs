// Bun entry (spawned by scripts/run-bun.mjs): `bun run tests/runtimes/bun.mjs <baseUrl>`.
import * as tokenmint from '../../dist/core/index.js';
import * as emulator from '../../dist/emulator/index.js';
import * as server from '../../dist/server/index.js';
import { runPrismServerScenario } from './prism-server.mjs';
import { runScenario } from './scenario.mjs';

const baseUrl = Bun.argv[2];
try {
  const passed = await runScenario({ tokenmint, baseUrl });
  console.log(`bun ${Bun.version}: ${passed.length} scenario checks passed`);
  const prism = await runPrismServerScenario({ server, emulator });
  console.log(`bun ${Bun.version}: ${prism.length} Prism server checks passed`);
} catch (err) {
  console.error(`bun ${Bun.version}: smoke scenario FAILED\n${err?.stack ?? err}`);
  process.exit(1);
}
