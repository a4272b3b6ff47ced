// The comment benchmark groups: POST throughput beside a raw INSERT of the same row (measured while
// preparing the store, see prepare.js), and the first page of a long thread beside a short one.
import { randomUUID } from 'node:crypto';
import { measureThroughput } from './http-throughput.js';
import { assertRunning, stopProcess } from './lib.js';
import { measureOutboxWrites, measureRawInserts } from './database.js';
import { signInResidents } from './live.js';
import { postComment } from './sabor-api.js';
import { marker, renderedCookie, sabor, startServer } from './targets.js';

export const postedBody = `Предложение от бенчмарка: ${'разумен текст на предложението '.repeat(8)}`;

/**
 * The raw baseline, run by prepareStore while no server runs: plain INSERTs at the same
 * concurrency; then, in the same store, the same INSERT with a live event written the way before
 * migration 0012 (a lock through commit) and the way since (numbered after commit), to show what
 * the event's ordering costs without the HTTP request (see measureOutboxWrites).
 */
export async function rawInsertBaseline(db, prepared, settings) {
  const [author] = await db.query('select id from users where email = $1', [prepared.residents[0]]);
  const options = {
    consultationId: prepared.consultations.post,
    authorId: author.id,
    body: postedBody,
    concurrency: settings.postConcurrency,
    durationS: settings.durationS,
    warmupS: settings.warmupS,
  };
  const raw = summary(await measureRawInserts(db, options));
  return {
    ...raw,
    outbox: {
      locked: summary(await measureOutboxWrites(db, options, 'locked')),
      sequenced: summary(await measureOutboxWrites(db, options, 'sequenced')),
    },
  };
}

function summary(result) {
  const sorted = Float64Array.from(result.latencies).sort();
  const at = (p) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
  return {
    perSecond: result.perSecond,
    total: result.total,
    latencyP50Ms: at(50),
    latencyP99Ms: at(99),
  };
}

/** Random client addresses for GET loads, so the per-address API limit sees many visitors. */
function randomAddress() {
  const n = Math.floor(Math.random() * 2 ** 24);
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

/**
 * Group `comments`: autocannon POSTs comments (fresh Idempotency-Key each, residents in rotation,
 * each resident with its own client address) at `postConcurrency` connections.
 */
export async function commentPostGroup(prepared, settings, log) {
  const timeoutMs = settings.startTimeoutS * 1000;
  const server = await startServer(sabor, prepared.store, timeoutMs);
  const people = await signInResidents(server.origin, prepared.residents, settings.postUsers);
  const probe = await postComment(
    server.origin,
    people[0].cookie,
    prepared.consultations.post,
    postedBody,
    {
      address: people[0].address,
    },
  );
  if (probe.status !== 201) {
    await stopProcess(server.child);
    return {
      skipped: `POST /api/consultations/:id/comments answered ${probe.status}: comment writes not measured.`,
    };
  }
  log(`  load POST comments (${settings.postConcurrency} connections)`);
  const result = await postLoad(
    server.origin,
    people,
    prepared,
    settings,
    settings.postConcurrency,
  );
  assertRunning(server.child, 'Sabor');
  await stopProcess(server.child);
  const baseline = prepared.stopped?.rawInsert ?? null;
  return {
    sabor: result,
    baseline,
    ratio: baseline ? result.requestsPerSecond / baseline.perSecond : NaN,
  };
}

/**
 * Comment POSTs at `connections` connections against `origin`: a fresh Idempotency-Key each, the
 * residents in rotation, each resident with its own client address.
 */
function postLoad(origin, people, prepared, settings, connections) {
  let next = 0;
  const path = `/api/consultations/${prepared.consultations.post}/comments`;
  const stances = ['for', 'against', 'neutral'];
  return measureThroughput(`${origin}${path}`, {
    connections,
    durationS: settings.durationS,
    warmupS: settings.warmupS,
    verifyBody: (body) => body.includes('"comment_created"') || body.includes('"consultationId"'),
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => {
          const person = people[next % people.length];
          const stance = stances[next % 3];
          next += 1;
          return {
            ...request,
            headers: {
              origin,
              'content-type': 'application/json',
              cookie: person.cookie,
              'x-forwarded-for': person.address,
              'idempotency-key': randomUUID(),
            },
            body: JSON.stringify({ body: postedBody, stance }),
          };
        },
      },
    ],
  });
}

/**
 * Group `comments`, second part (PostgreSQL only): two Sabor processes on the same database, half
 * of the connections on each, at once. With nothing serialising writers across instances, their
 * sum is at least the one instance's rate (`oneInstance`, measured just before in the same run).
 */
export async function commentPostTwoInstancesGroup(prepared, settings, oneInstance, log) {
  const timeoutMs = settings.startTimeoutS * 1000;
  const servers = [];
  try {
    // One after the other: the second start finds the database migrated.
    for (let i = 0; i < 2; i += 1)
      servers.push(await startServer(sabor, prepared.store, timeoutMs));
    const people = await signInResidents(servers[0].origin, prepared.residents, settings.postUsers);
    const half = Math.max(1, Math.floor(settings.postConcurrency / 2));
    const halves = [people.filter((_, i) => i % 2 === 0), people.filter((_, i) => i % 2 === 1)];
    log(`  load POST comments on two instances (${half} connections each)`);
    const results = await Promise.all(
      servers.map((server, i) => postLoad(server.origin, halves[i], prepared, settings, half)),
    );
    for (const server of servers) assertRunning(server.child, 'Sabor');
    const requestsPerSecond = results.reduce((sum, r) => sum + r.requestsPerSecond, 0);
    return {
      instances: results,
      requestsPerSecond,
      oneInstance,
      ratio: requestsPerSecond / oneInstance,
    };
  } finally {
    for (const server of servers) await stopProcess(server.child);
  }
}

/**
 * Group `pages`: the first page (newest, 20 proposals with their replies) of the long and the
 * short thread, from the API and as the server-rendered page, each under the same load.
 */
export async function firstPageGroup(prepared, settings, log) {
  const timeoutMs = settings.startTimeoutS * 1000;
  const server = await startServer(sabor, prepared.store, timeoutMs);
  const { big, small } = prepared.consultations;
  const kinds = [
    {
      name: 'API',
      path: (id) => `/api/consultations/${id}/comments?order=newest&limit=20`,
      verifyBody: (body) => body.includes('"items"') && body.includes('"bodyHtml"'),
    },
    {
      name: 'page',
      path: (id) => `/consultations/${id}`,
      verifyBody: (body) => body.includes(marker),
    },
    {
      name: 'page (rendered)',
      path: (id) => `/consultations/${id}`,
      headers: { cookie: renderedCookie },
      verifyBody: (body) => body.includes(marker),
    },
  ];
  const results = [];
  const notes = [];
  for (const kind of kinds) {
    const probe = await fetch(`${server.origin}${kind.path(small)}`, { headers: kind.headers });
    await probe.text();
    if (probe.status !== 200) {
      notes.push(`${kind.name} ${kind.path('<id>')} answered ${probe.status}: not measured.`);
      continue;
    }
    const load = (id, durationS) =>
      measureThroughput(`${server.origin}${kind.path(id)}`, {
        connections: settings.pageConnections,
        durationS,
        warmupS: 0,
        verifyBody: kind.verifyBody,
        requests: [
          {
            method: 'GET',
            setupRequest: (request) => ({
              ...request,
              headers: {
                ...request.headers,
                ...kind.headers,
                'x-forwarded-for': randomAddress(),
              },
            }),
          },
        ],
      });
    // Both threads are warmed before either is measured, so neither pays the JIT for the other.
    log(`  warm up GET ${kind.path('<id>')}`);
    await load(small, settings.warmupS);
    await load(big, settings.warmupS);
    const pair = {};
    for (const [thread, id] of [
      ['small', small],
      ['big', big],
    ]) {
      log(`  load GET ${kind.path('<id>')} (${thread} thread)`);
      pair[thread] = await load(id, settings.durationS);
      assertRunning(server.child, 'Sabor');
    }
    results.push({
      kind: kind.name,
      path: `${kind.path('<id>')}${kind.headers ? ' (rendered)' : ''}`,
      small: pair.small,
      big: pair.big,
      latencyRatio: pair.big.latencyMeanMs / pair.small.latencyMeanMs,
      throughputRatio: pair.small.requestsPerSecond / pair.big.requestsPerSecond,
    });
  }
  await stopProcess(server.child);
  return { results, notes, counts: prepared.counts };
}
