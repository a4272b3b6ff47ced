import { index, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Stored responses of create requests that carried an Idempotency-Key, replayed on retry. */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    key: text('key').notNull(),
    /** Who sent it: "user:<id>", or "anonymous". */
    scope: text('scope').notNull(),
    method: text('method').notNull(),
    path: text('path').notNull(),
    requestHash: text('request_hash').notNull(),
    statusCode: integer('status_code'),
    responseBody: text('response_body'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /**
     * The request working on the key holds it for a lease from this time; once the lease ran out
     * with no response stored (the request failed with the database, or its process died), a retry
     * takes the key over.
     */
    claimedAt: timestamp('claimed_at', { withTimezone: true }).notNull().defaultNow(),
    /** Which request holds the lease: only it may mark the key or store its response. */
    claimId: uuid('claim_id').notNull().defaultRandom(),
    /**
     * Written in the same transaction as the created resource (markIdempotentWrite): set means the
     * write committed, so a takeover answers with that resource instead of writing again.
     */
    resourceId: text('resource_id'),
  },
  (table) => [
    primaryKey({ name: 'idempotency_keys_pkey', columns: [table.scope, table.key] }),
    index('idempotency_keys_created_at_idx').on(table.createdAt),
  ],
);

/** Server secrets generated at first start when not configured (e.g. the ticket signing key). */
export const appSecrets = pgTable('app_secrets', {
  name: text('name').primaryKey(),
  value: text('value').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
