import { idSchema, type FieldErrorCode } from '@sabor/contracts';
import { error, redirect } from '@sveltejs/kit';
import { t } from '$lib/i18n/translate';
import { api } from '$lib/server/api';
import { failFields, failWith, formText, redirectIfSignedOut } from '$lib/server/form';
import { idempotencyKeyPattern } from '$lib/server/idempotency';
import { dataOrError } from '$lib/server/load';
import { setFlash } from '$lib/server/web-cookies';
import { pendingPageOf, pendingProposals } from '../responses/proposals';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const consultationId = event.params.id;
  if (!idSchema.safeParse(consultationId).success) {
    error(404, t(event.locals.locale, 'error.notFound'));
  }
  const [consultation, preview] = await Promise.all([
    api.consultation(event, { params: { id: consultationId } }),
    api.reportPreview(event, { params: { id: consultationId } }),
  ]);
  const report = dataOrError(preview, event.url);
  return {
    consultation: dataOrError(consultation, event.url),
    preview: report,
    // Each proposal still lacking a final decision, with the page of the pending list it is on.
    missing: pendingProposals(report).map((proposal, index) => ({
      commentId: proposal.commentId,
      number: proposal.number,
      authorName: proposal.authorName,
      page: pendingPageOf(index),
    })),
    // One key per summary form shown: a resent post publishes once and shows the same report.
    idempotencyKey: crypto.randomUUID(),
  };
};

export const actions: Actions = {
  publish: async (event) => {
    const form = await event.request.formData();
    const summary = formText(form, 'summary');
    // A corrected form is a different request, so it gets a new key.
    const retry = { summary, idempotencyKey: crypto.randomUUID() };
    const missing: Record<string, FieldErrorCode> = {};
    if (summary.trim() === '') missing.summary = 'required';
    if (formText(form, 'confirm') !== 'yes') missing.confirm = 'required';
    if (Object.keys(missing).length > 0) return failFields(event.locals.locale, missing, retry);

    const key = formText(form, 'idempotencyKey');
    const result = await api.publishReport(event, {
      params: { id: event.params.id },
      body: { summary },
      idempotencyKey: idempotencyKeyPattern.test(key) ? key : undefined,
    });
    if (!result.ok) {
      redirectIfSignedOut(result, event.url);
      return failWith(result, retry);
    }
    setFlash(event, 'flash.reportPublished');
    redirect(303, `/consultations/${event.params.id}/report`);
  },
};
