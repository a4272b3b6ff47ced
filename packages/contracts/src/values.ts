/*
 * The values both apps and the browser need: enums, length limits, the role ladder, the time zone,
 * the survey condition rule and the live topic builders. Plain `as const` data and small pure
 * functions, no zod (a test checks its module graph), so browser code imports it through
 * `@sabor/contracts/values` without bringing the schemas into its bundle. The zod schemas are built
 * from these values (`z.enum(commentStances)`, `.max(limits.commentBody)`), so each value is
 * written once; the package root re-exports everything here. Types stay with the schemas
 * (`z.infer`).
 */

export * from './audit-actions';
export * from './live-topics';
export { hideReasonLabel, hideReasonTemplates } from './moderation-labels';

// ---------------------------------------------------------------------------------------------
// Language, time, people

export const locales = ['bg', 'en'] as const;
export const defaultLocale = 'bg' satisfies (typeof locales)[number];
/** Each language's name in itself, for language choices. */
export const localeNames = { bg: 'Български', en: 'English' } as const satisfies Record<
  (typeof locales)[number],
  string
>;
/** Cookie that remembers the chosen language for visitors (web and API read it). */
export const localeCookieName = 'sabor_locale';

/** The municipality's time zone: every date and time is shown, entered and grouped in it. */
export const timeZone = 'Europe/Sofia';

/** The role ladder, lowest first: each role may do everything the ones below it may. */
export const roles = ['resident', 'moderator', 'admin'] as const;
type RoleValue = (typeof roles)[number];

/** Whether `role` is `minimum` or above it on the ladder (no role, e.g. signed out: never). */
export function roleAtLeast(role: RoleValue | null | undefined, minimum: RoleValue): boolean {
  return role != null && roles.indexOf(role) >= roles.indexOf(minimum);
}

// ---------------------------------------------------------------------------------------------
// Enums

export const consultationCategories = [
  'regulation',
  'strategy',
  'plan',
  'budget',
  'urban_planning',
  'other',
] as const;
export const consultationStates = [
  'draft',
  'scheduled',
  'open',
  'closed',
  'report_published',
] as const;

/** A proposal's position on the draft; only top-level comments (proposals) carry one. */
export const commentStances = ['for', 'against', 'neutral'] as const;
/** The orders a consultation's comments can be read in; the first is the default. */
export const commentOrders = ['newest', 'oldest', 'supported'] as const;

/**
 * What became of a proposal: received → under review → one of the final decisions. Only a final
 * decision may stand in a published report.
 */
export const proposalDecisions = [
  'received',
  'under_review',
  'accepted',
  'partly_accepted',
  'not_accepted',
] as const;
export const finalProposalDecisions = ['accepted', 'partly_accepted', 'not_accepted'] as const;

export function isFinalDecision(
  decision: string | null | undefined,
): decision is (typeof finalProposalDecisions)[number] {
  return (finalProposalDecisions as readonly (string | null | undefined)[]).includes(decision);
}

/** Public reason templates a moderator hides a comment with; `other` carries free text. */
export const hideReasonCodes = [
  'spam',
  'offensive',
  'off_topic',
  'personal_data',
  'misinformation',
  'other',
] as const;
/** Why a comment was held for review when it was posted. */
export const holdReasons = [
  'premoderation',
  'new_account',
  'word_list',
  'link_from_new_account',
] as const;
/** Why a resident reports a comment; `other` needs details. */
export const reportReasons = [
  'spam',
  'offensive',
  'off_topic',
  'personal_data',
  'misinformation',
  'other',
] as const;

/** Why an item is in the moderation queue. */
export const moderationCauses = ['reported', 'auto_hidden', 'held'] as const;
export const moderationItemStatuses = ['pending', 'resolved'] as const;
/** The queue's orders; the first is the default. */
export const moderationQueueOrders = ['newest', 'most_reported'] as const;
/** The queue counts its items up to this many; beyond, it says "10,000+" (counting costs a scan). */
export const moderationQueueCountCap = 10_000;
/** What a moderator can do with a queue item (the `action` of a decision). */
export const moderationActions = ['approve', 'hide', 'restore', 'review'] as const;

export const eventTypes = [
  'conference',
  'forum',
  'public_hearing',
  'press_conference',
  'briefing',
  'exhibition',
  'presentation',
] as const;
export const eventStates = ['draft', 'published', 'cancelled'] as const;
export const registrationStatuses = [
  'pending_confirmation',
  'confirmed',
  'waitlisted',
  'cancelled',
] as const;
export const eventQuestionKinds = ['text', 'choice', 'checkbox', 'consent'] as const;

export const surveyStates = ['draft', 'published', 'closed'] as const;
export const surveyAudiences = ['residents', 'anyone'] as const;
/** live: public while open; after_close: public once closed; never: staff only. */
export const surveyResultsVisibilities = ['live', 'after_close', 'never'] as const;
export const surveyQuestionKinds = [
  'single_choice',
  'multiple_choice',
  'short_text',
  'long_text',
  'number',
  'date',
  'scale',
  'ranking',
  'matrix',
] as const;
export const surveyOptionRoles = ['option', 'row', 'column'] as const;

// ---------------------------------------------------------------------------------------------
// Limits

/** The most characters each text field accepts (the API refuses more; forms say so first). */
export const limits = {
  email: 254,
  displayName: 80,
  password: 256,

  consultationTitle: 200,
  consultationSummary: 1000,
  /** The Markdown text of a consultation (each version). */
  consultationBody: 100_000,
  responsibleUnit: 200,
  shortPeriodReason: 1000,
  /** Why a consultation closed early. */
  closeReason: 1000,
  consultationSearch: 200,
  documentTitle: 200,

  commentBody: 5000,
  reportDetails: 1000,
  proposalResponseReason: 2000,
  reportSummary: 20_000,

  /** A moderator's own words when hiding a comment. */
  moderationReasonText: 500,
  /** Why a user is warned or suspended. */
  accountActionReason: 1000,
  moderatorNote: 2000,
  userSearch: 200,

  eventTitle: 200,
  eventDescription: 20_000,
  eventVenue: 200,
  eventAddress: 300,
  eventUrl: 2000,
  eventCancelReason: 2000,
  agendaTitle: 300,
  agendaSpeakers: 500,
  eventQuestionLabel: 1000,
  eventQuestionOption: 200,
  registrationName: 200,
  registrationAnswer: 2000,
  attendeeSearch: 200,
  ticketCode: 200,

  surveyTitle: 300,
  surveyIntro: 20_000,
  surveyThankYou: 5000,
  surveySectionTitle: 300,
  surveyQuestionText: 1000,
  surveyQuestionHelp: 2000,
  /** The words at either end of a scale. */
  surveyScaleLabel: 100,
  surveyOptionLabel: 300,
  /** A short-text answer, and the "other" of a choice question. */
  surveyShortText: 300,
  surveyLongText: 5000,
  /** Why staff hid a free-text survey answer. */
  surveyAnswerHideReason: 500,

  /**
   * A draft act's text, pasted to have its structure recognised. The request body limit
   * (BODY_LIMIT_BYTES, 1 MiB by default: about 500,000 Cyrillic characters) usually comes first.
   */
  draftText: 2_000_000,
} as const;

/** The units of a structured draft act, from the whole act down to a letter of a point (issue 15). */
export const draftUnitKinds = [
  'preamble',
  'chapter',
  'section',
  'supplementary',
  'transitional',
  'final',
  'transitional_final',
  'article',
  'clause',
  'paragraph',
  'point',
  'letter',
] as const;
export type DraftUnitKind = (typeof draftUnitKinds)[number];

/** What recognising a draft's structure can report for staff to correct. */
export const draftProblemCodes = [
  'input_too_long',
  'too_many_units',
  'no_units_found',
  'unit_too_long',
  'numbering_skipped',
  'numbering_repeated',
  'numbering_out_of_order',
] as const;
export type DraftProblemCode = (typeof draftProblemCodes)[number];

/** The fewest characters of a new password. */
export const passwordMinLength = 10;

/** The range of each number of the automatic protection settings. */
export const moderationSettingsRanges = {
  autoHideReports: { min: 1, max: 100 },
  newAccountHours: { min: 0, max: 24 * 30 },
  newAccountHeldComments: { min: 0, max: 100 },
  newAccountPerMinute: { min: 0, max: 1000 },
  newAccountPerDay: { min: 0, max: 100_000 },
} as const;

// ---------------------------------------------------------------------------------------------
// Survey conditions

/**
 * Whether a question with `condition` (its `showIf`) is shown: always without one; with one, when
 * the answer to the question it names chose one of its options. `chosenOptionIds` is that answer's
 * choice, and must be empty (or undefined) when the named question is itself not shown, so hiding
 * a question hides the ones that depend on it. The API drops answers to questions not shown; the
 * forms hide them.
 */
export function surveyConditionMet(
  condition: { questionId: string; optionIds: readonly string[] } | null | undefined,
  chosenOptionIds: readonly string[] | undefined,
): boolean {
  if (!condition) return true;
  return (chosenOptionIds ?? []).some((id) => condition.optionIds.includes(id));
}
