import { z } from 'zod';
import { defineRoutes } from './route';
import { roleSchema } from './auth';
import {
  idParamsSchema,
  isoDateTime,
  localeSchema,
  multilineText,
  pageOf,
  pageQuerySchema,
} from './common';
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

const userAdminErrors = [400, 401, 403, 404, 409] as const;

/** This feature's endpoints (see routes.ts). */
export const userAdminRoutes = defineRoutes({
  users: {
    method: 'GET',
    path: '/api/admin/users',
    access: 'admin',
    tag: 'admin',
    summary: 'Search users',
    query: userListQuerySchema,
    response: userListSchema,
    errors: userAdminErrors,
  },
  changeRole: {
    method: 'PATCH',
    path: '/api/admin/users/:id/role',
    access: 'admin',
    tag: 'admin',
    summary: 'Change a user’s role',
    params: idParamsSchema,
    body: changeRoleBodySchema,
    response: adminUserSchema,
    errors: userAdminErrors,
  },
  suspend: {
    method: 'POST',
    path: '/api/admin/users/:id/suspend',
    access: 'admin',
    tag: 'admin',
    summary: 'Suspend an account for some days or permanently (ends its sessions)',
    params: idParamsSchema,
    body: suspendBodySchema,
    response: adminUserSchema,
    errors: userAdminErrors,
  },
  unsuspend: {
    method: 'POST',
    path: '/api/admin/users/:id/unsuspend',
    access: 'admin',
    tag: 'admin',
    summary: 'Lift a suspension',
    params: idParamsSchema,
    response: adminUserSchema,
    errors: userAdminErrors,
  },
});
