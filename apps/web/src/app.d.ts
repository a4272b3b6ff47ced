import type { Locale, SessionUser, Site } from '@sabor/contracts';
import type { FlashKey } from '$lib/flash';

declare global {
  namespace App {
    interface Error {
      message: string;
      /** Correlates the message a visitor reports with the server log. */
      id?: string;
    }
    interface Locals {
      user: SessionUser | null;
      locale: Locale;
      /** The page is the same for every visitor who is not signed in (lib/server/shared-page.ts). */
      shareable?: boolean;
      /** The page was built with fallbacks for data it could not read: never shared. */
      incomplete?: boolean;
    }
    interface PageData {
      user: SessionUser | null;
      locale: Locale;
      site: Site;
      flash: FlashKey | null;
      /** Moderation notices the signed-in person has not read (0 when signed out). */
      unreadNotices: number;
    }
  }
}

export {};
