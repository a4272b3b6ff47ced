import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, goodPassword, uniqueEmail, type TestApp } from '../../../test/helper';
import { startSmtp } from '../../../test/smtp-server';

let smtp: Awaited<ReturnType<typeof startSmtp>>;
let t: TestApp;
beforeAll(async () => {
  smtp = await startSmtp();
  t = await buildTestApp({
    SMTP_URL: smtp.url,
    MAIL_FROM: 'Община Стара Загора <no-reply@sabor.example>',
  });
});
afterAll(async () => {
  await t.close();
  await smtp.close();
});

describe('verification mail over SMTP', () => {
  it('reaches a real SMTP server after registration, in the person’s language, with a working link', async () => {
    const email = uniqueEmail();
    const registered = await t.inject({
      method: 'POST',
      url: '/api/auth/register',
      payload: { email, displayName: 'Пощенска Кутия', password: goodPassword, locale: 'en' },
    });
    expect(registered.statusCode).toBe(201);
    expect(await t.app.mailSender.deliverDue()).toBe(1);
    expect(smtp.received).toHaveLength(1);
    const [{ recipients, mail }] = smtp.received as [(typeof smtp.received)[number]];
    expect(recipients).toEqual([email]);
    expect(mail.from?.text).toContain('no-reply@sabor.example');
    expect(mail.subject).toMatch(/confirm/i);
    const token = /\/verify-email\?token=([a-z0-9]+)/.exec(mail.text ?? '')?.[1];
    expect(token).toBeDefined();
    expect(mail.html).toContain(`/verify-email?token=${token}`);
    const verified = await t.inject({
      method: 'POST',
      url: '/api/auth/verify-email',
      payload: { token },
    });
    expect(verified.statusCode).toBe(200);
  });
});
