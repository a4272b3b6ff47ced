// Live fan-out: many WebSocket clients subscribed to one topic, one trigger (a comment POST, or the
// raw baseline's broadcast), and the time from just before the trigger to the receipt of the event
// at every client. Clients live in child processes (bench/ws-clients.js), apart from the server.
import { forkNode, percentile, rssKiB } from './lib.js';
import { setTimeout as sleep } from 'node:timers/promises';

const now = () => performance.timeOrigin + performance.now();

/** Resolves with the next IPC message of `child` that `accept` returns true for. */
function nextMessage(child, accept, timeoutMs, what) {
  return new Promise((resolve, reject) => {
    const onMessage = (message) => {
      if (!accept(message)) return;
      done();
      resolve(message);
    };
    const onExit = () => {
      done();
      reject(new Error(`WebSocket client process exited while waiting for ${what}`));
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`no ${what} within ${timeoutMs} ms`));
    }, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/**
 * `total` clients in `processes` child processes; process k connects to `origins[k % n]`, so with
 * two origins and two processes each instance gets half the clients.
 */
export async function connectClients({ origins, total, processes, topic, timeoutMs }) {
  const children = [];
  let firstIndex = 0;
  for (let k = 0; k < processes; k++) {
    const count = Math.floor(total / processes) + (k < total % processes ? 1 : 0);
    const origin = origins[k % origins.length];
    const child = forkNode('bench/ws-clients.js');
    children.push(child);
    child.send({
      cmd: 'connect',
      url: `${origin.replace(/^http/, 'ws')}/api/ws`,
      origin,
      count,
      firstIndex,
      topic,
      concurrency: 50,
    });
    firstIndex += count;
  }
  const results = await Promise.all(
    children.map((child) =>
      nextMessage(child, (m) => m.type === 'connected', timeoutMs, 'all clients subscribed'),
    ),
  );
  const opened = results.reduce((sum, r) => sum + r.opened, 0);
  const failed = results.reduce((sum, r) => sum + r.failed, 0);
  const error = results.find((r) => r.error)?.error ?? null;
  return {
    opened,
    failed,
    error,
    async close() {
      for (const child of children) {
        if (child.connected) child.send({ cmd: 'close' });
      }
      await Promise.all(children.map((child) => child.exited));
    },
    /**
     * One measured event: arms every client for the next event frame containing `match`, runs
     * `trigger`, and returns every client's receipt time minus the time just before the trigger.
     */
    async round(id, match, trigger, roundTimeoutMs) {
      await Promise.all(
        children.map((child) => {
          const armed = nextMessage(
            child,
            (m) => m.type === 'armed' && m.round === id,
            10_000,
            'armed',
          );
          child.send({ cmd: 'arm', round: id, match });
          return armed;
        }),
      );
      const waits = children.map((child) =>
        nextMessage(
          child,
          (m) => m.type === 'round' && m.round === id,
          roundTimeoutMs + 10_000,
          'round',
        ),
      );
      const startedAt = now();
      await trigger(id);
      const collect = setTimeout(() => {
        for (const child of children) if (child.connected) child.send({ cmd: 'collect' });
      }, roundTimeoutMs);
      const reports = await Promise.all(waits);
      clearTimeout(collect);
      const latencies = [];
      for (const report of reports) for (const t of report.times) latencies.push(t - startedAt);
      return {
        latencies,
        missing: reports.reduce((sum, r) => sum + r.missing, 0),
        distinctIds: Math.max(...reports.map((r) => r.distinctIds)),
        sample: reports.find((r) => r.sample)?.sample ?? null,
      };
    },
  };
}

function summarize(latencies) {
  return {
    samples: latencies.length,
    p50Ms: percentile(latencies, 50),
    p95Ms: percentile(latencies, 95),
    p99Ms: percentile(latencies, 99),
    // A reduce, not Math.max(...latencies): spreading hundreds of thousands of samples into one
    // call overflows the stack beyond about 10,000 clients.
    maxMs: latencies.length ? latencies.reduce((max, t) => (t > max ? t : max), -Infinity) : NaN,
  };
}

/**
 * Connects `clients` sockets to the server(s) at `origins`, reads the server's RSS before and after
 * (idle, subscribed), then measures `warmup` discarded and `events` measured rounds, one trigger
 * each, pausing `pauseMs` between rounds. `serverPid` is the process whose memory is read (the
 * first instance); `trigger(round)` must cause exactly one event frame containing `match`.
 */
export async function measureFanout({
  origins,
  serverPid,
  clients,
  processes,
  topic,
  events,
  warmup,
  pauseMs,
  match,
  trigger,
  connectTimeoutMs,
  roundTimeoutMs,
  log,
}) {
  await sleep(1000);
  const rssBeforeKiB = serverPid ? rssKiB(serverPid) : null;
  const connectStarted = performance.now();
  const group = await connectClients({
    origins,
    total: clients,
    processes,
    topic,
    timeoutMs: connectTimeoutMs,
  });
  try {
    const connectS = (performance.now() - connectStarted) / 1000;
    if (group.failed > 0) {
      throw new Error(`${group.failed} of ${clients} clients failed to subscribe: ${group.error}`);
    }
    // Let the server settle (allocations of the upgrades, timers) before reading its memory idle.
    await sleep(2000);
    const rssIdleKiB = serverPid ? rssKiB(serverPid) : null;
    log(`    ${group.opened} clients subscribed in ${connectS.toFixed(1)} s`);

    const latencies = [];
    let missing = 0;
    let mixedRounds = 0;
    let sample = null;
    for (let round = 0; round < warmup + events; round++) {
      const result = await group.round(round, match, trigger, roundTimeoutMs);
      if (round >= warmup) {
        for (const t of result.latencies) latencies.push(t);
        missing += result.missing;
        if (result.distinctIds > 1) mixedRounds += 1;
      }
      sample ??= result.sample;
      await sleep(pauseMs);
    }
    return {
      clients: group.opened,
      events,
      connectS: Math.round(connectS * 10) / 10,
      ...summarize(latencies),
      missing,
      roundsWithMixedEvents: mixedRounds,
      memory: serverPid
        ? {
            rssBeforeKiB,
            rssIdleKiB,
            perSocketKiB: (rssIdleKiB - rssBeforeKiB) / group.opened,
          }
        : null,
      sample,
    };
  } finally {
    await group.close();
  }
}
