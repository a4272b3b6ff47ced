import { z } from 'zod';

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
