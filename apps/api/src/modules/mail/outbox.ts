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

/**
 * Renders the mail and stores it as a pending outbox row. Call it with the transaction that makes
 * the change the mail is about, so a mail exists exactly when that change committed; the sender
 * delivers it later (or admins read it on the Outbox page when no SMTP server is configured).
 */
export async function enqueueMail(
  executor: Executor,
  input: EnqueueMailInput,
): Promise<{ id: string }> {
  const mail = renderMail(input.mail, input.locale, { name: input.siteName });
  const [row] = await executor
    .insert(outboxMails)
    .values({
      to: input.to,
      userId: input.userId ?? null,
      ...mail,
      attachments: input.attachments?.length ? input.attachments : null,
    })
    .returning({ id: outboxMails.id });
  if (!row) throw new Error('Outbox insert returned no row');
  return row;
}
