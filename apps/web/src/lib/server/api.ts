import {
  adminUserSchema,
  type adminConsultationListQuerySchema,
  type changePasswordBodySchema,
  type changeRoleBodySchema,
  type closeConsultationBodySchema,
  type consultationListQuerySchema,
  consultationListSchema,
  consultationDocumentListSchema,
  consultationDocumentSchema,
  consultationSchema,
  type consultationVersionBodySchema,
  type createConsultationBodySchema,
  currentSessionSchema,
  dataExportSchema,
  type deleteAccountBodySchema,
  errorBodySchema,
  errorMessages,
  type forgotPasswordBodySchema,
  type loginBodySchema,
  okSchema,
  outboxListSchema,
  outboxMailSchema,
  profileSchema,
  type registerBodySchema,
  type resetPasswordBodySchema,
  revokedSchema,
  sessionUserSchema,
  sessionListSchema,
  type setupBodySchema,
  siteSchema,
  type suspendBodySchema,
  type updateConsultationBodySchema,
  type updateProfileBodySchema,
  userListSchema,
  type verifyEmailBodySchema,
  type ErrorBody,
  type ErrorCode,
  type Role,
} from '@sabor/contracts';
import {
  type createCommentBodySchema,
  commentSchema,
  commentSupportSchema,
  type editCommentBodySchema,
  commentListSchema,
  type commentListQuerySchema,
  consultationReportPreviewSchema,
  consultationReportSchema,
  type proposalResponseBodySchema,
  proposalResponseSchema,
  type publishReportBodySchema,
  type createReportBodySchema,
  moderationSettingsSchema,
  reportReceiptSchema,
  userNoticeListSchema,
} from '@sabor/contracts';
import {
  fillPath,
  routes,
  type RouteContract,
  type RouteInput,
  type RouteResult,
  type Routes,
} from '@sabor/contracts';
import type { RequestEvent } from '@sveltejs/kit';
import { z } from 'zod';
import { forwardSetCookies } from './forward-cookies';

export type ApiError = ErrorBody['error'];
export interface ApiFailure {
  ok: false;
  status: number;
  error: ApiError;
  /** Seconds from a Retry-After header (429 responses). */
  retryAfter?: number;
  /** The whole error answer, for the few with more than `error` (parse it with their contract). */
  body?: unknown;
}
export type ApiResult<T> = { ok: true; status: number; data: T } | ApiFailure;

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type Query = Record<string, unknown>;
interface RequestOptions {
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as multipart/form-data (file uploads) instead of a JSON body. */
  form?: FormData;
  query?: Query;
  /** Sent as Idempotency-Key: a repeated form post replays the first answer. */
  idempotencyKey?: string;
}
type ApiEvent = Pick<RequestEvent, 'fetch' | 'cookies' | 'locals'>;

// Answers that have no named schema in the contracts.
const setupStatusSchema = z.object({ valid: z.boolean() });
const signedInSchema = z.object({ user: sessionUserSchema });

function failure(event: ApiEvent, status: number, code: ErrorCode): ApiFailure {
  return { ok: false, status, error: { code, message: errorMessages[code][event.locals.locale] } };
}

function codeForStatus(status: number): ErrorCode {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 429) return 'too_many_requests';
  if (status === 503) return 'service_unavailable';
  return 'internal_error';
}

function parseJson(text: string): unknown {
  try {
    return text === '' ? undefined : (JSON.parse(text) as unknown);
  } catch {
    return undefined;
  }
}

function withQuery(path: string, query: Query | undefined): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) {
    for (const item of Array.isArray(value) ? (value as unknown[]) : [value]) {
      if (typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean') {
        if (item !== '') params.append(name, String(item));
      }
    }
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

/**
 * The API's raw response for `path` (through handleFetch, which targets the API and adds the
 * visitor's cookie and forwarding headers). Cookies the API sets are passed on to the browser.
 */
export async function apiFetch(
  event: ApiEvent,
  method: Method,
  path: string,
  options: RequestOptions = {},
): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
  // fetch writes the multipart content type itself, with its boundary.
  const body =
    options.form ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const response = await event.fetch(withQuery(path, options.query), { method, headers, body });
  forwardSetCookies(response.headers, event.cookies);
  return response;
}

/**
 * Calls the API and parses the answer with the contract's `schema`. Never throws: an error
 * response, an unreachable API or an answer that breaks the contract all become `ok: false`
 * with a message in the visitor's language.
 */
export async function apiRequest<S extends z.ZodType>(
  event: ApiEvent,
  method: Method,
  path: string,
  schema: S,
  options: RequestOptions = {},
): Promise<ApiResult<z.output<S>>> {
  let response: Response;
  let text: string;
  try {
    response = await apiFetch(event, method, path, options);
    text = await response.text();
  } catch (error) {
    console.error(`API ${method} ${path} failed`, error);
    return failure(event, 503, 'service_unavailable');
  }
  const json = parseJson(text);
  if (response.ok) {
    const parsed = schema.safeParse(json);
    if (parsed.success) return { ok: true, status: response.status, data: parsed.data };
    console.error(`API ${method} ${path} answered outside its contract`, parsed.error.issues);
    return failure(event, 502, 'internal_error');
  }
  const body = errorBodySchema.safeParse(json);
  const result: ApiFailure = body.success
    ? { ok: false, status: response.status, error: body.data.error }
    : failure(event, response.status, codeForStatus(response.status));
  // Answers with more than `error` (e.g. which registration already exists) keep it for the caller.
  if (body.success && Object.keys(json as object).some((key) => key !== 'error'))
    result.body = json;
  const retryAfter = Number(response.headers.get('retry-after'));
  if (Number.isInteger(retryAfter) && retryAfter > 0) result.retryAfter = retryAfter;
  return result;
}

type Body<S extends z.ZodType> = z.input<S>;
/** A list query: the contract's fields, page numbers as numbers. */
type QueryOf<S extends z.ZodType> = {
  [K in keyof z.output<S>]?: Extract<z.output<S>[K], string | number>;
};
const id = (value: string) => encodeURIComponent(value);

/**
 * Calls one route of the table in `@sabor/contracts`: the path is filled from `params`, the body
 * and query are typed by the route's schemas, and the answer is parsed with its response schema.
 */
export function callRoute<R extends RouteContract>(
  event: ApiEvent,
  route: R,
  input: RouteInput<R> = {} as RouteInput<R>,
): Promise<ApiResult<RouteResult<R>>> {
  if (route.response === 'raw') throw new Error(`${route.path} answers a file: link to it instead`);
  const { params, query, body, form, idempotencyKey } = input as {
    params?: Record<string, unknown>;
    query?: Query;
    body?: unknown;
    form?: FormData;
    idempotencyKey?: string;
  };
  return apiRequest(event, route.method, fillPath(route.path, params), route.response, {
    query,
    body,
    form,
    idempotencyKey,
  }) as Promise<ApiResult<RouteResult<R>>>;
}

/**
 * The raw answer of a route whose response is a file (`response: 'raw'`: CSV, PDF, a document),
 * for the few pages that pass one on; links in pages point at such routes directly.
 */
export function fetchRoute<R extends RouteContract>(
  event: ApiEvent,
  route: R,
  input: RouteInput<R> = {} as RouteInput<R>,
): Promise<Response> {
  const { params, query } = input as { params?: Record<string, unknown>; query?: Query };
  return apiFetch(event, route.method, fillPath(route.path, params), { query });
}

type RouteArgs<R extends RouteContract> =
  Record<never, never> extends RouteInput<R> ? [input?: RouteInput<R>] : [input: RouteInput<R>];
type RouteClient = {
  [K in keyof Routes]: (
    event: ApiEvent,
    ...args: RouteArgs<Routes[K]>
  ) => Promise<ApiResult<RouteResult<Routes[K]>>>;
};

/** One typed call per route of the table, named as the table names it. */
const routeClient = Object.fromEntries(
  Object.entries(routes).map(([name, route]) => [
    name,
    (event: ApiEvent, input?: RouteInput<RouteContract>) => callRoute(event, route, input),
  ]),
) as unknown as RouteClient;

/** Every API call the web pages make, typed by the contracts. */
export const api = {
  ...routeClient,
  site: (e: ApiEvent) => apiRequest(e, 'GET', '/api/site', siteSchema),
  session: (e: ApiEvent) => apiRequest(e, 'GET', '/api/auth/session', currentSessionSchema),

  register: (e: ApiEvent, body: Body<typeof registerBodySchema>) =>
    apiRequest(e, 'POST', '/api/auth/register', signedInSchema, { body }),
  login: (e: ApiEvent, body: Body<typeof loginBodySchema>) =>
    apiRequest(e, 'POST', '/api/auth/login', signedInSchema, { body }),
  logout: (e: ApiEvent) => apiRequest(e, 'POST', '/api/auth/logout', okSchema, { body: {} }),
  verifyEmail: (e: ApiEvent, body: Body<typeof verifyEmailBodySchema>) =>
    apiRequest(e, 'POST', '/api/auth/verify-email', okSchema, { body }),
  resendVerification: (e: ApiEvent) =>
    apiRequest(e, 'POST', '/api/auth/resend-verification', okSchema, { body: {} }),
  forgotPassword: (e: ApiEvent, body: Body<typeof forgotPasswordBodySchema>) =>
    apiRequest(e, 'POST', '/api/auth/forgot-password', okSchema, { body }),
  resetPassword: (e: ApiEvent, body: Body<typeof resetPasswordBodySchema>) =>
    apiRequest(e, 'POST', '/api/auth/reset-password', okSchema, { body }),
  setupStatus: (e: ApiEvent, token: string) =>
    apiRequest(e, 'GET', '/api/auth/setup', setupStatusSchema, { query: { token } }),
  setup: (e: ApiEvent, body: Body<typeof setupBodySchema>) =>
    apiRequest(e, 'POST', '/api/auth/setup', signedInSchema, { body }),

  account: (e: ApiEvent) => apiRequest(e, 'GET', '/api/account', profileSchema),
  updateAccount: (e: ApiEvent, body: Body<typeof updateProfileBodySchema>) =>
    apiRequest(e, 'PATCH', '/api/account', profileSchema, { body }),
  changePassword: (e: ApiEvent, body: Body<typeof changePasswordBodySchema>) =>
    apiRequest(e, 'POST', '/api/account/password', okSchema, { body }),
  sessions: (e: ApiEvent) => apiRequest(e, 'GET', '/api/account/sessions', sessionListSchema),
  revokeOtherSessions: (e: ApiEvent) =>
    apiRequest(e, 'POST', '/api/account/sessions/revoke-others', revokedSchema, { body: {} }),
  revokeSession: (e: ApiEvent, sessionId: string) =>
    apiRequest(e, 'DELETE', `/api/account/sessions/${id(sessionId)}`, okSchema),
  exportData: (e: ApiEvent) => apiRequest(e, 'GET', '/api/account/export', dataExportSchema),
  deleteAccount: (e: ApiEvent, body: Body<typeof deleteAccountBodySchema>) =>
    apiRequest(e, 'POST', '/api/account/delete', okSchema, { body }),

  users: (e: ApiEvent, query: { q?: string; role?: Role; page?: number; pageSize?: number }) =>
    apiRequest(e, 'GET', '/api/admin/users', userListSchema, { query }),
  changeRole: (e: ApiEvent, userId: string, body: Body<typeof changeRoleBodySchema>) =>
    apiRequest(e, 'PATCH', `/api/admin/users/${id(userId)}/role`, adminUserSchema, { body }),
  suspend: (e: ApiEvent, userId: string, body: Body<typeof suspendBodySchema>) =>
    apiRequest(e, 'POST', `/api/admin/users/${id(userId)}/suspend`, adminUserSchema, { body }),
  unsuspend: (e: ApiEvent, userId: string) =>
    apiRequest(e, 'POST', `/api/admin/users/${id(userId)}/unsuspend`, adminUserSchema, {
      body: {},
    }),
  outbox: (e: ApiEvent, query: { page?: number; to?: string }) =>
    apiRequest(e, 'GET', '/api/admin/outbox', outboxListSchema, { query }),
  outboxMail: (e: ApiEvent, mailId: string) =>
    apiRequest(e, 'GET', `/api/admin/outbox/${id(mailId)}`, outboxMailSchema),

  consultations: (e: ApiEvent, query: QueryOf<typeof consultationListQuerySchema>) =>
    apiRequest(e, 'GET', '/api/consultations', consultationListSchema, { query }),
  consultation: (e: ApiEvent, consultationId: string) =>
    apiRequest(e, 'GET', `/api/consultations/${id(consultationId)}`, consultationSchema),
  adminConsultations: (e: ApiEvent, query: QueryOf<typeof adminConsultationListQuerySchema>) =>
    apiRequest(e, 'GET', '/api/admin/consultations', consultationListSchema, { query }),
  createConsultation: (
    e: ApiEvent,
    body: Body<typeof createConsultationBodySchema>,
    idempotencyKey: string | undefined,
  ) =>
    apiRequest(e, 'POST', '/api/admin/consultations', consultationSchema, {
      body,
      idempotencyKey,
    }),
  updateConsultation: (
    e: ApiEvent,
    consultationId: string,
    body: Body<typeof updateConsultationBodySchema>,
  ) =>
    apiRequest(e, 'PATCH', `/api/admin/consultations/${id(consultationId)}`, consultationSchema, {
      body,
    }),
  publishConsultation: (e: ApiEvent, consultationId: string) =>
    apiRequest(
      e,
      'POST',
      `/api/admin/consultations/${id(consultationId)}/publish`,
      consultationSchema,
      { body: {} },
    ),
  closeConsultation: (
    e: ApiEvent,
    consultationId: string,
    body: Body<typeof closeConsultationBodySchema>,
  ) =>
    apiRequest(
      e,
      'POST',
      `/api/admin/consultations/${id(consultationId)}/close`,
      consultationSchema,
      { body },
    ),
  publishConsultationVersion: (
    e: ApiEvent,
    consultationId: string,
    body: Body<typeof consultationVersionBodySchema>,
  ) =>
    apiRequest(
      e,
      'POST',
      `/api/admin/consultations/${id(consultationId)}/versions`,
      consultationSchema,
      { body },
    ),

  consultationDocuments: (e: ApiEvent, consultationId: string) =>
    apiRequest(
      e,
      'GET',
      `/api/consultations/${id(consultationId)}/documents`,
      consultationDocumentListSchema,
    ),
  /** Multipart upload: `title` and `file` (PDF, DOCX or ODT; the API checks the bytes). */
  uploadDocument: (
    e: ApiEvent,
    consultationId: string,
    upload: { title: string; file: File },
    idempotencyKey: string | undefined,
  ) => {
    const form = new FormData();
    form.set('title', upload.title);
    form.set('file', upload.file, upload.file.name);
    return apiRequest(
      e,
      'POST',
      `/api/admin/consultations/${id(consultationId)}/documents`,
      consultationDocumentSchema,
      { form, idempotencyKey },
    );
  },
  deleteDocument: (e: ApiEvent, documentId: string) =>
    apiRequest(e, 'DELETE', `/api/admin/documents/${id(documentId)}`, okSchema),

  /** A page of proposals with their first replies; pass `nextCursor` back as `cursor`. */
  comments: (e: ApiEvent, consultationId: string, query: QueryOf<typeof commentListQuerySchema>) =>
    apiRequest(e, 'GET', `/api/consultations/${id(consultationId)}/comments`, commentListSchema, {
      query,
    }),
  postComment: (
    e: ApiEvent,
    consultationId: string,
    body: Body<typeof createCommentBodySchema>,
    idempotencyKey: string | undefined,
  ) =>
    apiRequest(e, 'POST', `/api/consultations/${id(consultationId)}/comments`, commentSchema, {
      body,
      idempotencyKey,
    }),
  editComment: (e: ApiEvent, commentId: string, body: Body<typeof editCommentBodySchema>) =>
    apiRequest(e, 'PATCH', `/api/comments/${id(commentId)}`, commentSchema, { body }),
  deleteComment: (e: ApiEvent, commentId: string) =>
    apiRequest(e, 'DELETE', `/api/comments/${id(commentId)}`, okSchema),
  setSupport: (e: ApiEvent, commentId: string, supported: boolean) =>
    apiRequest(
      e,
      supported ? 'PUT' : 'DELETE',
      `/api/comments/${id(commentId)}/support`,
      commentSupportSchema,
    ),
  respondToProposal: (
    e: ApiEvent,
    commentId: string,
    body: Body<typeof proposalResponseBodySchema>,
  ) =>
    apiRequest(e, 'PUT', `/api/admin/comments/${id(commentId)}/response`, proposalResponseSchema, {
      body,
    }),
  /** The published report; 404 until it is published. */
  consultationReport: (e: ApiEvent, consultationId: string) =>
    apiRequest(
      e,
      'GET',
      `/api/consultations/${id(consultationId)}/report`,
      consultationReportSchema,
    ),
  reportPreview: (e: ApiEvent, consultationId: string) =>
    apiRequest(
      e,
      'GET',
      `/api/admin/consultations/${id(consultationId)}/report/preview`,
      consultationReportPreviewSchema,
    ),
  publishReport: (
    e: ApiEvent,
    consultationId: string,
    body: Body<typeof publishReportBodySchema>,
    idempotencyKey: string | undefined,
  ) =>
    apiRequest(
      e,
      'POST',
      `/api/admin/consultations/${id(consultationId)}/report`,
      consultationReportSchema,
      { body, idempotencyKey },
    ),

  /** A resident's report of someone else's comment (one per resident per comment). */
  reportComment: (
    e: ApiEvent,
    commentId: string,
    body: Body<typeof createReportBodySchema>,
    idempotencyKey: string | undefined,
  ) =>
    apiRequest(e, 'POST', `/api/comments/${id(commentId)}/reports`, reportReceiptSchema, {
      body,
      idempotencyKey,
    }),
  /** The signed-in person's moderation notices (newest first) and how many are unread. */
  notices: (e: ApiEvent) => apiRequest(e, 'GET', '/api/account/notices', userNoticeListSchema),
  markNoticesRead: (e: ApiEvent) =>
    apiRequest(e, 'POST', '/api/account/notices/read', userNoticeListSchema, { body: {} }),
  moderationSettings: (e: ApiEvent) =>
    apiRequest(e, 'GET', '/api/moderation/settings', moderationSettingsSchema),
  saveModerationSettings: (e: ApiEvent, body: Body<typeof moderationSettingsSchema>) =>
    apiRequest(e, 'PUT', '/api/moderation/settings', moderationSettingsSchema, { body }),
};
