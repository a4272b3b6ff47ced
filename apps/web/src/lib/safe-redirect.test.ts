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
  });
});
