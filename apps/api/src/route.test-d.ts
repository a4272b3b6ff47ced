import { routes } from '@sabor/contracts';
import { expectTypeOf, test } from 'vitest';
import { implement } from './route';

const app = { route: () => undefined };

test('a handler gets the declared input types and must answer the declared schema', () => {
  implement(app, routes.unsubscribe, async (request) => {
    expectTypeOf(request.body.token).toEqualTypeOf<string>();
    // @ts-expect-error the route declares no params
    void request.params.id;
    return { consultationId: 'x', titleBg: 'a', titleEn: null, following: false as const };
  });
  // @ts-expect-error the answer breaks followStatusSchema
  implement(app, routes.followStatus, async (request) => {
    expectTypeOf(request.params.id).toEqualTypeOf<string>();
    return { following: 'yes' };
  });
});
