import type { AuditAction, AuditTargetType } from '@sabor/contracts';
import { auditLog, type Executor } from '@sabor/db';
import { sql } from 'drizzle-orm';

export interface AuditEntry {
  actorId: string;
  /** Only codes of the contract: the audit page names each of them for people. */
  action: AuditAction;
  targetType: AuditTargetType;
  targetId: string;
  reason?: string | null;
  details?: Record<string, unknown>;
}

/** Appends a staff action to the audit log; call it inside the transaction of the action itself. */
export async function recordAudit(db: Executor, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values({
    actorId: entry.actorId,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId,
    reason: entry.reason ?? null,
    details: entry.details ?? null,
    // The moment it is written, not the transaction's start (now()): of two actions on one thing,
    // the one that waited for the other's lock is recorded as the later.
    createdAt: sql`clock_timestamp()`,
  });
}
