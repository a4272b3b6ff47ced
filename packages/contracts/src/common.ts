import { z } from 'zod';
import { limits, locales } from './values';

export const localeSchema = z.enum(locales);
export type Locale = z.infer<typeof localeSchema>;

/** C0/C1 control characters other than tab, line feed and carriage return. */
// eslint-disable-next-line no-control-regex
const controlCharacters = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

/** A single-line text field: trimmed, no control characters, bounded length. */
export function lineText(max: number) {
  return z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((value) => !controlCharacters.test(value) && !/[\r\n]/.test(value), {
      message: 'control_characters',
    });
}

/** Multi-line text: keeps newlines and tabs, refuses other control characters. */
export function multilineText(max: number) {
  return z
    .string()
    .max(max)
    .refine((value) => !controlCharacters.test(value), { message: 'control_characters' });
}

export const emailSchema = z
  .string()
  .trim()
  .max(limits.email)
  .pipe(z.email())
  .transform((value) => value.toLowerCase());

export const idSchema = z.uuid();
export const idParamsSchema = z.object({ id: idSchema });

export const pageQuerySchema = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    page: z.number().int(),
    pageSize: z.number().int(),
    total: z.number().int(),
  });
}

export const isoDateTime = z.iso.datetime({ offset: true });

export const okSchema = z.object({ ok: z.literal(true) });
