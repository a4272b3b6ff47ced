import { defaultLocale, localeCookieName, localeSchema, type Locale } from '@sabor/contracts';
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyRequest {
    /** Language for messages: the signed-in user's, else the language cookie, else Accept-Language, else Bulgarian. */
    locale: Locale;
  }
}

function fromAcceptLanguage(header: string | undefined): Locale | undefined {
  if (!header) return undefined;
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.find((p) => p.trim().startsWith('q='));
      return { tag: tag.toLowerCase(), q: q ? Number(q.trim().slice(2)) : 1 };
    })
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    const parsed = localeSchema.safeParse(tag.split('-')[0]);
    if (parsed.success) return parsed.data;
  }
  return undefined;
}

export function requestLocale(request: FastifyRequest): Locale {
  const cookie = localeSchema.safeParse(request.cookies[localeCookieName]);
  if (cookie.success) return cookie.data;
  return fromAcceptLanguage(request.headers['accept-language']) ?? defaultLocale;
}

export const localePlugin = fp(
  async (app) => {
    app.decorateRequest('locale', defaultLocale);
    app.addHook('onRequest', async (request) => {
      request.locale = requestLocale(request);
    });
  },
  { name: 'locale', dependencies: ['@fastify/cookie'] },
);
