import { randomBytes, randomUUID } from 'node:crypto';
import { surveyInputSchema, type SurveyAnswer, type SurveyInput } from '@sabor/contracts';
import {
  surveyAnswers,
  surveyResponses,
  surveys,
  users,
  type Executor,
  type SurveyRow,
} from '@sabor/db';
import { eq } from 'drizzle-orm';
import { checkSubmission } from '../surveys/answers';
import { loadStructure, writeStructure } from '../surveys/structure';
import { countAnswers, countResponse } from '../surveys/tallies';

export const demoOpenSurveyTitle = 'Как оценявате комуникацията на общината с гражданите?';
export const demoClosedSurveyTitle = 'Удовлетвореност от обслужването в Центъра за услуги';

const day = 24 * 60 * 60 * 1000;

function openSurvey(q: Record<string, string>): SurveyInput {
  return {
    titleBg: demoOpenSurveyTitle,
    titleEn: 'How do you rate the municipality’s communication with residents?',
    introBg:
      'Анкетата отнема около 5 минути. Отговорите помагат на дирекцията да планира информационната политика.',
    introEn:
      'The survey takes about 5 minutes. The answers help the directorate plan its information policy.',
    thankYouBg: 'Благодарим! Резултатите се обновяват на живо.',
    thankYouEn: 'Thank you! The results update live.',
    audience: 'anyone',
    resultsVisibility: 'live',
    sections: [
      {
        id: q.s1!,
        titleBg: 'Как научавате новините',
        titleEn: 'How you hear the news',
        questions: [
          {
            id: q.informed!,
            kind: 'single_choice',
            required: true,
            textBg: 'Чувствате ли се информирани за решенията на общината?',
            textEn: 'Do you feel informed about the municipality’s decisions?',
            allowOther: true,
            options: [
              { id: q.yes!, labelBg: 'Да', labelEn: 'Yes' },
              { id: q.partly!, labelBg: 'Отчасти', labelEn: 'Partly' },
              { id: q.no!, labelBg: 'Не', labelEn: 'No' },
            ],
          },
          {
            id: q.missing!,
            kind: 'long_text',
            textBg: 'Какво ви липсва?',
            textEn: 'What do you miss?',
            showIf: { questionId: q.informed!, optionIds: [q.partly!, q.no!] },
          },
          {
            id: q.channels!,
            kind: 'multiple_choice',
            textBg: 'Откъде научавате новините на общината? (до 3)',
            textEn: 'Where do you get the municipality’s news? (up to 3)',
            min: 1,
            max: 3,
            allowOther: true,
            options: [
              { id: q.site!, labelBg: 'Сайтът на общината', labelEn: 'The municipal website' },
              { id: q.social!, labelBg: 'Социални мрежи', labelEn: 'Social media' },
              { id: q.press!, labelBg: 'Местни медии', labelEn: 'Local media' },
              { id: q.friends!, labelBg: 'Близки и съседи', labelEn: 'Friends and neighbours' },
            ],
          },
          {
            id: q.district!,
            kind: 'short_text',
            textBg: 'В кой квартал живеете?',
            textEn: 'Which district do you live in?',
          },
        ],
      },
      {
        id: q.s2!,
        titleBg: 'Оценка',
        titleEn: 'Rating',
        questions: [
          {
            id: q.rating!,
            kind: 'scale',
            required: true,
            textBg: 'Как оценявате комуникацията като цяло?',
            textEn: 'How do you rate the communication overall?',
            min: 1,
            max: 5,
            minLabelBg: 'Много лошо',
            minLabelEn: 'Very poor',
            maxLabelBg: 'Отлично',
            maxLabelEn: 'Excellent',
          },
          {
            id: q.grid!,
            kind: 'matrix',
            textBg: 'Как работят тези канали?',
            textEn: 'How well do these channels work?',
            options: [
              { id: q.rowSite!, role: 'row', labelBg: 'Сайт', labelEn: 'Website' },
              { id: q.rowPhone!, role: 'row', labelBg: 'Телефон', labelEn: 'Phone' },
              { id: q.colGood!, role: 'column', labelBg: 'Добре', labelEn: 'Well' },
              { id: q.colSoSo!, role: 'column', labelBg: 'Средно', labelEn: 'So-so' },
              { id: q.colBad!, role: 'column', labelBg: 'Зле', labelEn: 'Poorly' },
            ],
          },
          {
            id: q.priorities!,
            kind: 'ranking',
            textBg: 'Подредете темите по важност',
            textEn: 'Rank the topics by importance',
            options: [
              { id: q.roads!, labelBg: 'Ремонти на улици', labelEn: 'Road works' },
              { id: q.budget!, labelBg: 'Бюджет', labelEn: 'Budget' },
              { id: q.events!, labelBg: 'Събития', labelEn: 'Events' },
            ],
          },
          {
            id: q.years!,
            kind: 'number',
            textBg: 'От колко години живеете в Стара Загора?',
            textEn: 'How many years have you lived in Stara Zagora?',
            min: 0,
            max: 120,
          },
          {
            id: q.visit!,
            kind: 'date',
            textBg: 'Кога за последно посетихте общината?',
            textEn: 'When did you last visit the municipality?',
          },
        ],
      },
    ],
  };
}

function closedSurvey(q: Record<string, string>): SurveyInput {
  return {
    titleBg: demoClosedSurveyTitle,
    titleEn: 'Satisfaction with the Service Centre',
    introBg: 'Анкетата е приключила; резултатите са публични.',
    introEn: 'The survey has closed; the results are public.',
    audience: 'residents',
    resultsVisibility: 'after_close',
    sections: [
      {
        id: q.c1!,
        titleBg: 'Обслужване',
        titleEn: 'Service',
        questions: [
          {
            id: q.served!,
            kind: 'scale',
            required: true,
            textBg: 'Доволни ли сте от обслужването?',
            textEn: 'Are you satisfied with the service?',
            min: 1,
            max: 5,
            minLabelBg: 'Никак',
            minLabelEn: 'Not at all',
            maxLabelBg: 'Напълно',
            maxLabelEn: 'Fully',
          },
          {
            id: q.wait!,
            kind: 'single_choice',
            textBg: 'Колко чакахте?',
            textEn: 'How long did you wait?',
            options: [
              { id: q.short!, labelBg: 'До 10 минути', labelEn: 'Up to 10 minutes' },
              { id: q.long!, labelBg: 'Над 10 минути', labelEn: 'Over 10 minutes' },
            ],
          },
        ],
      },
    ],
  };
}

/** Fresh ids by name, made on first use: `q.yes` is the same id wherever the seed uses it. */
function idsByName(): Record<string, string> {
  return new Proxy<Record<string, string>>(
    {},
    {
      get: (target, key: string) => (target[key] ??= randomUUID()),
    },
  );
}

async function createDemoSurvey(
  tx: Executor,
  input: SurveyInput,
  values: Partial<SurveyRow> & { createdBy: string },
): Promise<string> {
  const parsed = surveyInputSchema.parse(input);
  const [row] = await tx
    .insert(surveys)
    .values({
      titleBg: parsed.titleBg,
      titleEn: parsed.titleEn ?? null,
      introBg: parsed.introBg,
      introEn: parsed.introEn ?? null,
      thankYouBg: parsed.thankYouBg,
      thankYouEn: parsed.thankYouEn ?? null,
      audience: parsed.audience,
      resultsVisibility: parsed.resultsVisibility,
      ...values,
    })
    .returning({ id: surveys.id });
  if (!row) throw new Error('demo survey insert returned no row');
  await writeStructure(tx, row.id, parsed);
  return row.id;
}

async function answer(
  tx: Executor,
  surveyId: string,
  who: { userId?: string; anonymous?: boolean; paperBy?: string },
  answers: Record<string, SurveyAnswer>,
  submittedAt: Date,
) {
  const structure = await loadStructure(tx, surveyId);
  const kept = checkSubmission(structure!, answers);
  const [row] = await tx
    .insert(surveyResponses)
    .values({
      surveyId,
      userId: who.userId ?? null,
      browserTokenHash: who.anonymous ? randomBytes(32).toString('hex') : null,
      source: who.paperBy ? 'paper' : 'online',
      enteredBy: who.paperBy ?? null,
      submittedAt,
      updatedAt: submittedAt,
    })
    .returning({ id: surveyResponses.id });
  await countResponse(tx, surveyId, { anonymous: who.anonymous ?? false, paper: !!who.paperBy });
  const rows = [...kept].map(([questionId, value]) => ({
    responseId: row!.id,
    questionId,
    value,
    submittedAt,
  }));
  await tx.insert(surveyAnswers).values(rows);
  await countAnswers(
    tx,
    rows.map((a) => ({ ...a, hidden: false, sign: 1 as const })),
  );
}

/**
 * The demo surveys: an open one about the municipality's communication with every question type
 * and some answers (live results), and a closed one with public results. Skipped when present.
 */
export async function seedDemoSurveys(tx: Executor, now = new Date()): Promise<void> {
  const [existing] = await tx
    .select({ id: surveys.id })
    .from(surveys)
    .where(eq(surveys.titleBg, demoOpenSurveyTitle));
  if (existing) return;
  const people = await tx.select().from(users);
  const byEmail = (email: string) => people.find((p) => p.email === email)?.id;
  const admin = byEmail('admin@sabor.local');
  if (!admin) throw new Error('the demo admin must be seeded first');
  const q = idsByName();

  const openId = await createDemoSurvey(tx, openSurvey(q), {
    createdBy: admin,
    state: 'published',
    opensAt: new Date(now.getTime() - 7 * day),
    closesAt: new Date(now.getTime() + 21 * day),
    publishedAt: new Date(now.getTime() - 7 * day),
  });
  const base = (rating: number, informed: string, channels: string[]) => ({
    [q.informed!]: { optionIds: [informed] },
    [q.channels!]: { optionIds: channels },
    [q.rating!]: { number: rating },
    [q.grid!]: { matrix: { [q.rowSite!]: q.colGood!, [q.rowPhone!]: q.colSoSo! } },
    [q.priorities!]: { ranking: [q.roads!, q.budget!, q.events!] },
  });
  const responses: [Parameters<typeof answer>[2], Record<string, SurveyAnswer>][] = [
    [
      { userId: byEmail('resident1@sabor.local') },
      {
        ...base(3, q.partly!, [q.site!, q.social!]),
        [q.missing!]: { text: 'Повече информация за ремонтите в кварталите, преди да започнат.' },
        [q.district!]: { text: 'Железник' },
        [q.years!]: { number: 14 },
        [q.visit!]: { date: '2026-10-12' },
      },
    ],
    [
      { userId: byEmail('resident2@sabor.local') },
      {
        ...base(4, q.yes!, [q.site!]),
        [q.priorities!]: { ranking: [q.budget!, q.roads!, q.events!] },
      },
    ],
    [
      { anonymous: true },
      {
        ...base(2, q.no!, [q.friends!]),
        [q.missing!]: { text: 'Не знам къде да търся решенията на съвета.' },
      },
    ],
    [
      { anonymous: true },
      { ...base(5, q.yes!, [q.social!, q.press!]), [q.years!]: { number: 40 } },
    ],
    [
      { anonymous: true },
      {
        ...base(4, q.partly!, [q.press!]),
        [q.channels!]: { optionIds: [q.press!], other: 'Радио' },
      },
    ],
    [
      { paperBy: admin },
      { ...base(3, q.partly!, [q.press!, q.friends!]), [q.district!]: { text: 'Център' } },
    ],
  ];
  for (const [index, [who, answers]] of responses.entries()) {
    await answer(tx, openId, who, answers, new Date(now.getTime() - (6 - index) * day));
  }

  const closedId = await createDemoSurvey(tx, closedSurvey(q), {
    createdBy: admin,
    state: 'closed',
    opensAt: new Date(now.getTime() - 60 * day),
    closesAt: new Date(now.getTime() - 30 * day),
    publishedAt: new Date(now.getTime() - 60 * day),
    closedAt: new Date(now.getTime() - 30 * day),
  });
  const closedAnswers: [number, string][] = [
    [5, q.short!],
    [4, q.short!],
    [2, q.long!],
    [4, q.long!],
  ];
  for (const [index, [served, wait]] of closedAnswers.entries()) {
    const userId =
      index < 2
        ? byEmail(index === 0 ? 'resident1@sabor.local' : 'resident2@sabor.local')
        : undefined;
    await answer(
      tx,
      closedId,
      userId ? { userId } : { paperBy: admin },
      { [q.served!]: { number: served }, [q.wait!]: { optionIds: [wait] } },
      new Date(now.getTime() - (50 - index) * day),
    );
  }
}
