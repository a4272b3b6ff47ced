import {
  eventTypeSchema,
  type Event,
  type EventQuestion,
  type createEventBodySchema,
} from '@sabor/contracts';
import { eventQuestionKinds } from '@sabor/contracts/values';
import type { z } from 'zod';
import { isoToSofiaLocal, sofiaLocalToIso } from '$lib/local-time';
import { formText } from '$lib/server/form';

/** The registration form's answers, keyed by question id, as the API takes them. */
export function readAnswers(
  form: FormData,
  questions: readonly Pick<EventQuestion, 'id' | 'kind'>[],
): Record<string, string | boolean> {
  const answers: Record<string, string | boolean> = {};
  for (const question of questions) {
    const name = `answers.${question.id}`;
    if (question.kind === 'checkbox' || question.kind === 'consent') {
      answers[question.id] = form.get(name) !== null;
    } else {
      const value = formText(form, name);
      if (value.trim() !== '') answers[question.id] = value;
    }
  }
  return answers;
}

/** What the event editor holds: texts as typed, times as Sofia wall-clock time. */
export interface EventFormValues {
  type: string;
  titleBg: string;
  titleEn: string;
  descriptionBg: string;
  descriptionEn: string;
  venueBg: string;
  venueEn: string;
  addressBg: string;
  addressEn: string;
  onlineUrl: string;
  startsAt: string;
  endsAt: string;
  /** '' for unlimited. */
  capacity: string;
  registrationOpensAt: string;
  registrationClosesAt: string;
  guestsAllowed: boolean;
  agenda: AgendaRow[];
  questions: QuestionRow[];
}

export interface AgendaRow {
  startsAt: string;
  endsAt: string;
  titleBg: string;
  titleEn: string;
  speakers: string;
}

export interface QuestionRow {
  kind: string;
  labelBg: string;
  labelEn: string;
  required: boolean;
  /** One option a line: "Bulgarian | English". */
  options: string;
}

const textFields = [
  'type',
  'titleBg',
  'titleEn',
  'descriptionBg',
  'descriptionEn',
  'venueBg',
  'venueEn',
  'addressBg',
  'addressEn',
  'onlineUrl',
  'startsAt',
  'endsAt',
  'capacity',
  'registrationOpensAt',
  'registrationClosesAt',
] as const;

/** Rows the editor offers beyond those filled in, so more can be added without JavaScript. */
export const spareRows = 2;

/** Indexed rows `prefix.N.field` of a form, in index order. */
function rows<T>(form: FormData, prefix: string, read: (at: (field: string) => string) => T): T[] {
  const indexes = new Set<number>();
  for (const key of form.keys()) {
    const match = new RegExp(`^${prefix}\\.(\\d{1,3})\\.`).exec(key);
    if (match) indexes.add(Number(match[1]));
  }
  return [...indexes]
    .sort((a, b) => a - b)
    .map((index) => read((field) => formText(form, `${prefix}.${index}.${field}`)));
}

export function readEventForm(form: FormData): EventFormValues {
  const values = Object.fromEntries(textFields.map((name) => [name, formText(form, name)]));
  const agenda = rows(form, 'agenda', (at) => ({
    startsAt: at('startsAt'),
    endsAt: at('endsAt'),
    titleBg: at('titleBg'),
    titleEn: at('titleEn'),
    speakers: at('speakers'),
  })).filter((row) => Object.values(row).some((value) => value.trim() !== ''));
  const questions = rows(form, 'questions', (at) => ({
    kind: at('kind'),
    labelBg: at('labelBg'),
    labelEn: at('labelEn'),
    required: at('required') !== '',
    options: at('options'),
  })).filter((row) => row.labelBg.trim() !== '' || row.labelEn.trim() !== '' || row.options.trim());
  return {
    ...(values as Record<(typeof textFields)[number], string>),
    guestsAllowed: form.get('guestsAllowed') !== null,
    agenda,
    questions,
  };
}

/** A new event's form: a conference next month, 10:00–13:00, 50 seats, guests welcome. */
export function newEventFormValues(now = new Date()): EventFormValues {
  const day = isoToSofiaLocal(new Date(now.getTime() + 30 * 86_400_000).toISOString()).slice(0, 10);
  return {
    type: 'conference',
    titleBg: '',
    titleEn: '',
    descriptionBg: '',
    descriptionEn: '',
    venueBg: '',
    venueEn: '',
    addressBg: '',
    addressEn: '',
    onlineUrl: '',
    startsAt: `${day}T10:00`,
    endsAt: `${day}T13:00`,
    capacity: '50',
    registrationOpensAt: '',
    registrationClosesAt: '',
    guestsAllowed: true,
    agenda: [],
    questions: [],
  };
}

const local = (iso: string | null) => (iso ? isoToSofiaLocal(iso) : '');

/** The form filled in with an event as stored. */
export function eventFormValues(event: Event): EventFormValues {
  return {
    type: event.type,
    titleBg: event.titleBg,
    titleEn: event.titleEn ?? '',
    descriptionBg: event.descriptionBg,
    descriptionEn: event.descriptionEn ?? '',
    venueBg: event.venueBg,
    venueEn: event.venueEn ?? '',
    addressBg: event.addressBg,
    addressEn: event.addressEn ?? '',
    onlineUrl: event.onlineUrl ?? '',
    startsAt: local(event.startsAt),
    endsAt: local(event.endsAt),
    capacity: event.capacity === null ? '' : String(event.capacity),
    registrationOpensAt: local(event.registrationOpensAt),
    registrationClosesAt: local(event.registrationClosesAt),
    guestsAllowed: event.guestsAllowed,
    agenda: event.agenda.map((item) => ({
      startsAt: local(item.startsAt),
      endsAt: local(item.endsAt),
      titleBg: item.titleBg,
      titleEn: item.titleEn ?? '',
      speakers: item.speakers ?? '',
    })),
    questions: event.questions.map((question) => ({
      kind: question.kind,
      labelBg: question.labelBg,
      labelEn: question.labelEn ?? '',
      required: question.required,
      options: question.options
        .map((option) =>
          option.labelEn ? `${option.labelBg} | ${option.labelEn}` : option.labelBg,
        )
        .join('\n'),
    })),
  };
}

/** Not a date and time is passed on as typed, so the API names the field. */
const instant = (value: string) => sofiaLocalToIso(value) ?? value;
const optionalInstant = (value: string) => (value.trim() === '' ? null : instant(value));
const optional = (value: string) => (value.trim() === '' ? null : value);

/** "Да | Yes" lines as options; blank lines skipped. */
export function parseOptions(text: string): { labelBg: string; labelEn: string | null }[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [bg = '', ...rest] = line.split('|');
      const en = rest.join('|').trim();
      return { labelBg: bg.trim(), labelEn: en === '' ? null : en };
    });
}

/** A capacity as typed: null (unlimited) when empty, otherwise a number the API checks. */
export function parseCapacity(text: string): number | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : -1;
}

export type EventBody = z.input<typeof createEventBodySchema>;

/** The API body for the form, or null when the type was tampered with. */
export function eventBody(values: EventFormValues): EventBody | null {
  const type = eventTypeSchema.safeParse(values.type);
  if (!type.success) return null;
  return {
    type: type.data,
    titleBg: values.titleBg,
    titleEn: optional(values.titleEn),
    descriptionBg: values.descriptionBg,
    descriptionEn: optional(values.descriptionEn),
    venueBg: values.venueBg,
    venueEn: optional(values.venueEn),
    addressBg: values.addressBg,
    addressEn: optional(values.addressEn),
    onlineUrl: optional(values.onlineUrl.trim()),
    startsAt: instant(values.startsAt),
    endsAt: instant(values.endsAt),
    capacity: parseCapacity(values.capacity),
    registrationOpensAt: optionalInstant(values.registrationOpensAt),
    registrationClosesAt: optionalInstant(values.registrationClosesAt),
    guestsAllowed: values.guestsAllowed,
    agenda: values.agenda.map((row) => ({
      startsAt: instant(row.startsAt),
      endsAt: optionalInstant(row.endsAt),
      titleBg: row.titleBg,
      titleEn: optional(row.titleEn),
      speakers: optional(row.speakers),
    })),
    questions: values.questions.map((row) => {
      const kind = eventQuestionKinds.find((k) => k === row.kind) ?? 'text';
      return {
        kind,
        labelBg: row.labelBg,
        labelEn: optional(row.labelEn),
        required: kind === 'consent' ? true : row.required,
        ...(kind === 'choice' ? { options: parseOptions(row.options) } : {}),
      };
    }),
  };
}
