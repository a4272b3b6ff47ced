import type { MessageKey } from '$lib/i18n/translate';
import { m } from '$lib/i18n/current';

/*
 * Names of audit-log actions for people. Call while rendering (they read the page's language).
 * An action without a name here (a newer one) is shown as its code.
 */
const auditActionKeys = {
  'moderation.approved': 'moderation.auditAction.approved',
  'moderation.hidden': 'moderation.auditAction.hidden',
  'moderation.restored': 'moderation.auditAction.restored',
  'moderation.reviewed': 'moderation.auditAction.reviewed',
  'moderation.note_added': 'moderation.auditAction.noteAdded',
  'moderation.settings_changed': 'moderation.auditAction.settingsChanged',
  'user.warned': 'moderation.auditAction.userWarned',
  'user.suspended': 'moderation.auditAction.userSuspended',
  'user.unsuspended': 'moderation.auditAction.userUnsuspended',
  'user.role_changed': 'moderation.auditAction.roleChanged',
  'consultation.published': 'moderation.auditAction.consultationPublished',
  'consultation.closed_early': 'moderation.auditAction.consultationClosedEarly',
  'consultation.version_published': 'moderation.auditAction.versionPublished',
  'consultation.document_added': 'moderation.auditAction.documentAdded',
  'consultation.document_deleted': 'moderation.auditAction.documentDeleted',
  'consultation.report_published': 'moderation.auditAction.reportPublished',
} as const satisfies Record<string, MessageKey>;
type KnownAuditAction = keyof typeof auditActionKeys;

const isKnown = (action: string): action is KnownAuditAction =>
  Object.hasOwn(auditActionKeys, action);

/** Known action codes, for the audit filter's suggestions. */
export const knownAuditActions = Object.keys(auditActionKeys);

export function auditActionLabel(action: string): string {
  return isKnown(action) ? m(auditActionKeys[action]) : action;
}
