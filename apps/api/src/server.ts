import { buildApp } from './app';
import { ConfigError, loadConfig, type Config } from './config';
import { DataDirInUse } from './operations/control-socket';
import { findWebBuild, webForwardHeaders } from './plugins/web';

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}

if (config.serveWeb) config.webBuildDir ??= findWebBuild();
else config.webBuildDir = undefined;
const internalHost = ['0.0.0.0', '::', ''].includes(config.host) ? '127.0.0.1' : config.host;

// The SvelteKit handler runs in this process and reads its settings from the environment at import
// (adapter-node): which headers carry the protocol, host and client address that Fastify resolved
// (plugins/web.ts sets them on every page request). Its calls to the API stay in process
// (plugins/in-process.ts); SABOR_API_URL only matters to pages served apart from the API.
process.env.SABOR_API_URL ??= `http://${internalHost.includes(':') ? `[${internalHost}]` : internalHost}:${config.port}`;
// The pages' form actions forward document uploads to the API, so they take a document plus its
// form fields; the API still holds every JSON body to BODY_LIMIT_BYTES and files to
// DOCUMENT_MAX_BYTES.
process.env.BODY_SIZE_LIMIT = String(
  Math.max(config.bodyLimit, config.documentMaxBytes + 64 * 1024),
);
process.env.PROTOCOL_HEADER = webForwardHeaders.protocol;
process.env.HOST_HEADER = webForwardHeaders.host;
process.env.ADDRESS_HEADER = webForwardHeaders.address;
// With a configured public address, pages are always that origin (e.g. https behind a TLS proxy).
if (config.publicOriginConfigured) process.env.ORIGIN = config.publicOrigin;

const app = await buildApp(config, {
  logger: {
    level: config.logLevel,
    redact: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'],
  },
}).catch((error: unknown) => {
  if (error instanceof DataDirInUse) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
});

try {
  await app.listen({ port: config.port, host: config.host });
} catch (error) {
  app.log.fatal({ err: error }, 'could not start');
  process.exit(1);
}

app.log.info(
  { web: config.webBuildDir ?? 'not built (API only)', engine: app.database.engine },
  `Sabor is running at ${config.publicOrigin}`,
);
if (app.setupLink) {
  // Printed, not logged: the operator must see it even with LOG_LEVEL=warn.
  console.log(
    `\nNo administrator exists yet. Create the first one here (link works once):\n  ${app.setupLink}\n`,
  );
}

let closing = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: finishing in-flight requests');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    app
      .close()
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        app.log.error({ err }, 'shutdown failed');
        process.exit(1);
      });
  });
}
