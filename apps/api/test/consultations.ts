import type { Consultation } from '@sabor/contracts';
import type { TestApp } from './helper';

const day = 24 * 60 * 60 * 1000;

/** Creates a draft consultation (opening tomorrow) as the admin whose session cookie is given. */
export async function draftConsultation(t: TestApp, adminCookie: string): Promise<Consultation> {
  const inDays = (days: number) => new Date(Date.now() + days * day).toISOString();
  const created = await t.inject({
    method: 'POST',
    url: '/api/admin/consultations',
    cookie: adminCookie,
    payload: {
      titleBg: 'Наредба за паркирането',
      titleEn: 'Parking regulation',
      summary: 'Промени.',
      body: 'Текст.',
      category: 'regulation',
      responsibleUnit: 'Дирекция',
      contactEmail: 'konsultacii@example.bg',
      opensAt: inDays(1),
      closesAt: inDays(40),
    },
  });
  if (created.statusCode !== 201) throw new Error(`create failed: ${created.body}`);
  return created.json();
}
