import { consultationDocuments, consultations, type Executor } from '@sabor/db';
import { asc, eq } from 'drizzle-orm';

/** Every column but the file's bytes. */
export const metaColumns = {
  id: consultationDocuments.id,
  consultationId: consultationDocuments.consultationId,
  title: consultationDocuments.title,
  fileName: consultationDocuments.fileName,
  contentType: consultationDocuments.contentType,
  size: consultationDocuments.size,
  sha256: consultationDocuments.sha256,
  createdAt: consultationDocuments.createdAt,
};

export type DocumentMeta = {
  id: string;
  consultationId: string;
  title: string;
  fileName: string;
  contentType: string;
  size: number;
  sha256: string;
  createdAt: Date;
};

export async function listDocuments(db: Executor, consultationId: string): Promise<DocumentMeta[]> {
  return db
    .select(metaColumns)
    .from(consultationDocuments)
    .where(eq(consultationDocuments.consultationId, consultationId))
    .orderBy(asc(consultationDocuments.createdAt), asc(consultationDocuments.id));
}

/** A document's description with the state of its consultation (which decides who sees it). */
export async function findDocumentMeta(db: Executor, id: string) {
  const [row] = await db
    .select({ ...metaColumns, consultationState: consultations.state })
    .from(consultationDocuments)
    .innerJoin(consultations, eq(consultations.id, consultationDocuments.consultationId))
    .where(eq(consultationDocuments.id, id));
  return row;
}

export async function findDocumentData(db: Executor, id: string): Promise<Uint8Array | undefined> {
  const [row] = await db
    .select({ data: consultationDocuments.data })
    .from(consultationDocuments)
    .where(eq(consultationDocuments.id, id));
  return row?.data;
}

export async function insertDocument(
  db: Executor,
  values: typeof consultationDocuments.$inferInsert,
): Promise<DocumentMeta> {
  const [row] = await db.insert(consultationDocuments).values(values).returning(metaColumns);
  if (!row) throw new Error('document insert returned no row');
  return row;
}

export async function deleteDocument(db: Executor, id: string): Promise<void> {
  await db.delete(consultationDocuments).where(eq(consultationDocuments.id, id));
}
