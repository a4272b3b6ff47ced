import { routes } from '@sabor/contracts';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { forbidden } from '../../errors';
import { fileHeaders, sendFile } from '../../file-answer';
import { hasRole, requireUser } from '../../plugins/auth';
import { implement } from '../../route';
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

/** Public routes: read, answer, see results when they are public. */
export const surveyRoutes: FastifyPluginAsync<Options> = async (app, { deps }) => {
  implement(app, routes.surveys, async () => surveys.listPublicSurveys(deps));

  implement(app, routes.survey, async (request) => surveys.publicSurvey(deps, request.params.id));

  implement(app, routes.respondToSurvey, async (request, reply) => {
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
  });

  implement(app, routes.mySurveyResponse, async (request, reply) =>
    responses.myResponse(deps, request.params.id, respondentOf(deps, request, reply, false)),
  );

  implement(app, routes.updateMySurveyResponse, async (request, reply) =>
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

  implement(app, routes.surveyResults, async (request) => {
    const { structure, staff } = await visibleResults(request, request.params.id);
    return surveyResults(deps.db, structure, staff);
  });

  implement(app, routes.surveyResultsOpenData, async (request, reply) => {
    const { structure } = await visibleResults(request, request.params.id);
    const results = await surveyResults(deps.db, structure, false);
    fileHeaders(reply, { fileName: `survey-${structure.survey.id.slice(0, 8)}-results.json` });
    return { survey: toSurvey(structure, results.responseCount), results };
  });
};

/** Staff routes: the builder, paper responses and exports. */
export const surveyAdminRoutes: FastifyPluginAsync<Options> = async (app, { deps }) => {
  implement(app, routes.adminSurveys, async () => surveys.listAllSurveys(deps));

  implement(app, routes.createSurvey, async (request, reply) => {
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
  });

  implement(app, routes.adminSurvey, async (request) =>
    surveys.surveyView(deps.db, request.params.id),
  );

  implement(app, routes.replaceSurvey, async (request) =>
    surveys.updateSurvey(deps, request.params.id, request.body),
  );

  implement(app, routes.publishSurvey, async (request) =>
    surveys.publishSurvey(deps, request.params.id),
  );

  implement(app, routes.closeSurvey, async (request) =>
    surveys.closeSurvey(deps, request.params.id),
  );

  implement(app, routes.duplicateSurvey, async (request, reply) => {
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
  });

  implement(app, routes.enterPaperSurveyResponse, async (request, reply) => {
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
  });

  implement(app, routes.surveyResponsesCsv, async (request, reply) => {
    const structure = await structureOrNotFound(deps.db, request.params.id);
    const csv = await responsesCsv(deps.db, structure, request.locale);
    const fileName = `survey-${request.params.id.slice(0, 8)}.csv`;
    return sendFile(reply, 'text/csv; charset=utf-8', { fileName, cache: 'no-store' }, csv);
  });
};

/** Moderators hide a free-text answer with personal data (kept for staff, audited). */
export const surveyModerationRoutes: FastifyPluginAsync<Options> = async (app, { deps }) => {
  implement(app, routes.hideSurveyAnswer, async (request) => {
    await setAnswerHidden(
      deps.db,
      requireUser(request).id,
      request.params.id,
      true,
      request.body.reason,
    );
    return { ok: true as const };
  });

  implement(app, routes.restoreSurveyAnswer, async (request) => {
    await setAnswerHidden(deps.db, requireUser(request).id, request.params.id, false, null);
    return { ok: true as const };
  });
};
