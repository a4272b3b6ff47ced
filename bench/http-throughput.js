// Requests per second and latency of one URL under constant concurrency, with autocannon.
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

/** The machine's CPU time so far, busy and total, in clock ticks of every core (/proc/stat). */
function cpuTimes() {
  const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const ticks = fields.map(Number);
  const total = ticks.reduce((sum, t) => sum + t, 0);
  // idle and iowait
  return { busy: total - ticks[3] - ticks[4], total };
}

/** The share of the machine's cores that were busy between two `cpuTimes()` readings. */
function busyShare(before, after) {
  const total = after.total - before.total;
  return total > 0 ? (after.busy - before.busy) / total : NaN;
}

function cannon(options) {
  return new Promise((resolve, reject) => {
    autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

/**
 * Loads `url` for `warmupS` seconds (discarded: JIT, caches, connection set-up), then measures for
 * `durationS` seconds. `verifyBody` marks responses that are 2xx but not the real content (a page
 * rendered from fallback data); they are counted as `bodyMismatches`. `requests` (autocannon's
 * request list, e.g. with a `setupRequest` that sets per-request headers) replaces a plain GET;
 * `headers` go with every request. `cpuBusy` is the share of the machine's CPU time spent busy
 * during the measured seconds: near 1, the machine itself is the limit, whatever runs on it.
 */
export async function measureThroughput(
  url,
  { connections, durationS, warmupS, verifyBody, requests, headers },
) {
  const options = {
    url,
    connections,
    verifyBody,
    timeout: 10,
    ...(requests && { requests }),
    ...(headers && { headers }),
  };
  if (warmupS > 0) await cannon({ ...options, duration: warmupS });
  const cpuBefore = cpuTimes();
  const r = await cannon({ ...options, duration: durationS });
  const cpuBusy = busyShare(cpuBefore, cpuTimes());
  const statusCodes = Object.fromEntries(
    Object.entries(r.statusCodeStats).map(([code, { count }]) => [code, count]),
  );
  return {
    url,
    requestsPerSecond: r.requests.average,
    totalRequests: r.requests.total,
    latencyMeanMs: r.latency.average,
    latencyP50Ms: r.latency.p50,
    latencyP99Ms: r.latency.p99,
    non2xx: r.non2xx,
    statusCodes,
    errors: r.errors,
    timeouts: r.timeouts,
    bodyMismatches: r.mismatches,
    bytesPerResponse: r.requests.total > 0 ? Math.round(r.throughput.total / r.requests.total) : 0,
    /** How busy the machine's cores were during the measured seconds (every process, 0–1). */
    cpuBusy,
  };
}
