import { randomBytes } from 'node:crypto';
import postgres from 'postgres';

export interface TestDatabase {
  /** postgres:// URL of a database created for this run, or undefined for an in-memory PGlite. */
  databaseUrl: string | undefined;
  dataDir: string;
  drop(): Promise<void>;
}

/**
 * A fresh, empty database for one test file: a new PostgreSQL database next to the one named by
 * DATABASE_URL when that is set, otherwise an in-memory PGlite. Tests never see another run's data.
 */
export async function createTestDatabase(
  baseUrl = process.env.DATABASE_URL,
): Promise<TestDatabase> {
  if (!baseUrl) return { databaseUrl: undefined, dataDir: 'memory://', drop: async () => {} };
  const name = `sabor_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    databaseUrl: url.toString(),
    dataDir: 'memory://',
    async drop() {
      const cleanup = postgres(baseUrl, { max: 1, onnotice: () => {} });
      await cleanup.unsafe(`drop database if exists "${name}" with (force)`);
      await cleanup.end();
    },
  };
}
