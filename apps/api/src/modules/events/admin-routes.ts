import {
  adminEventListQuerySchema,
  attendeeExportQuerySchema,
  attendeeListQuerySchema,
  attendeeListSchema,
  cancelEventBodySchema,
  checkInBodySchema,
  checkInRefusedBodySchema,
  checkInResultSchema,
  createEventBodySchema,
  errorBodySchema,
  eventListSchema,
  eventSchema,
  idParamsSchema,
  updateEventBodySchema,
} from '@sabor/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireUser } from '../../plugins/auth';
import { errorBody } from '../../plugins/errors';
import { attendeesCsv, checkIn, CheckInRefusedError, listAttendees } from './attendees';
import * as events from './event-service';
import type { EventDeps } from './registration-service';

type Options = { deps: EventDeps };

const errors = {
  400: errorBodySchema,
  401: errorBodySchema,
  403: errorBodySchema,
  404: errorBodySchema,
  409: errorBodySchema,
};

/**
 * Staff routes under /api/admin/events: admins create, edit, publish and cancel events;
 * moderators and admins (the door staff) see attendees, export them and check tickets in.
 */
export const eventAdminRoutes: FastifyPluginAsyncZod<Options> = async (app, { deps }) => {
  app.get(
    '/',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['events', 'admin'],
        summary: 'All events, drafts included, newest first',
        querystring: adminEventListQuerySchema,
        response: { 200: eventListSchema, ...errors },
      },
    },
    async (request) => events.listAllEvents(deps, request.query),
  );

  app.post(
    '/',
    {
      config: { access: 'admin', idempotent: 'resumable' },
      schema: {
        tags: ['events', 'admin'],
        summary: 'Create an event as a draft, with its programme and registration questions',
        body: createEventBodySchema,
        response: { 201: eventSchema, ...errors },
      },
    },
    async (request, reply) => {
      const committedId = request.idempotency?.committedId;
      const event = committedId
        ? await events.getEvent(deps, committedId, { id: null, isAdmin: true })
        : await events.createEvent(
            deps,
            requireUser(request).id,
            request.body,
            request.idempotency,
          );
      return reply.code(201).send(event);
    },
  );

  app.patch(
    '/:id',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['events', 'admin'],
        summary: 'Edit an event; a new time or place is mailed to everyone registered',
        params: idParamsSchema,
        body: updateEventBodySchema,
        response: { 200: eventSchema, ...errors },
      },
    },
    async (request) =>
      events.updateEvent(deps, requireUser(request).id, request.params.id, request.body),
  );

  app.post(
    '/:id/publish',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['events', 'admin'],
        summary: 'Publish a draft event (registration opens per its settings)',
        params: idParamsSchema,
        response: { 200: eventSchema, ...errors },
      },
    },
    async (request) => events.publishEvent(deps, requireUser(request).id, request.params.id),
  );

  app.post(
    '/:id/cancel',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['events', 'admin'],
        summary: 'Cancel a published event with a reason; everyone registered is mailed',
        params: idParamsSchema,
        body: cancelEventBodySchema,
        response: { 200: eventSchema, ...errors },
      },
    },
    async (request) =>
      events.cancelEvent(deps, requireUser(request).id, request.params.id, request.body.reason),
  );

  app.get(
    '/:id/registrations',
    {
      config: { access: 'moderator' },
      schema: {
        tags: ['events', 'admin'],
        summary: 'Attendee list with answers; search by name or email, filter by status',
        params: idParamsSchema,
        querystring: attendeeListQuerySchema,
        response: { 200: attendeeListSchema, ...errors },
      },
    },
    async (request) => listAttendees(deps, request.params.id, request.query),
  );

  app.get(
    '/:id/registrations.csv',
    {
      config: { access: 'moderator' },
      schema: {
        tags: ['events', 'admin'],
        summary: 'Attendee list as CSV (UTF-8 with BOM, one column per question)',
        params: idParamsSchema,
        querystring: attendeeExportQuerySchema,
        response: {
          200: {
            description: 'RFC 4180 CSV, one registration a row',
            content: { 'text/csv': { schema: z.string() } },
          },
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const csv = await attendeesCsv(deps, request.params.id, request.query, request.locale);
      return reply
        .type('text/csv; charset=utf-8')
        .header(
          'content-disposition',
          `attachment; filename="attendees-${request.params.id.slice(0, 8)}.csv"`,
        )
        .header('cache-control', 'no-store')
        .send(csv);
    },
  );

  app.post(
    '/:id/check-in',
    {
      config: { access: 'moderator' },
      schema: {
        tags: ['events', 'admin'],
        summary: 'Check a ticket in by its typed or scanned code',
        params: idParamsSchema,
        body: checkInBodySchema,
        response: { 200: checkInResultSchema, ...errors, 409: checkInRefusedBodySchema },
      },
    },
    async (request, reply) => {
      try {
        return await checkIn(deps, requireUser(request).id, request.params.id, request.body.code);
      } catch (error) {
        if (!(error instanceof CheckInRefusedError)) throw error;
        return reply.code(409).send({
          ...errorBody(error.code, request.locale),
          attendee: error.attendee,
        });
      }
    },
  );
};
