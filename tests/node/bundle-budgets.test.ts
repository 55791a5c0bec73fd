// Bundle budgets of issue #8, gzip level 9 of an esbuild-minified bundle (bench/lib/sizes.mjs measures them
// the same way for `npm run bench`). "KB" is read as KiB, as the core's 8,192 B ceiling (size.test.ts) is:
//   tokenmint/widget, whole entry, for browsers        ≤ 5,184 B (5 KiB + 64 B for tokens.fetch, issue 14) (skipped only while src/widget/index.ts is absent)
//   the mint Worker script (wrangler.toml main), for workerd ≤ 65,536 B
import { existsSync } from 'node:fs';
import { expect, test } from 'vitest';
import { BUDGETS, bundleSize, WIDGET_ENTRY, workerEntry, workerSize } from '../../bench/lib/sizes.mjs';
import { ROOT } from '../../scripts/size.mjs';

const hasWidget = existsSync(`${ROOT}${WIDGET_ENTRY}`);

test.skipIf(!hasWidget)(`tokenmint/widget bundle is at most ${BUDGETS.widget} B gzip`, async () => {
  const size = await bundleSize(WIDGET_ENTRY);
  console.log(`size: ${WIDGET_ENTRY} ${size.gzip} B gzip / ${size.raw} B min (budget ${BUDGETS.widget} B)`);
  expect(size.gzip).toBeLessThanOrEqual(BUDGETS.widget);
});

test(`the mint Worker script is at most ${BUDGETS.worker} B gzip`, async () => {
  const entry = workerEntry();
  expect(entry, 'wrangler.toml names a `main` that exists').toBeDefined();
  const size = await workerSize(entry);
  console.log(`size: ${entry} (workerd bundle) ${size.gzip} B gzip / ${size.raw} B min (budget ${BUDGETS.worker} B)`);
  expect(size.gzip).toBeLessThanOrEqual(BUDGETS.worker);
});
