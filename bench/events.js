// The `events` group: registrations per second for ONE event at 100 concurrent clients (every
// registration takes the event's row lock to count seats), beside plain INSERTs of the same row
// without any capacity check, through the same driver, in the same run.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { addResidents, openStore } from './database.js';
import { measureThroughput } from './http-throughput.js';
import { assertRunning, stopProcess } from './lib.js';
import { call, demoAdmin, login } from './sabor-api.js';
import { freshStore, sabor, startServer } from './targets.js';

const day = 24 * 60 * 60 * 1000;

async function createPublishedEvent(origin, adminCookie, title, capacity) {
  const created = await call(origin, 'POST', '/api/admin/events', {
    cookie: adminCookie,
    address: '10.255.255.3',
    body: {
      type: 'conference',
      titleBg: title,
      descriptionBg: 'Събитие за бенчмарка.',
      venueBg: 'Зала 1',
      addressBg: 'Стара Загора',
      startsAt: new Date(Date.now() + 30 * day).toISOString(),
      endsAt: new Date(Date.now() + 30 * day + 4 * 3600_000).toISOString(),
      capacity,
    },
  });
  if (created.status !== 201) {
    throw new Error(
      `create event: ${created.status} ${JSON.stringify(created.body).slice(0, 300)}`,
    );
  }
  const published = await call(origin, 'POST', `/api/admin/events/${created.body.id}/publish`, {
    cookie: adminCookie,
    address: '10.255.255.3',
  });
  if (published.status !== 200) throw new Error(`publish event: ${published.status}`);
  return created.body.id;
}

/**
 * Session cookies for the bench residents, written straight into `sessions` (what a sign-in
 * stores: the SHA-256 of a 32-character base32 token), so thousands need no password hashing.
 */
async function residentCookies(db, emails) {
  const users = await db.query(`select id from users where email = any($1::text[])`, [emails]);
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  const tokens = users.map(() =>
    Array.from(randomBytes(32), (byte) => alphabet[byte % 32]).join(''),
  );
  const ids = tokens.map((token) => createHash('sha256').update(token).digest('hex'));
  await db.query(
    `insert into sessions (id, user_id, expires_at)
     select * from unnest($1::text[], $2::uuid[], array_fill(now() + interval '30 days', array[$3::int]))`,
    [ids, users.map((u) => u.id), users.length],
  );
  return tokens.map((token) => `sabor_session=${token}`);
}

/** Plain INSERTs of a registration row (no lock, no count, no mail) at `concurrency`. */
async function measureRawRegistrations(db, { eventId, concurrency, durationS, warmupS }) {
  const insert = () =>
    db.query(
      `insert into registrations (event_id, name, email, locale, status, email_confirmed_at,
                                  ticket_id, answers)
       values ($1, 'Гост на бенчмарка', $2, 'bg', 'confirmed', now(), $3, '{}')`,
      [eventId, `raw-${randomUUID()}@example.bg`, randomBytes(10).toString('hex')],
    );
  const loop = async (until, latencies) => {
    while (performance.now() < until) {
      const started = performance.now();
      await insert();
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
  const sorted = Float64Array.from(latencies).sort();
  const at = (p) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
  return {
    perSecond: latencies.length / elapsedS,
    total: latencies.length,
    latencyP50Ms: at(50),
    latencyP99Ms: at(99),
  };
}

function randomAddress() {
  const n = Math.floor(Math.random() * 2 ** 24);
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

/** What the staff list says after the load: seats held must never exceed the capacity. */
async function seatCheck(origin, adminCookie, eventId, capacity) {
  const response = await call(
    origin,
    'GET',
    `/api/admin/events/${eventId}/registrations?pageSize=1`,
    { cookie: adminCookie, address: '10.255.255.3' },
  );
  const counts = response.body.counts;
  const held = counts.confirmed + counts.pendingConfirmation;
  return { ...counts, capacity, held, respected: held <= capacity };
}

export async function eventsGroup(settings, databaseUrl, log) {
  const timeoutMs = settings.startTimeoutS * 1000;
  const capacity = settings.eventCapacity;
  const store = await freshStore(databaseUrl);
  let server = await startServer(sabor, store, timeoutMs);
  let ids;
  try {
    const admin = await login(server.origin, demoAdmin, '10.255.255.3');
    ids = {
      guests: await createPublishedEvent(server.origin, admin, 'Бенчмарк: гости', capacity),
      residents: await createPublishedEvent(server.origin, admin, 'Бенчмарк: жители', capacity),
      raw: await createPublishedEvent(server.origin, admin, 'Бенчмарк: суров INSERT', capacity),
    };
  } finally {
    await stopProcess(server.child);
  }

  // With no server running (PGlite allows one process): residents, their sessions, the baseline.
  const db = await openStore(store, { poolSize: settings.eventConnections });
  let cookies;
  let raw;
  try {
    const emails = await addResidents(db, settings.eventResidents);
    cookies = await residentCookies(db, emails);
    log(`  raw INSERT baseline (${settings.eventConnections} concurrent)`);
    raw = await measureRawRegistrations(db, {
      eventId: ids.raw,
      concurrency: settings.eventConnections,
      durationS: settings.durationS,
      warmupS: settings.warmupS,
    });
  } finally {
    await db.end();
  }

  server = await startServer(sabor, store, timeoutMs);
  const admin = await login(server.origin, demoAdmin, '10.255.255.3');
  const results = {};
  let next = 0;
  for (const kind of ['guests', 'residents']) {
    const path = `/api/events/${ids[kind]}/registrations`;
    log(`  load POST ${path} as ${kind} (${settings.eventConnections} connections)`);
    results[kind] = await measureThroughput(`${server.origin}${path}`, {
      connections: settings.eventConnections,
      durationS: settings.durationS,
      warmupS: settings.warmupS,
      verifyBody: (body) => body.includes('"status"'),
      requests: [
        {
          method: 'POST',
          setupRequest: (request) => {
            const headers = {
              origin: server.origin,
              'content-type': 'application/json',
              'x-forwarded-for': randomAddress(),
              'idempotency-key': randomUUID(),
            };
            if (kind === 'guests') {
              return {
                ...request,
                headers,
                body: JSON.stringify({
                  name: 'Гост на бенчмарка',
                  email: `guest-${randomUUID()}@example.bg`,
                  answers: {},
                }),
              };
            }
            const cookie = cookies[next % cookies.length];
            next += 1;
            return { ...request, headers: { ...headers, cookie }, body: '{"answers":{}}' };
          },
        },
      ],
    });
    results[kind].seats = await seatCheck(server.origin, admin, ids[kind], capacity);
    assertRunning(server.child, 'Sabor');
  }
  await stopProcess(server.child);
  return {
    guests: results.guests,
    residents: results.residents,
    raw,
    capacity,
    residentAccounts: cookies.length,
    ratio: {
      guests: results.guests.requestsPerSecond / raw.perSecond,
      residents: results.residents.requestsPerSecond / raw.perSecond,
    },
  };
}
