import { createHash } from 'node:crypto';
import { documentContentTypes, type DocumentContentType } from '@sabor/contracts';
import type { FastifyRequest } from 'fastify';
import { fileTypeFromBuffer } from 'file-type';
import { z } from 'zod';
import { ApiError } from '../../errors';

/** The `file` part of a document upload, read into memory (bounded by DOCUMENT_MAX_BYTES). */
export class UploadedFile {
  readonly sha256: string;

  constructor(
    /** The name the browser sent, unsanitized. */
    readonly fileName: string,
    readonly data: Buffer,
  ) {
    this.sha256 = createHash('sha256').update(data).digest('hex');
  }

  get size(): number {
    return this.data.byteLength;
  }

  /**
   * What JSON.stringify sees. The idempotency plugin hashes the parsed body to tell a retry from a
   * different request under the same key: the digest stands for the file's bytes.
   */
  toJSON() {
    return { fileName: this.fileName, size: this.size, sha256: this.sha256 };
  }
}

/** The parsed multipart body: `title` (text) and `file`. */
export const documentUploadFileSchema = z
  .custom<UploadedFile>((value) => value instanceof UploadedFile, { message: 'required' })
  .meta({ type: 'string', format: 'binary', description: 'PDF, DOCX or ODT' });

/** Busboy limits for the upload: one file of at most `maxBytes`, a few small text fields. */
export function uploadLimits(maxBytes: number) {
  return { fileSize: maxBytes, files: 1, fields: 4, parts: 6, fieldSize: 4096, headerPairs: 20 };
}

/**
 * Reads a multipart/form-data upload into `{ title, file }` before validation. Busboy stops
 * reading the file at `fileSize` bytes (the rest is discarded, never buffered) and the upload is
 * refused with 413 `document_too_large`; malformed multipart is a 400.
 */
export async function readDocumentUpload(request: FastifyRequest): Promise<unknown> {
  // Any other body (JSON, text) goes on to validation, which it fails: it cannot hold a file.
  if (!request.isMultipart()) return request.body;
  const body: Record<string, unknown> = {};
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file') {
          // Unread parts stall the parser: discard what is not ours.
          part.file.resume();
          continue;
        }
        body.file = new UploadedFile(part.filename, await part.toBuffer());
      } else if (part.fieldname === 'title') {
        // A repeated field becomes a list, which validation refuses.
        body.title = body.title === undefined ? part.value : [body.title, part.value];
      }
    }
  } catch (error) {
    throw uploadError(error);
  }
  return body;
}

function uploadError(error: unknown): unknown {
  if (error instanceof ApiError) return error;
  const { code, statusCode } = error as { code?: unknown; statusCode?: unknown };
  if (code === 'FST_REQ_FILE_TOO_LARGE') return new ApiError(413, 'document_too_large');
  // Too many files, fields or parts.
  if (statusCode === 413) return new ApiError(413, 'payload_too_large');
  if (code === 'FST_INVALID_MULTIPART_CONTENT_TYPE') {
    return new ApiError(415, 'unsupported_media_type');
  }
  // Malformed multipart (bad boundary, truncated body, forbidden field names).
  return new ApiError(400, 'validation_failed', { file: { code: 'invalid' } });
}

/**
 * The document kind read from the file's own bytes (magic numbers, and for DOCX/ODT the entries
 * of the zip), or 415 `document_type_not_allowed`. The name and the browser's Content-Type are
 * never trusted.
 */
export async function detectDocumentType(data: Uint8Array): Promise<DocumentContentType> {
  let detected: string | undefined;
  try {
    detected = (await fileTypeFromBuffer(data))?.mime;
  } catch {
    // A file that breaks the detector's limits (e.g. a zip bomb) is no document we take.
    detected = undefined;
  }
  const allowed = documentContentTypes.find((type) => type === detected);
  if (!allowed) throw new ApiError(415, 'document_type_not_allowed');
  return allowed;
}

// C0/C1 controls, bidirectional overrides (which can disguise "exe.pdf" as "fdp.exe") and the
// characters Windows forbids in names.
const unsafeCharacters =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069"*:<>?|]/g;
const maxStemLength = 150;

/**
 * The name a document is stored and downloaded under: the last path segment of what was sent,
 * without control, bidi and Windows-forbidden characters, letters of any script kept, ending in
 * the extension of the detected kind ("Наредба.PDF" → "Наредба.pdf", "a.png" holding a PDF →
 * "a.png.pdf", "../../x" → "x.pdf").
 */
export function sanitizeFileName(raw: string, extension: string): string {
  const base = raw.normalize('NFC').split(/[/\\]/).pop() ?? '';
  let stem = base.replace(unsafeCharacters, '').replace(/\s+/g, ' ').trim();
  if (stem.toLowerCase().endsWith(`.${extension}`)) stem = stem.slice(0, -(extension.length + 1));
  stem = stem.replace(/^[.\s]+|[.\s]+$/g, '');
  stem = [...stem].slice(0, maxStemLength).join('').trim();
  return `${stem || 'document'}.${extension}`;
}
