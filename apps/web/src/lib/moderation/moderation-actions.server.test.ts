import type { ModerationItem, ModerationItemDetail } from '@sabor/contracts';
import type { Cookies, RequestEvent } from '@sveltejs/kit';
import { describe, expect, it, vi } from 'vitest';
import {
  bulkItemIds,
  decisionFormActions,
  decisionFromForm,
  summarizeBulk,
  suspensionFromForm,
  userFormActions,
} from './moderation-actions.server';

const itemId = '6f1c1f1e-3b2a-4c5d-8e9f-0a1b2c3d4e5f';
const otherId = '0e366394-736f-46e8-afb6-f486ab6e568e';
const userId = '20000000-0000-4000-8000-000000000000';
const person = { id: userId, displayName: 'Елена' };

const item: ModerationItem = {
  id: itemId,
  subjectType: 'comment',
  comment: {
    id: '30000000-0000-4000-8000-000000000000',
    consultationId: '10000000-0000-4000-8000-000000000000',
    consultationTitle: 'Паркове',
    consultationSlug: null,
    parentId: null,
    depth: 0,
    body: 'текст',
    bodyHtml: '<p>текст</p>',
    createdAt: '2026-11-28T07:00:00.000Z',
    editedAt: null,
    deleted: false,
    moderation: { state: 'hidden', reasonCode: 'spam', reasonText: null, holdReason: null },
  },
  author: { ...person, accountCreatedAt: '2026-01-01T00:00:00.000Z', suspended: false },
  status: 'resolved',
  cause: 'reported',
  holdReason: null,
  matchedWords: [],
  reportCount: 0,
  reportReasons: {},
  lastReportedAt: null,
  enteredAt: '2026-11-28T08:00:00.000Z',
  decision: 'hidden',
  decidedAt: '2026-11-28T09:00:00.000Z',
  decidedBy: { id: otherId, displayName: 'Георги' },
};
const detail: ModerationItemDetail = {
  ...item,
  parent: null,
  replies: [],
  reports: [],
  authorHistory: {
    ...person,
    role: 'resident',
    accountCreatedAt: '2026-01-01T00:00:00.000Z',
    suspended: false,
    suspendedReason: null,
    suspendedUntil: null,
    commentCount: 3,
    hiddenCount: 1,
    decisions: [],
    accountActions: [],
    notes: [],
  },
};

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

function form(values: Record<string, string | string[]>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(values)) {
    for (const one of Array.isArray(value) ? value : [value]) data.append(name, one);
  }
  return data;
}

/** A form post to a moderation page, answered by `respond` for each API call. */
function post(values: Record<string, string | string[]>, respond: (url: string) => Response) {
  const fetch = vi.fn(async (url: string, _init: RequestInit) => respond(url));
  const event = {
    request: new Request('http://sabor.test/moderation?/decide', {
      method: 'POST',
      body: form(values),
    }),
    url: new URL('http://sabor.test/moderation?/decide'),
    fetch,
    cookies: { set: vi.fn(), delete: vi.fn() } as unknown as Cookies,
    locals: { user: null, locale: 'en' as const },
  } as unknown as RequestEvent;
  return { event, calls: fetch.mock.calls };
}

const sentBody = (call: [string, RequestInit] | undefined): unknown =>
  JSON.parse(call?.[1].body as string);

describe('moderation forms', () => {
  it('read a decision, trimming the moderator’s words', () => {
    expect(decisionFromForm(form({ action: 'approve', reasonCode: 'spam' }))).toEqual({
      ok: true,
      value: { action: 'approve' },
    });
    expect(
      decisionFromForm(form({ action: 'hide', reasonCode: 'other', reasonText: '  реклама  ' })),
    ).toEqual({ ok: true, value: { action: 'hide', reasonCode: 'other', reasonText: 'реклама' } });
    expect(decisionFromForm(form({ action: 'hide', reasonText: 'x' }))).toEqual({
      ok: false,
      fields: { reasonCode: 'required' },
    });
    expect(decisionFromForm(form({ action: 'delete' }))).toEqual({
      ok: false,
      fields: { action: 'invalid' },
    });
  });

  it('take the ticked items, or the whole page when asked, without duplicates or junk', () => {
    const page = [itemId, otherId];
    expect(
      bulkItemIds(form({ itemId: [otherId, otherId, "1' OR 1=1"], pageItemId: page })),
    ).toEqual([otherId]);
    expect(bulkItemIds(form({ itemId: [otherId], allOnPage: 'yes', pageItemId: page }))).toEqual([
      otherId,
      itemId,
    ]);
  });

  it('read a suspension length, permanent included', () => {
    expect(suspensionFromForm(form({ reason: ' спам ', duration: '7' }))).toEqual({
      ok: true,
      value: { reason: 'спам', choice: '7', durationDays: 7 },
    });
    expect(suspensionFromForm(form({ reason: 'спам', duration: 'permanent' }))).toMatchObject({
      ok: true,
      value: { durationDays: null },
    });
    expect(suspensionFromForm(form({ reason: '  ', duration: '365' }))).toEqual({
      ok: false,
      fields: { reason: 'required', duration: 'required' },
    });
  });

  it('sum up a bulk answer: decided, taken by someone else, refused', () => {
    const summary = summarizeBulk({
      results: [
        { itemId, ok: true, item },
        { itemId: otherId, ok: false, code: 'moderation_already_decided', message: 'Taken' },
        { itemId: userId, ok: false, code: 'moderation_not_hidden', message: 'Not hidden' },
      ],
    });
    expect(summary.decided).toEqual([item]);
    expect(summary.alreadyDecided).toBe(1);
    expect(summary.failed).toEqual([{ itemId: userId, message: 'Not hidden' }]);
  });
});

describe('decision actions', () => {
  it('send the decision and hand back the decided item and the statistics after it', async () => {
    const stats = {
      pending: 2,
      pendingByCause: { reported: 2, auto_hidden: 0, held: 0 },
      decidedPerDay: [],
      medianSecondsToDecision: null,
    };
    const { event, calls } = post(
      { itemId, action: 'hide', reasonCode: 'spam', reasonText: '' },
      (url) => (url.endsWith('/stats') ? json(200, stats) : json(200, item)),
    );
    const result = await decisionFormActions.decide(event);
    // The statistics are read after the decision, so they count it.
    expect(calls.map((call) => call[0])).toEqual([
      `/api/moderation/items/${itemId}/decision`,
      '/api/moderation/stats',
    ]);
    expect(sentBody(calls[0])).toEqual({ action: 'hide', reasonCode: 'spam' });
    expect(result).toMatchObject({ form: 'decision', done: 'hide', item: { id: itemId }, stats });
  });

  it('when another moderator was first, answer 409 with the item as it is now', async () => {
    const { event, calls } = post({ itemId, action: 'approve' }, (url) =>
      url.endsWith('/decision')
        ? json(409, { error: { code: 'moderation_already_decided', message: 'Taken' } })
        : json(200, detail),
    );
    const result = await decisionFormActions.decide(event);
    expect(calls.map((call) => call[0])).toEqual([
      `/api/moderation/items/${itemId}/decision`,
      `/api/moderation/items/${itemId}`,
    ]);
    expect(result).toMatchObject({
      status: 409,
      data: { form: 'decision', itemId, error: { code: 'moderation_already_decided' } },
    });
    // Only the queue's fields: the detail's context and history stay out of the answer.
    const answered = (result as unknown as { data: { item: Record<string, unknown> } }).data.item;
    expect(answered).toMatchObject({ id: itemId, status: 'resolved' });
    expect(answered).not.toHaveProperty('authorHistory');
  });

  it('send a signed-out moderator to sign in and back to the page', async () => {
    const { event } = post({ itemId, action: 'approve' }, () =>
      json(401, { error: { code: 'unauthorized', message: 'Sign in' } }),
    );
    await expect(decisionFormActions.decide(event)).rejects.toMatchObject({
      status: 303,
      location: '/login?next=%2Fmoderation',
    });
  });

  it('refuse a bulk post with nothing ticked without calling the API', async () => {
    const { event, calls } = post({ action: 'approve' }, () => json(500, {}));
    const result = await decisionFormActions.bulk(event);
    expect(calls).toHaveLength(0);
    expect(result).toMatchObject({
      status: 400,
      data: { form: 'bulk', error: { message: 'Select at least one item.' } },
    });
  });

  it('decide the ticked items at once and sum up the answer', async () => {
    const { event, calls } = post({ itemId: [itemId, otherId], action: 'review' }, () =>
      json(200, {
        results: [
          { itemId, ok: true, item },
          { itemId: otherId, ok: false, code: 'moderation_already_decided', message: 'Taken' },
        ],
      }),
    );
    const result = await decisionFormActions.bulk(event);
    expect(sentBody(calls[0])).toEqual({
      itemIds: [itemId, otherId],
      decision: { action: 'review' },
    });
    expect(result).toMatchObject({ form: 'bulk', done: 'review', alreadyDecided: 1 });
  });
});

describe('user actions', () => {
  it('ask to confirm a suspension before suspending', async () => {
    const values = { userId, reason: 'спам', duration: '30' };
    const first = post(values, () => json(500, {}));
    expect(await userFormActions.suspend(first.event)).toEqual({
      form: 'suspend',
      confirm: { reason: 'спам', choice: '30', durationDays: 30 },
    });
    expect(first.calls).toHaveLength(0);

    const second = post({ ...values, confirmed: 'yes' }, () => json(200, detail.authorHistory));
    expect(await userFormActions.suspend(second.event)).toEqual({ form: 'suspend', done: true });
    expect(second.calls[0]?.[0]).toBe(`/api/moderation/users/${userId}/suspend`);
    expect(sentBody(second.calls[0])).toEqual({ reason: 'спам', durationDays: 30 });
  });

  it('show the API’s refusal to suspend staff by the form', async () => {
    const { event } = post({ userId, reason: 'x', duration: 'permanent', confirmed: 'yes' }, () =>
      json(403, { error: { code: 'cannot_suspend_staff', message: 'Staff' } }),
    );
    expect(await userFormActions.suspend(event)).toMatchObject({
      status: 403,
      data: { form: 'suspend', error: { code: 'cannot_suspend_staff' } },
    });
  });

  it('refuse an empty note', async () => {
    const { event, calls } = post({ userId, body: '   ' }, () => json(500, {}));
    expect(await userFormActions.note(event)).toMatchObject({
      status: 400,
      data: { form: 'note', error: { fields: { body: { code: 'required' } } } },
    });
    expect(calls).toHaveLength(0);
  });
});
