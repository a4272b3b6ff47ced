import {
  deletedAuthorLabel,
  proposalDecisionLabels,
  proposalStanceLabels,
  type ConsultationReport,
  type Locale,
  timeZone,
  type ReportProposal,
} from '@sabor/contracts';

/** The municipality's time zone: every date in a downloaded report is local time there. */
export const reportTimeZone = timeZone;

const stampFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: reportTimeZone,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** `2026-03-02 14:05` in Sofia: sortable, and read as a date by spreadsheets. */
export function sofiaStamp(iso: string): string {
  const parts = Object.fromEntries(
    stampFormat.formatToParts(new Date(iso)).map((part) => [part.type, part.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

const intlLocale: Record<Locale, string> = { bg: 'bg-BG', en: 'en-GB' };

/** A date written out for reading, e.g. `2 март 2026 г.` / `2 March 2026`, in Sofia. */
export function sofiaLongDate(iso: string, locale: Locale): string {
  return new Intl.DateTimeFormat(intlLocale[locale], {
    timeZone: reportTimeZone,
    dateStyle: 'long',
  }).format(new Date(iso));
}

export function reportTitle(report: ConsultationReport, locale: Locale): string {
  return locale === 'en' && report.consultation.titleEn
    ? report.consultation.titleEn
    : report.consultation.titleBg;
}

export function authorLabel(proposal: ReportProposal, locale: Locale): string {
  return proposal.authorName || deletedAuthorLabel[locale];
}

export function decisionLabel(proposal: ReportProposal, locale: Locale): string {
  return proposal.decision ? proposalDecisionLabels[proposal.decision][locale] : '';
}

export function stanceLabel(proposal: ReportProposal, locale: Locale): string {
  return proposal.stance ? proposalStanceLabels[proposal.stance][locale] : '';
}

/** An ASCII file name for Content-Disposition, the same in every language. */
export function reportFileName(report: ConsultationReport, extension: 'csv' | 'pdf'): string {
  return `sabor-report-${report.consultation.id}.${extension}`;
}
