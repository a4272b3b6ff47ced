import type { ModerationCause, ModerationStats } from '@sabor/contracts';
import { moderationCauses, moderationDecisionLog, moderationItems, type Executor } from '@sabor/db';
import { count, eq, gte, sql, type SQLWrapper } from 'drizzle-orm';

/** Days shown in "decided per day", today in Sofia included. */
export const statsDays = 30;

const sofiaDate = (value: SQLWrapper) =>
  sql<string>`to_char(${value} at time zone 'Europe/Sofia', 'YYYY-MM-DD')`;

/**
 * The moderators' figures: the queue now (in total and by why items are in it), decisions per
 * calendar day in Europe/Sofia over the last 30 days (today included, oldest first, days without
 * a decision as 0), and the median time from entering the queue to a decision over the same days.
 * "Today" is the database's: the same clock that stamps the decisions.
 */
export async function moderationStats(db: Executor): Promise<ModerationStats> {
  // Midnight in Sofia 29 days before today: both figures over time count from it.
  const windowStart = sql`((now() at time zone 'Europe/Sofia')::date - ${statsDays - 1}::int)::timestamp at time zone 'Europe/Sofia'`;
  const decidedAt = moderationDecisionLog.decidedAt;
  const [pending, perDay, [overall]] = await Promise.all([
    db
      .select({ cause: moderationItems.cause, value: count() })
      .from(moderationItems)
      .where(eq(moderationItems.status, 'pending'))
      .groupBy(moderationItems.cause),
    db
      .select({ date: sofiaDate(decidedAt), value: count() })
      .from(moderationDecisionLog)
      .where(gte(decidedAt, windowStart))
      .groupBy(sql`1`),
    db
      .select({
        today: sofiaDate(sql`now()`),
        seconds: sql<
          number | string | null
        >`percentile_cont(0.5) within group (order by extract(epoch from ${decidedAt} - ${moderationDecisionLog.enteredAt}))`,
      })
      .from(moderationDecisionLog)
      .where(gte(decidedAt, windowStart)),
  ]);

  const pendingByCause = Object.fromEntries(moderationCauses.map((cause) => [cause, 0])) as Record<
    ModerationCause,
    number
  >;
  for (const row of pending) pendingByCause[row.cause] = row.value;
  const decided = new Map(perDay.map((row) => [row.date, row.value]));
  const seconds = overall?.seconds ?? null;
  return {
    pending: Object.values(pendingByCause).reduce((sum, value) => sum + value, 0),
    pendingByCause,
    decidedPerDay: lastDays(overall!.today, statsDays).map((date) => ({
      date,
      count: decided.get(date) ?? 0,
    })),
    medianSecondsToDecision: seconds === null ? null : Number(seconds),
  };
}

/** The `days` calendar dates ending with `today` (YYYY-MM-DD), oldest first. */
export function lastDays(today: string, days: number): string[] {
  const end = Date.parse(`${today}T00:00:00Z`);
  return Array.from({ length: days }, (_, index) =>
    new Date(end - (days - 1 - index) * 86_400_000).toISOString().slice(0, 10),
  );
}
