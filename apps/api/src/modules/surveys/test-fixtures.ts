import { randomUUID } from 'node:crypto';
import type { Survey, SurveyInput } from '@sabor/contracts';
import type { TestApp } from '../../../test/helper';

/** Ids of the sample survey's questions and options, so tests can answer it. */
export function sampleIds() {
  const id = () => randomUUID();
  return {
    s1: id(),
    s2: id(),
    single: id(),
    yes: id(),
    no: id(),
    why: id(),
    multiple: id(),
    bus: id(),
    bike: id(),
    car: id(),
    walk: id(),
    short: id(),
    long: id(),
    number: id(),
    date: id(),
    scale: id(),
    ranking: id(),
    parks: id(),
    roads: id(),
    schools: id(),
    matrix: id(),
    rowWeb: id(),
    rowPhone: id(),
    colGood: id(),
    colBad: id(),
  };
}
export type SampleIds = ReturnType<typeof sampleIds>;

/** A survey with every question type; `why` shows only when `single` is answered "no". */
export function sampleSurvey(ids: SampleIds, overrides: Partial<SurveyInput> = {}): SurveyInput {
  return {
    titleBg: 'Как оценявате комуникацията на общината с гражданите?',
    titleEn: 'How do you rate the municipality’s communication with residents?',
    introBg: 'Кратка анкета.',
    audience: 'residents',
    resultsVisibility: 'live',
    sections: [
      {
        id: ids.s1,
        titleBg: 'Общо',
        questions: [
          {
            id: ids.single,
            kind: 'single_choice',
            required: true,
            textBg: 'Доволни ли сте?',
            allowOther: true,
            options: [
              { id: ids.yes, labelBg: 'Да' },
              { id: ids.no, labelBg: 'Не' },
            ],
          },
          {
            id: ids.why,
            kind: 'long_text',
            required: true,
            textBg: 'Защо не?',
            showIf: { questionId: ids.single, optionIds: [ids.no] },
          },
          {
            id: ids.multiple,
            kind: 'multiple_choice',
            textBg: 'Как пътувате?',
            min: 1,
            max: 2,
            options: [
              { id: ids.bus, labelBg: 'Автобус' },
              { id: ids.bike, labelBg: 'Велосипед' },
              { id: ids.car, labelBg: 'Кола' },
              { id: ids.walk, labelBg: 'Пеша' },
            ],
          },
          { id: ids.short, kind: 'short_text', textBg: 'Квартал' },
          { id: ids.long, kind: 'long_text', textBg: 'Предложения' },
        ],
      },
      {
        id: ids.s2,
        titleBg: 'Подробности',
        questions: [
          { id: ids.number, kind: 'number', textBg: 'Години в града', min: 0, max: 120 },
          { id: ids.date, kind: 'date', textBg: 'Последно посещение' },
          {
            id: ids.scale,
            kind: 'scale',
            textBg: 'Оценка',
            min: 1,
            max: 5,
            minLabelBg: 'Лошо',
            maxLabelBg: 'Отлично',
          },
          {
            id: ids.ranking,
            kind: 'ranking',
            textBg: 'Приоритети',
            options: [
              { id: ids.parks, labelBg: 'Паркове' },
              { id: ids.roads, labelBg: 'Пътища' },
              { id: ids.schools, labelBg: 'Училища' },
            ],
          },
          {
            id: ids.matrix,
            kind: 'matrix',
            textBg: 'Канали',
            options: [
              { id: ids.rowWeb, role: 'row', labelBg: 'Сайт' },
              { id: ids.rowPhone, role: 'row', labelBg: 'Телефон' },
              { id: ids.colGood, role: 'column', labelBg: 'Добре' },
              { id: ids.colBad, role: 'column', labelBg: 'Зле' },
            ],
          },
        ],
      },
    ],
    ...overrides,
  };
}

/** A full valid set of answers to the sample survey. */
export function sampleAnswers(ids: SampleIds) {
  return {
    [ids.single]: { optionIds: [ids.yes] },
    [ids.multiple]: { optionIds: [ids.bus, ids.walk] },
    [ids.short]: { text: 'Железник' },
    [ids.long]: { text: 'Повече пейки, моля.' },
    [ids.number]: { number: 12 },
    [ids.date]: { date: '2026-03-01' },
    [ids.scale]: { number: 4 },
    [ids.ranking]: { ranking: [ids.roads, ids.parks, ids.schools] },
    [ids.matrix]: { matrix: { [ids.rowWeb]: ids.colGood, [ids.rowPhone]: ids.colBad } },
  };
}

export async function createSurvey(
  t: TestApp,
  adminCookie: string,
  input: SurveyInput,
): Promise<Survey> {
  const response = await t.inject({
    method: 'POST',
    url: '/api/admin/surveys',
    cookie: adminCookie,
    payload: input,
  });
  if (response.statusCode !== 201) throw new Error(`create survey failed: ${response.body}`);
  return response.json();
}

/** Creates and publishes a survey; returns it with its ids. */
export async function publishedSurvey(
  t: TestApp,
  adminCookie: string,
  overrides: Partial<SurveyInput> = {},
): Promise<{ survey: Survey; ids: SampleIds; input: SurveyInput }> {
  const ids = sampleIds();
  const input = sampleSurvey(ids, overrides);
  const created = await createSurvey(t, adminCookie, input);
  const response = await t.inject({
    method: 'POST',
    url: `/api/admin/surveys/${created.id}/publish`,
    cookie: adminCookie,
  });
  if (response.statusCode !== 200) throw new Error(`publish failed: ${response.body}`);
  return { survey: response.json(), ids, input };
}

export function submit(
  t: TestApp,
  surveyId: string,
  answers: Record<string, unknown>,
  options: { cookie?: string; method?: 'POST' | 'PUT'; website?: string } = {},
) {
  const method = options.method ?? 'POST';
  return t.inject({
    method,
    url:
      method === 'POST'
        ? `/api/surveys/${surveyId}/responses`
        : `/api/surveys/${surveyId}/response`,
    cookie: options.cookie,
    payload: { answers, ...(options.website !== undefined && { website: options.website }) },
  });
}
