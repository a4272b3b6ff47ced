import type { ModerationAction, ModerationItem, ModerationStats } from '@sabor/contracts';
import type { FormError } from '$lib/form-error';

/** A decision a moderator can take on a queue item (the forms' `action` field). */
export type DecisionAction = ModerationAction['action'];

/** What an enhanced decision came to, for a page that updates itself instead of reloading. */
export type DecisionOutcome =
  | {
      type: 'decided';
      action: DecisionAction;
      item: ModerationItem;
      /** The queue's statistics right after the decision, when they could be read. */
      stats: ModerationStats | null;
    }
  | { type: 'refused'; error: FormError; item: ModerationItem | null };

/** A decision on an item that failed (the action's answer), to show by its form. */
export interface DecisionFailure {
  error: FormError;
  reasonCode: string;
  reasonText: string;
}

/** The answer of a user-actions form (warn, suspend, unsuspend, note) on this page. */
export interface UserFormResult {
  form: 'warn' | 'suspend' | 'unsuspend' | 'note';
  done?: boolean | undefined;
  error?: FormError | undefined;
  /** Suspend, first step: the values to confirm. */
  confirm?: { reason: string; durationDays: number | null; choice: string } | undefined;
  reason?: string | undefined;
  duration?: string | undefined;
  body?: string | undefined;
}
