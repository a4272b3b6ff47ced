import { alreadyRegisteredBodySchema, idSchema, type Registration } from '@sabor/contracts';
import { error, fail } from '@sveltejs/kit';
import { readAnswers } from '$lib/events/event-forms.server';
import { t } from '$lib/i18n/translate';
import { api } from '$lib/server/api';
import { failWith, formText, redirectIfSignedOut } from '$lib/server/form';
import { idempotencyKeyPattern } from '$lib/server/idempotency';
import { dataOrError } from '$lib/server/load';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  // Anything but an id is simply not an event (the API would call it a bad request).
  if (!idSchema.safeParse(event.params.id).success) {
    error(404, t(event.locals.locale, 'error.notFound'));
  }
  const data = dataOrError(await api.event(event, { params: { id: event.params.id } }), event.url);
  return {
    event: data,
    // One key per rendered form: a double submit or a resent form registers once.
    idempotencyKey: crypto.randomUUID(),
  };
};

export const actions: Actions = {
  register: async (event) => {
    const form = await event.request.formData();
    const signedIn = Boolean(event.locals.user);
    const values = {
      name: formText(form, 'name'),
      email: formText(form, 'email'),
      answers: Object.fromEntries(
        [...form.entries()]
          .filter(([name, value]) => name.startsWith('answers.') && typeof value === 'string')
          .map(([name, value]) => [name.slice('answers.'.length), value as string]),
      ),
    };
    // A corrected form is a different request, so it gets a new key.
    const retry = { values, idempotencyKey: crypto.randomUUID() };
    const eventData = await api.event(event, { params: { id: event.params.id } });
    if (!eventData.ok) return failWith(eventData, retry);
    const key = formText(form, 'idempotencyKey');
    const result = await api.registerForEvent(event, {
      params: { id: event.params.id },
      body: {
        ...(signedIn ? {} : { name: values.name, email: values.email }),
        answers: readAnswers(form, eventData.data.questions),
      },
      idempotencyKey: idempotencyKeyPattern.test(key) ? key : undefined,
    });
    if (!result.ok) {
      redirectIfSignedOut(result, event.url);
      if (result.error.code === 'already_registered') {
        const existing = alreadyRegisteredBodySchema.safeParse(result.body).data?.registration;
        return fail(409, { error: result.error, ...retry, existing: existing ?? null });
      }
      return failWith(result, retry);
    }
    const registration: Registration = result.data;
    return { registration };
  },
};
