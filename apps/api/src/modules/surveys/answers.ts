import { limits, surveyConditionMet, type SurveyAnswer } from '@sabor/contracts';
import type { SurveyAnswerValue } from '@sabor/db';
import { ApiError, type FieldProblem } from '../../errors';
import { questionsOf, type StructureQuestion, type SurveyStructure } from './structure';

const isoDate = /^\d{4}-\d{2}-\d{2}$/;

function validDate(value: string): boolean {
  if (!isoDate.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** The fields an answer of this kind may use; anything else in it is refused. */
const fieldsOf: Record<StructureQuestion['kind'], (keyof SurveyAnswer)[]> = {
  single_choice: ['optionIds', 'other'],
  multiple_choice: ['optionIds', 'other'],
  short_text: ['text'],
  long_text: ['text'],
  number: ['number'],
  date: ['date'],
  scale: ['number'],
  ranking: ['ranking'],
  matrix: ['matrix'],
};

/** An answer with nothing in it counts as no answer (a form sends empty fields). */
function normalize(answer: SurveyAnswer): SurveyAnswer | undefined {
  const out: SurveyAnswer = {};
  if (answer.optionIds?.length) out.optionIds = answer.optionIds;
  if (answer.other?.trim()) out.other = answer.other.trim();
  if (answer.text?.trim()) out.text = answer.text.trim();
  if (answer.number !== undefined) out.number = answer.number;
  if (answer.date?.trim()) out.date = answer.date.trim();
  if (answer.ranking?.length) out.ranking = answer.ranking;
  if (answer.matrix && Object.keys(answer.matrix).length) out.matrix = answer.matrix;
  return Object.keys(out).length ? out : undefined;
}

function checkAnswer(q: StructureQuestion, answer: SurveyAnswer): FieldProblem | undefined {
  const allowed = fieldsOf[q.kind];
  if (Object.keys(answer).some((key) => !allowed.includes(key as keyof SurveyAnswer)))
    return { code: 'invalid' };
  const optionIds = new Set(q.options.filter((o) => o.role === 'option').map((o) => o.id));
  switch (q.kind) {
    case 'single_choice':
    case 'multiple_choice': {
      const chosen = answer.optionIds ?? [];
      if (new Set(chosen).size !== chosen.length) return { code: 'invalid' };
      if (chosen.some((id) => !optionIds.has(id))) return { code: 'unknown_option' };
      if (answer.other !== undefined) {
        if (!q.allowOther) return { code: 'other_not_allowed' };
        if (answer.other.length > limits.surveyShortText)
          return { code: 'too_long', params: { max: limits.surveyShortText } };
      }
      const picks = chosen.length + (answer.other !== undefined ? 1 : 0);
      if (q.kind === 'single_choice')
        return picks === 1 ? undefined : { code: 'too_many_choices', params: { max: 1 } };
      if (q.min !== null && picks < q.min)
        return { code: 'too_few_choices', params: { min: q.min } };
      if (q.max !== null && picks > q.max)
        return { code: 'too_many_choices', params: { max: q.max } };
      return undefined;
    }
    case 'short_text':
      return (answer.text?.length ?? 0) > limits.surveyShortText || /[\r\n]/.test(answer.text ?? '')
        ? { code: 'too_long', params: { max: limits.surveyShortText } }
        : undefined;
    case 'long_text':
      return undefined;
    case 'number':
    case 'scale': {
      const value = answer.number!;
      if (q.kind === 'scale' && !Number.isInteger(value)) return { code: 'invalid' };
      if (q.min !== null && value < q.min) return { code: 'too_small' };
      if (q.max !== null && value > q.max) return { code: 'too_big' };
      return undefined;
    }
    case 'date':
      return validDate(answer.date!) ? undefined : { code: 'invalid_date' };
    case 'ranking': {
      const ranking = answer.ranking!;
      if (ranking.some((id) => !optionIds.has(id))) return { code: 'unknown_option' };
      return ranking.length === optionIds.size && new Set(ranking).size === ranking.length
        ? undefined
        : { code: 'ranking_incomplete' };
    }
    case 'matrix': {
      const rows = new Set(q.options.filter((o) => o.role === 'row').map((o) => o.id));
      const columns = new Set(q.options.filter((o) => o.role === 'column').map((o) => o.id));
      const entries = Object.entries(answer.matrix!);
      if (entries.some(([row, column]) => !rows.has(row) || !columns.has(column)))
        return { code: 'unknown_option' };
      return entries.length === rows.size ? undefined : { code: 'matrix_incomplete' };
    }
  }
}

/**
 * Checks a submission against the survey's structure and returns the answers to store, keyed by
 * question id. Questions are visited in order, so a condition sees the (kept) answer to its
 * earlier question; answers to hidden questions are dropped, answers to unknown questions refused.
 * Throws 400 validation_failed with one problem per question id.
 */
export function checkSubmission(
  structure: SurveyStructure,
  submitted: Record<string, SurveyAnswer>,
): Map<string, SurveyAnswerValue> {
  const questions = questionsOf(structure);
  const known = new Set(questions.map((q) => q.id));
  const fields: Record<string, FieldProblem> = {};
  for (const id of Object.keys(submitted)) if (!known.has(id)) fields[id] = { code: 'invalid' };
  const kept = new Map<string, SurveyAnswerValue>();
  for (const q of questions) {
    // A question not shown has no kept answer, so the questions depending on it are not shown.
    const chosen = q.showIf ? kept.get(q.showIf.questionId)?.optionIds : undefined;
    if (!surveyConditionMet(q.showIf, chosen)) continue;
    const raw = submitted[q.id];
    const answer = raw && normalize(raw);
    if (!answer) {
      if (q.required) fields[q.id] = { code: 'required' };
      continue;
    }
    const problem = checkAnswer(q, answer);
    if (problem) fields[q.id] = problem;
    else kept.set(q.id, answer);
  }
  if (Object.keys(fields).length > 0) throw new ApiError(400, 'validation_failed', fields);
  return kept;
}
