/*
 * What the audit log records: every action code and target type the API writes. Kept free of zod
 * so browser code can import it through `@sabor/contracts/audit-actions` (the audit page names
 * each code in the page's language and offers them as filters); the package root re-exports it.
 */

/** Every staff action the API appends to the audit log; it writes no other. */
export const auditActions = [
  'moderation.approved',
  'moderation.hidden',
  'moderation.restored',
  'moderation.reviewed',
  'moderation.note_added',
  'moderation.settings_changed',
  'user.warned',
  'user.suspended',
  'user.unsuspended',
  'user.role_changed',
  'consultation.published',
  'consultation.closed_early',
  'consultation.version_published',
  'consultation.document_added',
  'consultation.document_deleted',
  'consultation.report_published',
  'proposal_response.published',
  'proposal_response.changed',
  'event.published',
  'event.updated',
  'event.cancelled',
  'survey_answer_hidden',
  'survey_answer_restored',
] as const;
export type AuditAction = (typeof auditActions)[number];

/** What an audit entry is about. */
export const auditTargetTypes = [
  'comment',
  'user',
  'consultation',
  'event',
  'survey_answer',
  'moderation_settings',
] as const;
export type AuditTargetType = (typeof auditTargetTypes)[number];

/** The groups of actions a filter can ask for at once (an action prefix ending in a dot). */
export const auditActionGroups = [
  'moderation.',
  'user.',
  'consultation.',
  'proposal_response.',
  'event.',
] as const;
