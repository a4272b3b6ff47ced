import type { Site } from '@sabor/contracts';
import { defaultColors } from '$lib/theme';
import { api } from './api';

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

export async function loadSite(event: Parameters<typeof api.site>[0]): Promise<Site> {
  const result = await api.site(event);
  return result.ok ? result.data : fallbackSite;
}
