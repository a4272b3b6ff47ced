import { error, redirect } from '@sveltejs/kit';
import type { ApiResult } from './api';
import { loginPath } from './form';

/**
 * The data of a successful API call for a page load; otherwise the page the visitor should
 * see instead: sign-in for an ended session, or the error page with the API's message.
 */
export function dataOrError<T>(result: ApiResult<T>, url: URL): T {
  if (result.ok) return result.data;
  if (result.status === 401) redirect(303, loginPath(url.pathname + url.search));
  error(result.status >= 400 && result.status <= 599 ? result.status : 500, result.error.message);
}
