import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { comments, createMigratedTestDatabase, type TestDatabase } from '@sabor/db';
import { inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openConsultation, until } from '../../test/fixtures';
import {
  buildTestApp,
  relaxedModeration,
  setModerationSettings,
  signUp,
  type TestApp,
} from '../../test/helper';
import { backupToFile, OperationRefused, restoreFromFile } from './backup';
import { DataDirInUse, isServing } from './control-socket';

// Backups are of the embedded database: these tests use PGlite on disk in both test passes.
describe('online backup of the embedded database', () => {
  let database: TestDatabase;
  let t: TestApp;
  let scratch: string;
  let file: string;
  let restoredDir: string;
  beforeAll(async () => {
    database = await createMigratedTestDatabase('');
    t = await buildTestApp({}, undefined, { dataDir: database.dataDir });
    scratch = mkdtempSync(join(tmpdir(), 'sabor-backup-test-'));
    file = join(scratch, 'backup.tar.gz');
    restoredDir = join(scratch, 'restored');
  });
  afterAll(async () => {
    await t.close();
    await database.drop();
    rmSync(scratch, { recursive: true, force: true });
  });

  // Seconds on an idle machine; a minute on a shared, busy 2-core one.
  it('taken while comments are posted, restores every comment acknowledged before it began', async () => {
    await setModerationSettings(t, relaxedModeration);
    const admin = await signUp(t, { role: 'admin' });
    const consultation = await openConsultation(t, admin.cookie);
    const writers = await Promise.all([signUp(t), signUp(t), signUp(t), signUp(t)]);
    const acknowledged: string[] = [];
    let writing = true;
    const writes = writers.map(async (writer, index) => {
      for (let n = 0; writing; n += 1) {
        if (acknowledged.length > 2000) throw new Error('the backup never came');
        const response = await t.inject({
          method: 'POST',
          url: `/api/consultations/${consultation.id}/comments`,
          cookie: writer.cookie,
          payload: { body: `Предложение ${index}-${n}`, stance: 'for' },
        });
        if (response.statusCode !== 201) throw new Error(`comment failed: ${response.body}`);
        acknowledged.push((response.json() as { id: string }).id);
      }
    });
    await until(() => acknowledged.length >= 20, 'the first comments');
    const beforeBackup = [...acknowledged];
    const backup = await backupToFile(database.dataDir, file);
    const duringBackup = acknowledged.length - beforeBackup.length;
    writing = false;
    await Promise.all(writes);
    expect(backup.online).toBe(true);
    // Sabor went on answering while the backup was taken and sent.
    expect(duringBackup).toBeGreaterThan(0);

    const counts = await restoreFromFile(file, restoredDir);
    expect(counts.find((c) => c.table === 'comments')!.rows).toBeGreaterThanOrEqual(
      beforeBackup.length,
    );
    // Sabor starts on the restored directory: every acknowledged comment is there and shown.
    const onRestored = await buildTestApp({}, undefined, { dataDir: restoredDir });
    try {
      const found = await onRestored.app.db
        .select({ id: comments.id })
        .from(comments)
        .where(inArray(comments.id, beforeBackup));
      expect(found.map((c) => c.id).sort()).toEqual([...beforeBackup].sort());
      const thread = await onRestored.inject({
        method: 'GET',
        url: `/api/consultations/${consultation.id}/comments`,
      });
      expect(thread.statusCode).toBe(200);
      expect((thread.json() as { total: number }).total).toBeGreaterThanOrEqual(
        beforeBackup.length,
      );
    } finally {
      await onRestored.close();
    }
  }, 180_000);

  it('refuses to restore over a directory that holds anything, unless forced', async () => {
    writeFileSync(join(restoredDir, 'note.txt'), 'kept');
    await expect(restoreFromFile(file, restoredDir)).rejects.toBeInstanceOf(OperationRefused);
    const replaced = await restoreFromFile(file, restoredDir, { force: true });
    expect(replaced.find((c) => c.table === 'users')!.rows).toBeGreaterThan(0);
    expect(existsSync(join(restoredDir, 'note.txt'))).toBe(false);
  });

  it('never overwrites a backup file', async () => {
    const file = join(scratch, 'taken.tar.gz');
    writeFileSync(file, 'an older backup');
    await expect(backupToFile(database.dataDir, file)).rejects.toBeInstanceOf(OperationRefused);
  });

  it('refuses a second Sabor process on the same data directory, and restoring into it', async () => {
    expect(await isServing(database.dataDir)).toBe(true);
    await expect(buildTestApp({}, undefined, { dataDir: database.dataDir })).rejects.toBeInstanceOf(
      DataDirInUse,
    );
    await expect(restoreFromFile(file, database.dataDir, { force: true })).rejects.toBeInstanceOf(
      DataDirInUse,
    );
    // The first one still answers.
    const health = await t.inject({ method: 'GET', url: '/api/health' });
    expect(health.statusCode).toBe(200);
  });
});
