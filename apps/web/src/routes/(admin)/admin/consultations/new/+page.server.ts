import {
  consultationCategorySchema,
  consultationMinimumDays,
  consultationStandardDays,
} from '@sabor/contracts';
import { redirect } from '@sveltejs/kit';
import {
  createBody,
  formCategory,
  newConsultationFormValues,
  readConsultationForm,
} from '$lib/consultations/consultation-form.server';
import { api } from '$lib/server/api';
import { failFields, failWith, formText, redirectIfSignedOut } from '$lib/server/form';
import { idempotencyKeyPattern } from '$lib/server/idempotency';
import { setFlash } from '$lib/server/web-cookies';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const { site } = await event.parent();
  return {
    values: newConsultationFormValues(site.contact.email),
    categories: consultationCategorySchema.options,
    period: { standard: consultationStandardDays, minimum: consultationMinimumDays },
    // One key per filled-in form: posting it twice (a double click, a resent form) creates one draft.
    idempotencyKey: crypto.randomUUID(),
  };
};

export const actions: Actions = {
  default: async (event) => {
    const form = await event.request.formData();
    const values = readConsultationForm(form);
    // A corrected form is a different request, so it gets a new key.
    const retry = { values, idempotencyKey: crypto.randomUUID() };
    const category = formCategory(values);
    if (!category) return failFields(event.locals.locale, { category: 'invalid' }, retry);
    const key = formText(form, 'idempotencyKey');
    const result = await api.createConsultation(event, {
      body: createBody(values, category),
      idempotencyKey: idempotencyKeyPattern.test(key) ? key : undefined,
    });
    if (!result.ok) {
      redirectIfSignedOut(result, event.url);
      return failWith(result, retry);
    }
    setFlash(event, 'flash.consultationCreated');
    redirect(303, `/admin/consultations/${result.data.id}`);
  },
};
