import { routes } from '@sabor/contracts';
import type { FastifyPluginAsync } from 'fastify';
import { requireUser } from '../../plugins/auth';
import { sendFile } from '../../file-answer';
import { errorBody } from '../../plugins/errors';
import { implement } from '../../route';
import { attendeesCsv, checkIn, CheckInRefusedError, listAttendees } from './attendees';
import * as events from './event-service';
import type { EventDeps } from './registration-service';

type Options = { deps: EventDeps };

/**
 * Staff routes: admins create, edit, publish and cancel events; moderators and admins (the door
 * staff) see attendees, export them and check tickets in.
 */
export const eventAdminRoutes: FastifyPluginAsync<Options> = async (app, { deps }) => {
  implement(app, routes.adminEvents, async (request) => events.listAllEvents(deps, request.query));

  implement(app, routes.createEvent, async (request, reply) => {
    const committedId = request.idempotency?.committedId;
    const event = committedId
      ? await events.getEvent(deps, committedId, { id: null, isAdmin: true })
      : await events.createEvent(deps, requireUser(request).id, request.body, request.idempotency);
    return reply.code(201).send(event);
  });

  implement(app, routes.updateEvent, async (request) =>
    events.updateEvent(deps, requireUser(request).id, request.params.id, request.body),
  );

  implement(app, routes.publishEvent, async (request) =>
    events.publishEvent(deps, requireUser(request).id, request.params.id),
  );

  implement(app, routes.cancelEvent, async (request) =>
    events.cancelEvent(deps, requireUser(request).id, request.params.id, request.body.reason),
  );

  implement(app, routes.attendees, async (request) =>
    listAttendees(deps, request.params.id, request.query),
  );

  implement(app, routes.attendeesCsv, async (request, reply) => {
    const csv = await attendeesCsv(deps, request.params.id, request.query, request.locale);
    const fileName = `attendees-${request.params.id.slice(0, 8)}.csv`;
    return sendFile(reply, 'text/csv; charset=utf-8', { fileName, cache: 'no-store' }, csv);
  });

  implement(app, routes.checkIn, async (request, reply) => {
    try {
      return await checkIn(deps, requireUser(request).id, request.params.id, request.body.code);
    } catch (error) {
      if (!(error instanceof CheckInRefusedError)) throw error;
      return reply.code(409).send({
        ...errorBody(error.code, request.locale),
        attendee: error.attendee,
      });
    }
  });
};
