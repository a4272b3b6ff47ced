import { routes } from '@sabor/contracts';
import type { FastifyPluginAsync } from 'fastify';
import { implement } from '../../route';
import { describeProblem } from './problems';
import { compareDrafts } from './redline';
import { recogniseStructure } from './structure';

/** Staff: structured drafts of normative acts (issue 15). */
export const draftAdminRoutes: FastifyPluginAsync = async (app) => {
  implement(app, routes.recogniseDraft, async (request) => {
    const { units, problems } = recogniseStructure(request.body.text);
    return { units, problems: problems.map((problem) => describeProblem(problem, request.locale)) };
  });

  implement(app, routes.compareDrafts, async (request) =>
    compareDrafts(
      recogniseStructure(request.body.before).units,
      recogniseStructure(request.body.after).units,
    ),
  );
};
