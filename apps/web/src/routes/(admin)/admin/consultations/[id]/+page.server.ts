import {
  consultationCategorySchema,
  consultationMinimumDays,
  consultationStandardDays,
  idSchema,
} from '@sabor/contracts';
import { error, redirect } from '@sveltejs/kit';
import {
  consultationFormValues,
  formCategory,
  readConsultationForm,
  updateBody,
} from '$lib/consultations/consultation-form.server';
import type { FlashKey } from '$lib/flash';
import { t } from '$lib/i18n/translate';
import { api, type ApiFailure } from '$lib/server/api';
import { failFields, failWith, formText, redirectIfSignedOut } from '$lib/server/form';
import { idempotencyKeyPattern } from '$lib/server/idempotency';
import { dataOrError } from '$lib/server/load';
import { setFlash } from '$lib/server/web-cookies';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

const steps = ['publish', 'close'] as const;
/** Once a consultation has opened, its documents are part of the record (the API refuses deletes). */
const documentsDeletable = (state: string) => state === 'draft' || state === 'scheduled';
type Step = (typeof steps)[number];

export const load: PageServerLoad = async (event) => {
  if (!idSchema.safeParse(event.params.id).success) {
    error(404, t(event.locals.locale, 'error.notFound'));
  }
  const [consultationResult, documentsResult] = await Promise.all([
    api.consultation(event, { params: { id: event.params.id } }),
    api.consultationDocuments(event, { params: { id: event.params.id } }),
  ]);
  const consultation = dataOrError(consultationResult, event.url);
  const documents = dataOrError(documentsResult, event.url).items;
  const step = steps.find((s) => s === event.url.searchParams.get('step')) ?? null;
  const canDeleteDocuments = documentsDeletable(consultation.state);
  const deleteId = event.url.searchParams.get('deleteDocument');
  return {
    documents,
    canDeleteDocuments,
    // "Delete…" opens a confirmation step for one document of this consultation.
    deleteTarget: canDeleteDocuments ? (documents.find((d) => d.id === deleteId) ?? null) : null,
    // One key per upload form shown: a resent post stores the file once.
    uploadKey: crypto.randomUUID(),
    consultation,
    values: consultationFormValues(consultation),
    categories: consultationCategorySchema.options,
    period: { standard: consultationStandardDays, minimum: consultationMinimumDays },
    step,
    // Publishing after the opening time opens the consultation at once (the API decides the same).
    opensOnPublish: Date.parse(consultation.opensAt) <= Date.now(),
  };
};

/** After a change: back to this page without the confirmation step, with a notice. */
function done(event: RequestEvent, flash: FlashKey): never {
  setFlash(event, flash);
  redirect(303, `/admin/consultations/${event.params.id}`);
}

/** A refused change: the API's message, which form it was and what was typed there. */
function failed<
  F extends Step | 'save' | 'version' | 'upload' | 'deleteDocument',
  E extends object,
>(event: RequestEvent, result: ApiFailure, form: F, extra: E) {
  redirectIfSignedOut(result, event.url);
  return failWith(result, { form, ...extra });
}

export const actions: Actions = {
  save: async (event) => {
    const form = await event.request.formData();
    const values = readConsultationForm(form);
    const category = formCategory(values);
    if (!category) {
      return failFields(
        event.locals.locale,
        { category: 'invalid' },
        { form: 'save' as const, values },
      );
    }
    // The state decides which fields may change; read it now, not from when the page was shown.
    const current = await api.consultation(event, { params: { id: event.params.id } });
    if (!current.ok) return failed(event, current, 'save', { values });
    const result = await api.updateConsultation(event, {
      params: { id: event.params.id },
      body: updateBody(values, category, current.data.state),
    });
    if (!result.ok) return failed(event, result, 'save', { values });
    done(event, 'flash.consultationSaved');
  },
  publish: async (event) => {
    const result = await api.publishConsultation(event, { params: { id: event.params.id } });
    if (!result.ok) return failed(event, result, 'publish', {});
    done(event, 'flash.consultationPublished');
  },
  close: async (event) => {
    const form = await event.request.formData();
    const reason = formText(form, 'reason');
    const result = await api.closeConsultation(event, {
      params: { id: event.params.id },
      body: { reason },
    });
    if (!result.ok) return failed(event, result, 'close', { reason });
    done(event, 'flash.consultationClosed');
  },
  version: async (event) => {
    const form = await event.request.formData();
    const body = formText(form, 'body');
    const result = await api.publishConsultationVersion(event, {
      params: { id: event.params.id },
      body: { body },
    });
    if (!result.ok) return failed(event, result, 'version', { body });
    done(event, 'flash.consultationVersionPublished');
  },
  upload: async (event) => {
    const form = await event.request.formData();
    const title = formText(form, 'title');
    const file = form.get('file');
    // A corrected form is a different request, so it gets a new key.
    const retry = { title, uploadKey: crypto.randomUUID() };
    if (!(file instanceof File) || file.size === 0) {
      return failFields(
        event.locals.locale,
        { file: 'required' },
        { form: 'upload' as const, ...retry },
      );
    }
    const upload = new FormData();
    upload.set('title', title);
    upload.set('file', file, file.name);
    const key = formText(form, 'idempotencyKey');
    const result = await api.uploadDocument(event, {
      params: { id: event.params.id },
      form: upload,
      idempotencyKey: idempotencyKeyPattern.test(key) ? key : undefined,
    });
    if (!result.ok) return failed(event, result, 'upload', retry);
    done(event, 'flash.documentUploaded');
  },
  deleteDocument: async (event) => {
    const form = await event.request.formData();
    const result = await api.deleteDocument(event, { params: { id: formText(form, 'id') } });
    if (!result.ok) return failed(event, result, 'deleteDocument', {});
    done(event, 'flash.documentDeleted');
  },
};
