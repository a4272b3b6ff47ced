import type { FormError } from '$lib/form-error';

/** What a thread action answers when it fails (see thread.server.ts). */
export interface ThreadFailure {
  form: 'comment' | 'edit' | 'delete' | 'support' | 'report';
  error: FormError;
  parentId?: string | null;
  commentId?: string;
  body?: string;
  /** Report: the reason and details as chosen, to show the form again filled in. */
  reason?: string;
  details?: string;
}

const threadForms: readonly string[] = ['comment', 'edit', 'delete', 'support', 'report'];

/** The thread's failure among a page's form answers, if the failed form was one of its own. */
export function threadFailure(form: unknown): ThreadFailure | null {
  if (typeof form !== 'object' || form === null || !('error' in form) || !('form' in form)) {
    return null;
  }
  const kind = (form as { form: unknown }).form;
  return typeof kind === 'string' && threadForms.includes(kind) ? (form as ThreadFailure) : null;
}
