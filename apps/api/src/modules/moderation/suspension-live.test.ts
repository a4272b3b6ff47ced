import { liveCloseCodes, userLiveEventSchema, type Consultation } from '@sabor/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openConsultation, secondInstance, connect, until } from '../../../test/fixtures';
import { buildTestApp, type TestApp } from '../../../test/helper';
import { postComment, postCommentOk, settledPerson, type Person } from './people-fixtures';

let t: TestApp;
let admin: Person;
let moderator: Person;
let consultation: Consultation;

beforeAll(async () => {
  t = await buildTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  admin = await settledPerson(t, { role: 'admin' });
  moderator = await settledPerson(t, { role: 'moderator' });
  consultation = await openConsultation(t, admin.cookie);
});
afterAll(async () => {
  await t.close();
});

const suspend = (target: Person, app: TestApp = t) =>
  app.inject({
    method: 'POST',
    url: `/api/moderation/users/${target.id}/suspend`,
    cookie: moderator.cookie,
    payload: { reason: 'Спам', durationDays: 3 },
  });

describe('a user’s own live topic', () => {
  it('is theirs alone: anyone else, signed in or not, is refused it', async () => {
    const owner = await settledPerson(t);
    const stranger = await settledPerson(t);
    const mine = await connect(t, { cookie: owner.cookie });
    expect(await mine.subscribe([`user:${owner.id}`])).toMatchObject({
      topics: [`user:${owner.id}`],
    });
    for (const client of [await connect(t, { cookie: stranger.cookie }), await connect(t)]) {
      client.send({ type: 'subscribe', topics: [`user:${owner.id}`], lastEventId: null });
      expect(await client.nth('error', 1)).toMatchObject({ code: 'forbidden_topic' });
      client.socket.close();
    }
    // Staff follow the queue, not other people's topics.
    const staff = await connect(t, { cookie: moderator.cookie });
    staff.send({ type: 'subscribe', topics: [`user:${owner.id}`], lastEventId: null });
    expect(await staff.nth('error', 1)).toMatchObject({ code: 'forbidden_topic' });
    staff.socket.close();
    mine.socket.close();
  });

  it('delivers a notice live to its owner', async () => {
    const owner = await settledPerson(t);
    const client = await connect(t, { cookie: owner.cookie });
    await client.subscribe([`user:${owner.id}`]);
    const warned = await t.inject({
      method: 'POST',
      url: `/api/moderation/users/${owner.id}/warn`,
      cookie: moderator.cookie,
      payload: { reason: 'Моля, без лични нападки.' },
    });
    expect(warned.statusCode).toBe(200);
    await until(() => client.events(`user:${owner.id}`).length > 0, 'the notice');
    const event = userLiveEventSchema.parse(client.events(`user:${owner.id}`)[0]?.payload);
    expect(event).toMatchObject({
      type: 'notice',
      notice: { kind: 'warning', reasonText: 'Моля, без лични нападки.', read: false },
    });
    client.socket.close();
  });

  it('does not count against the topics a socket may follow', async () => {
    const owner = await settledPerson(t);
    const client = await connect(t, { cookie: owner.cookie });
    for (let batch = 0; batch < 5; batch += 1)
      await client.subscribe(Array.from({ length: 10 }, (_, i) => `consultation:c${batch}-${i}`));
    expect(client.received.filter((m) => m.type === 'error')).toEqual([]);
    client.socket.close();
  });
});

describe('suspension closes the person’s live sockets', () => {
  it('closes every open socket of theirs with 4003, and their next comment is refused', async () => {
    const target = await settledPerson(t);
    const bystander = await settledPerson(t);
    await postCommentOk(t, consultation.id, target);
    const following = await connect(t, { cookie: target.cookie });
    await following.subscribe([`consultation:${consultation.id}`]);
    const idle = await connect(t, { cookie: target.cookie });
    const other = await connect(t, { cookie: bystander.cookie });

    expect((await suspend(target)).statusCode).toBe(200);
    expect(await following.closed()).toMatchObject({ code: liveCloseCodes.accountSuspended });
    expect(await idle.closed()).toMatchObject({ code: liveCloseCodes.accountSuspended });

    const refused = await postComment(t, consultation.id, target, 'Още един опит');
    expect(refused.statusCode).toBe(401);
    expect(refused.json()).toMatchObject({ error: { code: 'unauthorized' } });
    // Someone else's socket stays open.
    other.send({ type: 'ping', id: 'still-here' });
    await until(() => other.received.some((m) => m.type === 'pong'), 'pong');
    other.socket.close();
  });

  it('a socket that followed its own topic sees the event before the close', async () => {
    const target = await settledPerson(t);
    const client = await connect(t, { cookie: target.cookie });
    await client.subscribe([`user:${target.id}`]);
    expect((await suspend(target)).statusCode).toBe(200);
    expect(await client.closed()).toMatchObject({ code: liveCloseCodes.accountSuspended });
    expect(client.events(`user:${target.id}`).map((m) => m.payload)).toEqual([
      { type: 'account_suspended' },
    ]);
  });

  it('a suspended person cannot open a signed-in socket again', async () => {
    const target = await settledPerson(t);
    const stale = target.cookie;
    expect((await suspend(target)).statusCode).toBe(200);
    const again = await connect(t, { cookie: stale });
    expect(again.received[0]).toMatchObject({ type: 'welcome', userId: null });
    again.send({ type: 'subscribe', topics: [`user:${target.id}`], lastEventId: null });
    expect(await again.nth('error', 1)).toMatchObject({ code: 'forbidden_topic' });
    again.socket.close();
  });
});

describe.runIf(process.env.DATABASE_URL)('suspension across instances (PostgreSQL)', () => {
  let other: TestApp;
  beforeAll(async () => {
    other = await secondInstance(t);
  });
  afterAll(async () => {
    await other.close();
  });

  it('a suspension made through one instance closes the person’s sockets on another', async () => {
    const target = await settledPerson(t);
    const here = await connect(t, { cookie: target.cookie });
    const there = await connect(other, { cookie: target.cookie });
    expect(there.received[0]).toMatchObject({ type: 'welcome', userId: target.id });

    expect((await suspend(target, t)).statusCode).toBe(200);
    expect(await there.closed()).toMatchObject({ code: liveCloseCodes.accountSuspended });
    expect(await here.closed()).toMatchObject({ code: liveCloseCodes.accountSuspended });
    const refused = await postComment(other, consultation.id, target, 'През другия сървър');
    expect(refused.statusCode).toBe(401);
  });
});
