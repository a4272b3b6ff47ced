import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { createDatabase } from '@sabor/db';
import postgres from 'postgres';
import { OperationRefused } from './backup';
import { DataDirInUse, isServing } from './control-socket';

/**
 * Tables the migrations themselves fill (the one moderation_settings row): a freshly migrated
 * target holds these rows, which the copy replaces with the source's. copy-to-postgres.test.ts
 * checks that no other table has rows after migrating.
 */
export const filledByMigrations = new Set(['moderation_settings']);

export interface CopiedTable {
  table: string;
  rows: number;
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Copies the embedded database in `dataDir` into the PostgreSQL database at `databaseUrl`: brings
 * both to this version's migrations, refuses a target that holds data, then copies every table in
 * one transaction (parents before children, identity sequences where the source left them), checks
 * that each table has as many rows as in the source and that the same triggers (the audit log's
 * append-only one among them) are in place, and commits. Nothing is written to the target unless
 * all of it is. Refuses while a Sabor process holds `dataDir`.
 */
export async function copyToPostgres(options: {
  dataDir: string;
  databaseUrl: string;
}): Promise<CopiedTable[]> {
  const dataDir = resolve(options.dataDir);
  if (await isServing(dataDir)) throw new DataDirInUse(dataDir);
  if (!existsSync(resolve(dataDir, 'PG_VERSION'))) {
    throw new OperationRefused(`${dataDir} holds no embedded database`);
  }
  const source = createDatabase({ dataDir });
  try {
    await source.migrate();
    const target = createDatabase({
      databaseUrl: options.databaseUrl,
      dataDir: 'memory://',
      poolSize: 1,
    });
    try {
      await target.migrate();
    } finally {
      await target.close();
    }
    const sql = postgres(options.databaseUrl, { max: 1, onnotice: () => {} });
    try {
      return await sql.begin((tx) => copyTables(source.pglite!, tx));
    } finally {
      await sql.end();
    }
  } finally {
    await source.close();
  }
}

async function copyTables(pglite: PGlite, tx: postgres.TransactionSql): Promise<CopiedTable[]> {
  const tables = await targetTables(tx);
  const sourceTables = (await pglite.query<{ name: string }>(tablesQuery)).rows.map((r) => r.name);
  if (sourceTables.join() !== tables.join()) {
    throw new Error(
      `the databases' tables differ after migrating: embedded ${sourceTables.join(', ')}; PostgreSQL ${tables.join(', ')}`,
    );
  }
  // No Sabor instance already started on the target writes while it is filled.
  await tx.unsafe(`lock table ${tables.map(quote).join(', ')} in access exclusive mode`);
  const occupied: string[] = [];
  for (const table of tables) {
    const rows = await countRows(tx, table);
    if (rows > 0 && !filledByMigrations.has(table)) occupied.push(`${table} (${rows} rows)`);
  }
  if (occupied.length > 0) {
    throw new OperationRefused(
      `the PostgreSQL database is not empty: ${occupied.join(', ')}. Copy into a new, empty database (and do not start Sabor on it before).`,
    );
  }

  const copied: CopiedTable[] = [];
  for (const table of await dependencyOrder(tx, tables)) {
    const columns = await copiedColumns(tx, table);
    const sourceColumns = await pglite.query<{ name: string }>(columnsQuery(table));
    if (sourceColumns.rows.map((r) => r.name).join() !== columns.map((c) => c.name).join()) {
      throw new Error(`the columns of ${table} differ between the two databases`);
    }
    if (filledByMigrations.has(table)) await tx.unsafe(`delete from ${quote(table)}`);
    const list = columns.map((c) => quote(c.name)).join(', ');
    // A table holding files (bytea) goes a row at a time, so memory holds one document, not all.
    const rowsAtATime = columns.some((c) => c.type === 'bytea');
    const batches = rowsAtATime
      ? (
          await pglite.query<{ ctid: string }>(`select ctid::text as ctid from ${quote(table)}`)
        ).rows.map((r) => ` where ctid = '${r.ctid}'`)
      : [''];
    for (const where of batches) {
      // One COPY statement per table (or row): references within a table (replies to comments)
      // are checked at its end, so rows need no order among themselves.
      const dumped = await pglite.query(
        `copy (select ${list} from ${quote(table)}${where}) to '/dev/blob'`,
      );
      const data = dumped.blob ? new Uint8Array(await dumped.blob.arrayBuffer()) : undefined;
      if (!data || data.byteLength === 0) continue;
      const writable = await tx.unsafe(`copy ${quote(table)} (${list}) from stdin`).writable();
      await new Promise<void>((done, fail) => {
        writable.once('error', fail);
        writable.end(data, done);
      });
    }
    const expected = (
      await pglite.query<{ rows: number }>(`select count(*)::int as rows from ${quote(table)}`)
    ).rows[0]!.rows;
    const rows = await countRows(tx, table);
    if (rows !== expected) {
      throw new Error(`${table}: ${rows} rows copied of ${expected}`);
    }
    copied.push({ table, rows });
  }

  await copySequences(pglite, tx);
  await compareTriggers(pglite, tx);
  return copied.sort((a, b) => a.table.localeCompare(b.table));
}

const tablesQuery = `select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
  where n.nspname = 'public' and c.relkind in ('r', 'p') order by 1`;

function columnsQuery(table: string): string {
  return `select a.attname as name, format_type(a.atttypid, null) as type from pg_attribute a
    where a.attrelid = '${quote(table).replace(/'/g, "''")}'::regclass and a.attnum > 0
      and not a.attisdropped and a.attgenerated = '' order by a.attnum`;
}

async function targetTables(tx: postgres.TransactionSql): Promise<string[]> {
  return (await tx.unsafe<{ name: string }[]>(tablesQuery)).map((r) => r.name);
}

async function copiedColumns(
  tx: postgres.TransactionSql,
  table: string,
): Promise<{ name: string; type: string }[]> {
  return tx.unsafe<{ name: string; type: string }[]>(columnsQuery(table));
}

async function countRows(tx: postgres.TransactionSql, table: string): Promise<number> {
  const [counted] = await tx.unsafe<{ rows: number }[]>(
    `select count(*)::int as rows from ${quote(table)}`,
  );
  return counted!.rows;
}

/** The tables with every table a foreign key refers to before the tables referring to it. */
async function dependencyOrder(tx: postgres.TransactionSql, tables: string[]): Promise<string[]> {
  const references = await tx.unsafe<{ child: string; parent: string }[]>(
    `select ch.relname as child, pa.relname as parent from pg_constraint c
       join pg_class ch on ch.oid = c.conrelid join pg_class pa on pa.oid = c.confrelid
       join pg_namespace n on n.oid = ch.relnamespace
     where c.contype = 'f' and n.nspname = 'public' and ch.relname <> pa.relname`,
  );
  const ordered: string[] = [];
  const placed = new Set<string>();
  while (ordered.length < tables.length) {
    const ready = tables.filter(
      (t) => !placed.has(t) && references.every((r) => r.child !== t || placed.has(r.parent)),
    );
    if (ready.length === 0) {
      throw new Error(
        `foreign keys form a cycle among ${tables.filter((t) => !placed.has(t)).join(', ')}`,
      );
    }
    for (const t of ready) {
      placed.add(t);
      ordered.push(t);
    }
  }
  return ordered;
}

/** Sets every sequence (identity columns: live event ids, registration order) where the source has it. */
async function copySequences(pglite: PGlite, tx: postgres.TransactionSql): Promise<void> {
  const sequences = await pglite.query<{ name: string }>(
    `select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'public' and c.relkind = 'S' order by 1`,
  );
  for (const { name } of sequences.rows) {
    const state = await pglite.query<{ last_value: string; is_called: boolean }>(
      `select last_value::text, is_called from ${quote(name)}`,
    );
    const { last_value, is_called } = state.rows[0]!;
    await tx.unsafe(`select setval($1::regclass, $2::bigint, $3)`, [
      quote(name),
      last_value,
      is_called,
    ]);
  }
}

/** The append-only triggers (audit log, moderation decisions) must be there and enabled, as in the source. */
async function compareTriggers(pglite: PGlite, tx: postgres.TransactionSql): Promise<void> {
  const query = `select c.relname || '.' || t.tgname || ':' || t.tgenabled::text as trigger from pg_trigger t
    join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and not t.tgisinternal order by 1`;
  const source = (await pglite.query<{ trigger: string }>(query)).rows.map((r) => r.trigger);
  const target = (await tx.unsafe<{ trigger: string }[]>(query)).map((r) => r.trigger);
  if (source.join() !== target.join()) {
    throw new Error(
      `the triggers differ: embedded ${source.join(', ')}; PostgreSQL ${target.join(', ')}`,
    );
  }
}
