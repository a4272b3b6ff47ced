// What the API tests share: dates relative to now, and consultations made through the admin API
// in each state, a second instance of an app. Live sockets and published events are in
// src/live/test-client.ts.
import type { Consultation } from '@sabor/contracts';
import { buildTestApp, type TestApp } from './helper';

export const hour = 60 * 60 * 1000;
export const day = 24 * hour;

/** The ISO time `days` days from now (negative: in the past). */
export const inDays = (days: number) => new Date(Date.now() + days * day).toISOString();
/** The ISO time `hours` hours from now (negative: in the past). */
export const inHours = (hours: number) => new Date(Date.now() + hours * hour).toISOString();

/** The body of a valid new consultation that opens tomorrow for 30 days; `overrides` replace fields. */
export function consultationInput(overrides: Record<string, unknown> = {}) {
  return {
    titleBg: 'Наредба за обществения ред',
    titleEn: 'Public order ordinance',
    summary: 'Проект на наредба.',
    body: '# Проект\n\nЧлен 1. Текст.',
    category: 'regulation',
    responsibleUnit: 'Дирекция „Устойчиво развитие и евроинтеграция“',
    contactEmail: 'konsultacii@example.bg',
    opensAt: inDays(1),
    closesAt: inDays(31),
    ...overrides,
  };
}

/** Creates a draft consultation (opening tomorrow) as the admin whose session cookie is given. */
export async function draftConsultation(
  t: TestApp,
  adminCookie: string,
  overrides: Record<string, unknown> = {},
): Promise<Consultation> {
  const created = await t.inject({
    method: 'POST',
    url: '/api/admin/consultations',
    cookie: adminCookie,
    payload: consultationInput(overrides),
  });
  if (created.statusCode !== 201) throw new Error(`create failed: ${created.body}`);
  return created.json();
}

/** Publishes a draft: it is scheduled, or open when its opening time has passed. */
export async function publishConsultation(
  t: TestApp,
  adminCookie: string,
  id: string,
): Promise<Consultation> {
  const published = await t.inject({
    method: 'POST',
    url: `/api/admin/consultations/${id}/publish`,
    cookie: adminCookie,
  });
  if (published.statusCode !== 200) throw new Error(`publish failed: ${published.body}`);
  return published.json();
}

/** A consultation open now: published with an opening time in the past, closing in 40 days. */
export async function openConsultation(
  t: TestApp,
  adminCookie: string,
  overrides: Record<string, unknown> = {},
): Promise<Consultation> {
  const draft = await draftConsultation(t, adminCookie, {
    opensAt: inDays(-1),
    closesAt: inDays(40),
    ...overrides,
  });
  return publishConsultation(t, adminCookie, draft.id);
}

/** Closes a consultation early, as an admin does when a draft law is withdrawn. */
export async function closeConsultation(
  t: TestApp,
  adminCookie: string,
  id: string,
  reason = 'Край.',
): Promise<Consultation> {
  const closed = await t.inject({
    method: 'POST',
    url: `/api/admin/consultations/${id}/close`,
    cookie: adminCookie,
    payload: { reason },
  });
  if (closed.statusCode !== 200) throw new Error(`close failed: ${closed.body}`);
  return closed.json();
}

/** A second instance of the app on `t`'s PostgreSQL database, listening on a port of its own. */
export async function secondInstance(t: TestApp): Promise<TestApp> {
  const other = await buildTestApp({}, undefined, { databaseUrl: t.config.databaseUrl! });
  await other.app.listen({ port: 0, host: '127.0.0.1' });
  return other;
}
