import type { Registration } from '@sabor/contracts';
import { registrations } from '@sabor/db';
import { and, asc, eq, ne } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, signUp, type TestApp } from '../../../test/helper';
import { publishedEvent, quickUsers, register, type QuickUser } from './test-fixtures';

let t: TestApp;
let admin: Awaited<ReturnType<typeof signUp>>;
let people: QuickUser[];

beforeAll(async () => {
  // Enough connections that the 200 requests really do race on PostgreSQL.
  t = await buildTestApp({ DATABASE_POOL_SIZE: '40' });
  admin = await signUp(t, { role: 'admin' });
  people = await quickUsers(t, 200, 'cap');
}, 120_000);
afterAll(() => t.close());

const rounds = 3;

describe('capacity under concurrency', () => {
  for (let round = 1; round <= rounds; round += 1) {
    it(`round ${round}: 200 at once for 50 seats give exactly 50 confirmed and 150 waitlisted`, async () => {
      const event = await publishedEvent(t, admin.cookie, { capacity: 50 });
      const responses = await Promise.all(
        people.map((person) => register(t, event.id, { cookie: person.cookie })),
      );
      expect(responses.map((r) => r.statusCode).filter((s) => s !== 201)).toEqual([]);
      const statuses = responses.map((r) => r.json<Registration>().status);
      expect(statuses.filter((s) => s === 'confirmed')).toHaveLength(50);
      expect(statuses.filter((s) => s === 'waitlisted')).toHaveLength(150);

      const rows = await t.app.db
        .select()
        .from(registrations)
        .where(eq(registrations.eventId, event.id))
        .orderBy(asc(registrations.seq));
      expect(rows).toHaveLength(200);
      // Arrival order decides: the first 50 in seq order hold the seats, the rest wait in order.
      expect(rows.slice(0, 50).every((r) => r.status === 'confirmed')).toBe(true);
      expect(rows.slice(50).every((r) => r.status === 'waitlisted')).toBe(true);
      const positions = responses
        .map((r) => r.json<Registration>())
        .filter((r) => r.status === 'waitlisted')
        .map((r) => r.waitlistPosition)
        .sort((a, b) => a! - b!);
      expect(positions).toEqual(Array.from({ length: 150 }, (_, i) => i + 1));

      // Ten concurrent cancellations promote the first ten waiting, in order.
      const cancelled = rows.slice(0, 10);
      const byId = new Map(people.map((p) => [p.id, p]));
      await Promise.all(
        cancelled.map((row) =>
          t.inject({
            method: 'POST',
            url: `/api/account/registrations/${row.id}/cancel`,
            cookie: byId.get(row.userId!)!.cookie,
          }),
        ),
      );
      const after = await t.app.db
        .select()
        .from(registrations)
        .where(and(eq(registrations.eventId, event.id), ne(registrations.status, 'cancelled')))
        .orderBy(asc(registrations.seq));
      expect(after.filter((r) => r.status === 'confirmed').map((r) => r.seq)).toEqual(
        rows.slice(10, 60).map((r) => r.seq),
      );
      expect(after.filter((r) => r.status === 'waitlisted')).toHaveLength(140);
    });
  }

  it('never registers one person twice under concurrent double submits (account and guest email)', async () => {
    const event = await publishedEvent(t, admin.cookie, { capacity: 5 });
    const doubled = people.slice(0, 20);
    const guestEmail = `double-${Date.now()}@example.bg`;
    const responses = await Promise.all([
      ...doubled.flatMap((person) => [
        register(t, event.id, { cookie: person.cookie }),
        register(t, event.id, { cookie: person.cookie }),
        // The same person again as a guest with the account's email.
        register(t, event.id, { payload: { name: 'Двоен', email: person.email } }),
      ]),
      ...Array.from({ length: 6 }, () =>
        register(t, event.id, { payload: { name: 'Гост', email: guestEmail } }),
      ),
    ]);
    const codes = responses.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 201)).toHaveLength(21);
    expect(codes.filter((c) => c === 409)).toHaveLength(responses.length - 21);
    for (const response of responses.filter((r) => r.statusCode === 409)) {
      expect(response.json()).toMatchObject({ error: { code: 'already_registered' } });
    }
    const rows = await t.app.db
      .select()
      .from(registrations)
      .where(eq(registrations.eventId, event.id));
    expect(rows).toHaveLength(21);
    expect(new Set(rows.map((r) => r.email)).size).toBe(21);
    expect(
      rows.filter((r) => r.status === 'confirmed' || r.status === 'pending_confirmation'),
    ).toHaveLength(5);
  });

  it('refuses a duplicate in the database itself (the unique index), not only in the service', async () => {
    const event = await publishedEvent(t, admin.cookie, { capacity: 5 });
    const person = people[0]!;
    await register(t, event.id, { cookie: person.cookie });
    await expect(
      t.app.db.insert(registrations).values({
        eventId: event.id,
        userId: null,
        name: 'x',
        email: person.email,
        status: 'waitlisted',
        ticketId: `dup${Date.now()}`,
      }),
    ).rejects.toThrow();
  });
});
