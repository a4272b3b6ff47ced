import {
  consultationCategorySchema,
  type Consultation,
  type ConsultationCategory,
  type createConsultationBodySchema,
  type updateConsultationBodySchema,
} from '@sabor/contracts';
import type { z } from 'zod';
import { isoToSofiaLocal, sofiaLocalToIso } from '$lib/local-time';
import { formText } from '$lib/server/form';

/**
 * What the consultation form holds: texts as typed, dates as Sofia wall-clock time, and whether
 * every comment waits for a moderator (pre-moderation).
 */
export interface ConsultationFormValues {
  titleBg: string;
  titleEn: string;
  summary: string;
  body: string;
  category: string;
  responsibleUnit: string;
  contactEmail: string;
  opensAt: string;
  closesAt: string;
  shortPeriodReason: string;
  premoderated: boolean;
}

const fieldNames = [
  'titleBg',
  'titleEn',
  'summary',
  'body',
  'category',
  'responsibleUnit',
  'contactEmail',
  'opensAt',
  'closesAt',
  'shortPeriodReason',
] as const satisfies readonly (keyof ConsultationFormValues)[];

export function readConsultationForm(form: FormData): ConsultationFormValues {
  const texts = Object.fromEntries(fieldNames.map((name) => [name, formText(form, name)]));
  // An unticked checkbox is not sent at all.
  return { ...texts, premoderated: form.has('premoderated') } as ConsultationFormValues;
}

/** The form filled in with a consultation as stored. */
export function consultationFormValues(consultation: Consultation): ConsultationFormValues {
  return {
    titleBg: consultation.titleBg,
    titleEn: consultation.titleEn ?? '',
    summary: consultation.summary,
    body: consultation.body,
    category: consultation.category,
    responsibleUnit: consultation.responsibleUnit,
    contactEmail: consultation.contactEmail,
    opensAt: isoToSofiaLocal(consultation.opensAt),
    closesAt: isoToSofiaLocal(consultation.closesAt),
    shortPeriodReason: consultation.shortPeriodReason ?? '',
    premoderated: consultation.premoderated,
  };
}

/** "YYYY-MM-DD" `days` after the given calendar date. */
function addDays(day: string, days: number): string {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, date + days)).toISOString().slice(0, 10);
}

/** A new consultation's form: opening tomorrow morning, closing after the standard 30 days. */
export function newConsultationFormValues(
  contactEmail: string,
  now = new Date(),
): ConsultationFormValues {
  const today = isoToSofiaLocal(now.toISOString()).slice(0, 10);
  const opens = addDays(today, 1);
  return {
    titleBg: '',
    titleEn: '',
    summary: '',
    body: '',
    category: 'regulation',
    responsibleUnit: '',
    contactEmail,
    opensAt: `${opens}T09:00`,
    closesAt: `${addDays(opens, 30)}T17:00`,
    shortPeriodReason: '',
    premoderated: false,
  };
}

/**
 * A Sofia wall-clock time as an instant with Sofia's offset. What is not a date and time is
 * passed on as typed, so the API reports it next to the field together with any other problem.
 */
function instant(local: string): string {
  return sofiaLocalToIso(local) ?? local;
}

const optional = (value: string) => (value.trim() === '' ? null : value);

/** The category, or null when the form was tampered with (the select offers only real ones). */
export function formCategory(values: ConsultationFormValues): ConsultationCategory | null {
  return consultationCategorySchema.safeParse(values.category).data ?? null;
}

export function createBody(
  values: ConsultationFormValues,
  category: ConsultationCategory,
): z.input<typeof createConsultationBodySchema> {
  return {
    titleBg: values.titleBg,
    titleEn: optional(values.titleEn),
    summary: values.summary,
    body: values.body,
    category,
    responsibleUnit: values.responsibleUnit,
    contactEmail: values.contactEmail,
    opensAt: instant(values.opensAt),
    closesAt: instant(values.closesAt),
    shortPeriodReason: optional(values.shortPeriodReason),
    premoderated: values.premoderated,
  };
}

/**
 * The edit for a consultation in `state`: dates only before it opens and the body only while it is
 * a draft (afterwards a revised text is a new version), as the API allows.
 */
export function updateBody(
  values: ConsultationFormValues,
  category: ConsultationCategory,
  state: Consultation['state'],
): z.input<typeof updateConsultationBodySchema> {
  const { opensAt, closesAt, body, ...rest } = createBody(values, category);
  return {
    ...rest,
    ...(state === 'draft' || state === 'scheduled' ? { opensAt, closesAt } : {}),
    ...(state === 'draft' ? { body } : {}),
  };
}
