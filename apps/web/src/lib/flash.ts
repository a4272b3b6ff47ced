/** One-shot notices shown after a redirect (works without JavaScript); values are catalog keys. */
export const flashKeys = [
  'flash.registered',
  'flash.signedOut',
  'flash.passwordReset',
  'flash.accountDeleted',
  'flash.setupDone',
  'flash.consultationCreated',
  'flash.consultationSaved',
  'flash.consultationPublished',
  'flash.consultationClosed',
  'flash.consultationVersionPublished',
  'flash.documentUploaded',
  'flash.documentDeleted',
  'flash.followed',
  'flash.unfollowed',
  'flash.responseSaved',
  'flash.reportPublished',
  'flash.eventCreated',
  'flash.eventSaved',
  'flash.eventPublished',
  'flash.eventCancelled',
  'flash.registrationCancelled',
  'surveyBuilder.flash.created',
  'surveyBuilder.flash.saved',
  'surveyBuilder.flash.published',
  'surveyBuilder.flash.closed',
  'surveyBuilder.flash.duplicated',
] as const;
export type FlashKey = (typeof flashKeys)[number];

export const flashCookieName = 'sabor_flash';

export function parseFlash(value: string | undefined): FlashKey | null {
  return flashKeys.find((key) => key === value) ?? null;
}
