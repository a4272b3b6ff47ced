import type { Locale, SurveyQuestion } from '@sabor/contracts';
import { t } from '$lib/i18n/translate';
import { optionLabel, questionText } from './survey';

const openingQuote: Record<Locale, string> = { bg: '„', en: '“' };
const closingQuote: Record<Locale, string> = { bg: '“', en: '”' };

/** "Answer if you chose “A” or “B” in “Question”", naming the condition's question and options. */
export function conditionHint(
  question: Pick<SurveyQuestion, 'showIf'>,
  questions: readonly SurveyQuestion[],
  locale: Locale,
): string | undefined {
  const condition = question.showIf;
  if (!condition) return undefined;
  const source = questions.find((candidate) => candidate.id === condition.questionId);
  if (!source) return undefined;
  const options = source.options
    .filter((option) => condition.optionIds.includes(option.id))
    .map((option) => optionLabel(option, locale).text)
    // Inside the message's quotes: close one, "or", open the next (quotes differ by language).
    .join(
      `${closingQuote[locale]} ${t(locale, 'surveyAnswer.conditionOr')} ${openingQuote[locale]}`,
    );
  return t(locale, 'surveyAnswer.conditionHint', {
    question: questionText(source, locale).text,
    options,
  });
}
