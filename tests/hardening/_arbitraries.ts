// fast-check arbitraries for upstream answers: statuses, headers (Date, Retry-After, lengths, types) and
// bodies — raw text, any JSON, and objects shaped like a row's success or error body whose every field
// holds anything (wrong types, huge, negative, numeric strings, dates, a planted secret inside text).
import fc from 'fast-check';

export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string | null;
}

/** Statuses that may carry a body, weighted toward those the parsers branch on. */
const status = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(200, 201, 400, 401, 403, 404, 408, 429, 500, 502, 503, 504) },
  { weight: 1, arbitrary: fc.integer({ min: 200, max: 599 }).filter((s) => s !== 204 && s !== 205 && s !== 304) },
);

/** Text that sometimes carries one of `secrets`, as an upstream echoing its input would. */
export const textWith = (secrets: readonly string[]): fc.Arbitrary<string> =>
  secrets.length === 0 ? fc.string() : fc.oneof(fc.string(), fc.tuple(fc.string(), fc.constantFrom(...secrets), fc.string()).map((parts) => parts.join('')));

/** A value for any field: the right type or not. */
export const anyField = (secrets: readonly string[]): fc.Arbitrary<unknown> =>
  fc.oneof(
    textWith(secrets),
    fc.integer(),
    fc.double(),
    fc.constantFrom(0, -1, 1e308, 99_999_999_999, 1_000_000_000, 3600, '3600', '1e3', ' 60 ', 'bearer', 'Bearer', 'mac', 'n_a', ''),
    fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
    fc.date({ noInvalidDate: true }).map((d) => d.toISOString().replace('Z', '+0000')),
    fc.boolean(),
    fc.constant(null),
    fc.jsonValue({ maxDepth: 2 }),
  );

const setPath = (target: Record<string, unknown>, path: readonly string[], value: unknown): void => {
  let holder = target;
  for (const key of path.slice(0, -1)) holder = (holder[key] ??= {}) as Record<string, unknown>;
  holder[path.at(-1)!] = value;
};

/** An object with (some of) the given field paths, each holding anything. */
export function shapedBody(paths: readonly (readonly string[])[], secrets: readonly string[]): fc.Arbitrary<string> {
  return fc.tuple(...paths.map(() => fc.option(anyField(secrets), { nil: undefined, freq: 4 }))).map((values) => {
    const body: Record<string, unknown> = {};
    values.forEach((value, i) => value !== undefined && setPath(body, paths[i]!, value));
    return JSON.stringify(body);
  });
}

/** The error fields every provider reads somewhere. */
export const ERROR_PATHS: readonly string[][] = [
  ['error'], ['error_description'], ['code'], ['message'], ['name'], ['error_code'], ['detailed_error_code'], ['detailed_error_description'],
  ['ResultInfo', 'ResultCode'], ['ResultInfo', 'AdditionalInfo'], ['title'], ['status'],
];

export function answers(successPaths: readonly (readonly string[])[], secrets: readonly string[]): fc.Arbitrary<Answer> {
  const body = fc.oneof(
    { weight: 4, arbitrary: shapedBody(successPaths, secrets) },
    { weight: 2, arbitrary: shapedBody(ERROR_PATHS, secrets) },
    { weight: 1, arbitrary: fc.jsonValue().map((value) => JSON.stringify(value)) },
    { weight: 1, arbitrary: textWith(secrets) },
    { weight: 1, arbitrary: fc.constant(null) },
  );
  const headers = fc.record(
    {
      date: fc.oneof(fc.date({ noInvalidDate: true, min: new Date(0), max: new Date(8e15) }).map((d) => d.toUTCString()), fc.string()),
      'retry-after': fc.oneof(fc.nat().map(String), fc.integer().map(String), fc.string(), fc.date({ noInvalidDate: true }).map((d) => d.toUTCString())),
      'content-type': fc.constantFrom('application/json', 'text/html', 'text/plain', 'application/json; charset=utf-8'),
      'content-length': fc.oneof(fc.nat().map(String), fc.string()),
    },
    { requiredKeys: [] },
  );
  return fc.record({ status, headers, body }).map((a) => {
    const printable = Object.fromEntries(Object.entries(a.headers).filter(([, v]) => /^[\t\x20-\x7e]*$/.test(v as string))) as Record<string, string>;
    return { ...a, headers: printable };
  });
}

/** A fetch that answers `answer` to every request. */
export const answering = (answer: Answer): typeof fetch => async () => new Response(answer.body, { status: answer.status, headers: answer.headers });
