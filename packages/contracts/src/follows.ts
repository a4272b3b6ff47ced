import { z } from 'zod';
import { idParamsSchema } from './common';
import { defineRoutes } from './route';

/** Whether the signed-in resident follows a consultation (gets mail when it closes, etc.). */
export const followStatusSchema = z.object({ following: z.boolean() });
export type FollowStatus = z.infer<typeof followStatusSchema>;

/**
 * The secret of an unsubscribe link (`/follows/unsubscribe?token=…` in every follower mail):
 * 32 random bytes, base32 lower case without padding (52 characters).
 */
export const unsubscribeTokenSchema = z.string().regex(/^[a-z2-7]{52}$/);

export const unsubscribeBodySchema = z.object({ token: unsubscribeTokenSchema });
export type UnsubscribeBody = z.infer<typeof unsubscribeBodySchema>;

export const unsubscribeQuerySchema = z.object({ token: unsubscribeTokenSchema });

/** What an unsubscribe link is about, for the confirmation page. */
export const unsubscribeInfoSchema = z.object({
  consultationId: z.uuid(),
  titleBg: z.string(),
  titleEn: z.string().nullable(),
});
export type UnsubscribeInfo = z.infer<typeof unsubscribeInfoSchema>;

/** The answer to a successful unsubscribe: the same consultation, now no longer followed. */
export const unsubscribeResultSchema = unsubscribeInfoSchema.extend({
  following: z.literal(false),
});
export type UnsubscribeResult = z.infer<typeof unsubscribeResultSchema>;

export const followRoutes = defineRoutes({
  followStatus: {
    method: 'GET',
    path: '/api/consultations/:id/follow',
    access: 'user',
    tag: 'consultations',
    summary: 'Whether I follow this consultation',
    params: idParamsSchema,
    response: followStatusSchema,
    errors: [400, 401, 403, 404, 409],
  },
  follow: {
    method: 'PUT',
    path: '/api/consultations/:id/follow',
    access: 'user',
    tag: 'consultations',
    summary: 'Follow a consultation (idempotent)',
    params: idParamsSchema,
    response: followStatusSchema,
    errors: [400, 401, 403, 404, 409],
  },
  unfollow: {
    method: 'DELETE',
    path: '/api/consultations/:id/follow',
    access: 'user',
    tag: 'consultations',
    summary: 'Stop following a consultation (idempotent)',
    params: idParamsSchema,
    response: followStatusSchema,
    errors: [400, 401, 403, 404, 409],
  },
  unsubscribeInfo: {
    method: 'GET',
    path: '/api/follows/unsubscribe',
    access: 'public',
    tag: 'consultations',
    summary: 'What a mailed unsubscribe link is about (changes nothing)',
    query: unsubscribeQuerySchema,
    response: unsubscribeInfoSchema,
    errors: [400, 404],
  },
  unsubscribe: {
    method: 'POST',
    path: '/api/follows/unsubscribe',
    access: 'public',
    tag: 'consultations',
    summary: 'Stop following with the token of a mailed link, without signing in',
    body: unsubscribeBodySchema,
    response: unsubscribeResultSchema,
    errors: [400, 404],
    idempotent: 'resumable',
  },
});
