import { idSchema } from '@sabor/contracts';
import { roleAtLeast } from '@sabor/contracts/values';
import { error } from '@sveltejs/kit';
import { t } from '$lib/i18n/translate';
import { api } from '$lib/server/api';
import { failFields, failWith, formText, redirectIfSignedOut } from '$lib/server/form';
import { dataOrError } from '$lib/server/load';
import { hideReasonFromForm } from '$lib/surveys/results/hide-reason';
import { surveyResultsDependency } from '$lib/surveys/results/results';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  if (!idSchema.safeParse(event.params.id).success) {
    error(404, t(event.locals.locale, 'error.notFound'));
  }
  // The page reloads only this on a live change, not the layout's data.
  event.depends(surveyResultsDependency);
  const [survey, results] = await Promise.all([
    api.survey(event, { params: { id: event.params.id } }),
    api.surveyResults(event, { params: { id: event.params.id } }),
  ]);
  const role = event.locals.user?.role;
  return {
    survey: dataOrError(survey, event.url),
    // Results that are not public (yet, or ever) are not an error page: the page says when they
    // will be, under the survey's title (200: the page itself exists and is meant for everyone).
    results: !results.ok && results.status === 403 ? null : dataOrError(results, event.url),
    moderator: roleAtLeast(role, 'moderator'),
    admin: roleAtLeast(role, 'admin'),
  };
};

/** Each answer names its form (`action`, `answerId`), so the page shows it beside the right answer. */
export const actions: Actions = {
  hide: async (event) => {
    const form = await event.request.formData();
    const answerId = formText(form, 'answerId');
    const values = {
      reasonCode: formText(form, 'reasonCode'),
      reasonText: formText(form, 'reasonText'),
    };
    const about = { action: 'hide' as const, answerId, ...values };
    if (!idSchema.safeParse(answerId).success) error(404, t(event.locals.locale, 'error.notFound'));
    const reason = hideReasonFromForm(values, event.locals.locale);
    if (!reason.ok) return failFields(event.locals.locale, reason.fields, about);
    const result = await api.hideSurveyAnswer(event, {
      params: { id: answerId },
      body: { reason: reason.reason },
    });
    if (!result.ok) {
      redirectIfSignedOut(result, event.url);
      return failWith(result, about);
    }
    return { action: 'hide' as const, answerId, done: true };
  },
  restore: async (event) => {
    const form = await event.request.formData();
    const answerId = formText(form, 'answerId');
    if (!idSchema.safeParse(answerId).success) error(404, t(event.locals.locale, 'error.notFound'));
    const result = await api.restoreSurveyAnswer(event, { params: { id: answerId } });
    if (!result.ok) {
      redirectIfSignedOut(result, event.url);
      return failWith(result, { action: 'restore' as const, answerId });
    }
    return { action: 'restore' as const, answerId, done: true };
  },
};
