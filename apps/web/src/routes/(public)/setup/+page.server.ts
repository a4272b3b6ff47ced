import { redirect } from '@sveltejs/kit';
import { api } from '$lib/server/api';
import { forgetSite } from '$lib/server/site';
import { failWith, formText } from '$lib/server/form';
import { setFlash } from '$lib/server/web-cookies';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const token = event.url.searchParams.get('token') ?? '';
  if (!token) return { token, valid: false };
  const status = await api.setupStatus(event, { query: { token } });
  return { token, valid: status.ok && status.data.valid };
};

export const actions: Actions = {
  default: async (event) => {
    const form = await event.request.formData();
    const values = { email: formText(form, 'email'), displayName: formText(form, 'displayName') };
    const result = await api.setup(event, {
      body: {
        ...values,
        token: formText(form, 'token'),
        password: formText(form, 'password'),
      },
    });
    if (!result.ok) return failWith(result, { values });
    forgetSite();
    setFlash(event, 'flash.setupDone');
    redirect(303, '/admin/users');
  },
};
