/** The queue's keyboard commands (docs/moderation.md, "Dashboard keyboard shortcuts"). */
export type Shortcut =
  'next' | 'previous' | 'select' | 'approve' | 'hide' | 'restore' | 'review' | 'open' | 'help';

const letters: Record<string, Shortcut> = {
  j: 'next',
  k: 'previous',
  x: 'select',
  a: 'approve',
  h: 'hide',
  r: 'restore',
  v: 'review',
  o: 'open',
};

/** The shortcuts in the order the help lists them, with their keys. */
export const shortcutKeys: readonly { shortcut: Shortcut; keys: readonly string[] }[] = [
  { shortcut: 'next', keys: ['j'] },
  { shortcut: 'previous', keys: ['k'] },
  { shortcut: 'select', keys: ['x'] },
  { shortcut: 'approve', keys: ['a'] },
  { shortcut: 'hide', keys: ['h'] },
  { shortcut: 'restore', keys: ['r'] },
  { shortcut: 'review', keys: ['v'] },
  { shortcut: 'open', keys: ['o', 'Enter'] },
  { shortcut: 'help', keys: ['?'] },
];

export interface KeyContext {
  key: string;
  /** Ctrl, Alt or Meta held: the browser's or the screen reader's own shortcut, never ours. */
  modified: boolean;
  /** Focus is in a text field, a select or editable content: the key is typing. */
  typing: boolean;
  /** Focus is on a queue item itself (not a link or button in it, where Enter means that control). */
  onItem: boolean;
}

/** The command a key press means on the queue, or null when it is not one of ours. */
export function shortcutFor({ key, modified, typing, onItem }: KeyContext): Shortcut | null {
  if (modified || typing) return null;
  if (key === '?') return 'help';
  if (key === 'Enter') return onItem ? 'open' : null;
  return key.length === 1 ? (letters[key.toLowerCase()] ?? null) : null;
}

/** Whether a key press lands where it types text (fields, selects, editable content). */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (typeof HTMLElement === 'undefined' || !(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (!(target instanceof HTMLInputElement)) return false;
  // Ticking a box or pressing a button with the keyboard is not typing.
  return !['checkbox', 'radio', 'button', 'submit', 'reset'].includes(target.type);
}
