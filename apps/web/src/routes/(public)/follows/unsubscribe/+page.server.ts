import { api } from '$lib/server/api';
import { formText } from '$lib/server/form';
import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';

/** The link's token, if it has the shape of one (anything else is not worth asking the API). */
function tokenOf(value: string | null): string | null {
  return value && /^[a-z2-7]{52}$/.test(value) ? value : null;
}

// Leaving happens only on the button's POST: mail scanners open links with GET.
export const load: PageServerLoad = async (event) => {
  const token = tokenOf(event.url.searchParams.get('token'));
  if (!token) return { token: null, info: null };
  const info = await api.unsubscribeInfo(event, { query: { token } });
  if (!info.ok && info.status !== 400 && info.status !== 404) {
    // The API is down or failing: say so instead of calling a good link invalid.
    return { token, info: null, unavailable: info.error.message };
  }
  return { token, info: info.ok ? info.data : null };
};

export const actions: Actions = {
  default: async (event) => {
    const form = await event.request.formData();
    const token = tokenOf(formText(form, 'token'));
    if (!token) return fail(400, { invalid: true as const });
    const result = await api.unsubscribe(event, { body: { token } });
    if (!result.ok) {
      if (result.status === 400 || result.status === 404)
        return fail(404, { invalid: true as const });
      return fail(result.status >= 400 && result.status <= 599 ? result.status : 500, {
        error: result.error,
      });
    }
    return { done: result.data };
  },
};
