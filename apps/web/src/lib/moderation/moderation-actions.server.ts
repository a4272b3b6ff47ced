import {
  hideReasonCodeSchema,
  idSchema,
  maxBulkItems,
  moderationItemSchema,
  type FieldErrorCode,
  type ModerationBulkResult,
  type ModerationDecisionBody,
  type ModerationItem,
  type ModerationStats,
} from '@sabor/contracts';
import { moderationActions } from '@sabor/contracts/values';
import { fail, type RequestEvent } from '@sveltejs/kit';
import type { FormError } from '$lib/form-error';
import type { DecisionAction } from './forms';
import { t } from '$lib/i18n/translate';
import { api } from '$lib/server/api';
import { failFields, failWith, formText, redirectIfSignedOut } from '$lib/server/form';

/*
 * Form actions of the moderation pages (queue, item, user). Each answer names its form in
 * `form`, so a page with several forms shows the result by the right one. They work as plain
 * form posts; with JavaScript the pages read the same answers through use:enhance.
 */

type Fields = Record<string, FieldErrorCode>;
type Parsed<T> = { ok: true; value: T } | { ok: false; fields: Fields };

const isDecisionAction = (value: string): value is DecisionAction =>
  (moderationActions as readonly string[]).includes(value);

/**
 * The decision a moderation form asks for (`action`, and for hide `reasonCode` and `reasonText`).
 * Only what is needed to build the request is checked here; the API checks the rest (e.g. that
 * "other" comes with the moderator's words) and answers with field messages.
 */
export function decisionFromForm(form: FormData): Parsed<ModerationDecisionBody> {
  const action = formText(form, 'action');
  if (!isDecisionAction(action)) return { ok: false, fields: { action: 'invalid' } };
  if (action !== 'hide') return { ok: true, value: { action } };
  const reasonCode = hideReasonCodeSchema.safeParse(formText(form, 'reasonCode'));
  if (!reasonCode.success) return { ok: false, fields: { reasonCode: 'required' } };
  const reasonText = formText(form, 'reasonText').trim();
  return {
    ok: true,
    value: { action, reasonCode: reasonCode.data, ...(reasonText && { reasonText }) },
  };
}

/**
 * The items a bulk form applies to: the ticked ones, or every item on the page when "select all
 * on this page" is ticked (that box works without JavaScript). Duplicates and non-ids are dropped.
 */
export function bulkItemIds(form: FormData): string[] {
  const ticked = form.getAll('itemId');
  const all = formText(form, 'allOnPage') === 'yes' ? form.getAll('pageItemId') : [];
  const ids = [...ticked, ...all].filter(
    (value): value is string => typeof value === 'string' && idSchema.safeParse(value).success,
  );
  return [...new Set(ids)].slice(0, maxBulkItems);
}

/** Suspension lengths offered in the form ("permanent": until lifted). */
export const suspensionChoices = ['1', '7', '30', 'permanent'] as const;
export type SuspensionChoice = (typeof suspensionChoices)[number];

export interface SuspensionRequest {
  reason: string;
  durationDays: number | null;
  choice: SuspensionChoice;
}

export function suspensionFromForm(form: FormData): Parsed<SuspensionRequest> {
  const reason = formText(form, 'reason').trim();
  const choice = suspensionChoices.find((c) => c === formText(form, 'duration'));
  const fields: Fields = {};
  if (reason === '') fields.reason = 'required';
  if (!choice) fields.duration = 'required';
  if (!choice || reason === '') return { ok: false, fields };
  return {
    ok: true,
    value: { reason, choice, durationDays: choice === 'permanent' ? null : Number(choice) },
  };
}

export interface BulkSummary {
  decided: ModerationItem[];
  /** Taken by another moderator first. */
  alreadyDecided: number;
  /** Refused for another reason, with the API's message. */
  failed: { itemId: string; message: string }[];
}

/** Sorts per-item bulk results into what the summary line says. */
export function summarizeBulk(result: ModerationBulkResult): BulkSummary {
  const summary: BulkSummary = { decided: [], alreadyDecided: 0, failed: [] };
  for (const entry of result.results) {
    if (entry.ok) summary.decided.push(entry.item);
    else if (entry.code === 'moderation_already_decided') summary.alreadyDecided += 1;
    else summary.failed.push({ itemId: entry.itemId, message: entry.message });
  }
  return summary;
}

/** A form-level problem the web finds itself (no single field to point at). */
function messageError(message: string): FormError {
  return { code: 'validation_failed', message };
}

/** The item as it is now (after a conflict), reduced to the queue's shape; null if unreadable. */
async function freshItem(event: RequestEvent, itemId: string): Promise<ModerationItem | null> {
  const detail = await api.moderationItem(event, { params: { id: itemId } });
  return detail.ok ? moderationItemSchema.parse(detail.data) : null;
}

/**
 * The queue's statistics as they are after a decision, read once it has committed: the page that
 * updates itself shows them with the decision's own answer (null when they cannot be read).
 */
async function statsAfterDecision(event: RequestEvent): Promise<ModerationStats | null> {
  const stats = await api.moderationStats(event);
  return stats.ok ? stats.data : null;
}

/** Decisions on one item and on several: used by the queue and by the item page. */
export const decisionFormActions = {
  decide: async (event: RequestEvent) => {
    const form = await event.request.formData();
    const itemId = formText(form, 'itemId');
    const values = {
      form: 'decision' as const,
      itemId,
      reasonCode: formText(form, 'reasonCode'),
      reasonText: formText(form, 'reasonText'),
    };
    const decision = decisionFromForm(form);
    if (!decision.ok) return failFields(event.locals.locale, decision.fields, values);
    const result = await api.decideModerationItem(event, {
      params: { id: itemId },
      body: decision.value,
    });
    if (!result.ok) {
      redirectIfSignedOut(result, event.url);
      // Someone else was first, or the comment changed: show the item as it is now.
      const item = result.status === 409 ? await freshItem(event, itemId) : null;
      return failWith(result, { ...values, item });
    }
    return {
      form: 'decision' as const,
      itemId,
      done: decision.value.action,
      item: result.data,
      stats: await statsAfterDecision(event),
    };
  },

  bulk: async (event: RequestEvent) => {
    const form = await event.request.formData();
    const locale = event.locals.locale;
    const values = {
      form: 'bulk' as const,
      reasonCode: formText(form, 'reasonCode'),
      reasonText: formText(form, 'reasonText'),
    };
    const itemIds = bulkItemIds(form);
    if (itemIds.length === 0) {
      return fail(400, {
        ...values,
        error: messageError(t(locale, 'moderation.bulk.noneSelected')),
      });
    }
    const decision = decisionFromForm(form);
    if (!decision.ok) return failFields(locale, decision.fields, values);
    const result = await api.decideModerationItems(event, {
      body: { itemIds, decision: decision.value },
    });
    if (!result.ok) {
      redirectIfSignedOut(result, event.url);
      return failWith(result, values);
    }
    return {
      form: 'bulk' as const,
      done: decision.value.action,
      ...summarizeBulk(result.data),
      stats: await statsAfterDecision(event),
    };
  },
};

/** A user id posted by a user-actions form (the item page acts on the item's author). */
function targetUser(form: FormData): string {
  return formText(form, 'userId');
}

/** Warnings, suspensions and private notes: used by the item page and the user page. */
export const userFormActions = {
  warn: async (event: RequestEvent) => {
    const form = await event.request.formData();
    const reason = formText(form, 'reason').trim();
    const values = { form: 'warn' as const, reason };
    if (reason === '') return failFields(event.locals.locale, { reason: 'required' }, values);
    const result = await api.warnUser(event, {
      params: { id: targetUser(form) },
      body: { reason },
    });
    if (!result.ok) {
      redirectIfSignedOut(result, event.url);
      return failWith(result, values);
    }
    return { form: 'warn' as const, done: true };
  },

  /**
   * Two steps: the first post only checks the form and asks for confirmation; the second
   * (`confirmed=yes`, with the same values) suspends.
   */
  suspend: async (event: RequestEvent) => {
    const form = await event.request.formData();
    const parsed = suspensionFromForm(form);
    const values = {
      form: 'suspend' as const,
      reason: formText(form, 'reason'),
      duration: formText(form, 'duration'),
    };
    if (!parsed.ok) return failFields(event.locals.locale, parsed.fields, values);
    if (formText(form, 'confirmed') !== 'yes') {
      return { form: 'suspend' as const, confirm: parsed.value };
    }
    const { reason, durationDays } = parsed.value;
    const result = await api.moderationSuspendUser(event, {
      params: { id: targetUser(form) },
      body: { reason, durationDays },
    });
    if (!result.ok) {
      redirectIfSignedOut(result, event.url);
      return failWith(result, values);
    }
    return { form: 'suspend' as const, done: true };
  },

  unsuspend: async (event: RequestEvent) => {
    const form = await event.request.formData();
    const result = await api.moderationUnsuspendUser(event, { params: { id: targetUser(form) } });
    if (!result.ok) {
      redirectIfSignedOut(result, event.url);
      return failWith(result, { form: 'unsuspend' as const });
    }
    return { form: 'unsuspend' as const, done: true };
  },

  note: async (event: RequestEvent) => {
    const form = await event.request.formData();
    const body = formText(form, 'body');
    const values = { form: 'note' as const, body };
    if (body.trim() === '') return failFields(event.locals.locale, { body: 'required' }, values);
    const result = await api.addModeratorNote(event, {
      params: { id: targetUser(form) },
      body: { body },
    });
    if (!result.ok) {
      redirectIfSignedOut(result, event.url);
      return failWith(result, values);
    }
    return { form: 'note' as const, done: true };
  },
};
