// Secret scanning: every text a user could log from an error (message, stack, String(), JSON, and
// every own field to any depth: the cause chain, aggregated errors, objects), events, console output.
import { spellings } from './_planted.js';

/** Every logged form of `value`, following `cause` and `errors` (AggregateError) to any depth. */
export function errorTexts(value: unknown, seen: Set<unknown> = new Set()): string[] {
  if (value === null || value === undefined || seen.has(value)) return [];
  if (typeof value !== 'object' && typeof value !== 'function') return [String(value)];
  seen.add(value);
  const texts: string[] = [];
  const push = (read: () => unknown): void => {
    try {
      const text = read();
      if (typeof text === 'string') texts.push(text);
    } catch {
      // a getter that throws is not a leak
    }
  };
  push(() => String(value));
  push(() => JSON.stringify(value));
  const error = value as Error;
  push(() => error.message);
  push(() => error.stack);
  // Every own field, enumerable or not, to any depth: an Error inside a plain object stringifies as {}.
  for (const key of Object.getOwnPropertyNames(value)) {
    let field: unknown;
    try {
      field = (value as Record<string, unknown>)[key];
    } catch {
      continue;
    }
    if (typeof field === 'string') texts.push(field);
    else if (field !== null && typeof field === 'object') texts.push(...errorTexts(field, seen));
  }
  return texts;
}

/** The forbidden strings for a set of secret values: every spelling of each (empty and short ones skipped). */
export function forbiddenForms(values: Iterable<string>): string[] {
  const forms = new Set<string>();
  for (const value of values) if (value.length >= 8) for (const form of spellings(value)) forms.add(form);
  return [...forms];
}

export interface Hit {
  where: string;
  secret: string;
}

/** Which forbidden strings appear in which texts. */
export function scan(where: string, texts: readonly string[], forbidden: readonly string[]): Hit[] {
  const hits: Hit[] = [];
  for (const text of texts) for (const secret of forbidden) if (text.includes(secret)) hits.push({ where, secret: `${secret.slice(0, 12)}…` });
  return hits;
}

/** Records console.* calls (without printing them) for the duration of a test. */
export function captureConsole(spyOn: (object: Console, method: 'log' | 'info' | 'warn' | 'error' | 'debug') => { mockImplementation(fn: (...args: unknown[]) => void): unknown }): string[][] {
  const lines: string[][] = [];
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    spyOn(console, method).mockImplementation((...args: unknown[]) => void lines.push(args.flatMap((arg) => errorTexts(arg))));
  }
  return lines;
}
