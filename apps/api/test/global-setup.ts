import { prepareTestDatabaseTemplate } from '@sabor/db';

/**
 * Migrates the template database once per run, before any test file starts, so that each file's
 * database is a copy of it (see createMigratedTestDatabase) rather than migrated again.
 */
export default async function setup(): Promise<void> {
  await prepareTestDatabaseTemplate();
}
