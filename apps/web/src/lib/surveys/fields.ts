import type { SurveyAnswer, SurveyQuestion } from '@sabor/contracts';
import { surveyConditionMet } from '@sabor/contracts/values';

/*
 * How the answering forms name their controls, shared by the components (browser) and the form
 * parsing (server). Types come from @sabor/contracts, values from its zod-free `values` entry (the
 * root's values would bring zod into the browser bundle).
 */

/** The value of the "other" radio or checkbox of a choice question. */
export const otherValue = '__other';

/** The main control of a question (text, number, date, the radios or checkboxes of a choice). */
export const answerName = (questionId: string) => `q.${questionId}`;
/** The free text of a choice question's "other". */
export const otherName = (questionId: string) => `q.${questionId}.other`;
/** The position chosen for one option of a ranking. */
export const rankName = (questionId: string, optionId: string) =>
  `q.${questionId}.rank.${optionId}`;
/** The column chosen for one row of a matrix. */
export const rowName = (questionId: string, rowId: string) => `q.${questionId}.row.${rowId}`;
/** The id of a question's first control: error summaries link here. */
export const controlId = (questionId: string) => `q-${questionId}`;

type Condition = Pick<SurveyQuestion, 'id' | 'showIf'>;

/**
 * Which questions are shown for `answers`, in question order, by the rule the API applies
 * (`surveyConditionMet`): a condition on a hidden question hides this one too.
 */
export function visibleQuestionIds(
  questions: readonly Condition[],
  answers: Readonly<Record<string, SurveyAnswer | undefined>>,
): Set<string> {
  const visible = new Set<string>();
  for (const question of questions) {
    const condition = question.showIf;
    const chosen =
      condition && visible.has(condition.questionId)
        ? answers[condition.questionId]?.optionIds
        : undefined;
    if (surveyConditionMet(condition, chosen)) visible.add(question.id);
  }
  return visible;
}

/** The answers to shown questions only (the API would drop the others anyway). */
export function onlyVisibleAnswers(
  questions: readonly Condition[],
  answers: Readonly<Record<string, SurveyAnswer>>,
): Record<string, SurveyAnswer> {
  const visible = visibleQuestionIds(questions, answers);
  return Object.fromEntries(Object.entries(answers).filter(([id]) => visible.has(id)));
}

/**
 * How a question of one section is shown: `hidden` when its condition names an earlier section's
 * question whose (carried) answer does not meet it; `conditional` when the condition names a
 * question of the same section (shown with a hint, or live with JavaScript); otherwise `shown`.
 */
export type QuestionDisplay = 'shown' | 'conditional' | 'hidden';

export function questionDisplays(
  sections: readonly { questions: readonly Condition[] }[],
  sectionIndex: number,
  answers: Readonly<Record<string, SurveyAnswer | undefined>>,
): Map<string, QuestionDisplay> {
  const earlier = sections.slice(0, sectionIndex).flatMap((section) => section.questions);
  const current = sections[sectionIndex]?.questions ?? [];
  const currentIds = new Set(current.map((question) => question.id));
  const visible = visibleQuestionIds([...earlier, ...current], answers);
  const displays = new Map<string, QuestionDisplay>();
  for (const question of current) {
    const condition = question.showIf;
    let display: QuestionDisplay = 'shown';
    if (condition && currentIds.has(condition.questionId)) display = 'conditional';
    else if (condition && !visible.has(question.id)) display = 'hidden';
    displays.set(question.id, display);
  }
  return displays;
}

/** What is said around a question's controls (see QuestionNotes.svelte). */
export interface QuestionNotesData {
  id: string;
  help: { text: string; lang: string } | null;
  conditionHint?: string | null | undefined;
  hint?: string | null | undefined;
  error?: string | null | undefined;
}

/** The options chosen now in a form's choice questions (for conditions shown live). */
export function chosenOptions(
  form: FormData,
  questions: readonly Pick<SurveyQuestion, 'id' | 'kind'>[],
): Record<string, SurveyAnswer> {
  const chosen: Record<string, SurveyAnswer> = {};
  for (const question of questions) {
    if (question.kind !== 'single_choice' && question.kind !== 'multiple_choice') continue;
    const optionIds = form
      .getAll(answerName(question.id))
      .filter((value): value is string => typeof value === 'string' && value !== otherValue);
    chosen[question.id] = { optionIds };
  }
  return chosen;
}
