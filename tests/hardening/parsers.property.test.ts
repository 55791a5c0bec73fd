// Issue #9 part 4 (library side): for every response parser — the generic processTokenResponse, each
// provider's flow, the widget's worker flow — arbitrary statuses, headers and bodies end in a usable
// token or a TokenError with a known code; the same answer always gives the same code; 429 is always
// rate_limited, 5xx always upstream_error; retryAfter is a whole number of seconds; no message or
// cause quotes a planted secret the body echoed.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { OAUTH_ERROR_CODES, TokenError, createTokenStore, type TokenErrorCode, type TokenFlow } from '../../src/core/index.js';
import { processTokenResponse } from '../../src/core/kit.js';
import { createEmulator } from '../../src/emulator/index.js';
import { workerFlow } from '../../src/widget/worker-flow.js';
import { answering, answers, type Answer } from './_arbitraries.js';
import { _report, size } from './_figures.js';
import { FLOWS } from './_flows.js';
import { plantedEmulatorOptions, SECRET } from './_planted.js';
import { errorTexts, forbiddenForms, scan } from './_scan.js';

const RUNS = size(60, 2_000);
const TIMEOUT = size(30_000, 900_000);
const CODES: ReadonlySet<TokenErrorCode> = new Set([...OAUTH_ERROR_CODES, 'network', 'timeout', 'rate_limited', 'invalid_response', 'upstream_error']);
const counts: Record<string, { runs: number; tokens: number; errors: Record<string, number> }> = {};
afterAll(() => _report('properties-library', { runsPerParser: RUNS, parsers: counts }));

type Outcome = { token: true } | { code: string; retryAfter: number | undefined; texts: string[] };

/** One answer through a fresh store and flow (no transport retries: one answer, one outcome). */
async function outcome(build: () => TokenFlow, answer: Answer): Promise<Outcome> {
  const store = createTokenStore({ fetch: answering(answer), http: { retries: 0 } });
  try {
    const token = await store.source(build()).get();
    expect(token.accessToken).toEqual(expect.any(String));
    expect(token.accessToken.length).toBeGreaterThan(0);
    expect(Number.isFinite(token.expiresAt) && token.expiresAt > Date.now()).toBe(true);
    return { token: true };
  } catch (error) {
    if (!(error instanceof TokenError)) throw new Error(`not a TokenError: ${String(error)}`);
    return { code: error.code, retryAfter: error.retryAfter, texts: errorTexts(error) };
  } finally {
    store.dispose();
  }
}

function record(name: string, result: Outcome): void {
  const entry = (counts[name] ??= { runs: 0, tokens: 0, errors: {} });
  entry.runs++;
  if ('token' in result) entry.tokens++;
  else entry.errors[result.code] = (entry.errors[result.code] ?? 0) + 1;
}

function checkOutcome(result: Outcome, answer: Answer, forbidden: readonly string[]): void {
  if ('token' in result) return;
  expect(CODES.has(result.code as TokenErrorCode), result.code).toBe(true);
  if (answer.status === 429) expect(result.code).toBe('rate_limited');
  if (answer.status >= 500) expect(result.code).toBe('upstream_error');
  if (result.retryAfter !== undefined) expect(Number.isInteger(result.retryAfter) && result.retryAfter >= 0).toBe(true);
  expect(scan('error', result.texts, forbidden)).toEqual([]);
}

const emulator = createEmulator(plantedEmulatorOptions());

describe.each(FLOWS)('$name', (row) => {
  const paths = [row.token, row.lifetime.path, ...(row.tokenType ? [row.tokenType] : [['token_type']])];
  const forbidden = forbiddenForms(row.secrets);
  it(`${RUNS} arbitrary answers: a token or a stable, typed error`, async () => {
    // Primed rows need their emulator state; here the flow is built once per answer, unprimed.
    const build = async () => (await row.build(emulator)).flow;
    await fc.assert(
      fc.asyncProperty(answers(paths, row.secrets), async (answer) => {
        const flowA = await build();
        const flowB = await build();
        const first = await outcome(() => flowA, answer);
        const second = await outcome(() => flowB, answer);
        expect('token' in second ? 'token' : second.code).toBe('token' in first ? 'token' : first.code);
        checkOutcome(first, answer, forbidden);
        record(row.name, first);
      }),
      { numRuns: RUNS },
    );
  }, TIMEOUT);
});

it(`processTokenResponse: ${RUNS * 5} arbitrary responses, never anything but a TokenError`, () => {
  const request = { provider: 'oauth2', url: 'https://auth.example/token', headers: {}, body: '', secrets: [SECRET.oauth2] };
  const forbidden = forbiddenForms([SECRET.oauth2]);
  fc.assert(
    fc.property(answers([['access_token'], ['token_type'], ['expires_in'], ['scope'], ['refresh_token'], ['refresh_token_expires_in']], [SECRET.oauth2]), fc.constantFrom(undefined, ['bearer'], ['bearer', 'n_a'], ['mac']), (answer, tokenTypes) => {
      const response = { status: answer.status, headers: new Headers(answer.headers), text: answer.body ?? '' };
      // One `now` for both runs: a Retry-After date becomes ms from now, so two readings of the real clock
      // a millisecond apart made the same answer look unstable (seen under load, full size).
      const now = Date.now();
      const run = (): Outcome => {
        try {
          const token = processTokenResponse(request, response, { now, ...(tokenTypes ? { tokenTypes } : {}) });
          expect(token.expiresAt).toBeGreaterThan(now - 1);
          expect(Number.isFinite(token.expiresAt)).toBe(true);
          return { token: true };
        } catch (error) {
          if (!(error instanceof TokenError)) throw new Error(`not a TokenError: ${String(error)}`);
          return { code: error.code, retryAfter: error.retryAfter, texts: errorTexts(error) };
        }
      };
      const first = run();
      const second = run();
      expect('token' in second ? 'token' : [second.code, second.retryAfter]).toEqual('token' in first ? 'token' : [first.code, first.retryAfter]);
      checkOutcome(first, answer, forbidden);
      record('processTokenResponse', first);
    }),
    { numRuns: RUNS * 5 },
  );
}, TIMEOUT);

it(`widget workerFlow: ${RUNS} arbitrary Worker answers`, async () => {
  const paths = [['accessToken'], ['tokenType'], ['expiresAt'], ['expiresIn'], ['scope'], ['code'], ['title']];
  await fc.assert(
    fc.asyncProperty(answers(paths, []), async (answer) => {
      const build = () => workerFlow({ endpoint: 'https://mint.example/v1/tokens', profile: 'checkout' });
      const first = await outcome(build, answer);
      const second = await outcome(build, answer);
      expect('token' in second ? 'token' : second.code).toBe('token' in first ? 'token' : first.code);
      checkOutcome(first, answer, []);
      record('widget workerFlow', first);
    }),
    { numRuns: RUNS },
  );
}, TIMEOUT);
