import type { FormError } from '$lib/form-error';

/** What a thread action answers when it fails (see thread.server.ts). */
export interface ThreadFailure {
  form: 'comment' | 'edit' | 'delete' | 'support';
  error: FormError;
  parentId?: string | null;
  commentId?: string;
  body?: string;
}

/** The thread's failure among a page's form answers, if the failed form was one of its own. */
export function threadFailure(form: unknown): ThreadFailure | null {
  if (typeof form !== 'object' || form === null || !('error' in form) || !('form' in form)) {
    return null;
  }
  const kind = (form as { form: unknown }).form;
  return kind === 'comment' || kind === 'edit' || kind === 'delete' || kind === 'support'
    ? (form as ThreadFailure)
    : null;
}
