import { timeZone } from '@sabor/contracts';
import {
  eventAgendaItems,
  eventQuestions,
  events,
  registrations,
  users,
  type Executor,
} from '@sabor/db';
import { eq, inArray } from 'drizzle-orm';
import { newTicketId } from '../events/ticket';

const dayMs = 24 * 60 * 60 * 1000;

/** The instant that is `hh:mm` in Sofia on the day `days` from `now` (either offset, +2 or +3). */
export function sofiaWallTime(now: Date, days: number, hh: number, mm = 0): Date {
  const day = new Date(now.getTime() + days * dayMs);
  const ymd = new Intl.DateTimeFormat('en-CA', { timeZone }).format(day);
  const guess = new Date(
    `${ymd}T${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}:00Z`,
  );
  // Sofia is ahead of UTC by 2 or 3 hours on that date.
  const sofiaHour = Number(
    new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hour: '2-digit',
      hourCycle: 'h23',
    }).format(guess),
  );
  const offsetHours = (sofiaHour - guess.getUTCHours() + 24) % 24;
  return new Date(guess.getTime() - offsetHours * 60 * 60 * 1000);
}

const forumDescriptionBg = `Стара Загора събира своите градове-партньори за двудневен разговор за **устойчивото развитие**, младежките обмени и общите проекти по европейските програми.

Форумът е открит за граждани, представители на неправителствени организации, училища и бизнес. Ще има превод на български и английски.`;

const forumDescriptionEn = `Stara Zagora brings its partner cities together to talk about **sustainable development**, youth exchanges and joint projects under European programmes.

The forum is open to residents, NGOs, schools and businesses. Interpretation into Bulgarian and English is provided.`;

/**
 * The demo events: the partner-cities forum (40 seats, a programme, questions and a few
 * registrations) and a press conference. Skipped when the forum already exists.
 */
export async function seedDemoEvents(tx: Executor, now = new Date()): Promise<void> {
  const [existing] = await tx
    .select({ id: events.id })
    .from(events)
    .where(eq(events.slug, 'demo-partner-cities-forum'));
  if (existing) return;
  const [admin] = await tx.select().from(users).where(eq(users.email, 'admin@sabor.local'));
  if (!admin) throw new Error('the demo admin must be seeded first');

  const forumStart = sofiaWallTime(now, 21, 10);
  const at = (hh: number, mm = 0) => sofiaWallTime(now, 21, hh, mm);
  const [forum] = await tx
    .insert(events)
    .values({
      slug: 'demo-partner-cities-forum',
      type: 'forum',
      titleBg: 'Международен форум на градовете-партньори на Стара Загора',
      titleEn: 'International Forum of the Partner Cities of Stara Zagora',
      descriptionBg: forumDescriptionBg,
      descriptionEn: forumDescriptionEn,
      venueBg: 'Зала „Арт Диалог“, Община Стара Загора',
      venueEn: 'Art Dialog Hall, Stara Zagora Municipality',
      addressBg: 'бул. „Цар Симеон Велики“ 107, 6000 Стара Загора',
      addressEn: '107 Tsar Simeon Veliki Blvd, 6000 Stara Zagora',
      startsAt: forumStart,
      endsAt: at(17, 30),
      capacity: 40,
      registrationClosesAt: sofiaWallTime(now, 20, 18),
      guestsAllowed: true,
      state: 'published',
      createdBy: admin.id,
      publishedAt: now,
    })
    .returning();
  if (!forum) throw new Error('demo event insert returned no row');

  await tx.insert(eventAgendaItems).values(
    [
      [
        at(10),
        at(10, 30),
        'Откриване и приветствия',
        'Opening and welcome',
        'Кметът на Община Стара Загора',
      ],
      [
        at(10, 30),
        at(12),
        'Панел: градска мобилност и климат',
        'Panel: urban mobility and climate',
        'Представители на градовете-партньори',
      ],
      [at(12), at(13, 30), 'Обедна почивка', 'Lunch break', null],
      [
        at(13, 30),
        at(15, 30),
        'Младежки обмени и образование',
        'Youth exchanges and education',
        'Дирекция „Устойчиво развитие и евроинтеграция“',
      ],
      [
        at(15, 30),
        at(17, 30),
        'Общи проекти по европейски програми',
        'Joint projects under European programmes',
        null,
      ],
    ].map(([startsAt, endsAt, titleBg, titleEn, speakers], position) => ({
      eventId: forum.id,
      position,
      startsAt: startsAt as Date,
      endsAt: endsAt as Date,
      titleBg: titleBg as string,
      titleEn: titleEn as string,
      speakers: speakers as string | null,
    })),
  );

  const questions = await tx
    .insert(eventQuestions)
    .values([
      {
        eventId: forum.id,
        position: 0,
        kind: 'text',
        labelBg: 'Организация',
        labelEn: 'Organisation',
        required: false,
      },
      {
        eventId: forum.id,
        position: 1,
        kind: 'choice',
        labelBg: 'Език на превода',
        labelEn: 'Interpretation language',
        required: true,
        options: [
          { key: '1', labelBg: 'Български', labelEn: 'Bulgarian' },
          { key: '2', labelBg: 'Английски', labelEn: 'English' },
        ],
      },
      {
        eventId: forum.id,
        position: 2,
        kind: 'checkbox',
        labelBg: 'Нуждая се от достъпна среда',
        labelEn: 'I need accessibility assistance',
        required: false,
      },
      {
        eventId: forum.id,
        position: 3,
        kind: 'consent',
        labelBg: 'Съгласен/съгласна съм личните ми данни да се обработват за целите на форума.',
        labelEn: 'I agree that my personal data is processed for the forum.',
        required: true,
      },
    ])
    .returning();
  const [organisation, language, accessibility, consent] = questions.map((q) => q.id);

  const people = await tx
    .select()
    .from(users)
    .where(
      inArray(users.email, [
        'resident1@sabor.local',
        'resident2@sabor.local',
        'ivan.stoyanov@sabor.local',
        'petya.nikolova@sabor.local',
      ]),
    );
  const registrants = [
    ...people.map((user) => ({
      userId: user.id,
      name: user.displayName,
      email: user.email,
      locale: user.locale,
      status: 'confirmed' as const,
      emailConfirmedAt: now,
    })),
    {
      userId: null,
      name: 'Мария Костова',
      email: 'maria.kostova@example.bg',
      locale: 'bg' as const,
      status: 'confirmed' as const,
      emailConfirmedAt: now,
    },
  ];
  await tx.insert(registrations).values(
    registrants.map((person, index) => ({
      ...person,
      eventId: forum.id,
      ticketId: newTicketId(),
      answers: {
        ...(index === 4 && { [organisation!]: 'НПО „Зелена Загора“' }),
        [language!]: person.locale === 'en' ? '2' : '1',
        [accessibility!]: index === 2,
        [consent!]: true,
      },
    })),
  );

  await tx.insert(events).values({
    slug: 'demo-press-conference',
    type: 'press_conference',
    titleBg:
      'Пресконференция: резултати от общественото обсъждане на плана за велосипедна мобилност',
    titleEn: 'Press conference: results of the public consultation on the cycling plan',
    descriptionBg:
      'Кметът и дирекция „Устойчиво развитие и евроинтеграция“ представят получените предложения и следващите стъпки.',
    descriptionEn:
      'The mayor and the Sustainable Development and European Integration Directorate present the proposals received and the next steps.',
    venueBg: 'Пресцентър на Община Стара Загора',
    venueEn: 'Press centre, Stara Zagora Municipality',
    addressBg: 'бул. „Цар Симеон Велики“ 107, 6000 Стара Загора',
    addressEn: '107 Tsar Simeon Veliki Blvd, 6000 Stara Zagora',
    startsAt: sofiaWallTime(now, 6, 11),
    endsAt: sofiaWallTime(now, 6, 12),
    capacity: null,
    guestsAllowed: true,
    state: 'published',
    createdBy: admin.id,
    publishedAt: now,
  });
}
