import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demo, startSabor, type Sabor } from './harness';

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
  sabor = await startSabor();
  const signedIn = await signIn('/account');
  sessionCookie = signedIn.cookie;
});
afterAll(async () => {
  await sabor.stop();
});

/**
 * Posts a form as this site's page does without JavaScript (its Origin, asking for HTML), without
 * following the redirect.
 */
function postForm(path: string, fields: Record<string, string>, cookie?: string) {
  return fetch(`${sabor.origin}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      origin: sabor.origin,
      accept: 'text/html',
      'content-type': 'application/x-www-form-urlencoded',
      ...(cookie && { cookie }),
    },
    body: new URLSearchParams(fields),
  });
}

async function signIn(next: string): Promise<{ location: string | null; cookie: string }> {
  const response = await postForm('/login', { ...demo.resident, next });
  expect(response.status).toBe(303);
  const cookie = response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return { location: response.headers.get('location'), cookie };
}

/** Where a browser goes after following `location` from this site. */
function destination(location: string | null): string {
  expect(location).not.toBeNull();
  return new URL(location ?? '', sabor.origin).origin;
}

describe('redirect targets stay on the site', () => {
  it.each(offSiteTargets)('/language with redirectTo=%j', async (target) => {
    const response = await postForm('/language', { locale: 'en', redirectTo: target });
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
    const language = await postForm('/language', {
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
