import {
  errorMessages,
  surveyAnswerSchema,
  type Locale,
  type Survey,
  type SurveyAnswer,
  type SurveyQuestion,
} from '@sabor/contracts';
import { z } from 'zod';
import type { FormError } from '$lib/form-error';
import { t } from '$lib/i18n/translate';
import { formText } from '$lib/server/form';
import { answerName, onlyVisibleAnswers, otherName, otherValue, rankName, rowName } from './fields';

/*
 * The answering forms as data: a section's fields become answers in the API's shape (keyed by
 * question id), the earlier sections' answers travel in one hidden field as JSON, and an API
 * refusal names the section to go back to.
 */

export type Answers = Record<string, SurveyAnswer>;
/** Problems the web finds before asking the API. */
export type LocalProblem = 'number' | 'duplicateRank';

const carriedSchema = z.record(z.string().max(64), surveyAnswerSchema);

/** The answers carried in the hidden field; anything unreadable counts as nothing answered yet. */
export function parseCarried(text: string): Answers {
  try {
    return carriedSchema.safeParse(JSON.parse(text)).data ?? {};
  } catch {
    return {};
  }
}

const strings = (form: FormData, name: string) =>
  form.getAll(name).filter((value): value is string => typeof value === 'string');

/** One question's answer from the form; `undefined` when nothing was given. */
export function readAnswer(
  form: FormData,
  question: SurveyQuestion,
): { answer?: SurveyAnswer; problem?: LocalProblem } {
  const name = answerName(question.id);
  const value = formText(form, name);
  switch (question.kind) {
    case 'single_choice': {
      const other = formText(form, otherName(question.id)).trim();
      if (value === otherValue || (value === '' && other !== '')) {
        return other ? { answer: { other } } : {};
      }
      return value ? { answer: { optionIds: [value] } } : {};
    }
    case 'multiple_choice': {
      const chosen = strings(form, name);
      const optionIds = chosen.filter((id) => id !== otherValue);
      const other = formText(form, otherName(question.id)).trim();
      const answer: SurveyAnswer = {};
      if (optionIds.length > 0) answer.optionIds = optionIds;
      if (other) answer.other = other;
      return Object.keys(answer).length > 0 ? { answer } : {};
    }
    case 'short_text':
    case 'long_text':
      return value.trim() ? { answer: { text: value } } : {};
    case 'number':
    case 'scale': {
      if (value.trim() === '') return {};
      const number = Number(value);
      return Number.isFinite(number) ? { answer: { number } } : { problem: 'number' };
    }
    case 'date':
      return value ? { answer: { date: value } } : {};
    case 'ranking': {
      const positions = question.options
        .map((option) => ({
          id: option.id,
          position: Number(formText(form, rankName(question.id, option.id))),
        }))
        .filter((entry) => Number.isInteger(entry.position) && entry.position > 0);
      if (positions.length === 0) return {};
      if (new Set(positions.map((entry) => entry.position)).size !== positions.length) {
        return { problem: 'duplicateRank' };
      }
      positions.sort((a, b) => a.position - b.position);
      return { answer: { ranking: positions.map((entry) => entry.id) } };
    }
    case 'matrix': {
      const matrix: Record<string, string> = {};
      for (const row of question.options.filter((option) => option.role === 'row')) {
        const column = formText(form, rowName(question.id, row.id));
        if (column) matrix[row.id] = column;
      }
      return Object.keys(matrix).length > 0 ? { answer: { matrix } } : {};
    }
  }
}

/** The answers and problems of the given questions' fields. */
export function readAnswers(form: FormData, questions: readonly SurveyQuestion[]) {
  const answers: Answers = {};
  const problems: Record<string, LocalProblem> = {};
  for (const question of questions) {
    const { answer, problem } = readAnswer(form, question);
    if (answer) answers[question.id] = answer;
    if (problem) problems[question.id] = problem;
  }
  return { answers, problems };
}

/** The carried answers with this section's questions replaced by what its form holds now. */
export function mergeSection(
  carried: Answers,
  questions: readonly SurveyQuestion[],
  sectionAnswers: Answers,
): Answers {
  const ids = new Set(questions.map((question) => question.id));
  const kept = Object.entries(carried).filter(([id]) => !ids.has(id));
  return { ...Object.fromEntries(kept), ...sectionAnswers };
}

/** Every question of the survey, in order. */
export const allQuestions = (survey: Pick<Survey, 'sections'>) =>
  survey.sections.flatMap((section) => section.questions);

/** What is sent to the API: answers to shown questions only. */
export const submission = (survey: Pick<Survey, 'sections'>, answers: Answers) =>
  onlyVisibleAnswers(allQuestions(survey), answers);

/** The section index a form names, kept within the survey. */
export function sectionIndex(value: string, sectionCount: number): number {
  const index = Number(value);
  if (!Number.isInteger(index) || index < 0) return 0;
  return Math.min(index, Math.max(sectionCount - 1, 0));
}

/** The first section holding a question named in `fields` (e.g. the API's validation errors). */
export function firstSectionWithError(
  survey: Pick<Survey, 'sections'>,
  fields: Record<string, unknown> | undefined,
): number | null {
  const names = new Set(Object.keys(fields ?? {}));
  const index = survey.sections.findIndex((section) =>
    section.questions.some((question) => names.has(question.id)),
  );
  return index === -1 ? null : index;
}

/** The problems found before calling the API, as a form error in the page's language. */
export function localProblemsError(
  locale: Locale,
  problems: Record<string, LocalProblem>,
): FormError {
  return {
    code: 'validation_failed',
    message: errorMessages.validation_failed[locale],
    fields: Object.fromEntries(
      Object.entries(problems).map(([id, problem]) => [
        id,
        {
          code: 'invalid',
          message:
            problem === 'number'
              ? t(locale, 'surveyAnswer.error.number')
              : t(locale, 'surveyAnswer.error.duplicateRank'),
        },
      ]),
    ),
  };
}
