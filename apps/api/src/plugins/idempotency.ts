import { createHash } from 'node:crypto';
import { idempotencyKeys } from '@sabor/db';
import { and, eq } from 'drizzle-orm';
import fp from 'fastify-plugin';
import { ApiError } from '../errors';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Create routes set this: a retried request with the same Idempotency-Key replays the first response. */
    idempotent?: boolean;
  }
  interface FastifyRequest {
    idempotency: { scope: string; key: string } | null;
  }
}

const keyPattern = /^[\x21-\x7e]{1,200}$/;

function requestHash(method: string, url: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method} ${url}\n${JSON.stringify(body ?? null)}`)
    .digest('hex');
}

/**
 * Idempotency-Key support (IETF draft "The Idempotency-Key HTTP Header Field"): the first request
 * claims the key, a concurrent duplicate gets 409, a later one gets the stored response, and the same
 * key with a different body gets 422.
 */
export const idempotencyPlugin = fp(
  async (app) => {
    app.decorateRequest('idempotency', null);

    app.addHook('preHandler', async (request, reply) => {
      if (!request.routeOptions.config.idempotent) return;
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
      const claimed = await app.db
        .insert(idempotencyKeys)
        .values({ key, scope, method: request.method, path: request.url, requestHash: hash })
        .onConflictDoNothing()
        .returning({ key: idempotencyKeys.key });
      if (claimed.length > 0) {
        request.idempotency = { scope, key };
        return;
      }
      const [stored] = await app.db
        .select()
        .from(idempotencyKeys)
        .where(and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key)));
      if (!stored || stored.requestHash !== hash) throw new ApiError(422, 'idempotency_key_reused');
      if (stored.statusCode === null || stored.responseBody === null) {
        throw new ApiError(409, 'idempotency_key_in_use');
      }
      return reply
        .code(stored.statusCode)
        .header('idempotent-replayed', 'true')
        .type('application/json; charset=utf-8')
        .send(stored.responseBody);
    });

    app.addHook('onSend', async (request, reply, payload) => {
      const claim = request.idempotency;
      if (!claim) return payload;
      request.idempotency = null;
      const where = and(eq(idempotencyKeys.scope, claim.scope), eq(idempotencyKeys.key, claim.key));
      if (reply.statusCode >= 500 || typeof payload !== 'string') {
        // Nothing was (knowingly) done: let the client retry with the same key.
        await app.db.delete(idempotencyKeys).where(where);
      } else {
        await app.db
          .update(idempotencyKeys)
          .set({ statusCode: reply.statusCode, responseBody: payload })
          .where(where);
      }
      return payload;
    });
  },
  { name: 'idempotency', dependencies: ['auth', 'database'] },
);
