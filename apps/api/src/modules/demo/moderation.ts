import type { ReportReason } from '@sabor/contracts';
import { moderationItems, moderationReports, moderationSettings, type Executor } from '@sabor/db';
import { sql } from 'drizzle-orm';

interface DemoReport {
  /** The comment reported, by its key in the open thread. */
  comment: string;
  reports: { by: string; reason: ReportReason; details?: string; hoursAgo: number }[];
}

/** Two reported comments waiting in the moderators' queue of the demo. */
const demoReports: DemoReport[] = [
  {
    comment: 'climate',
    reports: [
      {
        by: 'resident1@sabor.local',
        reason: 'off_topic',
        details: 'Климатът не е предмет на този правилник.',
        hoursAgo: 20,
      },
    ],
  },
  {
    comment: 'report-reply',
    reports: [
      { by: 'ivan.stoyanov@sabor.local', reason: 'misinformation', hoursAgo: 30 },
      { by: 'dimitar.georgiev@sabor.local', reason: 'misinformation', hoursAgo: 6 },
    ],
  },
];

const hourMs = 60 * 60 * 1000;

/**
 * The demo's moderation: a few reports in the queue, and starter word lists (only while both
 * lists are empty, so an admin's own lists are never replaced).
 */
export async function seedDemoModeration(
  tx: Executor,
  consultationId: string,
  commentIds: ReadonlyMap<string, string>,
  userIds: ReadonlyMap<string, string>,
  authorIds: ReadonlyMap<string, string>,
  now: Date,
): Promise<void> {
  await tx
    .update(moderationSettings)
    .set({ wordsBg: ['идиот', 'простак'], wordsEn: ['idiot', 'moron'] })
    .where(
      sql`${moderationSettings.id} = 1 and cardinality(${moderationSettings.wordsBg}) = 0
        and cardinality(${moderationSettings.wordsEn}) = 0`,
    );
  for (const demo of demoReports) {
    const commentId = commentIds.get(demo.comment)!;
    const times = demo.reports.map((report) => new Date(now.getTime() - report.hoursAgo * hourMs));
    const [item] = await tx
      .insert(moderationItems)
      .values({
        subjectType: 'comment',
        subjectId: commentId,
        consultationId,
        authorId: authorIds.get(demo.comment)!,
        cause: 'reported',
        reportCount: demo.reports.length,
        lastReportedAt: new Date(Math.max(...times.map((time) => time.getTime()))),
        enteredAt: new Date(Math.min(...times.map((time) => time.getTime()))),
      })
      .returning({ id: moderationItems.id });
    if (!item) throw new Error('demo moderation item insert returned no row');
    await tx.insert(moderationReports).values(
      demo.reports.map((report, index) => ({
        itemId: item.id,
        reporterId: userIds.get(report.by)!,
        reason: report.reason,
        details: report.details ?? null,
        createdAt: times[index]!,
      })),
    );
  }
}
