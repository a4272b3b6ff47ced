import { idSchema } from '@sabor/contracts';
import { error, fail } from '@sveltejs/kit';
import { t } from '$lib/i18n/translate';
import { api } from '$lib/server/api';
import { failWith, formText } from '$lib/server/form';
import { idempotencyKeyPattern } from '$lib/server/idempotency';
import { dataOrError } from '$lib/server/load';
import {
  allQuestions,
  localProblemsError,
  readAnswers,
  submission,
} from '$lib/surveys/survey-answers.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  if (!idSchema.safeParse(event.params.id).success) {
    error(404, t(event.locals.locale, 'error.notFound'));
  }
  const survey = dataOrError(
    await api.adminSurvey(event, { params: { id: event.params.id } }),
    event.url,
  );
  // One key per rendered form: a double click on Save records the paper form once.
  return { survey, idempotencyKey: crypto.randomUUID() };
};

export const actions: Actions = {
  paper: async (event) => {
    const form = await event.request.formData();
    const survey = dataOrError(
      await api.adminSurvey(event, { params: { id: event.params.id } }),
      event.url,
    );
    const { answers, problems } = readAnswers(form, allQuestions(survey));
    const retry = { answers, idempotencyKey: crypto.randomUUID() };
    if (Object.keys(problems).length > 0) {
      return fail(400, { ...retry, error: localProblemsError(event.locals.locale, problems) });
    }
    const key = formText(form, 'idempotencyKey');
    const result = await api.enterPaperSurveyResponse(event, {
      params: { id: survey.id },
      body: { answers: submission(survey, answers) },
      idempotencyKey: idempotencyKeyPattern.test(key) ? key : undefined,
    });
    if (!result.ok) return failWith(result, retry);
    // An empty form for the next paper response.
    return { saved: result.data.id, answers: {}, idempotencyKey: crypto.randomUUID() };
  },
};
