import { idSchema } from '@sabor/contracts';
import { error } from '@sveltejs/kit';
import { t } from '$lib/i18n/translate';
import { userFormActions } from '$lib/moderation/moderation-actions.server';
import { api } from '$lib/server/api';
import { dataOrError } from '$lib/server/load';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  if (!idSchema.safeParse(event.params.id).success) {
    error(404, t(event.locals.locale, 'error.notFound'));
  }
  return {
    person: dataOrError(
      await api.moderationUser(event, { params: { id: event.params.id } }),
      event.url,
    ),
  };
};

export const actions: Actions = userFormActions;
