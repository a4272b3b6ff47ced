import { sql } from 'drizzle-orm';
import { index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Lower-cased. A deleted account keeps a placeholder so the row (and authorship) stays. */
    email: text('email').notNull(),
    displayName: text('display_name').notNull(),
    passwordHash: text('password_hash'),
    role: text('role', { enum: ['resident', 'moderator', 'admin'] })
      .notNull()
      .default('resident'),
    locale: text('locale', { enum: ['bg', 'en'] })
      .notNull()
      .default('bg'),
    emailVerifiedAt: timestamp('email_verified_at', { withTimezone: true }),
    suspendedAt: timestamp('suspended_at', { withTimezone: true }),
    suspendedReason: text('suspended_reason'),
    /** When a suspension ends by itself; null with `suspendedAt` set means permanent. */
    suspendedUntil: timestamp('suspended_until', { withTimezone: true }),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('users_email_key').on(table.email),
    index('users_role_idx').on(table.role),
    index('users_created_at_idx').on(sql`${table.createdAt} desc`),
  ],
);

export type UserRow = typeof users.$inferSelect;
