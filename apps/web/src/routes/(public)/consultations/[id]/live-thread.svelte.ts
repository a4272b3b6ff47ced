import type {
  Comment,
  CommentList,
  CommentModeration,
  CommentOrder,
  CommentReplies,
  CommentThread,
  ConsultationLiveEvent,
  ProposalResponse,
} from '@sabor/contracts';

/**
 * The comment thread a reader sees, kept current by live events without moving text under their
 * eyes: new comments wait in `pending` until the reader asks to see them (a polite live region
 * announces how many), while edits, deletions, support counts and official responses change in
 * place. The reader's own comments appear at once; a comment of theirs that waits for a moderator is
 * shown to them only, marked, and counted once it is approved. Hidden comments lose their text
 * (except for their author) and get it back when restored.
 */
export class LiveThread {
  proposals = $state<CommentThread[]>([]);
  pending = $state<Comment[]>([]);
  nextCursor = $state<string | null>(null);
  total = $state(0);
  readonly order: CommentOrder;

  constructor(page: CommentList, order: CommentOrder) {
    this.order = order;
    this.reset(page);
  }

  /** Starts again from a first page (after a resync). */
  reset(page: CommentList): void {
    this.proposals = page.items;
    this.pending = [];
    this.nextCursor = page.nextCursor;
    this.total = page.total;
  }

  /** The reader's own edit, shown at once. */
  replace(comment: Comment): void {
    this.#update(comment.id, (c) => {
      c.body = comment.body;
      c.bodyHtml = comment.bodyHtml;
      c.stance = comment.stance;
      c.editedAt = comment.editedAt;
    });
  }

  /** Appends the next page ("show more"), skipping proposals already shown. */
  appendPage(page: CommentList): void {
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a local lookup, not state
    const known = new Set(this.proposals.map((p) => p.id));
    this.proposals.push(...page.items.filter((p) => !known.has(p.id)));
    this.nextCursor = page.nextCursor;
    this.total = page.total;
  }

  /** Appends a proposal's further replies, skipping any already shown. */
  appendReplies(proposalId: string, page: CommentReplies): void {
    const proposal = this.proposals.find((p) => p.id === proposalId);
    if (!proposal) return;
    const known = new Set(proposal.replies.map((r) => r.id)); // eslint-disable-line svelte/prefer-svelte-reactivity
    const added = page.items.filter((r) => !known.has(r.id));
    proposal.replies.push(...added);
    proposal.moreReplies = Math.max(0, proposal.moreReplies - added.length);
    proposal.repliesCursor = page.nextCursor;
    if (page.nextCursor === null) proposal.moreReplies = 0;
  }

  /** Applies one live event on the consultation's topic; returns false for other kinds. */
  apply(event: ConsultationLiveEvent): boolean {
    switch (event.type) {
      case 'comment_created': {
        // The reader's own held comment comes back as "created" when a moderator approves it.
        const known = this.find(event.comment.id);
        if (known?.moderation.state === 'held') this.#admit(known, event.comment.moderation);
        else if (!known && !this.pending.some((c) => c.id === event.comment.id)) {
          this.pending.push(event.comment);
        }
        return true;
      }
      case 'comment_edited':
        this.#update(event.id, (c) => {
          c.body = event.body;
          c.bodyHtml = event.bodyHtml;
          c.stance = event.stance;
          c.editedAt = event.editedAt;
        });
        return true;
      case 'comment_deleted':
        this.#update(event.id, (c) => {
          c.body = '';
          c.bodyHtml = '';
          c.deleted = true;
          c.editableUntil = null;
        });
        return true;
      case 'comment_hidden':
        this.#update(event.id, (c) => {
          c.moderation = event.moderation;
          // The author keeps seeing what they wrote; everyone else only the reason.
          if (!c.mine) {
            c.body = '';
            c.bodyHtml = '';
          }
          c.editableUntil = null;
        });
        return true;
      case 'comment_restored':
        this.#update(event.comment.id, (c) => {
          c.moderation = event.comment.moderation;
          c.body = event.comment.body;
          c.bodyHtml = event.comment.bodyHtml;
          c.stance = event.comment.stance;
          c.editedAt = event.comment.editedAt;
          c.supportCount = event.comment.supportCount;
        });
        return true;
      case 'support_changed':
        this.#update(event.id, (c) => (c.supportCount = event.supportCount));
        return true;
      case 'response_published': {
        const response: ProposalResponse = {
          commentId: event.commentId,
          decision: event.decision,
          reason: event.reason,
          createdAt: event.updatedAt,
          updatedAt: event.updatedAt,
        };
        this.#update(event.commentId, (c) => (c.response = response));
        return true;
      }
      default:
        return false;
    }
  }

  /** Shows the waiting comments where they belong. */
  showPending(): void {
    const waiting = this.pending;
    this.pending = [];
    for (const comment of waiting) this.#place(comment);
  }

  /** The reader's own new comment: shown at once (its live event is then skipped as known). */
  addOwn(comment: Comment): void {
    this.pending = this.pending.filter((c) => c.id !== comment.id);
    if (!this.find(comment.id)) this.#place(comment);
  }

  /** The reader's report was received (or had been earlier): the comment shows it as reported. */
  markReported(id: string): void {
    this.#update(id, (c) => (c.reportedByMe = true));
  }

  /** Applies the reader's own support change at once. */
  setSupport(id: string, supportCount: number, supportedByMe: boolean): void {
    this.#update(id, (c) => {
      c.supportCount = supportCount;
      c.supportedByMe = supportedByMe;
    });
  }

  #place(comment: Comment): void {
    // A held comment is not part of the thread's counts until a moderator approves it.
    const counted = comment.moderation.state !== 'held';
    if (comment.parentId === null) {
      const thread: CommentThread = {
        ...comment,
        replies: [],
        moreReplies: 0,
        repliesCursor: null,
      };
      if (counted) this.total += 1;
      if (this.order === 'newest') this.proposals.unshift(thread);
      // In the other orders a new proposal belongs at the end; while more pages remain it
      // arrives with them instead.
      else if (this.nextCursor === null) this.proposals.push(thread);
      return;
    }
    const root = this.proposals.find((p) => p.id === comment.rootId);
    if (!root) return; // its proposal is on a page not loaded yet
    if (root.replies.some((r) => r.id === comment.id)) return;
    root.replies.push(comment);
    if (counted) this.#update(comment.parentId, (c) => (c.replyCount += 1));
  }

  /** A held comment approved: shown like any other and counted now. */
  #admit(comment: Comment, moderation: CommentModeration): void {
    comment.moderation = moderation;
    if (comment.parentId === null) this.total += 1;
    else this.#update(comment.parentId, (c) => (c.replyCount += 1));
  }

  /** A comment on the loaded pages (a proposal or one of its replies). */
  find(id: string): Comment | undefined {
    for (const proposal of this.proposals) {
      if (proposal.id === id) return proposal;
      const reply = proposal.replies.find((r) => r.id === id);
      if (reply) return reply;
    }
    return undefined;
  }

  /** Changes a comment shown or still waiting to be shown. */
  #update(id: string, change: (comment: Comment) => void): void {
    const comment = this.find(id) ?? this.pending.find((c) => c.id === id);
    if (comment) change(comment);
  }
}
