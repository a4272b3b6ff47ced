import { z } from 'zod';
import { defineRoutes } from './route';
import { emailSchema, isoDateTime, lineText, localeSchema, okSchema } from './common';
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

/** The answer of a sign-in, a registration or the first-admin setup. */
export const signedInSchema = z.object({ user: sessionUserSchema });

/** The one-time first-admin setup link's token, and whether it is still valid. */
export const setupQuerySchema = z.object({ token: tokenSchema });
export const setupStatusSchema = z.object({ valid: z.boolean() });

const authErrors = [400, 401, 403, 409, 429] as const;

/** This feature's endpoints (see routes.ts). */
export const authRoutes = defineRoutes({
  session: {
    method: 'GET',
    path: '/api/auth/session',
    access: 'public',
    tag: 'auth',
    summary: 'The signed-in user, or null',
    response: currentSessionSchema,
    errors: [],
  },
  register: {
    method: 'POST',
    path: '/api/auth/register',
    access: 'public',
    tag: 'auth',
    summary: 'Create a resident account and sign in',
    body: registerBodySchema,
    status: 201,
    response: signedInSchema,
    errors: authErrors,
    idempotent: true,
    rateLimit: { max: 20, timeWindow: '1 hour' },
  },
  login: {
    method: 'POST',
    path: '/api/auth/login',
    access: 'public',
    tag: 'auth',
    summary: 'Sign in with email and password',
    body: loginBodySchema,
    response: signedInSchema,
    errors: authErrors,
  },
  logout: {
    method: 'POST',
    path: '/api/auth/logout',
    access: 'public',
    tag: 'auth',
    summary: 'End this session',
    response: okSchema,
    errors: [403],
  },
  verifyEmail: {
    method: 'POST',
    path: '/api/auth/verify-email',
    access: 'public',
    tag: 'auth',
    summary: 'Confirm an email address from the mailed link',
    body: verifyEmailBodySchema,
    response: okSchema,
    errors: authErrors,
  },
  resendVerification: {
    method: 'POST',
    path: '/api/auth/resend-verification',
    access: 'user',
    tag: 'auth',
    summary: 'Mail a new verification link',
    response: okSchema,
    errors: authErrors,
    rateLimit: { max: 5, timeWindow: '1 hour' },
  },
  forgotPassword: {
    method: 'POST',
    path: '/api/auth/forgot-password',
    access: 'public',
    tag: 'auth',
    summary: 'Mail a password reset link if the account exists',
    body: forgotPasswordBodySchema,
    response: okSchema,
    errors: authErrors,
    rateLimit: { max: 10, timeWindow: '1 hour' },
  },
  resetPassword: {
    method: 'POST',
    path: '/api/auth/reset-password',
    access: 'public',
    tag: 'auth',
    summary: 'Set a new password from a reset link; ends all sessions',
    body: resetPasswordBodySchema,
    response: okSchema,
    errors: authErrors,
  },
  setupStatus: {
    method: 'GET',
    path: '/api/auth/setup',
    access: 'public',
    tag: 'auth',
    summary: 'Whether a first-admin setup link is still valid',
    query: setupQuerySchema,
    response: setupStatusSchema,
    errors: [400],
  },
  setup: {
    method: 'POST',
    path: '/api/auth/setup',
    access: 'public',
    tag: 'auth',
    summary: 'Create the first admin from the one-time setup link',
    body: setupBodySchema,
    status: 201,
    response: signedInSchema,
    errors: authErrors,
  },
});
