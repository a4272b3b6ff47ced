// Cold start: time from spawning a server until GET /api/health first answers 200.
import { median, stopProcess } from './lib.js';
import { baseline, freshStore, sabor, startServer } from './targets.js';

function summary(measured) {
  const samples = measured.map((ms) => Math.round(ms * 10) / 10);
  return {
    medianMs: median(samples),
    minMs: Math.min(...samples),
    maxMs: Math.max(...samples),
    samplesMs: samples,
  };
}

/**
 * Starts, `runs` times each and interleaved so drift in machine load hits all alike: the baseline;
 * Sabor on a new store (creates the database, migrates, seeds); Sabor again on that store.
 * Also returns the last store, so the throughput step can reuse an initialised one.
 */
export async function measureColdStarts({ runs, databaseUrl, timeoutMs, log }) {
  const samples = { baseline: [], saborFirst: [], saborSecond: [] };
  let store;
  for (let run = 1; run <= runs; run++) {
    const base = await startServer(baseline, undefined, timeoutMs);
    await stopProcess(base.child);
    samples.baseline.push(base.startMs);

    store = await freshStore(databaseUrl);
    const first = await startServer(sabor, store, timeoutMs);
    await stopProcess(first.child);
    samples.saborFirst.push(first.startMs);

    const second = await startServer(sabor, store, timeoutMs);
    await stopProcess(second.child);
    samples.saborSecond.push(second.startMs);

    const ms = (v) => `${Math.round(v)} ms`;
    log(
      `  start ${run}/${runs}: baseline ${ms(base.startMs)}, Sabor first ${ms(first.startMs)}, ` +
        `second ${ms(second.startMs)}`,
    );
  }
  const results = {
    runs,
    baseline: summary(samples.baseline),
    saborFirst: summary(samples.saborFirst),
    saborSecond: summary(samples.saborSecond),
  };
  return { results, store };
}
