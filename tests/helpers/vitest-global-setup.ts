// One loopback token server for the whole vitest run (node + workerd projects); tests read its URL with
// `inject('tokenServerUrl')`. Each scenario run uses its own /runs/<id>/ counters, so sharing is safe.
import type { TestProject } from 'vitest/node';
import { startTokenServer } from './token-server.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    tokenServerUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startTokenServer();
  project.provide('tokenServerUrl', server.url);
  return () => server.close();
}
