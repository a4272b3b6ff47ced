import { z } from 'zod';
import { defineRoutes } from './route';
import { emailSchema, isoDateTime, lineText, localeSchema } from './common';
import { limits, passwordMinLength, roles } from './values';

export const roleSchema = z.enum(roles);
export type Role = z.infer<typeof roleSchema>;

export const passwordSchema = z.string().min(passwordMinLength).max(limits.password);
export const displayNameSchema = lineText(limits.displayName);
export const tokenSchema = z
  .string()
  .min(16)
  .max(128)
  .regex(/^[a-z0-9]+$/);

/** The signed-in user as every page sees it. */
export const sessionUserSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  displayName: z.string(),
  role: roleSchema,
  locale: localeSchema,
  emailVerified: z.boolean(),
});
export type SessionUser = z.infer<typeof sessionUserSchema>;

export const currentSessionSchema = z.object({
  user: sessionUserSchema.nullable(),
});

export const registerBodySchema = z.object({
  email: emailSchema,
  displayName: displayNameSchema,
  password: passwordSchema,
  locale: localeSchema.optional(),
});
export type RegisterBody = z.infer<typeof registerBodySchema>;

export const loginBodySchema = z.object({
  email: emailSchema,
  password: z.string().min(1).max(256),
});

export const verifyEmailBodySchema = z.object({ token: tokenSchema });
export const forgotPasswordBodySchema = z.object({ email: emailSchema });
export const resetPasswordBodySchema = z.object({ token: tokenSchema, password: passwordSchema });
export const setupBodySchema = z.object({
  token: tokenSchema,
  email: emailSchema,
  displayName: displayNameSchema,
  password: passwordSchema,
});

export const sessionInfoSchema = z.object({
  id: z.string(),
  createdAt: isoDateTime,
  lastSeenAt: isoDateTime,
  expiresAt: isoDateTime,
  userAgent: z.string().nullable(),
  ip: z.string().nullable(),
  current: z.boolean(),
});
export type SessionInfo = z.infer<typeof sessionInfoSchema>;

/** This feature's endpoints (see routes.ts). */
export const authRoutes = defineRoutes({});
