import { idSchema } from '@sabor/contracts';
import { error, redirect } from '@sveltejs/kit';
import type { FlashKey } from '$lib/flash';
import { t } from '$lib/i18n/translate';
import { reportOutcome } from '$lib/report/report-outcome.server';
import { api } from '$lib/server/api';
import { shareWithVisitors } from '$lib/server/shared-page';
import { failWith, loginPath, redirectIfSignedOut } from '$lib/server/form';
import { dataOrError } from '$lib/server/load';
import { setFlash } from '$lib/server/web-cookies';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { loadThread, threadActions } from './thread.server';

export const load: PageServerLoad = async (event) => {
  // Anything but an id is simply not a consultation (the API would call it a bad request).
  if (!idSchema.safeParse(event.params.id).success) {
    error(404, t(event.locals.locale, 'error.notFound'));
  }
  const consultation = dataOrError(
    await api.consultation(event, { params: { id: event.params.id } }),
    event.url,
  );
  // Drafts are previews for staff: nobody follows them.
  const canFollow = consultation.state !== 'draft';
  // Everything else depends only on the consultation: asked for together.
  const [documents, follow, outcome, thread] = await Promise.all([
    api.consultationDocuments(event, { params: { id: consultation.id } }),
    event.locals.user && canFollow
      ? api.followStatus(event, { params: { id: consultation.id } })
      : null,
    // "You said, we did": the report's totals once it is published.
    reportOutcome(event, consultation),
    consultation.state === 'draft' ? null : loadThread(event, consultation),
  ]);
  // A published consultation read in full is the same page for every visitor not signed in.
  if (canFollow && documents.ok && thread?.comments) shareWithVisitors(event);
  return {
    thread,
    consultation,
    // Without its documents the page is still worth reading; it says they could not be loaded.
    documents: documents.ok ? documents.data.items : null,
    canFollow,
    following: follow?.ok ? follow.data.following : false,
    outcome,
  };
};

async function setFollowing(event: RequestEvent, following: boolean) {
  if (!event.locals.user) redirect(303, loginPath(`/consultations/${event.params.id}`));
  const result = following
    ? await api.follow(event, { params: { id: event.params.id } })
    : await api.unfollow(event, { params: { id: event.params.id } });
  if (!result.ok) {
    redirectIfSignedOut(result, event.url);
    return failWith(result, { form: 'follow' as const });
  }
  const flash: FlashKey = following ? 'flash.followed' : 'flash.unfollowed';
  setFlash(event, flash);
  redirect(303, `/consultations/${event.params.id}`);
}

export const actions: Actions = {
  ...threadActions,
  follow: (event) => setFollowing(event, true),
  unfollow: (event) => setFollowing(event, false),
};
