/** One-shot notices shown after a redirect (works without JavaScript); values are catalog keys. */
export const flashKeys = [
  'flash.registered',
  'flash.signedOut',
  'flash.passwordReset',
  'flash.accountDeleted',
  'flash.setupDone',
] as const;
export type FlashKey = (typeof flashKeys)[number];

export const flashCookieName = 'sabor_flash';

export function parseFlash(value: string | undefined): FlashKey | null {
  return flashKeys.find((key) => key === value) ?? null;
}
