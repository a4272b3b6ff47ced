import type { Consultation, ReportTotals } from '@sabor/contracts';
import { api } from '$lib/server/api';
import { markIncomplete } from '$lib/server/shared-page';

type ApiEvent = Parameters<typeof api.consultationReport>[0];

export interface ReportOutcome {
  totals: ReportTotals;
  publishedAt: string;
}

/**
 * What the consultation page shows under "You said, we did": the report's totals once it is
 * published, else null. A report that cannot be read leaves the page without the section rather
 * than failing it.
 */
export async function reportOutcome(
  event: ApiEvent,
  consultation: Pick<Consultation, 'id' | 'state'>,
): Promise<ReportOutcome | null> {
  if (consultation.state !== 'report_published') return null;
  const report = await api.consultationReport(event, { params: { id: consultation.id } });
  if (!report.ok) {
    markIncomplete(event);
    return null;
  }
  return { totals: report.data.totals, publishedAt: report.data.publishedAt };
}
