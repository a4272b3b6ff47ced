// A type-level test: `tsc` (the typecheck task) checks it, nothing runs it. Each
// `@ts-expect-error` fails the typecheck if publishLiveEvent ever accepts that call again.
import {
  consultationTopic,
  eventTopic,
  moderationQueueTopic,
  surveyTopic,
  userTopic,
} from '@sabor/contracts';
import type { Executor } from '@sabor/db';
import { publishLiveEvent } from './outbox';

declare const tx: Executor;
declare const someString: string;

export async function publishLiveEventAcceptsOnlyTheTopicsEvents(): Promise<void> {
  const consultation = consultationTopic('c');
  const seats = { type: 'seats_changed', seatsLeft: 3, waitlisted: 0 } as const;

  // Each topic's own events.
  await publishLiveEvent(tx, consultation, { type: 'version_published', number: 2 });
  await publishLiveEvent(tx, eventTopic('e'), seats);
  await publishLiveEvent(tx, surveyTopic('s'), { type: 'results_changed', responseCount: 7 });
  await publishLiveEvent(tx, userTopic('u'), { type: 'account_suspended' });

  // @ts-expect-error a type name no consultation event has
  await publishLiveEvent(tx, consultation, { type: 'version_changed', number: 2 });
  // @ts-expect-error a known type with a wrong field
  await publishLiveEvent(tx, consultation, { type: 'version_published', number: '2' });
  // @ts-expect-error a state no consultation has
  await publishLiveEvent(tx, consultation, { type: 'state_changed', state: 'paused' });
  // @ts-expect-error an item_changed event carries a whole moderation item
  await publishLiveEvent(tx, moderationQueueTopic, { type: 'item_changed' });
  // @ts-expect-error an event's seat count on a consultation's topic
  await publishLiveEvent(tx, consultation, seats);
  // @ts-expect-error a consultation's event on a user's topic
  await publishLiveEvent(tx, userTopic('u'), { type: 'version_published', number: 2 });
  // @ts-expect-error a payload that is no event at all
  await publishLiveEvent(tx, surveyTopic('s'), { responseCount: 7 });
  // @ts-expect-error a topic of no known kind
  await publishLiveEvent(tx, 'nothing:1', { type: 'account_suspended' });
  // @ts-expect-error a topic the type cannot place
  await publishLiveEvent(tx, someString, { type: 'account_suspended' });
}
