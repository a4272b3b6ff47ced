import { z } from 'zod';
import { defineRoutes } from './route';
import { displayNameSchema, passwordSchema, sessionInfoSchema, sessionUserSchema } from './auth';
import { isoDateTime, localeSchema, okSchema } from './common';

export const profileSchema = sessionUserSchema.extend({
  createdAt: isoDateTime,
});
export type Profile = z.infer<typeof profileSchema>;

export const updateProfileBodySchema = z
  .object({
    displayName: displayNameSchema.optional(),
    locale: localeSchema.optional(),
  })
  .refine((body) => body.displayName !== undefined || body.locale !== undefined, {
    message: 'required',
  });

export const changePasswordBodySchema = z.object({
  currentPassword: z.string().min(1).max(256),
  newPassword: passwordSchema,
});

export const sessionListSchema = z.object({ sessions: z.array(sessionInfoSchema) });

export const revokedSchema = z.object({ revoked: z.number().int() });

export const deleteAccountBodySchema = z.object({
  password: z.string().min(1).max(256),
});

/** Everything Sabor stores about a person ("download my data", GDPR art. 15/20). */
export const dataExportSchema = z.object({
  exportedAt: isoDateTime,
  profile: profileSchema,
  sessions: z.array(sessionInfoSchema),
  mails: z.array(
    z.object({
      subject: z.string(),
      createdAt: isoDateTime,
      status: z.string(),
    }),
  ),
  /** Everything the person wrote, deleted comments included (their text is gone). */
  comments: z.array(
    z.object({
      id: z.uuid(),
      consultationId: z.uuid(),
      parentId: z.uuid().nullable(),
      stance: z.string().nullable(),
      body: z.string(),
      createdAt: isoDateTime,
      editedAt: isoDateTime.nullable(),
      deletedAt: isoDateTime.nullable(),
    }),
  ),
  follows: z.array(z.object({ consultationId: z.uuid(), since: isoDateTime })),
  /** Event registrations made with the account, with the answers given. */
  eventRegistrations: z.array(
    z.object({
      id: z.uuid(),
      eventId: z.uuid(),
      eventTitle: z.string(),
      status: z.string(),
      name: z.string().nullable(),
      email: z.string().nullable(),
      answers: z.record(z.string(), z.union([z.string(), z.boolean()])),
      createdAt: isoDateTime,
      checkedInAt: isoDateTime.nullable(),
    }),
  ),
});
export type DataExport = z.infer<typeof dataExportSchema>;

/** A session's id as `/api/account/sessions/:id` takes it. */
export const sessionIdParamsSchema = z.object({ id: z.string().regex(/^[0-9a-f]{64}$/) });

const accountErrors = [400, 401, 403, 404] as const;

/** This feature's endpoints (see routes.ts). */
export const accountRoutes = defineRoutes({
  account: {
    method: 'GET',
    path: '/api/account',
    access: 'user',
    tag: 'account',
    summary: 'My profile',
    response: profileSchema,
    errors: accountErrors,
  },
  updateAccount: {
    method: 'PATCH',
    path: '/api/account',
    access: 'user',
    tag: 'account',
    summary: 'Change display name or language',
    body: updateProfileBodySchema,
    response: profileSchema,
    errors: accountErrors,
  },
  changePassword: {
    method: 'POST',
    path: '/api/account/password',
    access: 'user',
    tag: 'account',
    summary: 'Change password; other sessions end',
    body: changePasswordBodySchema,
    response: okSchema,
    errors: accountErrors,
  },
  sessions: {
    method: 'GET',
    path: '/api/account/sessions',
    access: 'user',
    tag: 'account',
    summary: 'My active sessions',
    response: sessionListSchema,
    errors: accountErrors,
  },
  revokeOtherSessions: {
    method: 'POST',
    path: '/api/account/sessions/revoke-others',
    access: 'user',
    tag: 'account',
    summary: 'Sign out everywhere else',
    response: revokedSchema,
    errors: accountErrors,
  },
  revokeSession: {
    method: 'DELETE',
    path: '/api/account/sessions/:id',
    access: 'user',
    tag: 'account',
    summary: 'End one of my sessions',
    params: sessionIdParamsSchema,
    response: okSchema,
    errors: accountErrors,
  },
  exportData: {
    method: 'GET',
    path: '/api/account/export',
    access: 'user',
    tag: 'account',
    summary: 'Download everything stored about me',
    response: dataExportSchema,
    errors: accountErrors,
  },
  deleteAccount: {
    method: 'POST',
    path: '/api/account/delete',
    access: 'user',
    tag: 'account',
    summary: 'Delete my account and personal data',
    body: deleteAccountBodySchema,
    response: okSchema,
    errors: accountErrors,
  },
});
