import {
  errorMessages,
  fieldErrorMessage,
  retryAtMessage,
  type ErrorBody,
  type ErrorCode,
  type Locale,
} from '@sabor/contracts';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ApiError, type FieldProblem } from '../errors';

type ZodIssueLike = {
  keyword: string;
  instancePath: string;
  message: string;
  params: Record<string, unknown>;
};

/** Maps one zod issue to a field problem the UI can show next to the field. */
export function fieldProblemOf(issue: ZodIssueLike): FieldProblem {
  const { keyword, params, message } = issue;
  if (keyword === 'invalid_type' && message.includes('received undefined'))
    return { code: 'required' };
  if (keyword === 'too_small') {
    if (params.origin === 'string') {
      return Number(params.minimum) <= 1
        ? { code: 'required' }
        : { code: 'too_short', params: { min: Number(params.minimum) } };
    }
    return { code: 'too_small' };
  }
  if (keyword === 'too_big') {
    return params.origin === 'string'
      ? { code: 'too_long', params: { max: Number(params.maximum) } }
      : { code: 'too_big' };
  }
  if (keyword === 'invalid_format')
    return params.format === 'email' ? { code: 'invalid_email' } : { code: 'invalid' };
  if (keyword === 'custom' && (message === 'control_characters' || message === 'required')) {
    return { code: message };
  }
  return { code: 'invalid' };
}

export function errorBody(
  code: ErrorCode,
  locale: Locale,
  fields?: Record<string, FieldProblem>,
  retryAt?: Date,
): ErrorBody {
  return {
    error: {
      code,
      message: retryAt
        ? `${errorMessages[code][locale]} ${retryAtMessage(retryAt, locale)}`
        : errorMessages[code][locale],
      ...(retryAt && { retryAt: retryAt.toISOString() }),
      ...(fields && {
        fields: Object.fromEntries(
          Object.entries(fields).map(([name, problem]) => [
            name,
            {
              code: problem.code,
              message: fieldErrorMessage(problem.code, locale, problem.params),
            },
          ]),
        ),
      }),
    },
  };
}

function sendError(
  reply: FastifyReply,
  request: FastifyRequest,
  status: number,
  code: ErrorCode,
  fields?: Record<string, FieldProblem>,
  retryAt?: Date,
) {
  return reply
    .code(status)
    .type('application/json; charset=utf-8')
    .send(errorBody(code, request.locale, fields, retryAt));
}

/** Fastify's own client errors, by their codes. */
const fastifyClientErrors: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid_json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_json',
};

/** One error shape for every failure; 5xx never reveal internals. */
export const errorsPlugin = fp(
  async (app) => {
    app.setErrorHandler((error: FastifyError, request, reply) => {
      if (error instanceof ApiError) {
        if (error.headers) void reply.headers(error.headers);
        return sendError(reply, request, error.statusCode, error.code, error.fields, error.retryAt);
      }
      if (hasZodFastifySchemaValidationErrors(error)) {
        const fields: Record<string, FieldProblem> = {};
        for (const issue of error.validation) {
          const name = issue.instancePath.replace(/^\//, '').replaceAll('/', '.') || '_';
          fields[name] ??= fieldProblemOf(issue as unknown as ZodIssueLike);
        }
        return sendError(reply, request, 400, 'validation_failed', fields);
      }
      const mapped = error.code ? fastifyClientErrors[error.code] : undefined;
      if (mapped) return sendError(reply, request, error.statusCode ?? 400, mapped);
      if (error.statusCode === 429) return sendError(reply, request, 429, 'too_many_requests');
      if (
        error instanceof SyntaxError ||
        (error.statusCode === 400 && error.code?.startsWith('FST_ERR_CTP'))
      ) {
        return sendError(reply, request, 400, 'invalid_json');
      }
      if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
        return sendError(
          reply,
          request,
          error.statusCode,
          error.statusCode === 404 ? 'not_found' : 'validation_failed',
        );
      }
      request.log.error({ err: error }, 'request failed');
      return sendError(reply, request, 500, 'internal_error');
    });
  },
  { name: 'errors', dependencies: ['locale'] },
);
