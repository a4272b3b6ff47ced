import { api } from '$lib/server/api';
import { failWith, formText, redirectIfSignedOut } from '$lib/server/form';
import { dataOrError } from '$lib/server/load';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => ({
  sessions: dataOrError(await api.sessions(event), event.url).sessions,
});

export const actions: Actions = {
  revoke: async (event) => {
    const form = await event.request.formData();
    const result = await api.revokeSession(event, { params: { id: formText(form, 'id') } });
    if (!result.ok) {
      redirectIfSignedOut(result, event.url);
      return failWith(result, {});
    }
    return { revoked: 1 };
  },
  revokeOthers: async (event) => {
    const result = await api.revokeOtherSessions(event);
    if (!result.ok) {
      redirectIfSignedOut(result, event.url);
      return failWith(result, {});
    }
    return { revoked: result.data.revoked };
  },
};
