import type { DecisionAction } from '$lib/moderation/forms';

/*
 * What the keyboard shortcuts do on the page: they press the same buttons and open the same
 * pickers a pointer would, found by the ids and attributes the queue's markup gives them.
 */

export const itemBoxId = (itemId: string) => `item-${itemId}`;

/** Focuses an item's box and brings it into view; false when it is not on the page. */
export function focusItem(itemId: string): boolean {
  const box = document.getElementById(itemBoxId(itemId));
  box?.focus();
  box?.scrollIntoView({ block: 'nearest' });
  return box !== null;
}

/** Whether keyboard focus is inside an item's box. */
export function focusIsIn(itemId: string): boolean {
  return document.getElementById(itemBoxId(itemId))?.contains(document.activeElement) ?? false;
}

/** Submits an item's decision form; false when that decision is not offered for it. */
export function submitDecision(itemId: string, action: Exclude<DecisionAction, 'hide'>): boolean {
  const form = document.querySelector<HTMLFormElement>(
    `#${CSS.escape(itemBoxId(itemId))} form[data-decision="${action}"]`,
  );
  form?.requestSubmit();
  return form !== null;
}

/** Opens an item's hide picker with focus on its reason; false when hiding is not offered. */
export function openHidePicker(itemId: string): boolean {
  const picker = document.querySelector<HTMLDetailsElement>(
    `#${CSS.escape(itemBoxId(itemId))} details[data-decision="hide"]`,
  );
  if (!picker) return false;
  picker.open = true;
  picker.querySelector('select')?.focus();
  return true;
}

/** Submits the bulk form with one of its action buttons. */
export function submitBulk(action: 'approve' | 'review'): void {
  const form = document.getElementById('bulk-form');
  const button = form?.querySelector<HTMLButtonElement>(`button[value="${action}"]`);
  if (form instanceof HTMLFormElement) form.requestSubmit(button);
}

/** Moves focus to the bulk form's reason picker. */
export function focusBulkReason(): void {
  document.getElementById('bulk-reasonCode')?.focus();
}

/** Opens the keyboard shortcuts dialog. */
export function openHelp(): void {
  const dialog = document.getElementById('shortcuts-dialog');
  if (dialog instanceof HTMLDialogElement && !dialog.open) dialog.showModal();
}

export function helpIsOpen(): boolean {
  const dialog = document.getElementById('shortcuts-dialog');
  return dialog instanceof HTMLDialogElement && dialog.open;
}
