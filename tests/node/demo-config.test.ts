// scripts/lib/demo-config.mjs: `npm start` on another port (PORT, or the Playwright setup's free port)
// moves the demo profiles' loopback origins and the issuer to that port, and changes nothing else.
import { describe, expect, it } from 'vitest';
import { demoConfigForPort, readDemoConfig } from '../../scripts/lib/demo-config.mjs';

describe('demo config for another port', () => {
  it('reads TOKENMINT_CONFIG of wrangler.toml, whose demo profiles allow port 8787', () => {
    const config = readDemoConfig();
    expect(config.profiles['demo-session'].allowedOrigins).toEqual(['http://127.0.0.1:8787', 'http://localhost:8787']);
    expect(config.issuer).toBe('http://127.0.0.1:8787'); // required: a profile is in session mode
  });

  it('on 8787 there is nothing to override', () => {
    expect(demoConfigForPort('8787')).toBeUndefined();
  });

  it('moves only loopback :8787 origins, and keeps every other field', () => {
    const config = {
      devEmulator: { lifetimes: { paypal: 600 } },
      profiles: { a: { mode: 'session', allowedOrigins: ['http://127.0.0.1:8787', 'http://localhost:8787', 'https://shop.example', 'http://127.0.0.1:87870'] } },
    };
    const moved = demoConfigForPort(9100, config);
    expect(moved.profiles.a.allowedOrigins).toEqual(['http://127.0.0.1:9100', 'http://localhost:9100', 'https://shop.example', 'http://127.0.0.1:87870']);
    expect({ ...moved, profiles: { a: { ...moved.profiles.a, allowedOrigins: [] } } }).toEqual({ ...config, profiles: { a: { ...config.profiles.a, allowedOrigins: [] } } });
  });

  it('moves a loopback :8787 issuer too, and leaves any other alone', () => {
    const profiles = { a: { mode: 'session', allowedOrigins: ['http://127.0.0.1:8787'] } };
    expect(demoConfigForPort(9100, { issuer: 'http://127.0.0.1:8787', profiles }).issuer).toBe('http://127.0.0.1:9100');
    expect(demoConfigForPort(9100, { issuer: 'https://mint.shop.example', profiles }).issuer).toBe('https://mint.shop.example');
    expect(demoConfigForPort(9100, { profiles })).not.toHaveProperty('issuer');
  });

  it('gives up (no override) on a config it cannot read', () => {
    expect(readDemoConfig("TOKENMINT_CONFIG = '''{ not json'''")).toBeUndefined();
    expect(readDemoConfig('[vars]\nOTHER = "x"')).toBeUndefined();
  });
});
