// A visitor's clock is not the Worker's. The widget counts a token's life from `expiresIn` on its own
// clock when the answer arrives, so a page clock an hour fast or slow still gets tokens and refreshes
// them before the Worker's own expiry. Playwright's clock shifts the page's Date and timers, which keep
// running in real time; the Worker runs on the real clock.
import { emulator, expect, playgroundLog, probe, test, widget, workerUrl, type Probe } from './_fixtures.ts';

const HOUR = 3_600_000;

test.beforeEach(async () => {
  await emulator('DELETE', '/faults');
  await emulator('POST', '/reset', {});
});

for (const [label, skew] of [
  ['1 h fast', HOUR],
  ['1 h slow', -HOUR],
] as const) {
  test(`page clock ${label}: both widgets get tokens and refresh them in time`, async ({ page }) => {
    await page.clock.install({ time: Date.now() + skew });
    await page.goto(`${workerUrl()}/?session=4&upstream=4`); // 4 s tokens: a refresh every ~3 s
    const probes: Probe[] = [];
    await expect(async () => {
      probes.push(await probe(page, 'session'), await probe(page, 'upstream'));
      const log = await playgroundLog(page);
      for (const mode of ['session', 'upstream']) expect(log.filter((e) => e.mode === mode && e.type === 'refresh').length).toBeGreaterThanOrEqual(2);
    }).toPass({ intervals: [500], timeout: 20_000 });

    const log = await playgroundLog(page);
    expect(log.filter((e) => ['error', 'widget-error', 'expired', 'late'].includes(e.type))).toEqual([]);
    for (const mode of ['session', 'upstream']) {
      const tokens = log.filter((e) => e.mode === mode && (e.type === 'issued' || e.type === 'refresh'));
      // On the page's clock: each token is due to end at most the 4 s granted after it arrived, and its
      // successor came before that.
      for (const [i, token] of tokens.entries()) {
        expect(token.expiresAt! - token.at).toBeGreaterThan(0);
        expect(token.expiresAt! - token.at).toBeLessThanOrEqual(4_000);
        if (i > 0) expect(token.at).toBeLessThan(tokens[i - 1]!.expiresAt!);
      }
    }
    expect(probes.filter((p) => !p.ok || p.left <= 0 || p.left > 4_000)).toEqual([]);
    await expect(widget(page, 'session')).toHaveAttribute('data-state', 'ready');
    await expect(widget(page, 'upstream')).toHaveAttribute('data-state', 'ready');
  });
}
