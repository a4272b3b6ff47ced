import type { EventQuestionRow, RegistrationAnswer } from '@sabor/db';
import { ApiError, type FieldProblem } from '../../errors';

/**
 * Checks the answers against the event's questions: unknown ids, a text for a tick, a choice that
 * is no option, required questions left empty and consents not given are refused per field
 * (`answers.<questionId>`). Returns only the answers to known questions, empty texts dropped.
 */
export function checkAnswers(
  questions: EventQuestionRow[],
  answers: Record<string, RegistrationAnswer>,
): Record<string, RegistrationAnswer> {
  const problems: Record<string, FieldProblem> = {};
  const known = new Map(questions.map((q) => [q.id, q]));
  for (const id of Object.keys(answers)) {
    if (!known.has(id)) problems[`answers.${id}`] = { code: 'invalid' };
  }
  const kept: Record<string, RegistrationAnswer> = {};
  for (const question of questions) {
    const field = `answers.${question.id}`;
    const answer = answers[question.id];
    const isTick = question.kind === 'checkbox' || question.kind === 'consent';
    if (answer !== undefined && typeof answer !== (isTick ? 'boolean' : 'string')) {
      problems[field] = { code: 'invalid' };
      continue;
    }
    if (question.kind === 'choice' && typeof answer === 'string' && answer !== '') {
      if (!question.options.some((option) => option.key === answer)) {
        problems[field] = { code: 'invalid' };
        continue;
      }
    }
    const given = answer !== undefined && answer !== '' && answer !== false;
    if (!given && question.kind === 'consent') problems[field] = { code: 'consent_required' };
    else if (!given && question.required) problems[field] = { code: 'required' };
    else if (answer !== undefined && answer !== '') kept[question.id] = answer;
  }
  if (Object.keys(problems).length > 0) throw new ApiError(400, 'validation_failed', problems);
  return kept;
}
