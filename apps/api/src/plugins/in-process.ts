import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import type { SessionUser } from '@sabor/contracts';
import type { InProcessApi } from '@sabor/contracts/in-process';
import type { UserRow } from '@sabor/db';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/** A page request being rendered, as the API resolved it when the request arrived. */
export interface PageRequest {
  /** The session cookie the page request carried (looked up once, valid or not). */
  sessionToken: string | undefined;
  user: SessionUser | null;
  userRow: UserRow | null;
  sessionId: string | null;
  /** The visitor's address and browser, as Fastify resolved them (honouring TRUST_PROXY). */
  ip: string;
  host: string;
  userAgent: string | undefined;
}

const pageRequests = new AsyncLocalStorage<PageRequest>();
/** Marks the API requests the pages make in process; nothing outside this process knows it. */
const marker = { name: 'x-sabor-in-process', value: randomBytes(24).toString('base64url') };

/** Runs `render` (the SvelteKit handler) with the page request it serves. */
export function renderPage(page: PageRequest, render: () => void): void {
  pageRequests.run(page, render);
}

/**
 * The page request on whose behalf `request` was made in process, or undefined for every request
 * that came over the network. Such requests skip the rate limit (the page request itself was
 * counted), the origin check (the page's own form post was checked) and the session lookup.
 */
export function pageOf(request: FastifyRequest): PageRequest | undefined {
  if (request.headers[marker.name] !== marker.value) return undefined;
  return pageRequests.getStore();
}

/** What the SvelteKit handler in this process calls instead of the API's own port. */
export function inProcessApi(app: FastifyInstance): InProcessApi {
  return {
    async request({ method, url, headers, body }) {
      const page = pageRequests.getStore();
      if (!page) throw new Error(`in-process API call outside a page request: ${method} ${url}`);
      const response = await app.inject({
        method,
        url,
        headers: {
          ...headers,
          host: page.host,
          ...(page.userAgent ? { 'user-agent': page.userAgent } : {}),
          [marker.name]: marker.value,
        },
        remoteAddress: page.ip,
        ...(body === undefined ? {} : { payload: Buffer.from(body) }),
      });
      const raw = response.rawPayload;
      return {
        status: response.statusCode,
        headers: response.headers,
        body: new Uint8Array(raw.buffer as ArrayBuffer, raw.byteOffset, raw.byteLength),
      };
    },
    page() {
      const page = pageRequests.getStore();
      return page && { user: page.user };
    },
  };
}
