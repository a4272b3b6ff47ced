import type { Locale, Survey, SurveyQuestion } from '@sabor/contracts';
import { pick } from '$lib/events/event';

/*
 * Survey texts in the visitor's language. Only types come from @sabor/contracts here: components
 * import this module, and the contracts' values would bring zod into the browser bundle.
 */

export const surveyTitle = (survey: Pick<Survey, 'titleBg' | 'titleEn'>, locale: Locale) =>
  pick(survey.titleBg, survey.titleEn, locale);

export const questionText = (question: Pick<SurveyQuestion, 'textBg' | 'textEn'>, locale: Locale) =>
  pick(question.textBg, question.textEn, locale);

export const optionLabel = (
  option: Pick<SurveyQuestion['options'][number], 'labelBg' | 'labelEn'>,
  locale: Locale,
) => pick(option.labelBg, option.labelEn, locale);
