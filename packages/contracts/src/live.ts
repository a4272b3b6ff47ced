import { z } from 'zod';

/** Messages a browser sends over /api/ws. */
export const clientMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ping'), id: z.string().max(64).optional() }),
]);
export type ClientMessage = z.infer<typeof clientMessageSchema>;

/** Messages the server sends over /api/ws. */
export const serverMessageSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('welcome'),
    userId: z.uuid().nullable(),
    protocol: z.literal(1),
  }),
  z.object({ type: z.literal('pong'), id: z.string().optional() }),
  z.object({
    type: z.literal('error'),
    code: z.enum(['invalid_message', 'message_too_large']),
    message: z.string(),
  }),
]);
export type ServerMessage = z.infer<typeof serverMessageSchema>;

export const maxClientMessageBytes = 16 * 1024;
