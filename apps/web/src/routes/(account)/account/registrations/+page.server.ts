import { idSchema } from '@sabor/contracts';
import { redirect } from '@sveltejs/kit';
import { api } from '$lib/server/api';
import { failWith, formText, redirectIfSignedOut } from '$lib/server/form';
import { pageNumber } from '$lib/server/list-query';
import { dataOrError } from '$lib/server/load';
import { setFlash } from '$lib/server/web-cookies';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const page = pageNumber(event.url.searchParams.get('page'));
  const list = dataOrError(
    await api.myRegistrations(event, { query: { page, pageSize: 20 } }),
    event.url,
  );
  // ?cancel=<id> asks for the confirmation step of that registration.
  const cancel = idSchema.safeParse(event.url.searchParams.get('cancel')).data ?? null;
  return { list, cancel };
};

export const actions: Actions = {
  cancel: async (event) => {
    const form = await event.request.formData();
    const registrationId = formText(form, 'registrationId');
    const result = await api.cancelMyRegistration(event, { params: { id: registrationId } });
    if (!result.ok) {
      redirectIfSignedOut(result, event.url);
      return failWith(result, { registrationId });
    }
    setFlash(event, 'flash.registrationCancelled');
    redirect(303, '/account/registrations');
  },
};
