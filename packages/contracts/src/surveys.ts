import { z } from 'zod';
import { defineRoutes } from './route';
import { idParamsSchema, isoDateTime, lineText, multilineText, okSchema } from './common';
import {
  limits,
  surveyAudiences,
  surveyOptionRoles,
  surveyQuestionKinds,
  surveyResultsVisibilities,
  surveyStates,
} from './values';

export const surveyStateSchema = z.enum(surveyStates);
export type SurveyState = z.infer<typeof surveyStateSchema>;
export const surveyAudienceSchema = z.enum(surveyAudiences);
export type SurveyAudience = z.infer<typeof surveyAudienceSchema>;
export const surveyResultsVisibilitySchema = z.enum(surveyResultsVisibilities);
export type SurveyResultsVisibility = z.infer<typeof surveyResultsVisibilitySchema>;
export const surveyQuestionKindSchema = z.enum(surveyQuestionKinds);
export type SurveyQuestionKind = z.infer<typeof surveyQuestionKindSchema>;
export const surveyOptionRoleSchema = z.enum(surveyOptionRoles);
export type SurveyOptionRole = z.infer<typeof surveyOptionRoleSchema>;

export const maxSurveyQuestions = 200;
export const maxSurveyOptions = 100;

const requiredMultiline = (max: number) => multilineText(max).pipe(z.string().trim().min(1));
const optionalText = (max: number) => lineText(max).nullable().optional();

/**
 * Every section, question and option carries an id the client chooses (a UUID) when it is new and
 * keeps afterwards: the builder PUTs the whole structure, the server updates what it knows, adds
 * what is new and removes what is gone, and `showIf` can point at a question of the same request.
 */
export const surveyOptionInputSchema = z.object({
  id: z.uuid(),
  role: surveyOptionRoleSchema.default('option'),
  labelBg: lineText(limits.surveyOptionLabel),
  labelEn: optionalText(limits.surveyOptionLabel),
});

export const surveyConditionSchema = z.object({
  questionId: z.uuid(),
  optionIds: z.array(z.uuid()).min(1).max(maxSurveyOptions),
});
export type SurveyCondition = z.infer<typeof surveyConditionSchema>;

export const surveyQuestionInputSchema = z.object({
  id: z.uuid(),
  kind: surveyQuestionKindSchema,
  required: z.boolean().default(false),
  textBg: requiredMultiline(limits.surveyQuestionText),
  textEn: requiredMultiline(limits.surveyQuestionText).nullable().optional(),
  helpBg: requiredMultiline(limits.surveyQuestionHelp).nullable().optional(),
  helpEn: requiredMultiline(limits.surveyQuestionHelp).nullable().optional(),
  allowOther: z.boolean().default(false),
  /** multiple_choice: fewest/most selections; number and scale: the range (scale: integers). */
  min: z.number().finite().nullable().optional(),
  max: z.number().finite().nullable().optional(),
  minLabelBg: optionalText(limits.surveyScaleLabel),
  minLabelEn: optionalText(limits.surveyScaleLabel),
  maxLabelBg: optionalText(limits.surveyScaleLabel),
  maxLabelEn: optionalText(limits.surveyScaleLabel),
  showIf: surveyConditionSchema.nullable().optional(),
  options: z.array(surveyOptionInputSchema).max(maxSurveyOptions).default([]),
});
export type SurveyQuestionInput = z.input<typeof surveyQuestionInputSchema>;

export const surveySectionInputSchema = z.object({
  id: z.uuid(),
  titleBg: lineText(limits.surveySectionTitle),
  titleEn: optionalText(limits.surveySectionTitle),
  questions: z.array(surveyQuestionInputSchema).max(maxSurveyQuestions),
});

/** The whole survey as the builder edits it (create and PUT). Order in the arrays is the order. */
export const surveyInputSchema = z.object({
  titleBg: lineText(limits.surveyTitle),
  titleEn: optionalText(limits.surveyTitle),
  introBg: multilineText(limits.surveyIntro).default(''),
  introEn: multilineText(limits.surveyIntro).nullable().optional(),
  thankYouBg: multilineText(limits.surveyThankYou).default(''),
  thankYouEn: multilineText(limits.surveyThankYou).nullable().optional(),
  opensAt: isoDateTime.nullable().optional(),
  closesAt: isoDateTime.nullable().optional(),
  audience: surveyAudienceSchema.default('residents'),
  resultsVisibility: surveyResultsVisibilitySchema.default('after_close'),
  sections: z.array(surveySectionInputSchema).min(1).max(50),
});
export type SurveyInput = z.input<typeof surveyInputSchema>;
export type SurveyInputParsed = z.output<typeof surveyInputSchema>;

export const surveyOptionSchema = z.object({
  id: z.uuid(),
  role: surveyOptionRoleSchema,
  labelBg: z.string(),
  labelEn: z.string().nullable(),
});
export const surveyQuestionSchema = z.object({
  id: z.uuid(),
  kind: surveyQuestionKindSchema,
  required: z.boolean(),
  textBg: z.string(),
  textEn: z.string().nullable(),
  helpBg: z.string().nullable(),
  helpEn: z.string().nullable(),
  allowOther: z.boolean(),
  min: z.number().nullable(),
  max: z.number().nullable(),
  minLabelBg: z.string().nullable(),
  minLabelEn: z.string().nullable(),
  maxLabelBg: z.string().nullable(),
  maxLabelEn: z.string().nullable(),
  showIf: surveyConditionSchema.nullable(),
  options: z.array(surveyOptionSchema),
});
export type SurveyQuestion = z.infer<typeof surveyQuestionSchema>;
export const surveySectionSchema = z.object({
  id: z.uuid(),
  titleBg: z.string(),
  titleEn: z.string().nullable(),
  questions: z.array(surveyQuestionSchema),
});
export const surveySchema = z.object({
  id: z.uuid(),
  titleBg: z.string(),
  titleEn: z.string().nullable(),
  introBg: z.string(),
  introEn: z.string().nullable(),
  thankYouBg: z.string(),
  thankYouEn: z.string().nullable(),
  /** The Markdown texts rendered to safe HTML (staff Markdown: headings, lists, links). */
  introBgHtml: z.string(),
  introEnHtml: z.string().nullable(),
  thankYouBgHtml: z.string(),
  thankYouEnHtml: z.string().nullable(),
  opensAt: isoDateTime.nullable(),
  closesAt: isoDateTime.nullable(),
  audience: surveyAudienceSchema,
  resultsVisibility: surveyResultsVisibilitySchema,
  state: surveyStateSchema,
  /** Whether answers are accepted now (published, within its dates). */
  open: z.boolean(),
  /** Whether anyone may see the results now. */
  resultsPublic: z.boolean(),
  responseCount: z.number().int(),
  /** Set once a response exists: questions and options can no longer be added, removed or changed. */
  structureLocked: z.boolean(),
  publishedAt: isoDateTime.nullable(),
  closedAt: isoDateTime.nullable(),
  sections: z.array(surveySectionSchema),
});
export type Survey = z.infer<typeof surveySchema>;
export const surveyListSchema = z.object({ items: z.array(surveySchema.omit({ sections: true })) });
export type SurveyList = z.infer<typeof surveyListSchema>;

/** One answer: only the field of the question's kind (see SurveyAnswerValue in the db schema). */
export const surveyAnswerSchema = z
  .object({
    optionIds: z.array(z.string().max(64)).max(maxSurveyOptions).optional(),
    other: multilineText(limits.surveyShortText).optional(),
    text: multilineText(limits.surveyLongText).optional(),
    number: z.number().finite().optional(),
    /** YYYY-MM-DD */
    date: z.string().max(10).optional(),
    ranking: z.array(z.string().max(64)).max(maxSurveyOptions).optional(),
    matrix: z
      .record(z.string().max(64), z.string().max(64))
      .refine((value) => Object.keys(value).length <= maxSurveyOptions, { message: 'too_big' })
      .optional(),
  })
  .strict();
export type SurveyAnswer = z.infer<typeof surveyAnswerSchema>;

export const surveySubmissionSchema = z.object({
  /** Keyed by question id. Answers to questions their condition hides are dropped. */
  answers: z
    .record(z.string().max(64), surveyAnswerSchema)
    .refine((value) => Object.keys(value).length <= maxSurveyQuestions, { message: 'too_big' }),
  /** Honeypot: a field people never see. Filled in, the submission is ignored (see docs). */
  website: z.string().max(500).optional(),
});
export type SurveySubmission = z.infer<typeof surveySubmissionSchema>;

export const surveyResponseSchema = z.object({
  id: z.uuid(),
  surveyId: z.uuid(),
  source: z.enum(['online', 'paper']),
  submittedAt: isoDateTime,
  updatedAt: isoDateTime,
  answers: z.record(z.string(), surveyAnswerSchema),
});
export type SurveyResponse = z.infer<typeof surveyResponseSchema>;

export const surveyOptionCountSchema = z.object({
  optionId: z.string(),
  count: z.number().int(),
  /** Of the question's respondents, 0–100, one decimal. */
  percent: z.number(),
});
export const surveyTextAnswerSchema = z.object({
  answerId: z.uuid(),
  text: z.string(),
  /** Staff only see hidden ones (marked, with the moderator's reason). */
  hidden: z.boolean(),
  hiddenReason: z.string().nullable(),
  source: z.enum(['online', 'paper']),
  /** When the response holding it was first submitted. */
  submittedAt: isoDateTime,
});
export const surveyQuestionResultSchema = z.object({
  questionId: z.uuid(),
  kind: surveyQuestionKindSchema,
  /** Responses that answered this question. */
  answered: z.number().int(),
  options: z.array(surveyOptionCountSchema).optional(),
  otherCount: z.number().int().optional(),
  average: z.number().nullable().optional(),
  distribution: z.array(z.object({ value: z.number(), count: z.number().int() })).optional(),
  /** Date: how many chose each day, earliest first (at most 366 days listed). */
  dates: z.array(z.object({ date: z.string(), count: z.number().int() })).optional(),
  /** Ranking: average position per option (1 is first), lower is better. */
  averageRanks: z.array(z.object({ optionId: z.string(), averageRank: z.number() })).optional(),
  /** Matrix: counts per row and column. */
  grid: z
    .array(z.object({ rowId: z.string(), columnId: z.string(), count: z.number().int() }))
    .optional(),
  /** Free text (texts and "other"), newest first, capped. */
  texts: z.array(surveyTextAnswerSchema).optional(),
  textCount: z.number().int().optional(),
});
export type SurveyQuestionResult = z.infer<typeof surveyQuestionResultSchema>;
export const surveyResultsSchema = z.object({
  surveyId: z.uuid(),
  responseCount: z.number().int(),
  anonymousCount: z.number().int(),
  paperCount: z.number().int(),
  questions: z.array(surveyQuestionResultSchema),
  /** The live bookmark read before the figures: follow `survey:<id>` from it to miss no change. */
  lastEventId: z.number().int(),
});
export type SurveyResults = z.infer<typeof surveyResultsSchema>;

export const hideSurveyAnswerBodySchema = z.object({
  reason: lineText(limits.surveyAnswerHideReason),
});

/** Live event on `survey:<id>` while results are live: a response was stored or changed. */
export const surveyResultsChangedSchema = z.object({
  type: z.literal('results_changed'),
  responseCount: z.number().int(),
});

/** Every payload published on topic `survey:<id>`. */
export const surveyLiveEventSchema = z.discriminatedUnion('type', [surveyResultsChangedSchema]);
export type SurveyLiveEvent = z.infer<typeof surveyLiveEventSchema>;

/** A paper response as staff type it in: the same answers, no honeypot. */
export const paperResponseBodySchema = surveySubmissionSchema.omit({ website: true });

/** The open-data download: the survey and its aggregated results (hidden answers never included). */
export const surveyOpenDataSchema = z.object({
  survey: surveySchema,
  results: surveyResultsSchema,
});
export type SurveyOpenData = z.infer<typeof surveyOpenDataSchema>;

const surveyErrors = [400, 401, 403, 404, 409] as const;

/** This feature's endpoints (see routes.ts). */
export const surveyRoutes = defineRoutes({
  surveys: {
    method: 'GET',
    path: '/api/surveys',
    access: 'public',
    tag: 'surveys',
    summary: 'Published and closed surveys, newest first',
    response: surveyListSchema,
    errors: [],
  },
  survey: {
    method: 'GET',
    path: '/api/surveys/:id',
    access: 'public',
    tag: 'surveys',
    summary: 'A survey with its sections, questions and options',
    params: idParamsSchema,
    response: surveySchema,
    errors: surveyErrors,
  },
  /** 409 survey_already_answered when this account or browser has answered: edit with `updateMyResponse`. */
  respondToSurvey: {
    method: 'POST',
    path: '/api/surveys/:id/responses',
    access: 'public',
    tag: 'surveys',
    summary:
      'Answer a survey: one response per account, or per browser (signed cookie) on open surveys',
    params: idParamsSchema,
    body: surveySubmissionSchema,
    status: 201,
    response: surveyResponseSchema,
    errors: surveyErrors,
    idempotent: 'resumable',
    // Per client address: a shared office address still gets a fair number.
    rateLimit: { max: 30, timeWindow: '10 minutes' },
  },
  /** This account's or browser's response; 404 when there is none. */
  mySurveyResponse: {
    method: 'GET',
    path: '/api/surveys/:id/response',
    access: 'public',
    tag: 'surveys',
    summary: 'My response to this survey (by account or browser)',
    params: idParamsSchema,
    response: surveyResponseSchema,
    errors: surveyErrors,
  },
  updateMySurveyResponse: {
    method: 'PUT',
    path: '/api/surveys/:id/response',
    access: 'public',
    tag: 'surveys',
    summary: 'Change my response while the survey is open',
    params: idParamsSchema,
    body: surveySubmissionSchema,
    response: surveyResponseSchema,
    errors: surveyErrors,
  },
  surveyResults: {
    method: 'GET',
    path: '/api/surveys/:id/results',
    access: 'public',
    tag: 'surveys',
    summary: 'Aggregated results (public per the survey’s setting; staff always)',
    params: idParamsSchema,
    response: surveyResultsSchema,
    errors: surveyErrors,
  },
  /** A JSON file download (content-disposition: attachment); pages link to it. */
  surveyResultsOpenData: {
    method: 'GET',
    path: '/api/surveys/:id/results.json',
    access: 'public',
    tag: 'surveys',
    summary: 'Open data: the survey and its aggregated results (hidden answers never included)',
    params: idParamsSchema,
    response: surveyOpenDataSchema,
    errors: surveyErrors,
  },

  adminSurveys: {
    method: 'GET',
    path: '/api/admin/surveys',
    access: 'admin',
    tag: ['surveys', 'admin'],
    summary: 'Every survey, drafts included',
    response: surveyListSchema,
    errors: [],
  },
  createSurvey: {
    method: 'POST',
    path: '/api/admin/surveys',
    access: 'admin',
    tag: ['surveys', 'admin'],
    summary: 'Create a draft survey with its whole structure',
    body: surveyInputSchema,
    status: 201,
    response: surveySchema,
    errors: surveyErrors,
    idempotent: 'resumable',
  },
  adminSurvey: {
    method: 'GET',
    path: '/api/admin/surveys/:id',
    access: 'admin',
    tag: ['surveys', 'admin'],
    summary: 'A survey, drafts included',
    params: idParamsSchema,
    response: surveySchema,
    errors: surveyErrors,
  },
  replaceSurvey: {
    method: 'PUT',
    path: '/api/admin/surveys/:id',
    access: 'admin',
    tag: ['surveys', 'admin'],
    summary: 'Replace settings and structure (locked in meaning once responses exist)',
    params: idParamsSchema,
    body: surveyInputSchema,
    response: surveySchema,
    errors: surveyErrors,
  },
  publishSurvey: {
    method: 'POST',
    path: '/api/admin/surveys/:id/publish',
    access: 'admin',
    tag: ['surveys', 'admin'],
    summary: 'Publish a draft',
    params: idParamsSchema,
    response: surveySchema,
    errors: surveyErrors,
  },
  closeSurvey: {
    method: 'POST',
    path: '/api/admin/surveys/:id/close',
    access: 'admin',
    tag: ['surveys', 'admin'],
    summary: 'Close a published survey: no more answers or edits',
    params: idParamsSchema,
    response: surveySchema,
    errors: surveyErrors,
  },
  duplicateSurvey: {
    method: 'POST',
    path: '/api/admin/surveys/:id/duplicate',
    access: 'admin',
    tag: ['surveys', 'admin'],
    summary: 'Copy a survey into a new draft (no dates, no responses)',
    params: idParamsSchema,
    status: 201,
    response: surveySchema,
    errors: surveyErrors,
    idempotent: 'resumable',
  },
  enterPaperSurveyResponse: {
    method: 'POST',
    path: '/api/admin/surveys/:id/paper-responses',
    access: 'admin',
    tag: ['surveys', 'admin'],
    summary: 'Enter a paper response (marked as paper in results and exports)',
    params: idParamsSchema,
    body: paperResponseBodySchema,
    status: 201,
    response: surveyResponseSchema,
    errors: surveyErrors,
    idempotent: 'resumable',
  },
  /** RFC 4180 CSV, one response a row; pages link to it. */
  surveyResponsesCsv: {
    method: 'GET',
    path: '/api/admin/surveys/:id/responses.csv',
    access: 'admin',
    tag: ['surveys', 'admin'],
    summary: 'Every response as CSV (UTF-8 with BOM; hidden answers left out)',
    params: idParamsSchema,
    response: { file: ['text/csv'], description: 'RFC 4180 CSV, one response a row' },
    errors: surveyErrors,
  },

  hideSurveyAnswer: {
    method: 'POST',
    path: '/api/moderation/survey-answers/:id/hide',
    access: 'moderator',
    tag: ['surveys', 'moderation'],
    summary: 'Hide a free-text survey answer from public results and exports',
    params: idParamsSchema,
    body: hideSurveyAnswerBodySchema,
    response: okSchema,
    errors: surveyErrors,
  },
  restoreSurveyAnswer: {
    method: 'POST',
    path: '/api/moderation/survey-answers/:id/restore',
    access: 'moderator',
    tag: ['surveys', 'moderation'],
    summary: 'Show a hidden survey answer again',
    params: idParamsSchema,
    response: okSchema,
    errors: surveyErrors,
  },
});
