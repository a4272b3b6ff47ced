import { moderationQueueTopic } from '@sabor/contracts';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Config } from './config';
import { ApiError } from './errors';
import { databaseBus } from './live/bus';
import { LiveHub } from './live/hub';
import { redisBus } from './live/redis-bus';
import { closeLiveSockets, wsRoutes } from './live/ws-routes';
import { accountRoutes } from './modules/account/routes';
import { authRoutes } from './modules/auth/routes';
import { commentRoutes, commentThreadRoutes } from './modules/comments/routes';
import type { CommentDeps } from './modules/comments/service';
import { consultationRoutes } from './modules/consultations/routes';
import { startConsultationScheduler } from './modules/consultations/scheduler';
import { bootstrapAdmin, type AuthDeps } from './modules/auth/service';
import { seedDemo } from './modules/demo/seed';
import { documentRoutes } from './modules/documents/routes';
import { draftAdminRoutes } from './modules/drafts/routes';
import { eventAdminRoutes } from './modules/events/admin-routes';
import type { EventDeps } from './modules/events/registration-service';
import {
  accountRegistrationRoutes,
  eventRoutes,
  registrationTokenRoutes,
} from './modules/events/routes';
import { startEventScheduler } from './modules/events/scheduler';
import { createSigner, loadTicketSecret } from './signer';
import { configureFollowerNotices } from './modules/follows/notify';
import { followRoutes } from './modules/follows/routes';
import { mailRoutes } from './modules/mail/routes';
import { commentModeration } from './modules/moderation/comment-hooks';
import { SettingsCache } from './modules/moderation/settings';
import { commentReportRoutes, moderationRoutes } from './modules/moderation/routes';
import { auditRoutes } from './modules/moderation/audit-routes';
import { noticeRoutes } from './modules/moderation/notice-routes';
import { moderationUserRoutes } from './modules/moderation/user-routes';
import { MailSender } from './modules/mail/sender';
import { reportAdminRoutes, reportRoutes } from './modules/report/routes';
import { purgeExpired } from './modules/system/housekeeping';
import {
  surveyAdminRoutes,
  surveyModerationRoutes,
  surveyRoutes,
  type SurveyRouteDeps,
} from './modules/surveys/routes';
import { systemRoutes } from './modules/system/routes';
import { userAdminRoutes } from './modules/users/routes';
import { authPlugin } from './plugins/auth';
import { databasePlugin } from './plugins/database';
import { errorBody, errorsPlugin } from './plugins/errors';
import { idempotencyPlugin } from './plugins/idempotency';
import { localePlugin } from './plugins/locale';
import { openapiPlugin } from './plugins/openapi';
import { originCheckPlugin } from './plugins/origin-check';
import { pageOf } from './plugins/in-process';
import { PageCache, serverAnsweringKeptPages } from './plugins/page-cache';
import { registerWebHandler } from './plugins/web';
import { version } from './version';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    mailSender: MailSender;
    /** This process's live hub (WebSocket fan-out and presence). */
    liveHub: LiveHub;
    /**
     * The moderation settings this process keeps for posting comments (tests that write the
     * settings row directly tell it to forget).
     */
    moderationSettings: SettingsCache;
    /** What the events module works with (tests drive its scheduled jobs through it). */
    eventDeps: EventDeps;
    /** The one-time first-admin link printed at start when no admin exists yet. */
    setupLink: string | undefined;
  }
}

export interface BuildOptions {
  /** pino options or false; server.ts passes the real logger settings. */
  logger?: boolean | Record<string, unknown>;
}

/**
 * How often Node looks for connections past their request or headers timeout (30 s by default): a
 * quarter of the shorter limit, so a connection is cut within 25% of it, and never busier than 4 a
 * second.
 */
function connectionsCheckingInterval(timeouts: Config['timeouts']): number {
  const shorter = Math.min(timeouts.requestMs, timeouts.headersMs);
  return Math.min(30_000, Math.max(250, Math.floor(shorter / 4)));
}

/** Builds the whole application without listening: API, WebSocket and (when built) the web pages. */
export async function buildApp(
  config: Config,
  options: BuildOptions = {},
): Promise<FastifyInstance> {
  const pageCache = config.webBuildDir ? new PageCache(config.pageCacheSeconds) : undefined;
  const app = Fastify({
    // Anonymous visitors' pages kept for a second are sent before Fastify sees the request.
    ...(pageCache?.enabled ? { serverFactory: serverAnsweringKeptPages(pageCache) } : {}),
    logger: options.logger ?? false,
    trustProxy: config.trustProxy,
    bodyLimit: config.bodyLimit,
    // Each route is declared with its full path (`/api/consultations`); the same path with a
    // trailing slash reaches the same route, as it did when routes were registered under prefixes.
    routerOptions: { ignoreTrailingSlash: true },
    genReqId: () => crypto.randomUUID(),
    requestIdHeader: false,
    return503OnClosing: true,
    // Fastify's default request timeout is 0, which lifts Node's limit: a body trickled a byte at a
    // time would hold its connection for ever. Node applies the limits from its own timer.
    requestTimeout: config.timeouts.requestMs,
    keepAliveTimeout: config.timeouts.keepAliveMs,
    http: {
      requestTimeout: config.timeouts.requestMs,
      headersTimeout: config.timeouts.headersMs,
      connectionsCheckingInterval: connectionsCheckingInterval(config.timeouts),
    },
    forceCloseConnections: 'idle',
    // Opening the database runs the migrations; a first start of the embedded database on a busy
    // machine can take well over Fastify's default 10 s. A start that truly hangs still fails.
    pluginTimeout: 120_000,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('config', config);
  app.decorate('setupLink', undefined);

  await app.register(cookie);
  await app.register(localePlugin);
  await app.register(errorsPlugin);
  await app.register(databasePlugin, {
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: config.databasePoolSize,
  });
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: config.secureCookies ? [] : null,
      },
    },
    strictTransportSecurity: config.secureCookies,
  });
  await app.register(rateLimit, {
    max: 1000,
    timeWindow: '1 minute',
    // The pages' own calls in process spend none of the visitor's general budget (a page makes
    // several), but routes with a limit of their own (sign-in, registrations…) still count them,
    // against the visitor's address: a form posted to a page is limited as a call to the API is.
    allowList: (request) => pageOf(request) !== undefined && !request.routeOptions.config.rateLimit,
    errorResponseBuilder: (_request, context) =>
      new ApiError(429, 'too_many_requests', undefined, {
        'retry-after': String(Math.ceil(context.ttl / 1000)),
      }),
  });
  await app.register(originCheckPlugin, { publicOrigin: config.publicOrigin });
  await app.register(authPlugin, { secureCookies: config.secureCookies });
  await app.register(idempotencyPlugin, { leaseSeconds: config.idempotencyLeaseSeconds });
  await app.register(websocket, {
    options: { maxPayload: 64 * 1024 },
    preClose: closeLiveSockets,
  });
  await app.register(openapiPlugin, { version, publicOrigin: config.publicOrigin });

  const sender = new MailSender({
    db: app.db,
    smtpUrl: config.smtpUrl,
    from: config.mailFrom,
    logger: app.log,
  });
  app.decorate('mailSender', sender);
  const deps: AuthDeps = { db: app.db, config, onMailQueued: () => sender.wake() };

  await app.register(systemRoutes, { config });
  await app.register(authRoutes, { deps });
  await app.register(accountRoutes, { deps });
  await app.register(userAdminRoutes, { deps });
  await app.register(mailRoutes);
  await app.register(consultationRoutes, { deps });
  await app.register(documentRoutes, { deps, maxBytes: config.documentMaxBytes });
  configureFollowerNotices({ publicOrigin: config.publicOrigin, siteName: config.site.name });
  await app.register(followRoutes, { deps });
  const moderationSettings = new SettingsCache();
  app.decorate('moderationSettings', moderationSettings);
  const commentDeps: CommentDeps = { ...deps, moderation: commentModeration(moderationSettings) };
  await app.register(commentThreadRoutes, { deps: commentDeps });
  await app.register(commentRoutes, { deps: commentDeps });
  await app.register(commentReportRoutes, { deps: commentDeps });
  await app.register(moderationRoutes, { deps: commentDeps, settings: moderationSettings });
  await app.register(moderationUserRoutes, { deps });
  await app.register(auditRoutes, { db: app.db });
  await app.register(noticeRoutes, { db: app.db });
  await app.register(reportRoutes, { deps });
  await app.register(reportAdminRoutes, { deps });
  const eventDeps: EventDeps = {
    db: app.db,
    signer: createSigner(await loadTicketSecret(app.db, config.ticketSecret)),
    publicOrigin: config.publicOrigin,
    siteName: config.site.name,
    onMailQueued: () => sender.wake(),
  };
  app.decorate('eventDeps', eventDeps);
  await app.register(eventRoutes, { deps: eventDeps });
  await app.register(registrationTokenRoutes, { deps: eventDeps });
  await app.register(accountRegistrationRoutes, { deps: eventDeps });
  await app.register(eventAdminRoutes, { deps: eventDeps });
  const surveyDeps: SurveyRouteDeps = {
    db: app.db,
    signer: eventDeps.signer,
    secureCookies: config.secureCookies,
  };
  await app.register(surveyRoutes, { deps: surveyDeps });
  await app.register(surveyAdminRoutes, { deps: surveyDeps });
  await app.register(draftAdminRoutes);
  await app.register(surveyModerationRoutes, { deps: surveyDeps });
  const liveInstance = crypto.randomUUID();
  const liveHub = new LiveHub({
    db: app.db,
    // With REDIS_URL instances learn of new events over Redis pub/sub; otherwise over LISTEN.
    bus: config.redisUrl
      ? redisBus({
          url: config.redisUrl,
          prefix: config.redisChannelPrefix,
          db: app.db,
          instance: liveInstance,
          logger: app.log,
        })
      : databaseBus(app.database),
    logger: app.log,
    instance: liveInstance,
    pollIntervalMs: config.live.pollIntervalMs,
  });
  app.decorate('liveHub', liveHub);
  // Settings saved on any instance reach this one's kept copy through the live events.
  liveHub.watch(moderationQueueTopic, (event) => {
    if (event.payload.type === 'settings_changed') moderationSettings.forget();
  });
  await app.register(wsRoutes, {
    prefix: '/api',
    publicOrigin: config.publicOrigin,
    hub: liveHub,
    maxBufferedBytes: config.live.maxBufferedBytes,
  });

  app.setNotFoundHandler(
    { preHandler: app.rateLimit({ max: 60, timeWindow: '1 minute' }) },
    (request, reply) => reply.code(404).send(errorBody('not_found', request.locale)),
  );

  if (config.webBuildDir && pageCache) {
    await registerWebHandler(app, config.webBuildDir, pageCache);
  }

  let housekeeping: NodeJS.Timeout | undefined;
  let stopConsultationScheduler: (() => Promise<void>) | undefined;
  let stopEventScheduler: (() => Promise<void>) | undefined;
  app.addHook('onReady', async () => {
    if (config.seedDemo) await seedDemo(app.db);
    app.setupLink = await bootstrapAdmin(deps);
    await liveHub.start();
    if (config.backgroundJobs) {
      sender.start();
      housekeeping = setInterval(
        () => {
          purgeExpired(app.db, config.liveEventRetentionHours).catch((err: unknown) =>
            app.log.warn({ err }, 'housekeeping failed'),
          );
        },
        10 * 60 * 1000,
      );
      housekeeping.unref();
      stopConsultationScheduler = startConsultationScheduler(app.db, (err: unknown) =>
        app.log.warn({ err }, 'consultation schedule failed'),
      );
      stopEventScheduler = startEventScheduler(
        eventDeps,
        config.eventDataRetentionDays,
        (err: unknown) => app.log.warn({ err }, 'event schedule failed'),
      );
    }
  });
  app.addHook('preClose', async () => {
    clearInterval(housekeeping);
    await Promise.all([
      sender.stop(),
      liveHub.stop(),
      stopConsultationScheduler?.(),
      stopEventScheduler?.(),
    ]);
  });

  return app;
}
