import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { PGlite } from '@electric-sql/pglite';
import { DataDirInUse, isServing, requestBackup } from './control-socket';

export class OperationRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OperationRefused';
  }
}

/**
 * Writes a backup of the embedded database in `dataDir` to `file` (a gzipped tarball of the data
 * directory): taken by the Sabor process that holds it while it runs (requests go on meanwhile),
 * or read from the directory when none does. Refuses to overwrite a file; a backup cut short never
 * carries the file's name.
 */
export async function backupToFile(
  dataDir: string,
  file: string,
): Promise<{ bytes: number; online: boolean }> {
  if (existsSync(file)) throw new OperationRefused(`${file} exists: choose a new file name`);
  let dump: Uint8Array;
  const online = await isServing(dataDir);
  if (online) {
    dump = await requestBackup(dataDir);
  } else {
    if (!existsSync(resolve(dataDir, 'PG_VERSION'))) {
      throw new OperationRefused(`${resolve(dataDir)} holds no embedded database`);
    }
    // Opened completely before dumping: a dump asked of a PGlite still starting never answers.
    const pglite = await PGlite.create(resolve(dataDir));
    try {
      const tarball = await pglite.dumpDataDir('none');
      dump = gzipSync(new Uint8Array(await tarball.arrayBuffer()));
    } finally {
      await pglite.close();
    }
  }
  const partial = `${file}.partial`;
  writeFileSync(partial, dump);
  renameSync(partial, file);
  return { bytes: dump.byteLength, online };
}

/**
 * Restores a backup into `dataDir`, which must be empty or absent (or is emptied with `force`), and
 * opens it once, so that it is whole before Sabor starts on it (the log of transactions that were
 * committed when the backup was taken is replayed then). Answers the number of rows per table.
 */
export async function restoreFromFile(
  file: string,
  dataDir: string,
  options: { force?: boolean } = {},
): Promise<{ table: string; rows: number }[]> {
  if (!existsSync(file)) throw new OperationRefused(`${file} does not exist`);
  if (await isServing(dataDir)) throw new DataDirInUse(dataDir);
  const dir = resolve(dataDir);
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    if (!options.force) {
      throw new OperationRefused(
        `${dir} is not empty: restore into a new directory, or pass --force to replace what it holds`,
      );
    }
    rmSync(dir, { recursive: true });
  }
  mkdirSync(dir, { recursive: true });
  const backup = new Blob([readFileSync(file)], { type: 'application/x-gzip' });
  const pglite = await PGlite.create(dir, { loadDataDir: backup });
  try {
    const tables = await pglite.query<{ name: string }>(
      `select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'public' and c.relkind in ('r', 'p') order by 1`,
    );
    const counts: { table: string; rows: number }[] = [];
    for (const { name } of tables.rows) {
      const counted = await pglite.query<{ rows: number }>(
        `select count(*)::int as rows from "${name.replace(/"/g, '""')}"`,
      );
      counts.push({ table: name, rows: counted.rows[0]!.rows });
    }
    return counts;
  } finally {
    await pglite.close();
  }
}
