import {
  alreadyRegisteredBodySchema,
  errorBodySchema,
  errorMessages,
  eventListQuerySchema,
  eventListSchema,
  eventRegistrationBodySchema,
  eventSchema,
  idParamsSchema,
  pageQuerySchema,
  registrationListSchema,
  registrationSchema,
  registrationTokenBodySchema,
  registrationTokenQuerySchema,
} from '@sabor/contracts';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { hasRole, requireUser } from '../../plugins/auth';
import { calendarFileName, eventsCalendar } from './calendar';
import * as events from './event-service';
import * as registrationService from './registration-service';
import { AlreadyRegisteredError, type EventDeps } from './registration-service';

type Options = { deps: EventDeps };

/** Registrations (of any event) one client address may send in 10 minutes. */
export const registrationsPerAddress = 30;

const errors = {
  400: errorBodySchema,
  401: errorBodySchema,
  403: errorBodySchema,
  404: errorBodySchema,
  409: errorBodySchema,
};

const calendarResponse = {
  description: 'iCalendar (RFC 5545)',
  content: { 'text/calendar': { schema: z.string() } },
};

function sendCalendar(reply: FastifyReply, fileName: string, body: string) {
  return reply
    .type('text/calendar; charset=utf-8')
    .header('content-disposition', `inline; filename="${fileName}"`)
    .header('cache-control', 'no-cache')
    .send(body);
}

/** Public events: lists, one event, registering, and calendars. Prefix /api/events. */
export const eventRoutes: FastifyPluginAsyncZod<Options> = async (app, { deps }) => {
  const site = (locale: 'bg' | 'en') => ({
    publicOrigin: deps.publicOrigin,
    siteName: deps.siteName[locale],
  });

  app.get(
    '/',
    {
      config: { access: 'public' },
      schema: {
        tags: ['events'],
        summary: 'Public events: upcoming (soonest first) or past (newest first), with seats left',
        querystring: eventListQuerySchema,
        response: { 200: eventListSchema, 400: errorBodySchema },
      },
    },
    async (request) => events.listPublicEvents(deps, request.query),
  );

  app.get(
    '/:id',
    {
      config: { access: 'public' },
      schema: {
        tags: ['events'],
        summary: 'One event with programme, questions, seats left and the viewer’s registration',
        params: idParamsSchema,
        response: { 200: eventSchema, 400: errorBodySchema, 404: errorBodySchema },
      },
    },
    async (request) =>
      events.getEvent(deps, request.params.id, {
        id: request.user?.id ?? null,
        isAdmin: hasRole(request.user, 'admin'),
      }),
  );

  app.get(
    '/:id.ics',
    {
      config: { access: 'public' },
      schema: {
        tags: ['events'],
        summary: 'The event as an iCalendar file',
        params: idParamsSchema,
        response: { 200: calendarResponse, 400: errorBodySchema, 404: errorBodySchema },
      },
    },
    async (request, reply) => {
      const event = await events.publicEventRow(deps, request.params.id);
      const body = eventsCalendar([event], request.locale, site(request.locale), {
        name: deps.siteName[request.locale],
        method: 'publish',
      });
      return sendCalendar(reply, calendarFileName(event), body);
    },
  );

  app.post(
    '/:id/registrations',
    {
      // Each guest registration mails an address someone typed: bounded per client address.
      config: {
        access: 'public',
        idempotent: 'resumable',
        rateLimit: { max: registrationsPerAddress, timeWindow: '10 minutes' },
      },
      schema: {
        tags: ['events'],
        summary:
          'Register: residents at once (confirmed or waitlisted), guests with name and email (pending until confirmed by mail)',
        params: idParamsSchema,
        body: eventRegistrationBodySchema,
        response: {
          201: registrationSchema,
          ...errors,
          409: alreadyRegisteredBodySchema,
        },
      },
    },
    async (request, reply) => {
      const user = request.userRow;
      try {
        const committedId = request.idempotency?.committedId;
        const registration = committedId
          ? await registrationService.registrationById(deps, committedId)
          : await registrationService.register(
              deps,
              request.params.id,
              {
                user: user
                  ? { id: user.id, email: user.email, displayName: user.displayName }
                  : null,
                locale: request.locale,
              },
              request.body,
              request.idempotency,
            );
        return reply.code(201).send(registration);
      } catch (error) {
        if (!(error instanceof AlreadyRegisteredError)) throw error;
        return reply.code(409).send({
          error: {
            code: 'already_registered' as const,
            message: errorMessages.already_registered[request.locale],
          },
          ...(error.registration && { registration: error.registration }),
        });
      }
    },
  );
};

/** Calendar feed of all public events. Prefix /api. */
export const eventFeedRoutes: FastifyPluginAsyncZod<Options> = async (app, { deps }) => {
  app.get(
    '/events.ics',
    {
      config: { access: 'public' },
      schema: {
        tags: ['events'],
        summary: 'All public events as an iCalendar feed (subscribe to it)',
        response: { 200: calendarResponse },
      },
    },
    async (request, reply) => {
      const rows = await events.calendarEvents(deps);
      const name = deps.siteName[request.locale];
      const body = eventsCalendar(
        rows,
        request.locale,
        { publicOrigin: deps.publicOrigin, siteName: name },
        { name, method: 'publish' },
      );
      return sendCalendar(reply, 'events.ics', body);
    },
  );
};

/**
 * A registration through the link in its mails (no sign-in): view, confirm (guests), cancel.
 * Prefix /api/events/registrations. The token is an HMAC of the registration id.
 */
export const registrationTokenRoutes: FastifyPluginAsyncZod<Options> = async (app, { deps }) => {
  app.get(
    '/by-token',
    {
      config: { access: 'public' },
      schema: {
        tags: ['events'],
        summary: 'A registration seen through its mailed link',
        querystring: registrationTokenQuerySchema,
        response: { 200: registrationSchema, ...errors },
      },
    },
    async (request) =>
      registrationService.getByToken(deps, request.query.registrationId, request.query.token),
  );

  app.post(
    '/confirm',
    {
      config: { access: 'public' },
      schema: {
        tags: ['events'],
        summary: 'Confirm a guest registration (the link in the first mail); repeating is harmless',
        body: registrationTokenBodySchema,
        response: { 200: registrationSchema, ...errors },
      },
    },
    async (request) =>
      registrationService.confirmByToken(deps, request.body.registrationId, request.body.token),
  );

  app.post(
    '/cancel',
    {
      config: { access: 'public' },
      schema: {
        tags: ['events'],
        summary: 'Cancel a registration through its mailed link; the seat goes to the waitlist',
        body: registrationTokenBodySchema,
        response: { 200: registrationSchema, ...errors },
      },
    },
    async (request) =>
      registrationService.cancelByToken(deps, request.body.registrationId, request.body.token),
  );
};

/** The signed-in resident's registrations. Prefix /api/account/registrations. */
export const accountRegistrationRoutes: FastifyPluginAsyncZod<Options> = async (app, { deps }) => {
  app.get(
    '/',
    {
      config: { access: 'user' },
      schema: {
        tags: ['events'],
        summary: 'My registrations, newest event first, with tickets',
        querystring: pageQuerySchema,
        response: { 200: registrationListSchema, ...errors },
      },
    },
    async (request) =>
      registrationService.listOwnRegistrations(
        deps,
        requireUser(request).id,
        request.query.page,
        request.query.pageSize,
      ),
  );

  app.get(
    '/:id',
    {
      config: { access: 'user' },
      schema: {
        tags: ['events'],
        summary: 'One of my registrations (404 for anyone else’s)',
        params: idParamsSchema,
        response: { 200: registrationSchema, ...errors },
      },
    },
    async (request) =>
      registrationService.getOwnRegistration(deps, requireUser(request).id, request.params.id),
  );

  app.post(
    '/:id/cancel',
    {
      config: { access: 'user' },
      schema: {
        tags: ['events'],
        summary: 'Cancel one of my registrations; the seat goes to the first on the waitlist',
        params: idParamsSchema,
        response: { 200: registrationSchema, ...errors },
      },
    },
    async (request) => {
      const userId = requireUser(request).id;
      return registrationService.cancelRegistration(
        deps,
        request.params.id,
        (row) => row.userId === userId,
      );
    },
  );
};
