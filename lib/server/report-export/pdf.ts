import PDFDocument from 'pdfkit';
import { formatProgress, formatValue } from '@/lib/domain/format';
import type { Status } from '@/lib/domain/progress';
import { comparedWith, signedChange } from '@/lib/domain/report';
import type { Report, ReportRow } from '@/lib/dal/reports/types';
import { statusText } from '@/lib/domain/status-text';

/*
 * A computed report as a PDF rendered on the server with pdfkit (cover and summary on page 1, the
 * KPIs from page 2, page numbers in the footer). It takes the same Report the page renders.
 */

const STATUS_COLOR: Record<Status, string> = {
  on_track: '#059669',
  at_risk: '#d97706',
  off_track: '#dc2626',
  in_progress: '#38bdf8',
  no_data: '#9ca3af',
};

/**
 * The built-in PDF fonts encode WinAnsi only: map the few typographic characters we use, and any
 * other character outside it to "?", so the text stays readable and extractable.
 */
function pdfText(text: string): string {
  return text
    .replace(/\u2212/g, '-')
    .replace(/\u2605/g, '*')
    .replace(
      /[^\u0009\u000a\u0020-\u007e\u00a0-\u00ff\u2013\u2014\u2018\u2019\u201c\u201d\u2022\u2026\u20ac\u00d7]/g,
      '?',
    );
}

const PAGE = { size: 'A4' as const, layout: 'landscape' as const, margin: 36 };

type Doc = PDFKit.PDFDocument;

const COLS = [
  { key: 'kpi', label: 'KPI', width: 230 },
  { key: 'actual', label: 'Actual', width: 85, align: 'right' },
  { key: 'target', label: 'Target', width: 85, align: 'right' },
  { key: 'progress', label: 'Progress', width: 55, align: 'right' },
  { key: 'status', label: 'Status', width: 62 },
  { key: 'change', label: 'Change', width: 80, align: 'right' },
  { key: 'trend', label: 'Trend', width: 70 },
  { key: 'coverage', label: 'Coverage', width: 98 },
] as const;

function fmt(row: ReportRow, v: string | null): string {
  return formatValue(v, row.measure);
}

function drawSparkline(
  doc: Doc,
  x: number,
  y: number,
  w: number,
  h: number,
  trend: ReportRow['trend'],
) {
  const points = trend
    .map((t, i) => ({ i, v: t.value }))
    .filter((p): p is { i: number; v: number } => p.v !== null);
  if (points.length < 2) return;
  const min = Math.min(...points.map((p) => p.v));
  const max = Math.max(...points.map((p) => p.v));
  const span = max - min || 1;
  const px = (i: number) => x + (i / Math.max(1, trend.length - 1)) * w;
  const py = (v: number) => y + h - ((v - min) / span) * h;
  // The open period (partial: its value so far) is a dashed segment to a hollow point.
  const last = points[points.length - 1]!;
  const partial = trend[last.i]?.partial === true;
  const solid = partial ? points.slice(0, -1) : points;
  doc.save().lineWidth(1).strokeColor('#4f46e5');
  solid.forEach((p, n) => (n === 0 ? doc.moveTo(px(p.i), py(p.v)) : doc.lineTo(px(p.i), py(p.v))));
  doc.stroke();
  const before = solid[solid.length - 1];
  if (partial && before) {
    doc.moveTo(px(before.i), py(before.v)).lineTo(px(last.i), py(last.v));
    doc.dash(1.5, { space: 1.5 }).strokeColor('#94a3b8').stroke().undash();
    doc.circle(px(last.i), py(last.v), 1.6).lineWidth(0.8).fillAndStroke('white', '#94a3b8');
  } else {
    doc.circle(px(last.i), py(last.v), 1.6).fill('#4f46e5');
  }
  doc.restore();
}

function tableHeader(doc: Doc) {
  const y = doc.y;
  let x = PAGE.margin;
  doc.font('Helvetica-Bold').fontSize(8).fillColor('#6b7280');
  for (const col of COLS) {
    doc.text(col.label.toUpperCase(), x + 2, y, {
      width: col.width - 4,
      align: 'align' in col ? col.align : 'left',
    });
    x += col.width;
  }
  doc
    .moveTo(PAGE.margin, y + 12)
    .lineTo(PAGE.margin + tableWidth(), y + 12)
    .lineWidth(0.5)
    .strokeColor('#d1d5db')
    .stroke();
  doc.y = y + 16;
}

function tableWidth(): number {
  return COLS.reduce((sum, c) => sum + c.width, 0);
}

function rowHeight(doc: Doc, row: ReportRow): number {
  doc.font('Helvetica-Bold').fontSize(9);
  let h = doc.heightOfString(pdfText(row.name), { width: COLS[0].width - 4 }) + 12;
  if (row.commentary) {
    doc.font('Helvetica').fontSize(8);
    h += doc.heightOfString(pdfText(commentaryLine(row)), { width: tableWidth() - 16 }) + 6;
  }
  return Math.max(h, 26);
}

function commentaryLine(row: ReportRow): string {
  const c = row.commentary!;
  const action = c.nextAction
    ? ` Next: ${c.nextAction}${c.actionOwnerName ? ` (${c.actionOwnerName}` : ''}${c.actionDueOn ? `, due ${c.actionDueOn})` : c.actionOwnerName ? ')' : ''}`
    : '';
  return `“${c.analysis}”${c.authorName ? ` - ${c.authorName}` : ''}.${action}`;
}

function ensureSpace(doc: Doc, needed: number, onNewPage: () => void) {
  if (doc.y + needed > doc.page.height - PAGE.margin - 18) {
    doc.addPage(PAGE);
    onNewPage();
  }
}

function drawRow(doc: Doc, row: ReportRow, repeatHeader: () => void) {
  ensureSpace(doc, rowHeight(doc, row), repeatHeader);
  const top = doc.y;
  let x = PAGE.margin;
  const cell = (
    text: string,
    width: number,
    align: 'left' | 'right' = 'left',
    font = 'Helvetica',
    size = 9,
    color = '#111827',
  ) => {
    doc
      .font(font)
      .fontSize(size)
      .fillColor(color)
      .text(pdfText(text), x + 2, top, { width: width - 4, align });
  };
  const [kpiCol, actualCol, targetCol, progressCol, statusCol, changeCol, trendCol, coverageCol] =
    COLS;
  cell(`${row.isNorthStar ? '* ' : ''}${row.name}`, kpiCol.width, 'left', 'Helvetica-Bold');
  const nameBottom = doc.y;
  doc
    .font('Helvetica')
    .fontSize(7.5)
    .fillColor('#6b7280')
    .text(
      pdfText(`${row.unitName} · ${row.ownerName ?? 'No owner'} · ${row.periodLabel}`),
      x + 2,
      nameBottom,
      {
        width: kpiCol.width - 4,
      },
    );
  const kpiBottom = doc.y;
  x += kpiCol.width;
  cell(fmt(row, row.value), actualCol.width, 'right');
  x += actualCol.width;
  cell(fmt(row, row.target), targetCol.width, 'right');
  x += targetCol.width;
  cell(formatProgress(row.progress), progressCol.width, 'right');
  x += progressCol.width;
  doc.circle(x + 6, top + 4.5, 3).fill(STATUS_COLOR[row.status]);
  doc
    .font('Helvetica')
    .fontSize(9)
    .fillColor('#111827')
    .text(pdfText(statusText(row.status, row.paceProgress)), x + 12, top, {
      width: statusCol.width - 14,
    });
  x += statusCol.width;
  cell(
    signedChange(row.change, (abs) => fmt(row, abs)),
    changeCol.width,
    'right',
  );
  x += changeCol.width;
  drawSparkline(doc, x + 6, top, trendCol.width - 14, 14, row.trend);
  x += trendCol.width;
  cell(
    row.coverage ? `${row.coverage.reported} of ${row.coverage.expected} reported` : '',
    coverageCol.width,
    'left',
    'Helvetica',
    8,
    '#374151',
  );
  let bottom = Math.max(kpiBottom, top + 18);
  if (row.commentary) {
    doc
      .font('Helvetica-Oblique')
      .fontSize(8)
      .fillColor('#374151')
      .text(pdfText(commentaryLine(row)), PAGE.margin + 10, bottom + 2, {
        width: tableWidth() - 16,
      });
    bottom = doc.y;
  }
  doc
    .moveTo(PAGE.margin, bottom + 4)
    .lineTo(PAGE.margin + tableWidth(), bottom + 4)
    .lineWidth(0.3)
    .strokeColor('#e5e7eb')
    .stroke();
  doc.x = PAGE.margin;
  doc.y = bottom + 8;
}

function heading(doc: Doc, text: string, size = 13) {
  doc.x = PAGE.margin;
  doc
    .font('Helvetica-Bold')
    .fontSize(size)
    .fillColor('#111827')
    .text(pdfText(text), PAGE.margin, doc.y, { width: tableWidth() });
  doc.moveDown(0.3);
}

function refList(doc: Doc, label: string, refs: Report['summary']['turnedRed']) {
  doc
    .font('Helvetica-Bold')
    .fontSize(9)
    .fillColor('#111827')
    .text(`${label} (${refs.length})`, PAGE.margin, doc.y);
  doc
    .font('Helvetica')
    .fontSize(9)
    .fillColor('#374151')
    .text(
      refs.length === 0
        ? 'None.'
        : pdfText(refs.map((r) => `${r.name} (${r.unitName})`).join('; ')),
      PAGE.margin + 10,
      doc.y,
      {
        width: tableWidth() - 10,
      },
    );
  doc.moveDown(0.4);
}

/** Renders the report as a PDF (A4 landscape). Resolves with the whole file. */
export function reportToPdf(report: Report): Promise<Buffer> {
  const doc = new PDFDocument({
    ...PAGE,
    bufferPages: true,
    info: {
      Title: pdfText(`${report.org.name} · ${report.scope.name} · ${report.period.label}`),
      Author: 'Cascade KPI',
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  // Page 1: title, summary, north stars.
  doc
    .font('Helvetica')
    .fontSize(10)
    .fillColor('#4f46e5')
    .text(pdfText(report.org.name.toUpperCase()), PAGE.margin, PAGE.margin);
  doc
    .font('Helvetica-Bold')
    .fontSize(22)
    .fillColor('#111827')
    .text(pdfText(`${report.scope.name} report · ${report.period.label}`));
  doc
    .font('Helvetica')
    .fontSize(9)
    .fillColor('#6b7280')
    .text(
      pdfText(
        `${report.period.isCurrent ? `Period in progress, as of ${report.period.asOf}` : `Closed period, as of ${report.period.asOf}`} · change vs ${comparedWith(report)} · generated ${report.generatedAt.slice(0, 16).replace('T', ' ')} UTC`,
      ),
    );
  doc.moveDown(1);
  heading(doc, 'Summary');
  const c = report.summary.counts;
  doc
    .font('Helvetica')
    .fontSize(10)
    .fillColor('#111827')
    .text(
      `${c.total} KPIs: ${c.on_track} on track, ${c.at_risk} at risk, ${c.off_track} off track, ${c.in_progress} in progress, ${c.no_data} without data.`,
      PAGE.margin,
      doc.y,
    );
  doc.moveDown(0.5);
  refList(doc, `Turned red since ${comparedWith(report)}`, report.summary.turnedRed);
  refList(doc, `Turned green since ${comparedWith(report)}`, report.summary.turnedGreen);
  refList(doc, 'Without a value', report.summary.withoutValue);
  refList(doc, 'Without an owner', report.summary.withoutOwner);
  doc.moveDown(0.6);
  if (report.northStars.length > 0) {
    heading(doc, report.northStars.length === 1 ? 'North star' : 'North stars');
    tableHeader(doc);
    for (const row of report.northStars) drawRow(doc, row, () => tableHeader(doc));
  }

  // From page 2: every KPI by unit, then individual KPIs.
  doc.addPage(PAGE);
  heading(doc, 'KPIs by unit', 16);
  if (report.sections.length === 0 && report.individual.length === 0) {
    doc
      .font('Helvetica')
      .fontSize(10)
      .fillColor('#374151')
      .text('No KPIs in this scope.', PAGE.margin, doc.y);
  }
  const groups = [
    ...report.sections.map((s) => ({
      title: `${'  '.repeat(Math.max(0, s.unit.depth - 1))}${s.unit.name}`,
      rows: s.rows,
    })),
    ...(report.individual.length > 0
      ? [{ title: 'Individual KPIs', rows: report.individual }]
      : []),
  ];
  for (const group of groups) {
    ensureSpace(doc, 70, () => undefined);
    doc.moveDown(0.4);
    heading(doc, group.title, 12);
    tableHeader(doc);
    for (const row of group.rows) {
      drawRow(doc, row, () => {
        heading(doc, `${group.title} (continued)`, 11);
        tableHeader(doc);
      });
    }
  }

  const range = doc.bufferedPageRange();
  for (let i = 0; i < range.count; i += 1) {
    doc.switchToPage(range.start + i);
    const bottom = doc.page.height - PAGE.margin + 6;
    // Writing in the bottom margin must not trigger a new page.
    const margins = doc.page.margins;
    doc.page.margins = { ...margins, bottom: 0 };
    doc
      .font('Helvetica')
      .fontSize(8)
      .fillColor('#9ca3af')
      .text(
        pdfText(`${report.org.name} · ${report.scope.name} · ${report.period.label}`),
        PAGE.margin,
        bottom,
        {
          width: tableWidth() / 2,
          lineBreak: false,
        },
      )
      .text(`Page ${i + 1} of ${range.count}`, PAGE.margin + tableWidth() / 2, bottom, {
        width: tableWidth() / 2,
        align: 'right',
        lineBreak: false,
      });
    doc.page.margins = margins;
  }
  doc.end();
  return done;
}
