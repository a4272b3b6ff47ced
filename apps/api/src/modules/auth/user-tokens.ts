import { userTokens, type Executor } from '@sabor/db';
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import { generateToken, hashToken } from './tokens';

export type TokenPurpose = (typeof userTokens.$inferInsert)['purpose'];

export const tokenLifetimesMs: Record<TokenPurpose, number> = {
  verify_email: 48 * 60 * 60 * 1000,
  reset_password: 60 * 60 * 1000,
  admin_setup: 7 * 24 * 60 * 60 * 1000,
};

/** Issues a single-use token for a link; only its hash is stored. */
export async function issueUserToken(
  db: Executor,
  purpose: TokenPurpose,
  userId: string | null,
): Promise<string> {
  const token = generateToken();
  await db.insert(userTokens).values({
    id: hashToken(token),
    purpose,
    userId,
    expiresAt: new Date(Date.now() + tokenLifetimesMs[purpose]),
  });
  return token;
}

/**
 * Marks a token used and returns its row, or null when it is unknown, expired or already used.
 * One UPDATE decides, so two concurrent uses of the same link cannot both succeed.
 */
export async function consumeUserToken(db: Executor, purpose: TokenPurpose, token: string) {
  const [row] = await db
    .update(userTokens)
    .set({ usedAt: sql`now()` })
    .where(
      and(
        eq(userTokens.id, hashToken(token)),
        eq(userTokens.purpose, purpose),
        isNull(userTokens.usedAt),
        gt(userTokens.expiresAt, sql`now()`),
      ),
    )
    .returning();
  return row ?? null;
}

export async function isUserTokenValid(
  db: Executor,
  purpose: TokenPurpose,
  token: string,
): Promise<boolean> {
  const [row] = await db
    .select({ id: userTokens.id })
    .from(userTokens)
    .where(
      and(
        eq(userTokens.id, hashToken(token)),
        eq(userTokens.purpose, purpose),
        isNull(userTokens.usedAt),
        gt(userTokens.expiresAt, sql`now()`),
      ),
    );
  return row !== undefined;
}
