import { beforeAll, describe, expect, it } from 'vitest';
import { cookiesOf, demo, postForm, type Sabor, sharedSabor } from './harness';

/** Targets that look like paths of this site but normalise to `//evil.test`, another site. */
const offSiteTargets = [
  '//evil.test',
  '/.//evil.test',
  '/a/..//evil.test',
  '/%2e//evil.test',
  '/%2e%2e//evil.test',
  '/./\\evil.test',
  'https://evil.test/',
];

let sabor: Sabor;
let sessionCookie: string;

beforeAll(async () => {
  sabor = sharedSabor();
  const signedIn = await signIn('/account');
  sessionCookie = signedIn.cookie;
});

async function signIn(next: string): Promise<{ location: string | null; cookie: string }> {
  const response = await postForm(sabor, '/login', { ...demo.resident, next });
  expect(response.status).toBe(303);
  const cookie = cookiesOf(response);
  return { location: response.headers.get('location'), cookie };
}

/** Where a browser goes after following `location` from this site. */
function destination(location: string | null): string {
  expect(location).not.toBeNull();
  return new URL(location ?? '', sabor.origin).origin;
}

describe('redirect targets stay on the site', () => {
  it.each(offSiteTargets)('/language with redirectTo=%j', async (target) => {
    const response = await postForm(sabor, '/language', { locale: 'en', redirectTo: target });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/');
    expect(destination(response.headers.get('location'))).toBe(sabor.origin);
  });

  it.each(offSiteTargets)('signing in at /login with next=%j', async (target) => {
    const { location } = await signIn(target);
    expect(location).toBe('/account');
    expect(destination(location)).toBe(sabor.origin);
  });

  it.each(offSiteTargets)('/login?next=%j when already signed in', async (target) => {
    const response = await fetch(`${sabor.origin}/login?next=${encodeURIComponent(target)}`, {
      redirect: 'manual',
      headers: { accept: 'text/html', cookie: sessionCookie },
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/account');
    expect(destination(response.headers.get('location'))).toBe(sabor.origin);
  });

  it('still follows a path of this site', async () => {
    const language = await postForm(sabor, '/language', {
      locale: 'bg',
      redirectTo: '/consultations?x=1',
    });
    expect(language.headers.get('location')).toBe('/consultations?x=1');
    expect((await signIn('/account/sessions')).location).toBe('/account/sessions');
    const signedIn = await fetch(`${sabor.origin}/login?next=%2Fevents`, {
      redirect: 'manual',
      headers: { accept: 'text/html', cookie: sessionCookie },
    });
    expect(signedIn.headers.get('location')).toBe('/events');
  });
});
