import { redirect } from '@sveltejs/kit';
import { api } from '$lib/server/api';
import { failFields, failWith, formText, redirectIfSignedOut } from '$lib/server/form';
import { setFlash } from '$lib/server/web-cookies';
import type { Actions } from './$types';

export const actions: Actions = {
  delete: async (event) => {
    const form = await event.request.formData();
    const password = formText(form, 'password');
    const missing: Record<string, 'required'> = {};
    if (password === '') missing.password = 'required';
    if (formText(form, 'confirm') !== 'yes') missing.confirm = 'required';
    if (Object.keys(missing).length > 0) return failFields(event.locals.locale, missing, {});
    const result = await api.deleteAccount(event, { body: { password } });
    if (!result.ok) {
      redirectIfSignedOut(result, event.url);
      return failWith(result, {});
    }
    // The API ended the session and cleared its cookie.
    event.locals.user = null;
    setFlash(event, 'flash.accountDeleted');
    redirect(303, '/');
  },
};
