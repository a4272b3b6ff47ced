import { createServer, type AddressInfo } from 'node:net';
import {
  createDatabase,
  createMigratedTestDatabase,
  outboxMails,
  type Database,
  type DatabaseHandle,
  type TestDatabase,
} from '@sabor/db';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startSmtp } from '../../../test/smtp-server';
import { enqueueMail } from './outbox';
import { MailSender, retryDelayMs, type MailLogger } from './sender';
import { action, p, type ComposedMail } from './render';

let testDb: TestDatabase;
let handle: DatabaseHandle;
let db: Database;

beforeAll(async () => {
  testDb = await createMigratedTestDatabase();
  handle = createDatabase({ databaseUrl: testDb.databaseUrl, dataDir: testDb.dataDir });
  db = handle.db;
});

afterAll(async () => {
  await handle.close();
  await testDb.drop();
});

beforeEach(async () => {
  await db.delete(outboxMails);
});

function collectingLogger() {
  const lines: { level: string; details: Record<string, unknown>; message: string }[] = [];
  const at = (level: string) => (details: Record<string, unknown>, message: string) => {
    lines.push({ level, details, message });
  };
  const logger: MailLogger = { info: at('info'), warn: at('warn'), error: at('error') };
  return { logger, lines };
}

const from = 'Община Стара Загора <no-reply@sabor.example>';
const verifyUrl = (token: string) => `https://sabor.example/verify-email?token=${token}`;

/** A mail with a link, as a feature would compose it (the features' own words are tested beside them). */
const linkMail = (to: string, locale: 'bg' | 'en'): ComposedMail => ({
  displayName: 'Мария',
  content: {
    title: locale === 'bg' ? 'Проверка на пощата' : 'Mail check',
    blocks: [action(locale === 'bg' ? 'Отваряне' : 'Open', verifyUrl(to))],
  },
});

function queue(to: string, locale: 'bg' | 'en', mail?: ComposedMail) {
  return enqueueMail(db, {
    to,
    locale,
    siteName: locale === 'bg' ? 'Община Стара Загора' : 'Stara Zagora Municipality',
    mail: mail ?? linkMail(to, locale),
  });
}

async function rowOf(id: string) {
  const [row] = await db
    .select({
      mail: outboxMails,
      retryLater: sql<boolean>`${outboxMails.nextAttemptAt} > now()`.mapWith(Boolean),
    })
    .from(outboxMails)
    .where(eq(outboxMails.id, id));
  if (!row) throw new Error(`no outbox row ${id}`);
  return { ...row.mail, retryLater: row.retryLater };
}

/** Makes a mail due now, standing in for the passing of its backoff delay. */
async function makeDue(id: string) {
  await db
    .update(outboxMails)
    .set({ nextAttemptAt: sql`now() - interval '1 second'` })
    .where(eq(outboxMails.id, id));
}

describe('MailSender over SMTP', () => {
  it('delivers Bulgarian and English mails with text and HTML parts, then marks them sent', async () => {
    const smtp = await startSmtp();
    const { logger } = collectingLogger();
    const sender = new MailSender({ db, smtpUrl: smtp.url, from, logger });
    try {
      const bg = await queue('maria@example.test', 'bg');
      const en = await queue('john@example.test', 'en');

      expect(await sender.deliverDue()).toBe(2);
      expect(await sender.deliverDue()).toBe(0);

      expect(smtp.received).toHaveLength(2);
      const byRecipient = (to: string) =>
        smtp.received.find((r) => r.recipients.includes(to))!.mail;
      const bgMail = byRecipient('maria@example.test');
      const enMail = byRecipient('john@example.test');
      expect(bgMail.subject).toBe('Проверка на пощата – Община Стара Загора');
      expect(enMail.subject).toBe('Mail check – Stara Zagora Municipality');
      expect(bgMail.from?.text).toContain('no-reply@sabor.example');
      for (const [mail, to] of [
        [bgMail, 'maria@example.test'],
        [enMail, 'john@example.test'],
      ] as const) {
        expect(mail.text).toContain(verifyUrl(to));
        expect(mail.html).toContain(`href="${verifyUrl(to)}"`);
        expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
      }
      expect(bgMail.html).toContain('lang="bg"');
      expect(enMail.html).toContain('lang="en"');
      expect(bgMail.messageId).toBe(`<${bg.id}@sabor.example>`);

      for (const { id } of [bg, en]) {
        const row = await rowOf(id);
        expect(row).toMatchObject({ status: 'sent', attempts: 1, lastError: null });
        expect(row.sentAt).toBeInstanceOf(Date);
      }
    } finally {
      await sender.stop();
      await smtp.close();
    }
  });

  it('escapes a hostile display name in the delivered HTML', async () => {
    const smtp = await startSmtp();
    const sender = new MailSender({
      db,
      smtpUrl: smtp.url,
      from,
      logger: collectingLogger().logger,
    });
    try {
      await queue('eve@example.test', 'en', {
        displayName: '<script>alert(1)</script>',
        content: { title: 'Mail check', blocks: [p('Your password was changed.')] },
      });
      await sender.deliverDue();
      const mail = smtp.received[0]!.mail;
      expect(mail.html).toContain('Hello &lt;script&gt;alert(1)&lt;/script&gt;,');
      expect(mail.html).not.toContain('<script');
      expect(mail.text).toContain('Hello <script>alert(1)</script>,');
    } finally {
      await sender.stop();
      await smtp.close();
    }
  });

  it('retries a rejected mail later and marks it failed after maxAttempts', async () => {
    const smtp = await startSmtp({ rejectRecipients: true });
    const { logger, lines } = collectingLogger();
    const sender = new MailSender({ db, smtpUrl: smtp.url, from, logger, maxAttempts: 3 });
    try {
      const { id } = await queue('busy@example.test', 'bg');

      expect(await sender.deliverDue()).toBe(0);
      let row = await rowOf(id);
      expect(row).toMatchObject({ status: 'pending', attempts: 1, retryLater: true, sentAt: null });
      expect(row.lastError).toContain('451');

      // Not due yet: another run leaves it alone.
      await sender.deliverDue();
      expect((await rowOf(id)).attempts).toBe(1);

      await makeDue(id);
      await sender.deliverDue();
      expect(await rowOf(id)).toMatchObject({ status: 'pending', attempts: 2, retryLater: true });

      await makeDue(id);
      await sender.deliverDue();
      row = await rowOf(id);
      expect(row).toMatchObject({ status: 'failed', attempts: 3, sentAt: null });
      expect(row.lastError).toContain('451');

      await makeDue(id);
      await sender.deliverDue();
      expect((await rowOf(id)).attempts).toBe(3);
      expect(smtp.received).toHaveLength(0);
      expect(lines.map((l) => l.level)).toEqual(['warn', 'warn', 'error']);
      expect(JSON.stringify(lines)).not.toContain('busy@example.test');
    } finally {
      await sender.stop();
      await smtp.close();
    }
  });

  it('records an unreachable server as a retryable error', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const sender = new MailSender({
      db,
      smtpUrl: `smtp://127.0.0.1:${port}`,
      from,
      logger: collectingLogger().logger,
    });
    try {
      const { id } = await queue('nobody@example.test', 'en');
      expect(await sender.deliverDue()).toBe(0);
      const row = await rowOf(id);
      expect(row).toMatchObject({ status: 'pending', attempts: 1, retryLater: true });
      expect(row.lastError).toContain('ECONNREFUSED');
    } finally {
      await sender.stop();
    }
  });

  it('never stores or logs the SMTP password', async () => {
    const smtp = await startSmtp({ rejectLogin: true });
    const password = 'S3cret/pa:ss';
    const { logger, lines } = collectingLogger();
    const smtpUrl = `smtp://mailer:${encodeURIComponent(password)}@127.0.0.1:${smtp.port}`;
    const sender = new MailSender({ db, smtpUrl, from, logger });
    try {
      const { id } = await queue('x@example.test', 'bg');
      await sender.deliverDue();
      const row = await rowOf(id);
      expect(row.lastError).toContain('***');
      expect(row.lastError).not.toContain('S3cret');
      expect(JSON.stringify(lines)).not.toContain('S3cret');
    } finally {
      await sender.stop();
      await smtp.close();
    }
  });

  it('sends each mail exactly once when two senders run at the same time', async () => {
    const smtp = await startSmtp();
    // A second process has its own connection pool; PGlite is one in-process database.
    const other = testDb.databaseUrl
      ? createDatabase({ databaseUrl: testDb.databaseUrl, dataDir: testDb.dataDir })
      : undefined;
    const a = new MailSender({ db, smtpUrl: smtp.url, from, logger: collectingLogger().logger });
    const b = new MailSender({
      db: other?.db ?? db,
      smtpUrl: smtp.url,
      from,
      logger: collectingLogger().logger,
    });
    try {
      const recipients = Array.from({ length: 20 }, (_, i) => `resident${i}@example.test`);
      for (const to of recipients) await queue(to, 'bg');

      const [sentByA, sentByB] = await Promise.all([a.deliverDue(), b.deliverDue()]);

      expect(sentByA + sentByB).toBe(20);
      const delivered = smtp.received.flatMap((r) => r.recipients);
      expect(delivered).toHaveLength(20);
      expect(new Set(delivered)).toEqual(new Set(recipients));
      const rows = await db.select().from(outboxMails);
      expect(rows.every((row) => row.status === 'sent' && row.attempts === 1)).toBe(true);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
      await other?.close();
      await smtp.close();
    }
  });

  it('delivers soon after wake() once started', async () => {
    const smtp = await startSmtp();
    const sender = new MailSender({
      db,
      smtpUrl: smtp.url,
      from,
      logger: collectingLogger().logger,
      pollIntervalMs: 3_600_000,
    });
    try {
      sender.start();
      await queue('soon@example.test', 'en');
      sender.wake();
      await vi.waitFor(() => expect(smtp.received).toHaveLength(1), { timeout: 10_000 });
    } finally {
      await sender.stop();
      await smtp.close();
    }
  });
});

describe('MailSender without SMTP', () => {
  it('sends nothing and leaves mails pending in the outbox', async () => {
    const { logger, lines } = collectingLogger();
    const sender = new MailSender({ db, from, logger });
    const { id } = await queue('maria@example.test', 'bg');
    expect(sender.enabled).toBe(false);
    sender.start();
    sender.wake();
    expect(await sender.deliverDue()).toBe(0);
    await sender.stop();
    expect(await rowOf(id)).toMatchObject({ status: 'pending', attempts: 0, lastError: null });
    expect(lines.map((l) => l.level)).toEqual(['info']);
  });
});

describe('retryDelayMs', () => {
  it('doubles from 30 s, stays within an hour and spreads retries', () => {
    expect(retryDelayMs(1, () => 0)).toBe(30_000);
    expect(retryDelayMs(2, () => 0)).toBe(60_000);
    expect(retryDelayMs(30, () => 0)).toBe(3_600_000);
    expect(retryDelayMs(30, () => 0.999)).toBeLessThan(3_600_000);
    expect(retryDelayMs(1, () => 0.999)).toBeGreaterThan(22_000);
  });
});
