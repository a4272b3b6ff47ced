import { z } from 'zod';
import { defineRoutes } from './route';

/** Municipality identity, all from configuration. */
export const siteSchema = z.object({
  name: z.object({ bg: z.string(), en: z.string() }),
  logoUrl: z.string().nullable(),
  primaryColor: z.string(),
  accentColor: z.string(),
  contact: z.object({
    email: z.string(),
    phone: z.string(),
    address: z.object({ bg: z.string(), en: z.string() }),
  }),
  mailDelivery: z.enum(['smtp', 'outbox']),
  setupRequired: z.boolean(),
});
export type Site = z.infer<typeof siteSchema>;

export const healthSchema = z.object({
  status: z.enum(['ok', 'unavailable']),
  database: z.enum(['ok', 'down']),
  engine: z.enum(['pglite', 'postgres']),
  version: z.string(),
});
export type Health = z.infer<typeof healthSchema>;

/** This feature's endpoints (see routes.ts). */
export const systemRoutes = defineRoutes({
  /** Answers 503 with the same body when the database is down. */
  health: {
    method: 'GET',
    path: '/api/health',
    access: 'public',
    tag: 'system',
    summary: 'Liveness and database check',
    response: healthSchema,
    errors: [],
    otherResponses: { 503: healthSchema },
    rateLimit: false,
  },
  site: {
    method: 'GET',
    path: '/api/site',
    access: 'public',
    tag: 'system',
    summary: 'Municipality name, logo, colours and contacts',
    response: siteSchema,
    errors: [500],
  },
});
