// Requests per second and latency of one URL under constant concurrency, with autocannon.
import autocannon from 'autocannon';

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
 * `headers` go with every request.
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
  const r = await cannon({ ...options, duration: durationS });
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
  };
}
