import type { Locale, SurveyAnswer, SurveyQuestion } from '@sabor/contracts';
import { formatDate, formatNumber } from '$lib/i18n/format';
import { optionLabel } from './survey';

/*
 * A stored answer as the lines a person reads back ("your answers" once a survey has closed).
 * Only types come from @sabor/contracts: the values would bring zod into the browser bundle.
 */

/** The lines of `answer` to `question`: chosen labels, the text, "1. …" for a ranking, "row: column". */
export function answerLines(
  question: SurveyQuestion,
  answer: SurveyAnswer | undefined,
  locale: Locale,
  otherLabel: string,
): string[] {
  if (!answer) return [];
  const label = (id: string) => {
    const option = question.options.find((o) => o.id === id);
    return option ? optionLabel(option, locale).text : id;
  };
  switch (question.kind) {
    case 'single_choice':
    case 'multiple_choice':
      return [
        ...(answer.optionIds ?? []).map(label),
        ...(answer.other ? [`${otherLabel}: ${answer.other}`] : []),
      ];
    case 'short_text':
    case 'long_text':
      return answer.text ? [answer.text] : [];
    case 'number':
    case 'scale':
      return answer.number === undefined ? [] : [formatNumber(answer.number, locale)];
    case 'date':
      return answer.date ? [formatDate(`${answer.date}T12:00:00Z`, locale)] : [];
    case 'ranking':
      return (answer.ranking ?? []).map((id, index) => `${index + 1}. ${label(id)}`);
    case 'matrix':
      return question.options
        .filter((o) => o.role === 'row' && answer.matrix?.[o.id])
        .map((row) => `${label(row.id)}: ${label(answer.matrix![row.id]!)}`);
  }
}
