import { api } from '$lib/server/api';
import { failWith, formText } from '$lib/server/form';
import type { Actions, PageServerLoad } from './$types';

// Verification happens only on the button's POST: mail scanners prefetch links with GET.
export const load: PageServerLoad = ({ url }) => ({ token: url.searchParams.get('token') ?? '' });

export const actions: Actions = {
  default: async (event) => {
    const form = await event.request.formData();
    const result = await api.verifyEmail(event, { body: { token: formText(form, 'token') } });
    if (!result.ok) return failWith(result, {});
    return { verified: true };
  },
};
