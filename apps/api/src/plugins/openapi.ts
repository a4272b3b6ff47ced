import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fp from 'fastify-plugin';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';

/** OpenAPI 3 generated from the zod contracts: /api/openapi.json, browsable at /api/docs. */
export const openapiPlugin = fp(
  async (app, options: { version: string; publicOrigin: string }) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'Sabor API',
          description:
            'REST API of Sabor, the citizen feedback and public consultation platform. Errors are `{ "error": { "code", "message", "fields"? } }`. State-changing requests must carry an Origin header of this site. Sessions use the HttpOnly cookie set by /api/auth/login.',
          version: options.version,
        },
        servers: [{ url: options.publicOrigin }],
        tags: [
          { name: 'system', description: 'Health and site configuration' },
          { name: 'auth', description: 'Registration, sign-in and password recovery' },
          { name: 'account', description: 'The signed-in person’s own account and data' },
          { name: 'consultations', description: 'Public consultations: list, search, read' },
          { name: 'admin', description: 'User management and mail outbox (admins)' },
        ],
      },
      transform: jsonSchemaTransform,
      // Named schemas (a recursive one, such as a draft's unit) become components.
      transformObject: jsonSchemaTransformObject,
    });
    await app.register(swaggerUi, {
      routePrefix: '/api/docs',
      // No calls to swagger.io's validator; the page's CSP allows only this site.
      uiConfig: { validatorUrl: null },
      staticCSP: true,
      transformStaticCSP: (header) =>
        header
          .replace(/ validator\.swagger\.io/g, '')
          .replace(/ https:/g, '')
          .replace("frame-ancestors 'self'", "frame-ancestors 'none'"),
    });
    app.get(
      '/api/openapi.json',
      { schema: { hide: true }, config: { access: 'public' } },
      async () => app.swagger(),
    );
  },
  { name: 'openapi' },
);
