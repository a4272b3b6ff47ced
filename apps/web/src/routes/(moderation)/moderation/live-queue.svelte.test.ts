import type { ModerationItem, ModerationQueue } from '@sabor/contracts';
import { describe, expect, it } from 'vitest';
import { LiveQueue, type QueueFilters } from './live-queue.svelte';

const consultationA = '10000000-0000-4000-8000-00000000000a';
const consultationB = '10000000-0000-4000-8000-00000000000b';
let seq = 0;

/** A pending reported item that entered the queue `minute` minutes after 08:00. */
function item(minute: number, overrides: Partial<ModerationItem> = {}): ModerationItem {
  seq += 1;
  const id = `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`;
  const person = { id: '20000000-0000-4000-8000-000000000000', displayName: 'Елена' };
  return {
    id,
    subjectType: 'comment',
    comment: {
      id: `30000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
      consultationId: consultationA,
      consultationTitle: 'Паркове',
      consultationSlug: null,
      parentId: null,
      depth: 0,
      body: 'текст',
      bodyHtml: '<p>текст</p>',
      createdAt: '2026-11-28T07:00:00.000Z',
      editedAt: null,
      deleted: false,
      moderation: { state: 'visible', reasonCode: null, reasonText: null, holdReason: null },
    },
    author: { ...person, accountCreatedAt: '2026-01-01T00:00:00.000Z', suspended: false },
    status: 'pending',
    cause: 'reported',
    holdReason: null,
    matchedWords: [],
    reportCount: 1,
    reportReasons: { spam: 1 },
    lastReportedAt: '2026-11-28T08:00:00.000Z',
    enteredAt: new Date(Date.UTC(2026, 10, 28, 8, minute)).toISOString(),
    decision: null,
    decidedAt: null,
    decidedBy: null,
    ...overrides,
  };
}

const resolved = (shown: ModerationItem): ModerationItem => ({
  ...shown,
  status: 'resolved',
  decision: 'hidden',
  decidedAt: '2026-11-28T09:00:00.000Z',
  decidedBy: { id: '40000000-0000-4000-8000-000000000000', displayName: 'Георги' },
});

const queueOf = (
  items: ModerationItem[],
  total = items.length,
  totalCapped = false,
): ModerationQueue => ({
  items,
  page: 1,
  pageSize: 25,
  total,
  totalCapped,
  lastEventId: 0,
});
const pendingView: QueueFilters = { status: 'pending', order: 'newest', page: 1 };

describe('LiveQueue', () => {
  it('shows a new pending item where it sorts, once, and counts it', () => {
    const older = item(1);
    const newer = item(5);
    const live = new LiveQueue(queueOf([newer, older]), pendingView);
    const between = item(3);
    expect(live.apply(between)).toBe('added');
    expect(live.apply(between)).toBe('updated'); // a replayed event changes nothing else
    const newest = item(9);
    live.apply(newest);
    expect(live.items.map((i) => i.id)).toEqual([newest.id, newer.id, between.id, older.id]);
    expect(live.total).toBe(4);
  });

  it('takes out an item decided elsewhere, keeping the selection and moving the cursor on', () => {
    const [a, b, c] = [item(9), item(8), item(7)];
    const live = new LiveQueue(queueOf([a, b, c]), pendingView);
    live.toggle(a.id);
    live.toggle(b.id);
    live.current = b.id;
    expect(live.apply(resolved(b))).toBe('removed');
    expect(live.items.map((i) => i.id)).toEqual([a.id, c.id]);
    expect(live.selectedIds).toEqual([a.id]);
    expect(live.current).toBe(c.id);
    expect(live.total).toBe(2);
    // The last item leaving moves the cursor back to the one before it.
    live.apply(resolved(c));
    expect(live.current).toBe(a.id);
    live.apply(resolved(a));
    expect(live.current).toBeNull();
  });

  it('ignores items outside the view’s filters and drops those that stop matching', () => {
    const shown = item(5);
    const view: QueueFilters = { ...pendingView, consultationId: consultationA, reason: 'spam' };
    const live = new LiveQueue(queueOf([shown]), view);
    const elsewhere = item(6);
    elsewhere.comment.consultationId = consultationB;
    expect(live.apply(elsewhere)).toBe('ignored');
    expect(live.apply(item(7, { reportReasons: { offensive: 1 } }))).toBe('ignored');
    // Reports dismissed: no spam report any more, so it leaves the "spam" view.
    expect(live.apply({ ...shown, reportReasons: {} })).toBe('removed');
    expect(live.items).toEqual([]);
  });

  it('in the decided view, shows newly decided items and drops items back in the queue', () => {
    const decided = resolved(item(1));
    const live = new LiveQueue(queueOf([decided]), { ...pendingView, status: 'resolved' });
    const justDecided = resolved(item(2));
    expect(live.apply(justDecided)).toBe('added');
    expect(live.apply(item(1, { id: decided.id }))).toBe('removed');
    expect(live.items.map((i) => i.id)).toEqual([justDecided.id]);
  });

  it('orders by report count in the most-reported view', () => {
    const many = item(1, { reportCount: 5 });
    const few = item(9, { reportCount: 1 });
    const live = new LiveQueue(queueOf([many, few]), { ...pendingView, order: 'most_reported' });
    const some = item(2, { reportCount: 3 });
    live.apply(some);
    expect(live.items.map((i) => i.id)).toEqual([many.id, some.id, few.id]);
    // More reports on a shown item update it in place (the list does not jump under the reader).
    live.apply({ ...few, reportCount: 7 });
    expect(live.items.map((i) => i.id)).toEqual([many.id, some.id, few.id]);
    expect(live.items[2]?.reportCount).toBe(7);
  });

  it('counts an item that belongs on another page instead of showing it', () => {
    const shown = [item(9), item(8)];
    // First page of two: an older item than the last one shown belongs on page 2.
    const first = new LiveQueue(queueOf(shown, 30), pendingView);
    expect(first.apply(item(1))).toBe('added_elsewhere');
    expect(first.items).toHaveLength(2);
    expect(first.elsewhere).toBe(1);
    // On page 2, a brand-new item belongs on page 1.
    const second = new LiveQueue(queueOf(shown, 30), { ...pendingView, page: 2 });
    expect(second.apply(item(30))).toBe('added_elsewhere');
    expect(second.elsewhere).toBe(1);
    expect(second.total).toBe(31);
  });

  it('keeps saying "10,000+" while items come and go past the cap', () => {
    const shown = [item(9), item(8)];
    const live = new LiveQueue(queueOf(shown, 10_000, true), pendingView);
    expect(live.apply(item(1))).toBe('added_elsewhere');
    expect(live.apply(resolved(shown[0]!))).toBe('removed');
    expect(live).toMatchObject({ total: 10_000, totalCapped: true });
  });

  it('moves the cursor within the page and ticks or clears the whole page', () => {
    const [a, b] = [item(9), item(8)];
    const live = new LiveQueue(queueOf([a, b]), pendingView);
    expect(live.move(-1)).toBe(b.id); // from nowhere, "previous" starts at the end
    expect(live.move(1)).toBe(b.id); // and stops at the edges
    expect(live.move(-1)).toBe(a.id);
    expect(live.currentItem?.id).toBe(a.id);
    live.selectAll(true);
    expect(live.selectedIds).toEqual([a.id, b.id]);
    live.selectAll(false);
    expect(live.selectedIds).toEqual([]);
  });

  it('after a reload keeps the cursor and ticks of items still there', () => {
    const [a, b, c] = [item(9), item(8), item(7)];
    const live = new LiveQueue(queueOf([a, b]), pendingView);
    live.toggle(a.id);
    live.toggle(b.id);
    live.current = b.id;
    live.reset(queueOf([a, c]));
    expect(live.selectedIds).toEqual([a.id]);
    expect(live.current).toBeNull();
    expect(live.items.map((i) => i.id)).toEqual([a.id, c.id]);
  });
});
