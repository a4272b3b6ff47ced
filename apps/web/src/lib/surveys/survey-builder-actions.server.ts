import type { RequestEvent } from '@sveltejs/kit';
import { formText } from '$lib/server/form';
import { idempotencyKeyPattern } from '$lib/server/idempotency';
import { applyCommand, readSurveyForm } from './survey-builder.server';
import type { SurveyDraft } from './survey-draft';

/*
 * The builder's `edit` action, shared by the new and edit pages: read the form, apply the pressed
 * structure command, give the draft back. Nothing is saved; the page says so until Save.
 */

export interface EditResult {
  form: 'builder';
  draft: SurveyDraft;
  /** Id of the thing just added, for the page to focus (with JavaScript). */
  focus: string | null;
  unsaved: true;
  idempotencyKey: string | undefined;
}

/** The Idempotency-Key the rendered form carries, when it is one the API accepts. */
export function postedKey(form: FormData): string | undefined {
  const key = formText(form, 'idempotencyKey');
  return idempotencyKeyPattern.test(key) ? key : undefined;
}

export async function editDraft(
  event: Pick<RequestEvent, 'request'>,
  locked: boolean,
): Promise<EditResult> {
  const form = await event.request.formData();
  const { draft, focus } = applyCommand(readSurveyForm(form), formText(form, 'command'), {
    form,
    locked,
  });
  // The same form is still being built: it keeps its key until a create is tried.
  return { form: 'builder', draft, focus, unsaved: true, idempotencyKey: postedKey(form) };
}
