import type { ConsultationReport, Locale } from '@sabor/contracts';
import { stringify } from 'csv-stringify/sync';
import { authorLabel, decisionLabel, sofiaStamp, stanceLabel } from './format';

const headers: Record<Locale, string[]> = {
  bg: ['№', 'Дата', 'Автор', 'Позиция', 'Подкрепи', 'Предложение', 'Решение', 'Мотиви', 'ID'],
  en: ['No.', 'Date', 'Author', 'Stance', 'Supports', 'Proposal', 'Decision', 'Reason', 'ID'],
};

/**
 * The report's proposals as CSV (RFC 4180: CRLF between records, fields with commas, quotes or
 * line breaks quoted), UTF-8 with a byte order mark so spreadsheet programs read the Cyrillic.
 * Dates are Europe/Sofia local time. A text that starts with `=`, `+`, `-`, `@`, a tab or a
 * carriage return gets a leading `'`, so a spreadsheet never runs it as a formula (CSV injection).
 */
export function reportCsv(report: ConsultationReport, locale: Locale): string {
  return stringify(
    report.proposals.map((proposal) => [
      proposal.number,
      sofiaStamp(proposal.createdAt),
      authorLabel(proposal, locale),
      stanceLabel(proposal, locale),
      proposal.supportCount,
      proposal.body,
      decisionLabel(proposal, locale),
      proposal.reason ?? '',
      proposal.commentId,
    ]),
    {
      bom: true,
      header: true,
      columns: headers[locale],
      record_delimiter: 'windows',
      quote_record_delimiter: true,
      escape_formulas: true,
    },
  );
}
