import { idSchema } from '@sabor/contracts';
import { error, redirect } from '@sveltejs/kit';
import type { FlashKey } from '$lib/flash';
import { t } from '$lib/i18n/translate';
import { api, type ApiFailure } from '$lib/server/api';
import { failFields, failWith, redirectIfSignedOut } from '$lib/server/form';
import { dataOrError } from '$lib/server/load';
import { setFlash } from '$lib/server/web-cookies';
import { editDraft, postedKey } from '$lib/surveys/survey-builder-actions.server';
import {
  draftFromSurvey,
  draftToInput,
  keepTexts,
  readSurveyForm,
} from '$lib/surveys/survey-builder.server';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

const steps = ['publish', 'close'] as const;

export const load: PageServerLoad = async (event) => {
  if (!idSchema.safeParse(event.params.id).success) {
    error(404, t(event.locals.locale, 'error.notFound'));
  }
  const survey = dataOrError(
    await api.adminSurvey(event, { params: { id: event.params.id } }),
    event.url,
  );
  return {
    survey,
    draft: draftFromSurvey(survey),
    step: steps.find((s) => s === event.url.searchParams.get('step')) ?? null,
    // Duplicating twice by a repeated post makes one copy.
    duplicateKey: crypto.randomUUID(),
  };
};

/** After a change: to `path` (this page by default) without the confirmation step, with a notice. */
function done(
  event: RequestEvent,
  flash: FlashKey,
  path = `/admin/surveys/${event.params.id}`,
): never {
  setFlash(event, flash);
  redirect(303, path);
}

function failed<F extends 'builder' | 'publish' | 'close' | 'duplicate', E extends object>(
  event: RequestEvent,
  result: ApiFailure,
  form: F,
  extra: E,
) {
  redirectIfSignedOut(result, event.url);
  return failWith(result, { form, ...extra });
}

export const actions: Actions = {
  edit: async (event) => {
    // Whether the survey has responses decides which commands still apply.
    const current = await api.adminSurvey(event, { params: { id: event.params.id } });
    if (!current.ok) return failed(event, current, 'builder', {});
    return editDraft(event, current.data.structureLocked);
  },
  save: async (event) => {
    const form = await event.request.formData();
    const draft = readSurveyForm(form);
    const body = draftToInput(draft);
    if (!body.ok) {
      return failFields(event.locals.locale, body.fields, { form: 'builder' as const, draft });
    }
    const result = await api.replaceSurvey(event, {
      params: { id: event.params.id },
      body: body.input,
    });
    if (!result.ok) {
      // Responses arrived meanwhile: the now locked form shows the saved meaning, typed texts kept.
      if (result.error.code === 'survey_structure_locked') {
        const saved = await api.adminSurvey(event, { params: { id: event.params.id } });
        if (saved.ok) {
          return failed(event, result, 'builder', {
            draft: keepTexts(draftFromSurvey(saved.data), draft),
          });
        }
      }
      return failed(event, result, 'builder', { draft });
    }
    done(event, 'surveyBuilder.flash.saved');
  },
  publish: async (event) => {
    const result = await api.publishSurvey(event, { params: { id: event.params.id } });
    if (!result.ok) return failed(event, result, 'publish', {});
    done(event, 'surveyBuilder.flash.published');
  },
  close: async (event) => {
    const result = await api.closeSurvey(event, { params: { id: event.params.id } });
    if (!result.ok) return failed(event, result, 'close', {});
    done(event, 'surveyBuilder.flash.closed');
  },
  duplicate: async (event) => {
    const form = await event.request.formData();
    const result = await api.duplicateSurvey(event, {
      params: { id: event.params.id },
      idempotencyKey: postedKey(form),
    });
    if (!result.ok) return failed(event, result, 'duplicate', {});
    done(event, 'surveyBuilder.flash.duplicated', `/admin/surveys/${result.data.id}`);
  },
};
