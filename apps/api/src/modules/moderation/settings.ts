import { moderationQueueTopic, type ModerationSettings } from '@sabor/contracts';
import { moderationSettings, type Executor, type ModerationSettingsRow } from '@sabor/db';
import { eq, sql } from 'drizzle-orm';
import { publishLiveEvent } from '../../live/outbox';
import { recordAudit } from '../audit/record';

/** The one settings row (migration 0007 creates it). */
const settingsRowId = 1;

export function toModerationSettings(row: ModerationSettingsRow): ModerationSettings {
  return {
    autoHideReports: row.autoHideReports,
    newAccountHours: row.newAccountHours,
    newAccountHeldComments: row.newAccountHeldComments,
    newAccountPerMinute: row.newAccountPerMinute,
    newAccountPerDay: row.newAccountPerDay,
    holdLinksFromNewAccounts: row.holdLinksFromNewAccounts,
    wordsBg: row.wordsBg,
    wordsEn: row.wordsEn,
  };
}

/** The automatic protection in force, read inside the caller's transaction. */
export async function loadSettings(db: Executor): Promise<ModerationSettingsRow> {
  const [row] = await db
    .select()
    .from(moderationSettings)
    .where(eq(moderationSettings.id, settingsRowId));
  if (!row) throw new Error('moderation_settings row 1 is missing (migration 0007 creates it)');
  return row;
}

/**
 * The settings as this process last read them, for posting comments (the hot path), so that a
 * comment does not read the settings row again. Saving the settings publishes `settings_changed`,
 * and every instance drops what it keeps when its live hub sees that event (app.ts watches for
 * it); the instance that saved drops it at once, so the admin's next comment obeys the new rules.
 * A read that began before a change may still give the old settings to the comments waiting on
 * it, as reading the row in a transaction that began before the change would.
 */
export class SettingsCache {
  #kept: Promise<ModerationSettingsRow> | undefined;

  read(db: Executor): Promise<ModerationSettingsRow> {
    if (this.#kept) return this.#kept;
    const reading = loadSettings(db);
    this.#kept = reading;
    // A failed read is not kept: the next comment reads again.
    reading.catch(() => {
      if (this.#kept === reading) this.#kept = undefined;
    });
    return reading;
  }

  /** Forgets the settings; the next read loads them. A read under way is not kept. */
  forget(): void {
    this.#kept = undefined;
  }
}

/**
 * An admin replaces the settings; the audit log keeps what they were and what they became. The row
 * is locked first so two admins saving at once are recorded in the order they took effect.
 */
export async function updateSettings(
  db: Executor,
  adminId: string,
  input: ModerationSettings,
): Promise<ModerationSettings> {
  return db.transaction(async (tx) => {
    const [locked] = await tx
      .select()
      .from(moderationSettings)
      .where(eq(moderationSettings.id, settingsRowId))
      .for('update');
    if (!locked) throw new Error('moderation_settings row 1 is missing');
    const before = toModerationSettings(locked);
    const [row] = await tx
      .update(moderationSettings)
      .set({ ...input, updatedBy: adminId, updatedAt: sql`now()` })
      .where(eq(moderationSettings.id, settingsRowId))
      .returning();
    if (!row) throw new Error('moderation_settings update returned no row');
    const after = toModerationSettings(row);
    await recordAudit(tx, {
      actorId: adminId,
      action: 'moderation.settings_changed',
      targetType: 'moderation_settings',
      targetId: String(settingsRowId),
      details: { before, after },
    });
    await publishLiveEvent(tx, moderationQueueTopic, { type: 'settings_changed' });
    return after;
  });
}
