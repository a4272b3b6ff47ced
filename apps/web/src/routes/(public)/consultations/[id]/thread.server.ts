import { reportReasonSchema, type Consultation } from '@sabor/contracts';
import { commentOrders, commentStances } from '@sabor/contracts/values';
import { redirect, type RequestEvent } from '@sveltejs/kit';
import { api } from '$lib/server/api';
import { failFields, failWith, formText, loginPath, redirectIfSignedOut } from '$lib/server/form';
import { idempotencyKeyPattern } from '$lib/server/idempotency';

/** The first page of the thread (or, without JavaScript, the page a "show more" link asked for). */
export async function loadThread(event: RequestEvent, consultation: Consultation) {
  const asked = event.url.searchParams.get('order');
  const order = commentOrders.find((o) => o === asked) ?? 'newest';
  const cursor = event.url.searchParams.get('cursor') ?? undefined;
  const params = { id: consultation.id };
  let page = await api.comments(event, { params, query: { order, cursor, limit: 20 } });
  // A stale or mangled cursor in a shared link: start from the first page.
  if (!page.ok && cursor) page = await api.comments(event, { params, query: { order, limit: 20 } });
  return {
    comments: page.ok ? page.data : null,
    order,
    continued: page.ok && cursor !== undefined,
    // Fresh per render: the comment forms send it as Idempotency-Key, so a repeated post (back
    // button, double click, lost answer) creates one comment.
    commentKey: crypto.randomUUID(),
  };
}

/** Whether the form was posted by use:enhance (which wants data) or by a plain browser post. */
const enhanced = (event: RequestEvent) =>
  event.request.headers.get('x-sveltekit-action') === 'true';

/**
 * Back to the thread after a plain browser post. `said` names what the page should confirm next to
 * the comment (a report received, a comment held for a moderator): the page shows it only when the
 * comment really is in that state for this reader.
 */
function back(event: RequestEvent, commentId?: string, said?: 'reported' | 'held') {
  const query = said && commentId ? `?${said}=${encodeURIComponent(commentId)}` : '';
  redirect(
    303,
    `/consultations/${event.params.id}${query}${commentId ? `#comment-${commentId}` : '#comments'}`,
  );
}

async function signedInForm(event: RequestEvent): Promise<FormData> {
  if (!event.locals.user) redirect(303, loginPath(`/consultations/${event.params.id}#comments`));
  return event.request.formData();
}

const stanceOf = (value: string) => commentStances.find((stance) => stance === value);

export const threadActions = {
  comment: async (event: RequestEvent) => {
    const form = await signedInForm(event);
    const body = formText(form, 'body');
    const parentId = formText(form, 'parentId') || undefined;
    const key = formText(form, 'idempotencyKey');
    const result = await api.postComment(event, {
      params: { id: event.params.id ?? '' },
      body: {
        body,
        ...(parentId ? { parentId } : { stance: stanceOf(formText(form, 'stance')) }),
      },
      idempotencyKey: idempotencyKeyPattern.test(key) ? key : undefined,
    });
    if (!result.ok) {
      redirectIfSignedOut(result, event.url);
      return failWith(result, { form: 'comment' as const, parentId: parentId ?? null, body });
    }
    if (enhanced(event)) return { comment: result.data };
    back(event, result.data.id, result.data.moderation.state === 'held' ? 'held' : undefined);
  },

  edit: async (event: RequestEvent) => {
    const form = await signedInForm(event);
    const commentId = formText(form, 'commentId');
    const body = formText(form, 'body');
    const stance = stanceOf(formText(form, 'stance'));
    const result = await api.editComment(event, {
      params: { id: commentId },
      body: { body, ...(stance && { stance }) },
    });
    if (!result.ok) {
      redirectIfSignedOut(result, event.url);
      return failWith(result, { form: 'edit' as const, commentId, body });
    }
    if (enhanced(event)) return { comment: result.data };
    back(event, commentId);
  },

  delete: async (event: RequestEvent) => {
    const form = await signedInForm(event);
    const commentId = formText(form, 'commentId');
    const result = await api.deleteComment(event, { params: { id: commentId } });
    if (!result.ok) {
      redirectIfSignedOut(result, event.url);
      return failWith(result, { form: 'delete' as const, commentId });
    }
    if (enhanced(event)) return { deleted: commentId };
    back(event, commentId);
  },

  support: async (event: RequestEvent) => {
    const form = await signedInForm(event);
    const commentId = formText(form, 'commentId');
    const support =
      formText(form, 'supported') === 'true' ? api.supportComment : api.withdrawSupport;
    const result = await support(event, { params: { id: commentId } });
    if (!result.ok) {
      redirectIfSignedOut(result, event.url);
      return failWith(result, { form: 'support' as const, commentId });
    }
    if (enhanced(event)) return { support: result.data };
    back(event, commentId);
  },

  report: async (event: RequestEvent) => {
    const form = await signedInForm(event);
    const commentId = formText(form, 'commentId');
    const details = formText(form, 'details');
    const key = formText(form, 'idempotencyKey');
    const refill = {
      form: 'report' as const,
      commentId,
      reason: formText(form, 'reason'),
      details,
    };
    const reason = reportReasonSchema.safeParse(refill.reason).data;
    // The radios are required, but a browser that ignores it must still be told next to them.
    if (!reason) return failFields(event.locals.locale, { reason: 'required' }, refill);
    const result = await api.reportComment(event, {
      params: { commentId },
      body: { reason, ...(details.trim() ? { details } : {}) },
      idempotencyKey: idempotencyKeyPattern.test(key) ? key : undefined,
    });
    if (!result.ok) {
      redirectIfSignedOut(result, event.url);
      return failWith(result, refill);
    }
    if (enhanced(event)) return { reported: commentId };
    back(event, commentId, 'reported');
  },
};
