import type { ErrorBody } from '@sabor/contracts';

/** What a failed form shows: a summary message and, per field name, a message. */
export type FormError = ErrorBody['error'];

export function fieldMessage(
  error: FormError | null | undefined,
  name: string,
): string | undefined {
  return error?.fields?.[name]?.message;
}
