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
