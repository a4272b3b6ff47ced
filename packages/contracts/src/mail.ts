import { z } from 'zod';
import { defineRoutes } from './route';
import { idParamsSchema, isoDateTime, pageOf, pageQuerySchema } from './common';

export const mailStatuses = ['pending', 'sent', 'failed'] as const;
export const mailStatusSchema = z.enum(mailStatuses);

export const outboxMailSchema = z.object({
  id: z.uuid(),
  to: z.string(),
  subject: z.string(),
  text: z.string(),
  status: mailStatusSchema,
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  createdAt: isoDateTime,
  sentAt: isoDateTime.nullable(),
});
export type OutboxMail = z.infer<typeof outboxMailSchema>;

export const outboxQuerySchema = pageQuerySchema.extend({
  to: z.string().trim().max(254).optional(),
});
export const outboxListSchema = pageOf(outboxMailSchema);

/** This feature's endpoints (see routes.ts). */
export const outboxRoutes = defineRoutes({
  outbox: {
    method: 'GET',
    path: '/api/admin/outbox',
    access: 'admin',
    tag: 'admin',
    summary: 'Queued and sent mails, newest first',
    query: outboxQuerySchema,
    response: outboxListSchema,
    errors: [],
  },
  outboxMail: {
    method: 'GET',
    path: '/api/admin/outbox/:id',
    access: 'admin',
    tag: 'admin',
    summary: 'One queued or sent mail',
    params: idParamsSchema,
    response: outboxMailSchema,
    errors: [404],
  },
});
