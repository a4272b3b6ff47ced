import { eventTypeSchema, idSchema } from '@sabor/contracts';
import { error, redirect } from '@sveltejs/kit';
import {
  eventBody,
  eventFormValues,
  readEventForm,
  spareRows,
} from '$lib/events/event-forms.server';
import type { FlashKey } from '$lib/flash';
import { t } from '$lib/i18n/translate';
import { api, type ApiFailure } from '$lib/server/api';
import { failFields, failWith, formText, redirectIfSignedOut } from '$lib/server/form';
import { dataOrError } from '$lib/server/load';
import { setFlash } from '$lib/server/web-cookies';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

const steps = ['publish', 'cancel'] as const;

export const load: PageServerLoad = async (event) => {
  if (!idSchema.safeParse(event.params.id).success) {
    error(404, t(event.locals.locale, 'error.notFound'));
  }
  const data = dataOrError(await api.event(event, { params: { id: event.params.id } }), event.url);
  return {
    event: data,
    values: eventFormValues(data),
    types: eventTypeSchema.options,
    spareRows,
    step: steps.find((s) => s === event.url.searchParams.get('step')) ?? null,
  };
};

/** After a change: back to this page without the confirmation step, with a notice. */
function done(event: RequestEvent, flash: FlashKey): never {
  setFlash(event, flash);
  redirect(303, `/admin/events/${event.params.id}`);
}

function failed<F extends 'save' | 'publish' | 'cancel', E extends object>(
  event: RequestEvent,
  result: ApiFailure,
  form: F,
  extra: E,
) {
  redirectIfSignedOut(result, event.url);
  return failWith(result, { form, ...extra });
}

export const actions: Actions = {
  save: async (event) => {
    const form = await event.request.formData();
    const values = readEventForm(form);
    const body = eventBody(values);
    if (!body) {
      return failFields(
        event.locals.locale,
        { type: 'invalid' },
        { form: 'save' as const, values },
      );
    }
    // Questions are sent only when changed: once someone has registered the API refuses any.
    const current = await api.event(event, { params: { id: event.params.id } });
    if (!current.ok) return failed(event, current, 'save', { values });
    const { questions, ...rest } = body;
    const unchanged =
      JSON.stringify(eventBody(eventFormValues(current.data))?.questions) ===
      JSON.stringify(questions);
    const result = await api.updateEvent(event, {
      params: { id: event.params.id },
      body: unchanged ? rest : { ...rest, questions },
    });
    if (!result.ok) return failed(event, result, 'save', { values });
    done(event, 'flash.eventSaved');
  },
  publish: async (event) => {
    const result = await api.publishEvent(event, { params: { id: event.params.id } });
    if (!result.ok) return failed(event, result, 'publish', {});
    done(event, 'flash.eventPublished');
  },
  cancel: async (event) => {
    const form = await event.request.formData();
    const reason = formText(form, 'reason');
    const result = await api.cancelEvent(event, {
      params: { id: event.params.id },
      body: { reason },
    });
    if (!result.ok) return failed(event, result, 'cancel', { reason });
    done(event, 'flash.eventCancelled');
  },
};
