import {
  errorBodySchema,
  hideSurveyAnswerBodySchema,
  idParamsSchema,
  okSchema,
  surveyInputSchema,
  surveyListSchema,
  surveyResponseSchema,
  surveyResultsSchema,
  surveySchema,
  surveySubmissionSchema,
} from '@sabor/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { forbidden } from '../../errors';
import { hasRole, requireUser } from '../../plugins/auth';
import type { Signer } from '../../signer';
import * as responses from './response-service';
import { responsesCsv, setAnswerHidden, structureOrNotFound, surveyResults } from './results';
import { resultsArePublic, toSurvey } from './structure';
import * as surveys from './survey-service';

export interface SurveyRouteDeps extends surveys.SurveyDeps {
  signer: Signer;
  secureCookies: boolean;
}
type Options = { deps: SurveyRouteDeps };

/** Anonymous submissions per client address (a shared office address still gets a fair number). */
export const anonymousSubmissionsPerAddress = 30;

const errors = {
  400: errorBodySchema,
  401: errorBodySchema,
  403: errorBodySchema,
  404: errorBodySchema,
  409: errorBodySchema,
};

const browserCookieName = (secure: boolean) => (secure ? '__Host-sabor_survey' : 'sabor_survey');

/** The respondent of a request: the account, else the browser's signed token (made when asked). */
function respondentOf(
  deps: SurveyRouteDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  create: boolean,
): responses.Respondent {
  if (request.user) return { userId: request.user.id, browserToken: null };
  const name = browserCookieName(deps.secureCookies);
  const token = responses.verifyBrowserCookie(deps.signer, request.cookies[name]);
  if (token || !create) return { userId: null, browserToken: token };
  const fresh = responses.newBrowserCookie(deps.signer);
  void reply.setCookie(name, fresh.cookie, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: deps.secureCookies,
    maxAge: 365 * 24 * 60 * 60,
  });
  return { userId: null, browserToken: fresh.token };
}

/** Public routes under /api/surveys: read, answer, see results when they are public. */
export const surveyRoutes: FastifyPluginAsyncZod<Options> = async (app, { deps }) => {
  app.get(
    '/',
    {
      config: { access: 'public' },
      schema: {
        tags: ['surveys'],
        summary: 'Published and closed surveys, newest first',
        response: { 200: surveyListSchema },
      },
    },
    async () => surveys.listPublicSurveys(deps),
  );

  app.get(
    '/:id',
    {
      config: { access: 'public' },
      schema: {
        tags: ['surveys'],
        summary: 'A survey with its sections, questions and options',
        params: idParamsSchema,
        response: { 200: surveySchema, ...errors },
      },
    },
    async (request) => surveys.publicSurvey(deps, request.params.id),
  );

  app.post(
    '/:id/responses',
    {
      config: {
        access: 'public',
        idempotent: 'resumable',
        rateLimit: { max: anonymousSubmissionsPerAddress, timeWindow: '10 minutes' },
      },
      schema: {
        tags: ['surveys'],
        summary:
          'Answer a survey: one response per account, or per browser (signed cookie) on open surveys',
        params: idParamsSchema,
        body: surveySubmissionSchema,
        response: { 201: surveyResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      const respondent = respondentOf(deps, request, reply, true);
      const committedId = request.idempotency?.committedId;
      const response = committedId
        ? await responses.storedResponse(deps, committedId)
        : await responses.submitResponse(
            deps,
            request.params.id,
            respondent,
            request.body,
            request.idempotency,
          );
      return reply.code(201).send(response);
    },
  );

  app.get(
    '/:id/response',
    {
      config: { access: 'public' },
      schema: {
        tags: ['surveys'],
        summary: 'My response to this survey (by account or browser)',
        params: idParamsSchema,
        response: { 200: surveyResponseSchema, ...errors },
      },
    },
    async (request, reply) =>
      responses.myResponse(deps, request.params.id, respondentOf(deps, request, reply, false)),
  );

  app.put(
    '/:id/response',
    {
      config: { access: 'public' },
      schema: {
        tags: ['surveys'],
        summary: 'Change my response while the survey is open',
        params: idParamsSchema,
        body: surveySubmissionSchema,
        response: { 200: surveyResponseSchema, ...errors },
      },
    },
    async (request, reply) =>
      responses.updateMyResponse(
        deps,
        request.params.id,
        respondentOf(deps, request, reply, false),
        request.body,
      ),
  );

  const visibleResults = async (request: FastifyRequest, id: string) => {
    const structure = await structureOrNotFound(deps.db, id);
    const staff = hasRole(request.user, 'moderator');
    if (!staff && structure.survey.state === 'draft') throw forbidden();
    if (!staff && !resultsArePublic(structure.survey)) throw forbidden();
    return { structure, staff };
  };

  app.get(
    '/:id/results',
    {
      config: { access: 'public' },
      schema: {
        tags: ['surveys'],
        summary: 'Aggregated results (public per the survey’s setting; staff always)',
        params: idParamsSchema,
        response: { 200: surveyResultsSchema, ...errors },
      },
    },
    async (request) => {
      const { structure, staff } = await visibleResults(request, request.params.id);
      return surveyResults(deps.db, structure, staff);
    },
  );

  app.get(
    '/:id/results.json',
    {
      config: { access: 'public' },
      schema: {
        tags: ['surveys'],
        summary: 'Open data: the survey and its aggregated results (hidden answers never included)',
        params: idParamsSchema,
        response: {
          200: z.object({ survey: surveySchema, results: surveyResultsSchema }),
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const { structure } = await visibleResults(request, request.params.id);
      const results = await surveyResults(deps.db, structure, false);
      void reply.header(
        'content-disposition',
        `attachment; filename="survey-${structure.survey.id.slice(0, 8)}-results.json"`,
      );
      return { survey: toSurvey(structure, results.responseCount), results };
    },
  );
};

/** Staff routes under /api/admin/surveys: the builder, paper responses and exports. */
export const surveyAdminRoutes: FastifyPluginAsyncZod<Options> = async (app, { deps }) => {
  const admin = (summary: string) => ({ tags: ['surveys', 'admin'], summary });

  app.get(
    '/',
    {
      config: { access: 'admin' },
      schema: { ...admin('Every survey, drafts included'), response: { 200: surveyListSchema } },
    },
    async () => surveys.listAllSurveys(deps),
  );

  app.post(
    '/',
    {
      config: { access: 'admin', idempotent: 'resumable' },
      schema: {
        ...admin('Create a draft survey with its whole structure'),
        body: surveyInputSchema,
        response: { 201: surveySchema, ...errors },
      },
    },
    async (request, reply) => {
      const committedId = request.idempotency?.committedId;
      const survey = committedId
        ? await surveys.surveyView(deps.db, committedId)
        : await surveys.createSurvey(
            deps,
            requireUser(request).id,
            request.body,
            request.idempotency,
          );
      return reply.code(201).send(survey);
    },
  );

  app.get(
    '/:id',
    {
      config: { access: 'admin' },
      schema: {
        ...admin('A survey, drafts included'),
        params: idParamsSchema,
        response: { 200: surveySchema, ...errors },
      },
    },
    async (request) => surveys.surveyView(deps.db, request.params.id),
  );

  app.put(
    '/:id',
    {
      config: { access: 'admin' },
      schema: {
        ...admin('Replace settings and structure (locked in meaning once responses exist)'),
        params: idParamsSchema,
        body: surveyInputSchema,
        response: { 200: surveySchema, ...errors },
      },
    },
    async (request) => surveys.updateSurvey(deps, request.params.id, request.body),
  );

  for (const [action, run, summary] of [
    ['publish', surveys.publishSurvey, 'Publish a draft'],
    ['close', surveys.closeSurvey, 'Close a published survey: no more answers or edits'],
  ] as const) {
    app.post(
      `/:id/${action}`,
      {
        config: { access: 'admin' },
        schema: {
          ...admin(summary),
          params: idParamsSchema,
          response: { 200: surveySchema, ...errors },
        },
      },
      async (request) => run(deps, request.params.id),
    );
  }

  app.post(
    '/:id/duplicate',
    {
      config: { access: 'admin', idempotent: 'resumable' },
      schema: {
        ...admin('Copy a survey into a new draft (no dates, no responses)'),
        params: idParamsSchema,
        response: { 201: surveySchema, ...errors },
      },
    },
    async (request, reply) => {
      const committedId = request.idempotency?.committedId;
      const copy = committedId
        ? await surveys.surveyView(deps.db, committedId)
        : await surveys.duplicateSurvey(
            deps,
            requireUser(request).id,
            request.params.id,
            request.idempotency,
          );
      return reply.code(201).send(copy);
    },
  );

  app.post(
    '/:id/paper-responses',
    {
      config: { access: 'admin', idempotent: 'resumable' },
      schema: {
        ...admin('Enter a paper response (marked as paper in results and exports)'),
        params: idParamsSchema,
        body: surveySubmissionSchema.omit({ website: true }),
        response: { 201: surveyResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      const committedId = request.idempotency?.committedId;
      const entered = committedId
        ? await responses.storedResponse(deps, committedId)
        : await responses.enterPaperResponse(
            deps,
            requireUser(request).id,
            request.params.id,
            request.body,
            request.idempotency,
          );
      return reply.code(201).send(entered);
    },
  );

  app.get(
    '/:id/responses.csv',
    {
      config: { access: 'admin' },
      schema: {
        ...admin('Every response as CSV (UTF-8 with BOM; hidden answers left out)'),
        params: idParamsSchema,
        response: {
          200: {
            description: 'RFC 4180 CSV, one response a row',
            content: { 'text/csv': { schema: z.string() } },
          },
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const structure = await structureOrNotFound(deps.db, request.params.id);
      const csv = await responsesCsv(deps.db, structure, request.locale);
      return reply
        .type('text/csv; charset=utf-8')
        .header(
          'content-disposition',
          `attachment; filename="survey-${request.params.id.slice(0, 8)}.csv"`,
        )
        .header('cache-control', 'no-store')
        .send(csv);
    },
  );
};

/** Moderators hide a free-text answer with personal data (kept for staff, audited). */
export const surveyModerationRoutes: FastifyPluginAsyncZod<Options> = async (app, { deps }) => {
  app.post(
    '/:id/hide',
    {
      config: { access: 'moderator' },
      schema: {
        tags: ['surveys', 'moderation'],
        summary: 'Hide a free-text survey answer from public results and exports',
        params: idParamsSchema,
        body: hideSurveyAnswerBodySchema,
        response: { 200: okSchema, ...errors },
      },
    },
    async (request) => {
      await setAnswerHidden(
        deps.db,
        requireUser(request).id,
        request.params.id,
        true,
        request.body.reason,
      );
      return { ok: true as const };
    },
  );

  app.post(
    '/:id/restore',
    {
      config: { access: 'moderator' },
      schema: {
        tags: ['surveys', 'moderation'],
        summary: 'Show a hidden survey answer again',
        params: idParamsSchema,
        response: { 200: okSchema, ...errors },
      },
    },
    async (request) => {
      await setAnswerHidden(deps.db, requireUser(request).id, request.params.id, false, null);
      return { ok: true as const };
    },
  );
};
