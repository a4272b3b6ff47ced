import type { Consultation } from '@sabor/contracts';
import { describe, expect, it } from 'vitest';
import {
  consultationFormValues,
  createBody,
  formCategory,
  newConsultationFormValues,
  readConsultationForm,
  updateBody,
} from './consultation-form.server';

function formOf(values: Record<string, string>): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(values)) form.set(name, value);
  return form;
}

const filled = {
  titleBg: 'Наредба за зелените площи',
  titleEn: '',
  summary: 'Кратко описание',
  body: '# Раздел I',
  category: 'regulation',
  responsibleUnit: 'Дирекция',
  contactEmail: 'a@example.bg',
  opensAt: '2026-07-01T09:00',
  closesAt: '2026-12-01T17:30',
  shortPeriodReason: '  ',
};

describe('createBody', () => {
  it('sends Sofia wall-clock times with the offset of their own date, and empty optionals as null', () => {
    const values = readConsultationForm(formOf(filled));
    expect(createBody(values, 'regulation')).toMatchObject({
      opensAt: '2026-07-01T09:00:00+03:00',
      closesAt: '2026-12-01T17:30:00+02:00',
      titleEn: null,
      shortPeriodReason: null,
    });
  });

  it('passes a date that is not one on as typed, for the API to refuse next to its field', () => {
    const values = readConsultationForm(formOf({ ...filled, opensAt: '', closesAt: 'soon' }));
    expect(createBody(values, 'regulation')).toMatchObject({ opensAt: '', closesAt: 'soon' });
  });

  it('reads missing fields and uploaded files as empty text', () => {
    const form = formOf({ titleBg: 'x' });
    form.set('summary', new File(['x'], 'x.txt'));
    const values = readConsultationForm(form);
    expect(values.summary).toBe('');
    expect(values.body).toBe('');
  });
});

describe('pre-moderation', () => {
  it('is on only when the box is ticked, in a new consultation and in an edit', () => {
    const ticked = readConsultationForm(formOf({ ...filled, premoderated: 'yes' }));
    const unticked = readConsultationForm(formOf(filled));
    expect(createBody(ticked, 'regulation').premoderated).toBe(true);
    expect(createBody(unticked, 'regulation').premoderated).toBe(false);
    // Unticking it in an open consultation turns it off (the box is always on the form).
    expect(updateBody(unticked, 'regulation', 'open').premoderated).toBe(false);
    expect(updateBody(ticked, 'regulation', 'open').premoderated).toBe(true);
  });
});

describe('formCategory', () => {
  it('accepts only real categories', () => {
    const values = readConsultationForm(formOf(filled));
    expect(formCategory({ ...values, category: 'budget' })).toBe('budget');
    expect(formCategory({ ...values, category: 'drop table' })).toBeNull();
  });
});

describe('updateBody', () => {
  const values = readConsultationForm(formOf(filled));

  it('sends dates only before opening and the text only while a draft', () => {
    expect(updateBody(values, 'regulation', 'draft')).toHaveProperty('body');
    expect(updateBody(values, 'regulation', 'draft')).toHaveProperty('opensAt');
    const scheduled = updateBody(values, 'regulation', 'scheduled');
    expect(scheduled).not.toHaveProperty('body');
    expect(scheduled).toHaveProperty('closesAt');
    const open = updateBody(values, 'regulation', 'open');
    expect(open).not.toHaveProperty('body');
    expect(open).not.toHaveProperty('opensAt');
    expect(open).not.toHaveProperty('closesAt');
    expect(open).toMatchObject({ titleBg: filled.titleBg, shortPeriodReason: null });
  });
});

describe('form values', () => {
  it('show a stored consultation’s instants as Sofia time', () => {
    const values = consultationFormValues({
      titleBg: 'Т',
      titleEn: null,
      summary: 'С',
      body: 'Б',
      category: 'plan',
      responsibleUnit: 'Д',
      contactEmail: 'a@example.bg',
      opensAt: '2026-07-01T06:00:00.000Z',
      closesAt: '2026-12-01T15:30:00.000Z',
      shortPeriodReason: null,
      premoderated: true,
    } as Consultation);
    expect(values).toMatchObject({
      titleEn: '',
      opensAt: '2026-07-01T09:00',
      closesAt: '2026-12-01T17:30',
      shortPeriodReason: '',
      premoderated: true,
    });
  });

  it('propose a new consultation opening tomorrow and running the standard 30 days', () => {
    // 00:30 on 29 March in Sofia is still 28 March in UTC: "tomorrow" is Sofia's.
    const values = newConsultationFormValues('info@example.bg', new Date('2026-03-28T22:30:00Z'));
    expect(values).toMatchObject({
      contactEmail: 'info@example.bg',
      opensAt: '2026-03-30T09:00',
      closesAt: '2026-04-29T17:00',
      premoderated: false,
    });
  });
});
