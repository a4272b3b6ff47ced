import type { AuditAction, AuditTargetType } from '@sabor/contracts/audit-actions';
import type { MessageKey } from '$lib/i18n/translate';
import { m } from '$lib/i18n/current';

/*
 * Names of audit-log actions and targets for people. Call while rendering (they read the page's
 * language). The codes are the contract's: a code the API may write without a name here fails
 * the type check. An entry holding a retired code is shown as its code.
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
  'proposal_response.published': 'moderation.auditAction.proposalResponsePublished',
  'proposal_response.changed': 'moderation.auditAction.proposalResponseChanged',
  'event.published': 'moderation.auditAction.eventPublished',
  'event.updated': 'moderation.auditAction.eventUpdated',
  'event.cancelled': 'moderation.auditAction.eventCancelled',
  survey_answer_hidden: 'moderation.auditAction.surveyAnswerHidden',
  survey_answer_restored: 'moderation.auditAction.surveyAnswerRestored',
} as const satisfies Record<AuditAction, MessageKey>;

const isKnown = (action: string): action is AuditAction => Object.hasOwn(auditActionKeys, action);
const isTargetType = (type: string): type is AuditTargetType =>
  Object.hasOwn(auditTargetKeys, type);

const auditTargetKeys = {
  comment: 'moderation.auditTarget.comment',
  user: 'moderation.auditTarget.user',
  consultation: 'moderation.auditTarget.consultation',
  event: 'moderation.auditTarget.event',
  survey_answer: 'moderation.auditTarget.survey_answer',
  moderation_settings: 'moderation.auditTarget.moderation_settings',
} as const satisfies Record<AuditTargetType, MessageKey>;

export function auditActionLabel(action: string): string {
  return isKnown(action) ? m(auditActionKeys[action]) : action;
}

export function auditTargetLabel(type: string): string {
  return isTargetType(type) ? m(auditTargetKeys[type]) : type;
}
