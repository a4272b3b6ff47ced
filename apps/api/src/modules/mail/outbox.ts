import type { Locale } from '@sabor/contracts';
import { outboxMails, type Executor, type OutboxAttachment } from '@sabor/db';
import { renderMail, type ComposedMail } from './render';

export interface EnqueueMailInput {
  to: string;
  userId?: string | null;
  locale: Locale;
  /** The words, composed by the mail's feature in the recipient's language. */
  mail: ComposedMail;
  /** The municipality's name in the recipient's language. */
  siteName: string;
  /** Files sent with the mail; an attachment with a `cid` is an inline image of the HTML part. */
  attachments?: OutboxAttachment[];
}

/** A mail rendered and ready to be stored in the outbox (see renderOutboxMail). */
export type RenderedMail = typeof outboxMails.$inferInsert;

/**
 * Renders a mail into its outbox row without touching the database, for a caller that wants the
 * work done before it takes a lock (storeMail then stores it in the transaction).
 */
export function renderOutboxMail(input: EnqueueMailInput): RenderedMail {
  return {
    to: input.to,
    userId: input.userId ?? null,
    ...renderMail(input.mail, input.locale, { name: input.siteName }),
    attachments: input.attachments?.length ? input.attachments : null,
  };
}

/** Stores a rendered mail as a pending outbox row (see enqueueMail). */
export async function storeMail(executor: Executor, mail: RenderedMail): Promise<{ id: string }> {
  const [row] = await executor
    .insert(outboxMails)
    .values(mail)
    .returning({ id: outboxMails.id });
  if (!row) throw new Error('Outbox insert returned no row');
  return row;
}

/**
 * Renders the mail and stores it as a pending outbox row. Call it with the transaction that makes
 * the change the mail is about, so a mail exists exactly when that change committed; the sender
 * delivers it later (or admins read it on the Outbox page when no SMTP server is configured).
 */
export async function enqueueMail(
  executor: Executor,
  input: EnqueueMailInput,
): Promise<{ id: string }> {
  return storeMail(executor, renderOutboxMail(input));
}
