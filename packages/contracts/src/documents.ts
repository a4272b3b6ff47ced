import { z } from 'zod';
import { defineRoutes } from './route';
import { idParamsSchema, isoDateTime, lineText, okSchema } from './common';
import { limits } from './values';

/**
 * The only kinds of file a consultation may carry, decided from the file's first bytes (never from
 * its name or the browser's Content-Type): PDF, Word (DOCX) and OpenDocument text (ODT).
 */
export const documentContentTypes = [
  'application/pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.oasis.opendocument.text',
] as const;
export type DocumentContentType = (typeof documentContentTypes)[number];

/** The file name extension of each accepted kind. */
export const documentExtensions: Record<DocumentContentType, string> = {
  'application/pdf': 'pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.oasis.opendocument.text': 'odt',
};

/** The text field of the multipart upload (`title`); the other field is `file`. */
export const documentTitleSchema = lineText(limits.documentTitle);

/** A document's description; the file itself is downloaded from `GET /api/documents/:id`. */
export const consultationDocumentSchema = z.object({
  id: z.uuid(),
  consultationId: z.uuid(),
  title: z.string(),
  /** The uploaded name without paths or control characters, ending in the kind's extension. */
  fileName: z.string(),
  contentType: z.enum(documentContentTypes),
  /** Bytes. */
  size: z.number().int().min(1),
  /** SHA-256 of the file, hex; also the download's ETag. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  createdAt: isoDateTime,
});
export type ConsultationDocument = z.infer<typeof consultationDocumentSchema>;

/** A consultation's documents, oldest first (the order staff added them). */
export const consultationDocumentListSchema = z.object({
  items: z.array(consultationDocumentSchema),
});
export type ConsultationDocumentList = z.infer<typeof consultationDocumentListSchema>;

/** This feature's endpoints (see routes.ts). */
export const documentRoutes = defineRoutes({
  consultationDocuments: {
    method: 'GET',
    path: '/api/consultations/:id/documents',
    access: 'public',
    tag: 'consultations',
    summary: 'The documents of a consultation (drafts only for admins)',
    params: idParamsSchema,
    response: consultationDocumentListSchema,
    errors: [400, 404],
  },
  /** The file as the type stored with it; pages link to it rather than call it. */
  downloadDocument: {
    method: 'GET',
    path: '/api/documents/:id',
    access: 'public',
    tag: 'consultations',
    summary: 'Download a document (ETag is its SHA-256; If-None-Match answers 304)',
    params: idParamsSchema,
    response: { file: documentContentTypes, description: 'The file, as the type stored with it' },
    errors: [400, 404],
    otherResponses: { 304: z.null().describe('Not modified') },
  },
  /** Multipart form data: `title` (text) and `file` (PDF, DOCX or ODT; the API checks the bytes). */
  uploadDocument: {
    method: 'POST',
    path: '/api/admin/consultations/:id/documents',
    access: 'admin',
    tag: 'admin',
    summary: 'Attach a document (multipart/form-data: title, file; PDF, DOCX or ODT)',
    params: idParamsSchema,
    multipart: true,
    status: 201,
    response: consultationDocumentSchema,
    errors: [400, 401, 403, 404, 413, 415],
    idempotent: 'resumable',
  },
  deleteDocument: {
    method: 'DELETE',
    path: '/api/admin/documents/:id',
    access: 'admin',
    tag: 'admin',
    summary: 'Delete a document while its consultation is a draft or scheduled',
    params: idParamsSchema,
    response: okSchema,
    errors: [400, 401, 403, 404, 409],
  },
});
