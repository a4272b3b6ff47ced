import { surveyTopic, type Survey, type SurveyInputParsed } from '@sabor/contracts';
import { renderDocumentMarkdown } from '../../markdown';
import {
  surveyOptions,
  surveyQuestions,
  surveyStats,
  surveys,
  surveySections,
  type Executor,
  type SurveyOptionRow,
  type SurveyQuestionRow,
  type SurveyRow,
  type SurveySectionRow,
} from '@sabor/db';
import { and, asc, eq, inArray, ne, notInArray } from 'drizzle-orm';
import { ApiError, type FieldProblem } from '../../errors';
import { publishLiveEvent } from '../../live/outbox';

/** A survey with its structure in order: what answering, results and exports work from. */
export interface SurveyStructure {
  survey: SurveyRow;
  sections: (SurveySectionRow & {
    questions: (SurveyQuestionRow & { options: SurveyOptionRow[] })[];
  })[];
}
export type StructureQuestion = SurveyStructure['sections'][number]['questions'][number];

export const choiceKinds = new Set(['single_choice', 'multiple_choice']);
const optionKinds = new Set(['single_choice', 'multiple_choice', 'ranking']);

export function questionsOf(structure: SurveyStructure): StructureQuestion[] {
  return structure.sections.flatMap((section) => section.questions);
}

/**
 * Loads a survey and its structure, optionally locking the survey row: `update` for a change of
 * the survey, `share` for a response, so a response and a structure change never interleave.
 */
export async function loadStructure(
  db: Executor,
  id: string,
  options: { lock?: 'update' | 'share' } = {},
): Promise<SurveyStructure | undefined> {
  const query = db.select().from(surveys).where(eq(surveys.id, id));
  const [survey] = options.lock ? await query.for(options.lock) : await query;
  if (!survey) return undefined;
  const sections = await db
    .select()
    .from(surveySections)
    .where(eq(surveySections.surveyId, id))
    .orderBy(asc(surveySections.position));
  const questions = await db
    .select()
    .from(surveyQuestions)
    .where(eq(surveyQuestions.surveyId, id))
    .orderBy(asc(surveyQuestions.position));
  const options_ = questions.length
    ? await db
        .select()
        .from(surveyOptions)
        .where(
          inArray(
            surveyOptions.questionId,
            questions.map((q) => q.id),
          ),
        )
        .orderBy(asc(surveyOptions.position))
    : [];
  return {
    survey,
    sections: sections.map((section) => ({
      ...section,
      questions: questions
        .filter((q) => q.sectionId === section.id)
        .map((q) => ({ ...q, options: options_.filter((o) => o.questionId === q.id) })),
    })),
  };
}

/** How many responses the survey has (its kept total, see tallies.ts). */
export async function responseCount(db: Executor, surveyId: string): Promise<number> {
  const [row] = await db
    .select({ n: surveyStats.responseCount })
    .from(surveyStats)
    .where(eq(surveyStats.surveyId, surveyId));
  return row?.n ?? 0;
}

/**
 * Tells the survey's live results page that its results changed (in the caller's transaction), for
 * surveys whose results are shown live; others publish nothing.
 */
export async function publishResultsChanged(
  tx: Executor,
  survey: Pick<SurveyRow, 'id' | 'resultsVisibility'>,
): Promise<void> {
  if (survey.resultsVisibility !== 'live') return;
  await publishLiveEvent(tx, surveyTopic(survey.id), {
    type: 'results_changed',
    responseCount: await responseCount(tx, survey.id),
  });
}

/** Whether answers are accepted at `now`: published and within its dates. */
export function isOpen(survey: SurveyRow, now = new Date()): boolean {
  return (
    survey.state === 'published' &&
    (!survey.opensAt || survey.opensAt <= now) &&
    (!survey.closesAt || survey.closesAt > now)
  );
}

/** Whether the survey no longer takes answers for good (closed, or past its closing date). */
export function hasEnded(survey: SurveyRow, now = new Date()): boolean {
  return survey.state === 'closed' || (!!survey.closesAt && survey.closesAt <= now);
}

export function resultsArePublic(survey: SurveyRow, now = new Date()): boolean {
  if (survey.state === 'draft') return false;
  if (survey.resultsVisibility === 'live') return true;
  if (survey.resultsVisibility === 'after_close') return hasEnded(survey, now);
  return false;
}

export function toSurvey(structure: SurveyStructure, responses: number): Survey {
  const { survey } = structure;
  return {
    id: survey.id,
    titleBg: survey.titleBg,
    titleEn: survey.titleEn,
    introBg: survey.introBg,
    introEn: survey.introEn,
    thankYouBg: survey.thankYouBg,
    thankYouEn: survey.thankYouEn,
    introBgHtml: renderDocumentMarkdown(survey.introBg),
    introEnHtml: survey.introEn ? renderDocumentMarkdown(survey.introEn) : null,
    thankYouBgHtml: renderDocumentMarkdown(survey.thankYouBg),
    thankYouEnHtml: survey.thankYouEn ? renderDocumentMarkdown(survey.thankYouEn) : null,
    opensAt: survey.opensAt?.toISOString() ?? null,
    closesAt: survey.closesAt?.toISOString() ?? null,
    audience: survey.audience,
    resultsVisibility: survey.resultsVisibility,
    state: survey.state,
    open: isOpen(survey),
    resultsPublic: resultsArePublic(survey),
    responseCount: responses,
    structureLocked: responses > 0,
    publishedAt: survey.publishedAt?.toISOString() ?? null,
    closedAt: survey.closedAt?.toISOString() ?? null,
    sections: structure.sections.map((section) => ({
      id: section.id,
      titleBg: section.titleBg,
      titleEn: section.titleEn,
      questions: section.questions.map((q) => ({
        id: q.id,
        kind: q.kind,
        required: q.required,
        textBg: q.textBg,
        textEn: q.textEn,
        helpBg: q.helpBg,
        helpEn: q.helpEn,
        allowOther: q.allowOther,
        min: q.min,
        max: q.max,
        minLabelBg: q.minLabelBg,
        minLabelEn: q.minLabelEn,
        maxLabelBg: q.maxLabelBg,
        maxLabelEn: q.maxLabelEn,
        showIf: q.showIf,
        options: q.options.map((o) => ({
          id: o.id,
          role: o.role,
          labelBg: o.labelBg,
          labelEn: o.labelEn,
        })),
      })),
    })),
  };
}

type InputQuestion = SurveyInputParsed['sections'][number]['questions'][number];

/**
 * Checks that a builder's structure makes sense: ids used once, options only where the kind has
 * them (matrix: rows and columns), ranges in order, conditions on an earlier choice question.
 * Problems are keyed by the path of the field (`sections.0.questions.2.options`).
 */
export function checkStructure(input: SurveyInputParsed): void {
  const fields: Record<string, FieldProblem> = {};
  const seen = new Set<string>();
  const earlier = new Map<string, InputQuestion>();
  const once = (id: string, path: string) => {
    if (seen.has(id)) fields[`${path}.id`] ??= { code: 'invalid' };
    seen.add(id);
  };
  if (input.opensAt && input.closesAt && input.closesAt <= input.opensAt) {
    fields.closesAt = { code: 'closes_before_opens' };
  }
  input.sections.forEach((section, s) => {
    once(section.id, `sections.${s}`);
    section.questions.forEach((q, i) => {
      const path = `sections.${s}.questions.${i}`;
      once(q.id, path);
      q.options.forEach((o, k) => once(o.id, `${path}.options.${k}`));
      const roles = q.options.map((o) => o.role);
      const plain = roles.filter((r) => r === 'option').length;
      if (optionKinds.has(q.kind)) {
        if (plain !== roles.length || plain < (q.kind === 'ranking' ? 2 : 1))
          fields[`${path}.options`] = { code: 'invalid' };
      } else if (q.kind === 'matrix') {
        if (!roles.includes('row') || !roles.includes('column') || roles.includes('option'))
          fields[`${path}.options`] = { code: 'invalid' };
      } else if (roles.length > 0) {
        fields[`${path}.options`] = { code: 'invalid' };
      }
      if (q.allowOther && !choiceKinds.has(q.kind))
        fields[`${path}.allowOther`] = { code: 'invalid' };
      const min = q.min ?? null;
      const max = q.max ?? null;
      if (q.kind === 'multiple_choice') {
        const most = plain + (q.allowOther ? 1 : 0);
        if (min !== null && (!Number.isInteger(min) || min < 0 || min > most))
          fields[`${path}.min`] = { code: 'invalid' };
        if (max !== null && (!Number.isInteger(max) || max < 1 || max > most))
          fields[`${path}.max`] = { code: 'invalid' };
      } else if (q.kind === 'scale') {
        if (min === null || max === null || !Number.isInteger(min) || !Number.isInteger(max))
          fields[`${path}.min`] = { code: 'required' };
        else if (max <= min || max - min > 20) fields[`${path}.max`] = { code: 'invalid' };
      } else if (q.kind !== 'number' && (min !== null || max !== null)) {
        fields[`${path}.min`] = { code: 'invalid' };
      }
      if (min !== null && max !== null && max < min) fields[`${path}.max`] = { code: 'too_small' };
      if (q.showIf) {
        const target = earlier.get(q.showIf.questionId);
        const known = new Set(target?.options.map((o) => o.id));
        if (
          !target ||
          !choiceKinds.has(target.kind) ||
          !q.showIf.optionIds.every((id) => known.has(id))
        )
          fields[`${path}.showIf`] = { code: 'invalid' };
      }
      earlier.set(q.id, q);
    });
  });
  if (Object.keys(fields).length > 0) throw new ApiError(400, 'validation_failed', fields);
}

/** What may not change once a survey has responses: the questions' and options' meaning. */
function meaningOf(structure: {
  audience: string;
  questions: {
    id: string;
    kind: string;
    required: boolean;
    allowOther: boolean;
    min?: number | null;
    max?: number | null;
    showIf?: { questionId: string; optionIds: string[] } | null;
    options: { id: string; role: string }[];
  }[];
}): string {
  return JSON.stringify({
    audience: structure.audience,
    questions: [...structure.questions]
      .sort((a, b) => a.id.localeCompare(b.id))
      .map((q) => [
        q.id,
        q.kind,
        q.required,
        q.allowOther,
        q.min ?? null,
        q.max ?? null,
        q.showIf ? [q.showIf.questionId, [...q.showIf.optionIds].sort()] : null,
        [...q.options].sort((a, b) => a.id.localeCompare(b.id)).map((o) => [o.id, o.role]),
      ]),
  });
}

/** Refuses (409 survey_structure_locked) a new structure that changes the meaning of the old one. */
export function checkLockedStructure(existing: SurveyStructure, input: SurveyInputParsed): void {
  const before = meaningOf({
    audience: existing.survey.audience,
    questions: questionsOf(existing),
  });
  const after = meaningOf({
    audience: input.audience,
    questions: input.sections.flatMap((s) => s.questions),
  });
  const sectionsBefore = existing.sections.map((s) => s.id).sort();
  const sectionsAfter = input.sections.map((s) => s.id).sort();
  if (before !== after || JSON.stringify(sectionsBefore) !== JSON.stringify(sectionsAfter)) {
    throw new ApiError(409, 'survey_structure_locked');
  }
}

/** Refuses ids that belong to another survey (a client may choose ids, not take them). */
export async function checkIdsAreOurs(
  db: Executor,
  surveyId: string,
  input: SurveyInputParsed,
): Promise<void> {
  const sectionIds = input.sections.map((s) => s.id);
  const questions = input.sections.flatMap((s) => s.questions);
  const questionIds = questions.map((q) => q.id);
  const optionIds = questions.flatMap((q) => q.options.map((o) => o.id));
  const foreignSections = await db
    .select({ id: surveySections.id })
    .from(surveySections)
    .where(and(inArray(surveySections.id, sectionIds), ne(surveySections.surveyId, surveyId)))
    .limit(1);
  const foreignQuestions = questionIds.length
    ? await db
        .select({ id: surveyQuestions.id })
        .from(surveyQuestions)
        .where(
          and(inArray(surveyQuestions.id, questionIds), ne(surveyQuestions.surveyId, surveyId)),
        )
        .limit(1)
    : [];
  const foreignOptions = optionIds.length
    ? await db
        .select({ id: surveyOptions.id })
        .from(surveyOptions)
        .innerJoin(surveyQuestions, eq(surveyQuestions.id, surveyOptions.questionId))
        .where(and(inArray(surveyOptions.id, optionIds), ne(surveyQuestions.surveyId, surveyId)))
        .limit(1)
    : [];
  if (foreignSections.length || foreignQuestions.length || foreignOptions.length) {
    throw new ApiError(400, 'validation_failed', { sections: { code: 'invalid' } });
  }
}

/**
 * Writes the survey's structure as given: updates what exists, inserts what is new, deletes what
 * is gone (the caller has checked ids and the lock). Runs inside the caller's transaction.
 */
export async function writeStructure(
  tx: Executor,
  surveyId: string,
  input: SurveyInputParsed,
): Promise<void> {
  const questions = input.sections.flatMap((section) =>
    section.questions.map((q) => ({ ...q, sectionId: section.id })),
  );
  const questionIds = questions.map((q) => q.id);
  const optionIds = questions.flatMap((q) => q.options.map((o) => o.id));
  const existingQuestionIds = (
    await tx
      .select({ id: surveyQuestions.id })
      .from(surveyQuestions)
      .where(eq(surveyQuestions.surveyId, surveyId))
  ).map((row) => row.id);
  if (existingQuestionIds.length) {
    await tx
      .delete(surveyOptions)
      .where(
        and(
          inArray(surveyOptions.questionId, existingQuestionIds),
          optionIds.length ? notInArray(surveyOptions.id, optionIds) : undefined,
        ),
      );
  }
  await tx
    .delete(surveyQuestions)
    .where(
      and(
        eq(surveyQuestions.surveyId, surveyId),
        questionIds.length ? notInArray(surveyQuestions.id, questionIds) : undefined,
      ),
    );
  await tx.delete(surveySections).where(
    and(
      eq(surveySections.surveyId, surveyId),
      notInArray(
        surveySections.id,
        input.sections.map((s) => s.id),
      ),
    ),
  );
  for (const [position, section] of input.sections.entries()) {
    const values = {
      surveyId,
      position,
      titleBg: section.titleBg,
      titleEn: section.titleEn ?? null,
    };
    await tx
      .insert(surveySections)
      .values({ id: section.id, ...values })
      .onConflictDoUpdate({ target: surveySections.id, set: values });
  }
  for (const [position, q] of questions.entries()) {
    const values = {
      surveyId,
      sectionId: q.sectionId,
      position,
      kind: q.kind,
      required: q.required,
      textBg: q.textBg,
      textEn: q.textEn ?? null,
      helpBg: q.helpBg ?? null,
      helpEn: q.helpEn ?? null,
      allowOther: q.allowOther,
      min: q.min ?? null,
      max: q.max ?? null,
      minLabelBg: q.minLabelBg ?? null,
      minLabelEn: q.minLabelEn ?? null,
      maxLabelBg: q.maxLabelBg ?? null,
      maxLabelEn: q.maxLabelEn ?? null,
      showIf: q.showIf ?? null,
    };
    await tx
      .insert(surveyQuestions)
      .values({ id: q.id, ...values })
      .onConflictDoUpdate({ target: surveyQuestions.id, set: values });
    for (const [optionPosition, o] of q.options.entries()) {
      const optionValues = {
        questionId: q.id,
        role: o.role,
        position: optionPosition,
        labelBg: o.labelBg,
        labelEn: o.labelEn ?? null,
      };
      await tx
        .insert(surveyOptions)
        .values({ id: o.id, ...optionValues })
        .onConflictDoUpdate({ target: surveyOptions.id, set: optionValues });
    }
  }
}
