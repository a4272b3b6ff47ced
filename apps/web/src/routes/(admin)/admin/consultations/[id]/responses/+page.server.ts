import { idSchema, proposalDecisionSchema } from '@sabor/contracts';
import { error, redirect } from '@sveltejs/kit';
import { t } from '$lib/i18n/translate';
import { api } from '$lib/server/api';
import { failFields, failWith, formText, redirectIfSignedOut } from '$lib/server/form';
import { dataOrError } from '$lib/server/load';
import { setFlash } from '$lib/server/web-cookies';
import type { Actions, PageServerLoad } from './$types';
import {
  fromComment,
  fromReportProposal,
  pageNumber,
  parseFilter,
  pendingProposals,
  responsesPageSize,
} from './proposals';

export const load: PageServerLoad = async (event) => {
  const consultationId = event.params.id;
  if (!idSchema.safeParse(consultationId).success) {
    error(404, t(event.locals.locale, 'error.notFound'));
  }
  const consultation = dataOrError(
    await api.consultation(event, { params: { id: consultationId } }),
    event.url,
  );
  const filter = parseFilter(event.url.searchParams.get('filter'));
  const base = {
    consultation,
    filter,
    pageSize: responsesPageSize,
    // Responses change only while the consultation is open or closed (the API decides the same).
    editable: consultation.state === 'open' || consultation.state === 'closed',
  };

  if (filter === 'pending') {
    // Which proposals lack a final decision is known across the whole thread only to the report
    // preview, so this list pages through it rather than through the thread.
    const preview = dataOrError(
      await api.reportPreview(event, { params: { id: consultationId } }),
      event.url,
    );
    const pending = pendingProposals(preview);
    const pages = Math.max(1, Math.ceil(pending.length / responsesPageSize));
    const page = pageNumber(event.url.searchParams.get('page'), pages);
    return {
      ...base,
      items: pending
        .slice((page - 1) * responsesPageSize, page * responsesPageSize)
        .map(fromReportProposal),
      total: pending.length,
      page,
      cursor: null,
      nextCursor: null,
    };
  }

  // Every proposal, oldest first, a page at a time; a cursor that is not the API's is a 400.
  const cursor = event.url.searchParams.get('cursor') || undefined;
  const list = dataOrError(
    await api.comments(event, {
      params: { id: consultationId },
      query: { order: 'oldest', cursor, limit: responsesPageSize },
    }),
    event.url,
  );
  return {
    ...base,
    items: list.items.map(fromComment),
    total: list.total,
    page: 1,
    cursor: cursor ?? null,
    nextCursor: list.nextCursor,
  };
};

export const actions: Actions = {
  // One form per proposal, posted to this very address (with its filter and cursor), so a refused
  // response is shown again on the page where it was written.
  default: async (event) => {
    const form = await event.request.formData();
    const values = {
      commentId: formText(form, 'commentId'),
      decision: formText(form, 'decision'),
      reason: formText(form, 'reason'),
    };
    const decision = proposalDecisionSchema.safeParse(values.decision);
    if (!decision.success) {
      return failFields(event.locals.locale, { decision: 'required' }, values);
    }
    const result = await api.respondToProposal(event, {
      params: { id: values.commentId },
      body: { decision: decision.data, reason: values.reason },
    });
    if (!result.ok) {
      redirectIfSignedOut(result, event.url);
      return failWith(result, values);
    }
    setFlash(event, 'flash.responseSaved');
    redirect(303, `${event.url.pathname}${event.url.search}#proposal-${values.commentId}`);
  },
};
