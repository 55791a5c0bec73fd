// `test` whose page fails the test on any uncaught exception or unhandled promise rejection, and
// helpers shared by the playground specs.
import { test as base, expect, type Page } from '@playwright/test';

declare global {
  interface Window {
    __unhandled: string[];
  }
}

export const test = base.extend({
  page: async ({ page }, use) => {
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    // Recorded in the page as well: a rejection nobody handles must never happen, even a handled-late one.
    await page.addInitScript(() => {
      window.__unhandled = [];
      addEventListener('unhandledrejection', (event) => window.__unhandled.push(`unhandledrejection: ${event.reason?.code ?? event.reason}`));
    });
    await use(page);
    const unhandled = await page.evaluate(() => window.__unhandled ?? []).catch(() => [] as string[]);
    expect([...problems, ...unhandled], 'uncaught errors in the page').toEqual([]);
  },
});
export { expect };

export const workerUrl = (): string => {
  const url = process.env.PLAYGROUND_URL;
  if (!url) throw new Error('PLAYGROUND_URL is set by tests/playground/_global-setup.ts');
  return url;
};

/** Calls the Worker's dev-only emulator control surface from the test. */
export async function emulator(method: string, path: string, body?: unknown): Promise<void> {
  const init: RequestInit = body === undefined ? { method } : { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
  const response = await fetch(`${workerUrl()}/__emulator${path}`, init);
  if (!response.ok) throw new Error(`${method} /__emulator${path}: ${response.status}`);
}

/** One entry of the playground's event log (window.playground.log): kinds, times and codes only. */
export interface LogEvent {
  mode: 'session' | 'upstream';
  type: 'start' | 'issued' | 'refresh' | 'late' | 'expired' | 'error' | 'widget-error';
  at: number;
  n?: number;
  expiresAt?: number;
  tokenType?: string;
  code?: string;
  status?: number;
  kept?: boolean;
}

export const playgroundLog = (page: Page): Promise<LogEvent[]> => page.evaluate(() => (window as unknown as { playground: { log: LogEvent[] } }).playground.log);

export type Probe = { ok: true; n: number; left: number } | { ok: false; code: string };
export const probe = (page: Page, mode: 'session' | 'upstream'): Promise<Probe> =>
  page.evaluate((m) => (window as unknown as { playground: { probe(mode: string): Promise<Probe> } }).playground.probe(m), mode);

/** The mock payment widget of a panel. */
export const widget = (page: Page, mode: 'session' | 'upstream') => page.locator(`.panel[data-mode="${mode}"] .widget`);
