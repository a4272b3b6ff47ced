import { fail } from '@sveltejs/kit';
import { api } from '$lib/server/api';
import { failWith, redirectIfSignedOut } from '$lib/server/form';
import { dataOrError } from '$lib/server/load';
import type { Actions, PageServerLoad } from './$types';
import { readSettingsForm, settingsBody, settingsError, settingsFormValues } from './settings-form';

export const load: PageServerLoad = async (event) => ({
  values: settingsFormValues(dataOrError(await api.moderationSettings(event), event.url)),
});

export const actions: Actions = {
  default: async (event) => {
    const values = readSettingsForm(await event.request.formData());
    const locale = event.locals.locale;
    const parsed = settingsBody(values, locale);
    if (!parsed.ok) return fail(400, { values, error: parsed.error });
    const result = await api.saveModerationSettings(event, { body: parsed.body });
    if (!result.ok) {
      redirectIfSignedOut(result, event.url);
      return failWith(
        { ...result, error: settingsError(result.error, parsed.body, locale) },
        {
          values,
        },
      );
    }
    return { saved: true, values: settingsFormValues(result.data) };
  },
};
