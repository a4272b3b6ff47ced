import { idSchema, type SurveyResponse } from '@sabor/contracts';
import { error, fail } from '@sveltejs/kit';
import { t } from '$lib/i18n/translate';
import { api } from '$lib/server/api';
import { formText, redirectIfSignedOut } from '$lib/server/form';
import { idempotencyKeyPattern } from '$lib/server/idempotency';
import { dataOrError } from '$lib/server/load';
import { firstSectionWithError, submission } from '$lib/surveys/survey-answers.server';
import { readSectionPost } from '$lib/surveys/survey-form-action.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  // Anything but an id is simply not a survey (the API would call it a bad request).
  if (!idSchema.safeParse(event.params.id).success) {
    error(404, t(event.locals.locale, 'error.notFound'));
  }
  const survey = dataOrError(
    await api.survey(event, { params: { id: event.params.id } }),
    event.url,
  );
  // This account's or browser's earlier response (404 when none, 401 signed out of a residents'
  // survey): prefilled, and sent back as a change.
  const mine = await api.mySurveyResponse(event, { params: { id: survey.id } });
  return {
    survey,
    existing: mine.ok ? mine.data : null,
    // One key per rendered form: a double submit or a resent form answers once.
    idempotencyKey: crypto.randomUUID(),
  };
};

export const actions: Actions = {
  answer: async (event) => {
    const form = await event.request.formData();
    const survey = dataOrError(
      await api.survey(event, { params: { id: event.params.id } }),
      event.url,
    );
    const { intent, state, failure } = readSectionPost(form, survey, event.locals.locale);
    if (failure) return failure;
    const last = state.section >= survey.sections.length - 1;
    if (intent !== 'submit' || !last) return state;

    const body = {
      answers: submission(survey, state.answers),
      website: formText(form, 'website') || undefined,
    };
    const key = formText(form, 'idempotencyKey');
    const result =
      state.mode === 'edit'
        ? await api.updateMySurveyResponse(event, { params: { id: survey.id }, body })
        : await api.respondToSurvey(event, {
            params: { id: survey.id },
            body,
            idempotencyKey: idempotencyKeyPattern.test(key) ? key : undefined,
          });
    if (!result.ok) {
      redirectIfSignedOut(result, event.url);
      const section = firstSectionWithError(survey, result.error.fields) ?? state.section;
      // Answered before (another tab, or before the cookie was seen): the same form now changes it.
      const mode = result.error.code === 'survey_already_answered' ? 'edit' : state.mode;
      return fail(result.status >= 400 && result.status <= 599 ? result.status : 500, {
        ...state,
        section,
        mode,
        error: result.error,
      });
    }
    const response: SurveyResponse = result.data;
    return { ...state, done: { edited: state.mode === 'edit', submittedAt: response.submittedAt } };
  },
};
