import { redirect } from '@sveltejs/kit';
import { linkOrNotFound } from '$lib/events/registration-link.server';
import { api } from '$lib/server/api';
import { failWith, formText } from '$lib/server/form';
import { dataOrError } from '$lib/server/load';
import { setFlash } from '$lib/server/web-cookies';
import type { Actions, PageServerLoad } from './$types';

/** A registration through the link in its mails: see it, and cancel it without signing in. */
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
  return {
    registration,
    token: link.token,
    step: event.url.searchParams.get('step') === 'cancel' ? ('cancel' as const) : null,
  };
};

export const actions: Actions = {
  cancel: async (event) => {
    const form = await event.request.formData();
    const link = linkOrNotFound(event.params.id, formText(form, 'token'), event.locals.locale);
    const result = await api.cancelRegistrationByToken(event, { body: link });
    if (!result.ok) return failWith(result, {});
    setFlash(event, 'flash.registrationCancelled');
    redirect(303, `/events/registrations/${link.registrationId}?token=${link.token}`);
  },
};
