import { z } from 'zod';
import { defineRoutes } from './route';
import {
  emailSchema,
  idParamsSchema,
  isoDateTime,
  lineText,
  multilineText,
  pageOf,
  pageQuerySchema,
  type Locale,
} from './common';
import { errorBodySchema } from './errors';
import {
  eventQuestionKinds,
  eventStates,
  eventTypes,
  limits,
  registrationStatuses,
} from './values';

export const eventTypeSchema = z.enum(eventTypes);
export type EventType = z.infer<typeof eventTypeSchema>;

export const eventTypeLabels: Record<EventType, Record<Locale, string>> = {
  conference: { bg: 'Конференция', en: 'Conference' },
  forum: { bg: 'Форум', en: 'Forum' },
  public_hearing: { bg: 'Обществено обсъждане', en: 'Public hearing' },
  press_conference: { bg: 'Пресконференция', en: 'Press conference' },
  briefing: { bg: 'Брифинг', en: 'Briefing' },
  exhibition: { bg: 'Изложба', en: 'Exhibition' },
  presentation: { bg: 'Представяне', en: 'Presentation' },
};

export const eventStateSchema = z.enum(eventStates);
export type EventState = z.infer<typeof eventStateSchema>;

/**
 * pending_confirmation: a guest holds a seat until they open the emailed link (or the deadline
 * passes); confirmed: has a seat and a ticket; waitlisted: waits in order for a seat.
 */
export const registrationStatusSchema = z.enum(registrationStatuses);
export type RegistrationStatus = z.infer<typeof registrationStatusSchema>;

export const eventQuestionKindSchema = z.enum(eventQuestionKinds);
export type EventQuestionKind = z.infer<typeof eventQuestionKindSchema>;

/** Unconfirmed guest registrations are released this long after registering (or promotion). */
export const guestConfirmationHours = 24;
export const maxEventCapacity = 100_000;

const requiredMultiline = (max: number) => multilineText(max).pipe(z.string().trim().min(1));
const webUrl = z
  .url({ protocol: /^https?$/ })
  .max(limits.eventUrl)
  .refine((value) => !/[\s<>"]/.test(value), { message: 'invalid' });

export const agendaItemInputSchema = z.object({
  startsAt: isoDateTime,
  endsAt: isoDateTime.nullable().optional(),
  titleBg: lineText(limits.agendaTitle),
  titleEn: lineText(limits.agendaTitle).nullable().optional(),
  speakers: lineText(limits.agendaSpeakers).nullable().optional(),
});
export type AgendaItemInput = z.infer<typeof agendaItemInputSchema>;

export const questionOptionInputSchema = z.object({
  labelBg: lineText(limits.eventQuestionOption),
  labelEn: lineText(limits.eventQuestionOption).nullable().optional(),
});

/**
 * A custom registration question. `choice` needs 2–20 options; a `consent` is always required
 * (its label is the text one agrees to); a required `checkbox` must be ticked.
 */
export const questionInputSchema = z
  .object({
    kind: eventQuestionKindSchema,
    labelBg: multilineText(limits.eventQuestionLabel).pipe(z.string().trim().min(1)),
    labelEn: multilineText(limits.eventQuestionLabel)
      .pipe(z.string().trim().min(1))
      .nullable()
      .optional(),
    required: z.boolean().optional(),
    options: z.array(questionOptionInputSchema).max(20).optional(),
  })
  .refine(
    (q) =>
      q.kind === 'choice'
        ? (q.options?.length ?? 0) >= 2
        : q.options === undefined || q.options.length === 0,
    { message: 'invalid', path: ['options'] },
  );
export type QuestionInput = z.infer<typeof questionInputSchema>;

/**
 * Instants are ISO 8601 with an offset; the admin pages send Europe/Sofia local times with
 * Sofia's offset for that date. `capacity: null` is unlimited.
 */
export const createEventBodySchema = z.object({
  type: eventTypeSchema,
  titleBg: lineText(limits.eventTitle),
  titleEn: lineText(limits.eventTitle).nullable().optional(),
  descriptionBg: requiredMultiline(limits.eventDescription),
  descriptionEn: requiredMultiline(limits.eventDescription).nullable().optional(),
  venueBg: lineText(limits.eventVenue),
  venueEn: lineText(limits.eventVenue).nullable().optional(),
  addressBg: lineText(limits.eventAddress),
  addressEn: lineText(limits.eventAddress).nullable().optional(),
  onlineUrl: webUrl.nullable().optional(),
  startsAt: isoDateTime,
  endsAt: isoDateTime,
  capacity: z.number().int().min(1).max(maxEventCapacity).nullable(),
  registrationOpensAt: isoDateTime.nullable().optional(),
  registrationClosesAt: isoDateTime.nullable().optional(),
  guestsAllowed: z.boolean().optional(),
  agenda: z.array(agendaItemInputSchema).max(100).optional(),
  questions: z.array(questionInputSchema).max(30).optional(),
});
export type CreateEventBody = z.infer<typeof createEventBodySchema>;

/**
 * Any non-empty subset. `agenda` replaces the programme; `questions` replaces the questions only
 * while nobody has registered. Changing time or place of a published event mails its registrants.
 */
export const updateEventBodySchema = createEventBodySchema
  .partial()
  .refine((fields) => Object.values(fields).some((value) => value !== undefined), {
    message: 'required',
  });
export type UpdateEventBody = z.infer<typeof updateEventBodySchema>;

export const cancelEventBodySchema = z.object({
  reason: requiredMultiline(limits.eventCancelReason),
});

export const agendaItemSchema = z.object({
  startsAt: isoDateTime,
  endsAt: isoDateTime.nullable(),
  titleBg: z.string(),
  titleEn: z.string().nullable(),
  speakers: z.string().nullable(),
});

export const eventQuestionSchema = z.object({
  id: z.uuid(),
  kind: eventQuestionKindSchema,
  labelBg: z.string(),
  labelEn: z.string().nullable(),
  required: z.boolean(),
  /** For `choice`: an answer is one option's key. */
  options: z.array(
    z.object({ key: z.string(), labelBg: z.string(), labelEn: z.string().nullable() }),
  ),
});
export type EventQuestion = z.infer<typeof eventQuestionSchema>;

export const eventSummarySchema = z.object({
  id: z.uuid(),
  type: eventTypeSchema,
  state: eventStateSchema,
  titleBg: z.string(),
  titleEn: z.string().nullable(),
  venueBg: z.string(),
  venueEn: z.string().nullable(),
  startsAt: isoDateTime,
  endsAt: isoDateTime,
  /** Null: unlimited. */
  capacity: z.number().int().nullable(),
  /** Seats not held by confirmed or pending registrations; null when unlimited. */
  seatsLeft: z.number().int().nullable(),
  waitlisted: z.number().int(),
  /** Whether the registration form accepts registrations now. */
  registrationOpen: z.boolean(),
  guestsAllowed: z.boolean(),
});
export type EventSummary = z.infer<typeof eventSummarySchema>;

export const eventSchema = eventSummarySchema.extend({
  descriptionBg: z.string(),
  descriptionEn: z.string().nullable(),
  /** The descriptions rendered as safe HTML. */
  descriptionBgHtml: z.string(),
  descriptionEnHtml: z.string().nullable(),
  addressBg: z.string(),
  addressEn: z.string().nullable(),
  onlineUrl: z.string().nullable(),
  registrationOpensAt: isoDateTime.nullable(),
  registrationClosesAt: isoDateTime.nullable(),
  cancelledReason: z.string().nullable(),
  agenda: z.array(agendaItemSchema),
  questions: z.array(eventQuestionSchema),
  publishedAt: isoDateTime.nullable(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
  /** Newest live event id before this was read: subscribe to `event:<id>` from it. */
  lastEventId: z.number().int().min(0),
  /** The signed-in viewer's active registration, if any. */
  viewerRegistration: z.object({ id: z.uuid(), status: registrationStatusSchema }).nullable(),
});
export type Event = z.infer<typeof eventSchema>;

export const eventListQuerySchema = pageQuerySchema.extend({
  /** upcoming: not yet ended, soonest first; past: ended, newest first. */
  when: z.enum(['upcoming', 'past']).default('upcoming'),
  type: eventTypeSchema.optional(),
});
export type EventListQuery = z.infer<typeof eventListQuerySchema>;

export const adminEventListQuerySchema = pageQuerySchema.extend({
  state: eventStateSchema.optional(),
});
export type AdminEventListQuery = z.infer<typeof adminEventListQuerySchema>;

export const eventListSchema = pageOf(eventSummarySchema).extend({
  /** Newest live event id before the list was read: subscribe to the events' topics from it. */
  lastEventId: z.number().int().min(0),
});
export type EventList = z.infer<typeof eventListSchema>;

/** An answer: text, the key of a choice, or a tick (checkbox, consent). */
export const registrationAnswerSchema = z.union([
  multilineText(limits.registrationAnswer).pipe(z.string().trim()),
  z.boolean(),
]);

/**
 * Registering: a signed-in resident sends only the answers (name and email come from the
 * account); a guest also sends name and email. Answers are keyed by question id.
 */
export const eventRegistrationBodySchema = z.object({
  name: lineText(limits.registrationName).optional(),
  email: emailSchema.optional(),
  /** Required, `{}` when the event asks nothing. */
  answers: z
    .record(z.uuid(), registrationAnswerSchema)
    .refine((answers) => Object.keys(answers).length <= 30, { message: 'invalid' }),
});
export type EventRegistrationBody = z.infer<typeof eventRegistrationBodySchema>;

export const ticketSchema = z.object({
  /** What the door staff type or scan, e.g. `ABCD-EFGH-…`. */
  code: z.string(),
  /** The QR code of `code` as an SVG data URL, for an `<img>`. */
  qrDataUrl: z.string(),
});

/** A registration as its owner sees it (signed in, or through the link in a mail). */
export const registrationSchema = z.object({
  id: z.uuid(),
  status: registrationStatusSchema,
  name: z.string().nullable(),
  email: z.string().nullable(),
  /** 1 for the first on the waitlist; null unless waitlisted. */
  waitlistPosition: z.number().int().nullable(),
  /** Pending: the seat is released unless confirmed by then. */
  confirmBy: isoDateTime.nullable(),
  emailConfirmed: z.boolean(),
  createdAt: isoDateTime,
  cancelledAt: isoDateTime.nullable(),
  checkedInAt: isoDateTime.nullable(),
  /** Only while confirmed. */
  ticket: ticketSchema.nullable(),
  event: eventSummarySchema,
});
export type Registration = z.infer<typeof registrationSchema>;

export const registrationListSchema = pageOf(registrationSchema);
export type RegistrationList = z.infer<typeof registrationListSchema>;

/**
 * The secret of the links in registration mails: an HMAC of the registration id, 32 bytes in
 * base32 lower case (52 characters).
 */
export const registrationTokenSchema = z.string().regex(/^[a-z2-7]{52}$/);

export const registrationTokenBodySchema = z.object({
  registrationId: z.uuid(),
  token: registrationTokenSchema,
});
export type RegistrationTokenBody = z.infer<typeof registrationTokenBodySchema>;
export const registrationTokenQuerySchema = registrationTokenBodySchema;

/** 409 on a second registration of the same person: says what the first one is. */
export const alreadyRegisteredBodySchema = errorBodySchema.extend({
  registration: z
    .object({
      /** Only to the signed-in owner (a guest's id is never revealed to whoever types an email). */
      id: z.uuid().nullable(),
      status: registrationStatusSchema,
    })
    .optional(),
});
export type AlreadyRegisteredBody = z.infer<typeof alreadyRegisteredBodySchema>;

export const attendeeSchema = z.object({
  id: z.uuid(),
  /** Arrival order. */
  number: z.number().int(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  hasAccount: z.boolean(),
  status: registrationStatusSchema,
  answers: z.record(z.string(), z.union([z.string(), z.boolean()])),
  createdAt: isoDateTime,
  confirmBy: isoDateTime.nullable(),
  checkedInAt: isoDateTime.nullable(),
  cancelledAt: isoDateTime.nullable(),
});
export type Attendee = z.infer<typeof attendeeSchema>;

export const attendeeListQuerySchema = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
  status: registrationStatusSchema.optional(),
  /** Name or email contains. */
  q: multilineText(limits.attendeeSearch).pipe(z.string().trim()).optional(),
});
export type AttendeeListQuery = z.infer<typeof attendeeListQuerySchema>;

export const registrationCountsSchema = z.object({
  confirmed: z.number().int(),
  pendingConfirmation: z.number().int(),
  waitlisted: z.number().int(),
  cancelled: z.number().int(),
  checkedIn: z.number().int(),
});

export const attendeeListSchema = pageOf(attendeeSchema).extend({
  counts: registrationCountsSchema,
  questions: z.array(eventQuestionSchema),
});
export type AttendeeList = z.infer<typeof attendeeListSchema>;

/** The CSV export takes the list's filters; anything else (paging included) is refused. */
export const attendeeExportQuerySchema = attendeeListQuerySchema
  .pick({ status: true, q: true })
  .strict();

export const checkInBodySchema = z.object({ code: z.string().max(limits.ticketCode) });
export type CheckInBody = z.infer<typeof checkInBodySchema>;

export const checkInResultSchema = z.object({
  registrationId: z.uuid(),
  name: z.string().nullable(),
  status: registrationStatusSchema,
  checkedInAt: isoDateTime,
});
export type CheckInResult = z.infer<typeof checkInResultSchema>;

/**
 * 409 of a check-in refused for a known ticket of this event (cancelled, not confirmed, already
 * used): whose ticket it is, so the door staff can tell the person.
 */
export const checkInRefusedBodySchema = errorBodySchema.extend({
  attendee: z
    .object({
      name: z.string().nullable(),
      status: registrationStatusSchema,
      checkedInAt: isoDateTime.nullable(),
    })
    .optional(),
});
export type CheckInRefusedBody = z.infer<typeof checkInRefusedBodySchema>;

/** Live event on topic `event:<id>`: the public seat count changed. */
export const seatsChangedEventSchema = z.object({
  type: z.literal('seats_changed'),
  seatsLeft: z.number().int().nullable(),
  waitlisted: z.number().int(),
});

/** Live event on topic `event:<id>`: published, cancelled, or time/place changed. */
export const eventChangedEventSchema = z.object({
  type: z.literal('event_changed'),
  state: eventStateSchema,
});

export const eventLiveEventSchema = z.discriminatedUnion('type', [
  seatsChangedEventSchema,
  eventChangedEventSchema,
]);
export type EventLiveEvent = z.infer<typeof eventLiveEventSchema>;

/** Error statuses of most event routes. */
const eventErrors = [400, 401, 403, 404, 409] as const;

/**
 * This feature's endpoints (see routes.ts). Two 409 answers say more than `error`: the
 * registration that already exists (`alreadyRegisteredBodySchema`) and whose ticket a refused
 * check-in is (`checkInRefusedBodySchema`).
 */
export const eventRoutes = defineRoutes({
  events: {
    method: 'GET',
    path: '/api/events',
    access: 'public',
    tag: 'events',
    summary: 'Public events: upcoming (soonest first) or past (newest first), with seats left',
    query: eventListQuerySchema,
    response: eventListSchema,
    errors: [400],
  },
  eventsCalendar: {
    method: 'GET',
    path: '/api/events.ics',
    access: 'public',
    tag: 'events',
    summary: 'All public events as an iCalendar feed (subscribe to it)',
    response: { file: ['text/calendar'], description: 'iCalendar (RFC 5545)' },
    errors: [],
  },
  event: {
    method: 'GET',
    path: '/api/events/:id',
    access: 'public',
    tag: 'events',
    summary: 'One event with programme, questions, seats left and the viewer’s registration',
    params: idParamsSchema,
    response: eventSchema,
    errors: [400, 404],
  },
  eventCalendar: {
    method: 'GET',
    path: '/api/events/:id.ics',
    access: 'public',
    tag: 'events',
    summary: 'The event as an iCalendar file',
    params: idParamsSchema,
    response: { file: ['text/calendar'], description: 'iCalendar (RFC 5545)' },
    errors: [400, 404],
  },
  /** 409 already_registered carries `registration` (alreadyRegisteredBodySchema). */
  registerForEvent: {
    method: 'POST',
    path: '/api/events/:id/registrations',
    access: 'public',
    tag: 'events',
    summary:
      'Register: residents at once (confirmed or waitlisted), guests with name and email (pending until confirmed by mail)',
    params: idParamsSchema,
    body: eventRegistrationBodySchema,
    status: 201,
    response: registrationSchema,
    errors: eventErrors,
    idempotent: 'resumable',
    // Each guest registration mails an address someone typed: bounded per client address.
    rateLimit: { max: 30, timeWindow: '10 minutes' },
    otherResponses: { 409: alreadyRegisteredBodySchema },
  },
  registrationByToken: {
    method: 'GET',
    path: '/api/events/registrations/by-token',
    access: 'public',
    tag: 'events',
    summary: 'A registration seen through its mailed link',
    query: registrationTokenQuerySchema,
    response: registrationSchema,
    errors: eventErrors,
  },
  confirmRegistration: {
    method: 'POST',
    path: '/api/events/registrations/confirm',
    access: 'public',
    tag: 'events',
    summary: 'Confirm a guest registration (the link in the first mail); repeating is harmless',
    body: registrationTokenBodySchema,
    response: registrationSchema,
    errors: eventErrors,
  },
  cancelRegistrationByToken: {
    method: 'POST',
    path: '/api/events/registrations/cancel',
    access: 'public',
    tag: 'events',
    summary: 'Cancel a registration through its mailed link; the seat goes to the waitlist',
    body: registrationTokenBodySchema,
    response: registrationSchema,
    errors: eventErrors,
  },
  myRegistrations: {
    method: 'GET',
    path: '/api/account/registrations',
    access: 'user',
    tag: 'events',
    summary: 'My registrations, newest event first, with tickets',
    query: pageQuerySchema,
    response: registrationListSchema,
    errors: eventErrors,
  },
  myRegistration: {
    method: 'GET',
    path: '/api/account/registrations/:id',
    access: 'user',
    tag: 'events',
    summary: 'One of my registrations (404 for anyone else’s)',
    params: idParamsSchema,
    response: registrationSchema,
    errors: eventErrors,
  },
  cancelMyRegistration: {
    method: 'POST',
    path: '/api/account/registrations/:id/cancel',
    access: 'user',
    tag: 'events',
    summary: 'Cancel one of my registrations; the seat goes to the first on the waitlist',
    params: idParamsSchema,
    response: registrationSchema,
    errors: eventErrors,
  },
  adminEvents: {
    method: 'GET',
    path: '/api/admin/events',
    access: 'admin',
    tag: ['events', 'admin'],
    summary: 'All events, drafts included, newest first',
    query: adminEventListQuerySchema,
    response: eventListSchema,
    errors: eventErrors,
  },
  createEvent: {
    method: 'POST',
    path: '/api/admin/events',
    access: 'admin',
    tag: ['events', 'admin'],
    summary: 'Create an event as a draft, with its programme and registration questions',
    body: createEventBodySchema,
    status: 201,
    response: eventSchema,
    errors: eventErrors,
    idempotent: 'resumable',
  },
  updateEvent: {
    method: 'PATCH',
    path: '/api/admin/events/:id',
    access: 'admin',
    tag: ['events', 'admin'],
    summary: 'Edit an event; a new time or place is mailed to everyone registered',
    params: idParamsSchema,
    body: updateEventBodySchema,
    response: eventSchema,
    errors: eventErrors,
  },
  publishEvent: {
    method: 'POST',
    path: '/api/admin/events/:id/publish',
    access: 'admin',
    tag: ['events', 'admin'],
    summary: 'Publish a draft event (registration opens per its settings)',
    params: idParamsSchema,
    response: eventSchema,
    errors: eventErrors,
  },
  cancelEvent: {
    method: 'POST',
    path: '/api/admin/events/:id/cancel',
    access: 'admin',
    tag: ['events', 'admin'],
    summary: 'Cancel a published event with a reason; everyone registered is mailed',
    params: idParamsSchema,
    body: cancelEventBodySchema,
    response: eventSchema,
    errors: eventErrors,
  },
  attendees: {
    method: 'GET',
    path: '/api/admin/events/:id/registrations',
    access: 'moderator',
    tag: ['events', 'admin'],
    summary: 'Attendee list with answers; search by name or email, filter by status',
    params: idParamsSchema,
    query: attendeeListQuerySchema,
    response: attendeeListSchema,
    errors: eventErrors,
  },
  attendeesCsv: {
    method: 'GET',
    path: '/api/admin/events/:id/registrations.csv',
    access: 'moderator',
    tag: ['events', 'admin'],
    summary: 'Attendee list as CSV (UTF-8 with BOM, one column per question)',
    params: idParamsSchema,
    query: attendeeExportQuerySchema,
    response: { file: ['text/csv'], description: 'RFC 4180 CSV, one registration a row' },
    errors: eventErrors,
  },
  /** 409 refusals of a known ticket carry `attendee` (checkInRefusedBodySchema). */
  checkIn: {
    method: 'POST',
    path: '/api/admin/events/:id/check-in',
    access: 'moderator',
    tag: ['events', 'admin'],
    summary: 'Check a ticket in by its typed or scanned code',
    params: idParamsSchema,
    body: checkInBodySchema,
    response: checkInResultSchema,
    errors: eventErrors,
    otherResponses: { 409: checkInRefusedBodySchema },
  },
});
