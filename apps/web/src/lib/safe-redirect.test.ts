import { describe, expect, it } from 'vitest';
import { safeRedirectPath } from './safe-redirect';

describe('safeRedirectPath', () => {
  it('keeps paths on this site with their query and hash', () => {
    expect(safeRedirectPath('/account/sessions?x=1#top')).toBe('/account/sessions?x=1#top');
  });

  it.each([
    'https://evil.example/',
    '//evil.example/path',
    '/\\evil.example',
    '\\\\evil.example',
    '/\t/evil.example',
    'javascript:alert(1)',
    'account',
    '',
  ])('refuses %j', (value) => {
    expect(safeRedirectPath(value)).toBe('/');
  });

  it('uses the fallback for missing values', () => {
    expect(safeRedirectPath(null, '/account')).toBe('/account');
    expect(safeRedirectPath(undefined, '/account')).toBe('/account');
  });

  it('normalises dot segments without leaving the site', () => {
    expect(safeRedirectPath('/a/../../b')).toBe('/b');
    expect(safeRedirectPath('/a/./b/%2e%2e/c?x=1')).toBe('/a/c?x=1');
    // An encoded backslash stays encoded: browsers do not read it as a slash.
    expect(safeRedirectPath('/./%5Cevil.test')).toBe('/%5Cevil.test');
  });

  // Dot segments collapse when the path is resolved, so these are single-slash paths as written but
  // would come out as "//evil.test": a protocol-relative address of another site.
  it.each([
    '/.//evil.test',
    '/.//evil.test/path?x=1',
    '/a/..//evil.test',
    '/a/b/../..//evil.test',
    '/%2e//evil.test',
    '/%2E//evil.test',
    '/%2e%2e//evil.test',
    '/.%2e//evil.test',
    '/a/%2e%2e//evil.test',
    '/./\\evil.test',
    '/.//\\evil.test',
  ])('refuses %j, which normalises to another site', (value) => {
    expect(safeRedirectPath(value)).toBe('/');
    // Whatever comes back stays on this site when a browser resolves it.
    const site = 'https://sabor.example';
    expect(new URL(safeRedirectPath(value), site).origin).toBe(site);
  });
});
