import { redirect } from '@sveltejs/kit';
import { api } from '$lib/server/api';
import { failFields, failWith, redirectIfSignedOut } from '$lib/server/form';
import { setFlash } from '$lib/server/web-cookies';
import { editDraft, postedKey } from '$lib/surveys/survey-builder-actions.server';
import { draftToInput, newSurveyDraft, readSurveyForm } from '$lib/surveys/survey-builder.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => ({
  draft: newSurveyDraft(),
  // One key per filled-in form: posting it twice creates one draft.
  idempotencyKey: crypto.randomUUID(),
});

export const actions: Actions = {
  edit: (event) => editDraft(event, false),
  save: async (event) => {
    const form = await event.request.formData();
    const draft = readSurveyForm(form);
    // A corrected form is a different request, so it gets a new key.
    const retry = { form: 'builder' as const, draft, idempotencyKey: crypto.randomUUID() };
    const body = draftToInput(draft);
    if (!body.ok) return failFields(event.locals.locale, body.fields, retry);
    const result = await api.createSurvey(event, {
      body: body.input,
      idempotencyKey: postedKey(form),
    });
    if (!result.ok) {
      redirectIfSignedOut(result, event.url);
      return failWith(result, retry);
    }
    setFlash(event, 'surveyBuilder.flash.created');
    redirect(303, `/admin/surveys/${result.data.id}`);
  },
};
