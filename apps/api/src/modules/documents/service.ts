import {
  documentExtensions,
  type ConsultationDocument,
  type ConsultationDocumentList,
  type ConsultationState,
  type DocumentContentType,
} from '@sabor/contracts';
import type { Database } from '@sabor/db';
import { ApiError, fieldError, notFound } from '../../errors';
import { markIdempotentWrite, type IdempotencyClaim } from '../../idempotency-mark';
import { recordAudit } from '../audit/record';
import { findConsultation, lockConsultation } from '../consultations/repository';
import * as repository from './repository';
import { detectDocumentType, sanitizeFileName, type UploadedFile } from './upload';

export interface DocumentDeps {
  db: Database;
}

export interface Viewer {
  isAdmin: boolean;
}

/** The same rule as the consultation itself: drafts exist only for staff. */
const visible = (state: ConsultationState, viewer: Viewer) => state !== 'draft' || viewer.isAdmin;

/**
 * Once a consultation is public for comment (open) or over, its documents are part of the
 * record and stay; before that staff may still correct them.
 */
const deletableStates: readonly ConsultationState[] = ['draft', 'scheduled'];

export function toDocument(row: repository.DocumentMeta): ConsultationDocument {
  return {
    id: row.id,
    consultationId: row.consultationId,
    title: row.title,
    fileName: row.fileName,
    contentType: row.contentType as DocumentContentType,
    size: row.size,
    sha256: row.sha256,
    createdAt: row.createdAt.toISOString(),
  };
}

export async function listConsultationDocuments(
  deps: DocumentDeps,
  consultationId: string,
  viewer: Viewer,
): Promise<ConsultationDocumentList> {
  const consultation = await findConsultation(deps.db, consultationId);
  if (!consultation || !visible(consultation.state, viewer)) throw notFound();
  const rows = await repository.listDocuments(deps.db, consultationId);
  return { items: rows.map(toDocument) };
}

/**
 * Stores an uploaded document with its consultation: the kind is read from the bytes (PDF, DOCX,
 * ODT only), the name is sanitized, and the upload is audited.
 */
export async function addDocument(
  deps: DocumentDeps,
  actorId: string,
  consultationId: string,
  input: { title: string; file: UploadedFile },
  claim: IdempotencyClaim | null = null,
): Promise<ConsultationDocument> {
  const { file } = input;
  if (!(await findConsultation(deps.db, consultationId))) throw notFound();
  if (file.size === 0) throw fieldError('file', 'file_empty');
  const contentType = await detectDocumentType(file.data);
  const fileName = sanitizeFileName(file.fileName, documentExtensions[contentType]);
  return deps.db.transaction(async (tx) => {
    const row = await repository.insertDocument(tx, {
      consultationId,
      title: input.title,
      fileName,
      contentType,
      size: file.size,
      sha256: file.sha256,
      data: file.data,
      uploadedBy: actorId,
    });
    await markIdempotentWrite(tx, claim, row.id);
    await recordAudit(tx, {
      actorId,
      action: 'consultation.document_added',
      targetType: 'consultation',
      targetId: consultationId,
      details: auditDetails(row),
    });
    return toDocument(row);
  });
}

/** A document as uploading it answered (for a retry whose first attempt committed). */
export async function uploadedDocument(
  deps: DocumentDeps,
  id: string,
): Promise<ConsultationDocument> {
  const row = await repository.findDocumentMeta(deps.db, id);
  if (!row) throw notFound();
  return toDocument(row);
}

/** Deletes a document while its consultation is still a draft or scheduled (409 afterwards). */
export async function deleteDocument(
  deps: DocumentDeps,
  actorId: string,
  id: string,
): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const document = await repository.findDocumentMeta(tx, id);
    if (!document) throw notFound();
    // The lock orders this with publishing, so a document cannot go while the consultation opens.
    const consultation = await lockConsultation(tx, document.consultationId);
    if (!consultation) throw notFound();
    if (!deletableStates.includes(consultation.state)) {
      throw new ApiError(409, 'document_locked');
    }
    await repository.deleteDocument(tx, id);
    await recordAudit(tx, {
      actorId,
      action: 'consultation.document_deleted',
      targetType: 'consultation',
      targetId: document.consultationId,
      details: auditDetails(document),
    });
  });
}

function auditDetails(row: repository.DocumentMeta) {
  return {
    documentId: row.id,
    title: row.title,
    fileName: row.fileName,
    contentType: row.contentType,
    size: row.size,
    sha256: row.sha256,
  };
}

/** A document's description for download, or 404 when the viewer may not see it. */
export async function findDownloadableDocument(deps: DocumentDeps, id: string, viewer: Viewer) {
  const document = await repository.findDocumentMeta(deps.db, id);
  if (!document || !visible(document.consultationState, viewer)) throw notFound();
  return document;
}

export async function documentData(deps: DocumentDeps, id: string): Promise<Uint8Array> {
  const data = await repository.findDocumentData(deps.db, id);
  // Deleted between reading its description and its bytes.
  if (!data) throw notFound();
  return data;
}
