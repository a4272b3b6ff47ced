import { idSchema } from '@sabor/contracts';
import { error } from '@sveltejs/kit';
import { t } from '$lib/i18n/translate';
import { decisionFormActions, userFormActions } from '$lib/moderation/moderation-actions.server';
import { api } from '$lib/server/api';
import { dataOrError } from '$lib/server/load';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  // Anything but an id is simply not an item (the API would call it a bad request).
  if (!idSchema.safeParse(event.params.id).success) {
    error(404, t(event.locals.locale, 'error.notFound'));
  }
  return {
    item: dataOrError(
      await api.moderationItem(event, { params: { id: event.params.id } }),
      event.url,
    ),
  };
};

export const actions: Actions = { decide: decisionFormActions.decide, ...userFormActions };
