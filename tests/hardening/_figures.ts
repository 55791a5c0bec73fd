// Where the hardening suites put their figures: `.cache/hardening/<name>.json` (and .md for tables),
// plus one `HARDENING <name> <json>` line on stdout that scripts/test-hardening.mjs collects.
// Sizes: `TOKENMINT_HARDENING=full` (npm run test:hardening) or the reduced ones of `npm test`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const FULL = process.env.TOKENMINT_HARDENING === 'full';

/** The reduced size in `npm test`, the full one under `npm run test:hardening`. */
export const size = (reduced: number, full: number): number => (FULL ? full : reduced);

const DIR = fileURLToPath(new URL('../../.cache/hardening/', import.meta.url));

/** Records a figure set: a JSON file, an optional Markdown file, one stdout line. */
export function _report(name: string, figures: Record<string, unknown>, markdown?: string): void {
  mkdirSync(DIR, { recursive: true });
  const data = { name, full: FULL, at: new Date(performance.timeOrigin + performance.now()).toISOString(), ...figures };
  writeFileSync(`${DIR}${name}.json`, `${JSON.stringify(data, null, 2)}\n`);
  if (markdown !== undefined) writeFileSync(`${DIR}${name}.md`, markdown);
  console.log(`HARDENING ${name} ${JSON.stringify(data)}`);
}
