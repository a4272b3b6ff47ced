import { routes } from '@sabor/contracts';
import type { FastifyPluginAsync } from 'fastify';
import { implement } from '../../route';
import { describeProblem } from './problems';
import { recogniseStructure } from './structure';

/** Staff: structured drafts of normative acts (issue 15). */
export const draftAdminRoutes: FastifyPluginAsync = async (app) => {
  implement(app, routes.recogniseDraft, async (request) => {
    const { units, problems } = recogniseStructure(request.body.text);
    return { units, problems: problems.map((problem) => describeProblem(problem, request.locale)) };
  });
};
