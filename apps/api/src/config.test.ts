import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

describe('configuration', () => {
  it('runs with no configuration at all on the embedded database', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.dataDir).toBe('./data');
    expect(config.seedDemo).toBe(true);
    expect(config.secureCookies).toBe(false);
  });

  it('turns the demo seed off by default on PostgreSQL', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://db/sabor' }).seedDemo).toBe(false);
  });

  it('uses secure cookies when the public origin is https', () => {
    const config = loadConfig({ PUBLIC_ORIGIN: 'https://sabor.starazagora.bg/' });
    expect(config.publicOrigin).toBe('https://sabor.starazagora.bg');
    expect(config.secureCookies).toBe(true);
  });

  it.each([
    ['PORT', 'eighty'],
    ['DATABASE_URL', 'mysql://x'],
    ['PUBLIC_ORIGIN', 'ftp://x'],
    ['SMTP_URL', 'not a url'],
    ['LOG_LEVEL', 'loud'],
    ['SITE_PRIMARY_COLOR', 'blue'],
  ])('stops with a message naming %s when it is invalid', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(name));
  });

  it('limits slow clients by default, enough for a 20 MB upload on a slow phone', () => {
    const { timeouts } = loadConfig({});
    // 20 MB in 10 minutes is about 280 kbit/s, a weak mobile uplink.
    expect(timeouts.requestMs).toBe(10 * 60 * 1000);
    expect(timeouts.headersMs).toBe(30 * 1000);
    expect(timeouts.keepAliveMs).toBe(72 * 1000);
  });

  it('refuses switching the request timeout off or a headers timeout past it', () => {
    expect(() => loadConfig({ REQUEST_TIMEOUT_MS: '0' })).toThrow(/REQUEST_TIMEOUT_MS/);
    expect(() => loadConfig({ REQUEST_TIMEOUT_MS: '5000', HEADERS_TIMEOUT_MS: '6000' })).toThrow(
      /HEADERS_TIMEOUT_MS/,
    );
  });

  it('refuses ADMIN_EMAIL without ADMIN_PASSWORD', () => {
    expect(() => loadConfig({ ADMIN_EMAIL: 'a@b.bg' })).toThrow(/ADMIN_PASSWORD/);
  });
});
