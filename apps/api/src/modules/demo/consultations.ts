import {
  commentSupports,
  comments,
  consultationReports,
  consultations,
  consultationVersions,
  proposalResponses,
  users,
  type Executor,
} from '@sabor/db';
import { eq, inArray } from 'drizzle-orm';
import { seedDemoModeration } from './moderation';
import { recountStats } from '../comments/repository';

const dayMs = 24 * 60 * 60 * 1000;
const hourMs = 60 * 60 * 1000;

/** Residents who only appear as authors in the demo threads; they cannot sign in. */
const demoAuthors = [
  { email: 'ivan.stoyanov@sabor.local', displayName: 'Иван Стоянов' },
  { email: 'petya.nikolova@sabor.local', displayName: 'Петя Николова' },
  { email: 'dimitar.georgiev@sabor.local', displayName: 'Димитър Георгиев' },
  { email: 'anna.hristova@sabor.local', displayName: 'Анна Христова' },
];

const directorate = 'Дирекция „Устойчиво развитие и евроинтеграция“';

const rulesBody = `## Глава първа. Общи положения

**Чл. 1.** С този правилник се уреждат устройството, функциите и задачите на дирекция „Устойчиво развитие и евроинтеграция“ в общинска администрация – Стара Загора.

**Чл. 2.** Дирекцията подпомага кмета при подготовката и изпълнението на проекти, финансирани от Европейския съюз и други донори, и при планирането на устойчивото развитие на общината.

## Глава втора. Структура

**Чл. 3.** Дирекцията се ръководи от директор и включва отдели:

1. „Проекти и програми“;
2. „Стратегическо планиране“;
3. „Международно сътрудничество“.

## Глава трета. Функции

**Чл. 4.** Дирекцията:

- подготвя проектни предложения и следи за изпълнението на договорите за финансиране;
- поддържа публичен регистър на проектите с бюджет, срокове и резултати;
- организира обществени обсъждания на стратегическите документи на общината;
- отчита дейността си пред Общинския съвет веднъж годишно.

## Глава четвърта. Прозрачност

**Чл. 5.** Докладите за напредъка по проектите се публикуват на интернет страницата на общината в срок до 30 дни след края на всяко тримесечие.
`;

const cooperationBody = `## Цели

1. Задълбочаване на партньорствата с градовете-партньори на Стара Загора.
2. Обмен на добри практики в образованието, културата и градската мобилност.
3. Участие в европейски мрежи на градовете.

## Мерки

- ежегоден форум на градовете-партньори;
- програма за младежки обмен;
- съвместни проектни предложения по програмите на ЕС.
`;

type Stance = 'for' | 'against' | 'neutral';
interface DemoComment {
  key: string;
  author: string;
  body: string;
  stance?: Stance;
  parent?: string;
  /** Hours after the consultation opened. */
  at: number;
  supporters?: string[];
}

const openThread: DemoComment[] = [
  {
    key: 'register',
    author: 'resident1@sabor.local',
    stance: 'for',
    at: 3,
    body: 'Подкрепям публичния регистър на проектите в чл. 4. Предлагам регистърът да се публикува и като **отворени данни** (CSV), за да може всеки да го анализира.',
    supporters: [
      'ivan.stoyanov@sabor.local',
      'petya.nikolova@sabor.local',
      'resident2@sabor.local',
    ],
  },
  {
    key: 'register-reply',
    author: 'ivan.stoyanov@sabor.local',
    parent: 'register',
    at: 5,
    body: 'Съгласен съм. Добре е да има и дата на последната актуализация на всеки запис.',
  },
  {
    key: 'register-reply-2',
    author: 'resident1@sabor.local',
    parent: 'register-reply',
    at: 6,
    body: 'Да, и връзка към решението на Общинския съвет, с което е одобрено съфинансирането.',
  },
  {
    key: 'deadline',
    author: 'petya.nikolova@sabor.local',
    stance: 'against',
    at: 10,
    body: 'Срокът от 30 дни в чл. 5 е твърде дълъг. Докладите трябва да излизат до 14 дни след края на тримесечието.',
    supporters: ['dimitar.georgiev@sabor.local'],
  },
  {
    key: 'deadline-reply',
    author: 'dimitar.georgiev@sabor.local',
    parent: 'deadline',
    at: 12,
    body: 'Подкрепям. В много общини сроковете са по-кратки.',
  },
  {
    key: 'youth',
    author: 'resident2@sabor.local',
    stance: 'neutral',
    at: 20,
    body: 'Could the department for international cooperation also coordinate youth exchanges with the twin cities? Today nobody seems to own this.',
    supporters: ['anna.hristova@sabor.local'],
  },
  {
    key: 'discussions',
    author: 'anna.hristova@sabor.local',
    stance: 'for',
    at: 26,
    body: 'Добре е, че дирекцията ще организира обществени обсъждания. Предлагам те да се провеждат и вечер, след работно време, и да се излъчват онлайн.',
    supporters: [
      'resident1@sabor.local',
      'petya.nikolova@sabor.local',
      'ivan.stoyanov@sabor.local',
      'dimitar.georgiev@sabor.local',
    ],
  },
  {
    key: 'discussions-reply',
    author: 'petya.nikolova@sabor.local',
    parent: 'discussions',
    at: 28,
    body: 'И със записи, достъпни след това, с субтитри.',
  },
  {
    key: 'structure',
    author: 'dimitar.georgiev@sabor.local',
    stance: 'neutral',
    at: 40,
    body: 'Не е ясно колко служители ще има всеки отдел по чл. 3. Моля, посочете щатната численост.',
  },
  {
    key: 'report',
    author: 'ivan.stoyanov@sabor.local',
    stance: 'for',
    at: 52,
    body: 'Годишният отчет пред Общинския съвет трябва да включва и кои проекти **не** са спечелили финансиране и защо.',
    supporters: ['resident2@sabor.local'],
  },
  {
    key: 'report-reply',
    author: 'resident2@sabor.local',
    parent: 'report',
    at: 55,
    body: 'Agreed — lessons from rejected applications are as useful as the successes.',
  },
  {
    key: 'climate',
    author: 'petya.nikolova@sabor.local',
    stance: 'for',
    at: 70,
    body: 'Предлагам в чл. 2 изрично да се спомене и адаптацията към климатичните промени.',
  },
];

const closedThread: DemoComment[] = [
  {
    key: 'forum',
    author: 'resident1@sabor.local',
    stance: 'for',
    at: 4,
    body: 'Форумът на градовете-партньори да бъде отворен за граждани, не само за официални делегации.',
    supporters: ['ivan.stoyanov@sabor.local', 'resident2@sabor.local'],
  },
  {
    key: 'mobility',
    author: 'ivan.stoyanov@sabor.local',
    stance: 'neutral',
    at: 30,
    body: 'Да се добави обмен на опит за велосипедна инфраструктура с градовете-партньори.',
  },
  {
    key: 'budget',
    author: 'dimitar.georgiev@sabor.local',
    stance: 'against',
    at: 60,
    body: 'Стратегията няма бюджет. Без разчет на средствата мерките остават пожелания.',
    supporters: ['petya.nikolova@sabor.local'],
  },
];

const closedDecisions: Record<
  string,
  { decision: 'accepted' | 'partly_accepted' | 'not_accepted'; reason: string }
> = {
  forum: {
    decision: 'accepted',
    reason: 'Форумът ще има отворена част за граждани с предварителна регистрация.',
  },
  mobility: {
    decision: 'partly_accepted',
    reason:
      'Темата е включена в обмена на добри практики за градска мобилност; отделна мярка не се предвижда.',
  },
  budget: {
    decision: 'not_accepted',
    reason:
      'Бюджетът на мерките се определя ежегодно с бюджета на общината; стратегията посочва източниците на финансиране.',
  },
};

async function insertThread(
  tx: Executor,
  consultationId: string,
  opensAt: Date,
  thread: DemoComment[],
  userIds: Map<string, string>,
): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  const depth = new Map<string, number>();
  for (const item of thread) {
    const parentId = item.parent ? ids.get(item.parent) : undefined;
    const parent = item.parent ? thread.find((c) => c.key === item.parent) : undefined;
    const rootKey = parent ? (parent.parent ? rootOf(thread, parent) : parent.key) : undefined;
    const itemDepth = item.parent ? (depth.get(item.parent) ?? 0) + 1 : 0;
    const [row] = await tx
      .insert(comments)
      .values({
        consultationId,
        parentId: parentId ?? null,
        rootId: rootKey ? (ids.get(rootKey) ?? null) : null,
        depth: itemDepth,
        authorId: userIds.get(item.author)!,
        stance: item.stance ?? null,
        body: item.body,
        versionNumber: 1,
        supportCount: item.supporters?.length ?? 0,
        replyCount: thread.filter((c) => c.parent === item.key).length,
        createdAt: new Date(opensAt.getTime() + item.at * hourMs),
      })
      .returning({ id: comments.id });
    if (!row) throw new Error('demo comment insert returned no row');
    if (!item.parent) {
      await tx.update(comments).set({ rootId: row.id }).where(eq(comments.id, row.id));
    }
    ids.set(item.key, row.id);
    depth.set(item.key, itemDepth);
    if (item.supporters?.length) {
      await tx
        .insert(commentSupports)
        .values(
          item.supporters.map((email) => ({ commentId: row.id, userId: userIds.get(email)! })),
        );
    }
  }
  return ids;
}

function rootOf(thread: DemoComment[], item: DemoComment): string {
  let current = item;
  while (current.parent) current = thread.find((c) => c.key === current.parent)!;
  return current.key;
}

/**
 * The demo consultations: an open draft regulation with a lively thread, a closed strategy with
 * its published report, and an upcoming one. Skipped when the first already exists.
 */
export async function seedDemoConsultations(tx: Executor, now = new Date()): Promise<void> {
  const [existing] = await tx
    .select({ id: consultations.id })
    .from(consultations)
    .where(eq(consultations.slug, 'demo-directorate-rules'));
  if (existing) return;

  await tx
    .insert(users)
    .values(
      demoAuthors.map((author) => ({
        ...author,
        passwordHash: null,
        emailVerifiedAt: now,
      })),
    )
    .onConflictDoNothing();
  const [admin] = await tx.select().from(users).where(eq(users.email, 'admin@sabor.local'));
  if (!admin) throw new Error('the demo admin must be seeded first');
  const emails = [
    ...new Set(
      [...openThread, ...closedThread].flatMap((c) => [c.author, ...(c.supporters ?? [])]),
    ),
  ];
  const userRows = await tx
    .select({ id: users.id, email: users.email })
    .from(users)
    .where(inArray(users.email, emails));
  const userIds = new Map(userRows.map((row) => [row.email, row.id]));

  const create = async (values: typeof consultations.$inferInsert) => {
    const [row] = await tx.insert(consultations).values(values).returning();
    if (!row) throw new Error('demo consultation insert returned no row');
    await tx.insert(consultationVersions).values({
      consultationId: row.id,
      number: 1,
      body: row.body,
      createdBy: admin.id,
      createdAt: row.opensAt,
    });
    return row;
  };

  const openOpensAt = new Date(now.getTime() - 5 * dayMs);
  const open = await create({
    slug: 'demo-directorate-rules',
    titleBg: 'Проект на Правилник за дейността на дирекция „Устойчиво развитие и евроинтеграция“',
    titleEn:
      'Draft Rules of Procedure of the Sustainable Development and European Integration Directorate',
    summary:
      'Правилникът урежда структурата, функциите и отчетността на дирекцията, която подготвя и изпълнява европейските проекти на общината.',
    body: rulesBody,
    category: 'regulation',
    responsibleUnit: directorate,
    contactEmail: 'eu-projects@sabor.local',
    opensAt: openOpensAt,
    closesAt: new Date(openOpensAt.getTime() + 30 * dayMs),
    state: 'open',
    createdBy: admin.id,
    publishedAt: openOpensAt,
  });
  const openIds = await insertThread(tx, open.id, openOpensAt, openThread, userIds);
  await recountStats(tx, open.id);
  const openAuthors = new Map(openThread.map((c) => [c.key, userIds.get(c.author)!]));
  await seedDemoModeration(tx, open.id, openIds, userIds, openAuthors, now);
  await tx.insert(proposalResponses).values([
    { commentId: openIds.get('register')!, decision: 'under_review', respondedBy: admin.id },
    { commentId: openIds.get('deadline')!, decision: 'received', respondedBy: admin.id },
  ]);

  const closedOpensAt = new Date(now.getTime() - 60 * dayMs);
  const closedClosesAt = new Date(closedOpensAt.getTime() + 30 * dayMs);
  const closed = await create({
    slug: 'demo-twin-cities-strategy',
    titleBg: 'Стратегия за международно сътрудничество и градовете-партньори 2026–2030',
    titleEn: 'International Cooperation and Twin Cities Strategy 2026–2030',
    summary:
      'Стратегията определя целите и мерките на общината за сътрудничество с градовете-партньори.',
    body: cooperationBody,
    category: 'strategy',
    responsibleUnit: directorate,
    contactEmail: 'eu-projects@sabor.local',
    opensAt: closedOpensAt,
    closesAt: closedClosesAt,
    state: 'report_published',
    createdBy: admin.id,
    publishedAt: closedOpensAt,
  });
  const closedIds = await insertThread(tx, closed.id, closedOpensAt, closedThread, userIds);
  await recountStats(tx, closed.id);
  await tx.insert(proposalResponses).values(
    Object.entries(closedDecisions).map(([key, response]) => ({
      commentId: closedIds.get(key)!,
      ...response,
      respondedBy: admin.id,
    })),
  );
  await tx.insert(consultationReports).values({
    consultationId: closed.id,
    summary:
      'Постъпиха 3 предложения от граждани. Приети са 1, частично приети – 1, неприети – 1. Окончателният текст на стратегията е внесен в Общинския съвет.',
    publishedBy: admin.id,
    publishedAt: new Date(closedClosesAt.getTime() + 10 * dayMs),
  });

  const upcomingOpensAt = new Date(now.getTime() + 7 * dayMs);
  await create({
    slug: 'demo-cycling-plan',
    titleBg: 'План за развитие на велосипедната инфраструктура',
    titleEn: 'Cycling Infrastructure Development Plan',
    summary: 'Нови велоалеи, паркинги за велосипеди и връзки между кварталите.',
    body: '## Проект\n\nПланът предвижда 18 км нови велоалеи до 2030 г.',
    category: 'plan',
    responsibleUnit: 'Дирекция „Устройство на територията“',
    contactEmail: 'urban@sabor.local',
    opensAt: upcomingOpensAt,
    closesAt: new Date(upcomingOpensAt.getTime() + 30 * dayMs),
    state: 'scheduled',
    createdBy: admin.id,
    publishedAt: now,
  });
}
