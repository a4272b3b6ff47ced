import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import {
  eventTypes,
  eventStates,
  eventQuestionKinds,
  registrationStatuses,
} from '@sabor/contracts/values';
import { users } from './users';

// The lists are the contracts' (one spelling for the API, the pages and the database).
export { eventTypes, eventStates, eventQuestionKinds, registrationStatuses };

/**
 * A public event the municipality runs (conference, forum, hearing…). Times are instants (UTC in
 * the database); pages and mails show them in Europe/Sofia.
 */
export const events = pgTable(
  'events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    slug: text('slug'),
    type: text('type', { enum: eventTypes }).notNull(),
    titleBg: text('title_bg').notNull(),
    titleEn: text('title_en'),
    /** Markdown as written. */
    descriptionBg: text('description_bg').notNull(),
    descriptionEn: text('description_en'),
    venueBg: text('venue_bg').notNull(),
    venueEn: text('venue_en'),
    addressBg: text('address_bg').notNull(),
    addressEn: text('address_en'),
    onlineUrl: text('online_url'),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    /** Seats; null means unlimited (nobody is ever waitlisted). */
    capacity: integer('capacity'),
    /** Null: registration is open from publication. */
    registrationOpensAt: timestamp('registration_opens_at', { withTimezone: true }),
    /** Null: registration closes when the event starts. */
    registrationClosesAt: timestamp('registration_closes_at', { withTimezone: true }),
    /** Whether people without an account may register (name, email and a confirmation link). */
    guestsAllowed: boolean('guests_allowed').notNull().default(true),
    state: text('state', { enum: eventStates }).notNull().default('draft'),
    cancelledReason: text('cancelled_reason'),
    /** iCalendar SEQUENCE: raised on every change of time or place, so calendars update. */
    sequence: integer('sequence').notNull().default(0),
    /** When the attendees' names, emails and answers were removed (retention); counts remain. */
    personalDataRemovedAt: timestamp('personal_data_removed_at', { withTimezone: true }),
    createdBy: uuid('created_by').references(() => users.id),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('events_slug_key').on(table.slug),
    index('events_state_starts_idx').on(table.state, table.startsAt),
    index('events_ends_at_idx').on(table.endsAt),
    check('events_capacity_check', sql`${table.capacity} is null or ${table.capacity} >= 0`),
    check('events_ends_after_starts_check', sql`${table.endsAt} > ${table.startsAt}`),
  ],
);

/** One point of an event's programme. */
export const eventAgendaItems = pgTable(
  'event_agenda_items',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }),
    titleBg: text('title_bg').notNull(),
    titleEn: text('title_en'),
    speakers: text('speakers'),
  },
  (table) => [uniqueIndex('event_agenda_items_position_key').on(table.eventId, table.position)],
);

/** A choice question's option: `key` is what an answer stores. */
export interface EventQuestionOption {
  key: string;
  labelBg: string;
  labelEn: string | null;
}

/** A custom question of the registration form. */
export const eventQuestions = pgTable(
  'event_questions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    kind: text('kind', { enum: eventQuestionKinds }).notNull(),
    labelBg: text('label_bg').notNull(),
    labelEn: text('label_en'),
    required: boolean('required').notNull().default(false),
    options: jsonb('options').$type<EventQuestionOption[]>().notNull().default([]),
  },
  (table) => [uniqueIndex('event_questions_position_key').on(table.eventId, table.position)],
);

/** Why a registration ended. */
export const registrationCancelReasons = ['attendee', 'expired', 'staff'] as const;

/** An answer to a custom question: text, a choice's key, or a checkbox/consent tick. */
export type RegistrationAnswer = string | boolean;

/**
 * One person's registration for an event. A confirmed or pending one holds a seat; a waitlisted
 * one waits in `seq` order. Name, email and answers are blanked a while after the event.
 */
export const registrations = pgTable(
  'registrations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    /** Arrival order (the waitlist's order): assigned while the event row is locked. */
    seq: bigint('seq', { mode: 'number' }).generatedAlwaysAsIdentity().notNull(),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
    /** Null once personal data is removed. */
    name: text('name'),
    /** Lower-cased; null once personal data is removed. */
    email: text('email'),
    /** The language of mails to this registrant. */
    locale: text('locale', { enum: ['bg', 'en'] })
      .notNull()
      .default('bg'),
    status: text('status', { enum: registrationStatuses }).notNull(),
    /** When the email address was confirmed (at once for accounts; by the mailed link for guests). */
    emailConfirmedAt: timestamp('email_confirmed_at', { withTimezone: true }),
    /** An unconfirmed guest registration is released after this. */
    confirmBy: timestamp('confirm_by', { withTimezone: true }),
    answers: jsonb('answers').$type<Record<string, RegistrationAnswer>>().notNull().default({}),
    /** The random part of the ticket code (the code adds an HMAC of it). */
    ticketId: text('ticket_id').notNull(),
    checkedInAt: timestamp('checked_in_at', { withTimezone: true }),
    checkedInBy: uuid('checked_in_by').references(() => users.id, { onDelete: 'set null' }),
    remindedAt: timestamp('reminded_at', { withTimezone: true }),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    cancelReason: text('cancel_reason', { enum: registrationCancelReasons }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    // One active registration per person per event, by email and by account.
    uniqueIndex('registrations_active_email_key')
      .on(table.eventId, table.email)
      .where(sql`${table.status} <> 'cancelled'`),
    uniqueIndex('registrations_active_user_key')
      .on(table.eventId, table.userId)
      .where(sql`${table.status} <> 'cancelled'`),
    uniqueIndex('registrations_ticket_id_key').on(table.ticketId),
    index('registrations_event_status_seq_idx').on(table.eventId, table.status, table.seq),
    index('registrations_user_idx').on(table.userId, sql`${table.createdAt} desc`),
    index('registrations_confirm_by_idx')
      .on(table.confirmBy)
      .where(sql`${table.emailConfirmedAt} is null and ${table.status} <> 'cancelled'`),
  ],
);

export type EventRow = typeof events.$inferSelect;
export type EventAgendaItemRow = typeof eventAgendaItems.$inferSelect;
export type EventQuestionRow = typeof eventQuestions.$inferSelect;
export type RegistrationRow = typeof registrations.$inferSelect;
