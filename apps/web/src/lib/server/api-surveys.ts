import {
  type hideSurveyAnswerBodySchema,
  okSchema,
  type surveyInputSchema,
  surveyListSchema,
  surveyResponseSchema,
  surveyResultsSchema,
  surveySchema,
  type surveySubmissionSchema,
} from '@sabor/contracts';
import type { RequestEvent } from '@sveltejs/kit';
import type { z } from 'zod';
import { apiRequest } from './api';

/*
 * The surveys' part of the typed API client (answering, results, builder, paper entry and the
 * moderators' hiding of free-text answers), kept apart from api.ts so the survey pages are one
 * folder's concern. The CSV and open-data JSON are plain links to the API (see docs/surveys.md).
 */

type ApiEvent = Pick<RequestEvent, 'fetch' | 'cookies' | 'locals'>;
type Body<S extends z.ZodType> = z.input<S>;
const id = (value: string) => encodeURIComponent(value);

/** Every survey call the web pages make, typed by the contracts. */
export const surveyApi = {
  list: (e: ApiEvent) => apiRequest(e, 'GET', '/api/surveys', surveyListSchema),
  survey: (e: ApiEvent, surveyId: string) =>
    apiRequest(e, 'GET', `/api/surveys/${id(surveyId)}`, surveySchema),
  /** 409 survey_already_answered when this account or browser has answered: edit with `update`. */
  respond: (
    e: ApiEvent,
    surveyId: string,
    body: Body<typeof surveySubmissionSchema>,
    idempotencyKey: string | undefined,
  ) =>
    apiRequest(e, 'POST', `/api/surveys/${id(surveyId)}/responses`, surveyResponseSchema, {
      body,
      idempotencyKey,
    }),
  /** This account's or browser's response; 404 when there is none. */
  myResponse: (e: ApiEvent, surveyId: string) =>
    apiRequest(e, 'GET', `/api/surveys/${id(surveyId)}/response`, surveyResponseSchema),
  updateMyResponse: (e: ApiEvent, surveyId: string, body: Body<typeof surveySubmissionSchema>) =>
    apiRequest(e, 'PUT', `/api/surveys/${id(surveyId)}/response`, surveyResponseSchema, { body }),
  results: (e: ApiEvent, surveyId: string) =>
    apiRequest(e, 'GET', `/api/surveys/${id(surveyId)}/results`, surveyResultsSchema),

  adminList: (e: ApiEvent) => apiRequest(e, 'GET', '/api/admin/surveys', surveyListSchema),
  adminSurvey: (e: ApiEvent, surveyId: string) =>
    apiRequest(e, 'GET', `/api/admin/surveys/${id(surveyId)}`, surveySchema),
  create: (e: ApiEvent, body: Body<typeof surveyInputSchema>, idempotencyKey: string | undefined) =>
    apiRequest(e, 'POST', '/api/admin/surveys', surveySchema, { body, idempotencyKey }),
  replace: (e: ApiEvent, surveyId: string, body: Body<typeof surveyInputSchema>) =>
    apiRequest(e, 'PUT', `/api/admin/surveys/${id(surveyId)}`, surveySchema, { body }),
  publish: (e: ApiEvent, surveyId: string) =>
    apiRequest(e, 'POST', `/api/admin/surveys/${id(surveyId)}/publish`, surveySchema, {
      body: {},
    }),
  close: (e: ApiEvent, surveyId: string) =>
    apiRequest(e, 'POST', `/api/admin/surveys/${id(surveyId)}/close`, surveySchema, { body: {} }),
  duplicate: (e: ApiEvent, surveyId: string, idempotencyKey: string | undefined) =>
    apiRequest(e, 'POST', `/api/admin/surveys/${id(surveyId)}/duplicate`, surveySchema, {
      body: {},
      idempotencyKey,
    }),
  enterPaperResponse: (
    e: ApiEvent,
    surveyId: string,
    body: Omit<Body<typeof surveySubmissionSchema>, 'website'>,
    idempotencyKey: string | undefined,
  ) =>
    apiRequest(
      e,
      'POST',
      `/api/admin/surveys/${id(surveyId)}/paper-responses`,
      surveyResponseSchema,
      { body, idempotencyKey },
    ),

  hideAnswer: (e: ApiEvent, answerId: string, body: Body<typeof hideSurveyAnswerBodySchema>) =>
    apiRequest(e, 'POST', `/api/moderation/survey-answers/${id(answerId)}/hide`, okSchema, {
      body,
    }),
  restoreAnswer: (e: ApiEvent, answerId: string) =>
    apiRequest(e, 'POST', `/api/moderation/survey-answers/${id(answerId)}/restore`, okSchema, {
      body: {},
    }),
};
