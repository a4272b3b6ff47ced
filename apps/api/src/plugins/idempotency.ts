import { createHash } from 'node:crypto';
import { idempotencyKeys } from '@sabor/db';
import { and, eq, isNull, lt, sql } from 'drizzle-orm';
import fp from 'fastify-plugin';
import { ApiError } from '../errors';
import type { IdempotencyClaim } from '../idempotency-mark';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Create routes set this: a retried request with the same Idempotency-Key replays the first
     * response. `'resumable'` routes also mark the key in the transaction that creates their
     * resource (markIdempotentWrite with request.idempotency) and answer `committedId` by reloading
     * that resource with the status of a fresh create; only their claims are taken over once the
     * lease ran out, because only they can tell whether the first attempt's write committed.
     */
    idempotent?: boolean | 'resumable';
  }
  interface FastifyRequest {
    /**
     * The key this request holds. `committedId`: the request took over a stranded claim whose
     * write had committed (the resource it created); the handler answers with it, writing nothing.
     */
    idempotency: (IdempotencyClaim & { committedId: string | null }) | null;
  }
}

const keyPattern = /^[\x21-\x7e]{1,200}$/;

/** What a request is compared by when its key comes again (exported for tests that strand a claim). */
export function requestHash(method: string, url: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method} ${url}\n${JSON.stringify(body ?? null)}`)
    .digest('hex');
}

/**
 * Idempotency-Key support (IETF draft "The Idempotency-Key HTTP Header Field"): the first request
 * claims the key, a concurrent duplicate gets 409, a later one gets the stored response, and the same
 * key with a different body gets 422. A claim left without a response for longer than the lease
 * (its request failed with the database, or its process died) is taken over by the next retry on
 * resumable routes, which answers with what the first attempt committed or performs it.
 */
export const idempotencyPlugin = fp(
  async (app, options: { leaseSeconds: number }) => {
    app.decorateRequest('idempotency', null);

    app.addHook('preHandler', async (request, reply) => {
      const mode = request.routeOptions.config.idempotent;
      if (!mode) return;
      const key = request.headers['idempotency-key'];
      if (key === undefined) return;
      if (typeof key !== 'string' || !keyPattern.test(key)) {
        throw new ApiError(400, 'validation_failed', { 'Idempotency-Key': { code: 'invalid' } });
      }
      // Anonymous keys share one scope: clients send random keys (UUIDs), and an address can change mid-retry.
      const scope = request.user ? `user:${request.user.id}` : 'anonymous';
      const hash = requestHash(
        request.method,
        request.routeOptions.url ?? request.url,
        request.body,
      );
      const [claimed] = await app.db
        .insert(idempotencyKeys)
        .values({ key, scope, method: request.method, path: request.url, requestHash: hash })
        .onConflictDoNothing()
        .returning({ claimId: idempotencyKeys.claimId });
      if (claimed) {
        request.idempotency = { scope, key, claimId: claimed.claimId, committedId: null };
        return;
      }
      const thisKey = and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key));
      const [stored] = await app.db.select().from(idempotencyKeys).where(thisKey);
      if (!stored || stored.requestHash !== hash) throw new ApiError(422, 'idempotency_key_reused');
      if (stored.statusCode !== null && stored.responseBody !== null) {
        return reply
          .code(stored.statusCode)
          .header('idempotent-replayed', 'true')
          .type('application/json; charset=utf-8')
          .send(stored.responseBody);
      }
      if (mode === 'resumable') {
        // One UPDATE decides: of two retries racing for a stranded claim, the second re-reads the
        // row after the first one's update and no longer finds the lease run out.
        const [taken] = await app.db
          .update(idempotencyKeys)
          .set({ claimedAt: sql`now()`, claimId: sql`gen_random_uuid()` })
          .where(
            and(
              thisKey,
              isNull(idempotencyKeys.statusCode),
              lt(
                idempotencyKeys.claimedAt,
                sql`now() - make_interval(secs => ${options.leaseSeconds})`,
              ),
            ),
          )
          .returning({ claimId: idempotencyKeys.claimId, resourceId: idempotencyKeys.resourceId });
        if (taken) {
          request.log.warn(
            { scope, key, committed: taken.resourceId !== null },
            'idempotency key taken over',
          );
          request.idempotency = {
            scope,
            key,
            claimId: taken.claimId,
            committedId: taken.resourceId,
          };
          return;
        }
      }
      throw new ApiError(409, 'idempotency_key_in_use');
    });

    app.addHook('onSend', async (request, reply, payload) => {
      const claim = request.idempotency;
      if (!claim) return payload;
      request.idempotency = null;
      // Only the lease holder writes: a request whose claim was taken over leaves the key alone.
      const held = and(
        eq(idempotencyKeys.scope, claim.scope),
        eq(idempotencyKeys.key, claim.key),
        eq(idempotencyKeys.claimId, claim.claimId),
      );
      try {
        if (reply.statusCode >= 500 || typeof payload !== 'string') {
          // Nothing was (knowingly) done: let the client retry with the same key. A marked key's
          // write did commit, so it stays, with its lease ended: the retry answers with it.
          await app.db.delete(idempotencyKeys).where(and(held, isNull(idempotencyKeys.resourceId)));
          await app.db
            .update(idempotencyKeys)
            .set({ claimedAt: sql`'-infinity'` })
            .where(held);
        } else {
          await app.db
            .update(idempotencyKeys)
            .set({ statusCode: reply.statusCode, responseBody: payload })
            .where(held);
        }
      } catch (err) {
        // The database went away: the client still gets this response, and the claim's lease lets
        // its retry learn the outcome.
        request.log.warn({ err, key: claim.key }, 'idempotency key left claimed');
      }
      return payload;
    });
  },
  { name: 'idempotency', dependencies: ['auth', 'database'] },
);
