// A PostgreSQL cluster of a test's own, on a free port in a temporary directory, that the test may
// stop, restart and crash at will. Never the machine's shared cluster.
import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

export interface ThrowawayPostgres {
  /** postgres:// URL of the cluster's `postgres` database. */
  url: string;
  port: number;
  /** Stops the cluster: `fast` ends sessions cleanly, `immediate` is a crash (recovery on start). */
  stop(mode: 'fast' | 'immediate'): Promise<void>;
  start(): Promise<void>;
  /** Stops it for good and removes its files. */
  destroy(): Promise<void>;
}

/** The directory of initdb and pg_ctl: pg_config's, else the newest under /usr/lib/postgresql. */
export function findPostgresBinaries(): string | undefined {
  const candidates: string[] = [];
  try {
    candidates.push(execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim());
  } catch {
    // No pg_config: look where Debian's packages put the binaries.
  }
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((name) => /^\d+$/.test(name))
      .sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((version) => join(root, version, 'bin')));
  }
  return candidates.find(
    (dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl')),
  );
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

/**
 * Creates and starts a cluster (trust authentication, user `postgres`). initdb refuses to run as
 * root, so as root (CI) the cluster runs as the `postgres` OS user in a directory it owns.
 */
export async function startThrowawayPostgres(bindir: string): Promise<ThrowawayPostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'sabor-pg-'));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const id = (flag: string) =>
      Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, id('-u'), id('-g'));
  }
  // Asynchronous, so the test's clients keep posting while the server goes down and comes back.
  const run = async (program: string, args: string[]) => {
    const [command, prefix] = asRoot
      ? ['runuser', ['-u', 'postgres', '--', join(bindir, program)]]
      : [join(bindir, program), []];
    await promisify(execFile)(command, [...prefix, ...args], { timeout: 60_000 });
  };
  const data = join(dir, 'data');
  const port = await freePort();
  await run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  const serverOptions = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  const pgCtl = (...args: string[]) =>
    run('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '60', ...args]);
  const start = () => pgCtl('start', '-o', serverOptions);
  await start();
  let running = true;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    async stop(mode) {
      await pgCtl('stop', '-m', mode);
      running = false;
    },
    async start() {
      await start();
      running = true;
    },
    async destroy() {
      if (running) await pgCtl('stop', '-m', 'immediate');
      running = false;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
