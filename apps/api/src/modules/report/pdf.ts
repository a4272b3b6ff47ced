import { createRequire } from 'node:module';
import {
  proposalDecisionLabels,
  proposalStanceLabels,
  type ConsultationReport,
  type Locale,
} from '@sabor/contracts';
import PDFDocument from 'pdfkit';
import {
  authorLabel,
  decisionLabel,
  reportTitle,
  sofiaLongDate,
  sofiaStamp,
  stanceLabel,
} from './format';
import { markdownBlocks } from './markdown-blocks';

// DejaVu Sans covers Cyrillic and Latin in one face; pdfkit embeds only the glyphs used. The files
// come from an npm package, so every machine renders the same PDF without system fonts.
const require = createRequire(import.meta.url);
const fonts = {
  regular: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
  bold: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
};

const bgText = {
  heading: 'Справка за постъпилите предложения',
  period: 'Период на консултацията',
  unit: 'Отговорно звено',
  published: 'Справката е публикувана',
  closedEarly: 'Консултацията е закрита предсрочно',
  summary: 'Обобщение',
  totals: 'Обобщени данни',
  proposals: 'Предложения',
  withdrawn: 'Оттеглени от авторите',
  hidden: 'Скрити от модератор (не са включени)',
  participants: 'Участници',
  stance: 'Позиция',
  supports: 'Подкрепи',
  version: 'Версия на проекта',
  decision: 'Решение',
  reason: 'Мотиви',
  none: 'Няма постъпили предложения.',
  page: 'Страница {page} от {pages}',
};

const text: Record<Locale, Record<keyof typeof bgText, string>> = {
  bg: bgText,
  en: {
    heading: 'Report on the proposals received',
    period: 'Consultation period',
    unit: 'Responsible unit',
    published: 'Report published',
    closedEarly: 'The consultation was closed early',
    summary: 'Summary',
    totals: 'Totals',
    proposals: 'Proposals',
    withdrawn: 'Withdrawn by their authors',
    hidden: 'Hidden by moderators (not included)',
    participants: 'Participants',
    stance: 'Stance',
    supports: 'Supports',
    version: 'Draft version',
    decision: 'Decision',
    reason: 'Reason',
    none: 'No proposals were received.',
    page: 'Page {page} of {pages}',
  },
};

function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => String(values[key] ?? ''));
}

const grey = '#555555';
const rule = '#999999';

/**
 * The report as a PDF (A4): title, dates, the summary as text, the totals as a table, then every
 * proposal with its decision and reason, and "page N of M" at the foot of every page.
 */
export async function reportPdf(
  report: ConsultationReport,
  locale: Locale,
  siteName: string,
): Promise<Buffer> {
  const t = text[locale];
  const title = reportTitle(report, locale);
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 56, bottom: 64, left: 56, right: 56 },
    bufferPages: true,
    font: fonts.regular,
    lang: locale === 'bg' ? 'bg-BG' : 'en-GB',
    displayTitle: true,
    info: {
      Title: `${t.heading}: ${title}`,
      Author: siteName,
      Subject: title,
      CreationDate: new Date(report.publishedAt),
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  const left = doc.page.margins.left;
  const regular = () => doc.font(fonts.regular).fillColor('black');
  const bold = () => doc.font(fonts.bold).fillColor('black');
  // A heading is never left alone at the foot of a page: without room for a few lines under it,
  // it starts the next page.
  const keepWithNext = (space: number) => {
    if (doc.y + space > doc.page.height - doc.page.margins.bottom) doc.addPage();
  };
  const section = (name: string) => {
    doc.moveDown(1);
    keepWithNext(80);
    bold().fontSize(13).text(name, left, doc.y, { width });
    doc.moveDown(0.3);
  };

  regular().fontSize(9).fillColor(grey).text(siteName, { width });
  doc.moveDown(0.5);
  bold().fontSize(17).text(t.heading, { width });
  doc.moveDown(0.3);
  bold().fontSize(13).text(title, { width });
  doc.moveDown(0.5);
  const facts: [string, string][] = [
    [
      t.period,
      `${sofiaLongDate(report.consultation.opensAt, locale)} – ${sofiaLongDate(report.consultation.closesAt, locale)}`,
    ],
    [t.unit, report.consultation.responsibleUnit],
    [t.published, sofiaLongDate(report.publishedAt, locale)],
  ];
  if (report.consultation.closedReason) {
    facts.push([t.closedEarly, report.consultation.closedReason]);
  }
  for (const [label, value] of facts) {
    bold().fontSize(10).text(`${label}: `, { width, continued: true });
    regular().text(value);
  }

  section(t.summary);
  for (const block of markdownBlocks(report.summary.source)) {
    const indent = block.indent * 14;
    if (block.kind === 'heading') {
      doc.moveDown(0.3);
      bold().fontSize(11);
    } else {
      regular().fontSize(10);
    }
    if (block.kind === 'quote' || block.kind === 'code') doc.fillColor(grey);
    doc.text(block.text, left + indent, doc.y, { width: width - indent, paragraphGap: 4 });
  }

  section(t.totals);
  const { totals } = report;
  const labelled = (label: string, value: number) => [label, String(value)];
  regular().fontSize(10);
  doc.table({
    columnStyles: [width - 80, 80],
    defaultStyle: { padding: 4, border: 0.5, borderColor: rule },
    data: [
      labelled(t.proposals, totals.proposals),
      labelled(proposalDecisionLabels.accepted[locale], totals.byDecision.accepted),
      labelled(proposalDecisionLabels.partly_accepted[locale], totals.byDecision.partly_accepted),
      labelled(proposalDecisionLabels.not_accepted[locale], totals.byDecision.not_accepted),
      labelled(`${t.stance}: ${proposalStanceLabels.for[locale]}`, totals.byStance.for),
      labelled(`${t.stance}: ${proposalStanceLabels.against[locale]}`, totals.byStance.against),
      labelled(`${t.stance}: ${proposalStanceLabels.neutral[locale]}`, totals.byStance.neutral),
      labelled(t.withdrawn, totals.withdrawn),
      ...(totals.hidden > 0 ? [labelled(t.hidden, totals.hidden)] : []),
      labelled(t.participants, totals.participants),
    ],
  });

  section(t.proposals);
  if (report.proposals.length === 0) regular().fontSize(10).text(t.none, left, doc.y, { width });
  for (const proposal of report.proposals) {
    keepWithNext(72);
    bold()
      .fontSize(10.5)
      .text(
        `№ ${proposal.number} · ${authorLabel(proposal, locale)} · ${sofiaStamp(proposal.createdAt)}`,
        left,
        doc.y,
        { width },
      );
    const details = [
      proposal.stance && `${t.stance}: ${stanceLabel(proposal, locale)}`,
      `${t.supports}: ${proposal.supportCount}`,
      `${t.version}: ${proposal.versionNumber}`,
    ].filter(Boolean);
    regular().fontSize(9).fillColor(grey).text(details.join(' · '), { width });
    doc.moveDown(0.2);
    regular().fontSize(10).text(proposal.body, { width, paragraphGap: 2 });
    doc.moveDown(0.2);
    // A label and its value are one line of continued text, which must not straddle pages.
    keepWithNext(28);
    bold().fontSize(10).text(`${t.decision}: `, { width, continued: true });
    regular().text(decisionLabel(proposal, locale));
    if (proposal.reason) {
      keepWithNext(28);
      bold().fontSize(10).text(`${t.reason}: `, { width, continued: true });
      regular().text(proposal.reason);
    }
    doc.moveDown(0.5);
    doc
      .moveTo(left, doc.y)
      .lineTo(left + width, doc.y)
      .lineWidth(0.5)
      .strokeColor(rule)
      .stroke();
    doc.moveDown(0.5);
  }

  // Page numbers, once the number of pages is known; written inside the bottom margin, which is
  // lifted for the moment so pdfkit does not start a new page for them.
  const range = doc.bufferedPageRange();
  for (let index = range.start; index < range.start + range.count; index += 1) {
    doc.switchToPage(index);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    regular()
      .fontSize(8)
      .fillColor(grey)
      .text(
        fill(t.page, { page: index + 1, pages: range.count }),
        left,
        doc.page.height - bottom / 2 - 4,
        { width, align: 'center', lineBreak: false },
      );
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return finished;
}
