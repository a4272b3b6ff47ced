import {
  consultationTopic,
  consultationMinimumDays,
  consultationStandardDays,
  type Consultation,
  type ConsultationList,
  type ConsultationListQuery,
  type ConsultationState,
  type ConsultationSummary,
  type CreateConsultationBody,
  type UpdateConsultationBody,
} from '@sabor/contracts';
import {
  consultations,
  consultationVersions,
  type ConsultationRow,
  type ConsultationVersionRow,
  type Database,
  type Executor,
} from '@sabor/db';
import { eq, sql } from 'drizzle-orm';
import { ApiError, notFound, type FieldProblem } from '../../errors';
import { markIdempotentWrite, type IdempotencyClaim } from '../../idempotency-mark';
import { publishLiveEvent } from '../../live/outbox';
import { renderDocumentMarkdown } from '../../markdown';
import { countParticipants } from '../../shared/consultation-stats';
import { recordAudit } from '../audit/record';
import { notifyFollowers } from '../follows/notify';
import * as repository from './repository';

export interface ConsultationDeps {
  db: Database;
}

const dayMs = 24 * 60 * 60 * 1000;

/**
 * The legal guardrail (Law on Normative Acts, art. 26): closing after opening, never under 14
 * days, and under 30 days only with a reason (which is published).
 */
export function checkPeriod(opensAt: Date, closesAt: Date, shortPeriodReason: string | null): void {
  const length = closesAt.getTime() - opensAt.getTime();
  if (length <= 0) {
    throw new ApiError(400, 'validation_failed', { closesAt: { code: 'closes_before_opens' } });
  }
  if (length < consultationMinimumDays * dayMs) {
    throw new ApiError(400, 'consultation_period_too_short', {
      closesAt: { code: 'period_too_short', params: { min: consultationMinimumDays } },
    });
  }
  if (length < consultationStandardDays * dayMs && !shortPeriodReason) {
    const problem: FieldProblem = {
      code: 'short_period_reason_required',
      params: { days: consultationStandardDays },
    };
    throw new ApiError(400, 'validation_failed', { shortPeriodReason: problem });
  }
}

function daysLeft(row: ConsultationRow, now: Date): number | null {
  if (row.state !== 'open') return null;
  return Math.max(0, Math.ceil((row.closesAt.getTime() - now.getTime()) / dayMs));
}

export function toConsultationSummary(row: ConsultationRow, now = new Date()): ConsultationSummary {
  return {
    id: row.id,
    titleBg: row.titleBg,
    titleEn: row.titleEn,
    summary: row.summary,
    category: row.category,
    state: row.state,
    opensAt: row.opensAt.toISOString(),
    closesAt: row.closesAt.toISOString(),
    daysLeft: daysLeft(row, now),
  };
}

export function toConsultation(
  row: ConsultationRow,
  versions: ConsultationVersionRow[],
  participantCount: number,
  now = new Date(),
): Consultation {
  return {
    ...toConsultationSummary(row, now),
    body: row.body,
    bodyHtml: renderDocumentMarkdown(row.body),
    participantCount,
    responsibleUnit: row.responsibleUnit,
    contactEmail: row.contactEmail,
    shortPeriodReason: row.shortPeriodReason,
    closedReason: row.closedReason,
    premoderated: row.premoderated,
    currentVersion: row.currentVersion,
    versions: versions.map((v) => ({ number: v.number, createdAt: v.createdAt.toISOString() })),
    publishedAt: row.publishedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

async function withVersions(db: Executor, row: ConsultationRow): Promise<Consultation> {
  const versions = await repository.listVersions(db, row.id);
  return toConsultation(row, versions, await countParticipants(db, row.id));
}

const publicStates: Record<NonNullable<ConsultationListQuery['state']>, ConsultationState[]> = {
  open: ['open'],
  upcoming: ['scheduled'],
  closed: ['closed', 'report_published'],
};

/** The public list: never drafts; upcoming soonest first, the rest newest first. */
export async function listPublicConsultations(
  deps: ConsultationDeps,
  query: ConsultationListQuery,
): Promise<ConsultationList> {
  return pageOfConsultations(deps, {
    states: query.state
      ? publicStates[query.state]
      : ['scheduled', 'open', 'closed', 'report_published'],
    category: query.category,
    q: query.q,
    order: query.state === 'upcoming' ? 'soonest' : 'newest',
    page: query.page,
    pageSize: query.pageSize,
  });
}

/** The staff list, drafts included. */
export async function listAllConsultations(
  deps: ConsultationDeps,
  query: { state?: ConsultationState | undefined; page: number; pageSize: number },
): Promise<ConsultationList> {
  return pageOfConsultations(deps, {
    states: query.state
      ? [query.state]
      : ['draft', 'scheduled', 'open', 'closed', 'report_published'],
    order: 'newest',
    page: query.page,
    pageSize: query.pageSize,
  });
}

async function pageOfConsultations(
  deps: ConsultationDeps,
  filter: Parameters<typeof repository.listConsultations>[1],
): Promise<ConsultationList> {
  const { rows, total } = await repository.listConsultations(deps.db, filter);
  const now = new Date();
  return {
    items: rows.map((row) => toConsultationSummary(row, now)),
    page: filter.page,
    pageSize: filter.pageSize,
    total,
  };
}

/** One consultation; drafts exist only for staff (everyone else gets 404). */
export async function getConsultation(
  deps: ConsultationDeps,
  id: string,
  viewer: { isAdmin: boolean },
): Promise<Consultation> {
  const row = await repository.findConsultation(deps.db, id);
  if (!row || (row.state === 'draft' && !viewer.isAdmin)) throw notFound();
  return withVersions(deps.db, row);
}

export async function createConsultation(
  deps: ConsultationDeps,
  actorId: string,
  input: CreateConsultationBody,
  claim: IdempotencyClaim | null = null,
): Promise<Consultation> {
  const opensAt = new Date(input.opensAt);
  const closesAt = new Date(input.closesAt);
  const shortPeriodReason = input.shortPeriodReason ?? null;
  checkPeriod(opensAt, closesAt, shortPeriodReason);
  return deps.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(consultations)
      .values({
        titleBg: input.titleBg,
        titleEn: input.titleEn ?? null,
        summary: input.summary,
        body: input.body,
        category: input.category,
        responsibleUnit: input.responsibleUnit,
        contactEmail: input.contactEmail,
        opensAt,
        closesAt,
        shortPeriodReason,
        premoderated: input.premoderated ?? false,
        createdBy: actorId,
      })
      .returning();
    if (!row) throw new Error('consultation insert returned no row');
    await markIdempotentWrite(tx, claim, row.id);
    await tx
      .insert(consultationVersions)
      .values({ consultationId: row.id, number: 1, body: row.body, createdBy: actorId });
    return withVersions(tx, row);
  });
}

async function lockOrNotFound(tx: Executor, id: string): Promise<ConsultationRow> {
  const row = await repository.lockConsultation(tx, id);
  if (!row) throw notFound();
  return row;
}

const invalidState = () => new ApiError(409, 'consultation_invalid_state');

/**
 * Edits a consultation. Texts may change while draft, scheduled or open; dates only before it
 * opens; the body only while draft (afterwards a revision is a new version, see publishVersion).
 */
export async function updateConsultation(
  deps: ConsultationDeps,
  id: string,
  input: UpdateConsultationBody,
): Promise<Consultation> {
  return deps.db.transaction(async (tx) => {
    const row = await lockOrNotFound(tx, id);
    if (!['draft', 'scheduled', 'open'].includes(row.state)) throw invalidState();
    const touchesPeriod =
      input.opensAt !== undefined ||
      input.closesAt !== undefined ||
      input.shortPeriodReason !== undefined;
    if (
      (input.opensAt !== undefined || input.closesAt !== undefined) &&
      row.state !== 'draft' &&
      row.state !== 'scheduled'
    ) {
      throw new ApiError(409, 'consultation_dates_locked');
    }
    if (input.body !== undefined && row.state !== 'draft') {
      throw new ApiError(409, 'consultation_body_published');
    }
    const opensAt = input.opensAt !== undefined ? new Date(input.opensAt) : row.opensAt;
    const closesAt = input.closesAt !== undefined ? new Date(input.closesAt) : row.closesAt;
    const shortPeriodReason =
      input.shortPeriodReason !== undefined ? input.shortPeriodReason : row.shortPeriodReason;
    if (touchesPeriod) checkPeriod(opensAt, closesAt, shortPeriodReason);
    const [updated] = await tx
      .update(consultations)
      .set({
        ...(input.titleBg !== undefined && { titleBg: input.titleBg }),
        ...(input.titleEn !== undefined && { titleEn: input.titleEn }),
        ...(input.summary !== undefined && { summary: input.summary }),
        ...(input.body !== undefined && { body: input.body }),
        ...(input.category !== undefined && { category: input.category }),
        ...(input.responsibleUnit !== undefined && { responsibleUnit: input.responsibleUnit }),
        ...(input.contactEmail !== undefined && { contactEmail: input.contactEmail }),
        ...(input.premoderated !== undefined && { premoderated: input.premoderated }),
        opensAt,
        closesAt,
        shortPeriodReason,
        updatedAt: sql`now()`,
      })
      .where(eq(consultations.id, id))
      .returning();
    if (!updated) throw notFound();
    if (input.body !== undefined) {
      // A draft has only its first version; it is rewritten until the text goes public.
      await tx
        .update(consultationVersions)
        .set({ body: input.body })
        .where(eq(consultationVersions.consultationId, id));
    }
    return withVersions(tx, updated);
  });
}

/**
 * Makes a draft public: scheduled when it opens later, open at once otherwise. Publishing late
 * opens it now, so the period is checked again from now.
 */
export async function publishConsultation(
  deps: ConsultationDeps,
  actorId: string,
  id: string,
): Promise<Consultation> {
  return deps.db.transaction(async (tx) => {
    const row = await lockOrNotFound(tx, id);
    if (row.state !== 'draft') throw invalidState();
    const now = new Date();
    const opensNow = row.opensAt.getTime() <= now.getTime();
    const opensAt = opensNow ? now : row.opensAt;
    checkPeriod(opensAt, row.closesAt, row.shortPeriodReason);
    const state = opensNow ? 'open' : 'scheduled';
    const [updated] = await tx
      .update(consultations)
      .set({ state, opensAt, publishedAt: now, updatedAt: sql`now()` })
      .where(eq(consultations.id, id))
      .returning();
    if (!updated) throw notFound();
    await recordAudit(tx, {
      actorId,
      action: 'consultation.published',
      targetType: 'consultation',
      targetId: id,
      details: { state },
    });
    const result = await withVersions(tx, updated);
    await publishLiveEvent(tx, consultationTopic(id), { type: 'state_changed', state });
    return result;
  });
}

/** Closes an open consultation before its closing date; the reason is public and audited. */
export async function closeConsultation(
  deps: ConsultationDeps,
  actorId: string,
  id: string,
  reason: string,
): Promise<Consultation> {
  return deps.db.transaction(async (tx) => {
    const row = await lockOrNotFound(tx, id);
    if (row.state !== 'open') throw invalidState();
    const [updated] = await tx
      .update(consultations)
      .set({ state: 'closed', closesAt: sql`now()`, closedReason: reason, updatedAt: sql`now()` })
      .where(eq(consultations.id, id))
      .returning();
    if (!updated) throw notFound();
    await recordAudit(tx, {
      actorId,
      action: 'consultation.closed_early',
      targetType: 'consultation',
      targetId: id,
      reason,
      details: { plannedClosesAt: row.closesAt.toISOString() },
    });
    await notifyFollowers(tx, { kind: 'consultation_closed', consultationId: id });
    const result = await withVersions(tx, updated);
    await publishLiveEvent(tx, consultationTopic(id), { type: 'state_changed', state: 'closed' });
    return result;
  });
}

/** Publishes a revised body as the next version (while scheduled or open). */
export async function publishVersion(
  deps: ConsultationDeps,
  actorId: string,
  id: string,
  body: string,
): Promise<Consultation> {
  return deps.db.transaction(async (tx) => {
    const row = await lockOrNotFound(tx, id);
    if (row.state !== 'scheduled' && row.state !== 'open') throw invalidState();
    const number = row.currentVersion + 1;
    await tx
      .insert(consultationVersions)
      .values({ consultationId: id, number, body, createdBy: actorId });
    const [updated] = await tx
      .update(consultations)
      .set({ body, currentVersion: number, updatedAt: sql`now()` })
      .where(eq(consultations.id, id))
      .returning();
    if (!updated) throw notFound();
    await recordAudit(tx, {
      actorId,
      action: 'consultation.version_published',
      targetType: 'consultation',
      targetId: id,
      details: { number },
    });
    const result = await withVersions(tx, updated);
    await publishLiveEvent(tx, consultationTopic(id), { type: 'version_published', number });
    return result;
  });
}
