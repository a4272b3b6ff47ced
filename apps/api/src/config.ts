import { z } from 'zod';

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'])
  .transform((value) => ['true', '1', 'yes', 'on'].includes(value));

const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

/** Every environment variable Sabor reads. This module is the only reader of process.env. */
export const environmentSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: optionalText.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
      .optional(),
  ),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  PUBLIC_ORIGIN: optionalText.pipe(z.url({ protocol: /^https?$/ }).optional()),
  SMTP_URL: optionalText.pipe(z.url({ protocol: /^smtps?$/ }).optional()),
  MAIL_FROM: z.string().min(3).default('Sabor <no-reply@localhost>'),
  ADMIN_EMAIL: optionalText.pipe(z.email().optional()),
  ADMIN_PASSWORD: optionalText.pipe(z.string().min(10).optional()),
  SEED_DEMO: optionalText.pipe(booleanFlag.optional()),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRUST_PROXY: optionalText,
  REDIS_URL: optionalText.pipe(z.url({ protocol: /^rediss?$/ }).optional()),
  REDIS_CHANNEL_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_.-]{0,64}$/, 'letters, digits and : _ . - only, at most 64')
    .default('sabor:'),
  LIVE_EVENT_RETENTION_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 366)
    .default(72),
  PAGE_CACHE_SECONDS: z.coerce.number().int().min(0).max(10).default(1),
  BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(50 * 1024 * 1024)
    .default(1024 * 1024),
  DOCUMENT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(100 * 1024 * 1024)
    .default(20 * 1024 * 1024),
  REQUEST_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .max(60 * 60 * 1000)
    .default(10 * 60 * 1000),
  HEADERS_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .max(10 * 60 * 1000)
    .default(30 * 1000),
  KEEP_ALIVE_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .max(10 * 60 * 1000)
    .default(72 * 1000),
  SITE_NAME_BG: z.string().min(1).default('Община Стара Загора'),
  SITE_NAME_EN: z.string().min(1).default('Stara Zagora Municipality'),
  SITE_LOGO_URL: optionalText,
  SITE_PRIMARY_COLOR: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour like #1d4f91')
    .default('#1d4f91'),
  SITE_ACCENT_COLOR: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour like #b3261e')
    .default('#9c2a1c'),
  SITE_CONTACT_EMAIL: z.string().default('obshtina@starazagora.bg'),
  SITE_CONTACT_PHONE: z.string().default('+359 42 614 614'),
  SITE_ADDRESS_BG: z.string().default('бул. „Цар Симеон Велики“ 107, 6000 Стара Загора'),
  SITE_ADDRESS_EN: z.string().default('107 Tsar Simeon Veliki Blvd, 6000 Stara Zagora'),
  TICKET_SECRET: optionalText.pipe(
    z.string().min(32, 'must be at least 32 characters (e.g. openssl rand -hex 32)').optional(),
  ),
  EVENT_DATA_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  IDEMPOTENCY_LEASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(10),
  WEB_BUILD_DIR: optionalText,
  SERVE_WEB: optionalText.pipe(booleanFlag.optional()),
});

export type Environment = z.infer<typeof environmentSchema>;

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  databasePoolSize: number;
  /** Origin used in links and accepted by the origin check. */
  publicOrigin: string;
  publicOriginConfigured: boolean;
  secureCookies: boolean;
  smtpUrl: string | undefined;
  mailFrom: string;
  adminEmail: string | undefined;
  adminPassword: string | undefined;
  seedDemo: boolean;
  logLevel: Environment['LOG_LEVEL'];
  trustProxy: boolean | string | string[];
  /** With it, live events and presence travel between instances over Redis pub/sub. */
  redisUrl: string | undefined;
  /** Prepended to the Redis channel names, so installations can share one Redis. */
  redisChannelPrefix: string;
  /** Housekeeping deletes live events older than this (always keeping the newest). */
  liveEventRetentionHours: number;
  /** Live hub and socket tuning: the defaults suit production; tests change them. */
  live: {
    /** The safety poll of live_events, covering lost bus signals. */
    pollIntervalMs: number;
    /** Bytes waiting to be sent to one WebSocket before it is closed with 1013. */
    maxBufferedBytes: number;
  };
  /**
   * The longest an anonymous public page is kept in the shared page cache (0: no cache); see
   * plugins/page-cache.ts.
   */
  pageCacheSeconds: number;
  bodyLimit: number;
  /** Largest consultation document accepted (multipart uploads are not bound by bodyLimit). */
  documentMaxBytes: number;
  /**
   * Node's own limits on every connection (API, pages and the WebSocket handshake alike), so slow
   * clients cannot hold connections open for ever (docs/operations.md, "Timeouts").
   */
  timeouts: {
    /** Time to receive a whole request, body included: sized for a 20 MB upload on a slow phone. */
    requestMs: number;
    /** Time to receive a request's headers. */
    headersMs: number;
    /** How long an idle keep-alive connection stays open: longer than a proxy's idle timeout. */
    keepAliveMs: number;
  };
  site: {
    name: { bg: string; en: string };
    logoUrl: string | null;
    primaryColor: string;
    accentColor: string;
    contact: { email: string; phone: string; address: { bg: string; en: string } };
  };
  /**
   * Key of the HMAC that signs event tickets and registration links. Unset: one is generated at
   * the first start and kept in the database (app_secrets), so every instance shares it.
   */
  ticketSecret: string | undefined;
  /** Attendees' names, emails and answers are removed this many days after an event ends. */
  eventDataRetentionDays: number;
  /**
   * How long a request holds an Idempotency-Key it claimed; a retry takes over a claim left
   * without a response for longer (the request failed with the database, or its process died).
   */
  idempotencyLeaseSeconds: number;
  /** Directory of the SvelteKit adapter-node build to serve; undefined serves the API alone. */
  webBuildDir: string | undefined;
  /** False in development, where Vite serves the pages and proxies /api here. */
  serveWeb: boolean;
  /** Background jobs (mail sender); tests switch them off to drive them by hand. */
  backgroundJobs: boolean;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function parseTrustProxy(value: string | undefined): Config['trustProxy'] {
  // Loopback is always trusted: the web pages call the API through it and forward the client address.
  const loopback = ['127.0.0.1', '::1'];
  if (value === undefined || ['false', '0', 'no'].includes(value)) return loopback;
  if (['true', '1', 'yes'].includes(value)) return true;
  if (/^\d+$/.test(value)) return Number(value) === 0 ? loopback : value;
  return [...loopback, ...value.split(',').map((part) => part.trim())];
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
    );
  }
  const e = parsed.data;
  if ((e.ADMIN_EMAIL === undefined) !== (e.ADMIN_PASSWORD === undefined)) {
    throw new ConfigError(['ADMIN_EMAIL and ADMIN_PASSWORD: set both or neither']);
  }
  if (e.HEADERS_TIMEOUT_MS > e.REQUEST_TIMEOUT_MS) {
    throw new ConfigError(['HEADERS_TIMEOUT_MS: must not be longer than REQUEST_TIMEOUT_MS']);
  }
  const publicOrigin = e.PUBLIC_ORIGIN
    ? new URL(e.PUBLIC_ORIGIN).origin
    : `http://localhost:${e.PORT}`;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: e.DATA_DIR,
    databaseUrl: e.DATABASE_URL,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    publicOrigin,
    publicOriginConfigured: e.PUBLIC_ORIGIN !== undefined,
    secureCookies: publicOrigin.startsWith('https:'),
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    adminEmail: e.ADMIN_EMAIL?.toLowerCase(),
    adminPassword: e.ADMIN_PASSWORD,
    seedDemo: e.SEED_DEMO ?? e.DATABASE_URL === undefined,
    logLevel: e.LOG_LEVEL,
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    redisUrl: e.REDIS_URL,
    redisChannelPrefix: e.REDIS_CHANNEL_PREFIX,
    liveEventRetentionHours: e.LIVE_EVENT_RETENTION_HOURS,
    live: { pollIntervalMs: 5000, maxBufferedBytes: 4 * 1024 * 1024 },
    pageCacheSeconds: e.PAGE_CACHE_SECONDS,
    bodyLimit: e.BODY_LIMIT_BYTES,
    documentMaxBytes: e.DOCUMENT_MAX_BYTES,
    timeouts: {
      requestMs: e.REQUEST_TIMEOUT_MS,
      headersMs: e.HEADERS_TIMEOUT_MS,
      keepAliveMs: e.KEEP_ALIVE_TIMEOUT_MS,
    },
    site: {
      name: { bg: e.SITE_NAME_BG, en: e.SITE_NAME_EN },
      logoUrl: e.SITE_LOGO_URL ?? null,
      primaryColor: e.SITE_PRIMARY_COLOR,
      accentColor: e.SITE_ACCENT_COLOR,
      contact: {
        email: e.SITE_CONTACT_EMAIL,
        phone: e.SITE_CONTACT_PHONE,
        address: { bg: e.SITE_ADDRESS_BG, en: e.SITE_ADDRESS_EN },
      },
    },
    ticketSecret: e.TICKET_SECRET,
    eventDataRetentionDays: e.EVENT_DATA_RETENTION_DAYS,
    idempotencyLeaseSeconds: e.IDEMPOTENCY_LEASE_SECONDS,
    webBuildDir: e.WEB_BUILD_DIR,
    serveWeb: e.SERVE_WEB ?? true,
    backgroundJobs: true,
  };
}
