import { chmodSync, existsSync, unlinkSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { resolve } from 'node:path';

/**
 * The control socket of an embedded data directory: a Unix socket next to it (`<DATA_DIR>.sock`,
 * outside the directory so that a backup of the directory never contains it), served by the one
 * Sabor process that holds the embedded database. It tells the operator's commands that the
 * database is in use (copying or restoring it then is refused) and answers `backup` with a dump of
 * the data directory taken inside that process. It is readable and writable by its owner only:
 * whoever may connect may read the whole database, as whoever may read the directory can.
 */
export function controlSocketPath(dataDir: string): string {
  return `${resolve(dataDir)}.sock`;
}

// Unix socket paths are limited to 104 bytes (macOS) or 108 (Linux), the terminating zero included.
const maxSocketPathBytes = 103;

/** Answers whether a Sabor process serves the control socket of `dataDir`. */
export function isServing(dataDir: string): Promise<boolean> {
  const path = controlSocketPath(dataDir);
  if (!existsSync(path)) return Promise.resolve(false);
  return new Promise((done) => {
    const socket = createConnection(path);
    socket.once('connect', () => {
      socket.end();
      done(true);
    });
    // A socket file left by a process that died: nobody answers.
    socket.once('error', () => done(false));
  });
}

export class DataDirInUse extends Error {
  constructor(dataDir: string) {
    super(
      `Another Sabor process is using the embedded database in ${resolve(dataDir)} (its control socket ${controlSocketPath(dataDir)} answers). Stop it first.`,
    );
    this.name = 'DataDirInUse';
  }
}

export interface ControlHandlers {
  /** A gzipped tarball of the data directory, consistent as of one moment. */
  backup(): Promise<Uint8Array>;
}

/**
 * Serves the control socket of `dataDir`, or refuses (DataDirInUse) when another process serves it.
 * Answers undefined, after `warn`, when the path is too long for a Unix socket: the process then
 * runs without online backups.
 */
export async function serveControlSocket(
  dataDir: string,
  handlers: ControlHandlers,
  warn: (message: string) => void,
): Promise<Server | undefined> {
  const path = controlSocketPath(dataDir);
  if (Buffer.byteLength(path) > maxSocketPathBytes) {
    warn(
      `DATA_DIR is too long a path for its control socket ${path} (at most ${maxSocketPathBytes} bytes): online backups (sabor backup) are unavailable`,
    );
    return undefined;
  }
  if (await isServing(dataDir)) throw new DataDirInUse(dataDir);
  if (existsSync(path)) unlinkSync(path);
  const server = createServer((socket) => answer(socket, handlers));
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(path, () => {
      server.off('error', fail);
      done();
    });
  });
  chmodSync(path, 0o600);
  return server;
}

/** Reads one request line (`backup`) and answers a JSON header line, then the payload if any. */
function answer(socket: Socket, handlers: ControlHandlers): void {
  let request = '';
  socket.setEncoding('latin1');
  socket.on('error', () => socket.destroy());
  const onData = (chunk: string) => {
    request += chunk;
    const end = request.indexOf('\n');
    if (end === -1) {
      if (request.length > 256) socket.destroy();
      return;
    }
    socket.off('data', onData);
    void respond(socket, request.slice(0, end).trim(), handlers);
  };
  socket.on('data', onData);
}

async function respond(socket: Socket, command: string, handlers: ControlHandlers): Promise<void> {
  if (command !== 'backup') {
    socket.end(`${JSON.stringify({ ok: false, error: `unknown command ${command}` })}\n`);
    return;
  }
  try {
    const dump = await handlers.backup();
    socket.write(`${JSON.stringify({ ok: true, bytes: dump.byteLength })}\n`);
    socket.end(dump);
  } catch (error) {
    socket.end(`${JSON.stringify({ ok: false, error: String(error) })}\n`);
  }
}

/** Asks the Sabor process serving `dataDir` for a backup and answers its bytes. */
export function requestBackup(dataDir: string): Promise<Buffer> {
  return new Promise((done, fail) => {
    const socket = createConnection(controlSocketPath(dataDir));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.once('error', fail);
    socket.once('connect', () => socket.write('backup\n'));
    socket.once('end', () => {
      const all = Buffer.concat(chunks);
      const newline = all.indexOf(10);
      if (newline === -1)
        return fail(new Error('the Sabor process closed the control socket without an answer'));
      const header = JSON.parse(all.subarray(0, newline).toString('utf8')) as
        { ok: true; bytes: number } | { ok: false; error: string };
      if (!header.ok)
        return fail(new Error(`the Sabor process could not take a backup: ${header.error}`));
      const body = all.subarray(newline + 1);
      if (body.byteLength !== header.bytes) {
        return fail(
          new Error(`backup cut short: ${body.byteLength} of ${header.bytes} bytes received`),
        );
      }
      done(body);
    });
  });
}
