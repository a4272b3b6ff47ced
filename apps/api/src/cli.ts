import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config';
import { backupToFile, OperationRefused, restoreFromFile } from './operations/backup';
import { DataDirInUse } from './operations/control-socket';
import { copyToPostgres } from './operations/copy-to-postgres';

const usage = `Usage (docs/operations.md):
  sabor copy-to-postgres [--data-dir <dir>] --to <postgres://…>
      copies the embedded database (Sabor stopped) into an empty PostgreSQL database
  sabor backup [--data-dir <dir>] --to <file.tar.gz>
      backs up the embedded database, while Sabor runs or not
  sabor restore --from <file.tar.gz> [--data-dir <dir>] [--force]
      restores a backup into an empty (or, with --force, replaced) data directory
--data-dir defaults to DATA_DIR (./data).`;

const [command, ...rest] = process.argv.slice(2);
const { values } = parseArgs({
  args: rest,
  options: {
    'data-dir': { type: 'string' },
    to: { type: 'string' },
    from: { type: 'string' },
    force: { type: 'boolean', default: false },
  },
  strict: true,
});

function required(name: 'to' | 'from'): string {
  const value = values[name];
  if (!value) fail(`--${name} is required\n\n${usage}`);
  return value;
}

function fail(message: string, code = 2): never {
  console.error(message);
  process.exit(code);
}

function printTable(rows: { table: string; rows: number }[]): void {
  const width = Math.max(...rows.map((r) => r.table.length));
  for (const row of rows)
    console.log(`  ${row.table.padEnd(width)}  ${String(row.rows).padStart(9)}`);
  console.log(
    `  ${'total'.padEnd(width)}  ${String(rows.reduce((sum, r) => sum + r.rows, 0)).padStart(9)}`,
  );
}

function dataDir(): string {
  if (values['data-dir']) return values['data-dir'];
  try {
    return loadConfig().dataDir;
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
}

try {
  switch (command) {
    case 'copy-to-postgres': {
      const to = required('to');
      if (!/^postgres(ql)?:\/\//.test(to)) fail('--to must be a postgres:// or postgresql:// URL');
      const copied = await copyToPostgres({ dataDir: dataDir(), databaseUrl: to });
      console.log('Copied, with as many rows in each table as in the embedded database:');
      printTable(copied);
      console.log('Start Sabor with DATABASE_URL set to this database.');
      break;
    }
    case 'backup': {
      const to = required('to');
      const { bytes, online } = await backupToFile(dataDir(), to);
      console.log(
        `Backed up ${online ? 'from the running Sabor process' : '(Sabor was not running)'} to ${to} (${bytes} bytes).`,
      );
      break;
    }
    case 'restore': {
      const restored = await restoreFromFile(required('from'), dataDir(), { force: values.force });
      console.log('Restored; rows per table:');
      printTable(restored);
      break;
    }
    default:
      fail(usage);
  }
} catch (error) {
  if (error instanceof OperationRefused || error instanceof DataDirInUse) fail(error.message);
  console.error(error);
  process.exit(1);
}
