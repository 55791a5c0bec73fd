#!/usr/bin/env node
// `npx tokenmint-prism [--port 8080] [--host 127.0.0.1] [--emulator]`: Prism's token RPC beside your
// backend. Config in TOKENMINT_PRISM_CONFIG (JSON), secrets in the environment variables it names.
import { TokenError } from '../core/index.js';
import { createEmulator, servePrism } from './serve.js';

const USAGE = 'usage: tokenmint-prism [--port <n>] [--host <address>] [--emulator]   (config: TOKENMINT_PRISM_CONFIG; see docs/prism-service.md)';

interface Platform {
  args: string[];
  env: Record<string, string | undefined>;
  exit(code: number): never;
  onStop(stop: () => void): void;
}

function platform(): Platform {
  const deno = (globalThis as { Deno?: { args: string[]; env: { toObject(): Record<string, string> }; exit(code: number): never; addSignalListener(s: string, f: () => void): void } }).Deno;
  if (deno !== undefined) return { args: deno.args, env: deno.env.toObject(), exit: deno.exit, onStop: (stop) => deno.addSignalListener('SIGTERM', stop) };
  const proc = (globalThis as { process?: { argv: string[]; env: Record<string, string | undefined>; exit(code: number): never; once(s: string, f: () => void): void } }).process!;
  return {
    args: proc.argv.slice(2),
    env: proc.env,
    exit: (code) => proc.exit(code),
    onStop: (stop) => {
      proc.once('SIGTERM', stop);
      proc.once('SIGINT', stop);
    },
  };
}

async function main(): Promise<void> {
  const { args, env, exit, onStop } = platform();
  let port = 8080;
  let hostname = '127.0.0.1';
  let emulator = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--emulator') emulator = true;
    else if (arg === '--port' && /^\d{1,5}$/.test(args[i + 1] ?? '')) port = Number(args[++i]);
    else if (arg === '--host' && args[i + 1] !== undefined) hostname = args[++i]!;
    else {
      console.error(USAGE);
      exit(2);
    }
  }
  try {
    const server = await servePrism({ config: env.TOKENMINT_PRISM_CONFIG, env, port, hostname, ...(emulator ? { emulator: createEmulator() } : {}) });
    console.log(`tokenmint-prism: listening on ${server.url}${emulator ? ' (emulated providers)' : ''}`);
    onStop(() => void server.close().then(() => exit(0)));
  } catch (error) {
    // Config errors name fields and variables, never values.
    console.error(`tokenmint-prism: ${error instanceof TokenError ? error.message : error instanceof Error ? error.name : 'failed to start'}`);
    exit(1);
  }
}

void main();
