import { idempotencyKeys, type Executor } from '@sabor/db';
import { and, eq, isNull } from 'drizzle-orm';
import { ApiError } from './errors';

/** The Idempotency-Key claim a request holds (request.idempotency), as services see it. */
export interface IdempotencyClaim {
  scope: string;
  key: string;
  /** Which lease: a request whose claim was taken over by a retry no longer holds the key. */
  claimId: string;
}

/**
 * Records, inside the transaction that creates it, which resource a request's Idempotency-Key
 * produced: if the response is then lost (the database went away before it was stored, or the
 * process died), the retry that takes the key over finds the mark and answers with that resource
 * instead of creating it again. Refuses (409, rolling the transaction back) when the claim was
 * taken over meanwhile, so the key's work is committed at most once. No claim (no header): nothing.
 */
export async function markIdempotentWrite(
  tx: Executor,
  claim: IdempotencyClaim | null | undefined,
  resourceId: string,
): Promise<void> {
  if (!claim) return;
  const marked = await tx
    .update(idempotencyKeys)
    .set({ resourceId })
    .where(
      and(
        eq(idempotencyKeys.scope, claim.scope),
        eq(idempotencyKeys.key, claim.key),
        eq(idempotencyKeys.claimId, claim.claimId),
        isNull(idempotencyKeys.resourceId),
      ),
    )
    .returning({ key: idempotencyKeys.key });
  if (marked.length === 0) throw new ApiError(409, 'idempotency_key_in_use');
}
