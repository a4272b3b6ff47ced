// Turns the measurements into the printed tables (Markdown, so they paste into docs/benchmarks.md)
// and the JSON record in bench/results/latest.json.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, release, totalmem, type } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './lib.js';

/** One-minute load average: on a shared machine, other work shows here and in the figures. */
export const loadAverage = () => Math.round(loadavg()[0] * 100) / 100;

export function machineFacts() {
  let commit = null;
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot })
      .toString()
      .trim();
  } catch {
    // Not a git checkout: the record simply has no commit.
  }
  return {
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: availableParallelism(),
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${type()} ${release()}`,
    commit,
  };
}

function ratio(value) {
  if (!Number.isFinite(value)) return 'n/a';
  if (value >= 10) return `${Math.round(value)}×`;
  return `${value.toFixed(value >= 1 ? 1 : 2)}×`;
}

const ms = (value) => `${Math.round(value)} ms`;
const range = (s) => `${ms(s.medianMs)} (${Math.round(s.minMs)}–${Math.round(s.maxMs)})`;

function table(header, rows) {
  const cells = [header, ...rows].map((row) => row.map(String));
  const widths = header.map((_, i) => Math.max(3, ...cells.map((row) => row[i].length)));
  const line = (row) => `| ${row.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
  const rule = `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`;
  return [line(cells[0]), rule, ...cells.slice(1).map(line)].join('\n');
}

function coldStartTable(c) {
  const row = (label, s) => [
    label,
    range(s),
    range(c.baseline),
    ratio(s.medianMs / c.baseline.medianMs),
  ];
  return table(
    ['Start until GET /api/health = 200', 'Sabor', 'node:http baseline', 'Sabor / baseline'],
    [
      row('first start: new database (migrate, seed)', c.saborFirst),
      row('second start: same data', c.saborSecond),
    ],
  );
}

function throughputTable(t) {
  const rows = [];
  for (const [path, pair] of Object.entries(t)) {
    for (const [server, r] of [
      ['Sabor', pair.sabor],
      ['node:http', pair.baseline],
    ]) {
      rows.push([
        `GET ${path}`,
        server,
        Math.round(r.requestsPerSecond),
        r.latencyP50Ms,
        r.latencyP99Ms,
        r.non2xx,
        r.bodyMismatches,
        r.errors + r.timeouts,
        r.bytesPerResponse,
        server === 'Sabor' ? ratio(pair.ratio) : '',
      ]);
    }
  }
  return table(
    [
      'Endpoint',
      'Server',
      'req/s',
      'p50 ms',
      'p99 ms',
      'non-2xx',
      'wrong body',
      'errors',
      'bytes/resp',
      'Sabor / baseline req/s',
    ],
    rows,
  );
}

export function formatReport(record) {
  const m = record.machine;
  const s = record.settings;
  return [
    `Sabor benchmark — ${record.date}`,
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}; Node ${m.node}; commit ${m.commit ?? 'n/a'}`,
    `Load average (1 min) at start ${record.loadAverage.start}, at end ${record.loadAverage.end}`,
    `Database: ${record.database}; start-ups: median of ${s.runs} (min–max); ` +
      `load: ${s.connections} connections, ${s.durationS} s after ${s.warmupS} s warm-up`,
    '',
    coldStartTable(record.coldStart),
    '',
    throughputTable(record.throughput),
    ...record.notes.map((note) => `\nNote: ${note}`),
  ].join('\n');
}

export function writeRecord(record) {
  const dir = join(repoRoot, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'latest.json');
  writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
  return file;
}
