import { api } from '$lib/server/api';
import { failWith, redirectIfSignedOut } from '$lib/server/form';
import { dataOrError } from '$lib/server/load';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const notices = dataOrError(await api.notices(event), event.url);
  return {
    // Newest first, whatever order the list arrives in.
    notices: [...notices.items].sort((a, b) => b.createdAt.localeCompare(a.createdAt)),
    unread: notices.unread,
  };
};

export const actions: Actions = {
  read: async (event) => {
    const result = await api.markNoticesRead(event);
    if (!result.ok) {
      redirectIfSignedOut(result, event.url);
      return failWith(result, {});
    }
    return { read: true };
  },
};
