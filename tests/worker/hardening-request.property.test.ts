// Issue #9 part 4 (Worker side): the request parser (src/worker/http/request.ts) and the whole Worker under
// arbitrary requests. The parser returns a well-formed TokenRequest or throws a MintProblem with one
// of its five codes, the same one for the same request; the Worker answers every arbitrary request
// with a 2xx or a problem+json whose status matches its code's, never an internal_error.
import { env } from 'cloudflare:test';
import fc from 'fast-check';
import { afterAll, expect, it } from 'vitest';
import { MintProblem, PROBLEMS } from '../../src/worker/http/problem.js';
import { readTokenRequest } from '../../src/worker/http/request.js';
import { report } from './_hardening-worker.js';
import { EVIL_ORIGIN, ORIGIN, OTHER_ORIGIN, harness } from './_mint-helpers.js';

const RUNS = (env as { TOKENMINT_HARDENING?: string }).TOKENMINT_HARDENING === 'full' ? 5_000 : 300;
const PARSER_CODES = new Set(['unsupported_media_type', 'payload_too_large', 'malformed_json', 'unknown_field', 'invalid_request']);
const figures: Record<string, Record<string, number>> = { parser: {}, worker: {} };
afterAll(() => report('worker-properties', { runs: RUNS, outcomes: figures }));

const value = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.jsonValue({ maxDepth: 2 }), fc.constantFrom('checkout', 'widget', 'kite', 'checkout vault', '__proto__', 'constructor', 1, 300, 1e400));
const shaped = fc
  .record({ profile: value, scope: value, expiresIn: value, extra: value }, { requiredKeys: [] })
  .chain((fields) => fc.constantFrom(fields, { ...fields, extra: undefined }))
  .map((fields) => JSON.stringify(fields).replace('1e400', 'Infinity'));
/** Close to valid: known fields of (mostly) the right types, so the parser's success path runs too. */
const nearlyValid = fc
  .record(
    { profile: fc.oneof(fc.constantFrom('checkout', 'widget', 'kite', 'nope'), fc.string({ maxLength: 70 })), scope: fc.oneof(fc.constantFrom('checkout', 'checkout vault', 'admin'), fc.string({ maxLength: 1100 })), expiresIn: fc.oneof(fc.integer({ min: -5, max: 100_000 }), fc.double()) },
    { requiredKeys: ['profile'] },
  )
  .map((fields) => JSON.stringify(fields));
const body = fc.oneof(
  { weight: 4, arbitrary: nearlyValid },
  { weight: 4, arbitrary: shaped },
  { weight: 1, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: fc.string({ maxLength: 3000 }) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 2500 }) },
  { weight: 1, arbitrary: fc.constant('x'.repeat(2049)) },
);
const contentType = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom('application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON;CHARSET="UTF-8"') },
  { weight: 1, arbitrary: fc.constantFrom('text/plain', 'application/json; charset=latin1', 'application/jsonx', '', 'multipart/form-data') },
  { weight: 1, arbitrary: fc.string().filter((s) => /^[\t\x20-\x7e]*$/.test(s)) },
);
const contentLength = fc.option(fc.oneof(fc.nat({ max: 5000 }).map(String), fc.string().filter((s) => /^[\x20-\x7e]*$/.test(s))), { nil: undefined });

const request = (b: string | Uint8Array, type: string | undefined, length: string | undefined, origin: string | undefined, method = 'POST'): Request => {
  const headers = new Headers({ 'cf-connecting-ip': '203.0.113.9' });
  if (type !== undefined) headers.set('content-type', type);
  if (length !== undefined) headers.set('content-length', length);
  if (origin !== undefined) headers.set('origin', origin);
  return new Request('https://mint.example/v1/tokens', { method, headers, body: method === 'GET' || method === 'HEAD' ? null : b });
};

const count = (where: string, key: string): void => void (figures[where]![key] = (figures[where]![key] ?? 0) + 1);

it(`readTokenRequest: ${RUNS} arbitrary requests → a well-formed request or one of five stable problems`, async () => {
  await fc.assert(
    fc.asyncProperty(body, fc.option(contentType, { nil: undefined }), contentLength, async (b, type, length) => {
      const outcome = async (): Promise<string> => {
        try {
          const parsed = await readTokenRequest(request(b, type, length, ORIGIN));
          expect(Object.keys(parsed).every((key) => ['profile', 'scope', 'expiresIn'].includes(key))).toBe(true);
          expect(typeof parsed.profile === 'string' && parsed.profile.length >= 1 && parsed.profile.length <= 64).toBe(true);
          if (parsed.scope !== undefined) expect(typeof parsed.scope === 'string' && parsed.scope.length <= 1024).toBe(true);
          if (parsed.expiresIn !== undefined) expect(Number.isInteger(parsed.expiresIn) && parsed.expiresIn >= 1).toBe(true);
          return 'ok';
        } catch (error) {
          if (!(error instanceof MintProblem)) throw new Error(`not a problem: ${String(error)}`);
          expect(PARSER_CODES.has(error.code), error.code).toBe(true);
          return error.code;
        }
      };
      const first = await outcome();
      expect(await outcome()).toBe(first);
      count('parser', first);
    }),
    { numRuns: RUNS },
  );
}, 120_000);

it(`the Worker: ${RUNS} arbitrary requests → 2xx or a problem whose status is its code's, never internal_error`, async () => {
  const h = await harness();
  const origin = fc.option(
    fc.oneof({ weight: 6, arbitrary: fc.constant(ORIGIN) }, { weight: 2, arbitrary: fc.constantFrom(OTHER_ORIGIN, EVIL_ORIGIN, 'null', '') }, { weight: 1, arbitrary: fc.string().filter((s) => /^[\x20-\x7e]*$/.test(s)) }),
    { nil: undefined, freq: 8 },
  );
  const method = fc.oneof({ weight: 8, arbitrary: fc.constant('POST') }, { weight: 1, arbitrary: fc.constantFrom('GET', 'PUT', 'DELETE', 'OPTIONS', 'PATCH') });
  let ip = 0;
  await fc.assert(
    fc.asyncProperty(body, fc.option(contentType, { nil: undefined }), contentLength, origin, method, async (b, type, length, o, m) => {
      const r = request(b, type, length, o, m);
      r.headers.set('cf-connecting-ip', `10.0.${(++ip >> 8) & 255}.${ip & 255}`);
      const response = await h.call(r);
      if (response.status < 300) return void count('worker', String(response.status));
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      const problem = (await response.json()) as { code: keyof typeof PROBLEMS; status: number };
      expect(problem.code in PROBLEMS, problem.code).toBe(true);
      expect([problem.status, response.status]).toEqual([PROBLEMS[problem.code][0], PROBLEMS[problem.code][0]]);
      expect(problem.code).not.toBe('internal_error');
      expect(response.headers.get('cache-control')).toBe('no-store');
      count('worker', problem.code);
    }),
    { numRuns: RUNS },
  );
}, 120_000);
