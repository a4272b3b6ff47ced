import { checkInRefusedBodySchema } from '@sabor/contracts';
import { fail } from '@sveltejs/kit';
import { api } from '$lib/server/api';
import { formText, redirectIfSignedOut } from '$lib/server/form';
import { dataOrError } from '$lib/server/load';
import { staffEvent } from '../staff-event';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const [info, list] = await Promise.all([
    staffEvent(event),
    api.attendees(event, { params: { id: event.params.id }, query: { pageSize: 1 } }),
  ]);
  return { event: info, counts: dataOrError(list, event.url).counts };
};

export const actions: Actions = {
  default: async (event) => {
    const form = await event.request.formData();
    const code = formText(form, 'code').slice(0, 200);
    const result = await api.checkIn(event, { params: { id: event.params.id }, body: { code } });
    if (result.ok) return { admitted: result.data, code };
    redirectIfSignedOut(result, event.url);
    const attendee = checkInRefusedBodySchema.safeParse(result.body).data?.attendee ?? null;
    // The API's message is already in the staff member's language.
    return fail(result.status >= 400 && result.status < 500 ? result.status : 500, {
      refused: { code: result.error.code, message: result.error.message, attendee },
      code,
    });
  },
};
