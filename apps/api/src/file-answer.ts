import type { Readable } from 'node:stream';
import { create as contentDisposition } from 'content-disposition';
import type { FastifyReply } from 'fastify';

/** How a route answers with a file (a CSV, a PDF, a calendar, a document, a JSON export). */
export interface FileAnswer {
  /** The name a browser saves it under. */
  fileName: string;
  /** An ASCII name for browsers that cannot read `fileName` (see content-disposition). */
  fallbackName?: string;
  /** Opened in the browser (a calendar) or saved (the default). */
  disposition?: 'attachment' | 'inline';
  /**
   * `no-store` for staff exports that hold personal data; `no-cache` (kept, but asked again
   * before each use) for public files. Routes with an ETag of their own set it themselves.
   */
  cache?: 'no-cache' | 'no-store';
}

/** Names the file the answer carries; the route's serializer writes the body (a JSON export). */
export function fileHeaders(reply: FastifyReply, file: FileAnswer): FastifyReply {
  void reply.header(
    'content-disposition',
    contentDisposition(file.fileName, {
      type: file.disposition ?? 'attachment',
      ...(file.fallbackName === undefined ? {} : { fallback: file.fallbackName }),
    }),
  );
  if (file.cache) void reply.header('cache-control', file.cache);
  return reply;
}

/** Answers with `body` as a file of `contentType`. */
export function sendFile(
  reply: FastifyReply,
  contentType: string,
  file: FileAnswer,
  body: string | Buffer | Readable,
): FastifyReply {
  return fileHeaders(reply, file).type(contentType).send(body);
}
