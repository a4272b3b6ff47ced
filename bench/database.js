// Direct access to a benchmark store through the driver Sabor itself uses (postgres.js on
// PostgreSQL, PGlite on the embedded database), for what the API cannot do quickly: bulk seeding
// (thousands of comments, many resident accounts) and the raw INSERT baseline. PGlite allows one
// process per data directory, so callers open it only while no Sabor server runs on that store.
import { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';

/**
 * Opens `store` and returns `{ query(text, params) → rows, end() }`. `poolSize` is the number of
 * PostgreSQL connections (PGlite is one in-process connection whatever it is).
 */
export async function openStore(store, { poolSize = 10 } = {}) {
  if (store.databaseUrl) {
    const sql = postgres(store.databaseUrl, { max: poolSize, onnotice: () => {} });
    return {
      engine: 'postgres',
      query: async (text, params = []) => [...(await sql.unsafe(text, params))],
      transaction: (fn) =>
        sql.begin((tx) =>
          fn({ query: async (text, params = []) => [...(await tx.unsafe(text, params))] }),
        ),
      end: () => sql.end({ timeout: 5 }),
    };
  }
  const db = new PGlite(store.dataDir);
  await db.waitReady;
  return {
    engine: 'pglite',
    query: async (text, params = []) => (await db.query(text, params)).rows,
    transaction: (fn) =>
      db.transaction((tx) =>
        fn({ query: async (text, params) => (await tx.query(text, params)).rows }),
      ),
    end: () => db.close(),
  };
}

export const benchResidentPassword = 'sabor-resident-demo';

/**
 * Adds `count` resident accounts (`bench-resident-<n>@sabor.local`) as copies of the demo resident
 * (same password hash, verified address), so the benchmark can sign in as many distinct people
 * without registering each. Copies the whole row, so new columns need no change here.
 */
export async function addResidents(db, count, template = 'resident1@sabor.local') {
  await db.query(
    `insert into users
       select (jsonb_populate_record(null::users, to_jsonb(u) || jsonb_build_object(
         'id', gen_random_uuid(),
         'email', 'bench-resident-' || n || '@sabor.local',
         'display_name', 'Жител ' || n))).*
       from users u, generate_series(1, $1::int) n
      where u.email = $2`,
    [count, template],
  );
  const rows = await db.query(
    `select count(*)::int as n from users where email like 'bench-resident-%'`,
  );
  if (rows[0].n < count) throw new Error(`demo resident ${template} missing: seed first`);
  return Array.from({ length: count }, (_, i) => `bench-resident-${i + 1}@sabor.local`);
}

/**
 * Gives consultation `consultationId` a thread of `count` comments by the bench residents: four in
 * five are proposals (with a stance), one in five a reply to a random proposal (depth 1), spread
 * over the last 20 days, so the newest page mixes proposals and their replies as a real thread.
 */
export async function addComments(db, consultationId, count) {
  const proposals = Math.ceil(count * 0.8);
  const replies = count - proposals;
  await db.query(
    `with authors as (
       select id, row_number() over (order by email) - 1 as i,
              count(*) over () as total
         from users where email like 'bench-resident-%'
     ), ins as (
       select gen_random_uuid() as id, n from generate_series(1, $2::int) n
     )
     insert into comments (id, consultation_id, root_id, depth, author_id, stance, body,
                           version_number, created_at)
     select ins.id, $1, ins.id, 0, a.id, (array['for','against','neutral'])[1 + n % 3],
            'Предложение ' || n || ': ' || repeat('текст на предложението ', 1 + n % 12),
            1, now() - interval '20 days' * random()
       from ins join authors a on a.i = ins.n % a.total`,
    [consultationId, proposals],
  );
  if (replies > 0) {
    await db.query(
      `with parents as (
         select id, row_number() over (order by random()) as k
           from comments where consultation_id = $1 and parent_id is null
       ), authors as (
         select id, row_number() over (order by email) - 1 as i, count(*) over () as total
           from users where email like 'bench-resident-%'
       )
       insert into comments (consultation_id, parent_id, root_id, depth, author_id, body,
                             version_number, created_at)
       select $1, p.id, p.id, 1, a.id, 'Отговор ' || n || ': съгласен съм отчасти.', 1,
              now() - interval '10 days' * random()
         from generate_series(1, $2::int) n
         join parents p on p.k = 1 + (n * 7919) % (select count(*) from parents)
         join authors a on a.i = n % a.total`,
      [consultationId, replies],
    );
    await db.query(
      `update comments c set reply_count = r.n
         from (select parent_id, count(*)::int as n from comments
                where consultation_id = $1 and parent_id is not null group by parent_id) r
        where c.id = r.parent_id`,
      [consultationId],
    );
  }
  // The thread's totals, as the comment service keeps them (apps/api comments/repository.ts).
  await db.query(
    `insert into consultation_stats (consultation_id, proposal_count, participant_count)
     select $1::uuid, count(*) filter (where parent_id is null), count(distinct author_id)
       from comments where consultation_id = $1::uuid
     on conflict (consultation_id) do update
       set proposal_count = excluded.proposal_count, participant_count = excluded.participant_count`,
    [consultationId],
  );
  await db.query('analyze comments');
  const [row] = await db.query(
    'select count(*)::int as n from comments where consultation_id = $1',
    [consultationId],
  );
  return row.n;
}

const insertComment = `insert into comments (id, consultation_id, root_id, depth, author_id, stance,
                                              body, version_number)
                       values ($1, $2, $1, 0, $3, 'neutral', $4, 1)`;

/**
 * The raw baseline for comment POSTs: `concurrency` loops each inserting one comment row (the row a
 * POST inserts, nothing else) for `durationS` seconds after `warmupS` seconds, through `db`.
 */
export function measureRawInserts(db, options) {
  const { consultationId, authorId, body } = options;
  return measureLoops(
    () => db.query(insertComment, [crypto.randomUUID(), consultationId, authorId, body]),
    options,
  );
}

// Any constant: the benchmark's own database, so neither lock meets Sabor's.
const benchLockKey = 7_415_290_199;

/**
 * The database side of a comment POST's live event, without the HTTP request: the same comment
 * INSERT plus a live event in one transaction, `concurrency` loops at once.
 * - `locked`: the design before migration 0012, a transaction-scoped advisory lock taken before
 *   the event's INSERT and held through COMMIT (every writer waits for the previous one's commit);
 * - `sequenced`: the design since, no lock in the writer and the NOTIFY after the commit, while one
 *   loop numbers committed events as a hub does (apps/api/src/live/sequencer.ts, the SQL function
 *   of migration 0014), continuously, so at least as often as a hub.
 */
export async function measureOutboxWrites(db, options, design) {
  const { consultationId, authorId, body } = options;
  const write = () =>
    db
      .transaction(async (tx) => {
        const id = crypto.randomUUID();
        await tx.query(insertComment, [id, consultationId, authorId, body]);
        if (design === 'locked') await tx.query(`select pg_advisory_xact_lock(${benchLockKey})`);
        await tx.query(
          `insert into live_events (topic, payload) values ('consultation:bench', $1::jsonb)`,
          [JSON.stringify({ type: 'comment_created', id })],
        );
        // Before: NOTIFY in the transaction (PostgreSQL then holds its notification lock through
        // the commit too); since: after the commit, in a statement of its own.
        if (design === 'locked') await tx.query(`select pg_notify('sabor_bench_live', '1')`);
      })
      .then(() => design === 'sequenced' && db.query(`select pg_notify('sabor_bench_live', '1')`));
  let sequencing = design === 'sequenced';
  const sequencer = (async () => {
    while (sequencing) {
      await db.query(`select * from sabor_sequence_live_events(500, ${benchLockKey})`);
    }
  })();
  try {
    return await measureLoops(write, options);
  } finally {
    sequencing = false;
    await sequencer;
  }
}

/** Runs `operation` in `concurrency` loops for `durationS` s after `warmupS` s; rate and latencies. */
async function measureLoops(operation, { concurrency, durationS, warmupS }) {
  const loop = async (until, latencies) => {
    while (performance.now() < until) {
      const started = performance.now();
      await operation();
      latencies?.push(performance.now() - started);
    }
  };
  const workers = (until, latencies) =>
    Promise.all(Array.from({ length: concurrency }, () => loop(until, latencies)));
  if (warmupS > 0) await workers(performance.now() + warmupS * 1000);
  const latencies = [];
  const started = performance.now();
  await workers(started + durationS * 1000, latencies);
  const elapsedS = (performance.now() - started) / 1000;
  return { total: latencies.length, perSecond: latencies.length / elapsedS, latencies };
}
