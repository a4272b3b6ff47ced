import type { Event } from '@sabor/contracts';
import { describe, expect, it } from 'vitest';
import {
  eventBody,
  eventFormValues,
  newEventFormValues,
  parseCapacity,
  parseOptions,
  readAnswers,
  readEventForm,
} from './event-forms.server';

function formOf(entries: [string, string][]): FormData {
  const form = new FormData();
  for (const [name, value] of entries) form.append(name, value);
  return form;
}

const q = (id: string, kind: 'text' | 'choice' | 'checkbox' | 'consent') => ({ id, kind });

describe('readAnswers', () => {
  it('reads texts and choices as typed, ticks as booleans, and leaves out empty texts', () => {
    const form = formOf([
      ['answers.a', 'Общинска администрация'],
      ['answers.b', 'opt-2'],
      ['answers.d', 'on'],
      ['answers.e', '   '],
    ]);
    const answers = readAnswers(form, [
      q('a', 'text'),
      q('b', 'choice'),
      q('c', 'checkbox'),
      q('d', 'consent'),
      q('e', 'text'),
    ]);
    expect(answers).toEqual({ a: 'Общинска администрация', b: 'opt-2', c: false, d: true });
  });

  it('ignores answers to questions the event does not have', () => {
    expect(readAnswers(formOf([['answers.x', 'y']]), [])).toEqual({});
  });
});

describe('event editor form', () => {
  const base: [string, string][] = [
    ['type', 'forum'],
    ['titleBg', 'Форум'],
    ['titleEn', ''],
    ['descriptionBg', 'Описание'],
    ['venueBg', 'Зала'],
    ['addressBg', 'бул. „Руски“ 17'],
    ['startsAt', '2026-06-12T10:00'],
    ['endsAt', '2026-06-12T13:00'],
    ['capacity', ''],
    ['registrationOpensAt', ''],
    ['registrationClosesAt', ''],
    ['guestsAllowed', 'on'],
  ];

  it('turns Sofia wall time into instants, empty capacity into unlimited and empty texts into null', () => {
    const body = eventBody(readEventForm(formOf(base)));
    expect(body).toMatchObject({
      type: 'forum',
      titleEn: null,
      startsAt: '2026-06-12T10:00:00+03:00',
      endsAt: '2026-06-12T13:00:00+03:00',
      capacity: null,
      registrationOpensAt: null,
      guestsAllowed: true,
      agenda: [],
      questions: [],
    });
  });

  it('keeps filled programme rows and questions in order and skips empty ones', () => {
    const form = formOf([
      ...base,
      ['agenda.0.startsAt', '2026-06-12T10:00'],
      ['agenda.0.titleBg', 'Откриване'],
      ['agenda.1.startsAt', ''],
      ['agenda.1.titleBg', ''],
      ['agenda.2.startsAt', '2026-12-12T11:00'],
      ['agenda.2.titleBg', 'Панел'],
      ['agenda.2.speakers', 'Кмет'],
      ['questions.0.kind', 'choice'],
      ['questions.0.labelBg', 'Обяд?'],
      ['questions.0.options', 'Да | Yes\n\nНе'],
      ['questions.1.kind', 'text'],
      ['questions.1.labelBg', ''],
      ['questions.2.kind', 'consent'],
      ['questions.2.labelBg', 'Съгласен съм'],
    ]);
    const body = eventBody(readEventForm(form));
    expect(body?.agenda).toEqual([
      {
        startsAt: '2026-06-12T10:00:00+03:00',
        endsAt: null,
        titleBg: 'Откриване',
        titleEn: null,
        speakers: null,
      },
      {
        startsAt: '2026-12-12T11:00:00+02:00',
        endsAt: null,
        titleBg: 'Панел',
        titleEn: null,
        speakers: 'Кмет',
      },
    ]);
    expect(body?.questions).toEqual([
      {
        kind: 'choice',
        labelBg: 'Обяд?',
        labelEn: null,
        required: false,
        options: [
          { labelBg: 'Да', labelEn: 'Yes' },
          { labelBg: 'Не', labelEn: null },
        ],
      },
      { kind: 'consent', labelBg: 'Съгласен съм', labelEn: null, required: true },
    ]);
  });

  it('refuses a tampered type and passes an unreadable time on for the API to name', () => {
    expect(eventBody(readEventForm(formOf([...base.slice(1), ['type', 'party']])))).toBeNull();
    const values = { ...readEventForm(formOf(base)), startsAt: 'утре' };
    expect(eventBody(values)?.startsAt).toBe('утре');
  });

  it('reads capacities', () => {
    expect(parseCapacity(' ')).toBeNull();
    expect(parseCapacity('40')).toBe(40);
    expect(parseCapacity('много')).toBe(-1);
    expect(parseOptions('А|B|C')).toEqual([{ labelBg: 'А', labelEn: 'B|C' }]);
  });

  it('fills the form from a stored event and gives the same body back', () => {
    const event = {
      type: 'conference',
      titleBg: 'Конференция',
      titleEn: 'Conference',
      descriptionBg: 'Текст',
      descriptionEn: null,
      venueBg: 'Зала',
      venueEn: null,
      addressBg: 'Адрес',
      addressEn: null,
      onlineUrl: null,
      startsAt: '2026-06-12T07:00:00.000Z',
      endsAt: '2026-06-12T10:00:00.000Z',
      capacity: 40,
      registrationOpensAt: null,
      registrationClosesAt: '2026-06-11T18:00:00.000Z',
      guestsAllowed: false,
      agenda: [],
      questions: [
        {
          id: '00000000-0000-4000-8000-000000000001',
          kind: 'choice',
          labelBg: 'Обяд?',
          labelEn: null,
          required: true,
          options: [
            { key: 'a', labelBg: 'Да', labelEn: 'Yes' },
            { key: 'b', labelBg: 'Не', labelEn: null },
          ],
        },
      ],
    } as unknown as Event;
    const values = eventFormValues(event);
    expect(values.startsAt).toBe('2026-06-12T10:00');
    expect(values.registrationClosesAt).toBe('2026-06-11T21:00');
    expect(values.capacity).toBe('40');
    expect(values.questions[0]?.options).toBe('Да | Yes\nНе');
    expect(eventBody(values)).toMatchObject({
      capacity: 40,
      guestsAllowed: false,
      registrationClosesAt: '2026-06-11T21:00:00+03:00',
    });
  });

  it('starts a new event a month ahead at 10:00 with 50 seats', () => {
    const values = newEventFormValues(new Date('2026-05-01T12:00:00Z'));
    expect(values.startsAt).toBe('2026-05-31T10:00');
    expect(values.capacity).toBe('50');
  });
});
