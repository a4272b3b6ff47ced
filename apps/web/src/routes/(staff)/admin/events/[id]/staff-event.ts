import { idSchema } from '@sabor/contracts';
import { error, type RequestEvent } from '@sveltejs/kit';
import { t } from '$lib/i18n/translate';
import { api } from '$lib/server/api';

/**
 * The event a staff page is about: its title for the heading. A draft is visible to admins only,
 * so a moderator sees the page without the title rather than an error.
 */
export async function staffEvent(
  event: Pick<RequestEvent, 'fetch' | 'cookies' | 'locals' | 'params'>,
) {
  const id = event.params.id ?? '';
  if (!idSchema.safeParse(id).success) error(404, t(event.locals.locale, 'error.notFound'));
  const result = await api.event(event, { params: { id } });
  return result.ok ? result.data : null;
}
