// The demo profiles of wrangler.toml allow the page origins of port 8787 only, and name the Worker at
// http://127.0.0.1:8787 as the `issuer` of session tokens. On another port (PORT, or the free port the
// Playwright setup picks) the same config is handed to wrangler with those loopback origins and the
// issuer moved to that port, so the playground on that port is an allowed origin.
import { readFileSync } from 'node:fs';
import { ROOT } from './hermetic-env.mjs';

export const DEFAULT_PORT = '8787';
const LOOPBACK = /^http:\/\/(127\.0\.0\.1|localhost):8787$/;

/** TOKENMINT_CONFIG of wrangler.toml (a ''' JSON string), or undefined when it is not one. */
export function readDemoConfig(toml = readFileSync(`${ROOT}wrangler.toml`, 'utf8')) {
  const match = /^TOKENMINT_CONFIG\s*=\s*'''([\s\S]*?)'''/m.exec(toml);
  if (!match) return undefined;
  try {
    return JSON.parse(match[1]);
  } catch {
    return undefined;
  }
}

/** The config with loopback :8787 origins and issuer moved to `port`; undefined on 8787 or without a config. */
export function demoConfigForPort(port, config = readDemoConfig()) {
  if (String(port) === DEFAULT_PORT || config?.profiles === undefined) return undefined;
  const move = (origin) => origin.replace(LOOPBACK, `http://$1:${port}`);
  const profiles = Object.fromEntries(
    Object.entries(config.profiles).map(([name, profile]) => [name, { ...profile, allowedOrigins: (profile.allowedOrigins ?? []).map(move) }]),
  );
  return { ...config, ...(typeof config.issuer === 'string' ? { issuer: move(config.issuer) } : {}), profiles };
}
