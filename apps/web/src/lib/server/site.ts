import type { Site } from '@sabor/contracts';
import { defaultColors } from '$lib/theme';
import { api } from './api';
import { markIncomplete } from './shared-page';

/** Shown when the API cannot be reached, so pages (and the error page) still render. */
const fallbackSite: Site = {
  name: { bg: 'Сабор', en: 'Sabor' },
  logoUrl: null,
  primaryColor: defaultColors.primary,
  accentColor: defaultColors.accent,
  contact: { email: '', phone: '', address: { bg: '', en: '' } },
  mailDelivery: 'outbox',
  setupRequired: false,
};

/** The site changes only with configuration or first setup: a few seconds' reuse spares every page an API call. */
const cacheMs = 10_000;
let cached: { site: Site; until: number } | undefined;

export async function loadSite(event: Parameters<typeof api.site>[0]): Promise<Site> {
  if (cached && cached.until > Date.now()) return cached.site;
  const result = await api.site(event);
  if (!result.ok) {
    markIncomplete(event);
    return fallbackSite;
  }
  cached = { site: result.data, until: Date.now() + cacheMs };
  return result.data;
}

/** Drops the cached site after a change it reports (the first admin was created). */
export function forgetSite(): void {
  cached = undefined;
}
