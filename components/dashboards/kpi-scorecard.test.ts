import { Fragment, isValidElement, type ReactNode } from 'react';
import { describe, expect, it } from 'vitest';
import { RowFacts, type Widths } from './kpi-scorecard';

type Width = 'p' | 'm' | 'w';

/** Whether Tailwind's classes (the ones RowFacts may use) leave an element shown at `width`. */
function shownAt(className: string | undefined, width: Width): boolean {
  const classes = new Set((className ?? '').split(/\s+/).filter(Boolean));
  let shown = !classes.has('hidden');
  if (width === 'p' && classes.has('max-sm:hidden')) shown = false;
  if (width !== 'p' && classes.has('sm:inline')) shown = true;
  if (width !== 'p' && classes.has('sm:hidden')) shown = false;
  if (width === 'm' && classes.has('sm:max-md:hidden')) shown = false;
  if (width === 'w' && classes.has('md:inline')) shown = true;
  if (width === 'w' && classes.has('md:hidden')) shown = false;
  return shown;
}

/** The text a reader sees at `width`. */
function visibleText(node: ReactNode, width: Width): string {
  if (typeof node === 'string') return node;
  if (Array.isArray(node)) return node.map((n: ReactNode) => visibleText(n, width)).join('');
  if (!isValidElement(node)) return '';
  const props = node.props as { className?: string; children?: ReactNode };
  if (node.type !== Fragment && !shownAt(props.className, width)) return '';
  return visibleText(props.children, width);
}

describe('RowFacts', () => {
  const unit = { text: 'Sales team 1', on: 'pmw' as Widths };
  const label = { text: 'Monthly', on: 'mw' as Widths };
  const coverage = { text: '3 of 4 reported', on: 'pmw' as Widths };
  const owner = { text: 'Tara Garcia', on: 'pm' as Widths };

  it('joins exactly the parts shown at each width with one separator between them', () => {
    for (const hasUnit of [true, false])
      for (const hasCoverage of [true, false]) {
        const parts = [hasUnit ? unit : null, label, hasCoverage ? coverage : null, owner];
        const out = RowFacts({ parts });
        for (const width of ['p', 'm', 'w'] as const) {
          const expected = parts
            .filter((p) => p !== null && p.on.includes(width))
            .map((p) => p!.text)
            .join('\u00a0· ');
          expect(visibleText(out, width), `${hasUnit} ${hasCoverage} ${width}`).toBe(expected);
        }
      }
  });

  it('the bug it replaces: a phone row with a unit and no coverage reads "unit · owner"', () => {
    expect(visibleText(RowFacts({ parts: [unit, label, null, owner] }), 'p')).toBe(
      'Sales team 1\u00a0· Tara Garcia',
    );
  });
});
