import { describe, expect, it } from 'vitest';
import type { Comment } from './comments';
import {
  consultationTopic,
  eventTopic,
  liveTopicKind,
  moderationQueueTopic,
  parseLiveEvent,
  serverMessageSchema,
  surveyTopic,
  userTopic,
} from './live';

const id = '6f1c2a52-4b8e-4d8a-9a55-3a7e2b1c0d9e';
const at = '2026-03-01T10:00:00.000Z';

/** A comment view as the API publishes it in comment_created. */
const comment: Comment = {
  id,
  consultationId: id,
  parentId: null,
  rootId: id,
  depth: 0,
  author: { id, displayName: 'Мария' },
  stance: 'for',
  bodyHtml: '<p>Повече пейки</p>',
  body: 'Повече пейки',
  versionNumber: 1,
  supportCount: 0,
  supportedByMe: false,
  replyCount: 0,
  createdAt: at,
  editedAt: null,
  deleted: false,
  mine: false,
  editableUntil: null,
  response: null,
  moderation: { state: 'visible', reasonCode: null, reasonText: null, holdReason: null },
  reportedByMe: false,
};

describe('live events', () => {
  it("accepts each topic's own events", () => {
    const accepted = [
      parseLiveEvent(consultationTopic(id), { type: 'comment_created', comment }),
      parseLiveEvent(consultationTopic(id), { type: 'support_changed', id, supportCount: 3 }),
      parseLiveEvent(consultationTopic(id), { type: 'state_changed', state: 'closed' }),
      parseLiveEvent(eventTopic(id), { type: 'seats_changed', seatsLeft: null, waitlisted: 0 }),
      parseLiveEvent(surveyTopic(id), { type: 'results_changed', responseCount: 12 }),
      parseLiveEvent(userTopic(id), { type: 'account_suspended' }),
    ];
    for (const result of accepted) expect(result.error).toBeUndefined();
    expect(accepted[0]?.data).toEqual({ type: 'comment_created', comment });
  });

  it('refuses a malformed event, an unknown type and an event of another topic', () => {
    const refused = [
      // A comment without its author.
      parseLiveEvent(consultationTopic(id), {
        type: 'comment_created',
        comment: { ...comment, author: undefined },
      }),
      parseLiveEvent(consultationTopic(id), { type: 'support_changed', id, supportCount: -1 }),
      parseLiveEvent(consultationTopic(id), { type: 'state_changed', state: 'paused' }),
      parseLiveEvent(consultationTopic(id), { type: 'comment_vanished', id }),
      parseLiveEvent(consultationTopic(id), 'comment_created'),
      parseLiveEvent(moderationQueueTopic, { type: 'item_changed', item: { id } }),
      // Events of other topics.
      parseLiveEvent(consultationTopic(id), { type: 'results_changed', responseCount: 1 }),
      parseLiveEvent(surveyTopic(id), { type: 'account_suspended' }),
    ];
    for (const result of refused) expect(result.success).toBe(false);
  });

  it('refuses the events of a topic of no known kind', () => {
    // A topic the types would refuse, as a server of another version might send it.
    const topic = 'poll:1' as ReturnType<typeof surveyTopic>;
    expect(parseLiveEvent(topic, { type: 'results_changed', responseCount: 1 }).success).toBe(
      false,
    );
    expect(liveTopicKind('poll:1')).toBeNull();
    expect(liveTopicKind(moderationQueueTopic)).toBe('moderation');
  });

  it('checks the payload of an event message', () => {
    const message = { type: 'event', id: 42, topic: surveyTopic(id) };
    const payload = { type: 'results_changed', responseCount: 5 };
    expect(serverMessageSchema.safeParse({ ...message, payload }).success).toBe(true);
    const malformed = { ...payload, responseCount: 'five' };
    expect(serverMessageSchema.safeParse({ ...message, payload: malformed }).success).toBe(false);
    expect(serverMessageSchema.safeParse({ ...message, payload: { n: 1 } }).success).toBe(false);
  });
});
