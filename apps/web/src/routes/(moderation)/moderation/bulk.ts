import type { ModerationItem, ModerationStats } from '@sabor/contracts';
import type { FormError } from '$lib/form-error';
import type { DecisionAction } from '$lib/moderation/forms';

/** The bulk action's answer: what was decided and what was not. */
export interface BulkOutcome {
  done: DecisionAction;
  decided: ModerationItem[];
  alreadyDecided: number;
  failed: { itemId: string; message: string }[];
  /** The queue's statistics right after the decisions, when they could be read. */
  stats?: ModerationStats | null;
}

/** A bulk post that failed as a whole (nothing ticked, no reason), to show in the bar. */
export interface BulkFailure {
  error: FormError;
  reasonCode: string;
  reasonText: string;
}
