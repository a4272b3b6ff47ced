import type {
  SurveyAudience,
  SurveyOptionRole,
  SurveyQuestionKind,
  SurveyResultsVisibility,
} from '@sabor/contracts';

/*
 * The survey builder's draft: what its form holds, shared by the server (which reads and changes
 * it, see survey-builder.server.ts) and the builder's components. Only types come from the
 * root of @sabor/contracts here (its values would bring zod into the browser bundle); the kinds,
 * audiences and visibilities come from its zod-free `values` entry.
 */

/** Kinds whose answers pick among options (and may allow "other"). */
export const choiceKinds: ReadonlySet<SurveyQuestionKind> = new Set([
  'single_choice',
  'multiple_choice',
]);
/** Kinds with a plain list of options. */
export const optionKinds: ReadonlySet<SurveyQuestionKind> = new Set([
  'single_choice',
  'multiple_choice',
  'ranking',
]);
/** Kinds with a min/max setting. */
export const rangeKinds: ReadonlySet<SurveyQuestionKind> = new Set([
  'multiple_choice',
  'number',
  'scale',
]);

export interface OptionDraft {
  id: string;
  role: SurveyOptionRole;
  labelBg: string;
  labelEn: string;
}

export interface QuestionDraft {
  id: string;
  kind: SurveyQuestionKind;
  required: boolean;
  textBg: string;
  textEn: string;
  helpBg: string;
  helpEn: string;
  allowOther: boolean;
  /** As typed ('' for none). */
  min: string;
  max: string;
  minLabelBg: string;
  minLabelEn: string;
  maxLabelBg: string;
  maxLabelEn: string;
  /** The condition as `<questionId>:<optionId>` values; empty: always shown. */
  showIf: string[];
  options: OptionDraft[];
}

export interface SectionDraft {
  id: string;
  titleBg: string;
  titleEn: string;
  questions: QuestionDraft[];
}

/** What the builder form holds: texts as typed, dates as Sofia wall-clock time. */
export interface SurveyDraft {
  titleBg: string;
  titleEn: string;
  introBg: string;
  introEn: string;
  thankYouBg: string;
  thankYouEn: string;
  opensAt: string;
  closesAt: string;
  audience: SurveyAudience;
  resultsVisibility: SurveyResultsVisibility;
  sections: SectionDraft[];
}

/** One choice a condition may name: an option of an earlier choice question. */
export interface ConditionChoice {
  questionId: string;
  questionText: string;
  options: { value: string; label: string }[];
}

/** The options a question's condition may name: those of the choice questions before it. */
export function conditionChoices(draft: SurveyDraft, questionId: string): ConditionChoice[] {
  const choices: ConditionChoice[] = [];
  for (const section of draft.sections) {
    for (const question of section.questions) {
      if (question.id === questionId) return choices;
      if (!choiceKinds.has(question.kind)) continue;
      choices.push({
        questionId: question.id,
        questionText: question.textBg,
        options: question.options.map((o) => ({
          value: `${question.id}:${o.id}`,
          label: o.labelBg,
        })),
      });
    }
  }
  return choices;
}
