import { Readable } from 'node:stream';
import {
  timeZone,
  type AuditEntry,
  type AuditList,
  type AuditQuery,
  type AuditTarget,
  type Locale,
} from '@sabor/contracts';
import {
  auditLog,
  comments,
  consultations,
  events,
  surveyAnswers,
  surveyResponses,
  surveys,
  users,
  type Executor,
} from '@sabor/db';
import { stringify } from 'csv-stringify';
import { and, count, desc, eq, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import { fieldError } from '../../errors';

export type AuditFilters = Omit<AuditQuery, 'page' | 'pageSize'>;

/**
 * The conditions of the filters: actor, action (exact, or every action under a prefix ending in a
 * dot), target, and inclusive calendar days in Europe/Sofia (from its midnight to the next day's,
 * whatever the daylight-saving offset that day).
 */
function auditConditions(filters: AuditFilters): SQL[] {
  if (filters.from && filters.to && filters.from > filters.to) throw fieldError('to', 'invalid');
  const conditions: SQL[] = [];
  if (filters.actorId) conditions.push(eq(auditLog.actorId, filters.actorId));
  if (filters.actor) {
    // Any part of the name, any case; % and _ typed by a person are literal characters.
    const pattern = `%${filters.actor.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(
      sql`${auditLog.actorId} in (select ${users.id} from ${users} where ${users.displayName} ilike ${pattern})`,
    );
  }
  if (filters.action) {
    conditions.push(
      filters.action.endsWith('.')
        ? sql`starts_with(${auditLog.action}, ${filters.action})`
        : eq(auditLog.action, filters.action),
    );
  }
  if (filters.targetType) conditions.push(eq(auditLog.targetType, filters.targetType));
  if (filters.targetId) conditions.push(eq(auditLog.targetId, filters.targetId));
  if (filters.from)
    conditions.push(
      sql`${auditLog.createdAt} >= (${filters.from}::date)::timestamp at time zone ${timeZone}`,
    );
  if (filters.to)
    conditions.push(
      sql`${auditLog.createdAt} < (${filters.to}::date + 1)::timestamp at time zone ${timeZone}`,
    );
  return conditions;
}

const entryColumns = {
  entry: auditLog,
  actorId: users.id,
  actorName: users.displayName,
};

type EntryRow = {
  entry: typeof auditLog.$inferSelect;
  actorId: string | null;
  actorName: string | null;
};

const noTarget: AuditTarget = { name: null, nameEn: null, consultationId: null, surveyId: null };
const targetKey = (type: string, id: string) => `${type}:${id}`;
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** How much of a comment names it in the log. */
const excerptLength = 80;

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > excerptLength ? `${flat.slice(0, excerptLength - 1)}…` : flat;
}

/**
 * The targets of a page of entries as people know them, one query per kind of target: users by
 * name, comments by their start (and consultation), consultations, events and surveys by title.
 */
async function auditTargets(db: Executor, rows: EntryRow[]): Promise<Map<string, AuditTarget>> {
  const idsOf = (type: string) => [
    ...new Set(
      rows
        .filter((row) => row.entry.targetType === type && uuidPattern.test(row.entry.targetId))
        .map((row) => row.entry.targetId),
    ),
  ];
  const found = new Map<string, AuditTarget>();
  const put = (type: string, id: string, target: Partial<AuditTarget>) =>
    found.set(targetKey(type, id), { ...noTarget, ...target });
  const [userIds, commentIds, consultationIds, eventIds, answerIds] = [
    idsOf('user'),
    idsOf('comment'),
    idsOf('consultation'),
    idsOf('event'),
    idsOf('survey_answer'),
  ];
  await Promise.all([
    userIds.length > 0 &&
      db
        .select({ id: users.id, name: users.displayName })
        .from(users)
        .where(inArray(users.id, userIds))
        .then((found) => found.forEach((u) => put('user', u.id, { name: u.name }))),
    commentIds.length > 0 &&
      db
        .select({ id: comments.id, body: comments.body, consultationId: comments.consultationId })
        .from(comments)
        .where(inArray(comments.id, commentIds))
        .then((found) =>
          found.forEach((c) =>
            put('comment', c.id, { name: excerpt(c.body), consultationId: c.consultationId }),
          ),
        ),
    consultationIds.length > 0 &&
      db
        .select({ id: consultations.id, bg: consultations.titleBg, en: consultations.titleEn })
        .from(consultations)
        .where(inArray(consultations.id, consultationIds))
        .then((found) =>
          found.forEach((c) =>
            put('consultation', c.id, { name: c.bg, nameEn: c.en, consultationId: c.id }),
          ),
        ),
    eventIds.length > 0 &&
      db
        .select({ id: events.id, bg: events.titleBg, en: events.titleEn })
        .from(events)
        .where(inArray(events.id, eventIds))
        .then((found) => found.forEach((e) => put('event', e.id, { name: e.bg, nameEn: e.en }))),
    answerIds.length > 0 &&
      db
        .select({
          id: surveyAnswers.id,
          surveyId: surveys.id,
          bg: surveys.titleBg,
          en: surveys.titleEn,
        })
        .from(surveyAnswers)
        .innerJoin(surveyResponses, eq(surveyResponses.id, surveyAnswers.responseId))
        .innerJoin(surveys, eq(surveys.id, surveyResponses.surveyId))
        .where(inArray(surveyAnswers.id, answerIds))
        .then((found) =>
          found.forEach((a) =>
            put('survey_answer', a.id, { name: a.bg, nameEn: a.en, surveyId: a.surveyId }),
          ),
        ),
  ]);
  return found;
}

function toAuditEntry(row: EntryRow, target: AuditTarget = noTarget): AuditEntry {
  return {
    id: row.entry.id,
    actor: row.actorId === null ? null : { id: row.actorId, displayName: row.actorName ?? '' },
    action: row.entry.action,
    targetType: row.entry.targetType,
    targetId: row.entry.targetId,
    target,
    reason: row.entry.reason,
    details: row.entry.details,
    createdAt: row.entry.createdAt.toISOString(),
  };
}

/** One page of the audit log, newest first, with the total matching the filters. */
export async function listAudit(db: Executor, query: AuditQuery): Promise<AuditList> {
  const where = and(...auditConditions(query));
  const [rows, [total]] = await Promise.all([
    db
      .select(entryColumns)
      .from(auditLog)
      .leftJoin(users, eq(users.id, auditLog.actorId))
      .where(where)
      .orderBy(desc(auditLog.createdAt), desc(auditLog.id))
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize),
    db.select({ value: count() }).from(auditLog).where(where),
  ]);
  const targets = await auditTargets(db, rows);
  return {
    items: rows.map((row) =>
      toAuditEntry(row, targets.get(targetKey(row.entry.targetType, row.entry.targetId))),
    ),
    page: query.page,
    pageSize: query.pageSize,
    total: total?.value ?? 0,
  };
}

/** Rows read per query while exporting: memory stays flat however long the log is. */
const exportBatch = 1000;

/**
 * Every entry matching the filters, newest first, read in batches by (time, id) so the export
 * neither holds the whole log in memory nor skips or repeats rows while new ones are appended.
 */
async function* auditEntries(db: Executor, filters: AuditFilters): AsyncGenerator<EntryRow> {
  const conditions = auditConditions(filters);
  let after: { createdAt: Date; id: string } | undefined;
  for (;;) {
    const page: SQL[] = after
      ? [
          or(
            lt(auditLog.createdAt, after.createdAt),
            and(eq(auditLog.createdAt, after.createdAt), lt(auditLog.id, after.id)),
          )!,
        ]
      : [];
    const rows = await db
      .select(entryColumns)
      .from(auditLog)
      .leftJoin(users, eq(users.id, auditLog.actorId))
      .where(and(...conditions, ...page))
      .orderBy(desc(auditLog.createdAt), desc(auditLog.id))
      .limit(exportBatch);
    yield* rows;
    const last = rows.at(-1);
    if (!last || rows.length < exportBatch) return;
    after = { createdAt: last.entry.createdAt, id: last.entry.id };
  }
}

const csvHeaders: Record<Locale, string[]> = {
  bg: [
    'Време',
    'Извършил',
    'ID на извършилия',
    'Действие',
    'Вид обект',
    'ID на обекта',
    'Причина',
    'Подробности',
  ],
  en: ['Time', 'Actor', 'Actor ID', 'Action', 'Target type', 'Target ID', 'Reason', 'Details'],
};

const stampFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** `2026-03-02 14:05:09` in Sofia: sortable, and read as a date and time by spreadsheets. */
export function sofiaSecondStamp(date: Date): string {
  const parts = Object.fromEntries(
    stampFormat.formatToParts(date).map((part) => [part.type, part.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}

/** Today's date in Sofia, for the export's file name. */
export function sofiaToday(now = new Date()): string {
  return sofiaSecondStamp(now).slice(0, 10);
}

/**
 * The filtered audit log as a CSV stream, built like the report's CSV (modules/report/csv.ts):
 * RFC 4180 with CRLF, UTF-8 with a byte order mark for spreadsheet programs, times in
 * Europe/Sofia, the header in the caller's language, and any field starting with `=`, `+`, `-`,
 * `@`, a tab or a carriage return prefixed with `'` so a spreadsheet never runs it as a formula.
 * The filters are checked before the first byte is sent, so a bad one is still a 400.
 */
export function auditCsv(db: Executor, filters: AuditFilters, locale: Locale): Readable {
  auditConditions(filters);
  const records = Readable.from(
    (async function* () {
      for await (const row of auditEntries(db, filters)) {
        yield [
          sofiaSecondStamp(row.entry.createdAt),
          row.actorName ?? '',
          row.actorId ?? '',
          row.entry.action,
          row.entry.targetType,
          row.entry.targetId,
          row.entry.reason ?? '',
          row.entry.details ? JSON.stringify(row.entry.details) : '',
        ];
      }
    })(),
  );
  const csv = stringify({
    bom: true,
    header: true,
    columns: csvHeaders[locale],
    record_delimiter: 'windows',
    quote_record_delimiter: true,
    escape_formulas: true,
  });
  records.on('error', (err) => csv.destroy(err));
  return records.pipe(csv);
}
