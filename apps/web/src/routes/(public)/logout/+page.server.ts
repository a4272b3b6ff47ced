import { redirect } from '@sveltejs/kit';
import { api } from '$lib/server/api';
import { setFlash } from '$lib/server/web-cookies';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
  if (!locals.user) redirect(303, '/');
};

export const actions: Actions = {
  default: async (event) => {
    if (event.locals.user) {
      // The API clears the session cookie; a failure still leaves the visitor on the home page.
      const result = await api.logout(event);
      if (result.ok) setFlash(event, 'flash.signedOut');
    }
    redirect(303, '/');
  },
};
