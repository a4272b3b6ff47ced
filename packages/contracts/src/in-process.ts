import type { SessionUser } from './auth';

/**
 * How the pages reach the API when both run in one process (the default, and every instance of a
 * multi-instance setup): the API installs an `InProcessApi` before it loads the SvelteKit handler,
 * and the pages' server code calls it instead of opening a connection to the API's own port.
 * Outside callers and the browser's own fetches keep using HTTP with the same checks.
 */
export interface InProcessRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path and query, e.g. `/api/consultations?page=2`. */
  url: string;
  /** The visitor's cookies, language, content type, Idempotency-Key… (no forwarding headers). */
  headers: Record<string, string>;
  body?: Uint8Array<ArrayBuffer> | string;
}

export interface InProcessResponse {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: Uint8Array<ArrayBuffer>;
}

export interface InProcessApi {
  /** Runs one API request for the page being rendered, as the visitor, with no network. */
  request(request: InProcessRequest): Promise<InProcessResponse>;
  /**
   * The page request being served, as the API resolved it: who is signed in (one session lookup
   * for the whole page, shared by every load and action), or undefined outside a page request.
   */
  page(): { user: SessionUser | null } | undefined;
}

const key = Symbol.for('sabor.in-process-api');
type Holder = { [key]?: InProcessApi };

/** Called by the API before it loads the pages' handler. */
export function provideInProcessApi(api: InProcessApi | undefined): void {
  (globalThis as Holder)[key] = api;
}

/** The API of this process, or undefined when the pages run apart from it (`pnpm dev`). */
export function inProcessApi(): InProcessApi | undefined {
  return (globalThis as Holder)[key];
}
