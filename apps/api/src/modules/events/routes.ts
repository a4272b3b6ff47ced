import { errorMessages, routes } from '@sabor/contracts';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { sendFile } from '../../file-answer';
import { hasRole, requireUser } from '../../plugins/auth';
import { implement } from '../../route';
import { calendarFileName, eventsCalendar } from './calendar';
import * as events from './event-service';
import * as registrationService from './registration-service';
import { AlreadyRegisteredError, type EventDeps } from './registration-service';

type Options = { deps: EventDeps };

function sendCalendar(reply: FastifyReply, fileName: string, body: string) {
  const file = { fileName, disposition: 'inline', cache: 'no-cache' } as const;
  return sendFile(reply, 'text/calendar; charset=utf-8', file, body);
}

/** Public events: lists, one event, registering, and calendars. */
export const eventRoutes: FastifyPluginAsync<Options> = async (app, { deps }) => {
  const site = (locale: 'bg' | 'en') => ({
    publicOrigin: deps.publicOrigin,
    siteName: deps.siteName[locale],
  });

  implement(app, routes.events, async (request) => events.listPublicEvents(deps, request.query));

  implement(app, routes.eventsCalendar, async (request, reply) => {
    const rows = await events.calendarEvents(deps);
    const name = deps.siteName[request.locale];
    const body = eventsCalendar(
      rows,
      request.locale,
      { publicOrigin: deps.publicOrigin, siteName: name },
      { name, method: 'publish' },
    );
    return sendCalendar(reply, 'events.ics', body);
  });

  implement(app, routes.event, async (request) =>
    events.getEvent(deps, request.params.id, {
      id: request.user?.id ?? null,
      isAdmin: hasRole(request.user, 'admin'),
    }),
  );

  implement(app, routes.eventCalendar, async (request, reply) => {
    const event = await events.publicEventRow(deps, request.params.id);
    const body = eventsCalendar([event], request.locale, site(request.locale), {
      name: deps.siteName[request.locale],
      method: 'publish',
    });
    return sendCalendar(reply, calendarFileName(event), body);
  });

  implement(app, routes.registerForEvent, async (request, reply) => {
    const user = request.userRow;
    try {
      const committedId = request.idempotency?.committedId;
      const registration = committedId
        ? await registrationService.registrationById(deps, committedId)
        : await registrationService.register(
            deps,
            request.params.id,
            {
              user: user ? { id: user.id, email: user.email, displayName: user.displayName } : null,
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
  });
};

/**
 * A registration through the link in its mails (no sign-in): view, confirm (guests), cancel.
 * The token is an HMAC of the registration id.
 */
export const registrationTokenRoutes: FastifyPluginAsync<Options> = async (app, { deps }) => {
  implement(app, routes.registrationByToken, async (request) =>
    registrationService.getByToken(deps, request.query.registrationId, request.query.token),
  );
  implement(app, routes.confirmRegistration, async (request) =>
    registrationService.confirmByToken(deps, request.body.registrationId, request.body.token),
  );
  implement(app, routes.cancelRegistrationByToken, async (request) =>
    registrationService.cancelByToken(deps, request.body.registrationId, request.body.token),
  );
};

/** The signed-in resident's registrations. */
export const accountRegistrationRoutes: FastifyPluginAsync<Options> = async (app, { deps }) => {
  implement(app, routes.myRegistrations, async (request) =>
    registrationService.listOwnRegistrations(
      deps,
      requireUser(request).id,
      request.query.page,
      request.query.pageSize,
    ),
  );
  implement(app, routes.myRegistration, async (request) =>
    registrationService.getOwnRegistration(deps, requireUser(request).id, request.params.id),
  );
  implement(app, routes.cancelMyRegistration, async (request) => {
    const userId = requireUser(request).id;
    return registrationService.cancelRegistration(
      deps,
      request.params.id,
      (row) => row.userId === userId,
    );
  });
};
