import { localeCookieName, type AuditList, type ModerationStats } from '@sabor/contracts';
import { auditLog, moderationDecisionLog, moderationItems, users } from '@sabor/db';
import { parse } from 'csv-parse/sync';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openConsultation } from '../../../test/fixtures';
import { buildTestApp, type TestApp } from '../../../test/helper';
import { settledPerson, type Person } from './people-fixtures';
import { postOk } from './test-support';
import { statsDays } from './stats';

let t: TestApp;
let admin: Person;
let moderator: Person;
let resident: Person;

beforeAll(async () => {
  t = await buildTestApp();
  admin = await settledPerson(t, { role: 'admin', displayName: 'Админ Админов' });
  moderator = await settledPerson(t, { role: 'moderator', displayName: 'Мария, "модератор"' });
  resident = await settledPerson(t);
});
afterAll(async () => {
  await t.close();
});

function get(url: string, who: Person | null = moderator, language?: string) {
  return t.inject({
    method: 'GET',
    url,
    cookie:
      who === null
        ? undefined
        : language
          ? `${who.cookie}; ${localeCookieName}=${language}`
          : who.cookie,
  });
}

async function list(query: string): Promise<AuditList> {
  const response = await get(`/api/moderation/audit?${query}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

type Entry = typeof auditLog.$inferInsert;
/** Appends entries as the application would, at given times (inserting is all the log allows). */
const append = (entries: Entry[]) => t.app.db.insert(auditLog).values(entries).returning();

describe('who may read the audit log and the statistics', () => {
  it.each(['/api/moderation/audit', '/api/moderation/audit.csv', '/api/moderation/stats'])(
    'GET %s: 401 anonymous, 403 resident, 200 moderator and admin',
    async (url) => {
      expect((await get(url, null)).statusCode).toBe(401);
      expect((await get(url, resident)).statusCode).toBe(403);
      expect((await get(url, moderator)).statusCode).toBe(200);
      expect((await get(url, admin)).statusCode).toBe(200);
    },
  );
});

describe('GET /api/moderation/audit', () => {
  it('filters by actor, exact action, action prefix, target; newest first with the actor named', async () => {
    const target = crypto.randomUUID();
    await append([
      {
        actorId: moderator.id,
        action: 'user.warned',
        targetType: 'user',
        targetId: target,
        createdAt: new Date('2026-01-01T10:00:00Z'),
      },
      {
        actorId: admin.id,
        action: 'user.suspended',
        targetType: 'user',
        targetId: target,
        reason: 'Спам',
        details: { until: null },
        createdAt: new Date('2026-01-01T11:00:00Z'),
      },
      {
        actorId: moderator.id,
        action: 'moderation.hidden',
        targetType: 'comment',
        targetId: target,
        createdAt: new Date('2026-01-01T12:00:00Z'),
      },
    ]);
    const byTarget = await list(`targetId=${target}`);
    expect(byTarget.total).toBe(3);
    expect(byTarget.items.map((e) => e.action)).toEqual([
      'moderation.hidden',
      'user.suspended',
      'user.warned',
    ]);
    expect(byTarget.items[1]).toMatchObject({
      actor: { id: admin.id, displayName: 'Админ Админов' },
      targetType: 'user',
      reason: 'Спам',
      details: { until: null },
      createdAt: '2026-01-01T11:00:00.000Z',
    });
    expect((await list(`targetId=${target}&action=user.`)).items.map((e) => e.action)).toEqual([
      'user.suspended',
      'user.warned',
    ]);
    expect((await list(`targetId=${target}&action=user.warned`)).total).toBe(1);
    // An exact action is not a prefix of a longer one.
    expect((await list(`targetId=${target}&action=user`)).total).toBe(0);
    expect((await list(`targetId=${target}&actorId=${moderator.id}`)).total).toBe(2);
    expect((await list(`targetId=${target}&targetType=comment`)).total).toBe(1);
  });

  it('names each target as people know it: a user, a comment (with its consultation), a consultation', async () => {
    const consultation = await openConsultation(t, admin.cookie);
    const long = `Предложение за   нова\nвелоалея ${'по булеварда '.repeat(10)}`;
    const comment = await postOk(t, resident, consultation.id, { body: long });
    const goneId = crypto.randomUUID();
    await append([
      { actorId: moderator.id, action: 'user.warned', targetType: 'user', targetId: resident.id },
      {
        actorId: moderator.id,
        action: 'moderation.hidden',
        targetType: 'comment',
        targetId: comment.id,
      },
      {
        actorId: admin.id,
        action: 'moderation.settings_changed',
        targetType: 'moderation_settings',
        targetId: '1',
      },
      { actorId: admin.id, action: 'user.warned', targetType: 'user', targetId: goneId },
    ]);
    const byTarget = async (targetId: string) => (await list(`targetId=${targetId}`)).items[0]!;
    expect((await byTarget(resident.id)).target).toEqual({
      name: 'Тест Тестов',
      nameEn: null,
      consultationId: null,
      surveyId: null,
    });
    const commentTarget = (await byTarget(comment.id)).target;
    expect(commentTarget.consultationId).toBe(consultation.id);
    expect(commentTarget.name).toMatch(/^Предложение за нова велоалея по булеварда/);
    expect(commentTarget.name!.length).toBeLessThanOrEqual(80);
    expect(commentTarget.name!.endsWith('…')).toBe(true);
    const published = (await list(`targetId=${consultation.id}&action=consultation.published`))
      .items[0]!;
    expect(published.target).toMatchObject({
      name: 'Наредба за обществения ред',
      nameEn: 'Public order ordinance',
    });
    // No name for what has none, or for what is gone; the entry is still listed.
    expect((await byTarget('1')).target.name).toBeNull();
    expect((await byTarget(goneId)).target.name).toBeNull();
  });

  it('finds entries by part of the actor’s name, in any case, % and _ taken literally', async () => {
    const named = await settledPerson(t, { role: 'moderator', displayName: 'Цветелина 100%_Тест' });
    const target = crypto.randomUUID();
    await append([
      { actorId: named.id, action: 'user.warned', targetType: 'user', targetId: target },
      { actorId: moderator.id, action: 'user.warned', targetType: 'user', targetId: target },
    ]);
    const by = async (actor: string) =>
      (await list(`targetId=${target}&actor=${encodeURIComponent(actor)}`)).items.map(
        (e) => e.actor?.id,
      );
    expect(await by('цветелина')).toEqual([named.id]);
    expect(await by('100%_т')).toEqual([named.id]);
    expect(await by('%')).toEqual([named.id]);
    expect(await by('_')).toEqual([named.id]);
    expect(await by('никой')).toEqual([]);
  });

  it('reads an underscore in a prefix as an underscore, not as “any character”', async () => {
    const target = crypto.randomUUID();
    await append([
      { actorId: admin.id, action: 'ab_c.one', targetType: 'case', targetId: target },
      { actorId: admin.id, action: 'abxc.two', targetType: 'case', targetId: target },
    ]);
    expect((await list(`targetId=${target}&action=ab_c.`)).items.map((e) => e.action)).toEqual([
      'ab_c.one',
    ]);
  });

  it('takes from/to as whole calendar days in Sofia, across the spring clock change', async () => {
    const target = crypto.randomUUID();
    // Sofia moves from UTC+2 to UTC+3 at 03:00 on 29 March 2026.
    const times = [
      '2026-03-28T21:59:59Z', // 28 March 23:59:59 in Sofia
      '2026-03-28T22:00:00Z', // 29 March 00:00:00
      '2026-03-29T20:59:59Z', // 29 March 23:59:59 (summer time)
      '2026-03-29T21:00:00Z', // 30 March 00:00:00
    ];
    await append(
      times.map((time, index) => ({
        actorId: admin.id,
        action: 'case.timed',
        targetType: 'case',
        targetId: target,
        reason: String(index),
        createdAt: new Date(time),
      })),
    );
    const day = await list(`targetId=${target}&from=2026-03-29&to=2026-03-29`);
    expect(day.items.map((e) => e.reason)).toEqual(['2', '1']);
    expect((await list(`targetId=${target}&from=2026-03-29`)).total).toBe(3);
    expect((await list(`targetId=${target}&to=2026-03-28`)).items.map((e) => e.reason)).toEqual([
      '0',
    ]);
  });

  it('pages, newest first, with the total', async () => {
    const target = crypto.randomUUID();
    await append(
      Array.from({ length: 7 }, (_, index) => ({
        actorId: admin.id,
        action: 'case.paged',
        targetType: 'case',
        targetId: target,
        reason: String(index),
        createdAt: new Date(Date.UTC(2025, 0, 1, index)),
      })),
    );
    const second = await list(`targetId=${target}&page=2&pageSize=3`);
    expect(second).toMatchObject({ page: 2, pageSize: 3, total: 7 });
    expect(second.items.map((e) => e.reason)).toEqual(['3', '2', '1']);
  });

  it.each([
    ['an unknown parameter', 'colour=red'],
    ['SQL in the action', `action=${encodeURIComponent("user.'; drop table audit_log; --")}`],
    ['a script in the target type', `targetType=${encodeURIComponent('<script>')}`],
    ['an impossible date', 'from=2026-13-45'],
    ['a date with a time', `to=${encodeURIComponent('2026-01-01T00:00:00Z')}`],
    ['a malformed actor id', 'actorId=42'],
    ['an oversized target id', `targetId=${'x'.repeat(65)}`],
    ['a page size over 100', 'pageSize=101'],
    ['a page of zero', 'page=0'],
    ['from after to', 'from=2026-02-02&to=2026-02-01'],
  ])('refuses %s with 400', async (_name, query) => {
    for (const url of [`/api/moderation/audit?${query}`, `/api/moderation/audit.csv?${query}`]) {
      const response = await get(url);
      expect(response.statusCode, url).toBe(400);
      expect(response.json()).toMatchObject({ error: { code: 'validation_failed' } });
    }
  });
});

describe('GET /api/moderation/audit.csv', () => {
  it('exports the filtered log as CSV a parser reads back: Sofia times, BOM, CRLF, defused formulas', async () => {
    const target = crypto.randomUUID();
    const reason = 'Обиди, „цитат“ и "кавички"\nвтори ред';
    await append([
      {
        actorId: moderator.id,
        action: 'case.csv',
        targetType: 'case',
        targetId: target,
        reason,
        details: { until: '2026-02-01T10:00:00.000Z', note: 'a,b' },
        createdAt: new Date('2026-01-15T10:30:05Z'),
      },
      {
        actorId: admin.id,
        action: 'case.csv',
        targetType: 'case',
        targetId: target,
        reason: '=HYPERLINK("http://evil.example","натисни")',
        createdAt: new Date('2026-07-15T21:30:00Z'),
      },
      {
        actorId: null,
        action: 'case.csv',
        targetType: 'case',
        targetId: target,
        reason: '@SUM(A1:A2)',
        createdAt: new Date('2026-07-16T08:00:00Z'),
      },
    ]);
    const response = await get(`/api/moderation/audit.csv?targetId=${target}`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toMatch(
      /^attachment; filename=sabor-audit-\d{4}-\d{2}-\d{2}\.csv$/,
    );
    const bytes = response.rawPayload;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(response.body).toContain('\r\n');
    const rows = parse(bytes, { bom: true }) as string[][];
    // Details are JSON as the database keeps it (jsonb orders the keys its own way).
    const details = rows[3]?.pop();
    expect(JSON.parse(details ?? '')).toEqual({ until: '2026-02-01T10:00:00.000Z', note: 'a,b' });
    expect(rows).toEqual([
      [
        'Време',
        'Извършил',
        'ID на извършилия',
        'Действие',
        'Вид обект',
        'ID на обекта',
        'Причина',
        'Подробности',
      ],
      ['2026-07-16 11:00:00', '', '', 'case.csv', 'case', target, "'@SUM(A1:A2)", ''],
      [
        '2026-07-16 00:30:00',
        'Админ Админов',
        admin.id,
        'case.csv',
        'case',
        target,
        `'=HYPERLINK("http://evil.example","натисни")`,
        '',
      ],
      [
        '2026-01-15 12:30:05',
        'Мария, "модератор"',
        moderator.id,
        'case.csv',
        'case',
        target,
        reason,
      ],
    ]);
  });

  it('speaks the caller’s language in the header', async () => {
    const response = await get('/api/moderation/audit.csv?targetType=nothing', moderator, 'en');
    expect(parse(response.rawPayload, { bom: true })).toEqual([
      ['Time', 'Actor', 'Actor ID', 'Action', 'Target type', 'Target ID', 'Reason', 'Details'],
    ]);
  });

  it('exports every row of a long log, each once, however many share a timestamp', async () => {
    const stamp = new Date('2024-05-05T05:05:05Z');
    const count = 2345;
    const targets = Array.from({ length: count }, () => crypto.randomUUID());
    for (let start = 0; start < count; start += 1000) {
      await append(
        targets.slice(start, start + 1000).map((targetId) => ({
          actorId: admin.id,
          action: 'case.bulk',
          targetType: 'bulk',
          targetId,
          createdAt: stamp,
        })),
      );
    }
    const response = await get('/api/moderation/audit.csv?targetType=bulk');
    const rows = (parse(response.rawPayload, { bom: true }) as string[][]).slice(1);
    expect(rows).toHaveLength(count);
    expect(new Set(rows.map((row) => row[5]))).toEqual(new Set(targets));
  });
});

describe('the audit log is append-only', () => {
  it('the database refuses UPDATE and DELETE', async () => {
    const [entry] = await append([
      { actorId: admin.id, action: 'case.kept', targetType: 'case', targetId: 'x' },
    ]);
    await expect(
      t.app.db.update(auditLog).set({ reason: 'rewritten' }).where(eq(auditLog.id, entry!.id)),
    ).rejects.toThrow();
    await expect(t.app.db.delete(auditLog).where(eq(auditLog.id, entry!.id))).rejects.toThrow();
    await expect(t.app.db.execute(sql`delete from audit_log`)).rejects.toThrow();
    const [kept] = await t.app.db.select().from(auditLog).where(eq(auditLog.id, entry!.id));
    expect(kept).toEqual(entry);
  });

  it('no route edits or deletes it', async () => {
    for (const method of ['PUT', 'PATCH', 'DELETE'] as const) {
      expect(t.app.printRoutes({ method, commonPrefix: false })).not.toMatch(/audit/);
      for (const url of ['/api/moderation/audit', `/api/moderation/audit/${crypto.randomUUID()}`]) {
        const response = await t.inject({ method, url, cookie: admin.cookie, payload: {} });
        expect(response.statusCode).toBe(404);
      }
    }
    expect(t.app.printRoutes({ method: 'POST', commonPrefix: false })).not.toMatch(/audit/);
  });
});

describe('GET /api/moderation/stats', () => {
  const stats = async (): Promise<ModerationStats> => {
    const response = await get('/api/moderation/stats');
    expect(response.statusCode).toBe(200);
    return response.json();
  };
  /** Noon in Sofia `daysAgo` days before today (Sofia's today, by the database clock). */
  const sofiaNoon = (daysAgo: number) =>
    sql`((now() at time zone 'Europe/Sofia')::date - ${daysAgo}::int + time '12:00') at time zone 'Europe/Sofia'`;

  async function decide(daysAgo: number, waitedSeconds: number) {
    const [item] = await t.app.db
      .insert(moderationItems)
      .values({
        subjectType: 'comment',
        subjectId: crypto.randomUUID(),
        status: 'resolved',
        cause: 'reported',
        decision: 'reviewed',
      })
      .returning();
    await t.app.db.insert(moderationDecisionLog).values({
      itemId: item!.id,
      moderatorId: moderator.id,
      decision: 'reviewed',
      decidedAt: sofiaNoon(daysAgo),
      enteredAt: sql`${sofiaNoon(daysAgo)} - make_interval(secs => ${waitedSeconds}::int)`,
    });
  }

  it('with nothing decided: 30 days of zeros, ending today in Sofia, and no median', async () => {
    const result = await stats();
    const [today] = await t.app.db
      .select({ date: sql<string>`to_char(now() at time zone 'Europe/Sofia', 'YYYY-MM-DD')` })
      .from(users)
      .limit(1);
    expect(result.decidedPerDay).toHaveLength(statsDays);
    expect(result.decidedPerDay.at(-1)?.date).toBe(today?.date);
    expect(result.decidedPerDay.every((day) => day.count === 0)).toBe(true);
    expect(result).toMatchObject({
      pending: 0,
      pendingByCause: { reported: 0, auto_hidden: 0, held: 0 },
      medianSecondsToDecision: null,
    });
    const dates = result.decidedPerDay.map((day) => day.date);
    expect([...dates].sort()).toEqual(dates);
    expect(new Set(dates).size).toBe(statsDays);
  });

  it('counts the queue by cause, decisions per Sofia day, and the median wait over the window', async () => {
    const pending = [
      ['reported', 'pending'],
      ['reported', 'pending'],
      ['held', 'pending'],
      ['auto_hidden', 'pending'],
      ['reported', 'resolved'],
    ] as const;
    await t.app.db.insert(moderationItems).values(
      pending.map(([cause, status]) => ({
        subjectType: 'comment' as const,
        subjectId: crypto.randomUUID(),
        cause,
        status,
      })),
    );
    await decide(0, 60);
    await decide(0, 120);
    await decide(2, 600);
    await decide(statsDays - 1, 30);
    // Outside the window: neither counted nor in the median.
    await decide(statsDays, 1_000_000);

    const result = await stats();
    expect(result.pending).toBe(4);
    expect(result.pendingByCause).toEqual({ reported: 2, held: 1, auto_hidden: 1 });
    const counts = result.decidedPerDay.map((day) => day.count);
    expect(counts.at(-1)).toBe(2);
    expect(counts.at(-3)).toBe(1);
    expect(counts[0]).toBe(1);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(4);
    // 30, 60, 120, 600 seconds: the median lies halfway between 60 and 120.
    expect(result.medianSecondsToDecision).toBe(90);
  });
});
