// Bundle budgets of issue #8, gzip level 9 of an esbuild-minified bundle (bench/lib/sizes.mjs measures them
// the same way for `npm run bench`):
//   tokenmint/widget, whole entry, for browsers        ≤ 5,952 B (the figure issue 16 reached; its 4,096 B target is not met yet) (skipped only while src/widget/index.ts is absent)
// The mint Worker script's budget (28 KiB gzip) is held by tests/node/worker-deploy.test.ts, on the bundle
// `wrangler deploy --dry-run` makes.
import { existsSync } from 'node:fs';
import { expect, test } from 'vitest';
import { BUDGETS, bundleSize, WIDGET_ENTRY } from '../../bench/lib/sizes.mjs';
import { ROOT } from '../../scripts/size.mjs';

const hasWidget = existsSync(`${ROOT}${WIDGET_ENTRY}`);

test.skipIf(!hasWidget)(`tokenmint/widget bundle is at most ${BUDGETS.widget} B gzip`, async () => {
  const size = await bundleSize(WIDGET_ENTRY);
  console.log(`size: ${WIDGET_ENTRY} ${size.gzip} B gzip / ${size.raw} B min (budget ${BUDGETS.widget} B)`);
  expect(size.gzip).toBeLessThanOrEqual(BUDGETS.widget);
});
