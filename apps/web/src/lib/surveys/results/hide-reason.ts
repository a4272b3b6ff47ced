import type { FieldErrorCode, Locale } from '@sabor/contracts';
import { limits } from '@sabor/contracts/values';
import { t } from '$lib/i18n/translate';

/*
 * The reason a moderator gives for hiding a free-text survey answer: a template ("personal data"
 * covers nearly every case) and optional words of their own, required with "other". The API keeps
 * one line of text (the audit log's reason), so the two are joined in the moderator's language.
 */

export const hideReasonCodes = ['personal_data', 'offensive', 'other'] as const;
export type HideReasonCode = (typeof hideReasonCodes)[number];

/** Room left for the moderator's words (within the API's limit) once the template's label is in front. */
export const maxHideReasonText = limits.surveyAnswerHideReason - 100;

const isCode = (value: string): value is HideReasonCode =>
  (hideReasonCodes as readonly string[]).includes(value);

export type HideReasonForm =
  { ok: true; reason: string } | { ok: false; fields: Record<string, FieldErrorCode> };

/** Reads `reasonCode` and `reasonText` of the hide form. */
export function hideReasonFromForm(
  values: { reasonCode: string; reasonText: string },
  locale: Locale,
): HideReasonForm {
  const code = values.reasonCode;
  const text = values.reasonText.replace(/\s+/g, ' ').trim();
  const fields: Record<string, FieldErrorCode> = {};
  if (!isCode(code)) fields.reasonCode = 'required';
  else if (code === 'other' && text === '') fields.reasonText = 'required';
  if (text.length > maxHideReasonText) fields.reasonText = 'too_long';
  if (!isCode(code) || Object.keys(fields).length > 0) return { ok: false, fields };
  if (code === 'other') return { ok: true, reason: text };
  const label = t(locale, `surveyResults.hide.reason.${code}`);
  return { ok: true, reason: text ? `${label}: ${text}` : label };
}
