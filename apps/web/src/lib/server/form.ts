import {
  errorMessages,
  fieldErrorMessage,
  type FieldErrorCode,
  type Locale,
} from '@sabor/contracts';
import { fail, redirect } from '@sveltejs/kit';
import type { FormError } from '$lib/form-error';
import type { ApiFailure } from './api';

/** A text field of a submitted form ('' when missing or a file). */
export function formText(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
}

/**
 * The action's answer to a failed API call: the API's localized message and field messages,
 * plus what the visitor typed (never passwords) so the form can be shown again filled in.
 */
export function failWith<Extra extends object>(result: ApiFailure, extra: Extra) {
  const status = result.status >= 400 && result.status <= 599 ? result.status : 500;
  return fail(status, { error: result.error, ...extra });
}

/** A 400 for problems the web finds itself (e.g. an unticked confirmation box). */
export function failFields<Extra extends object>(
  locale: Locale,
  fields: Record<string, FieldErrorCode>,
  extra: Extra,
) {
  const error: FormError = {
    code: 'validation_failed',
    message: errorMessages.validation_failed[locale],
    fields: Object.fromEntries(
      Object.entries(fields).map(([name, code]) => [
        name,
        { code, message: fieldErrorMessage(code, locale) },
      ]),
    ),
  };
  return fail(400, { error, ...extra });
}

/** The sign-in page, returning to `path` afterwards. */
export function loginPath(path: string): string {
  return `/login?next=${encodeURIComponent(path)}`;
}

/** In a form action: sends a visitor whose session ended to sign in, then back to this page. */
export function redirectIfSignedOut(result: ApiFailure, url: URL): void {
  // url.search of an action holds "?/name", which must not become the return address.
  if (result.status === 401) redirect(303, loginPath(url.pathname));
}
