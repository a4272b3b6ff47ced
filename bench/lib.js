// Process, port and clean-up helpers shared by the benchmark steps. Everything the benchmark starts
// (child processes, temporary directories, databases) is registered here, so one clean-up path
// removes it on success, on error and on Ctrl-C.
import { fork, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
export const host = '127.0.0.1';

const children = new Set();
/** @type {Array<{ name: string, dispose: () => Promise<void>, disposeSync: () => void }>} */
const resources = [];

/** A port the kernel just handed out on loopback; free again when this resolves. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** A temporary directory removed at clean-up. */
export function tempDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const removeSync = () => rmSync(dir, { recursive: true, force: true });
  resources.push({ name: dir, dispose: async () => removeSync(), disposeSync: removeSync });
  return dir;
}

/** Registers something that clean-up must undo (e.g. a database), newest undone first. */
export function onCleanup(name, dispose, disposeSync) {
  resources.push({ name, dispose, disposeSync });
}

/**
 * Starts `node script` from the repository root with exactly `env` (plus PATH/HOME), so a
 * DATABASE_URL or LOG_LEVEL in the caller's shell cannot change what is measured.
 * Keeps the last few kB of output for error messages.
 */
export function startNode(script, env, nodeArgs = []) {
  const base = { PATH: process.env.PATH, HOME: process.env.HOME, TMPDIR: process.env.TMPDIR };
  const child = spawn(process.execPath, [...nodeArgs, script], {
    cwd: repoRoot,
    env: Object.fromEntries(Object.entries({ ...base, ...env }).filter(([, v]) => v !== undefined)),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  child.exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  child.output = () => output;
  children.add(child);
  void child.exited.then(() => children.delete(child));
  return child;
}

/**
 * Forks `node script` (from the repository root) with an IPC channel, for helpers the benchmark
 * drives by message (WebSocket clients). Registered like every child, so clean-up stops it.
 */
export function forkNode(script) {
  const child = fork(join(repoRoot, script), [], {
    cwd: repoRoot,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'advanced',
  });
  child.exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  child.output = () => '';
  children.add(child);
  void child.exited.then(() => children.delete(child));
  return child;
}

/** Resident set size of a running process in KiB, from /proc/<pid>/status (Linux). */
export function rssKiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  if (!match) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]);
}

/** Nearest-rank percentile (p in 0–100) of unsorted values. */
export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

/** Asks a child to stop (SIGTERM), and kills it if it is still running after `graceMs`. */
export async function stopProcess(child, graceMs = 10_000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = sleep(graceMs).then(() => 'late');
  if ((await Promise.race([child.exited, timer])) === 'late') {
    child.kill('SIGKILL');
    await child.exited;
  }
}

/** Throws, with the child's last output, if it is no longer running (crashed or killed). */
export function assertRunning(child, what) {
  if (child.exitCode === null && child.signalCode === null) return;
  const how = child.signalCode ?? `code ${child.exitCode}`;
  throw new Error(`${what} exited (${how}) during the benchmark:\n${child.output()}`);
}

function getStatus(url, timeoutMs) {
  return new Promise((resolve) => {
    const req = get(url, { agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode));
      res.once('error', () => resolve(0));
    });
    req.once('timeout', () => req.destroy());
    req.once('error', () => resolve(0));
  });
}

/**
 * Polls `url` every few milliseconds until it answers 200; rejects if `child` exits first or
 * `timeoutMs` passes. Resolves with the time of the first 200 (performance.now()).
 */
export async function waitForOk(url, child, timeoutMs) {
  const deadline = performance.now() + timeoutMs;
  let exit;
  void child.exited.then((result) => (exit = result));
  while (performance.now() < deadline) {
    if (exit) {
      const how = exit.signal ?? `code ${exit.code}`;
      throw new Error(`${url}: server exited (${how}) before answering:\n${child.output()}`);
    }
    if ((await getStatus(url, 2000)) === 200) return performance.now();
    await sleep(5);
  }
  throw new Error(`${url}: no 200 within ${timeoutMs} ms:\n${child.output()}`);
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Stops every child and undoes every registered resource, newest first. */
export async function cleanup() {
  await Promise.all([...children].map((child) => stopProcess(child, 5000)));
  while (resources.length > 0) {
    const resource = resources.pop();
    try {
      await resource.dispose();
    } catch (error) {
      console.error(`clean-up of ${resource.name} failed: ${error.message}`);
    }
  }
}

/** Last resort when the process is leaving without the orderly clean-up (error, signal). */
function cleanupSync() {
  for (const child of children) child.kill('SIGKILL');
  while (resources.length > 0) {
    try {
      resources.pop().disposeSync();
    } catch {
      // Exiting anyway; nothing better to do.
    }
  }
}

process.once('exit', cleanupSync);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping servers and removing temporary data`);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  });
}
