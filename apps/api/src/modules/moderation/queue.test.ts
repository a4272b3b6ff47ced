import { moderationQueueCountCap, type Consultation } from '@sabor/contracts';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openConsultation } from '../../../test/fixtures';
import { buildTestApp, signUp, type TestApp } from '../../../test/helper';
import { queueOf, type Person } from './test-support';

let t: TestApp;
let moderator: Person;
let author: Person;
let open: Consultation;

beforeAll(async () => {
  t = await buildTestApp();
  const admin = await signUp(t, { role: 'admin' });
  moderator = await signUp(t, { role: 'moderator' });
  author = await signUp(t);
  open = await openConsultation(t, admin.cookie);
}, 60_000);
afterAll(() => t.close());

/** `n` held comments in the queue at once, written in bulk (as a flood would leave them). */
async function queueHeldComments(n: number, cause: 'held' | 'reported') {
  await t.app.db.execute(sql`
    with made as (
      insert into comments (consultation_id, author_id, body, version_number, stance)
      select ${open.id}::uuid, ${author.id}::uuid, 'Реклама ' || g, 1, 'for'
        from generate_series(1, ${n}::int) g
      returning id)
    insert into moderation_items (subject_type, subject_id, consultation_id, author_id, cause)
    select 'comment', id, ${open.id}::uuid, ${author.id}::uuid, ${cause} from made`);
}

describe('the moderation queue total', () => {
  it('is exact up to the cap and says "more than" past it, with the page still served', async () => {
    await queueHeldComments(3, 'reported');
    expect(await queueOf(t, moderator, 'cause=reported')).toMatchObject({
      total: 3,
      totalCapped: false,
    });

    await queueHeldComments(moderationQueueCountCap - 3, 'held');
    const full = await queueOf(t, moderator);
    expect(full).toMatchObject({ total: moderationQueueCountCap, totalCapped: false });

    await queueHeldComments(1, 'held');
    const flooded = await queueOf(t, moderator);
    expect(flooded).toMatchObject({ total: moderationQueueCountCap, totalCapped: true });
    expect(flooded.items).toHaveLength(flooded.pageSize);
    expect(await queueOf(t, moderator, 'cause=reported')).toMatchObject({
      total: 3,
      totalCapped: false,
    });
  }, 60_000);
});
