import { idSchema } from '@sabor/contracts';
import { error } from '@sveltejs/kit';
import { t } from '$lib/i18n/translate';
import { api } from '$lib/server/api';
import { dataOrError } from '$lib/server/load';
import { readSectionPost } from '$lib/surveys/survey-form-action.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  if (!idSchema.safeParse(event.params.id).success) {
    error(404, t(event.locals.locale, 'error.notFound'));
  }
  const survey = dataOrError(
    await api.adminSurvey(event, { params: { id: event.params.id } }),
    event.url,
  );
  return { survey, idempotencyKey: crypto.randomUUID() };
};

export const actions: Actions = {
  /** Moves between sections like the real form; nothing is ever sent to the API. */
  preview: async (event) => {
    const form = await event.request.formData();
    const survey = dataOrError(
      await api.adminSurvey(event, { params: { id: event.params.id } }),
      event.url,
    );
    const { state, failure } = readSectionPost(form, survey, event.locals.locale);
    return failure ?? { ...state, mode: 'preview' as const };
  },
};
