/*
 * The public hide reasons as text. Kept free of zod (types only) so browser code can import it
 * through `@sabor/contracts/moderation-labels` without bringing the schemas into its bundle; the
 * package root re-exports it from moderation.ts.
 */
import type { HideReasonCode } from './comments';
import type { Locale } from './common';

/** Public reason templates (shown as "hidden by moderator: <reason>"). */
export const hideReasonTemplates: Record<HideReasonCode, Record<Locale, string>> = {
  spam: { bg: 'спам или реклама', en: 'spam or advertising' },
  offensive: { bg: 'обидно или враждебно съдържание', en: 'offensive or hateful content' },
  off_topic: { bg: 'не е по темата на консултацията', en: 'off-topic for this consultation' },
  personal_data: { bg: 'съдържа лични данни', en: 'contains personal data' },
  misinformation: { bg: 'подвеждаща информация', en: 'misleading information' },
  other: { bg: 'друга причина', en: 'another reason' },
};

/** "<template>: <moderator's text>" in the reader's language. */
export function hideReasonLabel(
  moderation: { reasonCode: HideReasonCode | null; reasonText: string | null },
  locale: Locale,
): string {
  const template = moderation.reasonCode ? hideReasonTemplates[moderation.reasonCode][locale] : '';
  return [template, moderation.reasonText].filter(Boolean).join(': ');
}
