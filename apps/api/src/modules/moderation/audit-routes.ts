import {
  auditListSchema,
  auditQuerySchema,
  errorBodySchema,
  moderationStatsSchema,
} from '@sabor/contracts';
import type { Database } from '@sabor/db';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditCsv, listAudit, sofiaToday } from './audit';
import { moderationStats } from './stats';

const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema };

/** The CSV, streamed as it is read (documented as text). */
const csvStreamSchema = z.any().meta({ type: 'string' });

/** The CSV export takes the list's filters; it pages by itself. */
const auditExportQuerySchema = auditQuerySchema.omit({ page: true, pageSize: true });

/**
 * The audit log (read-only: nothing in the application edits or deletes it, and the database
 * refuses UPDATE and DELETE) and the moderation statistics, for moderators and admins.
 */
export const auditRoutes: FastifyPluginAsyncZod<{ db: Database }> = async (app, { db }) => {
  app.get(
    '/audit',
    {
      config: { access: 'moderator' },
      schema: {
        tags: ['moderation'],
        summary: 'The audit log of staff actions, newest first, filtered',
        querystring: auditQuerySchema,
        response: { 200: auditListSchema, ...errors },
      },
    },
    async (request) => listAudit(db, request.query),
  );

  app.get(
    '/audit.csv',
    {
      config: { access: 'moderator' },
      schema: {
        tags: ['moderation'],
        summary: 'The filtered audit log as CSV (UTF-8 with BOM, times in Europe/Sofia)',
        querystring: auditExportQuerySchema,
        response: {
          200: {
            description: 'RFC 4180 CSV, one entry a row, newest first',
            content: { 'text/csv': { schema: csvStreamSchema } },
          },
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const csv = auditCsv(db, request.query, request.locale);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="sabor-audit-${sofiaToday()}.csv"`)
        .header('cache-control', 'no-store')
        .send(csv);
    },
  );

  app.get(
    '/stats',
    {
      config: { access: 'moderator' },
      schema: {
        tags: ['moderation'],
        summary: 'Queue size, decisions per day (30 days, Europe/Sofia), median time to decision',
        response: { 200: moderationStatsSchema, ...errors },
      },
    },
    async () => moderationStats(db),
  );
};
