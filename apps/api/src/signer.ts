import { createHmac, randomBytes } from 'node:crypto';
import { appSecrets, type Executor } from '@sabor/db';
import { eq } from 'drizzle-orm';

/*
 * The server's signing key, for secrets that must not be stored: event ticket codes, the links in
 * registration mails and the anonymous survey browser cookie. One key, one MAC per purpose.
 */

/** Signs with the server's key (TICKET_SECRET); each purpose gets its own MAC so one never stands for another. */
export interface Signer {
  mac(purpose: 'ticket' | 'registration' | 'survey_browser', value: string): Buffer;
}

const secretName = 'ticket_hmac_key';

/**
 * The signing key: TICKET_SECRET when configured, else a random key created at the first start and
 * kept in app_secrets (the first instance to insert it wins; the others read the same key).
 */
export async function loadTicketSecret(db: Executor, configured: string | undefined) {
  if (configured) return configured;
  await db
    .insert(appSecrets)
    .values({ name: secretName, value: randomBytes(32).toString('hex') })
    .onConflictDoNothing();
  const [row] = await db.select().from(appSecrets).where(eq(appSecrets.name, secretName));
  if (!row) throw new Error('ticket secret missing');
  return row.value;
}

export function createSigner(secret: string): Signer {
  return {
    mac: (purpose, value) => createHmac('sha256', secret).update(`${purpose}:${value}`).digest(),
  };
}
