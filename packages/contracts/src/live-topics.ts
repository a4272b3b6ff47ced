// Zod-free: topic names are values the browser needs without the schemas.

/** The kinds of live topics; each has its own events (`liveEventSchemas` in live.ts). */
export const liveTopicKinds = ['consultation', 'event', 'survey', 'moderation', 'user'] as const;
export type LiveTopicKind = (typeof liveTopicKinds)[number];

/** A topic of `kind`: `<kind>:<id>`, e.g. `consultation:<uuid>` or `moderation:queue`. */
export type LiveTopic<K extends LiveTopicKind = LiveTopicKind> = `${K}:${string}`;

/** A consultation's comments, responses and state changes. */
export const consultationTopic = (consultationId: string): LiveTopic<'consultation'> =>
  `consultation:${consultationId}`;
/** An event's seat counts and changes (a conference, not a live event). */
export const eventTopic = (eventId: string): LiveTopic<'event'> => `event:${eventId}`;
/** A survey's live result counts. */
export const surveyTopic = (surveyId: string): LiveTopic<'survey'> => `survey:${surveyId}`;
/** The moderators' queue (moderators and admins only). */
export const moderationQueueTopic: LiveTopic<'moderation'> = 'moderation:queue';
/** A user's own topic: notices about their content and account (that user only). */
export const userTopic = (userId: string): LiveTopic<'user'> => `user:${userId}`;

/** The kind of a topic (`consultation` of `consultation:<id>`), or null when it is none of them. */
export function liveTopicKind(topic: string): LiveTopicKind | null {
  const [kind] = topic.split(':', 1);
  return liveTopicKinds.find((known) => known === kind) ?? null;
}
