import type { Comment, CommentList, CommentModeration, CommentThread } from '@sabor/contracts';
import { describe, expect, it } from 'vitest';
import { LiveThread } from './live-thread.svelte';

let seq = 0;
function comment(overrides: Partial<Comment> = {}): Comment {
  seq += 1;
  const id = overrides.id ?? `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`;
  return {
    id,
    consultationId: '10000000-0000-4000-8000-000000000000',
    parentId: null,
    rootId: id,
    depth: 0,
    author: { id: '20000000-0000-4000-8000-000000000000', displayName: 'Елена' },
    stance: 'for',
    bodyHtml: `<p>${id}</p>`,
    body: id,
    versionNumber: 1,
    supportCount: 0,
    supportedByMe: false,
    replyCount: 0,
    createdAt: '2026-11-28T08:00:00.000Z',
    editedAt: null,
    deleted: false,
    mine: false,
    editableUntil: null,
    response: null,
    moderation: { state: 'visible', reasonCode: null, reasonText: null, holdReason: null },
    reportedByMe: false,
    ...overrides,
  };
}
const thread = (c: Comment, replies: Comment[] = []): CommentThread => ({
  ...c,
  replies,
  moreReplies: 0,
  repliesCursor: null,
});
const page = (items: CommentThread[], nextCursor: string | null = null): CommentList => ({
  items,
  nextCursor,
  total: items.length,
  lastEventId: 0,
});

describe('LiveThread', () => {
  it('keeps new comments aside until the reader asks, then shows them in place', () => {
    const first = comment();
    const live = new LiveThread(page([thread(first)]), 'newest');
    const arriving = comment();
    live.apply({ type: 'comment_created', comment: arriving });
    live.apply({ type: 'comment_created', comment: arriving }); // a replay: once
    expect(live.pending.map((c) => c.id)).toEqual([arriving.id]);
    expect(live.proposals.map((p) => p.id)).toEqual([first.id]);

    const reply = comment({ parentId: first.id, rootId: first.id, depth: 1, stance: null });
    live.apply({ type: 'comment_created', comment: reply });
    live.showPending();
    expect(live.pending).toEqual([]);
    expect(live.proposals.map((p) => p.id)).toEqual([arriving.id, first.id]);
    expect(live.proposals[1]!.replies.map((r) => r.id)).toEqual([reply.id]);
    expect(live.proposals[1]!.replyCount).toBe(1);
    expect(live.total).toBe(2);
  });

  it("shows the reader's own comment at once and skips its live event", () => {
    const live = new LiveThread(page([]), 'newest');
    const own = comment({ mine: true });
    live.apply({ type: 'comment_created', comment: { ...own, mine: false } });
    live.addOwn(own);
    live.apply({ type: 'comment_created', comment: { ...own, mine: false } });
    expect(live.pending).toEqual([]);
    expect(live.proposals.map((p) => [p.id, p.mine])).toEqual([[own.id, true]]);
  });

  it('changes edits, deletions, supports and responses in place', () => {
    const target = comment();
    const live = new LiveThread(page([thread(target)]), 'newest');
    live.apply({
      type: 'comment_edited',
      id: target.id,
      body: 'ново',
      bodyHtml: '<p>ново</p>',
      stance: 'against',
      editedAt: '2026-11-28T08:05:00.000Z',
    });
    live.apply({ type: 'support_changed', id: target.id, supportCount: 3 });
    live.apply({
      type: 'response_published',
      commentId: target.id,
      decision: 'accepted',
      reason: 'Да',
      updatedAt: '2026-11-28T09:00:00.000Z',
    });
    expect(live.proposals[0]).toMatchObject({
      body: 'ново',
      stance: 'against',
      supportCount: 3,
      response: { decision: 'accepted', reason: 'Да' },
    });
    live.apply({ type: 'comment_deleted', id: target.id });
    expect(live.proposals[0]).toMatchObject({ deleted: true, body: '', bodyHtml: '' });
  });

  it('puts new proposals at the end in other orders only once every page is loaded', () => {
    const first = comment();
    const paged = new LiveThread(page([thread(first)], 'next'), 'oldest');
    paged.apply({ type: 'comment_created', comment: comment() });
    paged.showPending();
    expect(paged.proposals).toHaveLength(1);

    const complete = new LiveThread(page([thread(first)]), 'supported');
    const late = comment();
    complete.apply({ type: 'comment_created', comment: late });
    complete.showPending();
    expect(complete.proposals.map((p) => p.id)).toEqual([first.id, late.id]);
  });

  it('appends later pages and replies without repeating what is shown', () => {
    const a = comment();
    const b = comment();
    const live = new LiveThread(page([thread(a)], 'c1'), 'newest');
    live.appendPage(page([thread(a), thread(b)]));
    expect(live.proposals.map((p) => p.id)).toEqual([a.id, b.id]);
    expect(live.nextCursor).toBeNull();

    const r1 = comment({ parentId: a.id, rootId: a.id, depth: 1 });
    const r2 = comment({ parentId: a.id, rootId: a.id, depth: 1 });
    live.proposals[0]!.replies.push(r1);
    live.proposals[0]!.moreReplies = 1;
    live.appendReplies(a.id, { items: [r1, r2], nextCursor: null });
    expect(live.proposals[0]!.replies.map((r) => r.id)).toEqual([r1.id, r2.id]);
    expect(live.proposals[0]!.moreReplies).toBe(0);
  });
});

describe('LiveThread moderation', () => {
  const moderation = (overrides: Partial<CommentModeration>): CommentModeration => ({
    state: 'visible',
    reasonCode: null,
    reasonText: null,
    holdReason: null,
    ...overrides,
  });
  const held = moderation({ state: 'held', holdReason: 'premoderation' });
  const visible = moderation({});
  const hidden = moderation({ state: 'hidden', reasonCode: 'spam', reasonText: 'реклама' });
  /** Hidden after enough reports, before any moderator looked. */
  const pendingReview = moderation({ state: 'hidden' });

  it("drops a hidden comment's text for readers and shows the reason", () => {
    const target = comment({ body: 'купете сега', bodyHtml: '<p>купете сега</p>' });
    const live = new LiveThread(page([thread(target)]), 'newest');
    live.apply({ type: 'comment_hidden', id: target.id, moderation: hidden });
    expect(live.proposals[0]).toMatchObject({ body: '', bodyHtml: '', moderation: hidden });
  });

  it('keeps the text of a hidden comment for its author, who may no longer edit it', () => {
    const own = comment({
      mine: true,
      body: 'моят текст',
      editableUntil: '2026-11-28T08:15:00.000Z',
    });
    const live = new LiveThread(page([thread(own)]), 'newest');
    live.apply({ type: 'comment_hidden', id: own.id, moderation: hidden });
    expect(live.proposals[0]).toMatchObject({
      body: 'моят текст',
      editableUntil: null,
      moderation: { state: 'hidden', reasonCode: 'spam' },
    });
  });

  it('hides a reply and a comment still waiting to be shown', () => {
    const root = comment();
    const reply = comment({ parentId: root.id, rootId: root.id, depth: 1, stance: null });
    const live = new LiveThread(page([thread(root, [reply])]), 'newest');
    const arriving = comment();
    live.apply({ type: 'comment_created', comment: arriving });
    live.apply({ type: 'comment_hidden', id: reply.id, moderation: pendingReview });
    live.apply({ type: 'comment_hidden', id: arriving.id, moderation: pendingReview });
    expect(live.proposals[0]!.replies[0]).toMatchObject({ body: '', moderation: pendingReview });
    expect(live.pending[0]).toMatchObject({ body: '', moderation: pendingReview });
  });

  it('puts a restored comment back with its text, keeping what is personal to the reader', () => {
    const target = comment({ supportedByMe: true, reportedByMe: true });
    const live = new LiveThread(page([thread(target)]), 'newest');
    live.apply({ type: 'comment_hidden', id: target.id, moderation: hidden });
    live.apply({
      type: 'comment_restored',
      comment: { ...target, supportedByMe: false, reportedByMe: false, supportCount: 4 },
    });
    expect(live.proposals[0]).toMatchObject({
      body: target.body,
      bodyHtml: target.bodyHtml,
      moderation: visible,
      supportCount: 4,
      supportedByMe: true,
      reportedByMe: true,
    });
  });

  it('ignores a restored comment that is not on the loaded pages', () => {
    const live = new LiveThread(page([]), 'newest');
    live.apply({ type: 'comment_restored', comment: comment() });
    expect(live.proposals).toEqual([]);
    expect(live.pending).toEqual([]);
  });

  it("shows the author's held comment without counting it until it is approved", () => {
    const root = comment();
    const live = new LiveThread(page([thread(root)]), 'newest');
    const own = comment({ mine: true, moderation: held });
    const ownReply = comment({
      mine: true,
      parentId: root.id,
      rootId: root.id,
      depth: 1,
      stance: null,
      moderation: held,
    });
    live.addOwn(own);
    live.addOwn(ownReply);
    expect(live.proposals.map((p) => p.id)).toEqual([own.id, root.id]);
    expect(live.total).toBe(1);
    expect(live.proposals[1]!.replyCount).toBe(0);

    // Approval arrives as a public "created" event: the comment stays where it is, now counted.
    live.apply({ type: 'comment_created', comment: { ...own, mine: false, moderation: visible } });
    live.apply({
      type: 'comment_created',
      comment: { ...ownReply, mine: false, moderation: visible },
    });
    expect(live.pending).toEqual([]);
    expect(live.proposals[0]).toMatchObject({ id: own.id, mine: true, moderation: visible });
    expect(live.proposals[1]!.replies[0]).toMatchObject({ mine: true, moderation: visible });
    expect(live.total).toBe(2);
    expect(live.proposals[1]!.replyCount).toBe(1);

    // A replayed event changes nothing more.
    live.apply({ type: 'comment_created', comment: { ...own, mine: false, moderation: visible } });
    expect(live.total).toBe(2);
  });

  it('marks a comment the reader reported', () => {
    const target = comment();
    const live = new LiveThread(page([thread(target)]), 'newest');
    live.markReported(target.id);
    expect(live.proposals[0]!.reportedByMe).toBe(true);
  });
});
