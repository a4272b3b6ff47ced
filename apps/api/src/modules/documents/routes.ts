import multipart from '@fastify/multipart';
import {
  consultationDocumentListSchema,
  consultationDocumentSchema,
  documentContentTypes,
  documentTitleSchema,
  errorBodySchema,
  idParamsSchema,
  okSchema,
  type ConsultationState,
} from '@sabor/contracts';
import { create as contentDisposition } from 'content-disposition';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { hasRole, requireUser } from '../../plugins/auth';
import * as service from './service';
import { documentUploadFileSchema, readDocumentUpload, uploadLimits } from './upload';

export interface DocumentRouteOptions {
  deps: service.DocumentDeps;
  /** DOCUMENT_MAX_BYTES. */
  maxBytes: number;
}

/** The file itself; its real type is the document's `contentType`. */
const fileResponseSchema = z.any().meta({ type: 'string', format: 'binary' });

/**
 * Consultation documents under /api: the public list and download, and staff upload and delete.
 * Multipart parsing exists only inside the upload's own scope.
 */
export const documentRoutes: FastifyPluginAsyncZod<DocumentRouteOptions> = async (
  app,
  { deps, maxBytes },
) => {
  app.get(
    '/consultations/:id/documents',
    {
      config: { access: 'public' },
      schema: {
        tags: ['consultations'],
        summary: 'The documents of a consultation (drafts only for admins)',
        params: idParamsSchema,
        response: {
          200: consultationDocumentListSchema,
          400: errorBodySchema,
          404: errorBodySchema,
        },
      },
    },
    async (request) =>
      service.listConsultationDocuments(deps, request.params.id, {
        isAdmin: hasRole(request.user, 'admin'),
      }),
  );

  app.get(
    '/documents/:id',
    {
      config: { access: 'public' },
      schema: {
        tags: ['consultations'],
        summary: 'Download a document (ETag is its SHA-256; If-None-Match answers 304)',
        params: idParamsSchema,
        response: {
          200: {
            description: 'The file, as the type stored with it',
            content: Object.fromEntries(
              documentContentTypes.map((type) => [type, { schema: fileResponseSchema }]),
            ),
          },
          304: z.null().describe('Not modified'),
          400: errorBodySchema,
          404: errorBodySchema,
        },
      },
    },
    async (request, reply) => {
      const document = await service.findDownloadableDocument(deps, request.params.id, {
        isAdmin: hasRole(request.user, 'admin'),
      });
      const etag = `"${document.sha256}"`;
      void reply.headers({
        etag,
        'cache-control': cacheControl(document.consultationState),
        'x-content-type-options': 'nosniff',
      });
      if (etagMatches(request.headers['if-none-match'], etag)) return reply.code(304).send(null);
      const data = await service.documentData(deps, document.id);
      return reply
        .type(document.contentType)
        .header(
          'content-disposition',
          contentDisposition(document.fileName, { fallback: asciiFallback(document.fileName) }),
        )
        .send(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
    },
  );

  app.delete(
    '/admin/documents/:id',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['admin'],
        summary: 'Delete a document while its consultation is a draft or scheduled',
        params: idParamsSchema,
        response: {
          200: okSchema,
          400: errorBodySchema,
          401: errorBodySchema,
          403: errorBodySchema,
          404: errorBodySchema,
          409: errorBodySchema,
        },
      },
    },
    async (request) => {
      await service.deleteDocument(deps, requireUser(request).id, request.params.id);
      return { ok: true as const };
    },
  );

  await app.register(uploadRoutes, { deps, maxBytes });
};

/** The upload, in a scope of its own: the only place that parses multipart/form-data. */
const uploadRoutes: FastifyPluginAsyncZod<DocumentRouteOptions> = async (
  upload,
  { deps, maxBytes },
) => {
  await upload.register(multipart, { limits: uploadLimits(maxBytes) });
  // Parsed before validation, so the idempotency check (a preHandler) sees the file's digest.
  upload.addHook('preValidation', async (request) => {
    request.body = await readDocumentUpload(request);
  });
  upload.post(
    '/admin/consultations/:id/documents',
    {
      config: { access: 'admin', idempotent: 'resumable' },
      schema: {
        tags: ['admin'],
        summary: 'Attach a document (multipart/form-data: title, file; PDF, DOCX or ODT)',
        consumes: ['multipart/form-data'],
        params: idParamsSchema,
        body: z.object({ title: documentTitleSchema, file: documentUploadFileSchema }),
        response: {
          201: consultationDocumentSchema,
          400: errorBodySchema,
          401: errorBodySchema,
          403: errorBodySchema,
          404: errorBodySchema,
          413: errorBodySchema,
          415: errorBodySchema,
        },
      },
    },
    async (request, reply) => {
      const committedId = request.idempotency?.committedId;
      const document = committedId
        ? await service.uploadedDocument(deps, committedId)
        : await service.addDocument(
            deps,
            requireUser(request).id,
            request.params.id,
            request.body,
            request.idempotency,
          );
      return reply.code(201).send(document);
    },
  );
};

/**
 * The bytes under an id never change, so a public consultation's documents may be cached long;
 * a scheduled one's may still be deleted, a draft's are for staff only.
 */
function cacheControl(state: ConsultationState): string {
  if (state === 'draft') return 'private, no-store';
  if (state === 'scheduled') return 'public, max-age=300';
  return 'public, max-age=86400, immutable';
}

function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === '*' || tag === etag);
}

/** The plain `filename=` for old clients: ASCII only; `filename*` carries the real name. */
function asciiFallback(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  const stem = fileName.slice(0, dot).replace(/[^\x20-\x7e]|["%\\]/g, '_');
  return /[a-z0-9]/i.test(stem)
    ? `${stem}${fileName.slice(dot)}`
    : `document${fileName.slice(dot)}`;
}
