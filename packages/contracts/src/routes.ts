import { followRoutes } from './follows';

/**
 * Every endpoint of the API, each declared once in its feature's contract file. The API registers
 * each from here (`implement`), the pages call each through the client derived from here, and
 * `routes.test.ts` checks that no name, and no method and path, is declared twice.
 */
export const featureRoutes = {
  follows: followRoutes,
} as const;

export const routes = {
  ...followRoutes,
};
export type Routes = typeof routes;
export type RouteName = keyof Routes;
