import multipart from '@fastify/multipart';
import { documentTitleSchema, routes, type ConsultationState } from '@sabor/contracts';
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { sendFile } from '../../file-answer';
import { hasRole, requireUser } from '../../plugins/auth';
import { implement } from '../../route';
import * as service from './service';
import { documentUploadFileSchema, readDocumentUpload, uploadLimits } from './upload';

export interface DocumentRouteOptions {
  deps: service.DocumentDeps;
  /** DOCUMENT_MAX_BYTES. */
  maxBytes: number;
}

/** The upload's parts once read: validated like a JSON body, and described as such in OpenAPI. */
const uploadBodySchema = z.object({ title: documentTitleSchema, file: documentUploadFileSchema });

/**
 * Consultation documents: the public list and download, and staff upload and delete. Multipart
 * parsing exists only inside the upload's own scope.
 */
export const documentRoutes: FastifyPluginAsync<DocumentRouteOptions> = async (
  app,
  { deps, maxBytes },
) => {
  implement(app, routes.consultationDocuments, async (request) =>
    service.listConsultationDocuments(deps, request.params.id, {
      isAdmin: hasRole(request.user, 'admin'),
    }),
  );

  implement(app, routes.downloadDocument, async (request, reply) => {
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
    const file = { fileName: document.fileName, fallbackName: asciiFallback(document.fileName) };
    const body = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    return sendFile(reply, document.contentType, file, body);
  });

  implement(app, routes.deleteDocument, async (request) => {
    await service.deleteDocument(deps, requireUser(request).id, request.params.id);
    return { ok: true as const };
  });

  await app.register(uploadRoutes, { deps, maxBytes });
};

/** The upload, in a scope of its own: the only place that parses multipart/form-data. */
const uploadRoutes: FastifyPluginAsync<DocumentRouteOptions> = async (
  upload,
  { deps, maxBytes },
) => {
  await upload.register(multipart, { limits: uploadLimits(maxBytes) });
  // The route table declares the upload as multipart, without a JSON body: the parts read below
  // are validated by the schema added here.
  upload.addHook('onRoute', (route) => {
    route.schema = { ...route.schema, consumes: ['multipart/form-data'], body: uploadBodySchema };
  });
  // Parsed before validation, so the idempotency check (a preHandler) sees the file's digest.
  upload.addHook('preValidation', async (request) => {
    request.body = await readDocumentUpload(request);
  });
  implement(upload, routes.uploadDocument, async (request, reply) => {
    const committedId = request.idempotency?.committedId;
    const document = committedId
      ? await service.uploadedDocument(deps, committedId)
      : await service.addDocument(
          deps,
          requireUser(request).id,
          request.params.id,
          // Validated by uploadBodySchema (see the onRoute hook).
          request.body as z.output<typeof uploadBodySchema>,
          request.idempotency,
        );
    return reply.code(201).send(document);
  });
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
