import { outboxMails, type Database, type OutboxMailRow } from '@sabor/db';
import { and, asc, eq, lte, sql } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';

type LogMethod = (details: Record<string, unknown>, message: string) => void;

/** The part of a pino (or Fastify) logger the sender uses. */
export interface MailLogger {
  info: LogMethod;
  warn: LogMethod;
  error: LogMethod;
}

export interface MailSenderOptions {
  db: Database;
  /** smtp:// or smtps:// URL; when undefined nothing is sent and mails stay in the outbox. */
  smtpUrl?: string | undefined;
  /** The From header, e.g. `Община Стара Загора <no-reply@example.bg>`. */
  from: string;
  logger: MailLogger;
  /** How often `start()` looks for due mails. Default 30 s. */
  pollIntervalMs?: number;
  /** Attempts before a mail is marked failed. Default 8 (about two hours of retries). */
  maxAttempts?: number;
}

const defaultPollIntervalMs = 30_000;
const defaultMaxAttempts = 8;
/** Mails handled per run before the loop yields; a full run schedules the next one at once. */
const mailsPerRun = 100;
/**
 * A claimed mail is invisible to other senders for this long. It must outlast one SMTP
 * conversation, which the timeouts below bound (connect + greeting + idle socket).
 */
const leaseSeconds = 600;
const smtpTimeouts = { connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000 };
const retryBaseMs = 30_000;
const retryCapMs = 60 * 60 * 1000;
const maxErrorLength = 500;

/**
 * Delay before the next attempt after `attempts` failures: 30 s doubling up to 1 h, shortened by
 * up to a quarter at random so mails that failed together do not retry together.
 */
export function retryDelayMs(attempts: number, random: () => number = Math.random): number {
  const base = Math.min(retryBaseMs * 2 ** Math.max(0, attempts - 1), retryCapMs);
  return Math.round(base * (1 - random() / 4));
}

/**
 * Delivers outbox mails over SMTP. Safe to run in every Sabor process at once: each mail is
 * claimed with `FOR UPDATE SKIP LOCKED` and a lease, so only one process sends it. Delivery is
 * at least once: a crash between the SMTP hand-off and the status update sends it again after
 * the lease (the stable Message-ID lets receivers drop the duplicate).
 */
export class MailSender {
  /** False when no SMTP URL is configured; the sender then never touches the outbox. */
  readonly enabled: boolean;
  private readonly transport: Transporter | undefined;
  private readonly secrets: string[];
  private readonly messageIdDomain: string;
  private readonly pollIntervalMs: number;
  private readonly maxAttempts: number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private started = false;
  private stopping = false;
  private rerun = false;

  constructor(private readonly options: MailSenderOptions) {
    this.enabled = options.smtpUrl !== undefined;
    this.transport = options.smtpUrl
      ? nodemailer.createTransport(withTimeouts(options.smtpUrl))
      : undefined;
    this.secrets = options.smtpUrl ? urlSecrets(options.smtpUrl) : [];
    this.messageIdDomain = /@([^\s>@]+)>?\s*$/.exec(options.from)?.[1] ?? 'sabor.invalid';
    this.pollIntervalMs = options.pollIntervalMs ?? defaultPollIntervalMs;
    this.maxAttempts = options.maxAttempts ?? defaultMaxAttempts;
  }

  /** Sends every due mail once; resolves to the number delivered. Does nothing when disabled. */
  async deliverDue(limit = mailsPerRun): Promise<number> {
    return (await this.deliverBatch(limit)).sent;
  }

  /** Polls for due mails until `stop()`. Runs never overlap. */
  start(): void {
    if (this.started) return;
    this.started = true;
    if (!this.transport) {
      this.options.logger.info({}, 'SMTP_URL not set: mails stay in the outbox for admins to read');
      return;
    }
    this.schedule(0);
  }

  /** Asks for a run soon, e.g. right after a transaction that queued a mail committed. */
  wake(): void {
    if (!this.started || this.stopping || !this.transport) return;
    if (this.running) this.rerun = true;
    else this.schedule(0);
  }

  /** Stops polling, waits for the mail in flight and closes SMTP connections. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
    this.transport?.close();
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), delayMs);
    // The sender alone must never keep the process alive.
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    this.timer = undefined;
    if (this.stopping) return;
    this.rerun = false;
    this.running = this.deliverBatch(mailsPerRun).then(
      ({ processed }) => {
        if (processed >= mailsPerRun) this.rerun = true;
      },
      (error: unknown) => {
        this.options.logger.error({ err: this.describe(error) }, 'mail delivery run failed');
      },
    );
    await this.running;
    this.running = undefined;
    if (!this.stopping) this.schedule(this.rerun ? 0 : this.pollIntervalMs);
  }

  private async deliverBatch(limit: number): Promise<{ processed: number; sent: number }> {
    let processed = 0;
    let sent = 0;
    if (!this.transport) return { processed, sent };
    // One mail per claim keeps each lease short and lets several senders share a backlog.
    while (processed < limit && !this.stopping) {
      const mail = await this.claim();
      if (!mail) break;
      processed += 1;
      if (await this.deliver(this.transport, mail)) sent += 1;
    }
    return { processed, sent };
  }

  private async claim(): Promise<OutboxMailRow | undefined> {
    const { db } = this.options;
    const due = db
      .select({ id: outboxMails.id })
      .from(outboxMails)
      .where(and(eq(outboxMails.status, 'pending'), lte(outboxMails.nextAttemptAt, sql`now()`)))
      .orderBy(asc(outboxMails.nextAttemptAt))
      .limit(1)
      .for('update', { skipLocked: true });
    // A scalar subquery runs once, so this single statement claims at most one row atomically.
    const [mail] = await db
      .update(outboxMails)
      .set({ nextAttemptAt: sql`now() + make_interval(secs => ${leaseSeconds})` })
      .where(eq(outboxMails.id, sql`(${due})`))
      .returning();
    return mail;
  }

  private async deliver(transport: Transporter, mail: OutboxMailRow): Promise<boolean> {
    const { db, logger } = this.options;
    const attempts = mail.attempts + 1;
    try {
      await transport.sendMail({
        from: this.options.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: `<${mail.id}@${this.messageIdDomain}>`,
        ...(mail.attachments && {
          attachments: mail.attachments.map((file) => ({
            filename: file.filename,
            contentType: file.contentType,
            content: Buffer.from(file.contentBase64, 'base64'),
            ...(file.cid && { cid: file.cid }),
          })),
        }),
        headers: {
          'Auto-Submitted': 'auto-generated',
          // Mail clients show their own "unsubscribe" for it (a page that asks to confirm).
          ...(mail.listUnsubscribe && { 'List-Unsubscribe': `<${mail.listUnsubscribe}>` }),
        },
      });
    } catch (error) {
      const lastError = this.describe(error);
      const failed = attempts >= this.maxAttempts;
      await db
        .update(outboxMails)
        .set({
          attempts,
          lastError,
          ...(failed
            ? { status: 'failed' as const }
            : {
                nextAttemptAt: sql`now() + make_interval(secs => ${retryDelayMs(attempts) / 1000})`,
              }),
        })
        .where(eq(outboxMails.id, mail.id));
      const details = { mailId: mail.id, attempts, err: lastError };
      if (failed) logger.error(details, 'mail delivery failed for good');
      else logger.warn(details, 'mail delivery failed; will retry');
      return false;
    }
    await db
      .update(outboxMails)
      .set({ status: 'sent', attempts, sentAt: sql`now()`, lastError: null })
      .where(eq(outboxMails.id, mail.id));
    logger.info({ mailId: mail.id }, 'mail sent');
    return true;
  }

  /** One line for logs and the Outbox page: no credentials, bounded length. */
  private describe(error: unknown): string {
    let message = error instanceof Error ? error.message : String(error);
    const code = (error as { code?: unknown } | null)?.code;
    if (typeof code === 'string' && !message.includes(code)) message = `${code}: ${message}`;
    for (const secret of this.secrets) message = message.replaceAll(secret, '***');
    message = message
      .replace(/\/\/[^\s/@]*@/g, '//***@')
      .replace(/\s+/g, ' ')
      .trim();
    return message.length > maxErrorLength ? `${message.slice(0, maxErrorLength - 1)}…` : message;
  }
}

/** Adds conservative SMTP timeouts unless the URL sets its own (nodemailer reads them from the query). */
function withTimeouts(smtpUrl: string): string {
  const url = new URL(smtpUrl);
  for (const [key, value] of Object.entries(smtpTimeouts)) {
    if (!url.searchParams.has(key)) url.searchParams.set(key, String(value));
  }
  return url.toString();
}

function urlSecrets(smtpUrl: string): string[] {
  // Only the password: a user name is no secret, and a short one would garble the message.
  const { password } = new URL(smtpUrl);
  return [...new Set([password, safeDecode(password)])]
    .filter((value) => value.length > 0)
    .sort((a, b) => b.length - a.length);
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
