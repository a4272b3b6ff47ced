import { z } from 'zod';

/** A live topic: `<kind>:<id>`, e.g. `consultation:water-2026` or `moderation:queue`. */
export const liveTopicSchema = z.string().regex(/^[a-z]+:[a-z0-9-]{1,64}$/);
export const maxTopicsPerMessage = 10;
const topicsSchema = z.array(liveTopicSchema).min(1).max(maxTopicsPerMessage);

/** Messages a browser sends over /api/ws. */
export const clientMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ping'), id: z.string().max(64).optional() }),
  z.object({
    type: z.literal('subscribe'),
    topics: topicsSchema,
    /** The highest event id already seen on these topics, or null to start from now. */
    lastEventId: z.number().int().min(0).nullable(),
  }),
  z.object({ type: z.literal('unsubscribe'), topics: topicsSchema }),
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
    type: z.literal('subscribed'),
    topics: z.array(liveTopicSchema),
    /** Every event on these topics with a higher id follows, in id order, each once. */
    lastEventId: z.number().int().min(0),
  }),
  z.object({
    type: z.literal('event'),
    id: z.number().int().min(1),
    topic: liveTopicSchema,
    payload: z.unknown(),
  }),
  /**
   * Too much was missed on this topic to replay (or it was pruned): reload its state and subscribe
   * again.
   */
  z.object({ type: z.literal('resync'), topic: liveTopicSchema }),
  /**
   * How many connections (browser tabs, on every instance) follow this topic, the receiver's own
   * included. Approximate; sent when it changes, at most about once a second per topic.
   */
  z.object({
    type: z.literal('presence'),
    topic: liveTopicSchema,
    count: z.number().int().min(0),
  }),
  z.object({
    type: z.literal('error'),
    code: z.enum(['invalid_message', 'message_too_large', 'forbidden_topic', 'too_many_topics']),
    message: z.string(),
  }),
]);
export type ServerMessage = z.infer<typeof serverMessageSchema>;
export type LiveEvent = Extract<ServerMessage, { type: 'event' }>;

export const maxClientMessageBytes = 16 * 1024;

/**
 * Close codes the server uses on /api/ws (docs/realtime.md). After any of them the client may
 * reconnect and subscribe again from its bookmarks; nothing is lost.
 */
export const liveCloseCodes = {
  /** The server is shutting down or restarting. */
  goingAway: 1001,
  /** Abuse: too many refused messages, too many messages, or too many waiting. */
  policyViolation: 1008,
  /** A frame over the hard size limit. */
  messageTooBig: 1009,
  /** The server failed (e.g. the database) while handling a message. */
  internalError: 1011,
  /** The account was suspended: its sessions ended; do not reconnect as that user. */
  accountSuspended: 4003,
  /** The client reads too slowly: more was waiting to be sent than the server buffers. */
  tryAgainLater: 1013,
} as const;
