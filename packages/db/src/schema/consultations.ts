import { sql } from 'drizzle-orm';
import {
  boolean,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { consultationCategories, consultationStates } from '@sabor/contracts/values';
import { users } from './users';

// The lists are the contracts' (one spelling for the API, the pages and the database).
export { consultationCategories, consultationStates };

/** A public consultation on a draft act (Law on Normative Acts, art. 26). */
export const consultations = pgTable(
  'consultations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    slug: text('slug'),
    titleBg: text('title_bg').notNull(),
    titleEn: text('title_en'),
    summary: text('summary').notNull(),
    /** Markdown as the author wrote it; the current version's text. */
    body: text('body').notNull(),
    category: text('category', { enum: consultationCategories }).notNull(),
    responsibleUnit: text('responsible_unit').notNull(),
    contactEmail: text('contact_email').notNull(),
    opensAt: timestamp('opens_at', { withTimezone: true }).notNull(),
    closesAt: timestamp('closes_at', { withTimezone: true }).notNull(),
    /** Required, and shown publicly, when the period is under 30 days. */
    shortPeriodReason: text('short_period_reason'),
    state: text('state', { enum: consultationStates }).notNull().default('draft'),
    currentVersion: integer('current_version').notNull().default(1),
    closedReason: text('closed_reason'),
    /** Pre-moderation: every comment is held until a moderator approves it. */
    premoderated: boolean('premoderated').notNull().default(false),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => users.id),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('consultations_slug_key').on(table.slug),
    index('consultations_state_idx').on(table.state),
    index('consultations_opens_at_idx').on(table.opensAt),
    index('consultations_closes_at_idx').on(table.closesAt),
    index('consultations_created_at_idx').on(sql`${table.createdAt} desc`),
  ],
);

/** Every published text of a consultation's draft; number 1 is the text it opened with. */
export const consultationVersions = pgTable(
  'consultation_versions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    consultationId: uuid('consultation_id')
      .notNull()
      .references(() => consultations.id, { onDelete: 'cascade' }),
    number: integer('number').notNull(),
    body: text('body').notNull(),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('consultation_versions_number_key').on(table.consultationId, table.number),
  ],
);

export type ConsultationRow = typeof consultations.$inferSelect;
export type ConsultationVersionRow = typeof consultationVersions.$inferSelect;
