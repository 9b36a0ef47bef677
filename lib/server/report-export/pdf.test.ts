import PDFDocument from 'pdfkit';
import { describe, expect, it, vi } from 'vitest';
import type { Report, ReportRow } from '@/lib/dal/reports/types';
import { reportToPdf } from './pdf';
import { pdfPageRuns, pdfPageTexts } from './test-pdf-text';

/*
 * The PDF read back with pdfjs (text per page) and as raw bytes (which fonts it carries): every
 * glyph it prints comes from the embedded DejaVu Sans, the organization is named once, and page 1
 * holds the summary and the start of the KPI tables.
 */

function row(i: number, extra: Partial<ReportRow> = {}): ReportRow {
  return {
    kpiId: `kpi-${i}`,
    name: `Revenue ${i}`,
    key: null,
    unitName: 'Sales',
    ownerName: 'Zoë Ångström',
    isNorthStar: false,
    isIndividual: false,
    measure: { measureUnit: 'count', currency: null, decimals: 0 },
    direction: 'increase',
    periodLabel: 'November 2026',
    value: String(100 + i),
    target: '120',
    share: 0.9,
    paceProgress: null,
    status: 'at_risk',
    previous: null,
    change: '5',
    trend: [1, 2, 3].map((v) => ({ label: `m${v}`, value: v * i })),
    coverage: null,
    commentary: null,
    ...extra,
  };
}

function report(rows: number): Report {
  return {
    version: 1,
    org: { name: 'Nordlicht Wolke' },
    scope: { key: 'company', name: 'Nordlicht Wolke', kind: 'company' },
    period: {
      key: 'month-2026-11-01',
      label: 'November 2026',
      cadence: 'month',
      start: '2026-11-01',
      isCurrent: false,
      asOf: '2026-11-30',
    },
    previousPeriod: { key: 'month-2026-10-01', label: 'October 2026' },
    generatedAt: '2026-12-05T09:00:00.000Z',
    summary: {
      counts: { total: 5, on_track: 3, at_risk: 1, off_track: 1, in_progress: 0, no_data: 0 },
      turnedRed: [{ kpiId: 'kpi-1', name: 'Churn – EMEA', unitName: 'Customer Success' }],
      turnedGreen: [],
      withoutValue: [],
      withoutOwner: [],
    },
    northStars: [row(0, { name: 'Annual recurring revenue', isNorthStar: true })],
    sections: [
      {
        unit: { id: 'u1', name: 'Vertrieb Süd', kind: 'department', depth: 1 },
        rows: Array.from({ length: rows }, (_, i) =>
          row(i + 1, {
            name: [`Umsatz € £ ¥ – Q${i}…`, `Выручка ${i}`, `売上 ${i}`][i % 3]!,
          }),
        ),
      },
    ],
    individual: [],
  };
}

// Font subsetting and pdfjs take seconds on a busy machine: room beyond vitest's 5 s default.
describe('report PDF', { timeout: 30_000 }, () => {
  it('embeds DejaVu Sans and no built-in font, and prints the star and non-Latin-1 text', async () => {
    const bytes = await reportToPdf(report(3));
    const raw = bytes.toString('latin1');
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+DejaVuSans\b/);
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+DejaVuSans-Bold\b/);
    expect(raw).toContain('/FontFile2');
    expect(raw).not.toMatch(/\/BaseFont \/Helvetica/);
    const text = (await pdfPageTexts(bytes)).join(' ');
    expect(text).toContain('★ Annual recurring revenue');
    expect(text).not.toContain('* Annual');
    for (const s of [
      'Umsatz € £ ¥ – Q0…',
      'Выручка 1',
      'Zoë Ångström',
      'Vertrieb Süd',
      'Churn – EMEA',
    ])
      expect(text).toContain(s);
    // Glyphs the font lacks print as "?", never as an empty box.
    expect(text).toContain('?? 2');
    expect(text).not.toContain('売上');
  });

  it('names the organization once and starts with the summary and the KPIs on page 1', async () => {
    const pages = await pdfPageTexts(await reportToPdf(report(40)));
    expect(pages.length).toBeGreaterThanOrEqual(2);
    expect(pages.join(' ').split('Nordlicht Wolke')).toHaveLength(2);
    expect(pages[0]).toMatch(/^Nordlicht Wolke report · November 2026/);
    expect(pages[0]).toContain('Summary');
    expect(pages[0]).toContain('5 KPIs:');
    expect(pages[0]).toContain('North star');
    expect(pages[0]).toContain('KPIs by unit');
    expect(pages[0]).toContain('Umsatz € £ ¥ – Q0…');
    pages.forEach((page, i) =>
      expect(page).toContain(`Company report · November 2026 Page ${i + 1} of ${pages.length}`),
    );
    expect(pages[1]).toContain('Vertrieb Süd (continued)');
  });

  it('loads each embedded font once however many cells and pages it sets', async () => {
    // pdfkit numbers every font it loads (`_fontCount`, its internal counter). A font loaded
    // again for each selection (it was: once per cell and per page break, 25 s for 2,877 rows)
    // shows as one number per load.
    const docs = new Set<{ _fontCount: number }>();
    const font = PDFDocument.prototype.font;
    const spy = vi.spyOn(PDFDocument.prototype, 'font').mockImplementation(function (
      this: InstanceType<typeof PDFDocument>,
      ...args: Parameters<typeof font>
    ) {
      docs.add(this as unknown as { _fontCount: number });
      return font.apply(this, args);
    });
    try {
      const pages = await pdfPageTexts(await reportToPdf(report(120)));
      expect(pages.length).toBeGreaterThanOrEqual(4);
    } finally {
      spy.mockRestore();
    }
    expect(docs.size).toBe(1);
    // pdfkit's starting font, then the two embedded ones.
    expect([...docs][0]!._fontCount).toBeLessThanOrEqual(3);
  });

  it('prints every column header on one line (none wraps into the first row)', async () => {
    const [page1] = await pdfPageRuns(await reportToPdf(report(3)));
    for (const label of ['KPI', 'ACTUAL', 'TARGET', '% OF TARGET', 'STATUS', 'CHANGE', 'COVERAGE'])
      expect(page1).toContain(label);
  });
});
