import PDFDocument from 'pdfkit';
import { indexScale, linearScale } from '@/lib/domain/chart-geometry';
import { formatProgress, formatValue } from '@/lib/domain/format';
import type { Status } from '@/lib/domain/progress';
import { comparedWith, signedChange } from '@/lib/domain/report';
import type { Report, ReportRow } from '@/lib/dal/reports/types';
import { pdfFonts } from './pdf-fonts';
import { STATUS_LABEL, statusText } from '@/lib/domain/status-text';
import { projectionPhrase } from '@/lib/domain/forecast/projection-text';
import { DEFAULT_ORG_LOCALE } from '@/lib/domain/org-settings';

/*
 * A computed report as a PDF rendered on the server with pdfkit: the title and the summary open
 * page 1, the north stars and the KPIs by unit follow without a forced page break, and every page
 * has a footer with the report and its page number (the organization is named once, in the
 * title). It takes the same Report the page renders. Text is set in an embedded DejaVu Sans.
 */

const STATUS_COLOR: Record<Status, string> = {
  on_track: '#059669',
  at_risk: '#d97706',
  off_track: '#dc2626',
  in_progress: '#38bdf8',
  no_data: '#9ca3af',
};

/** Names the embedded fonts are registered under in each document. */
const FONT = { regular: 'Body', bold: 'Body-Bold' } as const;

/** The embedded font's glyph lookup (fontkit, reached through pdfkit's current font). */
type GlyphLookup = { hasGlyphForCodePoint(codePoint: number): boolean };

/**
 * Replaces what the embedded font cannot draw (a CJK name, an emoji) by "?", so the PDF never
 * prints an empty box; everything DejaVu Sans covers (the star, en dash, ellipsis, €, £, ¥,
 * accented, Greek and Cyrillic names) is printed as is.
 */
function glyphFilter(doc: Doc): (text: string) => string {
  doc.font(FONT.regular);
  const font = (doc as unknown as { _font?: { font?: Partial<GlyphLookup> } })._font?.font;
  const has = font?.hasGlyphForCodePoint?.bind(font);
  if (!has) return (text) => text;
  return (text) =>
    Array.from(text, (ch) => {
      const cp = ch.codePointAt(0) ?? 0;
      return cp < 0x20 || has(cp) ? ch : '?';
    }).join('');
}

/** Set by the first document: every document embeds the same font files. */
let filter: ((text: string) => string) | null = null;

function pdfText(text: string): string {
  // French groups thousands with a narrow no-break space: drawn as a no-break space.
  const spaced = text.replace(/\u202f/g, '\u00a0');
  return filter ? filter(spaced) : spaced;
}

const PAGE = { size: 'A4' as const, layout: 'landscape' as const, margin: 36 };

type Doc = PDFKit.PDFDocument;

const COLS = [
  { key: 'kpi', label: 'KPI', width: 215 },
  { key: 'actual', label: 'Actual', width: 85, align: 'right' },
  { key: 'target', label: 'Target', width: 85, align: 'right' },
  { key: 'progress', label: '% of target', width: 70, align: 'right' },
  { key: 'status', label: 'Status', width: 62 },
  { key: 'change', label: 'Change', width: 80, align: 'right' },
  { key: 'trend', label: 'Trend', width: 70 },
  { key: 'coverage', label: 'Coverage', width: 98 },
] as const;

function fmt(row: ReportRow, v: string | null, locale: string): string {
  return formatValue(v, row.measure, locale);
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
  const px = indexScale(trend.length, [x, x + w]);
  const py = linearScale([min, max], [y + h, y]);
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
  doc.font(FONT.bold).fontSize(8).fillColor('#6b7280');
  // The rule goes under the tallest label, so a label that wraps never runs into the first row.
  let height = 0;
  for (const col of COLS) {
    const options = { width: col.width - 4, align: 'align' in col ? col.align : 'left' } as const;
    height = Math.max(height, doc.heightOfString(col.label.toUpperCase(), options));
    doc.text(col.label.toUpperCase(), x + 2, y, options);
    x += col.width;
  }
  doc
    .moveTo(PAGE.margin, y + height + 2)
    .lineTo(PAGE.margin + tableWidth(), y + height + 2)
    .lineWidth(0.5)
    .strokeColor('#d1d5db')
    .stroke();
  doc.y = y + height + 6;
}

function tableWidth(): number {
  return COLS.reduce((sum, c) => sum + c.width, 0);
}

function rowHeight(doc: Doc, row: ReportRow): number {
  doc.font(FONT.bold).fontSize(9);
  let h = doc.heightOfString(pdfText(row.name), { width: COLS[0].width - 4 }) + 12;
  if (row.commentary) {
    doc.font(FONT.regular).fontSize(8);
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

function drawRow(doc: Doc, row: ReportRow, locale: string, repeatHeader: () => void) {
  ensureSpace(doc, rowHeight(doc, row), repeatHeader);
  const top = doc.y;
  let x = PAGE.margin;
  const cell = (
    text: string,
    width: number,
    align: 'left' | 'right' = 'left',
    font: string = FONT.regular,
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
  cell(`${row.isNorthStar ? '\u2605 ' : ''}${row.name}`, kpiCol.width, 'left', FONT.bold);
  const nameBottom = doc.y;
  doc
    .font(FONT.regular)
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
  if (row.projected) {
    // An open period's projected end, under the name: value and projected status in words.
    doc.text(
      pdfText(
        `Projected ${fmt(row, row.projected.value, locale)}: ${projectionPhrase(row.projected, locale).replace(/^projected /, '')}`,
      ),
      x + 2,
      doc.y,
      { width: kpiCol.width - 4 },
    );
  }
  const kpiBottom = doc.y;
  x += kpiCol.width;
  cell(fmt(row, row.value, locale), actualCol.width, 'right');
  x += actualCol.width;
  cell(
    fmt(row, row.target, locale) + (row.targetImplied ? ' (implied)' : ''),
    targetCol.width,
    'right',
  );
  x += targetCol.width;
  cell(formatProgress(row.share, locale), progressCol.width, 'right');
  x += progressCol.width;
  doc.circle(x + 6, top + 4.5, 3).fill(STATUS_COLOR[row.status]);
  doc
    .font(FONT.regular)
    .fontSize(9)
    .fillColor('#111827')
    .text(pdfText(statusText(row.status, row.paceProgress, locale)), x + 12, top, {
      width: statusCol.width - 14,
    });
  x += statusCol.width;
  cell(
    signedChange(row.change, (abs) => fmt(row, abs, locale)),
    changeCol.width,
    'right',
  );
  x += changeCol.width;
  drawSparkline(doc, x + 6, top, trendCol.width - 14, 14, row.trend);
  x += trendCol.width;
  cell(
    row.coverage
      ? (row.coverage.text ?? `${row.coverage.reported} of ${row.coverage.expected} reported`)
      : '',
    coverageCol.width,
    'left',
    FONT.regular,
    8,
    '#374151',
  );
  let bottom = Math.max(kpiBottom, top + 18);
  if (row.commentary) {
    doc
      .font(FONT.regular)
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
    .font(FONT.bold)
    .fontSize(size)
    .fillColor('#111827')
    .text(pdfText(text), PAGE.margin, doc.y, { width: tableWidth() });
  doc.moveDown(0.3);
}

function refList(doc: Doc, label: string, refs: Report['summary']['turnedRed']) {
  doc
    .font(FONT.bold)
    .fontSize(9)
    .fillColor('#111827')
    .text(`${label} (${refs.length})`, PAGE.margin, doc.y);
  doc
    .font(FONT.regular)
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

/** The status counts as coloured dots, in the order of STATUS_LABEL. */
function statusCounts(doc: Doc, counts: Report['summary']['counts']) {
  const y = doc.y;
  let x = PAGE.margin;
  doc.font(FONT.regular).fontSize(10);
  const lead = `${counts.total} KPIs:`;
  doc.fillColor('#111827').text(lead, x, y, { lineBreak: false });
  x += doc.widthOfString(lead) + 10;
  for (const [status, label] of Object.entries(STATUS_LABEL) as [Status, string][]) {
    const text = `${counts[status] ?? 0} ${label.toLowerCase()}`;
    doc.circle(x + 4, y + 5, 4).fill(STATUS_COLOR[status]);
    doc.fillColor('#111827').text(text, x + 11, y, { lineBreak: false });
    x += 11 + doc.widthOfString(text) + 16;
  }
  doc.x = PAGE.margin;
  doc.y = y + 18;
}

/** The report's name without the organization (the footer of every page says it). */
function shortTitle(report: Report): string {
  const scope = report.scope.key === 'company' ? 'Company' : report.scope.name;
  return `${scope} report · ${report.period.label}`;
}

/** Renders the report as a PDF (A4 landscape). Resolves with the whole file. */
export function reportToPdf(report: Report): Promise<Buffer> {
  const locale = report.org.locale ?? DEFAULT_ORG_LOCALE;
  const fonts = pdfFonts();
  // The fonts are selected by their registered names only. pdfkit caches a font by the name it is
  // selected with, except when the same font was loaded before under another key (a `font`
  // option of bytes, as this had): it then parses the font file again at every selection (every
  // cell) and every text-driven page break, 25 s for the large organization's 2,877 rows. So no
  // `font` option and no first page until the embedded font is selected: the built-in font pdfkit
  // starts with is never used, so never written to the file.
  const doc = new PDFDocument({
    ...PAGE,
    autoFirstPage: false,
    bufferPages: true,
    info: {
      Title: `${report.org.name} · ${shortTitle(report)}`,
      Author: 'Cascade KPI',
    },
  });
  doc.registerFont(FONT.regular, fonts.regular);
  doc.registerFont(FONT.bold, fonts.bold);
  doc.font(FONT.regular);
  doc.addPage(PAGE);
  filter ??= glyphFilter(doc);
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  // Page 1: the title (the one place naming the organization), then the summary.
  const title =
    report.scope.key === 'company'
      ? `${report.org.name} report · ${report.period.label}`
      : `${report.org.name} · ${report.scope.name} report · ${report.period.label}`;
  doc
    .font(FONT.bold)
    .fontSize(18)
    .fillColor('#111827')
    .text(pdfText(title), PAGE.margin, PAGE.margin, { width: tableWidth() });
  doc
    .font(FONT.regular)
    .fontSize(8.5)
    .fillColor('#6b7280')
    .text(
      pdfText(
        `${report.period.isCurrent ? `Period in progress, as of ${report.period.asOf}` : `Closed period, as of ${report.period.asOf}`} · change vs ${comparedWith(report)} · generated ${report.generatedAt.slice(0, 16).replace('T', ' ')} UTC`,
      ),
    );
  doc.moveDown(0.8);
  heading(doc, 'Summary');
  statusCounts(doc, report.summary.counts);
  refList(doc, `Turned red since ${comparedWith(report)}`, report.summary.turnedRed);
  refList(doc, `Turned green since ${comparedWith(report)}`, report.summary.turnedGreen);
  refList(doc, 'Without a value', report.summary.withoutValue);
  refList(doc, 'Without an owner', report.summary.withoutOwner);
  if (report.northStars.length > 0) {
    doc.moveDown(0.4);
    heading(doc, report.northStars.length === 1 ? 'North star' : 'North stars');
    tableHeader(doc);
    for (const row of report.northStars) drawRow(doc, row, locale, () => tableHeader(doc));
  }

  // Then every KPI by unit, then individual KPIs, flowing on from the summary.
  ensureSpace(doc, 90, () => undefined);
  doc.moveDown(0.6);
  heading(doc, 'KPIs by unit', 15);
  if (report.sections.length === 0 && report.individual.length === 0) {
    doc
      .font(FONT.regular)
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
      drawRow(doc, row, locale, () => {
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
      .font(FONT.regular)
      .fontSize(8)
      .fillColor('#9ca3af')
      .text(pdfText(shortTitle(report)), PAGE.margin, bottom, {
        width: tableWidth() / 2,
        lineBreak: false,
      })
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
