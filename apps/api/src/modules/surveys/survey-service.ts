import { randomUUID } from 'node:crypto';
import type { Survey, SurveyInputParsed, SurveyList } from '@sabor/contracts';
import { surveys, type Database, type Executor } from '@sabor/db';
import { desc, eq, inArray } from 'drizzle-orm';
import { ApiError, notFound } from '../../errors';
import { markIdempotentWrite, type IdempotencyClaim } from '../../idempotency-mark';
import {
  checkIdsAreOurs,
  checkLockedStructure,
  checkStructure,
  loadStructure,
  questionsOf,
  responseCount,
  toSurvey,
  writeStructure,
  type SurveyStructure,
} from './structure';
import { responseTotals } from './tallies';

export interface SurveyDeps {
  db: Database;
}

function surveyValues(input: SurveyInputParsed) {
  return {
    titleBg: input.titleBg,
    titleEn: input.titleEn ?? null,
    introBg: input.introBg,
    introEn: input.introEn ?? null,
    thankYouBg: input.thankYouBg,
    thankYouEn: input.thankYouEn ?? null,
    opensAt: input.opensAt ? new Date(input.opensAt) : null,
    closesAt: input.closesAt ? new Date(input.closesAt) : null,
    audience: input.audience,
    resultsVisibility: input.resultsVisibility,
  };
}

export async function surveyView(db: Executor, id: string): Promise<Survey> {
  const structure = await loadStructure(db, id);
  if (!structure) throw notFound();
  return toSurvey(structure, await responseCount(db, id));
}

/** Creates a draft survey with its whole structure. */
export async function createSurvey(
  deps: SurveyDeps,
  actorId: string,
  input: SurveyInputParsed,
  claim: IdempotencyClaim | null = null,
): Promise<Survey> {
  checkStructure(input);
  const id = randomUUID();
  await deps.db.transaction(async (tx) => {
    await checkIdsAreOurs(tx, id, input);
    await tx.insert(surveys).values({ id, ...surveyValues(input), createdBy: actorId });
    await markIdempotentWrite(tx, claim, id);
    await writeStructure(tx, id, input);
  });
  return surveyView(deps.db, id);
}

/**
 * Replaces a survey's settings and structure. Once it has responses, only texts, order and dates
 * may change (409 survey_structure_locked otherwise); a closed survey is not edited.
 */
export async function updateSurvey(
  deps: SurveyDeps,
  id: string,
  input: SurveyInputParsed,
): Promise<Survey> {
  checkStructure(input);
  await deps.db.transaction(async (tx) => {
    const existing = await loadStructure(tx, id, { lock: 'update' });
    if (!existing) throw notFound();
    if (existing.survey.state === 'closed') throw new ApiError(409, 'survey_invalid_state');
    if ((await responseCount(tx, id)) > 0) checkLockedStructure(existing, input);
    await checkIdsAreOurs(tx, id, input);
    await tx
      .update(surveys)
      .set({ ...surveyValues(input), updatedAt: new Date() })
      .where(eq(surveys.id, id));
    await writeStructure(tx, id, input);
  });
  return surveyView(deps.db, id);
}

export async function publishSurvey(deps: SurveyDeps, id: string): Promise<Survey> {
  await deps.db.transaction(async (tx) => {
    const existing = await loadStructure(tx, id, { lock: 'update' });
    if (!existing) throw notFound();
    if (existing.survey.state !== 'draft' || questionsOf(existing).length === 0)
      throw new ApiError(409, 'survey_invalid_state');
    const now = new Date();
    await tx
      .update(surveys)
      .set({ state: 'published', publishedAt: now, updatedAt: now })
      .where(eq(surveys.id, id));
  });
  return surveyView(deps.db, id);
}

export async function closeSurvey(deps: SurveyDeps, id: string): Promise<Survey> {
  await deps.db.transaction(async (tx) => {
    const existing = await loadStructure(tx, id, { lock: 'update' });
    if (!existing) throw notFound();
    if (existing.survey.state !== 'published') throw new ApiError(409, 'survey_invalid_state');
    const now = new Date();
    await tx
      .update(surveys)
      .set({ state: 'closed', closedAt: now, updatedAt: now })
      .where(eq(surveys.id, id));
  });
  return surveyView(deps.db, id);
}

/** The structure as builder input with fresh ids (conditions follow the copies). */
function copyInput(structure: SurveyStructure): SurveyInputParsed {
  const ids = new Map<string, string>();
  const fresh = (id: string) => {
    const copy = randomUUID();
    ids.set(id, copy);
    return copy;
  };
  const { survey } = structure;
  const sections = structure.sections.map((section) => ({
    id: fresh(section.id),
    titleBg: section.titleBg,
    titleEn: section.titleEn,
    questions: section.questions.map((q) => ({
      ...q,
      id: fresh(q.id),
      options: q.options.map((o) => ({ ...o, id: fresh(o.id) })),
    })),
  }));
  for (const q of sections.flatMap((s) => s.questions)) {
    if (q.showIf) {
      q.showIf = {
        questionId: ids.get(q.showIf.questionId) ?? q.showIf.questionId,
        optionIds: q.showIf.optionIds.map((id) => ids.get(id) ?? id),
      };
    }
  }
  return {
    titleBg: `${survey.titleBg} (копие)`,
    titleEn: survey.titleEn && `${survey.titleEn} (copy)`,
    introBg: survey.introBg,
    introEn: survey.introEn,
    thankYouBg: survey.thankYouBg,
    thankYouEn: survey.thankYouEn,
    opensAt: null,
    closesAt: null,
    audience: survey.audience,
    resultsVisibility: survey.resultsVisibility,
    sections,
  };
}

/** A new draft with the same settings and structure, no dates and no responses. */
export async function duplicateSurvey(
  deps: SurveyDeps,
  actorId: string,
  id: string,
  claim: IdempotencyClaim | null = null,
): Promise<Survey> {
  const structure = await loadStructure(deps.db, id);
  if (!structure) throw notFound();
  return createSurvey(deps, actorId, copyInput(structure), claim);
}

async function listOf(db: Executor, rows: (typeof surveys.$inferSelect)[]): Promise<SurveyList> {
  const totals = await responseTotals(
    db,
    rows.map((r) => r.id),
  );
  return {
    items: rows.map((survey) => {
      const { sections: _sections, ...rest } = toSurvey(
        { survey, sections: [] },
        totals.get(survey.id)?.responseCount ?? 0,
      );
      return rest;
    }),
  };
}

export async function listAllSurveys(deps: SurveyDeps): Promise<SurveyList> {
  const rows = await deps.db.select().from(surveys).orderBy(desc(surveys.createdAt)).limit(500);
  return listOf(deps.db, rows);
}

/** Published and closed surveys, newest first. */
export async function listPublicSurveys(deps: SurveyDeps): Promise<SurveyList> {
  const rows = await deps.db
    .select()
    .from(surveys)
    .where(inArray(surveys.state, ['published', 'closed']))
    .orderBy(desc(surveys.createdAt))
    .limit(500);
  return listOf(deps.db, rows);
}

/** A survey as the public sees it: drafts do not exist for them. */
export async function publicSurvey(deps: SurveyDeps, id: string): Promise<Survey> {
  const survey = await surveyView(deps.db, id);
  if (survey.state === 'draft') throw notFound();
  return survey;
}
