import { idSchema } from '@sabor/contracts';
import { error } from '@sveltejs/kit';
import { t } from '$lib/i18n/translate';
import { api } from '$lib/server/api';
import { shareWithVisitors } from '$lib/server/shared-page';
import { dataOrError } from '$lib/server/load';
import type { PageServerLoad } from './$types';

/** The published report (справка); the API answers 404 until it is out, and so does this page. */
export const load: PageServerLoad = async (event) => {
  if (!idSchema.safeParse(event.params.id).success) {
    error(404, t(event.locals.locale, 'error.notFound'));
  }
  const report = await api.consultationReport(event, { params: { id: event.params.id } });
  const shown = dataOrError(report, event.url);
  shareWithVisitors(event);
  return { report: shown };
};
