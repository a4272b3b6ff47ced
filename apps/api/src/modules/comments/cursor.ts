import type { CommentOrder } from '@sabor/contracts';
import { z } from 'zod';
import { ApiError } from '../../errors';

/**
 * The position after the last comment shown: its sort key and id. `createdAt` is the database's
 * timestamp to the microsecond (`2026-03-01T09:30:00.123456Z`), because a JavaScript Date keeps
 * only milliseconds and comments a few microseconds apart would otherwise repeat or be skipped.
 */
export type CommentKey =
  | { kind: 'newest' | 'oldest' | 'replies'; createdAt: string; id: string }
  | { kind: 'supported'; supportCount: number; createdAt: string; id: string };

const timestampPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/** A real instant in our format: the calendar fields survive a round trip through Date. */
const timestamp = z
  .string()
  .regex(timestampPattern)
  .refine((value) => {
    const date = new Date(`${value.slice(0, 23)}Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 19) === value.slice(0, 19);
  });
const id = z.guid();

const encodedSchema = z.union([
  z.tuple([z.enum(['n', 'o', 'r']), timestamp, id]),
  z.tuple([z.literal('s'), z.number().int().min(0).max(2_147_483_647), timestamp, id]),
]);

const tags = { newest: 'n', oldest: 'o', replies: 'r', supported: 's' } as const;

/** The opaque cursor clients send back as `?cursor=`. */
export function encodeCursor(key: CommentKey): string {
  const values =
    key.kind === 'supported'
      ? [tags.supported, key.supportCount, key.createdAt, key.id]
      : [tags[key.kind], key.createdAt, key.id];
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

const invalidCursor = () => new ApiError(400, 'validation_failed', { cursor: { code: 'invalid' } });

/**
 * Reads a cursor made by `encodeCursor` for the same listing (an order's cursor is refused by
 * another order); anything else is a 400 on the `cursor` field.
 */
export function decodeCursor(cursor: string, kind: CommentOrder | 'replies'): CommentKey {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  const result = encodedSchema.safeParse(parsed);
  if (!result.success || result.data[0] !== tags[kind]) throw invalidCursor();
  const data = result.data;
  if (data[0] === 's') {
    return { kind: 'supported', supportCount: data[1], createdAt: data[2], id: data[3] };
  }
  return { kind: kind as 'newest' | 'oldest' | 'replies', createdAt: data[1], id: data[2] };
}
