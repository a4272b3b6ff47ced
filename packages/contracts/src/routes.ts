import { authRoutes } from './auth';
import { accountRoutes } from './account';
import { userAdminRoutes } from './admin';
import { outboxRoutes } from './mail';
import { systemRoutes } from './site';
import { consultationRoutes } from './consultations';
import { documentRoutes } from './documents';
import { draftRoutes } from './drafts';
import { commentRoutes } from './comments';
import { reportRoutes } from './report';
import { moderationRoutes } from './moderation';
import { eventRoutes } from './events';
import { surveyRoutes } from './surveys';
import { followRoutes } from './follows';

/**
 * Every endpoint of the API, each declared once in its feature's contract file. The API registers
 * each from here (`implement`), the pages call each through the client derived from here, and
 * `routes.test.ts` checks that no name, and no method and path, is declared twice.
 */
export const featureRoutes = {
  auth: authRoutes,
  account: accountRoutes,
  admin: userAdminRoutes,
  mail: outboxRoutes,
  site: systemRoutes,
  consultations: consultationRoutes,
  documents: documentRoutes,
  drafts: draftRoutes,
  comments: commentRoutes,
  report: reportRoutes,
  moderation: moderationRoutes,
  events: eventRoutes,
  surveys: surveyRoutes,
  follows: followRoutes,
} as const;

export const routes = {
  ...authRoutes,
  ...accountRoutes,
  ...userAdminRoutes,
  ...outboxRoutes,
  ...systemRoutes,
  ...consultationRoutes,
  ...documentRoutes,
  ...draftRoutes,
  ...commentRoutes,
  ...reportRoutes,
  ...moderationRoutes,
  ...eventRoutes,
  ...surveyRoutes,
  ...followRoutes,
};
export type Routes = typeof routes;
export type RouteName = keyof Routes;
