import { redirect } from '@sveltejs/kit';
import { api } from '$lib/server/api';
import { failWith, formText } from '$lib/server/form';
import { setFlash } from '$lib/server/web-cookies';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ url }) => ({ token: url.searchParams.get('token') ?? '' });

export const actions: Actions = {
  default: async (event) => {
    const form = await event.request.formData();
    const result = await api.resetPassword(event, {
      body: {
        token: formText(form, 'token'),
        password: formText(form, 'password'),
      },
    });
    if (!result.ok) return failWith(result, {});
    // Every session ended (the API cleared the cookie): sign in with the new password.
    event.locals.user = null;
    setFlash(event, 'flash.passwordReset');
    redirect(303, '/login');
  },
};
