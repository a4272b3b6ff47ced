import type {
  ModerationCause,
  ModerationItem,
  ModerationQueue,
  ModerationQueueQuery,
  ReportReason,
} from '@sabor/contracts';
import { SvelteSet } from 'svelte/reactivity';

/** The queue view being shown: the same values as the page's GET form. */
export interface QueueFilters {
  status: ModerationQueueQuery['status'];
  order: ModerationQueueQuery['order'];
  consultationId?: string | undefined;
  cause?: ModerationCause | undefined;
  reason?: ReportReason | undefined;
  page: number;
}

/** What a live change did to the view. */
export type QueueChange =
  /** Entered this view (shown in place). */
  | 'added'
  /** Entered the view on another page than the one shown (counted in `elsewhere`). */
  | 'added_elsewhere'
  | 'updated'
  /** Left this view, e.g. decided by someone (selection and cursor moved past it). */
  | 'removed'
  | 'ignored';

/** The sort key of the queue's orders, as the API sorts (newest first, ties by id). */
function compare(order: QueueFilters['order'], a: ModerationItem, b: ModerationItem): number {
  if (order === 'most_reported' && a.reportCount !== b.reportCount) {
    return b.reportCount - a.reportCount;
  }
  if (a.enteredAt !== b.enteredAt) return Date.parse(b.enteredAt) - Date.parse(a.enteredAt);
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/**
 * One page of the moderators' queue kept current by `item_changed` events, without losing the
 * moderator's place: items are found by id, the keyboard cursor (`current`) and the ticked items
 * (`selected`) survive additions and removals, and an item that leaves moves the cursor to its
 * neighbour. New items show up where they sort when that is on the page shown; otherwise they are
 * only counted (a later page would show the first page's items twice if they slid in).
 */
export class LiveQueue {
  items = $state<ModerationItem[]>([]);
  total = $state(0);
  /** The API stopped counting at `total` (moderationQueueCountCap): there are more. */
  totalCapped = $state(false);
  /** The item the keyboard cursor is on. */
  current = $state<string | null>(null);
  /** Items that entered the view on other pages since it was loaded. */
  elsewhere = $state(0);
  readonly selected = new SvelteSet<string>();
  readonly filters: QueueFilters;

  constructor(queue: ModerationQueue, filters: QueueFilters) {
    this.filters = filters;
    this.reset(queue);
  }

  /** Starts again from freshly loaded data (after a resync), keeping what still exists. */
  reset(queue: ModerationQueue): void {
    this.items = queue.items;
    this.total = queue.total;
    this.totalCapped = queue.totalCapped;
    this.elsewhere = 0;
    const ids = new Set(queue.items.map((item) => item.id)); // eslint-disable-line svelte/prefer-svelte-reactivity -- a local lookup
    for (const id of [...this.selected]) if (!ids.has(id)) this.selected.delete(id);
    if (this.current !== null && !ids.has(this.current)) this.current = null;
  }

  /** Whether an item belongs in this view (the filters the API applied). */
  matches(item: ModerationItem): boolean {
    const { status, consultationId, cause, reason } = this.filters;
    return (
      item.status === status &&
      (!consultationId || item.comment.consultationId === consultationId) &&
      (!cause || item.cause === cause) &&
      (!reason || (item.reportReasons[reason] ?? 0) > 0)
    );
  }

  /** Applies an item as it is now (a live event, or the answer to the moderator's own action). */
  apply(item: ModerationItem): QueueChange {
    const index = this.items.findIndex((shown) => shown.id === item.id);
    const belongs = this.matches(item);
    if (index >= 0 && belongs) {
      this.items[index] = item;
      return 'updated';
    }
    if (index >= 0) {
      this.remove(item.id);
      return 'removed';
    }
    if (!belongs) return 'ignored';
    const hasMore = this.totalCapped || this.total > this.items.length;
    // Past the cap the total is not known, and one more does not change "10,000+".
    if (!this.totalCapped) this.total += 1;
    const at = this.items.findIndex((shown) => compare(this.filters.order, item, shown) < 0);
    // Its place is on this page: among the items shown, or after the last one of the last page.
    if (this.filters.page === 1 ? at >= 0 || !hasMore : at > 0) {
      this.items.splice(at < 0 ? this.items.length : at, 0, item);
      return 'added';
    }
    this.elsewhere += 1;
    return 'added_elsewhere';
  }

  /** Takes an item off the view; the cursor moves to the next item (or the previous at the end). */
  remove(id: string): void {
    const index = this.items.findIndex((item) => item.id === id);
    if (index < 0) return;
    this.items.splice(index, 1);
    if (!this.totalCapped) this.total = Math.max(0, this.total - 1);
    this.selected.delete(id);
    if (this.current === id) {
      this.current = (this.items[index] ?? this.items[index - 1])?.id ?? null;
    }
  }

  /** Moves the cursor by `step` items (the first item when there is none yet); returns its id. */
  move(step: number): string | null {
    if (this.items.length === 0) return (this.current = null);
    const index = this.items.findIndex((item) => item.id === this.current);
    const next =
      index < 0
        ? step > 0
          ? 0
          : this.items.length - 1
        : Math.min(this.items.length - 1, Math.max(0, index + step));
    this.current = this.items[next]?.id ?? null;
    return this.current;
  }

  /** The item under the cursor, if any. */
  get currentItem(): ModerationItem | undefined {
    return this.items.find((item) => item.id === this.current);
  }

  toggle(id: string, on: boolean = !this.selected.has(id)): void {
    if (on) this.selected.add(id);
    else this.selected.delete(id);
  }

  /** Ticks or clears every item on the page. */
  selectAll(on: boolean): void {
    if (!on) this.selected.clear();
    else for (const item of this.items) this.selected.add(item.id);
  }

  /** The ticked items in the order shown. */
  get selectedIds(): string[] {
    return this.items.filter((item) => this.selected.has(item.id)).map((item) => item.id);
  }
}
