// One store (embedded data directory or fresh PostgreSQL database) made ready for the comment and
// live benchmarks: Sabor starts once on it (migrations, demo accounts), open consultations are
// created through the admin API as staff would, Sabor stops, and then — through the database driver,
// with no server running, which PGlite requires — bench residents and large threads are inserted.
import { addComments, addResidents, openStore } from './database.js';
import { stopProcess } from './lib.js';
import { createOpenConsultation, demoAdmin, login } from './sabor-api.js';
import { freshStore, sabor, startServer } from './targets.js';

/**
 * Returns `{ store, consultations: { live, big, small, post }, residents, counts }`.
 * `whileStopped(db, prepared)` runs after seeding, with the store open and no server running (the
 * raw INSERT baseline).
 */
export async function prepareStore({
  databaseUrl,
  residents,
  bigThread,
  smallThread,
  timeoutMs,
  log,
  whileStopped,
}) {
  const store = await freshStore(databaseUrl);
  const server = await startServer(sabor, store, timeoutMs);
  const consultations = {};
  try {
    const admin = await login(server.origin, demoAdmin, '10.255.255.1');
    consultations.live = await createOpenConsultation(server.origin, admin, 'Бенчмарк: на живо');
    consultations.big = await createOpenConsultation(
      server.origin,
      admin,
      'Бенчмарк: голяма нишка',
    );
    consultations.small = await createOpenConsultation(
      server.origin,
      admin,
      'Бенчмарк: малка нишка',
    );
    consultations.post = await createOpenConsultation(
      server.origin,
      admin,
      'Бенчмарк: публикуване',
    );
  } finally {
    await stopProcess(server.child);
  }
  const db = await openStore(store);
  try {
    const started = performance.now();
    const emails = await addResidents(db, residents);
    // The bench residents are minutes-old accounts posting at full speed: the automatic protection
    // for new accounts (rate limits, holds) would refuse or hold what is being measured.
    await db.query(
      `update moderation_settings
          set new_account_per_minute = 0, new_account_per_day = 0,
              new_account_held_comments = 0, hold_links_from_new_accounts = false
        where id = 1`,
    );
    const counts = {
      big: await addComments(db, consultations.big, bigThread),
      small: await addComments(db, consultations.small, smallThread),
    };
    log(
      `  seeded ${emails.length} residents, threads of ${counts.big} and ${counts.small} comments ` +
        `in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    const prepared = { store, consultations, residents: emails, counts };
    if (whileStopped) prepared.stopped = await whileStopped(db, prepared);
    return prepared;
  } finally {
    await db.end();
  }
}
