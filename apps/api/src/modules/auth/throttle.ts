import { loginFailures, type Executor } from '@sabor/db';
import { and, count, eq, gt, min } from 'drizzle-orm';
import { ApiError } from '../../errors';

export const throttleWindowMs = 15 * 60 * 1000;
export const maxFailuresPerAccount = 5;
export const maxFailuresPerIp = 30;

async function failuresSince(
  db: Executor,
  column: typeof loginFailures.email | typeof loginFailures.ip,
  value: string,
  since: Date,
) {
  const [row] = await db
    .select({ failures: count(), oldest: min(loginFailures.createdAt) })
    .from(loginFailures)
    .where(and(eq(column, value), gt(loginFailures.createdAt, since)));
  return { failures: row?.failures ?? 0, oldest: row?.oldest ?? null };
}

/**
 * Refuses a login attempt with 429 and Retry-After while the account or the address has too many recent
 * failures. Counted in the database so every instance behind a load balancer sees the same numbers.
 */
export async function assertLoginAllowed(db: Executor, email: string, ip: string): Promise<void> {
  const since = new Date(Date.now() - throttleWindowMs);
  for (const [column, value, limit] of [
    [loginFailures.email, email, maxFailuresPerAccount],
    [loginFailures.ip, ip, maxFailuresPerIp],
  ] as const) {
    const { failures, oldest } = await failuresSince(db, column, value, since);
    if (failures >= limit) {
      const oldestTime = oldest ? new Date(oldest).getTime() : Date.now();
      const retryAfter = Math.max(
        1,
        Math.ceil((oldestTime + throttleWindowMs - Date.now()) / 1000),
      );
      throw new ApiError(429, 'too_many_requests', undefined, {
        'retry-after': String(retryAfter),
      });
    }
  }
}

export async function recordLoginFailure(db: Executor, email: string, ip: string): Promise<void> {
  await db.insert(loginFailures).values({ email, ip });
}

export async function clearLoginFailures(db: Executor, email: string): Promise<void> {
  await db.delete(loginFailures).where(eq(loginFailures.email, email));
}
