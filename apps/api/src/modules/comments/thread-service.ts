import {
  repliesPerThread,
  type CommentList,
  type CommentListQuery,
  type CommentReplies,
  type CommentRepliesQuery,
} from '@sabor/contracts';
import type { Executor } from '@sabor/db';
import { latestEventId } from '../../live/outbox';
import { notFound } from '../../errors';
import { decodeCursor, encodeCursor, type CommentKey } from './cursor';
import * as repository from './repository';
import type { CommentViewRow } from './repository';
import type { CommentDeps } from './service';
import { listResponses } from '../report/repository';
import { toComment, type ViewContext } from './view';

/**
 * Who is reading: their own comments, supports and reports are marked; moderators and admins
 * also see held comments and hidden text; admins also see drafts' threads.
 */
export interface Viewer {
  userId: string | null;
  isAdmin: boolean;
  /** A moderator or an admin. */
  isModerator: boolean;
}

const readerOf = (viewer: Viewer): repository.ThreadReader => ({
  userId: viewer.userId,
  staff: viewer.isModerator,
});

const keyOf = (row: CommentViewRow, kind: CommentKey['kind']): CommentKey =>
  kind === 'supported'
    ? { kind, supportCount: row.supportCount, createdAt: row.createdAtKey, id: row.id }
    : { kind, createdAt: row.createdAtKey, id: row.id };

/** The consultation as the thread's readers may see it: drafts exist only for admins. */
async function visibleState(deps: CommentDeps, consultationId: string, viewer: Viewer) {
  const state = await repository.findConsultationState(deps.db, consultationId);
  if (!state || (state === 'draft' && !viewer.isAdmin)) throw notFound();
  return state;
}

/** What the views of `rows` need to know about this viewer: supports, reports, hold reasons. */
export async function viewContext(
  db: Executor,
  viewer: Viewer,
  rows: CommentViewRow[],
  open: boolean,
): Promise<ViewContext> {
  const ids = rows.map((row) => row.id);
  const [supported, reported] = viewer.userId
    ? await Promise.all([
        repository.supportedBy(db, viewer.userId, ids),
        repository.reportedBy(db, viewer.userId, ids),
      ])
    : [new Set<string>(), new Set<string>()];
  const proposalIds = rows.filter((row) => row.parentId === null).map((row) => row.id);
  const responses = new Map(
    (await listResponses(db, proposalIds)).map((response) => [response.commentId, response]),
  );
  // Only held comments have a hold reason, and the list shows them only to those who may read it.
  const heldIds = rows.filter((row) => row.moderationState === 'held').map((row) => row.id);
  const holdReasons = await repository.holdReasonsOf(db, heldIds);
  return {
    viewerId: viewer.userId,
    supported,
    reported,
    open,
    now: new Date(),
    responses,
    staff: viewer.isModerator,
    holdReasons,
  };
}

/**
 * A page of a consultation's thread: proposals in the chosen order, each with its first replies
 * (every depth, oldest first) and how many more there are.
 */
export async function listComments(
  deps: CommentDeps,
  consultationId: string,
  query: CommentListQuery,
  viewer: Viewer,
): Promise<CommentList> {
  const after = query.cursor ? decodeCursor(query.cursor, query.order) : null;
  const state = await visibleState(deps, consultationId, viewer);
  // Taken before the thread is read: every change committed after it is replayed to the page.
  const lastEventId = await latestEventId(deps.db);
  const reader = readerOf(viewer);
  const [page, total] = await Promise.all([
    repository.listProposals(deps.db, consultationId, query.order, after, query.limit, reader),
    repository.countProposals(deps.db, consultationId),
  ]);
  const proposals = page.slice(0, query.limit);
  const replyRows = await repository.listFirstReplies(
    deps.db,
    proposals.map((row) => row.id),
    repliesPerThread,
    reader,
  );
  const repliesByRoot = new Map<string, CommentViewRow[]>();
  for (const reply of replyRows) {
    const rootId = reply.rootId ?? reply.id;
    const list = repliesByRoot.get(rootId) ?? [];
    list.push(reply);
    repliesByRoot.set(rootId, list);
  }
  const shownReplies = proposals.flatMap((row) =>
    (repliesByRoot.get(row.id) ?? []).slice(0, repliesPerThread),
  );
  const context = await viewContext(
    deps.db,
    viewer,
    [...proposals, ...shownReplies],
    state === 'open',
  );
  const items = await Promise.all(
    proposals.map(async (row) => {
      const replies = repliesByRoot.get(row.id) ?? [];
      const shown = replies.slice(0, repliesPerThread);
      const last = shown.at(-1);
      const more =
        replies.length > repliesPerThread && last
          ? await repository.countRepliesAfter(deps.db, row.id, keyOf(last, 'replies'), reader)
          : 0;
      return {
        ...toComment(row, context),
        replies: shown.map((reply) => toComment(reply, context)),
        moreReplies: more,
        repliesCursor: more > 0 && last ? encodeCursor(keyOf(last, 'replies')) : null,
      };
    }),
  );
  const lastProposal = proposals.at(-1);
  return {
    items,
    nextCursor:
      page.length > query.limit && lastProposal
        ? encodeCursor(keyOf(lastProposal, query.order))
        : null,
    total,
    lastEventId,
  };
}

/** Further replies under one proposal (every depth, oldest first), after a cursor. */
export async function listReplies(
  deps: CommentDeps,
  consultationId: string,
  proposalId: string,
  query: CommentRepliesQuery,
  viewer: Viewer,
): Promise<CommentReplies> {
  const after = query.cursor ? decodeCursor(query.cursor, 'replies') : null;
  const state = await visibleState(deps, consultationId, viewer);
  const proposal = await repository.findComment(deps.db, proposalId);
  if (!proposal || proposal.consultationId !== consultationId || proposal.parentId !== null) {
    throw notFound();
  }
  const reader = readerOf(viewer);
  if (proposal.moderationState === 'held' && !reader.staff && proposal.authorId !== reader.userId) {
    throw notFound();
  }
  const rows = await repository.listReplies(deps.db, proposalId, after, query.limit, reader);
  const shown = rows.slice(0, query.limit);
  const context = await viewContext(deps.db, viewer, shown, state === 'open');
  const last = shown.at(-1);
  return {
    items: shown.map((row) => toComment(row, context)),
    nextCursor: rows.length > query.limit && last ? encodeCursor(keyOf(last, 'replies')) : null,
  };
}
