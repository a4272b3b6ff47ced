import type { OutboxMail } from '@sabor/contracts';
import { containsPattern, outboxMails, type Executor, type OutboxMailRow } from '@sabor/db';
import { count, desc, eq, ilike } from 'drizzle-orm';

export interface OutboxPageQuery {
  page: number;
  pageSize: number;
  /** Part of the recipient address, matched case-insensitively. */
  to?: string | undefined;
}

/** Outbox mails for the admin Outbox page, newest first. */
export async function listOutboxMails(
  db: Executor,
  query: OutboxPageQuery,
): Promise<{ items: OutboxMail[]; total: number }> {
  const where = query.to ? ilike(outboxMails.to, containsPattern(query.to)) : undefined;
  const rows = await db
    .select()
    .from(outboxMails)
    .where(where)
    .orderBy(desc(outboxMails.createdAt), desc(outboxMails.id))
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize);
  const [counted] = await db.select({ total: count() }).from(outboxMails).where(where);
  return { items: rows.map(toOutboxMail), total: counted?.total ?? 0 };
}

export async function findOutboxMail(db: Executor, id: string): Promise<OutboxMail | undefined> {
  const [row] = await db.select().from(outboxMails).where(eq(outboxMails.id, id));
  return row && toOutboxMail(row);
}

function toOutboxMail(row: OutboxMailRow): OutboxMail {
  return {
    id: row.id,
    to: row.to,
    subject: row.subject,
    text: row.text,
    status: row.status,
    attempts: row.attempts,
    lastError: row.lastError,
    createdAt: row.createdAt.toISOString(),
    sentAt: row.sentAt?.toISOString() ?? null,
  };
}
