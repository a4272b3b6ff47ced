import { registrationTokenBodySchema } from '@sabor/contracts';
import { error } from '@sveltejs/kit';
import { t } from '$lib/i18n/translate';
import type { Locale } from '@sabor/contracts';

/**
 * The registration id and token of a mailed link (the token from the address or a form); a
 * malformed one is a 404, like a registration that does not exist.
 */
export function linkOrNotFound(
  registrationId: string,
  token: string | null,
  locale: Locale,
): { registrationId: string; token: string } {
  const parsed = registrationTokenBodySchema.safeParse({ registrationId, token });
  if (!parsed.success) error(404, t(locale, 'registration.linkInvalid'));
  return parsed.data;
}
