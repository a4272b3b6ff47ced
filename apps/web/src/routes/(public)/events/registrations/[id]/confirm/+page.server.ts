import { linkOrNotFound } from '$lib/events/registration-link.server';
import { api } from '$lib/server/api';
import { failWith, formText } from '$lib/server/form';
import { dataOrError } from '$lib/server/load';
import type { Actions, PageServerLoad } from './$types';

/**
 * The guest's confirmation link. Opening it confirms nothing (mail scanners open links): the
 * page asks for a press of its button, which posts the confirmation.
 */
export const load: PageServerLoad = async (event) => {
  const link = linkOrNotFound(
    event.params.id,
    event.url.searchParams.get('token'),
    event.locals.locale,
  );
  const registration = dataOrError(
    await api.registrationByToken(event, { query: link }),
    event.url,
  );
  return { registration, token: link.token };
};

export const actions: Actions = {
  default: async (event) => {
    const form = await event.request.formData();
    const link = linkOrNotFound(event.params.id, formText(form, 'token'), event.locals.locale);
    const result = await api.confirmRegistration(event, { body: link });
    if (!result.ok) return failWith(result, {});
    return { confirmed: result.data };
  },
};
