// Size of the browser cost of a client_credentials TokenSource (the core alone: no valibot), gzip level 9.
// CI enforces the ceiling, the figure issue 16 reached; the 5,052 B target (oauth4webapi's program) is
// reported, not met yet (scripts/size.mjs says what is left).
import { expect, test } from 'vitest';
import { formatModules, GZIP_CEILING, GZIP_TARGET, measureSize } from '../../scripts/size.mjs';

const size = await measureSize();

test(`core client_credentials bundle: ${size.gzip} B gzip, ${size.raw} B minified (ceiling ≤ ${GZIP_CEILING} B; target ${GZIP_TARGET} B)`, () => {
  console.log(`size: ${size.entry} ${size.gzip} B gzip / ${size.raw} B min, ${size.inputs.length} modules; target ${GZIP_TARGET} B ${size.gzip < GZIP_TARGET ? 'met' : 'not met'}`);
  expect(size.inputs).toContain('src/core/index.ts');
  expect(size.gzip, `over the ceiling; minified bytes per module:\n${formatModules(size.modules)}`).toBeLessThanOrEqual(GZIP_CEILING);
});
