import { redirect } from '@sveltejs/kit';
import { api } from '$lib/server/api';
import { loginPath } from '$lib/server/form';
import { dataOrError } from '$lib/server/load';
import type { RequestHandler } from './$types';

/** "Download my data": the API's export as a JSON file (GDPR art. 15 and 20). */
export const GET: RequestHandler = async (event) => {
  // Layout guards do not cover endpoints.
  if (!event.locals.user) redirect(303, loginPath('/account/data'));
  const data = dataOrError(await api.exportData(event), event.url);
  const day = data.exportedAt.slice(0, 10);
  return new Response(`${JSON.stringify(data, null, 2)}\n`, {
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'content-disposition': `attachment; filename="sabor-data-${day}.json"`,
      'cache-control': 'private, no-store',
    },
  });
};
