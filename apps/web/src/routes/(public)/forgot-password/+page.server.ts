import { api } from '$lib/server/api';
import { failWith, formText } from '$lib/server/form';
import type { Actions } from './$types';

export const actions: Actions = {
  default: async (event) => {
    const form = await event.request.formData();
    const email = formText(form, 'email');
    // The API answers the same whether or not the address has an account.
    const result = await api.forgotPassword(event, { body: { email } });
    if (!result.ok) return failWith(result, { values: { email } });
    return { sent: true };
  },
};
