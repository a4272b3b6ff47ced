import { eventTypeSchema } from '@sabor/contracts';
import { redirect } from '@sveltejs/kit';
import {
  eventBody,
  newEventFormValues,
  readEventForm,
  spareRows,
} from '$lib/events/event-forms.server';
import { api } from '$lib/server/api';
import { failFields, failWith, formText, redirectIfSignedOut } from '$lib/server/form';
import { idempotencyKeyPattern } from '$lib/server/idempotency';
import { setFlash } from '$lib/server/web-cookies';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => ({
  values: newEventFormValues(),
  types: eventTypeSchema.options,
  spareRows: spareRows + 1,
  // One key per filled-in form: posting it twice creates one draft.
  idempotencyKey: crypto.randomUUID(),
});

export const actions: Actions = {
  default: async (event) => {
    const form = await event.request.formData();
    const values = readEventForm(form);
    // A corrected form is a different request, so it gets a new key.
    const retry = { values, idempotencyKey: crypto.randomUUID() };
    const body = eventBody(values);
    if (!body) return failFields(event.locals.locale, { type: 'invalid' }, retry);
    const key = formText(form, 'idempotencyKey');
    const result = await api.createEvent(event, {
      body,
      idempotencyKey: idempotencyKeyPattern.test(key) ? key : undefined,
    });
    if (!result.ok) {
      redirectIfSignedOut(result, event.url);
      return failWith(result, retry);
    }
    setFlash(event, 'flash.eventCreated');
    redirect(303, `/admin/events/${result.data.id}`);
  },
};
