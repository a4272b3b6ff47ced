import type { FormError } from '$lib/form-error';

/*
 * What the hide and restore actions answer, read back by the page. The actions name the answer
 * and the form (`action`), so the page shows a failure beside the right answer.
 */

export interface AnswerFormFailure {
  action: 'hide' | 'restore';
  answerId: string;
  error: FormError;
  reasonCode?: string;
  reasonText?: string;
}

export type AnswerFormOutcome = { action: 'hide' | 'restore'; answerId: string };

type ActionData = Record<string, unknown> | null | undefined;

const isAction = (value: unknown): value is 'hide' | 'restore' =>
  value === 'hide' || value === 'restore';

/** The failed hide or restore form of this page's last action, if that is what it was. */
export function answerFormFailure(form: ActionData): AnswerFormFailure | null {
  if (!form || !isAction(form.action) || typeof form.answerId !== 'string') return null;
  const error = form.error as FormError | undefined;
  if (!error || typeof error.message !== 'string') return null;
  return {
    action: form.action,
    answerId: form.answerId,
    error,
    ...(typeof form.reasonCode === 'string' && { reasonCode: form.reasonCode }),
    ...(typeof form.reasonText === 'string' && { reasonText: form.reasonText }),
  };
}

/** The hide or restore that just succeeded, for the status message. */
export function answerFormOutcome(form: ActionData): AnswerFormOutcome | null {
  if (!form || !isAction(form.action) || typeof form.answerId !== 'string') return null;
  return form.done === true ? { action: form.action, answerId: form.answerId } : null;
}
