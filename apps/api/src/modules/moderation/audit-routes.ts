import { routes } from '@sabor/contracts';
import type { Database } from '@sabor/db';
import type { FastifyPluginAsync } from 'fastify';
import { sendFile } from '../../file-answer';
import { implement } from '../../route';
import { auditCsv, listAudit, sofiaToday } from './audit';
import { moderationStats } from './stats';

/**
 * The audit log (read-only: nothing in the application edits or deletes it, and the database
 * refuses UPDATE and DELETE) and the moderation statistics, for moderators and admins.
 */
export const auditRoutes: FastifyPluginAsync<{ db: Database }> = async (app, { db }) => {
  implement(app, routes.auditLog, async (request) => listAudit(db, request.query));

  implement(app, routes.auditCsv, async (request, reply) => {
    // RFC 4180 CSV, one entry a row, newest first, streamed as it is read.
    const csv = auditCsv(db, request.query, request.locale);
    const fileName = `sabor-audit-${sofiaToday()}.csv`;
    return sendFile(reply, 'text/csv; charset=utf-8', { fileName, cache: 'no-store' }, csv);
  });

  implement(app, routes.moderationStats, async () => moderationStats(db));
};
