import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, type TestDatabase } from '@sabor/db';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserServer,
  type LaunchOptions,
  type Page,
} from 'playwright-core';
import { inject } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../../..');
const serverEntry = join(repoRoot, 'apps/api/dist/server.js');

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Whether browser tests can run here. In CI a missing browser is a failure; elsewhere the tests are
 * skipped with a message that says why and how to get Chromium.
 */
export function browserAvailable(): boolean {
  if (existsSync(chromiumPath)) return true;
  const message = `Browser tests did not run: no Chromium at ${chromiumPath}. Install it with "apt-get install -y chromium" or set CHROMIUM_PATH.`;
  if (process.env.CI) throw new Error(message);
  console.warn(`\n*** ${message}\n`);
  return false;
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface Sabor {
  origin: string;
  stop(): Promise<void>;
}

/**
 * Starts the built server (API and pages in one process, as `pnpm start` does) on a free port with a
 * fresh database: a new PostgreSQL database when DATABASE_URL is set, otherwise a new embedded one.
 * `env` adds or overrides settings (e.g. shorter timeouts).
 */
export async function startSabor(env: Record<string, string> = {}): Promise<Sabor> {
  if (!existsSync(serverEntry)) throw new Error(`${serverEntry} is missing: build the API first`);
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'sabor-e2e-'));
  const database: TestDatabase | undefined = process.env.DATABASE_URL
    ? await createTestDatabase()
    : undefined;
  const child: ChildProcess = spawn(process.execPath, [serverEntry], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_ORIGIN: origin,
      DATA_DIR: join(dataDir, 'data'),
      DATABASE_URL: database?.databaseUrl ?? '',
      SEED_DEMO: 'true',
      LOG_LEVEL: 'warn',
      SMTP_URL: '',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));

  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Sabor exited early:\n${output}`);
    try {
      const response = await fetch(`${origin}/api/health`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`Sabor did not become healthy:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }

  return {
    origin,
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
      await database?.drop();
    },
  };
}

const browserOptions: LaunchOptions = {
  executablePath: chromiumPath,
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-quic',
    '--no-first-run',
    '--disable-component-update',
    '--disable-sync',
  ],
};

/** Starts the Chromium that the whole run shares (see e2e/global-setup.ts). */
export function launchBrowserServer(): Promise<BrowserServer> {
  return chromium.launchServer(browserOptions);
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** The origin of the server the files share, started once per run by e2e/global-setup.ts. */
    saborOrigin: string;
    /** Where the run's one Chromium listens, for `chromium.connect`. */
    browserEndpoint: string;
  }
}

/**
 * The server the test files share, started once per run with the demo content: for files that only
 * add data of their own and change no setting another file relies on. Other files start their own
 * with `startSabor`. Stopping it is left to the run.
 */
export function sharedSabor(): Sabor {
  return { origin: inject('saborOrigin'), stop: async () => {} };
}

/**
 * A connection to the run's one Chromium. Closing it closes this file's contexts and leaves the
 * browser running for the next file.
 */
export function connectBrowser(): Promise<Browser> {
  return chromium.connect(inject('browserEndpoint'));
}

/** A browser context in the given language, recording any Content-Security-Policy violation. */
export async function newContext(
  browser: Browser,
  sabor: Sabor,
  options: { locale?: 'bg' | 'en'; javaScriptEnabled?: boolean } = {},
): Promise<{ context: BrowserContext; cspViolations: string[] }> {
  const context = await browser.newContext({
    baseURL: sabor.origin,
    javaScriptEnabled: options.javaScriptEnabled ?? true,
    viewport: { width: 1280, height: 900 },
  });
  if (options.locale) {
    await context.addCookies([{ name: 'sabor_locale', value: options.locale, url: sabor.origin }]);
  }
  const cspViolations: string[] = [];
  context.on('console', (message) => {
    if (/Content Security Policy|Refused to (load|execute|apply)/i.test(message.text()))
      cspViolations.push(message.text());
  });
  return { context, cspViolations };
}

const axeSource = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** Runs axe-core (WCAG 2.1 A and AA rules) in the page and returns serious and critical violations. */
export async function seriousAccessibilityViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the DevTools protocol, so the page's CSP (no inline scripts) stays in force.
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run: (context: Document, options: object) => Promise<{ violations: AxeViolation[] }>;
        };
      }
    ).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target })),
    }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/**
 * The id of the demo's open consultation (the seed gives it a dozen comments), found by its title:
 * on the shared server other files add open consultations of their own.
 */
export async function openConsultationId(sabor: Sabor): Promise<string> {
  const response = await fetch(`${sabor.origin}/api/consultations?state=open&pageSize=100`);
  const list = (await response.json()) as { items: { id: string; titleEn: string | null }[] };
  const demoConsultation = list.items.find((c) => c.titleEn?.includes('Directorate'));
  if (!demoConsultation) throw new Error('the demo’s open consultation is missing');
  return demoConsultation.id;
}

export const demo = {
  admin: { email: 'admin@sabor.local', password: 'sabor-admin-demo' },
  moderator: { email: 'moderator@sabor.local', password: 'sabor-moderator-demo' },
  resident: { email: 'resident1@sabor.local', password: 'sabor-resident-demo' },
};

/** Signs in through the login form, as a person would; fails with the page's message if refused. */
export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.locator('input[name=email]').fill(email);
  await page.locator('input[name=password]').fill(password);
  await page.locator('main form button[type=submit]').click();
  try {
    await page.waitForURL((url) => url.pathname !== '/login', { timeout: 15_000 });
  } catch {
    throw new Error(
      `sign-in as ${email} stayed on the login page:\n${await page.locator('main').innerText()}`,
    );
  }
}

/**
 * Waits until the page's script has hydrated it (the root layout marks <html data-hydrated>):
 * keys typed before that may be lost when hydration sets the fields' values.
 */
export async function waitForHydration(page: Page): Promise<void> {
  await page.locator('html[data-hydrated]').waitFor({ state: 'attached', timeout: 30_000 });
}

/**
 * Signs in as `account` through the API and returns a caller that sends that session's cookie and
 * the Origin a browser would; any answer of 300 or more fails the test.
 */
export async function apiAs(sabor: Sabor, account: { email: string; password: string }) {
  const login = await fetch(`${sabor.origin}/api/auth/login`, {
    method: 'POST',
    headers: { origin: sabor.origin, 'content-type': 'application/json' },
    body: JSON.stringify(account),
  });
  if (login.status !== 200) throw new Error(`sign-in of ${account.email}: ${login.status}`);
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${sabor.origin}${path}`, {
      method,
      headers: { origin: sabor.origin, 'content-type': 'application/json', cookie },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status >= 300)
      throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
}

/**
 * Posts a form to `path` as this site's page does without JavaScript (its Origin, asking for
 * HTML), without following the redirect.
 */
export function postForm(
  sabor: Sabor,
  path: string,
  fields: Record<string, string>,
  cookie?: string,
): Promise<Response> {
  return fetch(`${sabor.origin}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      origin: sabor.origin,
      accept: 'text/html',
      'content-type': 'application/x-www-form-urlencoded',
      ...(cookie && { cookie }),
    },
    body: new URLSearchParams(fields),
  });
}

/** The `name=value; …` of the cookies a response set, for the next request's Cookie header. */
export function cookiesOf(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}
