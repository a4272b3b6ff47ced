import { Readable } from 'node:stream';
import type { AuditEntry, AuditList, AuditQuery, Locale } from '@sabor/contracts';
import { auditLog, users, type Executor } from '@sabor/db';
import { stringify } from 'csv-stringify';
import { and, count, desc, eq, lt, or, sql, type SQL } from 'drizzle-orm';
import { fieldError } from '../../errors';

/** The municipality's time zone: calendar-day filters and CSV times are local time there. */
const timeZone = 'Europe/Sofia';

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

function toAuditEntry(row: EntryRow): AuditEntry {
  return {
    id: row.entry.id,
    actor: row.actorId === null ? null : { id: row.actorId, displayName: row.actorName ?? '' },
    action: row.entry.action,
    targetType: row.entry.targetType,
    targetId: row.entry.targetId,
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
  return {
    items: rows.map(toAuditEntry),
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
