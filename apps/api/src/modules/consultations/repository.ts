import type { ConsultationCategory } from '@sabor/contracts';
import {
  consultations,
  containsPattern,
  consultationVersions,
  type ConsultationRow,
  type ConsultationVersionRow,
  type Executor,
} from '@sabor/db';
import { and, asc, count, desc, eq, ilike, inArray, or, type SQL } from 'drizzle-orm';

type State = ConsultationRow['state'];

export async function findConsultation(
  db: Executor,
  id: string,
): Promise<ConsultationRow | undefined> {
  const [row] = await db.select().from(consultations).where(eq(consultations.id, id));
  return row;
}

/** The row locked for the rest of the transaction, so concurrent edits and transitions queue. */
export async function lockConsultation(
  tx: Executor,
  id: string,
): Promise<ConsultationRow | undefined> {
  const [row] = await tx.select().from(consultations).where(eq(consultations.id, id)).for('update');
  return row;
}

export async function listVersions(
  db: Executor,
  consultationId: string,
): Promise<ConsultationVersionRow[]> {
  return db
    .select()
    .from(consultationVersions)
    .where(eq(consultationVersions.consultationId, consultationId))
    .orderBy(asc(consultationVersions.number));
}

export interface ListFilter {
  states: readonly State[];
  category?: ConsultationCategory | undefined;
  q?: string | undefined;
  /** 'soonest' orders by opening date ascending (upcoming); 'newest' by opening date descending. */
  order: 'newest' | 'soonest';
  page: number;
  pageSize: number;
}

export async function listConsultations(db: Executor, filter: ListFilter) {
  const conditions: SQL[] = [inArray(consultations.state, [...filter.states])];
  if (filter.category) conditions.push(eq(consultations.category, filter.category));
  if (filter.q) {
    // ILIKE lower-cases with the database's rules, Cyrillic included; wildcards are escaped.
    const pattern = containsPattern(filter.q);
    conditions.push(
      or(
        ilike(consultations.titleBg, pattern),
        ilike(consultations.titleEn, pattern),
        ilike(consultations.summary, pattern),
        ilike(consultations.body, pattern),
      )!,
    );
  }
  const where = and(...conditions);
  const order =
    filter.order === 'soonest'
      ? [asc(consultations.opensAt), asc(consultations.id)]
      : [desc(consultations.opensAt), desc(consultations.createdAt), asc(consultations.id)];
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(consultations)
      .where(where)
      .orderBy(...order)
      .limit(filter.pageSize)
      .offset((filter.page - 1) * filter.pageSize),
    db.select({ value: count() }).from(consultations).where(where),
  ]);
  return { rows, total: total?.value ?? 0 };
}
