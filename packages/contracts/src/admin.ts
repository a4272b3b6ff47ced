import { z } from 'zod';
import { defineRoutes } from './route';
import { roleSchema } from './auth';
import { isoDateTime, localeSchema, multilineText, pageOf, pageQuerySchema } from './common';
import { limits } from './values';

export const adminUserSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  displayName: z.string(),
  role: roleSchema,
  locale: localeSchema,
  emailVerified: z.boolean(),
  suspended: z.boolean(),
  suspendedReason: z.string().nullable(),
  createdAt: isoDateTime,
});
export type AdminUser = z.infer<typeof adminUserSchema>;

export const userListQuerySchema = pageQuerySchema.extend({
  q: z.string().trim().max(limits.userSearch).optional(),
  role: roleSchema.optional(),
});
export const userListSchema = pageOf(adminUserSchema);

export const changeRoleBodySchema = z.object({ role: roleSchema });
/** Without `durationDays` (or with null) the suspension is permanent. */
export const suspendBodySchema = z.object({
  reason: multilineText(limits.accountActionReason).pipe(z.string().trim().min(1)),
  durationDays: z.number().int().min(1).max(3650).nullable().optional(),
});

/** This feature's endpoints (see routes.ts). */
export const userAdminRoutes = defineRoutes({});
