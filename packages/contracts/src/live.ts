import { z } from 'zod';
import { consultationLiveEventSchema } from './consultations';
import { eventLiveEventSchema } from './events';
import { liveTopicKind, type LiveTopic, type LiveTopicKind } from './live-topics';
import { moderationLiveEventSchema, userLiveEventSchema } from './moderation';
import { surveyLiveEventSchema } from './surveys';

export * from './live-topics';

/**
 * The events of each kind of topic, each a discriminated union on `type`. `publishLiveEvent`
 * accepts only these, and the browser parses each event it receives with its topic's schema.
 */
export const liveEventSchemas = {
  consultation: consultationLiveEventSchema,
  event: eventLiveEventSchema,
  survey: surveyLiveEventSchema,
  moderation: moderationLiveEventSchema,
  user: userLiveEventSchema,
} as const satisfies Record<LiveTopicKind, z.ZodType<{ type: string }>>;

/** The payload of an event on a topic of kind `K`. */
export type LiveEventOf<K extends LiveTopicKind> = z.infer<(typeof liveEventSchemas)[K]>;

/**
 * Any topic's event. Event type names are unique across topics (zod refuses a duplicate here), so
 * a payload says what it is without its topic.
 */
export const livePayloadSchema = z.discriminatedUnion('type', [
  consultationLiveEventSchema,
  eventLiveEventSchema,
  surveyLiveEventSchema,
  moderationLiveEventSchema,
  userLiveEventSchema,
]);
export type LivePayload = z.infer<typeof livePayloadSchema>;

/** liveEventSchemas, typed so that indexing with a kind K gives the schema of K's events. */
const schemaOfKind: { [K in LiveTopicKind]: z.ZodType<LiveEventOf<K>> } = liveEventSchemas;
/** Refuses anything: what a topic of no known kind is parsed with. */
const noEvents = z.never({ error: 'not a topic kind with live events' });

/**
 * Parses a payload received on `topic` with that topic's events: an event of another topic, an
 * unknown type or a malformed one fails.
 */
export function parseLiveEvent<K extends LiveTopicKind>(
  topic: LiveTopic<K>,
  payload: unknown,
): z.ZodSafeParseResult<LiveEventOf<K>> {
  // A LiveTopic<K> starts with `K:`, so the kind read back from it is K (the type cannot say so).
  const kind = liveTopicKind(topic) as K | null;
  return (kind ? schemaOfKind[kind] : noEvents).safeParse(payload);
}

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
    /** One of the topic's own events (`liveEventSchemas`). */
    payload: livePayloadSchema,
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
/** An event message of a topic of kind `K`, its payload parsed with that topic's events. */
export type LiveEventMessage<K extends LiveTopicKind> = Omit<LiveEvent, 'topic' | 'payload'> & {
  topic: LiveTopic<K>;
  payload: LiveEventOf<K>;
};

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
