// Plumbing shared by the bench sections, each of which runs as its own Node process (bench/run.mjs bundles
// and starts them): options come in as JSON in argv[2], the result goes out as JSON to the file in argv[3]
// (not stdout, which libraries may write to).
import { writeFileSync } from 'node:fs';

/** @param {(options: { quick: boolean }) => Promise<unknown>} body */
export async function section(body) {
  const options = JSON.parse(process.argv[2] ?? '{}');
  const out = process.argv[3];
  const result = await body({ quick: false, ...options });
  if (out) writeFileSync(out, JSON.stringify(result, null, 2));
  else console.log(JSON.stringify(result, null, 2));
  // Libraries may leave unref'd timers or open handles; the section is done.
  process.exit(0);
}
