// Size budget: the browser cost of a client_credentials TokenSource (core + valibot), gzip level 9.
import { expect, test } from 'vitest';
import { formatModules, GZIP_BUDGET, measureSize } from '../../scripts/size.mjs';

const size = await measureSize();

test(`core client_credentials bundle: ${size.gzip} B gzip, ${size.raw} B minified (budget < ${GZIP_BUDGET} B gzip)`, () => {
  console.log(`size: ${size.entry} ${size.gzip} B gzip / ${size.raw} B min, ${size.inputs.length} modules`);
  expect(size.inputs).toContain('src/core/index.ts');
  expect(size.gzip, `over budget; minified bytes per module:\n${formatModules(size.modules)}`).toBeLessThan(GZIP_BUDGET);
});
