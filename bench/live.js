// The live benchmark groups: fan-out on one instance beside a raw `ws` broadcast (with the memory
// of idle subscribed sockets), and fan-out with subscribers split over two instances.
import { assertRunning, stopProcess } from './lib.js';
import { measureFanout } from './live-fanout.js';
import { call, demoAdmin, login, postComment } from './sabor-api.js';
import { benchResidentPassword } from './database.js';
import { sabor, startServer, wsBaseline } from './targets.js';

const commentMatch = '"comment_created"';

/** Signs in `count` bench residents; returns their cookies and client addresses. */
export async function signInResidents(origin, emails, count) {
  const people = [];
  for (const [i, email] of emails.slice(0, count).entries()) {
    const address = `10.254.${(i >> 8) & 255}.${i & 255}`;
    people.push({
      cookie: await login(origin, { email, password: benchResidentPassword }, address),
      address,
    });
  }
  return people;
}

/**
 * What makes one event on the live topic: a comment POST by a resident (rotating over `people`).
 * Checked once before measuring. If the comments API is missing (404, older build), a new
 * consultation version by an admin stands in, and the caller is told in `note`.
 */
async function saborTrigger(origin, consultationId, people) {
  const post = async (round) => {
    const person = people[round % people.length];
    const response = await postComment(
      origin,
      person.cookie,
      consultationId,
      `Коментар на живо ${round}: ${'текст '.repeat(20)}`,
      {
        address: person.address,
        stance: ['for', 'against', 'neutral'][round % 3],
      },
    );
    if (response.status !== 201) {
      throw new Error(
        `comment POST answered ${response.status}: ${JSON.stringify(response.body).slice(0, 300)}`,
      );
    }
  };
  const probe = await postComment(origin, people[0].cookie, consultationId, 'Проба', {
    address: people[0].address,
  });
  if (probe.status === 201)
    return { trigger: (round) => post(round + 1), match: commentMatch, note: null };
  if (probe.status !== 404) {
    throw new Error(
      `comment POST answered ${probe.status}: ${JSON.stringify(probe.body).slice(0, 300)}`,
    );
  }
  const admin = await login(origin, demoAdmin, '10.255.255.2');
  return {
    trigger: async (round) => {
      const response = await call(
        origin,
        'POST',
        `/api/admin/consultations/${consultationId}/versions`,
        {
          cookie: admin,
          address: '10.255.255.2',
          body: { body: `Версия ${round}: ${'текст '.repeat(100)}` },
        },
      );
      if (response.status !== 200) throw new Error(`version POST answered ${response.status}`);
    },
    match: '"version_published"',
    note: 'POST /api/consultations/:id/comments answered 404 (comments API not in this build): a new consultation version (admin POST .../versions) was the trigger instead of a comment.',
  };
}

function fanoutOptions(settings, log) {
  return {
    processes: settings.liveProcesses,
    events: settings.liveEvents,
    warmup: 2,
    pauseMs: 250,
    connectTimeoutMs: 300_000,
    roundTimeoutMs: 15_000,
    log,
  };
}

/**
 * Group `live`: for each client count, Sabor (comment POST → event at every client) and the raw
 * `ws` baseline (broadcast of the frame Sabor sent → receipt), each on a fresh server process whose
 * RSS is read before the clients connect and once they are idle and subscribed.
 */
export async function liveGroup(prepared, settings, log) {
  const { store, consultations, residents } = prepared;
  const topic = `consultation:${consultations.live}`;
  const timeoutMs = settings.startTimeoutS * 1000;
  const results = [];
  const notes = [];
  let people;
  for (const clients of settings.liveClients) {
    log(`  ${clients} clients: Sabor`);
    const server = await startServer(sabor, store, timeoutMs);
    people ??= await signInResidents(server.origin, residents, 20);
    const { trigger, match, note } = await saborTrigger(server.origin, consultations.live, people);
    if (note && !notes.includes(note)) notes.push(note);
    const saborResult = await measureFanout({
      ...fanoutOptions(settings, log),
      origins: [server.origin],
      serverPid: server.child.pid,
      clients,
      topic,
      match,
      trigger,
    });
    assertRunning(server.child, 'Sabor');
    await stopProcess(server.child);

    log(`  ${clients} clients: raw ws`);
    const frame = saborResult.sample;
    const raw = await startServer(wsBaseline, undefined, timeoutMs);
    const rawResult = await measureFanout({
      ...fanoutOptions(settings, log),
      origins: [raw.origin],
      serverPid: raw.child.pid,
      clients,
      topic,
      match,
      trigger: async () => {
        const response = await fetch(`${raw.origin}/broadcast`, { method: 'POST', body: frame });
        if (response.status !== 204) throw new Error(`raw broadcast answered ${response.status}`);
      },
    });
    assertRunning(raw.child, 'raw ws baseline');
    await stopProcess(raw.child);
    for (const [name, r] of [
      ['Sabor', saborResult],
      ['raw ws', rawResult],
    ]) {
      if (r.roundsWithMixedEvents > 0) {
        notes.push(
          `${name}, ${clients} clients: in ${r.roundsWithMixedEvents} rounds not every client ` +
            'timed the same event (an extra matching event arrived).',
        );
      }
    }
    results.push({
      clients,
      frameBytes: Buffer.byteLength(frame),
      sabor: saborResult,
      baseline: rawResult,
    });
  }
  return { results, notes };
}

/**
 * Group `cross` (PostgreSQL only): for each client count, all clients on instance A, then half on A
 * and half on a second instance B of the same database; comments are always posted to A.
 */
export async function crossGroup(prepared, settings, log) {
  const { store, consultations, residents } = prepared;
  const topic = `consultation:${consultations.live}`;
  const timeoutMs = settings.startTimeoutS * 1000;
  const results = [];
  const notes = [];
  let people;
  for (const clients of settings.liveClients) {
    const a = await startServer(sabor, store, timeoutMs);
    people ??= await signInResidents(a.origin, residents, 20);
    const { trigger, match, note } = await saborTrigger(a.origin, consultations.live, people);
    if (note && !notes.includes(note)) notes.push(note);
    const options = {
      ...fanoutOptions(settings, log),
      clients,
      topic,
      match,
      trigger,
      serverPid: null,
    };
    log(`  ${clients} clients on one instance`);
    const one = await measureFanout({ ...options, origins: [a.origin] });
    log(`  ${clients} clients over two instances`);
    const b = await startServer(sabor, store, timeoutMs);
    const two = await measureFanout({
      ...options,
      processes: Math.max(2, settings.liveProcesses - (settings.liveProcesses % 2)),
      origins: [a.origin, b.origin],
    });
    assertRunning(a.child, 'Sabor instance A');
    assertRunning(b.child, 'Sabor instance B');
    await Promise.all([stopProcess(a.child), stopProcess(b.child)]);
    results.push({ clients, one, two });
  }
  return { results, notes };
}
