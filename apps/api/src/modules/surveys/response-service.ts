import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { SurveyResponse, SurveySubmission } from '@sabor/contracts';
import {
  surveyAnswers,
  surveyResponses,
  type Executor,
  type SurveyAnswerRow,
  type SurveyAnswerValue,
  type SurveyResponseRow,
} from '@sabor/db';
import { and, eq, sql } from 'drizzle-orm';
import { ApiError, notFound, unauthorized } from '../../errors';
import { markIdempotentWrite, type IdempotencyClaim } from '../../idempotency-mark';
import type { Signer } from '../../signer';
import { checkSubmission } from './answers';
import {
  hasEnded,
  isOpen,
  loadStructure,
  publishResultsChanged,
  type SurveyStructure,
} from './structure';
import type { SurveyDeps } from './survey-service';
import { countAnswers, countResponse } from './tallies';

/** Who answers: an account, or (on 'anyone' surveys) a browser by its signed token. */
export interface Respondent {
  userId: string | null;
  /** The verified random part of the browser cookie; null without one. */
  browserToken: string | null;
}

/** A new browser token cookie value: 128 random bits and an HMAC of them. */
export function newBrowserCookie(signer: Signer): { token: string; cookie: string } {
  const token = randomBytes(16).toString('base64url');
  return { token, cookie: `${token}.${signer.mac('survey_browser', token).toString('base64url')}` };
}

/** The token of a cookie value the server signed, or null when it is missing or forged. */
export function verifyBrowserCookie(signer: Signer, value: string | undefined): string | null {
  if (!value) return null;
  const [token, mac] = value.split('.');
  if (!token || !mac || token.length > 64) return null;
  const expected = signer.mac('survey_browser', token);
  const given = Buffer.from(mac, 'base64url');
  return given.length === expected.length && timingSafeEqual(given, expected) ? token : null;
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

function toResponse(
  row: SurveyResponseRow,
  answers: Map<string, SurveyAnswerValue>,
): SurveyResponse {
  return {
    id: row.id,
    surveyId: row.surveyId,
    source: row.source,
    submittedAt: row.submittedAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    answers: Object.fromEntries(answers),
  };
}

/** Who the respondent is in the database, or a 401 when the survey needs an account. */
function identity(structure: SurveyStructure, respondent: Respondent) {
  if (respondent.userId) return { userId: respondent.userId, browserTokenHash: null };
  if (structure.survey.audience === 'residents' || !respondent.browserToken) throw unauthorized();
  return { userId: null, browserTokenHash: hashToken(respondent.browserToken) };
}

/**
 * Writes a response's answers in place of those it had (none for a new response) and moves the
 * results' counters by the difference, in the caller's transaction. The answers replaced are the
 * rows the delete removed, as a moderator's concurrent hide left them.
 */
async function replaceAnswers(
  tx: Executor,
  response: SurveyResponseRow,
  answers: Map<string, SurveyAnswerValue>,
  { isNew }: { isNew: boolean },
) {
  const before: SurveyAnswerRow[] = isNew
    ? []
    : await tx.delete(surveyAnswers).where(eq(surveyAnswers.responseId, response.id)).returning();
  const hidden = new Map(before.filter((a) => a.hidden).map((a) => [a.questionId, a]));
  // The response's time as stored (to the microsecond), so free-text lists keep its order.
  const submittedAt = sql`(select ${surveyResponses.submittedAt} from ${surveyResponses}
                            where ${surveyResponses.id} = ${response.id})`;
  const responseId = response.id;
  const rows = [...answers].map(([questionId, value]) => {
    const earlier = hidden.get(questionId);
    // An answer a moderator hid stays hidden (by whom, when, why) while its text is unchanged.
    if (earlier && JSON.stringify(earlier.value) === JSON.stringify(value)) {
      const { hiddenBy, hiddenAt, hiddenReason } = earlier;
      return {
        responseId,
        questionId,
        value,
        submittedAt,
        hidden: true,
        hiddenBy,
        hiddenAt,
        hiddenReason,
      };
    }
    return { responseId, questionId, value, submittedAt, hidden: false };
  });
  if (rows.length) await tx.insert(surveyAnswers).values(rows);
  await countAnswers(tx, [
    ...before.map((a) => ({ ...a, sign: -1 as const })),
    ...rows.map((a) => ({ ...a, sign: 1 as const })),
  ]);
}

/** The survey's structure, read under a share lock of the survey row (call it in the transaction). */
async function openStructure(db: Executor, surveyId: string): Promise<SurveyStructure> {
  const structure = await loadStructure(db, surveyId, { lock: 'share' });
  if (!structure || structure.survey.state === 'draft') throw notFound();
  if (!isOpen(structure.survey)) throw new ApiError(409, 'survey_not_open');
  return structure;
}

/**
 * Records a response. One per account and one per browser: the unique indexes decide between
 * concurrent submits, the first commits and every other gets 409 survey_already_answered (and may
 * edit with updateMyResponse). A filled honeypot gets a 201 that stores nothing, so a bot learns
 * nothing.
 */
export async function submitResponse(
  deps: SurveyDeps,
  surveyId: string,
  respondent: Respondent,
  submission: SurveySubmission,
  claim: IdempotencyClaim | null = null,
): Promise<SurveyResponse> {
  if (submission.website?.trim()) {
    const structure = await openStructure(deps.db, surveyId);
    identity(structure, respondent);
    const answers = checkSubmission(structure, submission.answers);
    const now = new Date();
    return toResponse(
      {
        id: randomUUID(),
        surveyId,
        userId: null,
        browserTokenHash: null,
        source: 'online',
        enteredBy: null,
        submittedAt: now,
        updatedAt: now,
      },
      answers,
    );
  }
  return deps.db.transaction(async (tx) => {
    const structure = await openStructure(tx, surveyId);
    const who = identity(structure, respondent);
    const answers = checkSubmission(structure, submission.answers);
    const [row] = await tx
      .insert(surveyResponses)
      .values({ surveyId, ...who, source: 'online' })
      .onConflictDoNothing()
      .returning();
    if (!row) throw new ApiError(409, 'survey_already_answered');
    await markIdempotentWrite(tx, claim, row.id);
    await countResponse(tx, surveyId, { anonymous: who.browserTokenHash !== null, paper: false });
    await replaceAnswers(tx, row, answers, { isNew: true });
    await publishResultsChanged(tx, structure.survey);
    return toResponse(row, answers);
  });
}

function mine(surveyId: string, respondent: Respondent) {
  if (respondent.userId)
    return and(
      eq(surveyResponses.surveyId, surveyId),
      eq(surveyResponses.userId, respondent.userId),
    );
  if (respondent.browserToken)
    return and(
      eq(surveyResponses.surveyId, surveyId),
      eq(surveyResponses.browserTokenHash, hashToken(respondent.browserToken)),
    );
  return undefined;
}

async function answersOf(db: Executor, responseId: string) {
  const rows = await db
    .select()
    .from(surveyAnswers)
    .where(eq(surveyAnswers.responseId, responseId));
  return rows;
}

/** The respondent's own response (404 when none). */
export async function myResponse(
  deps: SurveyDeps,
  surveyId: string,
  respondent: Respondent,
): Promise<SurveyResponse> {
  const where = mine(surveyId, respondent);
  if (!where) throw notFound();
  const [row] = await deps.db.select().from(surveyResponses).where(where);
  if (!row) throw notFound();
  const answers = await answersOf(deps.db, row.id);
  return toResponse(row, new Map(answers.map((a) => [a.questionId, a.value])));
}

/** Replaces the respondent's answers; possible while the survey is open, refused after it closes. */
export async function updateMyResponse(
  deps: SurveyDeps,
  surveyId: string,
  respondent: Respondent,
  submission: SurveySubmission,
): Promise<SurveyResponse> {
  const where = mine(surveyId, respondent);
  return deps.db.transaction(async (tx) => {
    const structure = await openStructure(tx, surveyId);
    if (!where) throw notFound();
    const answers = checkSubmission(structure, submission.answers);
    const [row] = await tx.select().from(surveyResponses).where(where).for('update');
    if (!row) throw notFound();
    await replaceAnswers(tx, row, answers, { isNew: false });
    const [updated] = await tx
      .update(surveyResponses)
      .set({ updatedAt: new Date() })
      .where(eq(surveyResponses.id, row.id))
      .returning();
    await publishResultsChanged(tx, structure.survey);
    return toResponse(updated ?? row, answers);
  });
}

/** Staff type in a paper form (source 'paper'), while the survey runs or after it closed. */
export async function enterPaperResponse(
  deps: SurveyDeps,
  actorId: string,
  surveyId: string,
  submission: SurveySubmission,
  claim: IdempotencyClaim | null = null,
): Promise<SurveyResponse> {
  return deps.db.transaction(async (tx) => {
    const structure = await loadStructure(tx, surveyId, { lock: 'share' });
    if (!structure) throw notFound();
    if (structure.survey.state === 'draft') throw new ApiError(409, 'survey_invalid_state');
    const answers = checkSubmission(structure, submission.answers);
    const [row] = await tx
      .insert(surveyResponses)
      .values({ surveyId, source: 'paper', enteredBy: actorId })
      .returning();
    if (!row) throw new Error('paper response insert returned no row');
    await markIdempotentWrite(tx, claim, row.id);
    await countResponse(tx, surveyId, { anonymous: false, paper: true });
    await replaceAnswers(tx, row, answers, { isNew: true });
    if (!hasEnded(structure.survey)) await publishResultsChanged(tx, structure.survey);
    return toResponse(row, answers);
  });
}

/** A response as submitting or entering it answered (for a retry whose first attempt committed). */
export async function storedResponse(
  deps: SurveyDeps,
  responseId: string,
): Promise<SurveyResponse> {
  const [row] = await deps.db
    .select()
    .from(surveyResponses)
    .where(eq(surveyResponses.id, responseId));
  if (!row) throw notFound();
  const answers = await answersOf(deps.db, row.id);
  return toResponse(row, new Map(answers.map((a) => [a.questionId, a.value])));
}
